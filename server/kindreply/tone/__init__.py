"""The tone analyser: how well a reply follows the practice, and what in it hurts.

Deterministic and fast (a few milliseconds), so the extension can call it on every pause in typing, the
rewriter can use it to compare candidates, and the evaluation can report it. The phrases live in
``data/tone.toml``; positivity comes from the VADER lexicon (English).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources

# all-caps words that are names, not shouting
_ACRONYMS = {"HTML", "HTTP", "HTTPS", "JSON", "UUID", "ASAP", "FAQ", "IBAN", "SWIFT", "GDPR", "PDF", "API", "SKU",
             "USA", "URL", "VPN", "SSO", "CEO", "ETA", "USB", "SMS", "VAT", "DNS", "PIN", "OTP", "CSV", "XML", "EUR",
             "USD", "GBP", "CHF", "IOS", "RMA", "DHL", "UPS", "TLS", "SSL", "CRM", "ID"}
_SHOUTING = re.compile(r"\b[A-ZÄÖÜÉÈ]{3,}\b")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies|lo siento|disculp\w*|entschuldig\w*|désolée?|excuse[sz]?)\b", re.I)
_UNFORTUNATELY = re.compile(r"\b(?:unfortunately|sadly|regrettably|lamentablemente|leider|malheureusement)\b", re.I)
_PUNCTUATION_RUN = re.compile(r"[!?]{2,}")
WEIGHTS = {"acknowledgement": 0.25, "restatement": 0.15, "positive": 0.3, "respect": 0.3}


@dataclass(frozen=True)
class Flag:
    category: str
    label: str
    span: str
    start: int
    end: int
    suggestion: str


@dataclass
class Analysis:
    score: int  # 0 to 100
    scores: dict[str, float]  # acknowledgement, restatement, positive, respect: 0 to 1
    sentiment: float  # VADER compound, -1 to 1
    flags: list[Flag] = field(default_factory=list)
    present: list[str] = field(default_factory=list)  # the helping practices found

    def has(self, category: str) -> bool:
        return any(flag.category == category for flag in self.flags)


@functools.cache
def _data() -> dict:
    return tomllib.loads((resources.files("kindreply") / "data" / "tone.toml").read_text(encoding="utf-8"))


@functools.cache
def _lexicon() -> dict:
    compiled = {}
    for group in ("helps", "hurts"):
        for category, entry in _data()[group].items():
            patterns = entry["patterns"] + entry.get("feelings", [])
            pattern = re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)", re.I)
            compiled[category] = (group, entry["label"], entry.get("suggestion", ""), pattern)
    return compiled


@functools.cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def acknowledgement_spans(text: str) -> list[str]:
    """The words of ``text`` that acknowledge the customer's feelings ("I understand", "sorry to hear", "upset")."""
    return [match.group() for match in _lexicon()["acknowledgement"][3].finditer(text)]


@functools.cache
def _feeling_word() -> re.Pattern:
    return re.compile("|".join(_data()["helps"]["acknowledgement"]["feelings"]), re.I)


def is_feeling_word(span: str) -> bool:
    """``span`` (from ``acknowledgement_spans``) is a feeling's bare word ("upset", "frustrating"), not a phrase
    that acknowledges it ("I understand", "sorry to hear")."""
    return bool(_feeling_word().fullmatch(span))


def analyze(text: str) -> Analysis:
    lexicon = _lexicon()
    present = [category for category, (group, _, _, pattern) in lexicon.items()
               if group == "helps" and pattern.search(text)]
    flags = find_flags(text)
    sentiment = _sentiment(text, lexicon["acknowledgement"][3])
    hurting = [f for f in flags if f.category != "negative"]
    negative = [f for f in flags if f.category == "negative"]
    scores = {
        "acknowledgement": 1.0 if "acknowledgement" in present else 0.0,
        "restatement": 1.0 if "restatement" in present else 0.0,
        "positive": _clamp(0.5 * ("positive" in present) + 0.5 * (sentiment + 1) / 2 - 0.15 * len(negative)),
        "respect": _clamp(0.8 + 0.2 * ("respect" in present) - 0.25 * len(hurting)),
    }
    score = round(100 * sum(WEIGHTS[name] * value for name, value in scores.items()))
    return Analysis(score=score, scores={k: round(v, 3) for k, v in scores.items()}, sentiment=sentiment,
                    flags=flags, present=present)


def find_flags(text: str) -> list[Flag]:
    """What hurts in ``text``, in text order: the phrase lists and the counted hurts, without the
    sentiment and scores (for callers that check many fragments, like ``compose.soften``)."""
    flags = [Flag(category, label, m.group(), m.start(), m.end(), suggestion)
             for category, (group, label, suggestion, pattern) in _lexicon().items() if group == "hurts"
             for m in pattern.finditer(text)]
    flags += _counted_flags(text)
    flags.sort(key=lambda f: f.start)
    return flags


def _sentiment(text: str, acknowledgement: re.Pattern) -> float:
    """VADER's compound sentiment, leaving out sentences that acknowledge a feeling: naming the customer's
    frustration is empathy, and must not count against the reply as negativity."""
    sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
    rest = [s for s in sentences if not acknowledgement.search(s)] or sentences
    if not rest:
        return 0.0
    return round(sum(_vader().polarity_scores(s)["compound"] for s in rest) / len(rest), 4)


def _counted_flags(text: str) -> list[Flag]:
    """Hurts that are a matter of amount, not of one phrase: shouting, stacked apologies and 'unfortunately's."""
    flags = [Flag("caps", "All caps", m.group(), m.start(), m.end(), "Write in normal case; capitals read as shouting.")
             for m in _SHOUTING.finditer(text) if m.group() not in _ACRONYMS]
    flags += [Flag("caps", "Shouting punctuation", m.group(), m.start(), m.end(), "One ! or ? is enough.")
              for m in _PUNCTUATION_RUN.finditer(text)]
    apologies = list(_APOLOGY.finditer(text))
    flags += [Flag("apology", "Stacked apologies", m.group(), m.start(), m.end(),
                   "One sincere apology is enough; then move to the solution.") for m in apologies[2:]]
    unfortunately = list(_UNFORTUNATELY.finditer(text))
    flags += [Flag("negative", "Stacked 'unfortunately'", m.group(), m.start(), m.end(),
                   "Say the limit once; lead with what is possible.") for m in unfortunately[1:]]
    return flags


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))
