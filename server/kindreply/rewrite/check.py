"""Stage 5: is an edited sentence safe to send in place of the original?

Every edit the model makes is checked here before it is used; a sentence that fails is retried once,
then softened by rule, then kept as the agent wrote it (``pipeline``). The checks work on masked text
(facts as ``[N]`` markers) and return findings, each a short reason; no finding means safe.

- facts: every marker of the original exactly as often, no marker it did not have, no digit of its own;
- form: no hole ("within  days", "for ."), no empty brackets, not empty, not a different language, not
  several times longer than the original;
- words: the agent's words outside the hurting phrases stay (``lost_words``): the model edits what hurts,
  it does not rephrase the rest ("forfeited" is not "cancelled");
- decision: a negation stays a negation ("we cannot cancel" must not lose its "not"), none is added to a
  sentence that had none ("we shipped the size you ordered" must not become "the wrong size"), an
  obligation stays an obligation, who acts stays who acts ("please file a claim" must not become "we will
  file a claim"), and no commitment appears that the original did not make ("we will", "I'll make sure").

The cue lists are small and explicit on purpose: a reader can see what is guarded, and the real-model
tests and the reading review (bench/results/reading.md) show what slips through.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata

from . import classify, language as languages, protect
from .protect import MARKER

_FACT_PROBLEMS = {
    "missing_fact": "the edit loses {finding.span!r}",
    "duplicated_fact": "the edit repeats {finding.span!r}",
    "invented_marker": "the edit has a fact marker {finding.span} of its own",
    "added_fact": "the edit writes a number of its own ({finding.span})",
}


def _cues(*words: str) -> re.Pattern:
    return re.compile(r"(?<![\w'’])(?:" + "|".join(words) + r")(?![\w])", re.I)


NEGATION = _cues(
    r"not", r"\w+n['’]t", r"cannot", r"never", r"no", r"none", r"nothing", r"nobody", r"neither", r"nor",
    r"no longer", r"unable", r"impossible", r"outside", r"expired", r"only",  # "only X" limits like a negation
    r"and that['’]?s (?:it|all)",  # "I can refund the delivery charge and that's it" (edited: "I can only refund…")
    r"without", r"denied", r"declined", r"rejected", r"unavailable", r"ineligible", r"not possible",
    # Spanish, German, French
    r"no", r"nunca", r"ningún", r"ninguna", r"nada", r"tampoco", r"sin", r"solo", r"sólo",
    r"nicht", r"kein\w*", r"nie", r"niemals", r"nichts", r"ohne", r"nur",
    r"ne", r"n['’]", r"pas", r"jamais", r"aucune?", r"rien", r"sans", r"seulement", r"uniquement")
# words that say something went wrong: a sentence that had none must not gain one
FAULT = _cues(r"wrong", r"incorrect\w*", r"mistakes?", r"errors?", r"faulty", r"fault", r"defective", r"damaged",
              r"broken", r"failed", r"equivocad\w*", r"incorrect\w*", r"falsch\w*", r"fehler\w*", r"erreur\w*")
# in an edit, not in an acknowledgement ("I'm sorry the order is late" is one): "You missed check-in" is not
# "The check-in was delayed"
_LATE = _cues(r"delay(?:ed|s)?", r"late", r"retras\w*", r"verspät\w*", r"retard\w*")
OBLIGATION = _cues(r"must", r"have to", r"has to", r"need to", r"needs to", r"required", r"requires?", r"please",
                   r"kindly", r"make sure", r"will need", r"should", r"debe\w*", r"tiene que", r"por favor",
                   r"muss\w*", r"bitte", r"erforderlich", r"doit", r"devez", r"il faut", r"veuillez", r"merci de")
# the customer is asked to act: "you can / you need to / please X / X it yourself"
CUSTOMER_ACTS = _cues(r"you(?:['’]ll| will| can| could| may| need| must| should| have to)(?! (?:imagine|guess|appreciate|understand)\b)", r"please", r"yourself",
                      r"usted puede", r"puede", r"por favor", r"sie können", r"bitte", r"vous pouvez", r"veuillez")
# we promise to act: these may not appear in an edit unless the original had the same cue
COMMITMENT = _cues(
    r"we['’]ll", r"we will", r"i['’]ll", r"i will", r"we are going to", r"we['’]re going to", r"i['’]m going to",
    r"i am going to", r"we can(?!['’]t|not)", r"i can(?!['’]t|not)", r"let me", r"let us", r"we['’]d be happy to", r"i['’]d be happy to",
    r"we would be happy to", r"i would be happy to", r"we['’]ll make sure", r"guarantee\w*", r"promise\w*",
    r"right away", r"immediately", r"as soon as possible", r"asap", r"refund you", r"compensat\w*",
    r"podemos", r"vamos a", r"le enviaremos", r"wir werden", r"wir können", r"werden wir", r"können wir", r"ich werde", r"nous allons",
    r"nous pouvons", r"je vais")
# the same sentence back, or one that still hurts, is no edit: ``pipeline`` re-classifies every edit
_HOLE = re.compile(r"\S  +\S|\s[,.;:!?]|\(\s*\)|\[\s*\]|^\W*$|\b(?:in|on|at|for|of|to|within|by|from|until|de|en|"
                   r"am|um|bis|le|la|el)\s*[,.;:!?]|\b(?:the|a)\s*[.!?]$|"
                   # (not a German verb's particle: "rufen Sie bitte an." is whole, thirty-fifth set)
                   r"(?<!Sie )(?<!bitte )(?<!uns )(?<!mich )(?<!ihn )\ban\s*[.!?]$", re.I)


# words that carry no fact or decision of their own, for ``content_words``
_FUNCTION_WORDS = frozenset("""
a an the this that these those it its it's this's there here i me my we us our you your yours they them their he she
him her his and or but so yet if then than as at by for from in into of on onto to with without about before after
again now by just also too very really still even ever all any anything each other other's some such own same
is are was were be been being am do does did done have has had having will would shall should can could may might
that's it's there's here's what's i'm we're you're they're i've we've you've i'll we'll you'll i'd we'd you'd
let's he's she's get got make made go goes went know known knew what which who whom whose when where why how not no cannot unable
el la los las un una antes unos unas de del al y o pero que en con por para su sus lo le les se es son muy más ya nos
der die das den dem des ein eine einen einem einer und oder aber dass in im mit von zu zum zur auf für ist sind sie
ihr ihre ihren ihnen wir uns es nicht noch schon alles nun wirklich eben doch mal halt ja
realmente pues vraiment donc déjà
le la les un une des du de et ou mais que qui en au aux avec pour par sur ce cette ces est sont nous vous il elle
unser unsere unseren unserem unserer ihrem ihrer nuestro nuestra nuestros nuestras mi mis tu tus notre nos votre vos
mon ma mes son sa ses leur leurs
""".split())
# a word: letters, with one apostrophe inside ("don't", "n'est"); digits and markers are not words
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


# words a softened sentence may add without saying anything new
_SOFTENING_WORDS = frozenset("""unfortunately able possible happy glad kindly note please currently incorrectly correctly
due help sure unable lamentablemente leider malheureusement""".split())


_CLITIC_BEFORE_YA = re.compile(r"\b(?:se|me|te|le|les|nos|os) ya\b", re.I)


def _misspelt(original: str, edited: str) -> list[str]:
    """Long words of the edit that are a letter or two away from a word of the original without being another form
    of it (a form shares all but its ending: "explained" and "explains"); a misspelling, not a choice of words."""
    words = {word for word in WORD.findall(MARKER.sub(" ", original)) if len(word) >= 6}
    found = []
    for word in {word for word in WORD.findall(MARKER.sub(" ", edited)) if len(word) >= 6} - words:
        for known in words:
            shared = len(os.path.commonprefix([word.lower(), known.lower()]))
            # (or the same word without its accent: "Como ya se explicó" came back as "Ya se explico", il-10)
            if (shared < min(len(word), len(known)) - 3 and difflib.SequenceMatcher(None, word, known).ratio() >= 0.88) \
                    or (word != known and _unaccented(word) == _unaccented(known)):
                found.append(word)
                break
    return sorted(found)


def content_words(text: str) -> list[str]:
    """The words of ``text`` that say something: not markers, not function words ("about it", "each other's")."""
    return [word for word in (w.lower().replace("’", "'") for w in WORD.findall(MARKER.sub(" ", text)))
            if word not in _FUNCTION_WORDS and len(word) > 1 and not word.endswith("n't")]


# the reply speaks to the customer: the model's edits sometimes report on them ("the customer", "le client")
_THIRD_PERSON = re.compile(r"\b(?:the|this) (?:customer|client|user|requester)\b|\b(?:el|la|al) cliente\b|"
                           r"\b(?:le|la|au) client(?:e)?\b|\b(?:der|die|dem|den) kund(?:e|in|en)\b", re.I)


# "inform" takes the person informed: "we informed you", not "we informed in our email"
_OBJECTLESS = re.compile(r"\binform(?:ed|s)?\b(?!\s+(?:you|them|him|her|us|me|the|our|your|all|everyone|each|anyone|"
                         r"customers?|clients?|that|of|about))|"
                         # or with a clause for its object: "I wrote down that I informed the arch should not go in
                         # full sun" (from "I TOLD YOU the arch should NOT go", thirty-third set)
                         r"\binform(?:ed|s)?\s+(?:the|a|an|this|that)\s+\w+\s+(?:should|must|would|will|could|can|is|was|"
                         r"were|had|has|needs?|needed)\b", re.I)


# "I" in an edit of a sentence that had none: the model speaking as the customer ("I notice that I skipped the
# setup guide"); a softener the agent may add ("I'm afraid", "I'm sorry", "I understand") is not
_SPEAKER = re.compile(r"\b(?:I(?!['’]m (?:afraid|sorry)| am (?:afraid|sorry)| understand| realise| realize| know)|my|me)\b")


# a Markdown link around a fact marker (HTML drafts arrive as Markdown): "[returns policy]([1])"
_LINKED = re.compile(r"\]\((\[\d+\])\)")


_COUNTED = re.compile(r"(\[\d+\])[\s-]+([^\W\d_]+)")


def _unit_changed(original: str, edited: str) -> str:
    """A marker of both whose next word (its unit: "[1] weeks") the edit changes, as "weeks → days"; else ""."""
    before = {marker: word.lower() for marker, word in _COUNTED.findall(original)}
    for marker, word in _COUNTED.findall(edited):
        known = before.get(marker)
        if known and known in _UNITS and stem(word.lower()) != stem(known):
            return f"{known} → {word.lower()}"
    return ""


_UNITS = frozenset("""
minute minutes hour hours day days week weeks month months year years working business time times term terms
minuto minutos hora horas día días semana semanas mes meses año años veces
minute minuten stunde stunden tag tage tagen woche wochen monat monate monaten jahr jahre jahren mal
heure heures jour jours semaine semaines mois an ans année années fois
""".split())
# set phrases the model sometimes writes wrong
_MALAPROPISM = re.compile(r"\b(?:of cause|(?:could|should|would|must) of|for all intensive purposes|irregardless)\b", re.I)
_QUOTED = re.compile(r"[\"“„«]\s*([^\"“”„«»]{1,60}?)\s*[\"”“»]")


def _quoted(text: str) -> set[str]:
    """What ``text`` puts in double quotation marks, lower-cased."""
    return {match.group(1).lower() for match in _QUOTED.finditer(text)}


def findings(original: str, edited: str, language: str | None = None,
             spans: tuple[protect.Span, ...] | None = None, hurts: tuple[str, ...] = ()) -> list[str]:
    """Why ``edited`` may not replace ``original`` (both masked sentences); empty when it may. ``spans`` are the
    draft's protected spans (by default, one per marker of ``original``); ``hurts`` the phrases that made the
    sentence hurtful: a negation inside one ("Not our problem") is the hurt, not a decision, and may go."""
    if not edited.strip():
        return ["the edit is empty"]
    if _normal(edited) == _normal(original):
        return ["the edit changes nothing"]
    if _unaccented(_normal(edited)) == _unaccented(_normal(original)):
        # the model's "edit" of "Ya se te explicó en la primera visita…" was the same words with "explico"
        return ["the edit changes nothing but accents"]
    problems = _fact_findings(original, edited, spans, hurts)
    # code is the agent's exact text: its marks stay; emphasis may go ("**resolved**" read as impatient to the
    # dev set's readers) but not be added
    if original.count("`") != edited.count("`") or edited.count("*") > original.count("*"):
        problems.append("the edit loses code marks or adds emphasis")
    if len(edited.split()) > 2.5 * len(original.split()) + 10:
        problems.append("the edit is far longer than the original")
    foreign = scripts(edited) - scripts(original)
    if foreign:  # "should您 wish to read them": the model slipped into Chinese for a word (fourteenth set, hd-06)
        problems.append(f"the edit writes in a script the original does not ({', '.join(sorted(foreign)).lower()})")
    if language and len(edited) > 40:
        found = languages.detect(edited, minimum_confidence=0.9)
        if found and found != language:
            problems.append(f"the edit is in {languages.name_of(found)}")
    if language in ("es", "de", "fr") and _english_words(edited) - _english_words(original):
        # a word of English in a French edit: "… dans le livret d'accueil que you n'avez pas lu" (hi-08, sixty-second
        # round); one word does not change what the whole sentence is detected as
        problems.append("the edit puts an English word into the sentence")
    decided = without(original, hurts)
    problems += decision_findings(original, edited, decided)
    if _THIRD_PERSON.search(edited) and not _THIRD_PERSON.search(original):
        # "I've informed the customer that this twice has been discussed…" (the reply is written to them)
        problems.append("the edit speaks of the customer instead of to them")
    if _OBJECTLESS.search(edited) and not _OBJECTLESS.search(original):
        # the model's way round "told you": "I've already informed twice on the phone", "which we informed in our
        # email" (fifth and third held-out sets, re-read in the thirty-third round)
        problems.append("the edit leaves a verb without the person it needs (\"informed\" whom?)")
    if _CONTRAST.search(edited) and not _CONTRAST.search(original):
        # the model's own second half: "…there's no way we can help, but the damage is severe." (seventeenth set)
        problems.append("the edit adds a clause the original does not have (\"but …\")")
    if language == "es" and _CLITIC_BEFORE_YA.search(edited) and not _CLITIC_BEFORE_YA.search(original):
        # "Ya se te explicó en la primera visita…" came back as "Se ya explica en la primera visita…" (hu-02)
        problems.append("the edit puts a pronoun before \"ya\", which Spanish never does")
    misspelt = _misspelt(original, edited)
    if misspelt:  # "Übergabeprotokoll" came back as "Überabeprotokoll" (twenty-ninth set)
        problems.append(f"the edit misspells a word of the original ({', '.join(misspelt)})")
    malapropism = _MALAPROPISM.search(edited)
    if malapropism and not _MALAPROPISM.search(original):
        # "and of course you shouldn't miss it" came back as "and of cause, don't miss it" (ij-18)
        problems.append(f"the edit misspells a phrase (\"{malapropism.group()}\")")
    unit = _unit_changed(original, edited)
    if unit:  # "pas [1] semaines après" came back as "pas [1] jours avant" (ij-24: a number's unit is the fact too)
        problems.append(f"the edit changes what a number counts ({unit})")
    quoted = _quoted(edited) - _quoted(original)
    if quoted:  # "if you'd read the returns page" came back as "…checked the "Return Policy" page" (ii-10)
        problems.append(f"the edit quotes words the original does not ({', '.join(sorted(quoted))})")
    if "?" in edited and "?" not in original:  # "Funny how it broke after…" → "How did it break? …"
        problems.append("the edit asks a question the original does not")
    if _SPEAKER.search(edited) and not re.search(r"\b(?:I|me|my)\b", original):
        problems.append("the edit speaks as someone the original does not (\"I …\")")
    # a blunt refusal is rephrased as a whole: half its words may change ("We can't refund order [1]" →
    # "a refund for [1] is not possible"), not all ("No compensation for weather" → "There is no rain")
    lost = lost_words(decided, edited, share=5 if hurts else 2)
    if lost:
        problems.append(f"the edit changes the agent's words ({', '.join(lost)})")
    added = added_words(original, edited, hurts) if hurts else []
    if added:
        problems.append(f"the edit says more than the original ({', '.join(added)})")
    return problems


def scripts(text: str) -> set[str]:
    """The writing systems of a text's letters, by the first word of their Unicode names ("LATIN", "CJK",
    "CYRILLIC", "HIRAGANA" …)."""
    return {unicodedata.name(char, "?").split()[0] for char in text if char.isalpha()}


def cut_findings(original: str, cut: str, spans: tuple[protect.Span, ...] | None = None) -> list[str]:
    """Why ``cut`` (``original`` less one part, from ``edit.cuts``) may not replace it; empty when it may. Words
    are only taken away, so what can go wrong is what goes: a fact, a negation, a request, who acts; or too
    little is left to be a sentence."""
    problems = _fact_findings(original, cut, spans) + decision_findings(original, cut)
    if len(content_words(cut)) < 2:
        problems.append("too little is left")
    return problems


# a decision said without a negation: "The charge stands.", "Damit erlischt die Garantie.", "…ist ausgeschlossen."
# ("That policy stays." was left out by the judgement at 0.9 on the seventeenth set)
SETTLED = _cues(r"stands", r"stays", r"remains in place", r"final", r"void", r"excluded", r"ausgeschlossen", r"erlischt",
                r"bleibt (?:bestehen|so)", r"se mantiene", r"reste (?:en place|inchangée?s?)", r"exclu\w*", r"caduc\w*",
                r"definitiv\w*", r"definitive?")


def holds(sentence: str, language: str | None = None) -> list[str]:
    """What a masked sentence (or part of one) says that may not go unsaid: empty when it holds no fact, negation
    or settled decision, request (a command too: "D'abord, nettoyez les contacts …"), action of the customer's,
    promise or question, so that leaving it out whole loses nothing of the agent's message ("Je vous rappelle
    qu'un contrat, ça se lit avant de le signer.")."""
    bare = re.sub(r"^\W*(?:[\w'’]+(?:\s+[\w'’]+){0,2}\s*,\s*)?", "", sentence)  # (a command after a lead-in: "D'abord, nettoyez …")
    command = classify.opens_with_command(sentence[:1].upper() + sentence[1:], language) \
        or classify.opens_with_command(bare[:1].upper() + bare[1:], language)
    found = []
    for name, present in (("a fact", MARKER.search(sentence)), ("a negation", NEGATION.search(sentence)),
                          ("a decision", SETTLED.search(sentence)),
                          ("a request", OBLIGATION.search(sentence) or command),
                          ("the customer's part", CUSTOMER_ACTS.search(sentence)),
                          ("a promise", COMMITMENT.search(sentence)), ("a question", "?" in sentence)):
        if present:
            found.append(name)
    return found


def _fact_findings(original: str, edited: str, spans: tuple[protect.Span, ...] | None,
                   hurts: tuple[str, ...] = ()) -> list[str]:
    """Every fact marker kept once, links kept, no hole. A fact inside a hurting phrase goes with it: "Ya le
    hemos explicado [1] que" counted the reminders."""
    if spans is None:
        spans = tuple(protect.Span(marker, "fact", int(marker.strip("[]"))) for marker in set(MARKER.findall(original)))
    with_the_hurt = {int(marker.strip("[]")) for phrase in hurts for marker in MARKER.findall(phrase)}
    numbers = {span.text: span.number for span in spans}
    problems = [_FACT_PROBLEMS[finding.code].format(finding=finding)
                for finding in protect.verify(edited, original, spans)
                if not (finding.code == "missing_fact" and numbers.get(finding.span) in with_the_hurt)]
    for marker in _LINKED.findall(original):
        if f"]({marker})" not in edited:  # "[returns policy]([1])" written out as "returns policy ([1])"
            problems.append(f"the edit breaks the link {marker}")
    if _holes(edited) - _holes(original):  # one the original has is its typography ("incomplet : il manque")
        problems.append("the edit has a hole or a fragment")
    return problems


# a verb's particle is no preposition left without its noun: "if someone could be in." ("… be in this time." lost
# "this time", twenty-fourth set), "log in.", "hand it in."
_PARTICLE = re.compile(r"\b((?:be|log|sign|check|come|drop|pop|fill|hand|send|plug|turn|switch|call|carry|hold|"
                       r"move|stay|keep|put|get)(?:s|ed|ged|ped|ing)?(?: (?:it|them|this|that|yourself|everything))?) "
                       r"(?:in|on)(?=\s*[,.;:!?])", re.I)


# English words that no French, Spanish or German sentence has
_ENGLISH_WORD = re.compile(r"\b(?:you|your|the|and|we|please|with|which|would|should|have|this)\b", re.I)


def _english_words(text: str) -> set[str]:
    return {word.lower() for word in _ENGLISH_WORD.findall(text)}


def _holes(text: str) -> set[str]:
    # (whatever the stop after it: "nothing to update you on;" cut before its second clause is "… on.", no new hole)
    text = _PARTICLE.sub(r"\1", MARKER.sub("X", text))
    return {re.sub(r"[,.;:!?]$", ".", match.group()) for match in _HOLE.finditer(text)}


def without(sentence: str, phrases: tuple[str, ...]) -> str:
    """``sentence`` with each of ``phrases`` (the hurting ones) blanked out, whatever their case; the longest
    first, so that one inside another ("Comme indiqué" in "Comme indiqué dans nos [1] précédents e-mails")
    does not leave the rest of the longer one behind."""
    # (every phrase is found in the sentence as written, and what any of them covers goes: two that overlap, "([1]
    # time now, but who's counting)" and the clause "but who's counting) on …", would otherwise leave part of the
    # first behind once the second is gone, ht-25)
    covered = [False] * len(sentence)
    for phrase in sorted(phrases, key=len, reverse=True):
        for match in re.finditer(re.escape(phrase), sentence, flags=re.I) if phrase else ():
            covered[match.start():match.end()] = [True] * (match.end() - match.start())
    return re.sub(r"\x00+", " ", "".join("\x00" if gone else char for char, gone in zip(sentence, covered)))


def added_words(original: str, edited: str, hurts: tuple[str, ...]) -> list[str]:
    """Words of the edit that the original does not have, when there are more of them than it takes to say
    the hurting phrases another way (as many as they have; the softening words above are free): "You missed
    check-in" may become "Check-in closed", not "Check-in closed, so the trip was delayed"."""
    known = {stem(word) for word in content_words(original)}
    new = [word for word in content_words(edited) if stem(word) not in known and word not in _SOFTENING_WORDS
           and not any(k.startswith(stem(word)) or stem(word).startswith(k) for k in known)]
    allowed = max(1, len(content_words(" ".join(hurts))))
    return new if len(new) > allowed else []


def stem(word: str) -> str:
    """The start of a word that its endings share: "locked" and "lock", "forfeited" and "forfeit"."""
    return word[:max(4, len(word) - 3)]


def lost_words(decided: str, edited: str, share: int = 5) -> list[str]:
    """The words of the original, outside its hurting phrases, that the edit does not keep (an ending may
    change: "locked"/"lock"). Edit, don't replace: "Booking [1] is forfeited" must not become "is cancelled",
    "deactivate the PC" not "disable the PC". One word in five may go, for grammar's sake."""
    words, said = content_words(decided), content_words(edited)
    kept = {stem(word) for word in said}
    lost = [word for word in words if stem(word) not in kept and not any(k.startswith(stem(word)) for k in kept)]
    allowed = len(words) // share if share > 2 else max(1, len(words) // share)
    # a long word is what the sentence is about, never grammar's share: "das steht auf dem Aufnahmeantrag direkt über
    # Ihrer Unterschrift" came back as "das liegt direkt über Ihrer Unterschrift" (thirty-second set); an adverb
    # ("currently", "visiblement", "normalerweise") may still go, and a word of the same root is the same word said
    # another way ("your lack of diligence" → "a failure to be diligent", an external email)
    named = [word for word in lost if len(word) >= 9 and not word.endswith(("ly", "ment", "mente", "weise"))
             and not any(other[:6] == word[:6] for other in said)]
    return lost if len(lost) > allowed or named else []


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _normal(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().lower()


def decision_findings(original: str, edited: str, decided: str | None = None) -> list[str]:
    """The decision checks alone: negation, fault, obligation, who acts, new commitments. ``decided`` is the
    original less its hurting phrases: what must keep its negation (the original's own may stay)."""
    problems = []
    decided = original if decided is None else decided
    if NEGATION.search(decided) and not NEGATION.search(edited):
        problems.append("the edit loses the negation (a refusal or limit must stay one)")
    for word in _NEGATING.findall(decided):  # "there's nothing we can do" → "there's absolutely no we can do" (hs-03)
        if not re.search(rf"\b(?:{word}|{_ANY.get(word.lower(), word)})\b", edited, re.I):
            problems.append(f"the edit loses \"{word}\" (a negation keeps its word)")
    sterner = _STERNER.search(edited)
    if sterner and not _STERNER.search(original):
        problems.append(f"the edit makes a refusal sterner (\"{sterner.group()}\")")
    if not NEGATION.search(original) and NEGATION.search(edited) and not _hedged_negation(edited):
        problems.append("the edit adds a negation the original does not have")
    if (FAULT.search(edited) and not FAULT.search(original)) or (_LATE.search(edited) and not _LATE.search(original)):
        problems.append("the edit says something went wrong where the original does not")
    if OBLIGATION.search(decided) and not (OBLIGATION.search(edited) or CUSTOMER_ACTS.search(edited)):
        problems.append("the edit drops a request or obligation")
    # "können wir" and "wir können" are one commitment: German puts the verb first after a lead-in
    new_commitments = sorted({_unordered(m.group()) for m in COMMITMENT.finditer(edited)}
                             - {_unordered(m.group()) for m in COMMITMENT.finditer(original)})
    if new_commitments:
        problems.append(f"the edit promises something new ({', '.join(new_commitments)})")
    # (the customer's action in a hurting clause that went is no action: "I'm sure you'll have done that, but we'll
    # need a dated photo" is "We'll need a dated photo", twenty-fourth set)
    if CUSTOMER_ACTS.search(decided) and not CUSTOMER_ACTS.search(edited) and COMMITMENT.search(edited):
        problems.append("the edit moves an action from the customer to us")
    return problems


_CONTRAST = re.compile(r"\b(?:but|however|although|though|pero|sin embargo|aunque|aber|jedoch|allerdings|mais|cependant|"
                       r"pourtant)\b", re.I)


# a negation said by its own word keeps it, or its "any" form after a "not" ("nothing" → "not … anything")
_NEGATING = re.compile(r"\b(?:nothing|nobody|no one|none|never|nada|nadie|ninguno|nunca|nichts|niemand|nie|keiner|rien|"
                       r"personne|jamais|aucun)\b", re.I)
_ANY = {"nothing": "anything", "nobody": "anybody|anyone", "no one": "anyone|anybody", "none": "any", "never": "ever"}
# an intensifier the edit puts before a refusal makes it harder, not kinder
_STERNER = re.compile(r"\b(?:absolutely|definitely|simply|totally|completely|strictly|certainly)\s+(?:no|not|nothing|never|"
                      r"none|cannot|can['’]t|won['’]t|don['’]t)\b", re.I)


def _unordered(cue: str) -> str:
    return " ".join(sorted(cue.lower().split()))


def _hedged_negation(edited: str) -> bool:
    """'Don't hesitate to…' and 'no problem' add no refusal."""
    rest = re.sub(r"(?:don['’]t|do not) hesitate|no problem|not a problem|no worries", "", edited, flags=re.I)
    return not NEGATION.search(rest)
