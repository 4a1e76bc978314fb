"""The tone analyser and POST /v1/analyze."""

import pytest

from kindreply import tone


@pytest.mark.parametrize("text, category, span", [
    ("As I already said, the app works.", "blame", "As I already said"),
    ("You should have read the terms.", "blame", "You should have read"),
    ("That's not our fault.", "blame", "not our fault"),
    ("The problem is your own router.", "blame", "The problem is your own"),
    ("There is nothing we can do.", "dismissive", "There is nothing we can"),
    ("That's how it works.", "dismissive", "That's how it works"),
    ("We can't do anything about it.", "dismissive", "We can't do anything about it"),
    ("We can't refund you.", "negative", "We can't"),
    ("Unfortunately it is late. Unfortunately we are closed.", "negative", "Unfortunately"),
    ("This is NOT acceptable.", "caps", "NOT"),
    ("Where is it??", "caps", "??"),
    ("Obviously you missed the email.", "sarcasm", "Obviously"),
    ("Oh, poor you.", "pity", "poor you"),
    ("Sorry! So sorry. We apologize.", "apology", "apologize"),
    ("Como ya le dije, no es nuestra culpa.", "blame", "Como ya le dije"),
    ("Wie bereits gesagt, das ist nicht unser Problem.", "blame", "Wie bereits gesagt"),
])
def test_what_hurts_is_flagged_with_its_span_and_a_suggestion(text, category, span):
    analysis = tone.analyze(text)
    flags = [f for f in analysis.flags if f.category == category]
    assert flags, analysis.flags
    assert text[flags[0].start:flags[0].end] == flags[0].span
    assert span in [f.span for f in flags]
    assert all(f.suggestion for f in flags)


def test_a_kind_reply_scores_high_and_a_curt_one_low():
    kind = tone.analyze("I understand how frustrating the wait has been. I've checked your order: you can "
                        "track it here, and we'll email you when it ships. Thank you for your patience.")
    curt = tone.analyze("As I already said, we can't do anything. Not our fault.")
    assert kind.flags == []
    assert set(kind.present) == {"acknowledgement", "restatement", "positive", "respect"}
    assert kind.score >= 80 and curt.score <= 30
    assert kind.scores["positive"] > curt.scores["positive"]


def test_acronyms_are_not_shouting():
    assert not tone.analyze("Send the PDF or the JSON file over HTTPS.").has("caps")


def test_analyze_endpoint(client):
    response = client.post("/v1/analyze", json={"text": "As I already said, we can't refund you!!"})
    assert response.status_code == 200
    body = response.get_json()
    assert {f["category"] for f in body["flags"]} >= {"blame", "negative", "caps"}
    assert 0 <= body["score"] <= 100 and set(body["scores"]) == {"acknowledgement", "restatement", "positive", "respect"}


def test_analyze_html_reports_offsets_in_the_visible_text(client):
    body = client.post("/v1/analyze", json={"text": "<p>Hello.</p><p>As I already said, <b>no</b>.</p>",
                                            "format": "html"}).get_json()
    flag = next(f for f in body["flags"] if f["category"] == "blame")
    assert body["text"][flag["start"]:flag["end"]] == "As I already said"


def test_analyze_rejects_empty_text(client):
    response = client.post("/v1/analyze", json={"text": "  "})
    assert response.status_code == 422 and response.content_type == "application/problem+json"
