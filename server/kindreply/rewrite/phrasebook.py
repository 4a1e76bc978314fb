"""The phrase book: kindreply's own sentences and fixed wordings, per language, from ``data/phrases.toml``.

An admin can read and change that file; ``acknowledge`` takes its openers and closings from here, ``reword``
its kind wordings of a refusal, a command and a few set phrases.
"""

from __future__ import annotations

import functools
import re
import tomllib
import zlib
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Mapping


# what the customer quotes is a name, not their situation: the course "Bookkeeping for Small Business" is no business
# of theirs in trouble, the app's 'Awaiting grid connection' no lost connection (an apostrophe inside a word is no
# quote: "it's", "I'm")
_QUOTED = re.compile(r"(?<!\w)['‘\"“«][^'’\"”»\n]{2,80}?['’\"”»](?!\w)")


@dataclass(frozen=True)
class Phrases:
    defaults: tuple[str, ...]
    closings: tuple[str, ...]
    feelings: tuple[tuple[re.Pattern, str], ...]
    situations: tuple[tuple[re.Pattern, str, re.Pattern | None], ...] = ()  # (message, sentence, unless the draft)
    bad_news: tuple[str, ...] = ()
    refusal: str = ""
    regret: str = ""
    regret_before_negation: bool = False
    please: str = ""
    rephrase: tuple[tuple[re.Pattern, str], ...] = ()
    # a feeling's word in the language (worried → preocupado); a sentence above → the same said to "tú"
    named: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    familiar: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    familiar_when: re.Pattern | None = None  # a draft that says "tú" ("Te devolvemos…", "si quieres")
    # the same said to several people as "vosotros" ("os devolvemos…", "escribid a…"), where the draft does
    plural: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    plural_when: re.Pattern | None = None

    def feeling(self, customer_message: str) -> str | None:
        return next((sentence for pattern, sentence in self.feelings if pattern.search(customer_message)), None)

    def in_register(self, sentence: str, draft: str) -> str:
        """``sentence`` as the draft addresses the customer: "Si algo no queda claro, responde a este mensaje." to
        a draft that says "tú" (the sentences above say "usted")."""
        if self.plural_when is not None and self.plural_when.search(draft):
            return self.plural.get(sentence, sentence)
        return self.familiar.get(sentence, sentence) if self.says_tu(draft) else sentence

    def says_tu(self, draft: str) -> bool:
        """The draft addresses one customer as "tú" (``familiar_when``), not several as "vosotros"."""
        return self.familiar_when is not None and bool(self.familiar_when.search(draft)) \
            and not (self.plural_when is not None and self.plural_when.search(draft))

    def situation(self, customer_message: str, draft: str = "") -> str | None:
        """The first situation sentence whose pattern the message matches and whose draft does not say otherwise
        (a card "was deactivated because the payment failed" is not one that "isn't working as it should")."""
        message = _QUOTED.sub(" ", customer_message)
        return next((sentence for pattern, sentence, unless in self.situations
                     if pattern.search(message) and not (unless and unless.search(draft))), None)


@functools.cache
def phrases() -> dict[str, Phrases]:
    data = tomllib.loads((resources.files("kindreply") / "data" / "phrases.toml").read_text(encoding="utf-8"))

    def word_start(pattern: str) -> re.Pattern:
        # from the start of a word: "rent" must not find "current", nor "ship" "membership"
        return re.compile(rf"\b(?:{pattern})", re.I)

    def compiled(pairs):
        return tuple((word_start(pattern), sentence) for pattern, sentence in pairs)

    def situations(entries):
        # [message pattern, sentence] or [message pattern, sentence, a pattern of the draft that contradicts it]
        return tuple((word_start(entry[0]), entry[1], word_start(entry[2]) if len(entry) > 2 else None)
                     for entry in entries)

    return {code: Phrases(tuple(entry["defaults"]), tuple(entry["closings"]), compiled(entry["feelings"]),
                          situations(entry.get("situations", ())),
                          tuple(entry.get("bad_news", ())), entry.get("refusal", ""), entry.get("regret", ""),
                          entry.get("regret_before_negation", False), entry.get("please", ""),
                          tuple((re.compile(rf"^(?:{pattern})", re.I), text) for pattern, text in entry.get("rephrase", ())),
                          MappingProxyType(entry.get("named", {})), MappingProxyType(entry.get("familiar", {})),
                          word_start(entry["familiar_when"]) if "familiar_when" in entry else None,
                          MappingProxyType(entry.get("plural", {})),
                          word_start(entry["plural_when"]) if "plural_when" in entry else None)
            for code, entry in data.items()}


def pick(options: tuple[str, ...], draft: str) -> str:
    """The same draft always gets the same choice; different drafts spread over the options."""
    return options[zlib.crc32(draft.encode("utf-8")) % len(options)]
