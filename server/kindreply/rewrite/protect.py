"""The fact guard: find the spans a rewrite must keep exactly, hide them from the model, put them back, check.

The model never sees an order number, an amount, a date, a link or a placeholder: each protected span
is replaced by a numbered marker such as ``[3]`` before the prompt is built, and restored after.
Whatever the model does to the wording, it cannot alter a digit it never saw. What it can still do
is drop or duplicate a marker, or invent a number of its own; ``verify`` reports both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The marker the model sees for protected span number N (1-based). Square brackets with a bare number
# read as a footnote-like reference, which small instruction models tend to copy as it is; the dev-set
# evaluation (bench/eval.py) measures how often they do.
MARKER_TEMPLATE = "[{}]"
# Restoring is tolerant of what models do to markers: doubled brackets, spaces inside. A doubled
# bracket counts only in pairs: in a Markdown link "[incident [1]](url)" the second "]" is the link's.
MARKER_PATTERN = re.compile(r"(?P<double>\[)?[\[⟦]\s*(?P<number>\d{1,3})\s*[\]⟧](?(double)\])")

_MONTHS = (
    # English, Spanish, German, French, Portuguese, Italian, Dutch: full names and common abbreviations
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    "januar|jänner|februar|märz|mai|juni|juli|oktober|dezember|"
    "janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    "janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro|"
    "gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|"
    "januari|februari|maart|mei|augustus"
)
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|º|\.)?"
_YEAR = r"\d{4}"

# Each detector is (kind, pattern). Earlier detectors win where matches overlap, so the most specific
# come first: a URL is one span even though it contains digits.
DETECTORS: list[tuple[str, re.Pattern]] = [
    ("code", re.compile(r"```.*?```", re.S)),
    ("code", re.compile(r"`[^`\n]+`")),
    ("placeholder", re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\$\{[^}\n]*\}|\[\[[^\]\n]*\]\]")),
    ("url", re.compile(r"\b(?:https?://|www\.)[^\s<>\"'`]+", re.I)),
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("markdown_link_target", re.compile(r"(?<=\]\()[^)\s]+(?=\))")),
    ("date", re.compile(
        rf"\b(?:(?:{_WEEKDAYS}),?\s+)?(?:{_DAY}\s*(?:de\s+|of\s+)?(?:{_MONTHS})\.?(?:,?\s*(?:de\s+)?{_YEAR})?"
        rf"|(?:{_MONTHS})\.?\s+{_DAY}(?:,?\s*{_YEAR})?"
        rf"|(?:{_MONTHS})\s+{_YEAR})(?!\w)", re.I)),
    ("date", re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")),
    ("weekday", re.compile(rf"\b(?:{_WEEKDAYS})\b", re.I)),
    ("time", re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:[ap]\.?m\.?)(?!\w)|\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?h)?\b", re.I)),
    # repetition is bounded ({0,20}) throughout: an unbounded run would backtrack quadratically on a
    # draft of thousands of digits and spaces
    ("money", re.compile(
        r"(?:[$€£¥₹]|\b(?:USD|EUR|GBP|CHF|CAD|AUD|JPY)\s?)\s?\d[\d,.' ]{0,20}\d(?:\s?(?:USD|EUR|GBP))?|[$€£¥₹]\s?\d"
        r"|\b\d[\d,.' ]{0,20}\d?\s?(?:€|\$|£|USD|EUR|GBP|CHF|dollars?|euros?|pounds?)(?!\w)", re.I)),
    ("phone", re.compile(r"(?<![\w#])\+?\(?\d[\d ().-]{6,20}\d\b")),
    ("number", re.compile(r"#?\b(?:[A-Za-z]+[-_/])*[A-Za-z]*\d[\w./:-]*%?|#[A-Za-z][\w-]*")),
    ("name", re.compile(r"\b[a-z]+[A-Z][A-Za-z]*\b|\b[A-Z][a-z]+[A-Z][A-Za-z]*\b")),
]

# Capitalised words in the middle of a sentence are names (people, products, plans, companies) in most
# languages. German capitalises every noun, so there this rule would hide half the text from the model.
# words of one name are separated by spaces, never by a line break ("14:02 CET\nEnd: 15:30" is two lines)
_CAPITALISED_RUN = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]*(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]*)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[\"“(]\s*|^\s*[-*•]\s+|\n\s*[-*•]\s+|\d\.\s+)$")
_NOT_NAMES = {
    "i", "i'm", "i’m", "i'll", "i’ll", "i've", "i’ve", "i'd", "i’d", "ok", "okay", "hi", "hello", "dear",
    "thanks", "thank", "please", "sorry", "yes", "no", "we", "you", "our", "your",
}
_NAME_RULE_LANGUAGES_EXCLUDED = {"de"}
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""


@dataclass(frozen=True)
class Span:
    """A protected span: its exact original text, what kind of fact it is, and its marker number."""

    text: str
    kind: str
    number: int

    @property
    def marker(self) -> str:
        return MARKER_TEMPLATE.format(self.number)


@dataclass(frozen=True)
class Protected:
    masked: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Finding:
    """Something the guard found wrong with a rewrite."""

    code: str  # "missing_fact" or "added_fact"
    span: str
    kind: str

    @property
    def message(self) -> str:
        if self.code == "missing_fact":
            return f"the rewrite does not contain {self.span!r} ({self.kind}) from the draft"
        return f"the rewrite adds {self.span!r}, which is not in the draft"


def find_spans(text: str, language: str | None = None) -> list[tuple[int, int, str]]:
    """Return non-overlapping (start, end, kind) of every protected span, in text order."""
    taken: list[tuple[int, int, str]] = []
    covered = bytearray(len(text))  # 1 where a span already is: overlap checks stay linear in the text

    def free(start: int, end: int) -> bool:
        return not any(covered[start:end])

    def take(start: int, end: int, kind: str) -> None:
        taken.append((start, end, kind))
        covered[start:end] = b"\1" * (end - start)

    for kind, pattern in DETECTORS:
        for match in pattern.finditer(text):
            start, end = match.span()
            # sentence punctuation right after a URL or number belongs to the sentence, not the fact
            while end > start and text[end - 1] in _TRAILING_PUNCTUATION and _unbalanced_tail(text[start:end]):
                end -= 1
            if end > start and text[start:end].strip() and free(start, end):
                take(start, end, kind)
    if language not in _NAME_RULE_LANGUAGES_EXCLUDED:
        for match in _CAPITALISED_RUN.finditer(text):
            start, end = match.span()
            words = match.group().split()
            # a sentence-initial capital is grammar, not a name: drop the first word there
            if _SENTENCE_START.search(text[:start]):
                start += len(words[0])
                words = words[1:]
                while start < end and text[start].isspace():
                    start += 1
            if not words or all(w.lower().strip("'’") in _NOT_NAMES for w in words):
                continue
            if words[0].lower() in _NOT_NAMES:
                continue
            if free(start, end):
                take(start, end, "name")
    return sorted(taken)


def _unbalanced_tail(span: str) -> bool:
    """True when the last character is punctuation that does not belong to the span."""
    last = span[-1]
    if last == ")":
        return span.count("(") < span.count(")")
    if last == "]":
        return span.count("[") < span.count("]")
    if last == "}":
        return span.count("{") < span.count("}")
    return last in ".,;:!?'\""


def protect(text: str, language: str | None = None) -> Protected:
    """Replace every protected span by its marker. The same text twice gets the same marker."""
    numbers: dict[str, int] = {}
    spans: list[Span] = []
    pieces: list[str] = []
    cursor = 0
    for start, end, kind in find_spans(text, language):
        original = text[start:end]
        if original not in numbers:
            numbers[original] = len(numbers) + 1
            spans.append(Span(original, kind, numbers[original]))
        pieces.append(text[cursor:start])
        pieces.append(MARKER_TEMPLATE.format(numbers[original]))
        cursor = end
    pieces.append(text[cursor:])
    return Protected("".join(pieces), tuple(spans))


def restore(text: str, spans: tuple[Span, ...] | list[Span]) -> str:
    """Put the original span back for every marker; drop markers that name no span."""
    by_number = {span.number: span.text for span in spans}
    return MARKER_PATTERN.sub(lambda m: by_number.get(int(m.group("number")), ""), text)


def verify(masked_output: str, spans: tuple[Span, ...] | list[Span]) -> list[Finding]:
    """Check a model output (still masked) against the spans it was given.

    Every span's marker must be present; no digit may appear outside a marker, because every digit
    of the draft was inside one: a digit the model wrote itself is a number, date or amount it made up.
    """
    present = {int(m.group("number")) for m in MARKER_PATTERN.finditer(masked_output)}
    findings = [Finding("missing_fact", s.text, s.kind) for s in spans if s.number not in present]
    unmarked = MARKER_PATTERN.sub(" ", masked_output)
    for match in re.finditer(r"[$€£¥]?\d(?:[.,:/-]?\d)*%?", unmarked):
        findings.append(Finding("added_fact", match.group(), "number"))
    return findings

