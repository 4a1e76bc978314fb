"""The fact guard: find the spans a rewrite must keep exactly, hide them from the model, put them back, check.

The model never sees an order number, an amount, a date, a link, a placeholder or a number word ("twice",
"the second payment"): each protected span is replaced by a numbered marker such as ``[3]`` before the
prompt is built, and restored after. Whatever the model does to the wording, it cannot alter a digit it
never saw. What it can still do is drop, repeat or invent a marker, or write a number of its own;
``verify`` reports each.

Two promises, each property-tested:

- ``restore(protect(x).masked, spans) == x`` for any text: the draft's own marker look-alikes ("see
  note [2]", "[[3]]", "⟦1⟧") are protected spans themselves, and a fact between square brackets ("[#12]")
  takes its brackets along, so that every marker in the masked text is one ``protect`` put there.
- ``restore`` never deletes text: a marker that names no span (one the model invented) stays as it was
  written, and ``verify`` reports it as ``invented_marker``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from importlib import resources

# The marker the model sees for protected span number N (1-based). Square brackets with a bare number
# read as a footnote-like reference, which small instruction models tend to copy as it is; the dev-set
# evaluation (bench/eval.py) measures how often they do.
MARKER_TEMPLATE = "[{}]"
# a marker as the template writes it, in a masked sentence
MARKER = re.compile(r"\[\d+\]")
# Restoring is tolerant of what models do to markers: doubled brackets, spaces inside. A doubled
# bracket counts only in pairs: in a Markdown link "[incident [1]](url)" the second "]" is the link's.
# (at most six digits: int() of a model's thousand-digit "[...]" would be slow or refused)
MARKER_PATTERN = re.compile(r"(?P<double>\[)?[\[⟦]\s*(?P<number>\d{1,6})\s*[\]⟧](?(double)\])")

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
    # the draft's own text that reads as a marker ("see note [2]", "[[3]]"): a span, so that it comes back as
    # it was written instead of being read as marker 2 (after code, whose backticks it never straddles)
    ("reference", MARKER_PATTERN),
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
    # documents every shop has, not facts of this draft: "Read the FAQ" may be left out like any lecture
    "faq", "faqs", "agb", "cgv", "tos",
}
_NAME_RULE_LANGUAGES_EXCLUDED = {"de"}
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""
_WORD = re.compile(r"\w")


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
    """Something the guard found wrong with a rewrite.

    ``code`` is ``missing_fact`` (a span's marker appears fewer times than in the draft, usually not at
    all), ``duplicated_fact`` (more times than in the draft), ``invented_marker`` (a marker that stands for
    no span; ``span`` is the marker as the model wrote it) or ``added_fact`` (a digit outside the markers:
    a number the model made up). ``found`` and ``expected`` count the marker in the rewrite and the draft.
    """

    code: str
    span: str
    kind: str
    found: int = 0
    expected: int = 0

    @property
    def message(self) -> str:
        if self.code == "missing_fact" and self.found == 0:
            return f"the rewrite does not contain {self.span!r} ({self.kind}) from the draft"
        if self.code == "missing_fact":
            return (f"the rewrite has {self.span!r} ({self.kind}) {_times(self.found)}, where the draft has it "
                    f"{_times(self.expected)}")
        if self.code == "duplicated_fact":
            return (f"the rewrite repeats {self.span!r} ({self.kind}): {_times(self.found)}, where the draft has it "
                    f"{_times(self.expected)}")
        if self.code == "invented_marker":
            return f"the rewrite has the marker {self.span}, which stands for nothing in the draft"
        return f"the rewrite adds {self.span!r}, which is not in the draft"


def _times(count: int) -> str:
    return {0: "no time", 1: "once", 2: "twice"}.get(count, f"{count} times")


# -- number words ("twice", "the second payment"), from data/number_words.toml ---------------------------

@functools.cache
def _number_word_tables() -> dict[str, tuple[list[str], list[str]]]:
    """Per language: (number words and phrases, phrases to ignore)."""
    data = tomllib.loads((resources.files("kindreply") / "data" / "number_words.toml").read_text(encoding="utf-8"))
    tables = {}
    for code, table in data.items():
        words = [w for key, values in table.items() if key != "ignore" for w in values]
        tables[code] = (words, list(table.get("ignore", [])))
    return tables


def _alternation(phrases: list[str]) -> str:
    # longest first, so that "half a dozen" wins over "half"; the words of a phrase may be spaced freely
    unique = sorted({p.lower() for p in phrases}, key=lambda p: (-len(p), p))
    return "|".join(r"\s+".join(re.escape(word) for word in p.split()) for p in unique)


@functools.cache
def _number_word_patterns(language: str | None) -> tuple[re.Pattern, re.Pattern | None] | None:
    """The number-word pattern and the ignore pattern of a language (all languages when it is unknown);
    None for a language without a table."""
    tables = _number_word_tables()
    chosen = [tables[language]] if language in tables else list(tables.values()) if language is None else []
    if not chosen:
        return None
    words = _alternation([w for table, _ in chosen for w in table])
    ignored = [p for _, ignore in chosen for p in ignore]
    # whole words only ("one" in "no one", never in "anyone"); neighbours joined by spaces or a hyphen
    # ("three hundred", "twenty-one") are one span
    word = rf"(?:{words})(?!\w)"
    pattern = re.compile(rf"(?<!\w){word}(?:(?:[ \t]+|-){word})*", re.I)
    return pattern, re.compile(rf"(?<!\w)(?:{_alternation(ignored)})(?!\w)", re.I) if ignored else None


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
    # every digit is in a span, also where no pattern above saw a number ("Nº12345", "é5", "¹0"): the whole
    # word around it, so that the model never sees a digit of the draft
    for match in re.finditer(r"\d", text):
        start = end = match.start()
        if covered[start]:
            continue
        while start > 0 and not covered[start - 1] and _WORD.match(text[start - 1]):
            start -= 1
        while end + 1 < len(text) and not covered[end + 1] and _WORD.match(text[end + 1]):
            end += 1
        take(start, end + 1, "number")
    # number words after names: "Plan Two" is a name, a sentence's "Three" a number
    if patterns := _number_word_patterns(language):
        words, ignore = patterns
        ignored = bytearray(len(text))
        for match in ignore.finditer(text) if ignore else ():
            ignored[match.start():match.end()] = b"\1" * (match.end() - match.start())
        for match in words.finditer(text):
            start, end = match.span()
            if free(start, end) and not any(ignored[start:end]):
                take(start, end, "number_word")
    # a span between square brackets ("[#12]") takes them along: "[" + marker + "]" would read as a doubled
    # marker, and the brackets would be lost when it is restored
    spans = []
    for start, end, kind in sorted(taken):
        while start > 0 and end < len(text) and text[start - 1] == "[" and text[end] == "]" \
                and not covered[start - 1] and not covered[end]:
            covered[start - 1] = covered[end] = 1
            start, end = start - 1, end + 1
        spans.append((start, end, kind))
    return spans


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


def remask(text: str, spans: tuple[Span, ...] | list[Span]) -> str:
    """``text`` (a phrase of the draft, as written) with each protected span put back as its marker: what
    ``restore`` undoes. Longest spans first, so "3 May 2025" is not masked as "3"."""
    # one pass, so that a marker put in is never masked again ("one" → "[2]", then "2" → "[[1]]"), and a span
    # that is a word is masked only as a whole word ("one", not inside "someone")
    ordered = sorted((span for span in spans if span.text), key=lambda s: len(s.text), reverse=True)
    if not ordered:
        return text
    markers = {span.text: span.marker for span in reversed(ordered)}
    pattern = "|".join((r"(?<!\w)" if span.text[0].isalnum() else "") + re.escape(span.text)
                       + (r"(?!\w)" if span.text[-1].isalnum() else "") for span in ordered)
    return re.sub(pattern, lambda match: markers[match.group()], text)


def restore(text: str, spans: tuple[Span, ...] | list[Span]) -> str:
    """Put the original span back for every marker.

    A marker that names no span (the model invented it) is left exactly as it was written, never deleted:
    deleting it would leave a hole in the sentence that no check could see. ``verify`` reports it as
    ``invented_marker``, so a rewrite that has one is not used.
    """
    by_number = {span.number: span.text for span in spans}
    return MARKER_PATTERN.sub(lambda m: by_number.get(int(m.group("number")), m.group()), text)


def verify(masked_output: str, masked_source: str, spans: tuple[Span, ...] | list[Span]) -> list[Finding]:
    """Check a model output (still masked) against the masked draft it was given and the draft's spans.

    Each span's marker must appear in the output exactly as many times as in ``masked_source``: fewer is a
    ``missing_fact``, more a ``duplicated_fact``. A marker that names no span is an ``invented_marker``. No
    digit may appear outside a marker, because every digit of the draft was inside one: a digit the model
    wrote itself is a number, date or amount it made up (``added_fact``). Number words the model writes
    itself ("two days") are not reported: "one" and "first" are too common in ordinary wording.
    """
    expected = Counter(int(m.group("number")) for m in MARKER_PATTERN.finditer(masked_source))
    found: Counter[int] = Counter()
    written: dict[int, str] = {}
    for match in MARKER_PATTERN.finditer(masked_output):
        number = int(match.group("number"))
        found[number] += 1
        written.setdefault(number, match.group())
    findings = []
    for span in spans:
        want, got = expected[span.number], found[span.number]
        if got < want:
            findings.append(Finding("missing_fact", span.text, span.kind, got, want))
        elif got > want:
            findings.append(Finding("duplicated_fact", span.text, span.kind, got, want))
    known = {span.number for span in spans}
    for number, marker in written.items():
        if number not in known:
            findings.append(Finding("invented_marker", marker, "marker", found[number], 0))
    unmarked = MARKER_PATTERN.sub(" ", masked_output)
    for match in re.finditer(r"[$€£¥]?\d(?:[.,:/-]?\d)*%?", unmarked):
        findings.append(Finding("added_fact", match.group(), "number"))
    return findings

