"""The parts of a reply: greeting, body, sign-off. Only the body goes to the model.

Greeting ("Hi {{ticket.requester.first_name}},") and sign-off ("Best regards,\\nAna\\nSupport team") stay
exactly where and how the agent wrote them, so the model is never asked to reproduce them, and
anything greeting- or sign-off-like it adds to the body anyway is removed by ``clean_model_output``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Openers and closers in English, Spanish, German, French, Portuguese, Italian and Dutch.
GREETING_WORDS = (
    r"hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|hola|buen(?:os|as)(?: \w+)?|estimad[oa]s?|"
    r"querid[oa]s?|hallo|liebe[rs]?|sehr geehrte[rs]?|guten (?:tag|morgen|abend)|moin|servus|bonjour|bonsoir|"
    r"salut|cher|chère|madame|monsieur|olá|oi|prezad[oa]|ciao|salve|gentile|beste|goedemiddag|goedemorgen")
# (Spanish opens an exclamation with "¡": "¡Hola, Laura!" is a greeting, thirty-fifth set)
GREETING = re.compile(rf"^¡?(?:{GREETING_WORDS})\b[^\n]{{0,60}}$", re.I)
# a greeting that opens the first sentence: "Hi Sam, so the corridor…", "Hola, Lucía: entiendo…" (nothing may go
# before it)
INLINE_GREETING = re.compile(rf"^¡?(?:{GREETING_WORDS})\b(?:\s+[^\s,:;!?]+){{0,6}}\s*[,:]\s", re.I)
_SIGN_OFF_WORDS = (
    r"(?:with )?(?:best|kind|warm|warmest)(?: regards| wishes)?|regards|with thanks|sincerely|cheers|thanks(?: again)?|thank you|"
    r"many thanks|all the best|take care|talk soon|yours(?: truly| sincerely)?|"
    r"saludos(?: cordiales)?|un saludo|un abrazo|atentamente|cordialmente|gracias|"
    r"(?:mit )?freundlichen? grüßen|freundliche grüße|viele grüße|beste grüße|liebe grüße|lg|mfg|danke|"
    r"cordialement|bien (?:à vous|cordialement)|merci|amicalement|salutations|prenez (?:bien )?soin de vous(?: deux| tous| toutes)?|"
    r"atenciosamente|abraços?|obrigad[oa]|cordiali saluti|distinti saluti|grazie|met vriendelijke groet|groeten")
# (after a short wish: "Congratulations, and take care,", "Good luck with the move and best wishes,"; or before a
# word more: "Cheers, and do bring a watch next time,", "Saludos cordiales, y no olvide el temporizador,")
SIGN_OFF = re.compile(rf"^(?:(?:{_SIGN_OFF_WORDS})[ ,.!]*|[^\W\d][\w'’ ]{{0,30}},? and (?:{_SIGN_OFF_WORDS}),|"
                      # (German writes no comma after it: "Mit freundlichen Grüßen, und in der Hoffnung, …")
                      rf"(?:{_SIGN_OFF_WORDS}),? (?:and|y|und|et) [^\W\d][^.!?:;\n]{{0,50}},|"
                      # (or in brackets: "Un saludo (y esta vez, a ser posible, la señal a tiempo),", 24th set)
                      rf"(?:{_SIGN_OFF_WORDS}) \([^()\n]{{1,120}}\),?|"
                      rf"(?:mit )?freundlichen grüßen,? und [^\W\d][^.!?:;\n]{{0,50}})$", re.I)
# a reproach that rides on the closing word goes, the closing word stays: "Cheers, and do bring a watch next time,"
# is "Cheers," (eighteenth set: the readers quoted it as a jab, and the closing had gone under the name)
_SIGN_OFF_DIG = re.compile(rf"^((?i:{_SIGN_OFF_WORDS})),? (?:(?:and|y|und|et) |\((?:(?:and|y|und|et) )?)[^\n]*?\b(?i:next time|this time|don['’]t forget|"
                           r"do (?:bring|remember|read|check)|no olvide|la próxima vez|esta vez|n['’]oubliez pas|la prochaine "
                           r"fois|cette fois|vergessen sie nicht|nächstes mal|diesmal|dieses mal|next round|on time)\b[^\n]*,?$")


_BRACKETED_DIG = re.compile(r"[ \t]*\([^()\n]*\b(?:for future reference|next time|this time|for next time|as (?:always|usual|before))"
                            r"\b[^()\n]*\)|"
                            # an aside said in a clause, not a role ("Jo Pritchard (Akela)") nor a fact: "Ruth (who keeps
                            # hers in the freezer)", "With best regards (and a gentle suggestion to read the guidelines
                            # before the next submission)," (thirty-first set)
                            r"[ \t]*\((?:and|but|who|which|y|pero|que|et|mais|qui|und|aber|die|der|still|yes|again|"
                            r"because|since|hopefully)\b(?=(?:[^()\n\d\[{]*\s){2})[^()\n\d\[{]{4,120}\)|"
                            # one word inside a wish: "Happy (dry) listening," (thirty-fifth set)
                            r"(?<=\bHappy) \([a-z]{3,12}\)(?= [a-z]+ing\b)|"
                            # or two words: "Happy brewing (and reading)!" (thirty-third set)
                            r"[ \t]*\((?:and|but|y|pero|et|mais|und|aber) [^()\n\d\[{\s]{3,30}\)|"
                            # a hope said as a doubt: "Thanks (in advance, hopefully)," (thirty-second set)
                            r"[ \t]*\([^()\n\d]{0,40}\bhopefully\)", re.I)


def without_dig(sign_off: str) -> str:
    """The sign-off less a reproach added to its closing word ("Cheers, and do bring a watch next time," → "Cheers,"),
    or to its wish ("Looking forward to finally hearing from you," → "Looking forward to hearing from you,")."""
    sign_off = re.sub(r"\b(looking forward to) finally\b", r"\1", sign_off, count=1, flags=re.I)
    # a reproach in brackets after the name: "Lewis (rate card re-attached, for future reference)" (29th set)
    sign_off = _BRACKETED_DIG.sub("", sign_off)
    first, newline, rest = sign_off.partition("\n")
    dig = _SIGN_OFF_DIG.match(first.strip())
    if not dig:
        return sign_off
    # (the closing's own comma, where the agent wrote one after it or at the line's end: "Un saludo, y a ver si …."
    # is "Un saludo,"; German writes "Mit freundlichen Grüßen" without)
    comma = (first.strip()[len(dig.group(1)):].startswith(",") or first.rstrip().endswith(",")) \
        and not re.search(r"gr[üu](?:ß|ss)e", dig.group(1), re.I)
    return f"{dig.group(1)}{',' if comma else ''}{newline}{rest}"
SIGNATURE_DELIMITER = re.compile(r"^--\s*$")
# "Maria," alone on the first line is a greeting; "-Tomas" or "— Ana Ruiz" alone on the last is a signature
# (with the small words of a name: "L'Escargotière de la Butte", twenty-sixth set: the closing went under it)
_NAME = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?: (?:(?:de|la|le|du|des|del|von|van|der|of|the) ){0,2}(?:[dl]['’])?[A-ZÀ-ÖØ-Þ][\w'’.-]*){0,2}"
# the helpdesk fills in a name: "{{ticket.requester.first_name}}", "{%agent.firstName%}", "${User.Name}"
PLACEHOLDER = r"(?:\{\{[^{}]+\}\}|\{%[^%]+%\}|\$\{[^{}]+\})"
# "{{ticket.requester.first_name}}," too, and two people: "Mr and Mrs Doyle," (twenty-third set: the opener went first)
NAME_GREETING = re.compile(rf"^(?:{_NAME}(?: (?:and|&|y|und|et) {_NAME})?|{PLACEHOLDER}),$")
# a subject line heads the letter as a greeting does: "Re: Harrow Joinery Ltd (in Creditors' Voluntary Liquidation)"
# (twenty-eighth set: the opener went before it)
SUBJECT_LINE = re.compile(r"^(?:re|fwd?|subject|betreff|asunto|objet)\s?:\s*\S[^\n]{0,120}$", re.I)
# so does a reference line with its number, or "Re" and what it is about: "Ref SAR-40917.", "Order 77812.", "Re your 14
# March slot." (thirty-first set: the opener went before all three); said as the first sentence of a paragraph, only
# "Re …" heads it (``ABOUT``): after "Order #CW-55102." the opener read spliced in (seventy-eighth round)
_RE_ABOUT = r"re (?:your|the|our|su|votre|ihre?)\b[^\n.!?:]{0,40}\d[^\n.!?:]{0,20}"
REFERENCE = re.compile(r"^(?:(?:ref(?:erence)?|order|invoice|booking|ticket|case|claim|quote|account|policy|pedido|factura|"
                       r"reserva|expediente|commande|facture|réservation|dossier|bestellung|rechnung|buchung|auftrag|"
                       r"az|aktenzeichen)\.?(?: (?:no|nr|n[º°]|number))?\.?:? ?#?[A-Z]*[\w/-]*\d[\w/-]*|"
                       rf"{_RE_ABOUT}|"
                       # "Juror no. 4471920.", "Beitragsnummer 482 917 553." (thirty-second set)
                       r"[^\W\d_]+ (?:no|nr|n[º°])\.? ?#?[A-Z]*[\w/-]*\d[\w/-]*|[^\W\d_]*nummer:? \d[\d ]*\d)\.?$", re.I)
ABOUT = re.compile(rf"^{_RE_ABOUT}\.?$", re.I)
# the customer's name said first in the first sentence: a first name, one word and a comma that is no interjection,
# adverb or answer: "Chris, the holes line up." (an opener went before it; "Yes, …", "Unfortunately, …", "Franchement,
# …", "Claro, …", the customer's "Inadmissible, …" quoted back are no names)
_NOT_A_NAME = frozenset("""yes no ok okay right well so now look listen sure sorry thanks cheers congratulations also
again still meanwhile however otherwise anyway besides plus today tomorrow yesterday first firstly second secondly
finally lastly note update please ah oh hey hi hello dear great good fine done honestly sadly
sí si claro vale bueno mire oiga perdón gracias ojo ya ahora además entonces hola tranquilo tranquila
ja nein gut nun schade leider ach danke hallo übrigens ehrlich
oui non bon bien alors voilà écoutez merci franchement désolé désolée bonjour d'abord ensuite enfin""".split())
_FIRST_NAME = re.compile(r"^([A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+),\s+(?=[a-zà-öø-ÿ])")
# a name with its title is one whatever the word: "Mr Harlow, the website figure is…" (twenty-eighth set)
_TITLED_NAME = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Señor|Señora|Sr|Sra|Srta|Don|Doña|Madame|Monsieur|"
                          r"Mme|Mlle|M)\.?(?: [A-ZÀ-ÖØ-Þ][\w'’-]+){1,2},\s")
# or the helpdesk's placeholder for it: "{{ticket.requester.first_name}}, your session ended…" (a capitalised word and a
# comma is no name: "Unfortunately, …")
VOCATIVE = re.compile(rf"^{PLACEHOLDER},\s")


def named_first(sentence: str) -> bool:
    """The sentence opens with the customer's name said to them: "Chris, the holes line up.", "Mr Harlow, the website
    figure…" (a lower-case word after the comma: "Chris, The" is not how a vocative goes on)."""
    if _TITLED_NAME.match(sentence):
        return True
    name = _FIRST_NAME.match(sentence)
    word = name.group(1).lower() if name else ""
    return bool(name) and word not in _NOT_A_NAME and not re.search(r"(?:ly|ment|mente|lich|weise|able|ible)$", word)
# (with a role or company after a comma: "— Priya, Netwise IT", twentieth set)
DASHED_SIGNATURE = re.compile(rf"^[-–—]\s?{_NAME}(?:,\s+[^\W\d][^.!?\n]{{0,40}})?$")
# the delimiter with the name on its line: "-- Textbeam Support" right under the last sentence (thirty-first set: the
# closing went under it); no list item starts with two dashes
_DELIMITED_NAME = re.compile(rf"^--\s?(?:{_NAME}|{PLACEHOLDER})(?:,\s+[^\W\d][^.!?\n]{{0,40}})?$")


@dataclass(frozen=True)
class Letter:
    greeting: str
    body: str
    sign_off: str
    # the white space the agent put after the greeting and before the sign-off: a blank line, a line break, or a
    # space where the sign-off ends the last paragraph ("… within 10 working days. Kind regards, Tomasz")
    sign_off_gap: str = "\n\n"
    greeting_gap: str = "\n\n"


def split_letter(text: str) -> Letter:
    lines = text.strip().split("\n")
    greeting, greeting_gap = "", "\n\n"
    if len(lines) > 1 and (GREETING.match(lines[0].strip()) or NAME_GREETING.match(lines[0].strip())
                           or SUBJECT_LINE.match(lines[0].strip()) or REFERENCE.match(lines[0].strip())):
        greeting = lines[0].rstrip()
        lines = lines[1:]
        greeting_gap = "\n" if lines[0].strip() else "\n\n"
    sign_off_at = None
    # the sign-off is near the end: a closing word alone on its line, or a '-- ' signature delimiter
    for index in range(len(lines) - 1, max(-1, len(lines) - 8), -1):
        line = lines[index].strip()
        if SIGN_OFF.match(line) or SIGNATURE_DELIMITER.match(line) or _is_dashed_signature(lines, index) \
                or _is_wish_sign_off(lines, index) \
                or _is_name_signature(lines, index) or _is_placeholder_signature(lines, index) \
                or _is_team_block(lines, index) or _is_dig_sign_off(lines, index) or _is_named_line(lines, index) \
                or (index == len(lines) - 1 and index > 0
                    and (_PLACEHOLDER_LINE.match(line) or _SIGNED_LINE.match(line) or _DELIMITED_NAME.match(line))):
            sign_off_at = index
            break
    if sign_off_at is not None and not SIGN_OFF.match(lines[sign_off_at].strip()):
        # "Regards,\n\nSamira Chen\nChief Audit Officer": the closing word belongs to the name under it
        above = [index for index in range(max(0, sign_off_at - 2), sign_off_at) if lines[index].strip()]
        if above and (SIGN_OFF.match(lines[above[-1]].strip()) or _is_wish_sign_off(lines, above[-1])
                      or _is_dig_sign_off(lines, above[-1])):
            sign_off_at = above[-1]  # (or the wish over it: "Enjoy the new bike!\nMarta")
    inline_at = None
    if sign_off_at is None and lines:
        # "… where my skills are relevant. Regards, Jinbaek": a sign-off at the end of the last paragraph
        inline = _INLINE_SIGN_OFF.search(lines[-1])
        if inline and inline.start() > 0:
            lines = lines[:-1] + [lines[-1][:inline.start()].rstrip(), inline.group().strip()]
            sign_off_at = inline_at = len(lines) - 1
    sign_off, gap = "", "\n\n"
    if sign_off_at is not None and any(l.strip() for l in lines[:sign_off_at]):
        sign_off = "\n".join(lines[sign_off_at:]).strip()
        gap = " " if inline_at == sign_off_at else "\n" if lines[sign_off_at - 1].strip() else "\n\n"
        lines = lines[:sign_off_at]
    return Letter(greeting, "\n".join(lines).strip(), sign_off, gap, greeting_gap)


def _is_dashed_signature(lines: list[str], index: int) -> bool:
    """"-Tomas" as the last line, after a blank one, and not the last item of a "- item" list."""
    if not DASHED_SIGNATURE.match(lines[index].strip()) or index < 1 or lines[index - 1].strip() \
            or any(line.strip() for line in lines[index + 1:]):
        return False
    before = [line for line in lines[:index] if line.strip()]
    return not before or not before[-1].lstrip().startswith(("-", "–", "—", "*"))


_PLACEHOLDER_LINE = re.compile(rf"^{PLACEHOLDER}$")  # the agent's name, filled in by the helpdesk
# a formal closing word alone at the end of the last paragraph: "… supplémentaire. Cordialement." (not "Thanks.",
# which is a sentence; the fourteenth set's closing went after it, hf-23)
_FORMAL_CLOSING = (r"(?i:(?:kind |best |warm )?regards|sincerely|(?:bien )?cordialement|salutations distinguées|"
                   r"saludos(?: cordiales)?|un saludo|atentamente|(?:mit )?freundlichen grüßen|freundliche grüße|"
                   r"viele grüße|beste grüße)[.!]?")
# "Kind regards, Tomasz, Customer Relations": a closing word and a name, which may have a role or a company after
# it (", Customer Relations", " at Harbour Dental", " (Autoescuela Vía Libre)")
_SIGNED = (rf"(?i:{_SIGN_OFF_WORDS}),\s+(?:{_NAME}|{PLACEHOLDER})"
           rf"(?:(?:,\s+|\s+(?:at|from|de|von|du|del|@)\s+|\s*\()[^.!?\n]{{1,60}})?\.?")  # ("Dom @ Panel Beaters")
_SIGNED_LINE = re.compile(rf"^{_SIGNED}$")  # as the last line: "Regards, Dana"
# at the end of the last paragraph: "… within 10 working days. Kind regards, Tomasz", "… yourself. {{agent.name}}"
_INLINE_SIGN_OFF = re.compile(rf"(?<=[.!?])\s+(?:{_SIGNED}|{PLACEHOLDER}|{_FORMAL_CLOSING})\s*$")


# a name, a team or a role and its company, alone on the last line: "Front Desk, Hive Works", "Ana Ruiz"; a name and
# a role in lower case, "Claire Bonnet, orthophoniste", "Kat, API support" (nineteenth set: the closing went under them)
# (a team named with a lower-case word: "Orders team", "Yard office", "Admin team, Relay Cup"; twenty-fourth set: the
# closing went under four of them; and a numbered office: "Administración n.º 3 de Alcalá", twenty-fourth set)
# (a bench or a desk by its number: "Bench 3, Trentside Tool Repairs", thirty-second set)
_TEAM_NAME = (rf"{_NAME}(?: (?:team|office|desk|support|crew|department|services?|staff))?"
              rf"(?: (?:(?:n\.?º|nº|no\.|nr\.|#) ?)?\d+(?: (?:de|del|of|von) {_NAME})?)?")
_TEAM_LINE = re.compile(rf"^(?:{_TEAM_NAME}(?:,\s+{_NAME}|,\s+[^\W\d_][\w'’&-]*(?: [\w'’&-]+){{0,3}})?|"
                        # (a team in a capital and a lower-case word before the company: "Service clients, Remontées du
                        # Val d'Orcière", thirty-first set: the closing went under it; or a role,
                        # "Le président, Cercle d'escrime Saint-Georges")
                        r"[A-ZÀ-ÖØ-Þ][\w'’-]* [a-zà-öø-ÿ][\w'’-]*,\s+[A-ZÀ-ÖØ-Þ][\w'’&-]*(?: [\w'’&-]+){0,3})"
                        # with its legal form: "Mieterverein Freiburg-Süd e. V." (thirty-second set)
                        r"(?:,?\s(?:e\.\s?V\.|GmbH|AG|KG|Ltd\.?|Inc\.?|LLC|S\.L\.|S\.A\.|SARL|SAS))?$")


def _is_placeholder_signature(lines: list[str], index: int) -> bool:
    """"{{agent.name}}" on its line with at most two lines of role or team under it ("Claims Team")."""
    under = [line.strip() for line in lines[index + 1:] if line.strip()]
    return index > 0 and bool(_PLACEHOLDER_LINE.match(lines[index].strip())) and 0 < len(under) <= 2 \
        and all(_TEAM_LINE.match(line) for line in under)


def _is_dig_sign_off(lines: list[str], index: int) -> bool:
    """A closing word with a reproach after it that ends in a full stop, over the writer's name: "Un saludo, y a ver
    si la próxima vez lo pedimos con tiempo.\nAntonio, Hielos del Sur" (twenty-second set; with a comma it is a
    sign-off already; with a full stop only where the reproach is one, "Thanks, and we'll ship it Monday." is a
    sentence)."""
    closing = lines[index].strip()
    under = [name.strip() for name in lines[index + 1:]]
    return closing.endswith((".", "!")) and bool(_SIGN_OFF_DIG.match(closing)) and 1 <= len(under) <= 2 \
        and all(_TEAM_LINE.match(name) or _PLACEHOLDER_LINE.match(name) for name in under)


def _is_team_block(lines: list[str], index: int) -> bool:
    """The last lines name who wrote, right under a sentence: "…before inviting guests.\nFront Desk, Hive Works",
    or a name with its company under it, "…not us.\nDale\nHallam Crane Hire" (twenty-second set: the closing went
    under three such signatures)."""
    block = [line.strip() for line in lines[index:]]
    above = lines[index - 1].strip() if index > 0 else ""
    # (or under a line that ends in a link: "Pay: https://…/RT-5816\nPolarlink", twenty-sixth set)
    return 1 <= len(block) <= 2 and all(_TEAM_LINE.match(line) for line in block) \
        and (above.endswith((".", "!", "?")) or bool(re.search(r"(?:https?://|www\.|@)\S+$", above))) \
        and not re.match(r"(?:[-–—*•]|\d+[.)])\s", above)  # not the next item of a list


# a name line under a wish: capitalised words, joined by nothing but "&", dashes, commas and "at/from/de …"
_SIGNATURE_NAME = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|[&–—|-]|at|from|de|von|du|del|y|et|und)"
                             r"(?:,?\s+(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|[&–—|-]|at|from|de|von|du|del|y|et|und|team|support|"
                             r"crew|desk|office)){0,5}$")
# a wish said with an exclamation mark, over the name: "Hope the recovery goes well!\nRiverside Half team"
# (seventeenth set: the closing went under the team's name)
_WISH = re.compile(r"^(?:(?:I |we )?hope|wishing|good luck|best of luck|enjoy|have a (?:great|good|lovely|nice)|happy|"
                   r"get well|speedy|see you|fingers crossed|buena suerte|que (?:lo )?disfrute|feliz|mejórese|"
                   r"gute besserung|viel (?:spaß|erfolg|glück)|alles gute|bonne|belle|profitez|à bientôt)\b[^.?:;]*!$",
                   re.I)


def _is_wish_sign_off(lines: list[str], index: int) -> bool:
    """A short wish ending in a comma, or one with an exclamation mark ("Hope the recovery goes well!"), that opens
    the last paragraph, over the writer's name: "Belle écoute à vous deux,\nNadia – Sillons & Co", "Happy anniversary
    to you both,\nNadia" (the fifteenth and seventeenth held-out sets' closings went under the name)."""
    line = lines[index].strip()
    wish = line.endswith(",") and not re.search(r"[.!?:;]", line) or _WISH.match(line)
    if not wish or len(line.split()) > 9 or (index > 0 and lines[index - 1].strip()):
        return False
    under = [line.strip() for line in lines[index + 1:]]
    return 1 <= len(under) <= 3 and all(under) and bool(_SIGNATURE_NAME.match(under[0]) or
                                                         _PLACEHOLDER_LINE.match(under[0]))


def _is_name_signature(lines: list[str], index: int) -> bool:
    """A last paragraph that is a name (or the helpdesk's placeholder for one) and up to three short lines under
    it, with no sentence in them: "Evelyn Carter\nHead of IT Security" after a blank line, with no closing word
    before it."""
    if index < 1 or lines[index - 1].strip() or not (_TEAM_LINE.match(lines[index].strip())
                                                     or _PLACEHOLDER_LINE.match(lines[index].strip())):
        return False
    before = [line.strip() for line in lines[:index] if line.strip()]
    if not before or before[-1].endswith(":"):  # "Steps:\n\nOpen Settings" is a list, not a name
        return False
    block = [_ABBREVIATED.sub(r"\1", line.strip()) for line in lines[index:]]
    return 1 <= len(block) <= 4 and all(line and len(line.split()) <= 6 and not line.endswith((".", "!", "?", ":"))
                                        for line in block)


def _is_named_line(lines: list[str], index: int) -> bool:
    """The last line alone in its paragraph, a name made mostly of capitalised words, with the small words of a team
    or a place between them and no sentence's end: "Le Comité des fêtes de Saint-Aubin", "Secretaría – Comunidad de
    Regantes Acequia Mayor" (twenty-seventh set: the closing went under both); or, right under the last sentence, a
    name in parts joined by a dash."""
    line = lines[index].strip()
    words = [word for word in line.split() if word not in ("–", "—", "-", "|", "&")]
    if index != len(lines) - 1 or index < 1 or not 1 < len(words) <= 8 or not line[0].isupper() \
            or re.search(r"[\d.!?:;,()]|https?:|@|\{", line):
        return False
    # right under the last sentence, with no blank line, only a name in parts ("Marcos – MochilaExpress Camino",
    # "Fourrière municipale – secteur Nord", twenty-ninth set): "Reply YES to book" is a sentence without its stop
    above = lines[index - 1].rstrip()
    if above:
        return above.endswith((".", "!", "?")) and bool(re.search(r" [–—|-] ", line))
    # (or a link: "…book here: https://silkandseam.example/fitting\n\nSilk & Seam", twenty-seventh set)
    return index >= 2 and (lines[index - 2].rstrip().endswith((".", "!", "?"))
                           or bool(re.search(r"(?:https?://|www\.)\S+$", lines[index - 2].rstrip()))) \
        and sum(word[0].isupper() for word in words) * 2 >= len(words)


# a company's name may end in a full stop: "Leon, Kase Repair Co." (seventeenth set: the closing went under it)
_ABBREVIATED = re.compile(r"(\b(?:Co|Ltd|Inc|Corp|LLC|GmbH|Jr|Sr|Bros|S\.A|S\.L|Cía|Ltée|e\. ?V))\.$")
