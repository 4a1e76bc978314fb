"""Reduce a model's answer to the reply alone: no preamble, no quotes, no notes, no added greeting or sign-off."""

from __future__ import annotations

import re

from .letter import GREETING, SIGN_OFF, SIGNATURE_DELIMITER

# "Sure! Here is the rewritten reply:", "Rewritten reply:", "**Rewrite:**", "Claro, aquí está…:"
_PREAMBLE = re.compile(
    r"^\s*(?:\**\s*)?(?:(?:sure|certainly|of course|okay|ok|absolutely|claro|por supuesto|natürlich|gerne|bien sûr|"
    r"voici|aquí|hier)\b[^\n]*?[:!.]\s*\n|(?:here(?:'s| is)|aquí (?:está|tienes)|hier ist|voici)\b[^\n]*:\s*\n|"
    r"(?:rewritten|revised|improved|updated|new)?\s*(?:reply|response|rewrite|version|draft|respuesta|antwort|réponse)"
    r"\s*(?:\([^)\n]*\))?\s*:\**\s*\n)", re.I)
# A closing paragraph that talks about the rewrite instead of to the customer.
_TRAILING_NOTE = re.compile(
    r"\n\s*\n\s*(?:\**\s*)?(?:\(?note|notes|changes made|explanation|this (?:version|rewrite|reply|response)|"
    r"in this (?:version|rewrite)|i(?:'ve| have) (?:rewritten|revised|kept|made)|the (?:rewritten|revised) (?:reply|version)|"
    r"nota|hinweis|remarque)\b.*\Z", re.I | re.S)
# "Sure, I understand…": a model answering the request, not the customer (kept when it is the whole text)
_ASSENT = re.compile(r"^(?:sure|certainly|absolutely)[,!.]\s+(?=\S)", re.I)
_TAGS = re.compile(r"</?(?:draft|customer|reply|rewrite)>", re.I)
_NAME_PLACEHOLDER = re.compile(r"\[(?:your|agent|my) name\]|\[name\]", re.I)
# A model that refuses ("I'm sorry, but I can't assist with that.") has written no reply at all.
_REFUSAL = re.compile(r"^(?:i'?m sorry,? but )?(?:i|as an ai,? i) (?:can(?:'|no)t|am unable to|won'?t) "
                      r"(?:assist|help|comply|do that|fulfil|provide)[^.\n]*\.?$", re.I)
_QUOTE_PAIRS = [('"', '"'), ("“", "”"), ("'", "'"), ("«", "»"), ("„", "“")]


def clean_model_output(text: str) -> str:
    text = _TAGS.sub("", text).strip()
    text = re.sub(r"^```[a-z]*\n(.*?)\n```$", r"\1", text, flags=re.S).strip()
    text = _PREAMBLE.sub("", text, count=1).strip()
    if _ASSENT.match(text):
        text = _ASSENT.sub("", text, count=1)
        text = text[:1].upper() + text[1:]
    text = _TRAILING_NOTE.sub("", text).strip()
    for opening, closing in _QUOTE_PAIRS:
        inner = text[len(opening):-len(closing)] if len(text) > 2 else ""
        if text.startswith(opening) and text.endswith(closing) and opening not in inner and closing not in inner:
            text = inner.strip()
    text = strip_letter_frame(text)
    # a comma before a parenthesis is no punctuation of these languages: "signé le 12 février, (page 3, …)," was a
    # model's edit (twenty-third set)
    text = re.sub(r",\s+\(", " (", text)
    return "" if _REFUSAL.match(text) else text


def strip_letter_frame(text: str) -> str:
    """Drop a greeting line the model put first and a sign-off block it put last.

    The agent's own greeting and sign-off were set aside before the model saw the draft and are put
    back by the rewriter, so any the model writes would be a second one (or one the agent did not want).
    """
    lines = text.split("\n")
    if len(lines) > 1 and GREETING.match(lines[0].strip()) and lines[0].strip().endswith((",", "!", ":")):
        lines = lines[1:]
    # the earliest closing line among the last few starts the sign-off block
    closing = [index for index in range(max(0, len(lines) - 6), len(lines))
               if SIGN_OFF.match(lines[index].strip()) or SIGNATURE_DELIMITER.match(lines[index].strip())
               or _NAME_PLACEHOLDER.fullmatch(lines[index].strip())]
    if closing and any(line.strip() for line in lines[:closing[0]]):
        lines = lines[:closing[0]]
    return "\n".join(lines).strip()
