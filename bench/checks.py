"""Independent automatic checks of a rewrite against its draft.

Written apart from the pipeline on purpose: this module imports nothing from ``kindreply`` (standard library
only), so it does not share the pipeline's segmenter, fact guard or tone lexicon, nor their blind spots.

Each check takes the draft and the rewrite (and what else it needs) and returns a list of findings, one
readable string each; an empty list means the check found nothing. ``check(case, rewrite)`` runs them all on
one dev-set case, ``summarise(rows)`` adds them up over a run, with the repetition of openers and closings
that only shows across many replies.

    python3 bench/checks.py bench/results/eval-dev.json      # the checks over a saved evaluation run

The checks are heuristics over surface text, with the blind spots written next to each; they flag what a
reader should look at, they do not prove a rewrite right.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

# --------------------------------------------------------------------------------------------------------
# Text: HTML to visible text, protected spans, sentences, clauses, words
# --------------------------------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote",
               "pre", "section", "article", "header", "footer", "dd", "dt"}


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hrefs: list[str] = []
        self.code: list[str] = []
        self._in_code = 0
        self._code_buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag in ("p", "div", "ul", "ol", "table", "pre", "blockquote") else "\n")
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("mailto:"):
                href = href[len("mailto:"):]
            if href:
                self.hrefs.append(href)
        if tag == "code":
            self._in_code += 1

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag in ("p", "div", "ul", "ol", "table", "pre", "blockquote") else "\n")
        if tag == "code" and self._in_code:
            self._in_code -= 1
            if not self._in_code:
                self.code.append("".join(self._code_buf))
                self._code_buf = []

    def handle_data(self, data):
        self.parts.append(data)
        if self._in_code:
            self._code_buf.append(data)


def _parse_html(text: str) -> _Visible:
    parser = _Visible()
    parser.feed(text)
    parser.close()
    return parser


def visible(text: str, fmt: str = "text") -> str:
    """The text a reader sees: for HTML, tags out, entities decoded, blocks and <br> as line breaks."""
    if fmt != "html":
        return text.replace("\r\n", "\n")
    raw = "".join(_parse_html(text).parts)
    lines = [line.strip() for line in raw.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_FENCED = re.compile(r"```[\s\S]*?```")
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\$\{[^}\n]*\}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _clean_url(url: str) -> str:
    url = url.rstrip(".,;:!?»”’'")
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(".,;:!?")
    return url


def _protected(text: str, fmt: str, fill: str | None = None) -> tuple[dict[str, list[str]], str]:
    """Code, placeholders, URLs and emails of a text, and its visible text with them blanked out (so that the
    digits inside a URL are not read as numbers): by spaces, or by ``fill`` once per span (holes use a
    one-letter stand-in, so that a blanked URL does not look like a double space)."""
    vis = visible(text, fmt)
    found: dict[str, list[str]] = {"code": [], "placeholder": [], "url": [], "email": []}
    if fmt == "html":
        parsed = _parse_html(text)
        found["code"] += [c for c in parsed.code if c.strip()]
        for href in parsed.hrefs:
            if _EMAIL.fullmatch(href):
                found["email"].append(href)
            elif _URL.match(href):
                found["url"].append(_clean_url(href))
    rest = vis
    for kind, pattern in (("code", _FENCED), ("code", _INLINE_CODE), ("placeholder", _PLACEHOLDER),
                          ("url", _URL), ("email", _EMAIL)):
        def blank(match, kind=kind):
            value = _clean_url(match.group(0)) if kind == "url" else match.group(0)
            found[kind].append(value)
            return fill if fill is not None else " " * len(match.group(0))
        rest = pattern.sub(blank, rest)
    if fmt == "html":  # code of <code> elements is blanked too
        for snippet in found["code"]:
            rest = rest.replace(snippet, fill if fill is not None else " " * len(snippet))
    return found, rest


_ABBREVIATIONS = {"e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "no", "nr", "st", "approx", "vs", "z.b", "bzw",
                  "ca", "inc", "ltd", "jr", "sr", "p.s", "u.a", "d.h", "evtl", "ggf", "sra", "sr", "av", "tel",
                  "mme", "mlle", "cf", "env", "fig", "ref", "dept", "art"}
_MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
           "octubre", "noviembre", "diciembre"],
    "de": ["januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
}
_MONTH_ABBR = ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
_ALL_MONTHS = sorted({m for ms in _MONTHS.values() for m in ms}, key=len, reverse=True)
_MONTH_RE = "(?:" + "|".join(_ALL_MONTHS) + "|(?:" + "|".join(_MONTH_ABBR) + r")\.?)"
_SPLIT = re.compile(r"[.!?…]+[\"'”»)\]]*\s+(?=[¿¡\"“«(\[]?[A-ZÀ-ÖØ-Þ0-9{$`])")


def sentences(text: str) -> list[str]:
    """Sentences of plain text: every line break ends one; inside a line, ., ! or ? followed by a capital,
    a digit or an opening mark, unless the word before is a known abbreviation or a day number before a
    month name ("am 15. Mai")."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        start = 0
        for match in _SPLIT.finditer(line):
            before = line[start:match.start()]
            last = re.findall(r"[\w.]+$", before)
            last_word = last[0].lower().rstrip(".") if last else ""
            if last_word in _ABBREVIATIONS:
                continue
            after = line[match.end():]
            if re.fullmatch(r"\d{1,2}", last_word) and re.match(_MONTH_RE + r"\b", after, re.I):
                continue
            out.append(line[start:match.end()].strip())
            start = match.end()
        tail = line[start:].strip()
        if tail:
            out.append(tail)
    return out


_CLAUSE_SPLIT = re.compile(r"\s*(?:;|:(?=\s)|\s[–—-]\s|,\s+)\s*")


def clauses(sentence: str) -> list[str]:
    """A sentence cut at ; : dashes and commas followed by a space (not the comma of 2,500)."""
    return [c for c in _CLAUSE_SPLIT.split(sentence) if c.strip()]


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.U)


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _fold(text: str) -> str:
    return " ".join(text.split())


def guess_language(text: str) -> str:
    """en, es, de or fr, by counting a few very common words (a case normally names its language)."""
    marks = {
        "en": {"the", "you", "your", "we", "is", "and", "to", "of", "our", "please", "it", "be"},
        "es": {"el", "la", "de", "que", "su", "los", "por", "para", "con", "es", "le", "usted", "no", "se"},
        "de": {"der", "die", "das", "und", "ist", "sie", "ihr", "ihre", "wir", "nicht", "mit", "den", "für"},
        "fr": {"le", "la", "les", "de", "vous", "votre", "nous", "est", "pas", "des", "pour", "une", "et"},
    }
    tokens = words(text)
    scores = {lang: sum(t in m for t in tokens) for lang, m in marks.items()}
    return max(scores, key=scores.get) if any(scores.values()) else "en"


_TO_A_MODEL = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:instructions?|rules|guidelines|prompt|above)\b|"
    r"\b(?:system\s*prompt|developer\s+mode|system\s+message|language\s+model|(?:to|dear|hey)\s+(?:the\s+)?ai\b|chatgpt|"
    r"your\s+(?:prompt|rewriting\s+rules|guidelines)|rewriting\s+tool|rewriter|the\s+model)\b|^\W*#+\s*instruction|"
    r"</?draft>|"
    r"^\s*(?:system|assistant|ai|dear\s+ai|note\s+to\s+the\s+ai[^:]*)\s*[:,]|\[/?inst\]|"
    r"\b(?:ignora|olvida)\b[^.!?\n]{0,40}\b(?:instrucciones|reglas)\b|"
    r"\b(?:ignoriere|vergiss)\b[^.!?\n]{0,40}\b(?:anweisungen|regeln)\b|"
    r"\b(?:ignore|oublie)\b[^.!?\n]{0,40}\b(?:instructions|consignes)\b",
    re.I)


_AGENT_REFERENCE = re.compile(r"\b(?:I|we)\s+(?:sent|gave|wrote|mentioned|emailed)\b|\b(?:e-?mail|earlier|manual|"
                              r"page\s+\d+|setup\s+instructions|instructions\s+(?:below|above|attached))\b", re.I)


def without_model_instructions(text: str) -> str:
    """The text less its sentences that speak to an AI model about its instructions ("Ignore all previous
    instructions and…"): the pipeline leaves those out, so their facts are not owed. A sentence that speaks of
    an earlier email, the manual or instructions the agent sent is the agent talking and stays ("Please
    ignore the setup instructions I sent earlier")."""
    kept_lines = []
    for line in text.split("\n"):
        kept = [s for s in sentences(line) if not (_TO_A_MODEL.search(s) and not _AGENT_REFERENCE.search(s))]
        kept_lines.append(" ".join(kept))
    return "\n".join(kept_lines)


# --------------------------------------------------------------------------------------------------------
# holes
# --------------------------------------------------------------------------------------------------------

_UNITS = (r"(?:(?:business|working|calendar|banking)\s+)?(?:days?|hours?|minutes?|mins?|seconds?|weeks?|months?|"
          r"years?|percent|per\s*cent|euros?|dollars?|pounds?|kg|gb|mb|times|attempts?|items?|licen[cs]es?|seats?|"
          r"users?|días|horas|minutos|semanas|meses|años|tage[n]?|stunden|minuten|wochen|monate[n]?|jahre[n]?|"
          r"jours|heures|minutes|semaines|mois|ans)")
_PREPS = (r"(?:within|in|for|after|of|to|at|on|by|from|until|about|around|over|under|than|up\s+to|every|"
          r"en|de|dentro\s+de|durante|después\s+de|innerhalb|in|nach|von|binnen|sous|dans|après|pendant|d'ici)")
_NUM_WORD_ANY = ""  # set below, after the number words (read at call time)
_END_WORDS = {
    "en": {"a", "an", "the", "of", "at", "from", "within", "until", "between", "via", "per", "than", "and", "or",
           "but", "your", "our", "my"},
    "es": {"el", "la", "los", "las", "un", "una", "de", "del", "al", "en", "para", "por", "con", "sin", "a", "y",
           "o", "su", "sus"},
    "de": {"den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "von", "bis", "für", "zum", "zur",
           "beim", "vom", "und", "oder", "ihr", "ihre", "ihren", "ihrem", "unser", "unsere"},
    "fr": {"le", "la", "les", "un", "une", "des", "du", "de", "au", "aux", "à", "pour", "avec", "sans", "sur",
           "chez", "et", "ou", "votre", "vos", "notre", "nos"},
}
_TO_VERBS = {"want", "wants", "wanted", "need", "needs", "needed", "have", "has", "had", "like", "love", "going",
             "able", "unable", "wish", "how", "ought", "used", "plan", "happy", "glad", "pleased", "free", "try",
             "tried", "allowed", "supposed", "due", "sure", "hoping", "hope", "asked", "ask", "meant", "trying",
             "choose", "chose", "decide", "decided", "prefer", "agreed", "expect", "expected", "welcome", "is"}


def _around(line: str, m: re.Match) -> str:
    """The hole with the word on each side of it: enough to read it, and the same wherever it sits."""
    before = re.search(r"\S*\s*$", line[:m.start()]).group(0)
    after = re.match(r"\s*\S*", line[m.end():]).group(0)
    return (before + m.group(0) + after).strip()


def _hole_spots(text: str, fmt: str, language: str) -> list[str]:
    """Holes of one text, each as 'kind: snippet' (the snippet lets a draft's own holes be told apart)."""
    _, rest = _protected(text, fmt, fill="X")
    spots: list[str] = []
    for line in rest.split("\n"):
        for m in re.finditer(r"(?<=\S) {2,}(?=\S)", line):
            spots.append(f"double space: {_around(line, m)!r}")
        punct = r"[,.;:!?)]" if language != "fr" else r"[,.)]"
        for m in re.finditer(r"(?<=[\w%€$£\"'”)\]])\s+(" + punct + r")(?=\s|$|[^\w])", line):
            spots.append(f"space before punctuation: {_around(line, m)!r}")
        for m in re.finditer(r"[,;:]\s*[.!?,;]|(?<![.])\.\s*[,;]", line):
            spots.append(f"stray punctuation: {_around(line, m)!r}")
        for m in re.finditer(r"\(\s+(?=\w)", line):
            spots.append(f"space after bracket: {_around(line, m)!r}")
        for m in re.finditer(r"\(\s*[,.;:]?\s*\)|\[\s*\]|\{\s*\}|“\s*”|«\s*»|\"\s*\"|‘\s*’", line):
            spots.append(f"empty brackets: {_around(line, m)!r}")
        for m in re.finditer(r"[$€£](?!\s?\d)", line):
            if not re.search(r"\d\s?$", line[:m.start()]):
                spots.append(f"currency sign without an amount: {_around(line, m)!r}")
        for m in re.finditer(r"(?<![\w-])-(?:day|hour|minute|week|month|year|night)s?\b", line, re.I):
            spots.append(f"hyphenated unit without its number: {_around(line, m)!r}")
        for m in re.finditer(r"\b(of|at|from|within|until|between|via|per|de|à|para|von|bis|zum|zur)\s*([,;:)])|"
                             r"\b(to|on)\s*([,;)])", line, re.I):
            spots.append(f"preposition before punctuation: {_around(line, m)!r}")
    for sentence in sentences(rest):
        stripped = sentence.rstrip()
        if not re.search(r"[.!?]$", stripped):
            continue  # a line without end punctuation (a list item, a sign-off) is not judged
        tokens = re.findall(r"(?:(?<=\s)|^)([^\W\d_]+)(?=\s*[.!?]+$)", stripped)
        if not tokens:
            continue
        last = tokens[-1].lower()
        before = words(stripped)[-2:-1]
        ends = _END_WORDS.get(language, _END_WORDS["en"])
        if last in ends or (language == "en" and last == "to" and not (before and before[0] in _TO_VERBS)):
            spots.append(f"sentence ends in {last!r}: {_fold(stripped[-40:])!r}")
    return spots


def _number_unit_pairs(text: str) -> set[tuple[str, str]]:
    number = r"(?:\d[\d.,:/-]*|" + _NUM_WORD_ANY + r")"
    pairs = set()
    for m in re.finditer(r"\b(" + _PREPS + r")\s+(?:the\s+next\s+|the\s+|los\s+|den\s+|les\s+)?" + number +
                         r"(?:\s*(?:-|to|or|and|a|bis|à|o|y)\s*" + number + r")?\s+(" + _UNITS + r")\b",
                         text, re.I):
        pairs.add((" ".join(m.group(1).lower().split()), " ".join(m.group(2).lower().split())))
    return pairs


def holes(draft: str, rewrite: str, fmt: str = "text", language: str = "en") -> list[str]:
    """Gaps a removed or badly joined piece leaves: double spaces, a space before punctuation, empty brackets,
    a currency sign or a '-day' without its number, a preposition right before punctuation, a unit left
    behind its preposition once the number went ("within days" where the draft said "within 3 days"), and a
    sentence ending in an article or preposition. Holes the draft itself has are not counted.

    Blind spots: a hole that reads as grammatical ("within days" where the draft said "within days" too, or
    a clause that lost its object but still ends in a noun); sentences ending in "for", "with", "in", "on",
    "up" (too often correct to flag); "to" at the end after a verb that takes it ("if you'd like to.")."""
    draft_spots = set(_hole_spots(draft, fmt, language))
    findings = [s for s in _hole_spots(rewrite, fmt, language) if s not in draft_spots]
    _, draft_rest = _protected(draft, fmt)
    _, rewrite_rest = _protected(rewrite, fmt)
    for prep, unit in _number_unit_pairs(draft_rest):
        pattern = r"\b" + r"\s+".join(map(re.escape, prep.split())) + r"\s+(?:the\s+)?" + \
                  r"\s+".join(map(re.escape, unit.split())) + r"\b"
        for m in re.finditer(pattern, rewrite_rest, re.I):
            findings.append(f"number missing before its unit: {_fold(rewrite_rest[max(0, m.start() - 20):m.end() + 10])!r}")
    return findings


# --------------------------------------------------------------------------------------------------------
# facts
# --------------------------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "en": ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
           "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty",
           "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "dozen", "twice",
           "thrice", "half", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
           "eleventh", "twelfth", "twentieth", "hundredth"],
    "es": ["dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce", "quince",
           "veinte", "treinta", "cuarenta", "cincuenta", "cien", "ciento", "mil", "docena", "segundo", "segunda",
           "tercer", "tercero", "tercera", "quinto", "quinta", "medio", "media"],
    "de": ["zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf", "zwanzig",
           "dreißig", "hundert", "tausend", "zweimal", "dreimal", "viermal", "fünfmal", "dutzend", "zweite",
           "zweiten", "zweiter", "zweites", "dritte", "dritten", "dritter", "drittes", "vierte", "vierten", "halb",
           "halbe", "halben"],
    "fr": ["deux", "trois", "quatre", "cinq", "six", "sept", "huit", "dix", "onze", "douze", "quinze", "vingt",
           "trente", "quarante", "cinquante", "cent", "mille", "douzaine", "deuxième", "troisième", "quatrième",
           "cinquième", "demi", "demie"],
}
# "first"/"primer"/"premier"/"erste" only count as a number after a determiner ("the first payment"), since
# "First, restart the router" is a discourse marker; "one", "un", "uno", "ein" and "once" are left out
# (articles and conjunctions far more often than numbers).
_FIRST = {
    "en": r"\b(?:the|your|our|my|his|her|their|this|a|its)\s+(first)\b",
    "es": r"\b(?:el|la|su|sus|los|las|este|esta|mi)\s+(primer|primera|primero)\b",
    "de": r"\b(?:der|die|das|den|dem|des|ihr|ihre|ihren|ihrem|unser|unsere|am|im|zum|zur|beim)\s+(erste|ersten|erster|erstes)\b",
    "fr": r"\b(?:le|la|les|votre|vos|notre|nos|ce|cette|du|au)\s+(premier|première|premiers|premières)\b",
}
_NUM_WORD_ANY = "(?:" + "|".join(sorted({w for ws in _NUMBER_WORDS.values() for w in ws}, key=len, reverse=True)) + ")"
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "lunes", "martes",
             "miércoles", "jueves", "viernes", "sábado", "domingo", "montag", "dienstag", "mittwoch", "donnerstag",
             "freitag", "samstag", "sonntag", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
             "dimanche"]
_RELATIVE_DAYS = ["today", "tomorrow", "yesterday", "tonight", "noon", "midnight", "hoy", "ayer", "heute",
                  "gestern", "aujourd'hui", "demain", "hier"]
_DATE_PATTERNS = [
    r"\b\d{1,2}(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?" + _MONTH_RE + r"(?:\s+(?:de\s+)?\d{4})?(?![\w])",
    r"\b" + _MONTH_RE + r"\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?",
    r"\b" + _MONTH_RE + r"\s+\d{4}\b",
]
_DIGITS = re.compile(r"\d+(?:[.,:/]\d+)*")
_CODE_TOKEN = re.compile(r"(?<![\w-])#?[A-Za-z0-9]+(?:[-./_][A-Za-z0-9]+)*(?![\w-])")


def _codes(text: str) -> list[str]:
    out = []
    for m in _CODE_TOKEN.finditer(text):
        token = m.group(0).lstrip("#").rstrip(".")
        # a code has a digit and a capital (AB-1234, 1Z999AA1…), or starts with a letter (v3.8); "30-day",
        # "2fa" are numbers with a word attached
        if not (re.search(r"\d", token) and (re.search(r"[A-Z]", token) or re.match(r"[a-z]", token))):
            continue
        if re.fullmatch(r"\d+[a-zà-ÿ]{1,3}|\d+h\d+", token):  # 9am, 3rd, 1er, 30s, 7h12: a number, not a code
            continue
        out.append(token)
    return out


def _dates(text: str, language: str) -> list[str]:
    found = []
    for pattern in _DATE_PATTERNS:
        found += [_fold(m.group(0)).lower() for m in re.finditer(pattern, text, re.I)]
    lowered = text.lower()
    months = [m for m in _MONTHS.get(language, _MONTHS["en"]) if m != "may"]
    for name in months + _WEEKDAYS + _RELATIVE_DAYS:
        if re.search(r"(?<![\w'])" + re.escape(name) + r"(?![\w'])", lowered):
            found.append(name)
    return found


def _number_words(text: str, language: str) -> list[str]:
    lowered = text.lower()
    found = [m.group(1) for m in re.finditer(_FIRST.get(language, _FIRST["en"]), lowered)]
    for word in _NUMBER_WORDS.get(language, _NUMBER_WORDS["en"]):
        found += [word] * len(re.findall(r"(?<![\w'-])" + re.escape(word) + r"(?![\w'-])", lowered))
    return found


def fact_inventory(text: str, fmt: str = "text", language: str = "en") -> dict[str, list[str]]:
    """Every fact this module knows how to find in a text, by kind."""
    found, rest = _protected(text, fmt)
    rest = re.sub(r"(?m)^\s*\d{1,2}[.)]\s", "   ", rest)  # the numbers of a numbered list are not facts
    return {**found, "code_token": _codes(rest), "number": _DIGITS.findall(rest), "date": _dates(rest, language),
            "number_word": _number_words(rest, language)}


def facts(draft: str, rewrite: str, fmt: str = "text", language: str = "en", customer_message: str = "") -> list[str]:
    """Every number, date-like token (day and month, month and year, weekday, today/tomorrow), URL, email,
    placeholder ({{…}}, {%…%}, ${…}), backticked or <code> code, code-like token (AB-1234, INV-2024-0387) and
    number word or ordinal ("three", "twice", "a dozen", "the second") of the draft must be in the rewrite;
    and the rewrite must bring no number, number word or code of its own (one taken from the customer's
    message is still new, and said so: the agent did not state it). Codes, URLs, emails, placeholders
    and code compare exactly; month names, weekdays and number words ignore case (a shouted draft's "3 JUNE"
    may become "3 June"). Digits compare as digit groups: "2,500.00" must stay "2,500.00".

    Blind spots: "one"/"once" and bare "first" are not counted (too often not numbers); a number moved to
    another noun ("3 days" becoming "3 weeks") passes as long as the digits are there; a fact spelt out
    differently ("9am" as "9 a.m.", "March 14" for "14 March") is reported missing; names of people, products
    and places are not facts to this check."""
    d = fact_inventory(draft, fmt, language)
    r = fact_inventory(rewrite, fmt, language)
    c = fact_inventory(customer_message, "text", language) if customer_message else {}

    def origin(kind: str, value: str) -> str:
        return " (from the customer's message)" if value in c.get(kind, []) else ""

    rewrite_vis = visible(rewrite, fmt)
    rewrite_all = rewrite + "\n" + rewrite_vis
    findings: list[str] = []
    for kind in ("url", "email", "placeholder", "code"):
        for value in dict.fromkeys(d[kind]):
            inner = value.strip("`")
            if value not in rewrite_all and not (kind == "code" and inner in rewrite_all):
                findings.append(f"missing {kind}: {value!r}")
    for kind in ("code_token", "number"):
        have = Counter(r[kind])
        for value, count in Counter(d[kind]).items():
            if have[value] < 1:
                findings.append(f"missing {kind.replace('_', ' ')}: {value!r}")
        for value in dict.fromkeys(r[kind]):
            if value not in d[kind] and not any(value in other for other in d[kind] + d["code_token"]):
                findings.append(f"new {kind.replace('_', ' ')}: {value!r}{origin(kind, value)}")
    have_dates = set(r["date"])
    for value in dict.fromkeys(d["date"]):
        if value not in have_dates:
            findings.append(f"missing date: {value!r}")
    have_words = Counter(r["number_word"])
    for value in dict.fromkeys(d["number_word"]):
        if have_words[value] < 1:
            findings.append(f"missing number word: {value!r}")
    for value in dict.fromkeys(r["number_word"]):
        if value not in d["number_word"]:
            findings.append(f"new number word: {value!r}{origin('number_word', value)}")
    return findings


# --------------------------------------------------------------------------------------------------------
# greeting and sign-off
# --------------------------------------------------------------------------------------------------------

_GREETING_WORD = (r"(?:hi|hello|hey|hiya|dear|good\s+(?:morning|afternoon|evening)|greetings|hola|"
                  r"buen(?:os|as)\s+(?:días|tardes|noches)|estimad[oa]s?|querid[oa]s?|hallo|"
                  r"guten\s+(?:tag|morgen|abend)|liebe[rs]?|sehr\s+geehrte[rs]?|moin|servus|bonjour|bonsoir|"
                  r"salut|cher|chère|chers|chères|madame|monsieur)")
_GREETING = re.compile(r"^" + _GREETING_WORD + r"\b[^,:!.\n]{0,60}[,:!.]", re.I)
_GREETING_LINE = re.compile(r"^" + _GREETING_WORD + r"\b[^\n]{0,60}$", re.I)
_PLACEHOLDER_GREETING = re.compile(r"^(?:\{\{[^}]*\}\}|\{%[^%]*%\}|\$\{[^}]*\})\s*[,:!]")
_BARE_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*){0,2}\s*,$")
_CLOSINGS = (r"(?:best|best\s+regards|best\s+wishes|kind\s+regards|kindest\s+regards|warm\s+regards|warmly|"
             r"regards|many\s+thanks|thanks|thank\s+you|thanks\s+again|cheers|sincerely|yours\s+sincerely|"
             r"yours\s+truly|all\s+the\s+best|take\s+care|talk\s+soon|with\s+thanks|saludos|un\s+saludo|"
             r"un\s+cordial\s+saludo|saludos\s+cordiales|atentamente|cordialmente|gracias|muchas\s+gracias|"
             r"un\s+abrazo|viele\s+grüße|beste\s+grüße|liebe\s+grüße|freundliche\s+grüße|mit\s+freundlichen\s+grüßen|"
             r"mit\s+besten\s+grüßen|herzliche\s+grüße|schöne\s+grüße|mfg|vielen\s+dank|danke|cordialement|"
             r"bien\s+cordialement|très\s+cordialement|bien\s+à\s+vous|belle\s+journée|bonne\s+journée|"
             r"salutations|sincères\s+salutations|merci|merci\s+beaucoup|bien\s+amicalement|à\s+bientôt)")
_CLOSING_LINE = re.compile(r"^" + _CLOSINGS + r"\s*[,.!]?$", re.I)


def _lines(text: str, fmt: str) -> list[str]:
    return [line.strip() for line in visible(text, fmt).split("\n") if line.strip()]


def greeting_of(text: str, fmt: str = "text") -> str | None:
    """The greeting a text opens with: 'Hi {{…}},', 'Hello.', 'Dear team,', 'Hola Lucía:', a placeholder
    followed by a comma, or a bare name alone on its line ('Maria,')."""
    lines = _lines(text, fmt)
    if not lines:
        return None
    first = lines[0]
    # placeholders may hold dots ({{ticket.requester.first_name}}): match on a copy with them blanked
    masked = _PLACEHOLDER.sub(lambda m: "X" * len(m.group(0)), first)
    for pattern in (_GREETING, _PLACEHOLDER_GREETING):
        m = pattern.match(masked if pattern is _GREETING else first)
        if m:
            return first[:m.end()].strip()
    if _GREETING_LINE.match(first) and len(first.split()) <= 5 and not re.search(r"[.?]$", first):
        return first
    if _BARE_NAME.match(first) and len(lines) > 1:
        return first
    return None


def signoff_of(text: str, fmt: str = "text") -> list[str] | None:
    """The sign-off lines a text ends with: a closing line ('Best,', 'Viele Grüße') and up to three short
    lines after it (name, team, placeholder); or a '-Ana' line; or, after a greeting, a short last line with
    no end punctuation ('Carlos', 'Zoho Support')."""
    lines = _lines(text, fmt)
    if len(lines) < 2:
        return None
    for start in range(max(1, len(lines) - 4), len(lines)):
        if _CLOSING_LINE.match(lines[start]) and all(len(l.split()) <= 5 for l in lines[start + 1:]):
            return lines[start:]
    last = lines[-1]
    if re.match(r"^[-–—]\s*\S.{0,40}$", last):
        return [last]
    raw = visible(text, fmt).rstrip()
    if (greeting_of(text, fmt) and len(last.split()) <= 3 and not re.search(r"[.!?:;,]$", last)
            and re.search(r"\n\s*\n\s*" + re.escape(last) + r"$", raw) and re.search(r"[.!?]$", lines[-2])):
        return [last]
    return None


def greeting_order(draft: str, rewrite: str, fmt: str = "text") -> list[str]:
    """If the draft opens with a greeting, the rewrite opens with the same greeting, nothing before it; if
    the draft ends with a sign-off, the rewrite ends with the same lines, nothing after them. A greeting or
    sign-off the draft did not have is flagged too.

    Blind spots: a greeting that is not in the word list (e.g. "Yo,", "Namaste,") or a bare name of more than
    three words is not recognised; a sign-off of more than four lines, or a bare-name signature without a
    greeting above, is not recognised; the sign-off comparison ignores spacing and line breaks inside a line."""
    findings = []
    greeting = greeting_of(draft, fmt)
    rewrite_lines = _lines(rewrite, fmt)
    rewrite_text = "\n".join(rewrite_lines)
    if greeting:
        if not rewrite_lines or not _fold(rewrite_lines[0]).startswith(_fold(greeting)):
            if _fold(greeting) in _fold(rewrite_text):
                findings.append(f"text before the greeting {greeting!r}: {rewrite_lines[0][:60]!r}")
            else:
                findings.append(f"greeting changed or missing: {greeting!r}")
    else:
        added = greeting_of(rewrite, fmt)
        if added:
            findings.append(f"greeting added: {added!r}")
    signoff = signoff_of(draft, fmt)
    if signoff:
        tail = rewrite_lines[-len(signoff):]
        if [_fold(l) for l in tail] != [_fold(l) for l in signoff]:
            where = _fold(" ".join(signoff))
            if where in _fold(" ".join(rewrite_lines)):
                findings.append(f"text after the sign-off {' / '.join(signoff)!r}")
            else:
                findings.append(f"sign-off changed or missing: {' / '.join(signoff)!r}")
    else:
        added = signoff_of(rewrite, fmt)
        if added and not (greeting_of(rewrite, fmt) is None and len(added) == 1 and not _CLOSING_LINE.match(added[0])):
            findings.append(f"sign-off added: {' / '.join(added)!r}")
    return findings


def body_sentences(text: str, fmt: str = "text") -> list[str]:
    """Sentences of a text without its greeting and sign-off."""
    lines = _lines(text, fmt)
    greeting = greeting_of(text, fmt)
    if greeting and lines:
        lines[0] = _fold(lines[0])[len(_fold(greeting)):].strip()
    signoff = signoff_of(text, fmt)
    if signoff:
        lines = lines[:-len(signoff)]
    return sentences("\n".join(l for l in lines if l))


# --------------------------------------------------------------------------------------------------------
# decisions
# --------------------------------------------------------------------------------------------------------

_NEGATIONS = {
    "not", "never", "no", "none", "nothing", "nobody", "neither", "nor", "cannot", "unable", "without", "denied",
    "declined", "refused", "rejected", "impossible", "ineligible",
    "nunca", "jamás", "ningún", "ninguna", "ninguno", "nada", "nadie", "sin", "tampoco", "ni", "imposible",
    "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "nichts", "ohne", "weder",
    "unmöglich", "abgelehnt",
    "ne", "pas", "jamais", "rien", "aucun", "aucune", "sans",
}
# negations inside blame or dismissal idioms carry no decision: a good rewrite drops them
_HURT_IDIOMS = re.compile(
    r"not (?:my|our) (?:problem|fault|job|concern)|nothing (?:more )?(?:we|i) can do|no exceptions|"
    r"not rocket science|don't (?:email|ask|bother|blame|waste|expect)\b[^.,;]*|i'm not (?:going to )?repeat\w*|"
    r"not that hard|i don't make the rules|i don't know what else|i'm not going to explain[^.,:;]*|"
    r"you (?:probably |clearly |obviously |just |simply )?(?:didn't|did not|haven't|have not|weren't|never|failed to)"
    r"[^.,;:]*|nicht unser problem|mehr können wir nicht tun|no podemos hacer nada|(?:ce )?n'est pas notre "
    r"(?:problème|faute)|we're not a charity",
    re.I)
_STOP = {
    # en
    "a", "an", "the", "be", "is", "are", "was", "were", "been", "being", "am", "do", "does", "did", "have", "has",
    "had", "can", "could", "will", "would", "shall", "should", "may", "might", "must", "able", "to", "your", "our",
    "you", "we", "i", "it", "this", "that", "these", "those", "they", "them", "their", "any", "longer", "more",
    "for", "of", "in", "on", "at", "by", "with", "from", "also", "yet", "still", "currently", "unfortunately",
    "so", "as", "there", "here", "us", "me", "my", "its", "just", "only", "all", "get", "got", "anymore", "even",
    "and", "or", "but", "if", "than", "then", "since", "because", "which", "who", "what", "when", "where", "why",
    "how", "please", "yourself", "ourselves", "again", "now", "one", "way", "there's", "it's", "we're", "you're",
    "i'm", "we've", "i've", "we'll", "i'll", "you'll", "that's", "into", "about", "up", "out", "any", "other",
    # es
    "el", "la", "los", "las", "un", "una", "de", "del", "al", "en", "por", "para", "con", "su", "sus", "se", "le",
    "lo", "que", "es", "son", "está", "están", "ya", "y", "o", "hay", "podemos", "puede", "pueden", "usted",
    # de
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "es", "ist", "sind", "wir",
    "sie", "ihr", "ihre", "ihnen", "gibt", "können", "kann", "werden", "wird", "mehr", "leider", "und", "oder",
    "zu", "bei", "am", "im", "für", "mit", "noch", "schon", "da",
    # fr
    "le", "les", "des", "du", "au", "aux", "il", "elle", "nous", "vous", "votre", "vos", "notre", "nos", "est",
    "sont", "pouvons", "pouvez", "peut", "plus", "que", "qui", "ce", "cette", "et", "ou", "à", "y", "en",
}


_WEAK_NEGATIONS = {"without", "sin", "ohne", "sans"}  # counted in a rewrite, but not as a decision of a draft


def _is_negation(token: str, weak: bool = True) -> bool:
    if not weak and token in _WEAK_NEGATIONS:
        return False
    return (token in _NEGATIONS or token.endswith("n't") or token.startswith("n'") or token.startswith("non-"))


def _stem(word: str) -> str:
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(ch for ch in word if not unicodedata.combining(ch))
    for suffix in ("ability", "ibility", "ations", "ation", "ments", "ment", "able", "ible", "ings", "ing", "ions",
                   "ion", "ers", "er", "ed", "es", "s", "en", "e"):
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            word = word[:-len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word[:5]


def _same_stem(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def _negated_clauses(text: str) -> list[tuple[str, list[str]]]:
    """(clause, stems of the words the negation bears on) for each clause of the text with a negation."""
    out = []
    for sentence in sentences(text):
        for clause in clauses(sentence):
            cleaned = _HURT_IDIOMS.sub(" ", clause)
            tokens = words(cleaned)
            for i, token in enumerate(tokens):
                if not _is_negation(token, weak=False):
                    continue
                window = tokens[i + 1:i + 5] + tokens[max(0, i - 3):i]
                targets = [_stem(w) for w in window if w not in _STOP and not _is_negation(w) and len(w) > 2]
                out.append((clause, targets))
                break
    return out


def _negated_stems(text: str) -> list[set[str]]:
    out = []
    for sentence in sentences(text):
        for clause in clauses(sentence):
            tokens = words(clause)
            spots = [i for i, t in enumerate(tokens) if _is_negation(t)]
            if spots:
                stems = set()
                for i in spots:
                    stems |= {_stem(w) for w in tokens[max(0, i - 4):i + 7] if not _is_negation(w)}
                out.append(stems)
    return out


_IMPERATIVES = {
    "add", "ask", "attach", "bring", "call", "cancel", "change", "check", "choose", "claim", "clear", "click",
    "confirm", "contact", "copy", "deactivate", "delete", "disable", "download", "email", "enable", "enter",
    "export", "file", "fill", "follow", "forward", "free", "go", "install", "keep", "log", "mail", "make", "open",
    "pay", "pick", "post", "print", "provide", "quote", "read", "register", "reinstall", "reopen", "reply",
    "report", "request", "reset", "resend", "restart", "restore", "return", "run", "scan", "select", "send",
    "set", "sign", "submit", "switch", "take", "track", "try", "turn", "type", "unfreeze", "uninstall", "unplug",
    "update", "upgrade", "upload", "use", "verify", "visit", "wait", "write", "book", "rent", "apply", "drop",
    "ship", "pack", "print", "order", "remove", "refresh", "reboot", "tell", "let",
}
_GENERIC_VERBS = {"be", "have", "get", "go", "know", "see", "let", "help", "hope", "understand", "apologise",
                  "apologize", "thank", "appreciate", "want", "like", "need", "feel", "am", "are", "is", "was",
                  "were", "do", "did", "does", "been", "sorry", "happy", "glad", "look", "recommend", "suggest",
                  "think", "believe", "say", "said", "mean", "find", "found", "notice", "noticed", "note"}
_MODALS = (r"(?:will|can|could|must|should|may|might|would|shall|need\s+to|needs\s+to|have\s+to|has\s+to|"
           r"are\s+able\s+to|am\s+able\s+to|are\s+going\s+to|am\s+going\s+to|going\s+to|just|also|then|now|"
           r"please|still|only|already|kindly|can't|cannot|won't|don't|do\s+not|will\s+not|can\s+not|"
           r"couldn't|aren't\s+able\s+to|are\s+not\s+able\s+to|am\s+not\s+able\s+to|'re\s+not\s+able\s+to|"
           r"'m\s+not\s+able\s+to|'re\s+able\s+to|'m\s+able\s+to|'re\s+going\s+to|'m\s+going\s+to|"
           r"would\s+need\s+to|be\s+able\s+to|'d\s+need\s+to|personally|happily|gladly|certainly|immediately)")
_SUBJECT_EN = re.compile(r"\b(you|we|i)(?:'ll|'ve|'d|'re|'m)?\s+(?:" + _MODALS + r"\s+){0,3}([a-z]+)\b", re.I)
_BEFORE_SUBJECT = {"and", "so", "then", "if", "once", "when", "but", "or", "because", "as", "since", "now", "that",
                   "please", "where", "unless", "until", "before", "after", "otherwise", "meanwhile", "also",
                   "whether", "while", "here", "there", "today", "tomorrow", "still", "yes", "no", "ok", "okay"}
_HELP_YOU = re.compile(r"\bhelp\s+you\s+(?:to\s+)?([a-z]+)\b", re.I)


def _actions(text: str) -> dict[str, set[str]]:
    """verb stem -> who does it ('customer' or 'us'), from 'you/we/I [modal] VERB', 'please VERB',
    clause-opening imperatives, 'Sie VERB'/'Stellen Sie', 'vous/nous', '-ez' imperatives and '-emos' forms."""
    who: dict[str, set[str]] = {}

    def note(verb: str, actor: str):
        verb = verb.lower()
        if verb in _GENERIC_VERBS or verb in _STOP or _is_negation(verb) or len(verb) < 3:
            return
        who.setdefault(_stem(verb), set()).add(actor)

    for sentence in sentences(text):
        for clause in clauses(sentence):
            c = clause.strip()
            for m in _SUBJECT_EN.finditer(c):
                subject = m.group(1).lower()
                if subject == "you":  # "keep you updated", "send you": 'you' is an object there
                    before = words(c[:m.start()])[-1:]
                    if before and before[0] not in _BEFORE_SUBJECT:
                        continue
                note(m.group(2), "customer" if subject == "you" else "us")
            for m in _HELP_YOU.finditer(c):
                note(m.group(1), "customer")
            for m in re.finditer(r"\bplease\s+([a-z]+)\b", c, re.I):
                note(m.group(1), "customer")
            first = re.match(r"^(?:(?:please|kindly|just|then|and|simply|now)\s+)*([A-Za-z]+)\b", c, re.I)
            if first and first.group(1).lower() in _IMPERATIVES:
                note(first.group(1), "customer")
            # German, French, Spanish: the common shapes only
            for m in re.finditer(r"^(\w+)\s+Sie\b", c):
                note(m.group(1), "customer")
            if re.search(r"\bSie\s+(?:müssen|können|sollten|sollen|dürfen)\b", c):
                last = words(c)[-1:] or [""]
                note(last[0], "customer")
            if re.search(r"\b(?:wir|ich)\s+(?:müssen|können|werden|werde|sollten)\b", c, re.I):
                last = words(c)[-1:] or [""]
                note(last[0], "us")
            for m in re.finditer(r"\bvous\s+(?:pouvez|devez|allez)\s+(\w+)", c, re.I):
                note(m.group(1), "customer")
            for m in re.finditer(r"\bnous\s+(?:pouvons|allons|devons)\s+(\w+)", c, re.I):
                note(m.group(1), "us")
            first_fr = re.match(r"^([A-Za-zÀ-ÿ]+ez)\b", c)
            if first_fr:
                note(first_fr.group(1), "customer")
            for m in re.finditer(r"\b(?:tiene|debe|puede)\s+que\s+(\w+)|\b(?:debe|puede)\s+(\w+)", c, re.I):
                note(m.group(1) or m.group(2), "customer")
            for m in re.finditer(r"\b(?:podemos|vamos\s+a|debemos)\s+(\w+)", c, re.I):
                note(m.group(1), "us")
    return who


_COMMITMENT_EN = re.compile(
    r"\b(?:we|i)(?:'ll|\s+will|\s+shall|'re\s+going\s+to|\s+are\s+going\s+to|'m\s+going\s+to|\s+am\s+going\s+to)"
    r"\s+(?:(?:also|personally|immediately|now|gladly|definitely|certainly|then|still|happily)\s+)?"
    r"(?:make\s+sure\s+(?:to|that\s+\w+)\s+|be\s+sure\s+to\s+)?([a-z]+)\b", re.I)
_PROMISE = re.compile(r"\b(guarantee\w*|promise\w*|rest assured|make sure|ensure\w*|assure you|"
                      r"garanti\w*|prometemos|versprechen|garantieren)\b", re.I)
_COMMITMENT_OTHER = re.compile(
    r"\b(?:wir\s+werden|ich\s+werde|werden\s+wir|werde\s+ich)\b[^.;:]*?\b(\w+)\s*(?=[.;:,]|$)|"
    r"\b(?:nous\s+allons|je\s+vais)\s+(\w+)|\b(\w+rons)\b|\b(\w{3,}remos)\b|\b(?:vamos\s+a)\s+(\w+)", re.I)
_OFFERS = re.compile(r"\b(refund\w*|reimburs\w*|compensat\w*|credit\w*|discount\w*|voucher\w*|free of charge|"
                     r"waive\w*|replacement|reembols\w*|compensaci\w*|descuento\w*|gutschrift\w*|erstatt\w*|"
                     r"rembours\w*|dédommag\w*)\b", re.I)
_ALLOWED_BEFORE = {"will", "'ll", "ll", "shall", "going", "is", "are", "was", "were", "be", "been", "being",
                   "have", "has", "had", "'ve", "ve", "i", "we", "am", "'m", "m", "already", "also", "now",
                   "just", "today", "then"}


def _done_or_promised_in(draft: str, verb: str) -> bool:
    """Whether the draft has us doing the verb: future, present, passive or done ('will be reversed',
    'is refunded', 'I've credited', 'we book'); not 'we can X' or 'you X'."""
    target = _stem(verb)
    tokens = [t.replace("’", "'") for t in re.findall(r"[\w']+", draft.lower())]
    for i, token in enumerate(tokens):
        if not _same_stem(_stem(token), target):
            continue
        before = tokens[max(0, i - 3):i]
        expanded = set()
        for b in before:
            expanded.add(b)
            if "'" in b:
                head, tail = b.split("'", 1)
                expanded |= {head, "'" + tail, tail}
        if "can" in before[-1:] or "could" in before[-1:]:
            continue
        if expanded & _ALLOWED_BEFORE:
            return True
    return False


def decisions(draft: str, rewrite: str, fmt: str = "text") -> list[str]:
    """Decisions the draft makes must survive.

    - negation: each clause of the draft with a negation (not, n't, cannot, never, no, unable, denied…;
      nicht, kein; no, nunca; ne…pas) needs a negated clause in the rewrite bearing on the same verb or object
      (compared by stem, so "can't refund" is kept by "unable to issue a refund"). Negations inside blame or
      dismissal idioms ("not our problem", "you didn't read…", "don't ask again") are not decisions and are
      skipped; so is a negation with no content word near it ("No.").
    - who does what: a verb the draft gives the customer ("you can X", "please X", "X …" as an imperative)
      must not become ours in the rewrite ("we can X"), and the other way round.
    - new commitments: "we will / I'll / we're going to / I'll make sure" + a verb the draft does not already
      have us do (future, passive or done: "will be reversed", "is refunded", "I've credited"), and
      "guarantee", "promise", "ensure", and new refunds, credits, discounts or compensation the draft never
      mentioned.

    Blind spots: an inversion of a plain statement that has no negation ("we shipped the size you ordered"
    -> "we shipped the wrong size") is not caught, only lost negations are; a negation paraphrased by an
    antonym ("not deleted" as "safe") or a condition ("can't close while unpaid" as "can close once paid") is
    reported as lost; a kept negation on a different object in the same clause passes; who-does-what reads
    subjects from surface patterns (no parser), so passives ("the claim must be filed by you") and most
    Spanish and French verb forms go unseen; a commitment worded without will/'ll ("a technician is on the
    way") passes."""
    d_text, r_text = visible(draft, fmt), visible(rewrite, fmt)
    findings: list[str] = []
    rewrite_negated = _negated_stems(r_text)
    for clause, targets in _negated_clauses(d_text):
        if not targets:
            continue
        if not any(any(_same_stem(t, s) for s in stems) for t in targets for stems in rewrite_negated):
            findings.append(f"negation lost: {clause.strip()!r}")
    d_who, r_who = _actions(d_text), _actions(r_text)
    for stem, actors in d_who.items():
        if stem not in r_who or r_who[stem] & actors:
            continue
        was, now = ("the customer", "us") if actors == {"customer"} else ("us", "the customer")
        if actors == {"customer"} or actors == {"us"}:
            findings.append(f"who does it changed ({stem}…): {was} in the draft, {now} in the rewrite")
    for m in _COMMITMENT_EN.finditer(r_text):
        verb = m.group(1).lower()
        if verb in ("be", "help", "need", "have", "let", "still", "also") or verb in _STOP:
            continue
        # "I'll keep you updated" keeps the draft's "I'll update you": the verb or a word right after it will do
        following = [w for w in words(r_text[m.end():m.end() + 40])[:3] if w not in _STOP and len(w) > 3]
        if not any(_done_or_promised_in(d_text, w) for w in [verb] + following):
            findings.append(f"new commitment: {_fold(r_text[m.start():m.end() + 30])!r}")
    for m in _COMMITMENT_OTHER.finditer(r_text):
        verb = next(g for g in m.groups() if g)
        if re.match(r"(?:ayud|aide|helf|contact|kontakt|serons|seremos|estaremos|sein\b)", verb, re.I):
            continue  # an offer of help, not a commitment to an action
        if not re.search(r"\b" + re.escape(_stem(verb)[:4]), d_text.lower()):
            findings.append(f"new commitment: {_fold(r_text[m.start():m.end() + 20])!r}")
    for m in _PROMISE.finditer(r_text):
        if not re.search(re.escape(m.group(1)[:5]), d_text, re.I):
            findings.append(f"new promise: {_fold(r_text[max(0, m.start() - 10):m.end() + 30])!r}")
    draft_offers = {_stem(o) for o in _OFFERS.findall(d_text)}
    for sentence in sentences(r_text):
        for clause in clauses(sentence):
            tokens = words(clause)
            if any(_is_negation(t) for t in tokens):
                continue
            if not re.search(r"\b(?:we|i|we'll|i'll|we've|i've|we're|i'm|our|you'll|you\s+will|you\s+get|"
                             r"you\s+receive|wir|ich|nous|je|j'ai|le|les|hemos|he)\b", clause, re.I):
                continue  # an offer has us giving it, or the customer receiving it
            if re.search(r"\b(?:understand|sorry|know|hear|asked|want|wanted|request\w*|hoping|expect\w*|"
                         r"entiendo|verstehe|comprends)\b", clause, re.I):
                continue  # the customer's request acknowledged, not an offer
            for offer in _OFFERS.findall(clause):
                if not any(_same_stem(_stem(offer), s) for s in draft_offers):
                    findings.append(f"new offer ({offer}): {_fold(clause)[:80]!r}")
    return list(dict.fromkeys(findings))


# --------------------------------------------------------------------------------------------------------
# case, length, customer's words
# --------------------------------------------------------------------------------------------------------

_ACRONYMS = {"API", "FAQ", "VAT", "SLA", "EU", "UK", "USA", "US", "UTC", "CET", "CEST", "GMT", "IBAN", "BIC",
             "PIN", "SIM", "VPN", "SMS", "URL", "CSV", "PDF", "ID", "OK", "DHL", "UPS", "TNT", "GLS", "TV", "PC",
             "USB", "GDPR", "CEO", "IT", "HR", "ZIP", "RMA", "ETA", "SSO", "ISP", "DNS", "IP", "HTML", "JSON",
             "SSL", "TLS", "HTTP", "HTTPS", "LTE", "ICCID", "IMEI", "PUK", "EUR", "USD", "GBP", "AM", "PM", "AGB",
             "MWST", "TVA", "IVA", "NIF", "DNI", "CIF", "SAV", "RGPD", "DSGVO", "SEPA", "ATM", "NFC", "QR", "GPS",
             "AI", "2FA", "MFA", "OTP", "FYI", "ASAP", "BCC", "CC", "iOS", "RSVP", "VIP", "NHS", "HMRC", "IRS"}


def case(rewrite: str, fmt: str = "text") -> list[str]:
    """Shouting: a run of three or more ALL-CAPS words that are not acronyms or codes ('YOUR ORDER WAS').

    Blind spots: an acronym not in the list and five letters or longer counts as a word; two shouted words in a
    row ("NO REFUNDS") pass; shouting in a single long word passes."""
    _, rest = _protected(rewrite, fmt)
    findings, run = [], []

    def flush():
        if len(run) >= 3:
            findings.append(f"ALL-CAPS run: {' '.join(run)!r}")
        run.clear()

    for token in re.findall(r"[^\s]+", rest):
        word = token.strip(".,;:!?()[]\"'“”«»")
        letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", word)
        is_code = bool(re.search(r"\d", word)) or word in _ACRONYMS
        if not letters or is_code:  # numbers, codes and acronyms neither count nor break a run
            if re.search(r"[.!?;:]$", token):
                flush()
            continue
        is_caps = letters.isupper() and (len(letters) > 1 or letters in ("I", "A"))
        if is_caps:
            run.append(word)
            if re.search(r"[.!?;:]$", token):
                flush()
        else:
            flush()
    flush()
    return findings


def length_ratio(draft: str, rewrite: str, fmt: str = "text") -> float:
    """Words of the rewrite over words of the draft, on visible text."""
    return round(len(visible(rewrite, fmt).split()) / max(1, len(visible(draft, fmt).split())), 2)


def _ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


_PERSON = {"i": "<p>", "you": "<p>", "we": "<p>", "me": "<p>", "us": "<p>", "my": "<pp>", "your": "<pp>",
           "our": "<pp>", "mine": "<pps>", "yours": "<pps>", "ours": "<pps>", "myself": "<pself>",
           "yourself": "<pself>", "ourselves": "<pself>", "i'm": "<p're>", "you're": "<p're>", "we're": "<p're>",
           "i've": "<p've>", "you've": "<p've>", "we've": "<p've>", "i'd": "<p'd>", "you'd": "<p'd>",
           "we'd": "<p'd>", "i'll": "<p'll>", "you'll": "<p'll>", "we'll": "<p'll>", "am": "<be>", "are": "<be>",
           "was": "<was>", "were": "<was>"}


def _person_neutral(tokens: list[str]) -> list[str]:
    return [_PERSON.get(t, t) for t in tokens]


def customer_copied(draft: str, rewrite: str, customer_message: str, fmt: str = "text", n: int = 5) -> list[str]:
    """A sentence of the rewrite that shares a run of n (5) or more words with the customer's message, other
    than a run the draft itself has: the customer's own words put in the agent's mouth ("your kids were so
    disappointed"). Person is ignored ("my kids were" matches "your kids were", "I was home" matches "you
    were home").

    Blind spots: a paraphrase of the customer's words ("your children were very let down") passes; a
    four-word echo passes."""
    if not customer_message or not customer_message.strip():
        return []
    copied = _ngrams(_person_neutral(words(customer_message)), n) - \
        _ngrams(_person_neutral(words(visible(draft, fmt))), n)
    findings = []
    for sentence in sentences(visible(rewrite, fmt)):
        original = words(sentence)
        tokens = _person_neutral(original)
        hits = [i for i in range(len(tokens) - n + 1) if tuple(tokens[i:i + n]) in copied]
        if hits:
            start, end = hits[0], hits[0] + n
            while end < len(tokens) and tuple(tokens[end - n + 1:end + 1]) in copied:
                end += 1
            findings.append(f"customer's words: {' '.join(original[start:end])!r} in {_fold(sentence)[:100]!r}")
    return findings


# --------------------------------------------------------------------------------------------------------
# one case, and a run
# --------------------------------------------------------------------------------------------------------

CHECKS = ("holes", "facts", "greeting_order", "decisions", "case", "customer_copied")


def _normalise_sentence(sentence: str) -> str:
    sentence = _PLACEHOLDER.sub("{}", _URL.sub("<url>", sentence))
    sentence = re.sub(r"\d+(?:[.,:/]\d+)*", "0", sentence.lower())
    return _fold(sentence).rstrip(".!?… ")


def check(case_: dict, rewrite: str) -> dict:
    """All checks on one case ({text, format, language, customer_message}) and its rewrite: findings by
    check name, and length_ratio; opener and closing (the first and last sentence of the body, normalised)
    feed summarise()'s repetition figures."""
    fmt = case_.get("format") or "text"
    whole = case_["text"]
    # sentences that speak to an AI model are left out by the pipeline: their facts and decisions are not owed
    draft = whole if fmt == "html" else without_model_instructions(whole)
    language = case_.get("language") or guess_language(visible(draft, fmt))
    body = body_sentences(rewrite, fmt)
    result = {
        "id": case_.get("id"),
        "holes": holes(draft, rewrite, fmt, language),
        "facts": facts(draft, rewrite, fmt, language, case_.get("customer_message") or ""),
        "greeting_order": greeting_order(draft, rewrite, fmt),
        "decisions": decisions(draft, rewrite, fmt),
        "case": case(rewrite, fmt),
        "customer_copied": customer_copied(draft, rewrite, case_.get("customer_message") or "", fmt),
        "length_ratio": length_ratio(whole, rewrite, fmt),
        "opener": _normalise_sentence(body[0]) if body else "",
        "closing": _normalise_sentence(body[-1]) if body else "",
    }
    return result


def _repetition(values: list[str]) -> dict:
    values = [v for v in values if v]
    if not values:
        return {"share": 0.0, "count": 0, "sentence": None}
    sentence, count = Counter(values).most_common(1)[0]
    return {"share": round(count / len(values), 3), "count": count, "sentence": sentence if count > 1 else None}


def summarise(rows: list[dict]) -> dict:
    """Figures over a run. Rows are check() results (or {'case': …, 'rewrite': …}, checked here): for each
    check the share of replies with a finding and the number of findings; the length ratio's median, mean,
    min and max; closing_repetition and opener_repetition: the share of replies whose last (first) body
    sentence is the run's most common one, with that sentence."""
    rows = [check(r["case"], r["rewrite"]) if "rewrite" in r and "case" in r else r for r in rows]
    if not rows:
        return {"cases": 0}
    ratios = [r["length_ratio"] for r in rows]
    return {
        "cases": len(rows),
        "flagged": {name: round(sum(bool(r[name]) for r in rows) / len(rows), 3) for name in CHECKS},
        "findings": {name: sum(len(r[name]) for r in rows) for name in CHECKS},
        "length_ratio": {"median": round(statistics.median(ratios), 2), "mean": round(statistics.fmean(ratios), 2),
                         "min": min(ratios), "max": max(ratios)},
        "closing_repetition": _repetition([r["closing"] for r in rows]),
        "opener_repetition": _repetition([r["opener"] for r in rows]),
    }


def _main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python3 bench/checks.py bench/results/eval-dev.json", file=sys.stderr)
        return 2
    report = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    devset = Path(__file__).with_name("devset.jsonl")
    cases = {c["id"]: c for c in map(json.loads, devset.read_text(encoding="utf-8").splitlines()) if c}
    for system, rows in report["cases"].items():
        checked = [check(cases[r["id"]], r["output"]) for r in rows if r.get("id") in cases]
        print(f"== {system}: {len(checked)} cases")
        for row in checked:
            for name in CHECKS:
                for finding in row[name]:
                    print(f"{row['id']:>10}  {name:<15} {finding}")
        print(json.dumps(summarise(checked), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
