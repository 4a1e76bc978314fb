"""Stage 3: what to do with each sentence of the draft.

- ``keep``: neutral or already kind; sent exactly as the agent wrote it and never shown to the model;
- ``soften``: hurtful (blame, dismissal, sarcasm, a curt command, a blunt refusal) but carrying a fact, a
  decision or a request: the model edits it (``edit``), and ``check`` makes sure the edit keeps its meaning;
- ``drop``: hurtful and saying nothing else ("End of discussion.", "Case closed."), left out;
- ``injected``: speaks to an AI model about its instructions ("Ignore all previous instructions…"): left
  out and named in a warning.

The tone lexicon (``data/tone.toml``) finds the hurtful phrases, ``data/classify.toml`` the sentences that
only close the door. The model can judge the sentences the lexicon keeps (``rude_chance``, one forward pass
per sentence, no generation): a ``Probe`` reads its hidden state where one was trained for the loaded model
file (``data/probes/``, ``bench/probe.py``), else the model answers "rude" or "fine" (``engine.choose``).
Whether it is asked is the ``KINDREPLY_RUDE_THRESHOLD`` setting (off by default); what it finds is named to
the agent in a warning, not edited (``pipeline._second_opinion`` says why). ``bench/results/classify.md``
measures the lexicon, ``bench/results/probe.md`` the probe on sentence sets it was not trained on.
"""

from __future__ import annotations

import functools
import json
import math
import operator
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from string import Template

from .. import tone
from . import language as languages
from .injection import speaks_to_a_model
from .protect import MARKER, find_spans

KEEP, SOFTEN, DROP, INJECTED = "keep", "soften", "drop", "injected"
# the lexicon's categories that make a sentence hurtful
HURTFUL = {"blame", "dismissive", "sarcasm", "curt", "pity"}
# a refusal said with one of these is already kind: "Unfortunately, we can't refund this order."
SOFTENER = re.compile(
    r"\b(?:unfortunately|i'?m sorry|we'?re sorry|i am sorry|we are sorry|i'?m afraid|sadly|regrettably|i regret|"
    r"i understand|lamentablemente|lo siento|lo sentimos|leider|es tut (?:mir|uns) leid|malheureusement|désolée?s?)\b",
    re.I)


# a refusal that gives its reason or its way forward is plain, not blunt: "We can't close the account while
# invoice [1] is unpaid." (the labelled set marks these "keep"; sending them to the model only risks them)
_REASON = re.compile(r"\b(?:because|since|as|while|so|but|though|until|unless|instead|reasons?|porque|ya que|pero|weil|da|aber|"
                     r"sondern|parce que|car|mais)\b", re.I)
BLUNT_WORDS = 8
# a conclusion that opens a refusal: "So no refund.", "Therefore we can't extend it." (it points back to the reason)
THEN = re.compile(r"^(so|therefore|hence)\s*,?\s+", re.I)
_OUR_REFUSAL = re.compile(r"^(?:we|i)\s+(?:don['’]?t|do not|can['’]?t|cannot|won['’]?t|will not)\b", re.I)


def _bare(sentence: str) -> bool:
    """A short refusal with no reason and no way forward: "We can't refund you.", "No compensation for weather."
    (not a rule written as a formula: "Not out = not cleaned, no credit.", 26th set: "Unfortunately, not out = …")."""
    # (a "So" that opens it points back to the reason, it gives none: "So no refund.")
    return len(sentence.split()) <= BLUNT_WORDS and not _REASON.search(THEN.sub("", sentence.strip())) \
        and "=" not in sentence


@dataclass(frozen=True)
class Verdict:
    label: str
    reasons: tuple[str, ...] = field(default=())  # the phrases that decided it, for the edit prompt
    blunt: bool = False  # softened for a blunt refusal: its reasons are the decision itself, not a hurt to remove
    command: bool = False  # softened for a bare command: "please", by rule


@functools.cache
def _data() -> dict:
    return tomllib.loads((resources.files("kindreply") / "data" / "classify.toml").read_text(encoding="utf-8"))


@functools.cache
def _drop_patterns() -> dict[str, re.Pattern]:
    data = _data()
    return {code: re.compile(r"^\s*(?:" + "|".join(patterns) + r")\s*[.!]*\s*$", re.I)
            for code, patterns in data["drop"].items()}


@functools.cache
def _commands() -> dict[str, frozenset[str]]:
    data = _data()
    return {code: frozenset(verbs) for code, verbs in data["commands"].items()}


# "Senden Sie …", "Vérifiez …": the German and French polite imperative by its form
_COMMAND_FORM = {"de": re.compile(r"^(?!(?:Haben|Sind|Waren|Hatten|Werden|Wurden|Können|Konnten|Müssen|Sollen|Dürfen|"
                                  r"Wollen) Sie\b)[A-ZÄÖÜ][a-zäöüß]+(?:en|ern|eln) Sie\b"),  # not "Haben Sie nicht."
                 # "Rendez-vous annulé" is an appointment; "Rendez-vous sur [1]" a command
                 "fr": re.compile(r"^(?!Rendez-vous (?!sur|à|au|aux|dans|en|chez)\b)[A-ZÉÈ][a-zéèêàâîôûç]+ez\b(?! vous)")}
# (an invitation is polite already: "Fragen Sie gern beim Fundbüro nach." needs no "Bitte")
_PLEASE = re.compile(r"\b(?:please|kindly|por favor|bitte|gerne?|veuillez|merci de|s'il vous plaît|n'hésitez pas)\b",
                     re.I)
COMMAND_WORDS = 10
_MENU_PATH = re.compile(r"\b[A-Z][\w&'-]*(?: [A-Z][\w&'-]*)*(?:\s*>\s*[A-Z][\w&'-]*(?: [A-Z][\w&'-]*)*)+")
# Markdown emphasis (HTML drafts arrive as Markdown): "**", "__", and a "*" or "_" at the edge of a word
_EMPHASIS = re.compile(r"\*\*|__|(?:(?<=\s)|^)[*_](?=\S)|(?<=\S)[*_](?=\s|$|[.,;:!?])")
# a participle after a reference says the first word was a noun: "Claim MV-20671 opened for the table top."
# Opening hours are no command either: "Open 8am to 4pm, last entry 3:45pm." (fifteenth held-out set: "Please open…")
# A noun stamped with its state is no command either: "Visit booked Wed 17 July, 7:30am." (seventeenth set: "Please
# visit booked …"), "Order shipped today."; not "Check booked dates in the app."
_STAMPED = re.compile(r"^\w+ (?:\[\d+\]|\S*\d\S*) [a-z]+ed\b|^open (?:\d|daily|every|from|mon|tue|wed|thu|fri|sat|sun)|"
                      # (a noun and its irregular participle: "Call made on site 2 hours before." got "Please call
                      # made…", thirty-eighth set)
                      r"^\w+ (?:made|done|taken|given|sent|kept|held|paid|left|run|set|put|shut|read|brought|bought|found)"
                      r" (?:on|at|by|in|for|before|after|from|until|within)\b|"
                      r"^\w+ (?:re)?(?:booked|scheduled|confirmed|received|cancell?ed|shipped|delivered|dispatched|arranged|"
                      r"processed|approved|declined|refunded|logged|paid|moved|postponed|completed)"
                      r"(?:\s*(?:$|[.,;:]|\[\d+\]|\d|(?:mon|tue|wed|thu|fri|sat|sun|for|on|at|to|until|from|today|"
                      r"tomorrow|yesterday|this|next|by)\b))", re.I)


# a word before "#" and a number names the item: "Print #37/150 (order AP-10294)." is the print, not an order to print
# it (twenty-third set: "Please print #37/150 …")
_NUMBERED = re.compile(r"[^\W\d_]+ #\s?\d")


# a command that lets the customer off something grants, it does not demand: "Keep the first one, no need to send
# it back." ("Gardez le premier, inutile de le renvoyer." had become "Veuillez garder …", fifteenth held-out set)
_GRANTS = re.compile(r"\b(?:no need|there's no need|inutile de|pas besoin|no hace falta|no es necesario|"
                     r"nicht nötig|nicht zurück)", re.I)


# a wish said as an imperative is kind already: "Prenez bien soin de vous deux," had become "Veuillez prendre bien soin
# de vous deux," (twenty-fourth set)
_WISHES = re.compile(r"^(?:take (?:good )?care|enjoy|have a (?:good|great|nice|lovely|wonderful|safe)|"
                     r"prenez (?:bien )?soin|profitez|passez une (?:bonne|belle|excellente)|"
                     r"passen sie (?:gut )?auf sich auf|genießen sie|cuíd(?:ese|ate|aos|ense)|disfrut(?:e|a|en|ad)\b)",
                     re.I)


def is_command(sentence: str, language: str | None) -> bool:
    """A short command with no "please": "Pay the $75.40 first.", "Check it and resend."."""
    text = sentence.lstrip("*_ ")
    if len(text.split()) > COMMAND_WORDS or _PLEASE.search(text) or text.endswith("?") \
            or languages.finite_verb(text, language) or _STAMPED.search(text) or _GRANTS.search(text) \
            or _NUMBERED.match(text) or _WISHES.match(text):
        return False
    return _imperative_first(text, language)


def opens_with_command(sentence: str, language: str | None) -> bool:
    """The sentence asks the customer to do something, however long: its first word is an imperative
    ("Reschedule at [1] by Thursday or the slot is lost."), not a noun ("Order [1] is late.")."""
    text = sentence.lstrip("*_ ")
    if _STAMPED.search(text):
        return False
    if language not in _COMMAND_FORM and (re.match(r"\S+(?: \S+){0,3} (?:is|are|was|were|has|have|had)\b", text)
                                          or re.match(r"\S+ (?:\[\d+\]|\S*\d)", text)):
        return False  # "Return window has closed.", "Export to CSV is broken …", "Order [1] …"
    return _imperative_first(text, language)


# the first word is no imperative where it names something, as a label ("Open dates: 9, 16 and 23 May.") or before a
# plural noun and its verb ("Download links expire after 24 hours.", "Free repair within 7 days": "free" commands
# only with "up"), eighteenth and nineteenth sets: "Please open dates: …", "Please download links expire …"
_NAMING = re.compile(r"^[^\W\d_]+ (?!(?:it|them|here|now|this|that|the|your|our|a|an|online|below|us|me)\b)"
                     r"[^\W\d_]+(?: [^\W\d_]+)?:\s|^free (?!up\b)|"
                     r"^[^\W\d_]+ [a-z]+s (?!(?:to|for|from|in|on|at|by|with|within|before|after|into|onto|of|and|or|"
                     r"the|a|an|your|our|this|that|these|those|here|there|now|today|again|first|back|up|out|off|"
                     r"over|down|away)\b)[a-z]+(?<!ly)\b")


# a German instruction written as an infinitive at the end: "Äpfel ohne Faulstellen anliefern." (twenty-fourth set:
# both readers read it as curt); before it only nouns, numbers and these small words, so that no other verb is there
# ("Die Stute ließ sich nicht verladen." is none)
_GERMAN_INFINITIVE = re.compile(r"^(.*)\s[a-zäöüß]+(?:en|ern|eln)\s*[.!]?$")
GERMAN_SMALL_WORDS = frozenset("""
vorher danach dann zuerst erst nur immer nie nicht bis ab am im vor nach mit ohne bei zum zur den die das der dem des
ein eine einen alle jede jeden jedes hier dort sofort auch rechtzeitig pünktlich spätestens mindestens vollständig
direkt online telefonisch persönlich einfach unbedingt möglichst gut genau vorab kurz in an auf aus für über unter
und oder per pro je bitte kein keine
""".split())


def _german_infinitive(text: str) -> bool:
    head = _GERMAN_INFINITIVE.match(text)
    # (an address or a code is no word: "Fotos der Kante an service@folienwerk-rhein.example schicken.")
    words = [word for token in head.group(1).split() if not re.search(r"[@/\d]|\w\.\w", token)
             for word in re.findall(r"[^\W\d_]+", token)] if head else []
    return bool(words) and all(word[0].isupper() or word in GERMAN_SMALL_WORDS for word in words) \
        and not any(word.lower() in ("sie", "wir", "ich", "man") for word in words)


@functools.cache
def _infinitives() -> dict[str, frozenset[str]]:
    return {code: frozenset(verbs) for code, verbs in _data().get("infinitives", {}).items()}


def infinitive_command(text: str, language: str | None) -> bool:
    """An instruction written as an infinitive: French first ("Refaire le test …", "Ne pas jeter."), German last
    ("Äpfel ohne Faulstellen anliefern.")."""
    if languages.finite_verb(text, language):
        return False  # (a participle ends "Ihr Paket [1] ist verloren." too)
    if language == "de":
        return _german_infinitive(text)
    first = re.match(r"(?:ne pas )?([^\W\d_]+)\b", text, re.I)
    return bool(first and text[:1].isupper() and first.group(1).lower() in _infinitives().get(language or "", ()))


def _imperative_first(text: str, language: str | None) -> bool:
    """The first word is one of the language's imperatives (German and French: by the verb's form, or an
    infinitive instruction)."""
    if language in _COMMAND_FORM:
        return bool(_COMMAND_FORM[language].match(text)) or infinitive_command(text, language)
    if language == "en" and _NAMING.match(text.lower() if text[:1].isupper() else text):
        return False
    first = re.match(r"[^\W\d_]+(?![\w-])", text)  # not "Check-in closes at 9."
    return bool(first and first.group()[0].isupper() and first.group().lower() in _commands().get(language or "", ()))


@functools.cache
def _model_prompt() -> tuple[str, Template, tuple[tuple[str, str], ...]]:
    data = _data()
    model = data["model"]
    return model["system"], Template(model["request"]), tuple(tuple(pair) for pair in model["examples"])


def model_messages(sentence: str) -> list[dict[str, str]]:
    """The chat turns that ask the model whether ``sentence`` (masked) is rude; the answer is "rude" or "fine"."""
    return _few_shot(*_model_prompt(), "sentence", sentence)


def _few_shot(system: str, request: Template, examples: tuple[tuple[str, str], ...], field: str,
              value: str) -> list[dict[str, str]]:
    """A system turn, each example asked and answered, then ``value`` asked (as ``request``'s ``field``)."""
    turns = [{"role": "system", "content": system}]
    for example, answer in examples:
        turns += [{"role": "user", "content": request.substitute({field: example})},
                  {"role": "assistant", "content": answer}]
    return turns + [{"role": "user", "content": request.substitute({field: value})}]


@functools.cache
def _feeling_prompt() -> tuple[str, Template, tuple[tuple[str, str], ...]]:
    feeling = _data()["feeling"]
    return feeling["system"], Template(feeling["request"]), tuple(tuple(pair) for pair in feeling["examples"])


FEELINGS = ("worried", "frustrated", "disappointed", "calm")


def feeling_chances(engine, customer_message: str) -> dict[str, float]:
    """How likely the model reads each of ``FEELINGS`` in the customer's message: one forward pass, no
    generation (the prompt and its examples are ``[feeling]`` in data/classify.toml)."""
    return engine.choose(_few_shot(*_feeling_prompt(), "message", customer_message), list(FEELINGS))


def judging_messages(system: str, request: Template, sentence: str) -> list[dict[str, str]]:
    """The prompt a probe reads the model's state after: the one ``bench/probe.py`` trains on and the service
    asks (the two must not differ by a character)."""
    return [{"role": "system", "content": system}, {"role": "user", "content": request.substitute(sentence=sentence)}]


@dataclass(frozen=True)
class Probe:
    """A logistic regression on one model's last hidden state after a judging prompt, trained on the labelled
    sentences by ``bench/probe.py`` (which writes ``data/probes/<model>.json``): hurtful (soften or drop) or
    not. It reads what the model makes of the sentence without asking it to say so, and generalises to
    hurtful sentences in words no phrase list has (``bench/results/probe.md``). It belongs to the model file
    it was trained on (``model_sha256``)."""

    model_sha256: str
    model_size: int
    system: str
    request: Template  # with $sentence
    answer_start: str
    weights: tuple[float, ...]  # the standardisation folded in: chance = logistic(weights · state + bias)
    bias: float

    @classmethod
    def from_json(cls, data: dict) -> "Probe":
        return cls(data["model_sha256"], data["model_size"], data["system"], Template(data["request"]),
                   data["answer_start"], tuple(data["weights"]), data["bias"])

    def messages(self, sentence: str) -> list[dict[str, str]]:
        return judging_messages(self.system, self.request, sentence)

    def open_prefix(self) -> list[dict[str, str]]:
        """The turns every judgement starts with, the last one cut where the sentence goes (for the engine to
        evaluate once and keep)."""
        before = self.request.template.split("$sentence")[0].rstrip()
        return [{"role": "system", "content": self.system}, {"role": "user", "content": before}]

    def chance(self, state: list[float]) -> float:
        """The chance that the sentence whose hidden state is ``state`` is hurtful."""
        if len(state) != len(self.weights):
            raise ValueError(f"the probe reads {len(self.weights)} numbers, the model gave {len(state)}")
        score = math.fsum(map(operator.mul, self.weights, state)) + self.bias
        return 1 / (1 + math.exp(-max(-60.0, min(60.0, score))))


@functools.cache
def _probes() -> tuple[Probe, ...]:
    folder = resources.files("kindreply") / "data" / "probes"
    return tuple(Probe.from_json(json.loads(entry.read_text(encoding="utf-8")))
                 for entry in sorted(folder.iterdir(), key=lambda entry: entry.name) if entry.name.endswith(".json"))


def probe_prefixes() -> list[list[dict[str, str]]]:
    """Each shipped probe's fixed start (``Probe.open_prefix``), for a local engine to keep when it loads."""
    return [probe.open_prefix() for probe in _probes()]


def probe_for(engine) -> Probe | None:
    """The probe trained on the engine's model file, if there is one (a local engine only: a backend server
    gives no hidden states)."""
    if not hasattr(engine, "hidden_state") or getattr(engine, "model_path", None) is None:
        return None
    size = engine.model_path.stat().st_size
    candidates = [probe for probe in _probes() if probe.model_size == size]
    # the size first: only a file that could match is hashed (the default model's hash is known already)
    return next((probe for probe in candidates if engine.fingerprint() == probe.model_sha256), None)


def rude_chance(engine, sentence: str) -> float:
    """How likely the model finds ``sentence`` (masked) hurtful: one forward pass, no generation. The trained
    probe where there is one for the engine's model, else the model's own answer to "rude or fine?"."""
    probe = probe_for(engine)
    if probe is not None:
        return probe.chance(engine.hidden_state(probe.messages(sentence), probe.answer_start))
    return engine.choose(model_messages(sentence), ["rude", "fine"])["rude"]


# a reminder that it was explained before, whose only fact is how often: "I explained all this on site, twice.",
# "I've told you this three times." (thirty-first set); the count says nothing the customer needs
_TOLD_BEFORE = re.compile(r"^(?:i|we)(?:['’]ve| have)? (?:already )?(?:told|explained)(?: (?:all )?(?:this|that|it))?"
                          r"(?: (?:to )?you)?(?: (?:this|that|it))?(?: (?:on site|on the phone|by (?:e-?mail|phone)|in person|in writing|"
                          r"at the \w+|before|already))*,? \[\d+\](?: times)?(?: (?:now|already|before))?[.!]*$", re.I)


def _only_counts(sentence: str) -> bool:
    """The sentence's only facts are number words, said as a reproach's count: "Next time maybe check your own
    settings before telling us twice that we 'forgot' things." (hd-01) goes whole like the same without "twice";
    or a name said in the jab: "I'm sure nobody wants that, least of all Daniel." (thirty-fourth set)."""
    if MARKER.search(sentence):  # (masked: its facts are not known)
        return False
    spans = find_spans(sentence)
    return bool(spans) and all(kind in ("number_word", "name") for _, _, kind in spans)


def by_lexicon(sentence: str, language: str | None = None, masked: str | None = None) -> Verdict:
    """Classify one sentence (facts may be markers or the restored text) with the phrase lists alone; ``masked``
    is the sentence with its facts as markers, where ``sentence`` is the restored text: a sentence with a fact is
    never left out whole ("Si hubiera mirado el albarán, vería que pidió la referencia PCB-500…")."""
    if speaks_to_a_model(sentence):
        return Verdict(INJECTED, (sentence,))
    patterns = _drop_patterns()
    candidates = [patterns[language]] if language in patterns else []
    candidates += [pattern for code, pattern in patterns.items() if code != language]
    has_fact = MARKER.search(sentence if masked is None else masked)
    # left out whole: a sentence the drop lists know with no fact, or none but its counts; a reminder of how often
    only_hurts = any(pattern.match(sentence) for pattern in candidates)
    if only_hurts and (not has_fact or _only_counts(sentence)) \
            or has_fact and _TOLD_BEFORE.match(sentence if masked is None else masked):
        return Verdict(DROP, (sentence,))
    # ("**No refunds** on sale items." is "No refunds on…"; a menu path names labels: "Choose in the app under Orders >
    # Rejected." got "Unfortunately, choose…", thirty-eighth set)
    flags = tone.find_flags(_MENU_PATH.sub(" ", _EMPHASIS.sub("", sentence)))
    hurtful = [flag.span for flag in flags if flag.category in HURTFUL]
    if hurtful and all(_OUR_REFUSAL.match(span) for span in hurtful) and _bare(sentence) \
            and not SOFTENER.search(sentence):
        # "We don't fix old versions.": curt only for being a bare refusal of ours, said with regret by rule
        return Verdict(SOFTEN, tuple(hurtful), blunt=True)
    if hurtful:
        return Verdict(SOFTEN, tuple(hurtful))
    blunt = [flag.span for flag in flags if flag.category == "negative"]
    if blunt and not SOFTENER.search(sentence) and _bare(sentence):
        return Verdict(SOFTEN, tuple(blunt), blunt=True)
    if not flags and is_command(sentence, language):
        return Verdict(SOFTEN, ("a bare command",), command=True)
    if reproaches_this_time(sentence):
        return Verdict(SOFTEN, (THIS_TIME.search(sentence).group().strip(" ,"),))
    return Verdict(KEEP)


# "this time" said of what the customer does: "…, so it would be great if someone could actually be in this time.",
# "aber nur, wenn Sie diesmal pünktlich liefern", "guárdelo esta vez" (in 34 drafts of the held-out sets, 4 of the
# twenty-fourth: it says the customer failed before); the words go (``edit.by_rule``), the request stays
THIS_TIME = re.compile(r",?\s*\b(?:(?:carefully|properly|correctly) )?(?:this time(?: round)?|diesmal(?: auch)?|"
                       r"dieses mal|esta vez(?: s[ií])?|cette fois(?:-ci)?)\b"
                       # (with the hope after it: "… with through-stones this time, hopefully." (26th set)
                       r"(?:,? (?:hopefully|I hope|j'espère|espero))?,?", re.I)
# not where we do it, or it is a one-off concession: "Et cette fois, je l'emballe moi-même", "…, nous renvoyons la
# commande, cette fois en colis réfrigéré", "No failed-collection fee this time.", "pour cette fois seulement"
# (a request said as our wish is the customer's doing: "Wir wären Ihnen dankbar, wenn Sie diesmal …")
_OURS_THIS_TIME = re.compile(r"\b(?:we|we['’]ll|we['’]re|I(?!['’]d (?:suggest|recommend|advise))|I['’]ll|our|us|wir|ich|"
                             r"uns|nous|je|j['’]\w+|nosotros|yo|\w+(?:amos|emos|imos|ons))\b", re.I)
_GRANTED_ONCE = re.compile(r"\b(?:only|seulement|exceptionnel\w*|ausnahmsweise|excepcional\w*|excepci[oó]n|"
                           r"exceptions?|ausnahme|no [\w-]+ (?:fee|charge)s?)\b", re.I)
_OUR_WISH = re.compile(r"\b(?:wir wären (?:Ihnen |dir )?(?:sehr )?dankbar|we(?:['’]d| would) (?:be grateful|appreciate)|"
                       r"nous vous serions reconnaissants|le agradeceríamos|te agradeceríamos)\b", re.I)


def reproaches_this_time(sentence: str) -> bool:
    """"this time" in a request to the customer, not in what we do or grant: what comes before it in the sentence,
    and the clause after it where it opens the sentence ("Et cette fois, je l'emballe …"), names no "we" or "I"."""
    found = THIS_TIME.search(sentence)
    if not found:
        return False
    if grants_once(sentence):
        return False
    if re.match(r"\s*(?:if|si|wenn|falls)\b[^,]*$", sentence[:found.start()], re.I) \
            and (found.group().rstrip().endswith(",") or sentence[found.end():].lstrip().startswith(",")):
        return False  # the condition of what follows: "If nobody answers this time, the job is closed" (ig-03)
    before = _OUR_WISH.sub("", sentence[:found.start()])
    opens = not before.strip(" ¿¡(") or re.fullmatch(r"\s*\W*\s*(?:and|et|y|und)\s*", before, re.I)
    after = sentence[found.end():].split(",")[0] if opens else ""
    return not _OURS_THIS_TIME.search(before + " " + after)


def grants_once(sentence: str) -> bool:
    """"this time" says a one-off favour: "No failed-collection fee this time.", "haremos una excepción, por esta vez"
    (twenty-sixth set: a cut had left "por.")."""
    found = THIS_TIME.search(sentence)
    return bool(found) and (bool(_GRANTED_ONCE.search(sentence))
                            or bool(re.search(r"\b(?:por|for|pour|just|für)\s*$", sentence[:found.start()], re.I)))
