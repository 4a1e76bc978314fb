"""Stage 7: put the reply together in the draft's own order and layout.

The agent's greeting first, then the body piece by piece: the white space, line breaks and list bullets
between sentences exactly as the draft had them, each sentence kept, edited or left out, and an added
opener or closing where ``pipeline`` puts one; the agent's sign-off last. Facts go back in as each
sentence is added, so every delta streamed to the preview is final text.
"""

from __future__ import annotations

import re

from .letter import Letter, without_dig
from .protect import Span, restore

_LIST_LINE = re.compile(r"^\s*(?:[-*+>#|]|\d+[.)]\s|```)")
# a lowercase word of letters (an apostrophe or hyphen inside), then a space, punctuation or the end
_PLAIN_WORD = re.compile(r"[^\W\d_A-ZÀ-Þ]+(?:['’-][^\W\d_A-ZÀ-Þ]+)*(?=[\s,;:!?]|\.(?!\w)|$)")


# words a German letter may start with after "Hallo Herr Weber," where the agent capitalises them: the agent's habit,
# which an added opener follows; another capital word first is a noun ("Teil 0007 4829 10 ist …"), which says nothing
# of the habit, and the German rule (lower case) holds; so does the polite "Ihr", which has its capital anywhere
# ("Sehr geehrter Herr Yilmaz,\n\nIhr Antrag…" got "Ich verstehe…", thirty-first set)
_GERMAN_STARTS = frozenset(
    "ich wir es er das die der den dem ein eine einen vielen danke leider bitte gerne gern anbei hier da mit zu für "
    "wie im am bei unser unsere nach vor in auf aus heute natürlich selbstverständlich ja nein "
    "zunächst zuerst gut wenn falls um damit dass nun jetzt also aber und oder so was wo wann".split())


class Assembly:
    def __init__(self, letter: Letter, spans: tuple[Span, ...], language: str | None = None):
        self.letter = letter
        self.spans = spans
        self.language = language
        self._parts: list[str] = []
        self._body: list[str] = []
        self._pending_gap: str | None = None
        self._after_added = False

    def greeting(self) -> str:
        return self._emit(self.letter.greeting + self.letter.greeting_gap, body=False) if self.letter.greeting else ""

    def gap(self, text: str) -> None:
        """White space (and bullets) between sentences; after a left-out sentence the larger gap wins."""
        text = restore(text, self.spans)  # a list number may be a fact marker: "\n[3]. "
        if self._pending_gap is None or text.count("\n") > self._pending_gap.count("\n"):
            self._pending_gap = text

    def skip(self) -> None:
        """A sentence left out: nothing is written, and the gaps on both sides fold into one."""

    def sentence(self, masked: str) -> str:
        gap = self._pending_gap or ""
        if not self._body:
            gap = gap.lstrip("\n ")  # the body starts here: keep a leading bullet, not leading space
        text = restore(masked, self.spans)
        if self._after_added:
            has_layout = bool(gap.strip()) or "\n" in gap
            gap = ("\n\n" + gap.lstrip("\n")) if gap.strip() else (gap if has_layout else " ")
            # "Sehr geehrte Frau Becker,\n\nder Techniker…" starts lowercase; after an added opener it starts a sentence
            # (a word's capital, not a name's: "bluefinpottery.co.uk", "eBay", "iOS" stay as written)
            if _PLAIN_WORD.match(text):
                text = text[:1].upper() + text[1:]
        self._pending_gap = None
        self._after_added = False
        return self._emit(gap + text)

    def add(self, sentence: str) -> str:
        """An opener (before the body, or after a greeting sentence) or a closing (after the body)."""
        if not self._body:
            self._after_added = True
            # (past an opening quotation mark: "„ganz normal benutzt“ sieht anders aus." starts the letter lower case
            # as much as a word does; twenty-ninth set, "Ich verstehe…" came after "Hallo Frau Krüger,")
            body = re.sub(r"^[\s„“”\"‚‘’'«»‹›(\[¿¡*_]+", "", self.letter.body)
            first = re.match(r"[^\W\d_]+", body)
            if self.letter.greeting.rstrip().endswith(",") and (
                    body[:1].islower()
                    or (self.language == "de" and first and first.group().lower() not in _GERMAN_STARTS)):
                # the agent follows the German (and Dutch, Polish…) rule: after "Hallo Herr Weber," the letter
                # goes on in lower case; the added opener does too ("vielen Dank für Ihre Nachricht."; "Es tut mir
                # leid" before "Teil 0007 4829 10 ist nicht auf Lager." read as a capital after a comma)
                sentence = sentence[:1].lower() + sentence[1:]
            return self._emit(sentence)
        separate = "\n\n" in "".join(self._body) or bool(self._pending_gap and "\n" in self._pending_gap)
        last_line = "".join(self._body).rstrip().split("\n")[-1]
        if _LIST_LINE.match(last_line) or last_line.rstrip()[-1:] not in ".!?":
            separate = True
        gap = self._pending_gap if self._pending_gap is not None and not separate else ("\n\n" if separate else " ")
        self._pending_gap = None
        self._after_added = True
        return self._emit(gap + sentence)

    def sign_off(self) -> str:
        return self._emit(self.letter.sign_off_gap + without_dig(self.letter.sign_off), body=False) \
            if self.letter.sign_off else ""

    def words(self) -> int:
        return len("".join(self._body).split())

    def text(self) -> str:
        return "".join(self._parts)

    def _emit(self, text: str, body: bool = True) -> str:
        self._parts.append(text)
        if body:
            self._body.append(text)
        return text
