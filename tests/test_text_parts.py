"""The letter split, the output cleanup, the HTML round trip and language detection."""

import random

from bs4 import BeautifulSoup

from kindreply.rewrite import language, markup
from kindreply.rewrite.cleanup import clean_model_output
from kindreply.rewrite.assemble import Assembly
from kindreply.rewrite.letter import Letter, split_letter


def rebuilt(letter: Letter, body: str) -> str:
    """The letter as the pipeline's assembly writes it around a new body."""
    assembly = Assembly(letter, ())
    assembly.greeting(), assembly.sentence(body), assembly.sign_off()
    return assembly.text()


def test_greeting_and_sign_off_are_set_aside():
    letter = split_letter("Hi {{ticket.requester.first_name}},\n\nWe can't refund you.\n\nBest regards,\nAna\nAcme Support")
    assert letter.greeting == "Hi {{ticket.requester.first_name}},"
    assert letter.body == "We can't refund you."
    assert letter.sign_off == "Best regards,\nAna\nAcme Support"
    assert rebuilt(letter, "We are unable to refund you.") == (
        "Hi {{ticket.requester.first_name}},\n\nWe are unable to refund you.\n\nBest regards,\nAna\nAcme Support")


def test_a_draft_without_frame_is_all_body():
    letter = split_letter("We can't refund you.\nThe window ended.")
    assert (letter.greeting, letter.sign_off) == ("", "")
    assert letter.body == "We can't refund you.\nThe window ended."


def test_spanish_and_german_frames():
    assert split_letter("Hola Ana,\nNo podemos.\nSaludos,\nLuis").sign_off == "Saludos,\nLuis"
    letter = split_letter("Sehr geehrte Frau Weber,\nDas geht nicht.\nMit freundlichen Grüßen\nJan")
    assert letter.greeting == "Sehr geehrte Frau Weber,"
    assert letter.sign_off == "Mit freundlichen Grüßen\nJan"


def test_cleanup_removes_preamble_quotes_and_notes():
    raw = 'Sure! Here is the rewritten reply:\n\n"I understand how frustrating this is."\n\nNote: I kept the facts.'
    assert clean_model_output(raw) == "I understand how frustrating this is."


def test_cleanup_removes_an_added_greeting_and_sign_off():
    raw = "Dear customer,\n\nI understand this is frustrating.\n\nBest regards,\n[Your Name]"
    assert clean_model_output(raw) == "I understand this is frustrating."


def test_a_refusal_is_no_reply():
    assert clean_model_output("I'm sorry, but I can't assist with that.") == ""
    assert clean_model_output("I can't help with that request.") == ""


def test_cleanup_keeps_a_plain_reply_intact():
    reply = "I understand how frustrating this is.\n\nHere is what we can do: reset it at [1]."
    assert clean_model_output(reply) == reply


def test_html_round_trip_keeps_structure():
    html = ('<p>Hi <b>Ana</b>,</p><p>Please try:</p><ul><li>one</li><li><em>two</em></li></ul>'
            '<p>See <a href="https://acme.com/help">help</a>.<br>Line two</p>')
    text = markup.html_to_markdown(html)
    assert "**Ana**" in text and "- one" in text and "*two*" in text
    assert "[help](https://acme.com/help)" in text
    back = markup.markdown_to_html(text)
    for fragment in ("<strong>Ana</strong>", "<li>one</li>", "<em>two</em>",
                     '<a href="https://acme.com/help" rel="noopener noreferrer">help</a>', "<br>"):
        assert fragment in back


def test_html_input_loses_scripts_and_handlers():
    text = markup.html_to_markdown('<p onclick="x()">Hi</p><script>alert(1)</script><style>p{}</style>')
    assert text == "Hi"


def test_html_lines_in_divs_and_table_cells_stay_apart_on_the_way_in():
    # editors that write a line per <div> (and an order summary as a table) must not run words together
    text = markup.html_to_markdown('<div>Hi Ana,</div><div><br></div><div>Case closed.</div><div>Best,<br>Tom</div>'
                                   '<table><tr><td>Order</td><td>4821</td></tr></table><p>Bye <img src="https://x.example/l.png"></p>')
    assert text == "Hi Ana,\n\nCase closed.\n\nBest,\nTom\n\nOrder\n\n4821\n\nBye"


def test_a_rewrite_is_patched_into_the_agents_own_document():
    document = ('<div class="zd-comment" dir="auto"><p style="color: #333">Hi <span class="name">Ana</span>,</p>'
                '<p>You <b>obviously</b> missed the <a href="https://acme.example/faq">FAQ</a>. Case closed.</p>'
                '<table class="order"><tr><td>Order</td><td>4821</td></tr></table>'
                '<p><img src="https://acme.example/logo.png" alt="Acme"> Tom</p></div>')
    rewritten = "Hi Ana,\n\nI'm sorry for the confusion. The [FAQ](https://acme.example/faq) covers this.\n\nOrder\n\n4821\n\nTom"
    html = markup.patch(document, rewritten)
    assert html == ('<div class="zd-comment" dir="auto"><p style="color:#333">Hi <span class="name">Ana</span>,</p>'
                    "<p>I'm sorry for the confusion. The "
                    '<a href="https://acme.example/faq" rel="noopener noreferrer">FAQ</a> covers this.</p>'
                    '<table class="order"><tbody><tr><td>Order</td><td>4821</td></tr></tbody></table>'
                    '<p><img alt="Acme" src="https://acme.example/logo.png"> Tom</p></div>')


def test_a_line_left_out_goes_with_its_markup_and_an_added_one_is_made_like_its_neighbour():
    divs = markup.patch('<div>Hi Ana,</div><div>Late.</div><div><b>End of discussion.</b></div><div>Tom</div>',
                        "Hi Ana,\n\nYour order is late.\n\nIf you have any questions, just reply.\n\nTom")
    assert divs == ("<div>Hi Ana,</div><div>Your order is late.</div>"
                    "<div>If you have any questions, just reply.</div><div>Tom</div>")
    # lines parted by <br>: the wider break of the two around a line left out stays between its neighbours
    breaks = markup.patch("Hi Ana,<br><br>We can't refund you.<br>End of discussion.<br><br>Tom",
                          "Hi Ana,\n\nUnfortunately, we can't refund you.\n\nTom")
    assert breaks == "Hi Ana,<br><br>Unfortunately, we can't refund you.<br><br>Tom"
    # the bold words of a line went; a line added after it follows its line break, and the full stop stays plain
    bold = markup.patch("<p>Thanks for waiting. <b>Case closed.</b><br>Tom</p>",
                        "Thanks for waiting.\nIf you have questions, just reply.\nTom")
    assert bold == "<p>Thanks for waiting.<br>\nIf you have questions, just reply.<br>Tom</p>"
    # a line added after a list is a paragraph after the list, not an item of it
    listed = markup.patch("<ul><li>Open settings</li><li>Click reset</li></ul>",
                          "- Open settings\n- Click reset\n\nLet me know how it goes.")
    assert listed == "<ul><li>Open settings</li><li>Click reset</li></ul><p>Let me know how it goes.</p>"


def test_a_line_the_rewrite_did_not_change_is_not_touched():
    # Markdown reads "1. " as a list number; the patch leaves the agent's own line as it was
    html = markup.patch("<p>1. Open settings</p><p>You failed to read it.</p>", "1. Open settings\n\nHere it is again.")
    assert html == "<p>1. Open settings</p><p>Here it is again.</p>"


def test_a_document_that_cannot_be_patched_gets_the_rewrites_own_html():
    assert markup.patch('<img src="https://acme.example/x.png">', "Thanks for waiting.") == "<p>Thanks for waiting.</p>"
    # every line of the document goes and a new one comes: nothing of the document is left to patch
    assert markup.patch('<p class="x">Case closed.</p>', "Thanks for waiting.") == "<p>Thanks for waiting.</p>"


def test_the_patched_document_is_sanitised():
    html = markup.patch('<p onclick="x()" style="position: fixed; color: red">Go <a href="javascript:alert(1)">here</a>'
                        '<script>alert(1)</script><a href="data:text/html,hi">x</a>'
                        '<img src="data:image/png;base64,AAAA" onerror="alert(1)"></p>',
                        "Go here x")
    assert "onclick" not in html and "script" not in html and "javascript" not in html and "position" not in html
    assert "data:text" not in html and "onerror" not in html
    assert 'style="color:red"' in html and 'src="data:image/png;base64,AAAA"' in html


def test_html_output_is_sanitised():
    html = markup.markdown_to_html("[click](javascript:alert(1)) <img src=x onerror=alert(1)>")
    # markdown-it refuses the javascript: link and the raw tag; both stay inert, escaped text
    assert 'href="javascript' not in html and "<img" not in html


def test_language_detection():
    assert language.detect("No hacemos reembolsos después de treinta días.") == "es"
    assert language.detect("Das Paket ist leider noch unterwegs.") == "de"
    assert language.detect("Votre colis arrive demain matin.") == "fr"
    assert language.detect("We cannot refund your order, sorry.") == "en"
    assert language.detect("[1]") is None


def test_language_names_and_codes():
    assert language.code_of("Spanish") == "es"
    assert language.code_of("es-MX") == "es"
    assert language.code_of("Klingon") is None
    assert language.name_of("de") == "German"


def test_a_name_greeting_and_a_dashed_signature_are_the_agents():
    letter = split_letter("Maria,\n\nClearly, you think so. I will revisit it.\n\n-Tomas")
    assert (letter.greeting, letter.body, letter.sign_off) == ("Maria,", "Clearly, you think so. I will revisit it.", "-Tomas")
    listed = split_letter("Do this:\n\n- Open\n\n- Reset")
    assert listed.sign_off == "" and listed.body.endswith("- Reset")


def test_a_models_assent_is_not_part_of_the_reply():
    assert clean_model_output("Sure, I understand. We can help.") == "I understand. We can help."
    assert clean_model_output("Certainly!") == "Certainly!"


def test_a_name_and_title_at_the_end_are_a_signature_even_without_a_closing_word():
    from kindreply.rewrite.assemble import Assembly
from kindreply.rewrite.letter import Letter, split_letter


def rebuilt(letter: Letter, body: str) -> str:
    """The letter as the pipeline's assembly writes it around a new body."""
    assembly = Assembly(letter, ())
    assembly.greeting(), assembly.sentence(body), assembly.sign_off()
    return assembly.text()

    letter = split_letter("Jordan,\n\nPlease update the passwords.\n\nEvelyn Carter  \nHead of IT Security")
    assert letter.body == "Please update the passwords." and letter.sign_off == "Evelyn Carter  \nHead of IT Security"
    assert split_letter("Maria,\n\nThe parcel is lost.\n\nCarlos").sign_off == "Carlos"
    # a list after a colon is not a signature
    assert split_letter("Hi,\n\nSteps:\n\nOpen Settings\nClick Billing").sign_off == ""


def test_a_closing_word_above_a_blank_line_and_a_name_is_the_sign_off():
    letter = split_letter("Hi Sam,\n\nThe report is late.\n\nRegards,\n\nSamira Chen\nChief Audit Officer")
    assert letter.body == "The report is late." and letter.sign_off == "Regards,\n\nSamira Chen\nChief Audit Officer"


def test_a_sign_off_at_the_end_of_the_last_paragraph_is_set_aside():
    letter = split_letter("Celeste,\n\nIt is disappointing. I stand by it. Regards, Jinbaek")
    assert letter.body == "It is disappointing. I stand by it." and letter.sign_off == "Regards, Jinbaek"
    # "Thanks for your patience." is a sentence, not a name
    assert split_letter("We fixed it. Thanks for your patience.").sign_off == ""


def test_remask_puts_each_span_back_once_and_only_as_a_whole_word():
    from kindreply.rewrite import protect
    spans = (protect.Span("2", "number", 1), protect.Span("one", "number_word", 2))
    # "one" → "[2]" must not then have its "2" masked ("[[1]]"), nor "someone" lose its "one"
    assert protect.remask("who could have seen that one coming", spans) == "who could have seen that [2] coming"
    assert protect.remask("someone said 2", spans) == "someone said [1]"


def test_a_placeholder_signature_with_a_team_line_under_it_is_the_sign_off():
    # the closing went under "{{agent.name}}\nClaims Team" (eleventh set hk-29, both readers)
    letter = split_letter("Hello {{ticket.requester.name}},\nClaims above £500 need a repair quote.\n"
                          "{{agent.name}}\nClaims Team")
    assert letter.sign_off == "{{agent.name}}\nClaims Team"
    assert letter.body == "Claims above £500 need a repair quote."


def test_an_opener_before_a_bold_first_word_is_not_bold():
    html = markup.patch("<p><b>Order 123</b> is late. Read our <a href='https://x.example/faq'>FAQ</a></p>",
                        "I'm sorry. **Order 123** is late. You can read our [FAQ](https://x.example/faq). Thanks")
    assert html == ("<p>I'm sorry. <b>Order 123</b> is late. You can read our "
                    '<a href="https://x.example/faq" rel="noopener noreferrer">FAQ</a>. Thanks</p>')


def _random_document(rng: random.Random) -> str:
    words = "we can't refund order please read the faq case closed thanks tom obviously your parcel is late".split()

    def phrase() -> str:
        picked = []
        for word in rng.choices(words, k=rng.randint(1, 6)):
            roll = rng.random()
            picked.append(f"<b>{word}</b>" if roll < 0.1 else f'<a href="https://x.example/{word}">{word}</a>'
                          if roll < 0.15 else f'<span style="color:red">{word}</span>' if roll < 0.2 else word)
        return " ".join(picked) + rng.choice([".", "", "!", ","])

    blocks = [lambda: f"<p>{phrase()}</p>", lambda: f"<div>{phrase()}</div>",
              lambda: "<ul>" + "".join(f"<li>{phrase()}</li>" for _ in range(rng.randint(1, 3))) + "</ul>",
              lambda: f"<p>{phrase()}<br>{phrase()}<br><br>{phrase()}</p>", lambda: f"{phrase()}<br>",
              lambda: "<table><tr>" + "".join(f"<td>{phrase()}</td>" for _ in range(2)) + "</tr></table>",
              lambda: "<div><br></div>"]
    return "".join(rng.choice(blocks)() for _ in range(rng.randint(1, 5)))


def _random_rewrite(markdown: str, rng: random.Random) -> str:
    """What the pipeline does to a draft: sentences left out or reworded, an opener, a closing before the end."""
    lines = []
    for line in markdown.split("\n"):
        roll = rng.random()
        if roll < 0.15 and line.strip():
            continue
        if roll < 0.35 and line.strip():
            words = line.split(" ")
            words[rng.randrange(len(words))] = rng.choice(["kindly", "Unfortunately,", ""])
            line = " ".join(words)
        lines.append(line)
    if rng.random() < 0.3 and len(lines) > 1:
        lines[-1:-1] = ["", "If you have questions, just reply.", ""]
    if rng.random() < 0.3 and lines:
        lines[0] = "I'm sorry about this. " + lines[0]
    return "\n".join(lines)


def test_a_patched_document_always_reads_as_the_rewrite():
    # 500 documents of paragraphs, <div> lines, <br> lines, lists, tables, bold, links and spans, each rewritten
    # as the pipeline would: the answer reads line for line as the rewrite (patched, or the rewrite's own HTML)
    for seed in range(500):
        rng = random.Random(seed)
        document = _random_document(rng)
        rewritten = _random_rewrite(markup.html_to_markdown(document), rng)
        assert _line_texts(markup.patch(document, rewritten)) == _line_texts(markup.markdown_to_html(rewritten)), \
            (seed, document, rewritten)


def _line_texts(html: str) -> list[str]:
    return [line.text for line in markup._lines(BeautifulSoup(html, "html.parser"))]
