"""Stage 6: an acknowledgement first and a closing last, only where they help.

- With the customer's message, the model writes one sentence that acknowledges their situation in the
  agent's voice (the style's ``[acknowledge]`` prompt); ``acknowledgement_findings`` rejects one that
  copies the customer's words, states a fact, promises anything or is in another language, and then a
  phrase from ``data/phrases.toml`` that names their feeling is used instead.
- Without it, an opener is added only when the draft brings bad news (a refusal, a sentence that had to
  be softened) and does not acknowledge anything itself; chosen per draft from a few, so that replies
  do not all open alike.
- A closing offer of help only when the draft brings bad news, has no closing of its own, and the reply
  stays within about 1.5 times the draft's length.

``pipeline`` puts the opener after the draft's own greeting, whatever form that takes.
"""

from __future__ import annotations

import functools
import re
import tomllib
import zlib
from dataclasses import dataclass
from importlib import resources

from .. import tone
from . import check

# the last sentence of a draft that already closes: a question, thanks, an invitation to write back
_CLOSING = re.compile(
    r"\?\s*$|\b(?:thank|thanks|let (?:me|us) know|feel free|happy to|glad to|reach out|get in touch|write (?:to us|back)|"
    r"reply to this|don'?t hesitate|any (?:other |more |further )?questions|hope this helps|gracias|no dude|"
    r"quedamos a su disposición|danke|gerne|zögern sie nicht|melden sie sich|merci|n'hésitez pas)\b", re.I)
_GREETING_SENTENCE = re.compile(
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|hola|buen(?:os|as) \w+|estimad[oa]s?|"
    r"hallo|liebe[rs]?|sehr geehrte[rs]?|guten (?:tag|morgen|abend)|bonjour|bonsoir|salut|cher|chère)\b[^.!?]{0,60}[.!,]?$",
    re.I)
_WORDS = re.compile(r"\w+(?:['’]\w+)?")
# an acknowledgement names a feeling; it does not refuse or argue ("but I'm unable to locate your parcel")
_DECIDES = re.compile(r"\b(?:but|however|unable|not able|can['’]?t|cannot|won['’]?t|will not|unfortunately|pero|aber|mais|"
                      r"no podemos|können nicht|ne pouvons)\b", re.I)
# nor does it say what happened: who did what, how long, what went wrong ("I'm waiting for more information")
_ACTS = re.compile(r"\bI(?:['’]m| am| have|['’]ve)\s+(?:been\s+)?(?:waiting|looking|checking|working|checked|looked|asked|"
                   r"contacted|sent|forwarded|escalated|reviewed)\b", re.I)
_NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                          r"twice|dozen|several|multiple|hundred)\b", re.I)
# nor does it speak as the customer ("I understand that I was charged twice")
_CUSTOMER_VOICE = re.compile(r"\b(?:I was|I have been|I['’]ve been|I am being|I['’]m being|my|me)\b(?! (?:know|help))", re.I)


@dataclass(frozen=True)
class Phrases:
    defaults: tuple[str, ...]
    closings: tuple[str, ...]
    feelings: tuple[tuple[re.Pattern, str], ...]
    bad_news: tuple[str, ...] = ()
    refusal: str = ""

    def feeling(self, customer_message: str) -> str | None:
        return next((sentence for pattern, sentence in self.feelings if pattern.search(customer_message)), None)


@functools.cache
def phrases() -> dict[str, Phrases]:
    data = tomllib.loads((resources.files("kindreply") / "data" / "phrases.toml").read_text(encoding="utf-8"))

    def compiled(pairs):
        # from the start of a word: "rent" must not find "current", nor "ship" "membership"
        return tuple((re.compile(rf"\b(?:{pattern})", re.I), sentence) for pattern, sentence in pairs)

    return {code: Phrases(tuple(entry["defaults"]), tuple(entry["closings"]), compiled(entry["feelings"]),
                          tuple(entry.get("bad_news", ())), entry.get("refusal", ""))
            for code, entry in data.items()}


def _pick(options: tuple[str, ...], draft: str) -> str:
    """The same draft always gets the same choice; different drafts spread over the options."""
    return options[zlib.crc32(draft.encode("utf-8")) % len(options)]


def acknowledges(text: str) -> bool:
    return "acknowledgement" in tone.analyze(text).present


def is_greeting(sentence: str) -> bool:
    return bool(_GREETING_SENTENCE.match(sentence.strip()))


def has_closing(last_sentence: str) -> bool:
    return bool(_CLOSING.search(last_sentence))


def phrase_opener(language: str | None, draft: str, customer_message: str = "", refuses: bool = False) -> str | None:
    """The customer's feeling named from their message, else a plain acknowledgement of bad news. (Guessing
    the situation from the draft's keywords misread too many drafts in the reading review: "looking forward
    to your order" on an outage notice.)"""
    words = phrases().get(language or "")
    if words is None:
        return None
    return (customer_message and words.feeling(customer_message)) or \
        _pick(words.defaults + (words.bad_news if refuses else ()), draft)


_BARE_NO = re.compile(r"^\s*(?:no|nope|nein|non)\s*[.!]*\s*$", re.I)


def bare_refusal(sentence: str, language: str | None) -> str | None:
    """"No." said kindly, in the draft's language ("Unfortunately, that isn't possible."); None otherwise."""
    words = phrases().get(language or "")
    return words.refusal if words and words.refusal and _BARE_NO.match(sentence) else None


def upset(customer_message: str, language: str | None) -> bool:
    """The customer's message names a feeling (``feelings`` in phrases.toml) or raises its voice ("!")."""
    words = phrases().get(language or "")
    return bool(customer_message and ("!" in customer_message or (words and words.feeling(customer_message))))


def closing(language: str | None, draft: str) -> str | None:
    words = phrases().get(language or "")
    return _pick(words.closings, draft) if words else None


# the words an acknowledgement is made of, beside the customer's own subject: feelings and the ways of naming them
_EMPATHY_WORDS = frozenset("""
understand understandable see imagine know hear sorry apologise apologize feel feeling feelings frustrating frustrated
frustration disappointing disappointed disappointment worrying worried worry stressful stressed stress upsetting upset
annoying annoyed inconvenient inconvenience difficult hard tough situation experience especially truly really
completely totally must concern concerned concerning confusing confused surprise surprising unexpected news hoping
hoped appreciate patience thank thanks reaching letting glad important matters much how this that such lot
taking longer expected time long still need needed asked
entiendo comprendo lamento siento frustrante preocupante decepcionante situación molestias
verstehe ärgerlich enttäuschend sorgen situation leid
comprends désolé désolée frustrant décevant inquiète situation
""".split())


def _ungrounded(sentence: str, sources: str) -> list[str]:
    """Words of the acknowledgement that name something neither the customer nor the draft said ("how
    frustrating it is to wait for an answer" to a customer who never waited)."""
    known = {check.stem(word) for word in check.content_words(sources)}
    return [word for word in check.content_words(sentence)
            if word not in _EMPATHY_WORDS and check.stem(word) not in known]


def acknowledgement_findings(sentence: str, customer_message: str, language: str | None, draft: str = "") -> list[str]:
    """Why a model-written acknowledgement may not open the reply; empty when it may."""
    problems = []
    invented = _ungrounded(sentence, customer_message + " " + draft)
    if len(invented) > 2:
        problems.append(f"it names what nobody said ({', '.join(invented)})")
    words = _WORDS.findall(sentence)
    if not 3 <= len(words) <= 30:
        problems.append("not one short sentence")
    if re.search(r"\d|\[\d+\]|https?://|@", sentence):
        problems.append("it states a fact")
    if sentence.rstrip().endswith("?") or is_greeting(sentence):
        problems.append("it is a question or a greeting, not an acknowledgement")
    promised = check.COMMITMENT.search(sentence)
    if promised:
        problems.append(f"it promises something ({promised.group()})")
    if _DECIDES.search(sentence):
        problems.append("it refuses, limits or argues (a decision is the draft's to state, not the opener's)")
    if _CUSTOMER_VOICE.search(sentence):
        problems.append("it speaks in the customer's voice")
    if check.FAULT.search(sentence) or _ACTS.search(sentence) or _NUMBER_WORD.search(sentence):
        problems.append("it states what happened (a fault, an action, an amount): that is the draft's to say")
    if copies(sentence, customer_message):
        problems.append("it copies the customer's words")
    if not acknowledges(sentence) and not re.search(r"\b(?:sorry|understand|see|know|imagine)\b", sentence, re.I):
        problems.append("it acknowledges nothing")
    if language and len(sentence) > 30:
        found = check.languages.detect(sentence, minimum_confidence=0.9)
        if found and found != language:
            problems.append(f"it is in {check.languages.name_of(found)}")
    return problems


def copies(sentence: str, source: str, run: int = 4) -> bool:
    """True when ``sentence`` repeats ``run`` or more consecutive words of ``source``."""
    if not source:
        return False
    source_words = [w.lower() for w in _WORDS.findall(source)]
    grams = {tuple(source_words[i:i + run]) for i in range(len(source_words) - run + 1)}
    words = [w.lower() for w in _WORDS.findall(sentence)]
    return any(tuple(words[i:i + run]) in grams for i in range(len(words) - run + 1))
