"""Stage 1: split a draft body into sentences, keeping every character between them.

One segmenter for the whole project: ``sentencex`` (Wikimedia's, maintained, rule sets for many
languages), which knows abbreviations ("Dr.", "e.g.", "Nr."), decimals and URLs. Lines are split first,
so a list item, a line of an address or a signature line is never joined to the next one.

``split`` returns pieces whose texts, joined, give back the input exactly: a sentence is the text without
its surrounding white space, and the white space (spaces, line breaks, a list bullet) is a gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sentencex import segment

from .protect import MARKER

# what starts a line but is not part of its sentence: a list bullet or number, a quote mark of a reply
# (the number may be masked as a fact marker by then: "[3]. Open Settings.")
_LINE_PREFIX = re.compile(r"^\s*(?:[-*•–]\s+|\d{1,2}[.)]\s+|\[\d+\][.)]\s+|>+\s*)?")


@dataclass(frozen=True)
class Piece:
    text: str
    sentence: bool  # False for the white space and bullets between sentences


def split(text: str, language: str | None = None) -> list[Piece]:
    pieces: list[Piece] = []
    for line in re.split(r"(\n)", text):
        if line == "\n" or not line.strip():
            _gap(pieces, line)
            continue
        prefix = _LINE_PREFIX.match(line).group(0)
        _gap(pieces, prefix)
        for part in _segments(line[len(prefix):], language):
            core = part.strip()
            if not core:
                _gap(pieces, part)
                continue
            lead = part[:len(part) - len(part.lstrip())]
            trail = part[len(part.rstrip()):]
            _gap(pieces, lead)
            pieces.append(Piece(core, True))
            _gap(pieces, trail)
    return pieces


# a fact marker ("[1]") is what sentencex takes for a Wikipedia footnote and joins to the sentence before it:
# "It slows it down. [1] was an estimate." became "It slows it down. [1]" and " was an estimate."; the
# segmenter sees a capitalised word of the same length in its place instead
def _segments(line: str, language: str | None) -> list[str]:
    """``line`` cut where sentencex cuts it, with fact markers read as words."""
    stand_in = MARKER.sub(lambda m: "M" + "m" * (len(m.group()) - 1), line)
    parts, start = [], 0
    for part in segment(_segmenter_language(language), stand_in):
        parts.append(line[start:start + len(part)])
        start += len(part)
    # (sentencex keeps every character; should a version not, the line is cut as it stands)
    parts = parts if start == len(line) else list(segment(_segmenter_language(language), line))
    return [piece for part in _joined(parts) for piece in _apart(part)]


# abbreviations sentencex does not know, which never end a sentence: "Anfahrt 85 € zzgl. MwSt." was cut after
# "zzgl." and the "MwSt." read as a command ("zzgl. Bitte MwSt.", twenty-eighth set)
_ABBREVIATION_END = re.compile(r"(?<![\w.])(?:zzgl|inkl|exkl|ggf|bzw|evtl|vgl|bspw|sog|gem|incl|excl|approx|aprox|"
                               r"esp)\.\s*$", re.I)


def _joined(parts: list[str]) -> list[str]:
    """``parts`` with each one that ends in such an abbreviation joined to the one after it."""
    joined: list[str] = []
    for part in parts:
        if joined and _ABBREVIATION_END.search(joined[-1]):
            joined[-1] += part
        else:
            joined.append(part)
    return joined


# sentencex reads "No." as the abbreviation of "number" ("No. 5"), so a bare "No." that answers the customer stayed
# joined to the sentence after it ("No. Desktop licence (order …) doesn't cover …", twenty-first set); before a
# capitalised word it is an answer of its own
_ANSWER = re.compile(r"^(\s*(?:[Nn]o|[Nn]ope|[Nn]ein|[Nn]on|NO|NEIN|NON)\.\s+)(?=[A-ZÀ-Ý])")  # (not "No. of items")


# and a sentence in brackets of its own before another: "(Not that anyone reads those, apparently.) Your pins ship
# on 23 September." was one sentence to sentencex (twenty-second set), so the aside could not go alone
_ASIDE = re.compile(r"^(\s*\([^()]*[.!?]\)\s+)(?=[A-ZÀ-Ý¿¡])")


def _apart(part: str) -> list[str]:
    """``part`` as two sentences where it opens with a bare answer or an aside in brackets, else as it is."""
    first = _ANSWER.match(part) or _ASIDE.match(part)
    return [first.group(1), part[first.end():]] if first else [part]


def sentences(text: str, language: str | None = None) -> list[str]:
    return [piece.text for piece in split(text, language) if piece.sentence]


def _gap(pieces: list[Piece], text: str) -> None:
    if not text:
        return
    if pieces and not pieces[-1].sentence:
        pieces[-1] = Piece(pieces[-1].text + text, False)
    else:
        pieces.append(Piece(text, False))


def _segmenter_language(language: str | None) -> str:
    # sentencex falls back through its language chain itself; None means English rules
    return language or "en"
