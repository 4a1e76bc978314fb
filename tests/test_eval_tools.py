"""The evaluation's own tools: the NumPy sentence embeddings and the per-case scoring."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import embedding  # noqa: E402  (bench/ is not a package)


def test_embeddings_match_the_reference_model():
    # all-MiniLM-L6-v2's published behaviour: paraphrases near, unrelated sentences near zero
    assert embedding.cosine("A man is eating food.", "A man is eating a piece of bread.") == pytest.approx(0.755, abs=0.02)
    assert embedding.cosine("We cannot refund your order.", "The weather in Paris is lovely in spring.") < 0.15


def test_scoring_catches_lost_facts_meta_text_and_blame():
    import eval as evaluation

    case = {"id": "t", "text": "We can't refund order #4821. Ended 12 March.", "format": "text", "language": "en",
            "customer_message": "", "facts": ["#4821", "12 March"], "kind": "curt"}
    good = evaluation.score(case, "I understand how frustrating this is. Order #4821's refund window closed on "
                                  "12 March, so we're not able to refund it.", 1.0)
    assert good["facts_kept"] and good["acknowledgement"] and good["blame_removed"] and not good["meta_text"]
    bad = evaluation.score(case, "Sure! Here is the rewrite: As I already said, order #4821 ended on 13 March.", 1.0)
    assert not bad["facts_kept"] and "12 March" in bad["missing"] and "13" in bad["added"]
    assert bad["meta_text"] and not bad["blame_removed"]


def test_the_probe_the_service_reads_is_the_fitted_pipeline_folded():
    import numpy as np

    import probe
    from kindreply.rewrite.classify import Probe, Template

    rng = np.random.default_rng(7)
    states = rng.normal(loc=3.0, scale=[1.0, 5.0, 0.2], size=(200, 3))
    hurtful = states[:, 0] + 0.1 * states[:, 1] > 3.2
    model = probe.fit(states, hurtful)
    weights, bias = probe.folded(model)
    shipped = Probe("x" * 64, 1, "", Template("$sentence"), "", tuple(weights), bias)
    expected = model.predict_proba(states[:5])[:, 1]
    assert [shipped.chance(list(state)) for state in states[:5]] == pytest.approx(expected, abs=1e-9)
    assert 0.1 < expected.mean() < 0.9  # the data is not all one class: the check can fail


def test_a_reading_slice_shows_the_customer_the_draft_and_the_rewrite_and_hides_the_tools_own_judgement():
    import slices as reading_slice

    known = {"hx-01": {"id": "hx-01", "text": "No refunds.", "format": "text", "classes": ["decision-refusal"],
                       "decisions": ["No refunds."], "customer_message": "I want my money back!"}}
    rows = [{"id": "hx-01", "text": "No refunds.", "rewrite": "Unfortunately, there are no refunds.",
             "warnings": [["may_hurt", "No refunds."], ["sentence_kept", "x"]], "timings": {"added": []}}]
    text = reading_slice.render(rows, known)
    assert "CUSTOMER: I want my money back!" in text and "DRAFT (text):\nNo refunds." in text
    assert "REWRITE:\nUnfortunately, there are no refunds." in text and "['No refunds.']" in text
    assert "may_hurt" not in text and "sentence_kept" in text  # the probe's pointer would steer the reader


def test_every_held_out_case_has_a_set_a_slice_can_find():
    import slices as reading_slice

    known = reading_slice.sets()
    for case_id in ("ship-01", "ho-01", "hk-30"):
        assert case_id in known and known[case_id]["text"]


def test_the_tally_takes_each_chains_latest_rating():
    import tally

    text = """## Ratings of `aaaaaaa` (first round), reader A

| id | rating | reason |
|---|---|---|
| hx-01 | W | a jab kept |
| hx-02 | S | fine |

## Ratings of `aaaaaaa` (first round), reader B

| id | rating | reason |
|---|---|---|
| hx-01 | E | one sentence |
| hx-02 | S | fine |

## Re-reading at `ccccccc` (later), reader C

| id | rating | reason |
|---|---|---|
| hx-01 | S | the jab went |

## Ratings of `bbbbbbb` (one reader, no chain)

| id | threshold | rating | reason |
|---|---|---|---|
| hx-02 | both | W | broken |
| hx-03 | 0.7 (cut) | S | not the shipped setting |
"""
    found = tally.sections(text)
    assert [section["reader"] for section in found] == ["A", "B", "C", None]
    order = {"aaaaaaa": 1, "bbbbbbb": 2, "ccccccc": 3}.get
    current = tally.latest(reversed(found), order)  # the file's order does not matter, the history's does
    assert current[1] == {"hx-01": "S", "hx-02": "W"}  # C continues A's chain; the reader-less round counts for both
    assert current[2] == {"hx-01": "E", "hx-02": "W"}
    assert tally.counts(current[1], ["hx-01", "hx-02", "hx-03"]) == "1 / 0 / 1 (1 unread)"
