"""Stage 4, by rule: the few things that have one kind wording, said in the agent's own words without the model.

From the phrase book (``data/phrases.toml``), in the draft's language: a bare "No." (``bare_refusal``), a blunt
refusal with regret (``regretful``: "Unfortunately, we do not support Windows 7."), a bare command with
"please" (``polite_request``), and a few fixed rephrasings (``rephrased``: "No undo." → "This can't be
undone."). The model's edits of these changed words of meaning ("No undo" became "No rollback", "support"
"offer"); a rule keeps every other word as the agent wrote it. ``pipeline`` tries these before the model.
"""

from __future__ import annotations

import functools
import re

from . import check, classify, language as languages, phrasebook


_BARE_NO = re.compile(r"^\s*(?:no|nope|nein|non)\s*[.!]*\s*$", re.I)


def is_bare_no(sentence: str) -> bool:
    """The sentence is a bare "No." ("Nein.", "Non.", "Nope!")."""
    return bool(_BARE_NO.match(sentence))


def bare_refusal(sentence: str, language: str | None) -> str | None:
    """"No." said kindly, in the draft's language ("Unfortunately, that isn't possible."); None otherwise."""
    words = phrasebook.phrases().get(language or "")
    return words.refusal if words and words.refusal and _BARE_NO.match(sentence) else None


# "No refunds on sale items." is a sign, not a sentence: "there are no refunds on sale items"
_NO_FRAGMENT = re.compile(r"^([*_]*)no\s+(\S+)", re.I)
# and in French and Spanish: "Pas de remboursement pour …" → "il n'y a pas de remboursement pour …", "Sin
# reembolso." → "no hay reembolso." (German needs no verb: "Leider keine Erstattung.")
_SIGNS = {"fr": (re.compile(r"^([*_]*)pas de\b", re.I), "il n'y a pas de"),
          "es": (re.compile(r"^([*_]*)sin\b(?=\s+(?:reembolso|devoluci|compensaci|indemnizaci|cambio)\w*[^,]*$)", re.I),
                 "no hay")}  # (not "Sin receta, no podemos …": a condition)
_VERDICT_FRAGMENT = re.compile(r"^([A-Za-z]+(?: [a-z]+)?) (denied|declined|rejected|refused)([.!]*)$")
# a list item's label: "Nut allergy: …" (not a time, "at 10:30", nor a link)
_LABEL = re.compile(r"^[*_]*[^\W\d_][^:.!?\d\[\]]{0,30}:[*_]*\s+(?=\S)")
_NEGATION_DE = re.compile(r"\b(?:nicht|kein\w*)\b", re.I)


def regretful(sentence: str, language: str | None, news: bool = False) -> str | None:
    """A blunt refusal said with regret, its words otherwise as the agent wrote them: "Unfortunately, we do not
    support Windows 7."; "Unfortunately, there is no compensation for weather."; "Eine Gutschrift gibt es leider
    nicht.". None where the language has no such word, or the sentence has no place for it. (The model's
    edits of such sentences changed words of meaning: "No undo" became "No rollback", "support" "offer".)"""
    words = phrasebook.phrases().get(language or "")
    if not words or not words.regret:
        return None
    text = sentence.strip()
    if re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)?\s*:", text):
        return None  # a heading before a list: "Rejected:" is no sentence ("Unfortunately, rejected:", il-09)
    if news and words.regret_before_negation:
        # bad news without a negation: "Ihr Paket 88412 ist verloren." → "… ist leider verloren."
        verb = languages.finite_verb(text, "de")
        return f"{text[:verb.end()]} {words.regret}{text[verb.end():]}" if verb else None
    if words.regret_before_negation:
        negation = _NEGATION_DE.search(text)
        if not negation:
            return None
        if negation.start() == 0:
            return words.regret.capitalize() + " " + text[0].lower() + text[1:]
        return f"{text[:negation.start()]}{words.regret} {text[negation.start():]}"
    label = _LABEL.match(text)
    if label:  # "Nut allergy: we cannot guarantee…" → "Nut allergy: unfortunately, we cannot guarantee…"
        rest = regretful(text[label.end():], language)
        return f"{label.group()}{rest[0].lower()}{rest[1:]}" if rest else None
    if language == "en" and re.match(r"(?:can(?:'t|not)|won['’]t be)\b", text, re.I):
        # a refusal with no subject is ours: "Can't change it now." → "Unfortunately, we can't change it now."; in
        # the passive it is the thing's: "Can't be unblocked." → "Unfortunately, it can't be unblocked.", as is a
        # state: "Won't be ready before the bank holiday." (twenty-seventh set)
        who = "it" if re.match(r"(?:can(?:'t|not)|won['’]t) be\b", text, re.I) else "we"
        return f"{words.regret} {who} {text[0].lower()}{text[1:]}"
    then = classify.THEN.match(text) if language == "en" else None
    if then:  # "So no refund." → "So, unfortunately, there is no refund." (twenty-third set: "So no refund." kept)
        rest = regretful(text[then.end():], language)
        return f"{then.group(1)}, {rest[0].lower()}{rest[1:]}" if rest else None
    verdict = _VERDICT_FRAGMENT.match(text) if language == "en" else None
    if verdict:  # "Refund denied." is a stamp: "Unfortunately, the refund has been denied."
        return f"{words.regret} the {verdict.group(1).lower()} has been {verdict.group(2).lower()}{verdict.group(3)}"
    # (with a verb of its own it is a sentence already: "No refund will be issued." → "Unfortunately, no refund…")
    sign, sentence_form = _SIGNS.get(language or "", (None, ""))
    fragment = sign.match(text) if sign else None
    if fragment:
        text = f"{fragment.group(1)}{sentence_form}{text[fragment.end():]}"
    fragment = _NO_FRAGMENT.match(text) if language == "en" and not languages.finite_verb(text, "en") else None
    if fragment:
        # the head of the noun phrase is its last word before a preposition: "no weekend deliveries on …" are
        head = re.match(r"((?:[^\W\d_]+[\s-]+){0,3}?[^\W\d_]+)(?=\s+(?:on|for|in|at|to|of|after|before|from|with|"
                        r"without|during|over|under|outside|unless|if|and|or|left|remaining|available|anymore)\b|"
                        r"[\s*_]*[.!,;:]|[\s*_]*$)",  # ("No slots left for October": the head is "slots")
                        text[fragment.start(2):])
        noun = (head.group(1).split()[-1] if head else fragment.group(2)).strip("*_")
        verb = "are" if noun.lower().endswith("s") and not noun.lower().endswith(("ss", "us", "is")) else "is"
        text = f"there {verb} {fragment.group(1)}no {text[fragment.end(2) - len(fragment.group(2)):]}"
    first = check.WORD.match(text.lstrip("*_"))
    if first and first.group() != "I" and not first.group().isupper() and first.group()[1:].islower():
        lead = len(text) - len(text.lstrip("*_"))
        text = text[:lead] + text[lead].lower() + text[lead + 1:]
    return f"{words.regret} {text}"


# a status said as a stamp: "Refill on hold.", "Withdrawal held for compliance review.", "Account suspended under
# Guideline 4.2." (the readers of the eighth set called them telegraphic: "should be one full sentence")
_STAMP_NOUNS = (r"order|refund|refill|account|data|withdrawal|payment|booking|reservation|parcel|package|subscription|"
                r"ticket|request|claim|application|appointment|delivery|card|transfer|deposit|membership|prescription|"
                r"repair|replacement|cancellation|shipment|transaction|domain|plan|trial|licen[cs]e|listing|registration")
_STAMP_STATE = r"on hold|pending|under review|in progress"
_STAMP = re.compile(rf"^((?:(?!(?:the|a|an|your|our|my|his|her|their|this|that)\b)[A-Za-z]+ )?(?:{_STAMP_NOUNS}))((?: (?:#?\[\d+\]|[A-Z0-9][\w-]*\d[\w-]*))?) "
                    rf"({_STAMP_STATE}|suspended|held|cancell?ed|confirmed|received|issued|approved|refunded|sent|"
                    r"shipped|processed|blocked|frozen|closed|escalated|paid|credited|expired|renewed|booked|"
                    r"rescheduled|ordered|dispatched|deleted|restored)\b(.*?)([.!]?)$", re.I)
_COMMON_QUALIFIERS = {"new", "replacement", "duplicate", "monthly", "annual", "yearly", "first", "last", "second",
                      "current", "previous", "original", "recent", "latest"}
_POLICY = re.compile(r"\b(?:after|within|once|when|as soon as|every|per)\b|\bin \[\d+\]", re.I)  # not "until", "by": "suspended until [1]"
_WHEN = re.compile(r"\b(?:on|at|yesterday|today|this morning|last \w+)\b", re.I)


# the same in French and Spanish: a noun (with its code or adjective) and a past participle, no verb of its own:
# "Rendez-vous annulé par le sous-traitant." → "Votre rendez-vous a été annulé par le sous-traitant.", "Cobro
# duplicado confirmado." → "Su cobro duplicado ha sido confirmado." (the participle already agrees with the noun;
# plural by its -s). German stamps are left: their possessive needs the noun's gender. A rule's label before a colon is
# no stamp: "Lata abollada en el cierre o hinchada: no se consume." had become "Su lata ha sido abollada…" (30th set).
_ROMANCE_STAMP = {
    "fr": (re.compile(r"^(?!(?:le|la|les|l|un|une|des|du|votre|vos|notre|nos|ce|cet|cette|ces|mon|ma|mes|il|elle|"
                      r"ils|elles|nous|vous|on|je|tout|toute|tous|toutes|rien|très|bien|pas|belle|bonne|excellente)\b)"
                      # (no determiner inside the noun: "Envoyez-nous les photos signées." is a request)
                      r"([A-ZÀ-Ý][\w-]*(?: (?!(?:le|la|les|l|un|une|des|du|votre|vos|notre|nos|ce|cet|cette|ces|mon|ma|"
                      r"mes|nous|vous|moi)\b)(?:[\w-]+|\[\d+\])){0,2}) "
                      r"(?!(?:journée|année|soirée|matinée|entrée|idée|arrivée|durée|pensée|autorisée?|recommandée?|"
                      r"conseillée?|exigée?|déconseillée?)s?\b)(\w+(?:é|ée|és|ées))"
                      r"((?: (?:par|le|la|les|l['’]|à|au|aux|en|depuis|pour|hier|aujourd['’]hui|ce|après|avec|suite)\b[^,;:.!]*)?)"
                      r"([.!]?)$", re.I),
           ("Votre", "a été"), ("Vos", "ont été")),
    "es": (re.compile(r"^(?!(?:el|la|los|las|un|una|unos|unas|su|sus|nuestro|nuestra|este|esta|ese|esa|lo|muy|"
                      r"ya|no|sin|todo|toda|todos|todas|nada|algo)\b)"
                      # (no determiner inside the noun: "Mándenos las medidas por correo." is a request)
                      r"([A-ZÁÉÍÓÚÑ][\w-]*(?: (?!(?:el|la|los|las|un|una|unos|unas|su|sus|lo|le|les|nos|me|te|se|mi|"
                      r"mis|tu|tus|nuestro|nuestra|nuestros|nuestras)\b)(?:[\w-]+|\[\d+\])){0,2}) "
                      # (not an adjective in -ido: "válidas", "rápido" carry an accent a participle does not; nor
                      # what a price includes or a rule allows: "Material incluido." had become "Su material ha sido
                      # incluido.", twenty-fifth set)
                      r"(?![\w]*[áéóú])(?!(?:incluid|permitid|prohibid|recomendad|garantizad|exigid)[oa]s?\b)"
                      r"(\w+(?:ad|[ií]d)[oa]s?)"
                      r"((?: (?:por|el|la|los|las|en|a|al|de|del|desde|hasta|para|hace|hoy|ayer|tras|con)\b[^,;:.!]*)?)"
                      r"([.!]?)$", re.I),
           ("Su", "ha sido"), ("Sus", "han sido")),
}
_WHEN_ES = re.compile(r" (?:el|ayer|hoy|hace|esta mañana)\b", re.I)
# and only for what is the customer's, as in English: "Échafaudage monté le lundi 3 mars à partir de 7h30." in a notice
# to residents had become "Votre échafaudage a été monté…", theirs and done (thirty-first set)
_ROMANCE_STAMP_NOUNS = {
    "fr": frozenset("""commande remboursement rendez-vous compte colis paiement réservation abonnement dossier demande
        virement livraison carte facture inscription candidature réclamation annulation retour échange prélèvement
        contrat billet place forfait avoir ticket envoi accès cotisation adhésion achat article paquet bon""".split()),
    "es": frozenset("""pedido reembolso cobro cuenta paquete pago reserva suscripción solicitud cita envío tarjeta factura
        devolución cambio inscripción reclamación transferencia contrato abono billete entrada plaza cartón boleto
        matrícula acceso cuota compra artículo bono cargo alta baja""".split()),
}


# the pipeline asks this of a kept sentence twice (is it plain bad news; the sentence as composed): remembered
@functools.lru_cache(maxsize=1024)
def completed(sentence: str, language: str | None, familiar: bool = False) -> str | None:
    """A status stamp said as a sentence, its words kept: "Refill on hold." → "Your refill is on hold.";
    "Account suspended under [1]." → "Your account has been suspended under [1]." ("was" where it says when:
    "Refund issued on [1]." → "Your refund was issued on [1]."; "will be" where it states a rule: "Data deleted
    after [1] days." → "Your data will be deleted after [1] days."); in French and Spanish the stamps above
    ``_ROMANCE_STAMP`` ("Tu"/"Tus" where the Spanish draft is ``familiar``: says "tú"). None for anything else."""
    text = sentence.strip()
    if language in _ROMANCE_STAMP:
        pattern, one, many = _ROMANCE_STAMP[language]
        stamp = pattern.match(text) if len(text.split()) <= 12 and not languages.finite_verb(text, language) else None
        head = stamp.group(1).split()[0].lower() if stamp else ""
        if not stamp or not {head, head[:-1], head[:-2]} & _ROMANCE_STAMP_NOUNS[language]:  # ("Commandes", "Pagos")
            return None
        noun, participle, rest, ending = stamp.groups()
        plural = participle.lower().endswith("s")
        possessive, verb = many if plural else one
        if language == "es" and familiar:  # "Tu pedido ha sido enviado." in a draft that says "tú"
            possessive = "T" + possessive[1:]
        if language == "es" and _WHEN_ES.match(rest):  # "emitido el 5 de marzo": "fue emitido", not "ha sido"
            verb = "fueron" if plural else "fue"
        return f"{possessive} {noun[0].lower()}{noun[1:]} {verb} {participle}{rest}{ending or '.'}"
    stamp = _STAMP.match(text) if language == "en" and len(text.split()) <= 12 else None
    if not stamp or languages.finite_verb(text, "en"):
        return None
    noun, reference, state, rest, ending = stamp.groups()
    # a state now; what will happen ("Data deleted after [1] days." is a rule, not news); when it happened; else done
    verb = "is" if re.fullmatch(_STAMP_STATE, state, re.I) else "will be" if _POLICY.search(rest) \
        else "was" if _WHEN.search(rest) else "has been"
    first, _, after = noun.partition(" ")
    # "Premium subscription" keeps its product name; "Deferral request", "Refund request" are common nouns (thirty-second
    # set: "Your Deferral request has been received")
    if not after or first.lower() in _COMMON_QUALIFIERS or re.fullmatch(_STAMP_NOUNS, first, re.I) \
            or re.search(r"(?:al|ion|ment|ance|ence|ure|ing)$", first.lower()):
        noun = noun[0].lower() + noun[1:]
    return f"Your {noun}{reference} {verb} {state.lower()}{rest}{ending or '.'}"


def rephrased(sentence: str, language: str | None) -> str | None:
    """The sentence with its hurting start said another way, from phrases.toml: "Si no paga, cancelamos el
    servicio." → "Si no recibimos el pago, cancelamos el servicio." (the condition, and so the decision, stay)."""
    words = phrasebook.phrases().get(language or "")
    for pattern, text in words.rephrase if words else ():
        if pattern.match(sentence.strip()):
            return pattern.sub(text, sentence.strip(), count=1)
    return None


# the pronoun of a French imperative ("Envoyez-la", "Contactez-nous") and its place before an infinitive
# (and a reflexive one: "Présentez-vous 15 minutes avant" is "Veuillez vous présenter…", not "Veuillez présenter-vous",
# thirty-second set)
_FR_PRONOUNS = re.compile(r"(?:-(?:le|la|les|nous|vous|moi|leur|lui)\b){1,2}", re.I)
_FR_BEFORE_INFINITIVE = {"moi": "me"}  # the others stay as they are: "-la" → "la", "-nous" → "nous"


# most French verbs are -er ("vérifiez" → "vérifier"); these, common in support, are not ("prenez" is "prendre")
_FR_INFINITIVES = {
    "prenez": "prendre", "reprenez": "reprendre", "comprenez": "comprendre", "mettez": "mettre", "remettez": "remettre",
    "transmettez": "transmettre", "permettez": "permettre", "venez": "venir", "revenez": "revenir", "tenez": "tenir",
    "prévenez": "prévenir", "attendez": "attendre", "répondez": "répondre", "rendez": "rendre", "descendez": "descendre",
    "vendez": "vendre", "entendez": "entendre", "lisez": "lire", "écrivez": "écrire", "joignez": "joindre",
    "remplissez": "remplir", "choisissez": "choisir", "fournissez": "fournir", "finissez": "finir", "suivez": "suivre",
    "voyez": "voir", "recevez": "recevoir", "sortez": "sortir", "partez": "partir", "ouvrez": "ouvrir",
    "couvrez": "couvrir", "recouvrez": "recouvrir", "découvrez": "découvrir", "offrez": "offrir",
    "conduisez": "conduire", "soyez": "être", "ayez": "avoir", "sachez": "savoir", "apprenez": "apprendre",
    "buvez": "boire", "croyez": "croire", "devez": "devoir"}  # ("Soyez présente" had become "Veuillez soyer …", hz-08)


def polite_request(sentence: str, language: str | None) -> str | None:
    """A bare command with the language's "please": "Please pay the $75.40 first.", "Bitte senden Sie …",
    "Veuillez vérifier …" (French: the verb's infinitive, for verbs in -ez)."""
    words = phrasebook.phrases().get(language or "")
    if not words or not words.please:
        return None
    text = sentence.strip()
    lead = len(text) - len(text.lstrip("*_"))
    head, rest = text[:lead], text[lead:]
    if classify.infinitive_command(rest, language):
        # "Veuillez refaire le test …"; "Bitte Äpfel ohne Faulstellen anliefern." (a German noun keeps its capital,
        # a word that is none does not: "Bitte vorher anrufen.")
        first = re.match(r"[^\W\d_]+", rest)
        lower = language == "fr" or bool(first and first.group().lower() in classify.GERMAN_SMALL_WORDS)
        return f"{words.please} {head}{rest[:1].lower() + rest[1:] if lower else rest}"
    if language == "fr":
        verb = re.match(r"(\w+)ez\b", rest)
        if not verb:
            return None
        infinitive = _FR_INFINITIVES.get(verb.group().lower(), f"{verb.group(1).lower()}er")
        pronouns = _FR_PRONOUNS.match(rest, verb.end())
        if pronouns:  # "Envoyez-la à …" → "Veuillez l'envoyer à …": the pronouns go before the infinitive,
            # the indirect one first ("Indiquez-le-nous" → "nous l'indiquer")
            found = [_FR_BEFORE_INFINITIVE.get(p.lower(), p.lower()) for p in pronouns.group(0).split("-") if p]
            found.sort(key=lambda p: p in ("le", "la", "les"))
            joined = " ".join(found + [infinitive])
            joined = re.sub(r"\b(le|la|me) (?=[aeéèêiouh])", lambda m: m.group(1)[0] + "'", joined)
            return f"{words.please} {head}{joined}{rest[pronouns.end():]}"
        return f"{words.please} {head}{infinitive}{rest[verb.end():]}"
    return f"{words.please} {head}{rest[:1].lower()}{rest[1:]}"
