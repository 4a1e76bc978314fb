"""Precision and recall of the sentence classifier on the labelled set (bench/sentences.jsonl).

    python bench/classify.py                 # the lexicon alone -> bench/results/classify.md
    python bench/classify.py --show-errors   # and every sentence it got wrong

The set was labelled by hand (bench/LABELS.md says how); keep, soften, drop and injected as in
server/kindreply/rewrite/classify.py. Facts are masked the way the service masks them before classifying.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from collections import Counter
from pathlib import Path

from kindreply.rewrite import classify, edit, protect

ROOT = Path(__file__).resolve().parents[1]
LABELS = (classify.KEEP, classify.SOFTEN, classify.DROP, classify.INJECTED)


def lexicon_label(text: str, language: str) -> str:
    """What the pipeline does with the sentence by its phrase lists alone: keep, soften, drop or injected."""
    masked = protect.protect(text, language)
    # the service classifies the restored sentence: facts are visible to the lexicon, markers decide drop
    predicted = classify.by_lexicon(text, language).label
    if masked.spans and predicted == classify.DROP:
        predicted = classify.SOFTEN
    if predicted == classify.SOFTEN and not edit.by_rule(masked.masked):
        predicted = classify.DROP  # the pipeline leaves out a sentence that only hurts (edit.by_rule)
    return predicted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--model", action="store_true", help="also the model's opinion on what the lexicon keeps")
    args = parser.parse_args()
    engine = None
    if args.model:
        from kindreply.config import Settings
        from kindreply.service import Service

        engine = Service.from_settings(Settings.from_env(), load="now", queue_size=0).engine
    chances = []
    rows = [json.loads(line) for line in (ROOT / "bench" / "sentences.jsonl").read_text().splitlines() if line.strip()]
    pairs, errors = [], []
    for row in rows:
        masked = protect.protect(row["text"], row["language"])
        predicted = lexicon_label(row["text"], row["language"])
        if engine is not None and predicted == classify.KEEP:
            chances.append((classify.rude_chance(engine, masked.masked), row["label"]))
        pairs.append((row["label"], predicted))
        if predicted != row["label"]:
            errors.append((row["label"], predicted, row["text"]))
    confusion = Counter(pairs)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    lines = [f"# Sentence classifier on bench/sentences.jsonl ({len(rows)} sentences), commit {commit}", "",
             "Command: `python bench/classify.py`. Lexicon alone (data/tone.toml, data/classify.toml, injection "
             "patterns, and `edit.by_rule`, which leaves out a flagged sentence that carries nothing else); no model.",
             "",
             "Caution: on 2026-11-28 the lexicon was extended after reading the sentences it missed in this set "
             "(phrase shapes, not the sentences), so the figures below are no longer a held-out measure; the reading "
             "review of the external set is.", "", "| label | gold | predicted | precision | recall |", "|---|---|---|---|---|"]
    for label in LABELS:
        gold = sum(n for (g, _), n in confusion.items() if g == label)
        predicted = sum(n for (_, p), n in confusion.items() if p == label)
        hit = confusion[(label, label)]
        lines.append(f"| {label} | {gold} | {predicted} | {hit / predicted if predicted else 0:.2f} | "
                     f"{hit / gold if gold else 0:.2f} |")
    accuracy = sum(n for (g, p), n in confusion.items() if g == p) / len(rows)
    lines += ["", f"Accuracy: {accuracy:.2f}.", "", "Confusion (gold → predicted):", ""]
    lines += [f"- {g} → {p}: {n}" for (g, p), n in sorted(confusion.items()) if g != p]
    if chances:
        lines += ["", "The model's opinion on the sentences the lexicon keeps (`--model`): a sentence counts as "
                  "hurtful (soften or drop) when its chance of 'rude' reaches the threshold.", "",
                  "| threshold | flagged | of them hurtful | hurtful found |", "|---|---|---|---|"]
        hurtful = sum(1 for _, label in chances if label in (classify.SOFTEN, classify.DROP))
        for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            flagged = [label for chance, label in chances if chance >= threshold]
            right = sum(1 for label in flagged if label in (classify.SOFTEN, classify.DROP))
            lines.append(f"| {threshold} | {len(flagged)} | {right} | {right}/{hurtful} |")
    report = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results" / "classify.md").write_text(report)
    print(report)
    if args.show_errors:
        for gold, predicted, text in errors:
            print(f"{gold:>8} → {predicted:<8} {text}")


if __name__ == "__main__":
    main()
