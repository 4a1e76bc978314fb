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


def test_restore_drops_markers_that_name_no_fact():
    spans = guard.protect("Order #4821", "en").spans
    assert guard.restore("Order [1] [7]", spans) == "Order #4821 "


def test_verify_names_a_missing_fact():
    spans = guard.protect("Order #4821 ended on 12 March", "en").spans
    findings = guard.verify("Your order [1] has ended.", spans)
    assert [(f.code, f.span) for f in findings] == [("missing_fact", "12 March")]
    assert "12 March" in findings[0].message


def test_verify_flags_a_number_the_model_made_up():
    spans = guard.protect("Order #4821", "en").spans
    findings = guard.verify("Order [1] ships in 3 days for $5.", spans)
    assert {f.span for f in findings if f.code == "added_fact"} == {"3", "$5"}


def test_verify_passes_a_faithful_output():
    spans = guard.protect("Order #4821 on 12 March", "en").spans
    assert guard.verify("I'm sorry: order [1] on [2] can't be refunded.", spans) == []


def test_a_fact_at_the_end_of_a_markdown_link_text_keeps_the_link_whole():
    text = "Root cause: [incident 812](https://status.example.com/incidents/812). See [guide 4](https://a.io/4)."
    protected = guard.protect(text, "en")
    assert guard.restore(protected.masked, protected.spans) == text
    assert guard.restore("Model doubled [[1]] it.", protected.spans) == "Model doubled 812 it."
