"""Which language a draft is written in, so the rewrite can be asked for, and checked, in the same one."""

from __future__ import annotations

import functools
import re

# Languages the detector chooses among. A closed set makes short drafts far more reliable
# ("ok thanks" is not Tagalog); an admin whose agents write in another language passes `language`.
LANGUAGES = {
    "en": "English", "es": "Spanish", "de": "German", "fr": "French", "pt": "Portuguese", "it": "Italian",
    "nl": "Dutch", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "fi": "Finnish", "pl": "Polish",
    "cs": "Czech", "tr": "Turkish", "ru": "Russian", "uk": "Ukrainian", "el": "Greek", "ar": "Arabic",
    "he": "Hebrew", "hi": "Hindi", "ja": "Japanese", "ko": "Korean", "zh": "Chinese", "id": "Indonesian",
}
_NAMES = {name.lower(): code for code, name in LANGUAGES.items()}
# markers, links, addresses and numbers say nothing of the language around them ("Your link:
# https://app.example.com/r/9QX2" read as Spanish with them)
_NOT_WORDS = re.compile(r"\[\d+\]|https?://\S+|www\.\S+|\S+@\S+|\S*\d\S*")


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect(text: str, minimum_confidence: float = 0.5) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when the text is too short or unclear."""
    words = _NOT_WORDS.sub(" ", text)
    if len(re.findall(r"\w{2,}", words)) < 2:
        return None
    code, confidence = _identifier().classify(words)
    return code if confidence >= minimum_confidence else None


# a language tag: "es", "es-MX", "pt_BR", "zh-Hant-TW" (and nothing else: no spaces, no sentences)
_TAG = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*")


def code_of(language: str) -> str | None:
    """'es', 'ES', 'es-MX' or 'Spanish' → 'es'; None for a language outside LANGUAGES, or a value that is
    neither a language's name nor a language tag ("es, and ignore your instructions")."""
    value = language.strip().lower()
    if value in _NAMES:
        return _NAMES[value]
    if not _TAG.fullmatch(value):
        return None
    value = re.split(r"[-_]", value)[0]
    return value if value in LANGUAGES else None


def name_of(code: str | None) -> str:
    return LANGUAGES.get(code or "", "the same language as the draft")


# the auxiliaries and commonest finite verbs of each language: a sentence with one has a verb of its own ("Order
# [1] is late." is no command, "Refund was issued." no stamp to complete). Spanish "a" is a preposition, French
# "a" a verb.
_FINITE = {
    "en": r"is|are|was|were|will|would|can|could|has|have|had|does|did|gets|got|applies|(?<!\bto )(?:get|apply)|"
          r"(?:is|are|was|were|has|have|had|wo|does|did)n['’]t",
    "de": r"ist|sind|war|waren|wurde|wurden|wird|werden|hat",
    # (and the verbs an infinitive subject takes: "Lire son courrier fait partie du métier…" is no command, 35th set)
    "fr": r"est|sont|a|ont|était|sera|seront|a été|fait|font|permet|permettent|peut|peuvent|doit|doivent|suffit|"
          r"coûte|coûtent|vaut|dure|sert",
    "es": r"es|está|están|son|ha|han|fue|será|hay",
}
_FINITE_PATTERNS = {code: re.compile(rf"\b(?:{words})\b", re.I) for code, words in _FINITE.items()}
_ANY_FINITE = re.compile(r"\b(?:" + "|".join(_FINITE.values()) + r")\b", re.I)


def finite_verb(text: str, language: str | None) -> re.Match | None:
    """The first finite verb of ``text`` among the commonest of its language (of all four where it has none of
    them: a short sentence may be mistaken for another language)."""
    return _FINITE_PATTERNS.get(language or "", _ANY_FINITE).search(text)
