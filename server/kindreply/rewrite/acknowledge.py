"""The parts of the practice that need no model, applied to a rewrite (or to the draft itself).

A 1.5B model usually keeps the facts and softens the wording, but it often forgets to open with an
acknowledgement, keeps an "As I already said," or ends on a flat "no". Those three are fixed here,
deterministically and in the draft's language:

- ``soften`` (called on each candidate and on the draft) takes out the clauses the tone analyser flags
  as blame, dismissal or sarcasm, unless a clause carries a fact marker (then it stays: a fact is never
  dropped to improve the tone);
- ``compose`` puts first an opener that acknowledges the customer's feeling when the reply has none, and
  last a closing that says what we can do when the reply says nothing of the kind.

Everything works on masked text (facts as ``[N]`` markers), before the facts are restored. The
sentences live in ``data/phrases.toml``; they name feelings and offer help, and never state a fact or
make a commitment the draft did not make.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from .. import tone

HURTING = {"blame", "dismissive", "sarcasm"}
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|(?=\n)|$)[ \t]*|\n+")
_CLAUSE_BREAK = re.compile(r"(?<=[,;])\s+")
_MARKER = re.compile(r"\[\d+\]")
# a conjunction that opened a clause makes no sense once the clause before it is gone
_LEADING_CONJUNCTION = re.compile(r"^(?:but|and|so|yet|pero|y|aber|und|mais|et)\s+", re.I)
# a reply whose first or last line is Markdown structure gets the added sentence as its own paragraph
_BLOCK_LINE = re.compile(r"^\s*(?:[-*+>#|]|\d+[.)]\s|```)")


@dataclass
class Composed:
    masked: str
    added: list[str] = field(default_factory=list)  # "opener", "closing"


@dataclass(frozen=True)
class Phrases:
    default: str
    closing: str
    feelings: tuple[tuple[re.Pattern, str], ...]
    situations: tuple[tuple[re.Pattern, str], ...]

    def opener(self, customer_message: str, draft: str) -> str:
        for pattern, sentence in self.feelings:
            if customer_message and pattern.search(customer_message):
                return sentence
        for pattern, sentence in self.situations:
            if pattern.search(draft):
                return sentence
        return self.default


@functools.cache
def phrases() -> dict[str, Phrases]:
    data = tomllib.loads((resources.files("kindreply") / "data" / "phrases.toml").read_text(encoding="utf-8"))

    def compiled(pairs):
        return tuple((re.compile(pattern, re.I), sentence) for pattern, sentence in pairs)

    return {code: Phrases(entry["default"], entry["closing"], compiled(entry["feelings"]),
                          compiled(entry["situations"])) for code, entry in data.items()}


def _hurting_flags(text: str) -> list[tone.Flag]:
    return [flag for flag in tone.find_flags(text) if flag.category in HURTING]


def _soften_clause(clause: str) -> str:
    """The clause less a hurting lead-in ("Obviously", "As I said,"), or "" when the whole clause hurts
    and carries no fact."""
    flags = _hurting_flags(clause)
    if not flags:
        return clause
    lead = flags[0]
    # a lead-in is a phrase set off by a comma ("As I said,") or a sarcastic adverb ("Obviously")
    lead_in = re.match(r"\s*[,:]", clause[lead.end:]) or (lead.category == "sarcasm" and " " not in lead.span)
    if lead_in and not clause[:lead.start].strip():
        rest = re.sub(r"^[\s,:;]+", "", clause[lead.end:])
        if rest.strip() and not _hurting_flags(rest):
            return rest
    return clause if _MARKER.search(clause) else ""


def soften(masked: str) -> tuple[str, list[str]]:
    """``masked`` less the hurting clauses and lead-ins that carry no fact; returns the text and what
    was removed. Never removes a marker: a fact is not dropped to improve the tone."""
    pieces, removed = [], []
    for sentence in _SENTENCE.findall(masked):
        if not sentence.strip() or not _hurting_flags(sentence):
            pieces.append(sentence)
            continue
        core = sentence.strip()
        leading = sentence[:len(sentence) - len(sentence.lstrip())]
        trailing = sentence[len(sentence.rstrip()):]
        clauses = _CLAUSE_BREAK.split(core)
        softened = [_soften_clause(c) for c in clauses]
        if softened == clauses:
            pieces.append(sentence)  # the hurt sits next to a fact: leave it to the model
            continue
        removed += [c for c, s in zip(clauses, softened) if s != c]
        kept = [s for s in softened if s]
        if not kept:
            continue
        if softened[0] != clauses[0]:
            kept[0] = _LEADING_CONJUNCTION.sub("", kept[0])
        text = " ".join(kept).rstrip(",; ")
        ending = core[-1] if core[-1] in ".!?" else ""
        if ending and not text.endswith(ending):
            text += ending
        if core[0].isupper() and text[:1].islower():
            text = text[0].upper() + text[1:]
        pieces.append(leading + text + trailing)
    text = re.sub(r"[ \t]+\n", "\n", "".join(pieces))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if sorted(_MARKER.findall(text)) != sorted(_MARKER.findall(masked)):
        return masked.strip(), []  # cannot happen by construction; if it ever does, keep every fact
    return text, removed


def compose(masked: str, language_code: str | None, *, customer_message: str = "", draft: str = "") -> Composed:
    """Add an opener and a closing where the (already softened) reply ``masked`` lacks them."""
    result = Composed(masked)
    words = phrases().get(language_code or "")
    if words is None or not result.masked.strip():
        return result
    analysis = tone.analyze(result.masked)
    if "acknowledgement" not in analysis.present:
        result.masked = _join(words.opener(customer_message, draft or masked), result.masked, opener=True)
        result.added.append("opener")
    if "positive" not in analysis.present:
        result.masked = _join(words.closing, result.masked, opener=False)
        result.added.append("closing")
    return result


def _join(sentence: str, text: str, *, opener: bool) -> str:
    lines = text.strip().split("\n")
    edge = lines[0] if opener else lines[-1]
    # after a reply that ends without a full stop (a link, a label, a code block) the closing reads better apart
    separate = "\n\n" in text or bool(_BLOCK_LINE.match(edge)) or (not opener and text.rstrip()[-1:] not in ".!?")
    glue = "\n\n" if separate else " "
    return sentence + glue + text.strip() if opener else text.rstrip() + glue + sentence
