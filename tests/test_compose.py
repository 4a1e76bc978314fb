"""The model-free parts of the practice: softening hurting clauses, an opener, a closing."""

import re

from hypothesis import given, settings, strategies as st

from kindreply import tone
from kindreply.rewrite.acknowledge import compose, phrases, soften


def test_a_blaming_clause_without_a_fact_is_removed_and_the_rest_kept():
    text, removed = soften("Not our problem, your ISP is the issue. Our servers had [1] uptime on [2].")
    assert text == "Your ISP is the issue. Our servers had [1] uptime on [2]."
    assert removed == ["Not our problem,"]


def test_a_lead_in_is_cut_and_the_sentence_kept():
    assert soften("As I already said, the app works fine.")[0] == "The app works fine."
    assert soften("Obviously the invoice [1] is correct.")[0] == "The invoice [1] is correct."
    assert soften("Comme indiqué, le remboursement de [1] a été effectué.")[0] == \
        "Le remboursement de [1] a été effectué."


def test_a_dismissive_sentence_goes_but_one_with_a_fact_stays():
    assert soften("It ships on [1]. Nothing we can do.")[0] == "It ships on [1]."
    # the hurt sits in the same clause as a fact: soften leaves it (the rewriter asks the model again)
    assert soften("Not our fault order [1] was late.")[0] == "Not our fault order [1] was late."


def test_markdown_structure_survives_softening():
    draft = "As I mentioned, the outage is **resolved**.\n\n- Start: [1]\n- End: [2]\n\nPlease refresh."
    assert soften(draft)[0] == "The outage is **resolved**.\n\n- Start: [1]\n- End: [2]\n\nPlease refresh."


def test_an_opener_names_the_customers_feeling_first_then_the_situation():
    english = phrases()["en"]
    assert english.opener("I've been waiting two weeks!", "Refund [1] sent.").startswith("I understand how frustrating it is to wait")
    assert english.opener("", "Your refund [1] was sent.") == "I understand how important this refund is to you."
    assert english.opener("", "Hello.") == english.default


def test_compose_adds_what_is_missing_and_nothing_else():
    bare = compose("Your order [1] ships on [2].", "en", draft="Your order [1] ships on [2].")
    assert bare.added == ["opener", "closing"]
    analysis = tone.analyze(bare.masked)
    assert "acknowledgement" in analysis.present and "positive" in analysis.present
    assert bare.masked.index("[1]") > bare.masked.index("order")  # the body is untouched, in the middle
    complete = compose("I understand the wait. You can track order [1] here.", "en")
    assert complete.added == [] and complete.masked == "I understand the wait. You can track order [1] here."


def test_every_language_in_the_phrase_book_is_recognised_by_the_analyser():
    """An opener the analyser does not count as an acknowledgement would be added on top of itself."""
    for code, words in phrases().items():
        for sentence in [words.default] + [s for _, s in words.feelings + words.situations]:
            assert "acknowledgement" in tone.analyze(sentence).present, (code, sentence)
        assert "positive" in tone.analyze(words.closing).present, (code, words.closing)


def test_a_language_without_phrases_gets_none():
    composed = compose("Seu pedido [1] foi enviado.", "pt")
    assert composed.masked == "Seu pedido [1] foi enviado." and composed.added == []


def test_a_paragraph_reply_gets_paragraph_additions():
    composed = compose("The outage is over.\n\n- Start: [1]\n- End: [2]", "en")
    assert composed.masked.startswith("I understand how disruptive") and "\n\nThe outage is over." in composed.masked
    assert composed.masked.endswith("\n\nIf you have any questions, I'm happy to help.")


SENTENCE = st.sampled_from([
    "As I said, order [1] left.", "Not our fault.", "That's how it works", "You should have read [2].",
    "Your refund is on its way", "Obviously it works.", "- Item [3]", "Clearly you didn't check.", "\n\n", " ",
    "We can help, but not our problem, and nothing we can do.", "Order [4] ships on [5]!"])


@given(st.lists(SENTENCE, max_size=8))
@settings(max_examples=200, deadline=None)
def test_softening_never_loses_a_marker(sentences):
    draft = " ".join(sentences)
    text, _ = soften(draft)
    assert sorted(re.findall(r"\[\d+\]", text)) == sorted(re.findall(r"\[\d+\]", draft))
