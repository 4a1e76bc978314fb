import pytest

from kindreply.rewrite import protect as guard


@pytest.mark.parametrize("text, expected", [
    ("Hi {{ticket.requester.first_name}}, thanks", "{{ticket.requester.first_name}}"),
    ("Hello {%customer.firstName%}!", "{%customer.firstName%}"),
    ("Dear ${Cases.Contact Name},", "${Cases.Contact Name}"),
    ("Order #4821 is late", "#4821"),
    ("Order ORD-1234-X is late", "ORD-1234-X"),
    ("It costs $39.99 now", "$39.99"),
    ("It costs 12,50 € now", "12,50 €"),
    ("The window ended on 12 March.", "12 March"),
    ("Renews on March 3, 2025 at noon", "March 3, 2025"),
    ("Llega el 12 de marzo de 2024.", "12 de marzo de 2024"),
    ("Lieferung am 3. März 2024.", "3. März 2024"),
    ("Livraison le 14 juillet.", "14 juillet"),
    ("Due 2024-03-12.", "2024-03-12"),
    ("Due 12/03/2024.", "12/03/2024"),
    ("Call at 14:30 or 2pm", "14:30"),
    ("See https://help.acme.com/refunds?id=3.", "https://help.acme.com/refunds?id=3"),
    ("Write to billing@acme.com.", "billing@acme.com"),
    ("Call +1 (555) 010-2233 today", "+1 (555) 010-2233"),
    ("Run `pip install -U acme` first", "`pip install -U acme`"),
    ("Use ```\nacme --reset\n``` then", "```\nacme --reset\n```"),
    ("Your Premium plan is active", "Premium"),
    ("I asked Sarah Connor about it", "Sarah Connor"),
    ("Update your iPhone first", "iPhone"),
    ("Closes on Friday.", "Friday"),
    ("That is 50% off", "50%"),
])
def test_each_kind_of_fact_is_protected_whole(text, expected):
    protected = guard.protect(text, "en")
    assert expected in {span.text for span in protected.spans}
    assert expected not in protected.masked


def test_masking_then_restoring_gives_back_the_text():
    text = ("Hi {{ticket.requester.first_name}}, we can't refund order #4821 for $39.99. "
            "The window ended on 12 March. See https://help.acme.com/refunds.")
    protected = guard.protect(text, "en")
    assert protected.masked == "Hi [1], we can't refund order [2] for [3]. The window ended on [4]. See [5]."
    assert guard.restore(protected.masked, protected.spans) == text


def test_the_same_fact_twice_gets_one_marker():
    protected = guard.protect("Order #12 and again #12.", "en")
    assert protected.masked == "Order [1] and again [1]."
    assert len(protected.spans) == 1


def test_a_sentence_initial_capital_is_not_a_name():
    protected = guard.protect("Thanks for writing. Unfortunately the shop is closed.", "en")
    assert protected.spans == ()


def test_german_nouns_are_not_taken_for_names():
    protected = guard.protect("Die Bestellung kam am Montag nicht an.", "de")
    assert [s.text for s in protected.spans] == ["Montag"]


def test_restore_tolerates_what_models_do_to_markers():
    spans = guard.protect("Order #4821 on 12 March", "en").spans
    assert guard.restore("Order [[1]] on ⟦2⟧ and [ 1 ]", spans) == "Order #4821 on 12 March and #4821"


def test_restore_leaves_a_marker_that_names_no_fact_as_it_was():
    """Deleting an invented marker would leave a hole no check sees; verify reports it instead."""
    spans = guard.protect("Order #4821", "en").spans
    assert guard.restore("Order [1] [7] and [[8]]", spans) == "Order #4821 [7] and [[8]]"


def test_verify_names_a_missing_fact():
    protected = guard.protect("Order #4821 ended on 12 March", "en")
    findings = guard.verify("Your order [1] has ended.", protected.masked, protected.spans)
    assert [(f.code, f.span) for f in findings] == [("missing_fact", "12 March")]
    assert findings[0].message == "the rewrite does not contain '12 March' (date) from the draft"


def test_verify_flags_a_number_the_model_made_up():
    protected = guard.protect("Order #4821", "en")
    findings = guard.verify("Order [1] ships in 3 days for $5.", protected.masked, protected.spans)
    assert {f.span for f in findings if f.code == "added_fact"} == {"3", "$5"}
    assert "the rewrite adds '3', which is not in the draft" in {f.message for f in findings}


def test_verify_passes_a_faithful_output():
    protected = guard.protect("Order #4821 on 12 March", "en")
    assert guard.verify("I'm sorry: order [1] on [2] can't be refunded.", protected.masked, protected.spans) == []
    # the model's doubled brackets and spaces still count as the marker
    assert guard.verify("Order [[1]] on [ 2 ].", protected.masked, protected.spans) == []


def test_verify_reports_a_marker_the_model_invented():
    protected = guard.protect("Order #4821 for $39.99 on 12 March, see https://acme.example/r", "en")
    assert len(protected.spans) == 4
    findings = guard.verify("Order [1] for [2] on [3], see [4] and [7].", protected.masked, protected.spans)
    assert [(f.code, f.span, f.kind) for f in findings] == [("invented_marker", "[7]", "marker")]
    assert findings[0].message == "the rewrite has the marker [7], which stands for nothing in the draft"
    # and restoring does not hide it
    assert "[7]" in guard.restore("see [4] and [7].", protected.spans)


def test_verify_reports_a_duplicated_marker():
    protected = guard.protect("Refund $39.99 for order #4821.", "en")
    findings = guard.verify("We refund [1] for order [2], that is [1].", protected.masked, protected.spans)
    assert [(f.code, f.span, f.found, f.expected) for f in findings] == [("duplicated_fact", "$39.99", 2, 1)]
    assert findings[0].message == "the rewrite repeats '$39.99' (money): twice, where the draft has it once"


def test_a_fact_the_draft_has_twice_must_come_back_twice():
    protected = guard.protect("Order #12 was charged, and #12 was charged again.", "en")
    assert protected.masked == "Order [1] was charged, and [1] was charged again."
    assert guard.verify("Order [1] was charged twice, [1] again.", protected.masked, protected.spans) == []
    findings = guard.verify("Order [1] was charged twice.", protected.masked, protected.spans)
    assert [(f.code, f.found, f.expected) for f in findings] == [("missing_fact", 1, 2)]
    assert findings[0].message == "the rewrite has '#12' (number) once, where the draft has it twice"


@pytest.mark.parametrize("text", [
    "See note [2] for the details.",
    "See note [2] and [[3]], ⟦1⟧ and [ 4 ].",
    "Order [#4821] is late [12].",
    "[[#4821]] and [ #12 ] and [⟦5⟧]",
    "A [1] that the agent wrote, and a fact 12 March next to it [1].",
    "Markdown [incident 812](https://status.example.com/incidents/812) and [812](https://a.io/812).",
])
def test_the_drafts_own_marker_look_alikes_come_back_as_written(text):
    protected = guard.protect(text, "en")
    assert guard.restore(protected.masked, protected.spans) == text
    # and the model cannot tell them from the guard's markers: each marker the model sees is a span
    assert guard.verify(protected.masked, protected.masked, protected.spans) == []


@pytest.mark.parametrize("language, text, expected", [
    ("en", "We charged you three times last week.", ["three"]),
    ("en", "You were charged twice.", ["twice"]),
    ("en", "It ships a dozen items.", ["a dozen"]),
    ("en", "The second payment failed.", ["second"]),
    ("en", "The first payment went through, the other half did not.", ["first", "half"]),
    ("en", "It took twenty-one days and three hundred emails.", ["twenty-one", "three hundred"]),
    ("en", "One of our agents will call.", ["One"]),
    ("en", "No one has replied; anyone can, someone will, everyone should.", ["one"]),
    ("en", "It is done. None are gone, the phone is on.", []),
    ("en", "Turn on two-factor authentication, and double-check the address.", []),
    ("es", "Le cobramos tres veces, dos pagos.", ["tres", "dos"]),
    ("es", "La segunda factura llega en quince días.", ["segunda", "quince"]),
    ("de", "Wir haben zweimal abgebucht.", ["zweimal"]),
    ("de", "Die zweite Zahlung kam nach drei Tagen.", ["zweite", "drei"]),
    ("de", "Bitte versuchen Sie es noch einmal.", []),
    ("fr", "Nous avons débité deux fois.", ["deux"]),
    ("fr", "La deuxième facture, vingt-deux jours plus tard.", ["deuxième", "vingt-deux"]),
    ("fr", "Une commande et un colis.", []),
])
def test_number_words_and_ordinals_are_facts(language, text, expected):
    protected = guard.protect(text, language)
    assert [s.text for s in protected.spans if s.kind == "number_word"] == expected
    assert guard.restore(protected.masked, protected.spans) == text


def test_number_words_are_whole_words_only():
    protected = guard.protect("Someone wrote to anyone, often, and tender prone stones.", "en")
    assert protected.spans == ()


def test_a_number_word_the_model_changes_is_a_missing_fact():
    protected = guard.protect("We charged you twice for the second order.", "en")
    assert protected.masked == "We charged you [1] for the [2] order."
    findings = guard.verify("We charged you [1] for the order.", protected.masked, protected.spans)
    assert [(f.code, f.span, f.kind) for f in findings] == [("missing_fact", "second", "number_word")]


def test_a_draft_in_another_language_gets_no_number_words_and_an_unknown_one_all():
    assert guard.protect("Dos clientes", "pt").spans == ()  # Portuguese "dos" is "of the"
    assert [s.text for s in guard.protect("zweimal and twice", None).spans] == ["zweimal", "twice"]


def test_a_fact_at_the_end_of_a_markdown_link_text_keeps_the_link_whole():
    text = "Root cause: [incident 812](https://status.example.com/incidents/812). See [guide 4](https://a.io/4)."
    protected = guard.protect(text, "en")
    assert guard.restore(protected.masked, protected.spans) == text
    assert guard.restore("Model doubled [[1]] it.", protected.spans) == "Model doubled 812 it."


@pytest.mark.parametrize("text, expected", [
    ("Su pedido nº12345 está en camino.", "nº12345"),
    ("Größe5 ist ausverkauft.", "Größe5"),
])
def test_every_digit_is_in_a_span_even_where_no_pattern_knows_the_number(text, expected):
    protected = guard.protect(text, None)
    assert expected in {s.text for s in protected.spans}
    assert not any(c.isdigit() for c in guard.MARKER_PATTERN.sub("", protected.masked))
