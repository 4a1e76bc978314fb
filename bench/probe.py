"""Train the hurtful-sentence probe of the default model, and measure it on sentence sets it was not trained on.

    python bench/probe.py                    # measure (leave one set out) -> bench/results/probe.md,
                                             # then train on every set -> server/kindreply/data/probes/<model>.json
    python bench/probe.py --features F.npz   # keep the hidden states in F.npz and reuse them next time
    python bench/probe.py --speed            # seconds per rewrite of bench/speed.py's drafts, judgement off and on
    python bench/probe.py --shipped heldout5 # the shipped probe, as it is, on a set labelled after it was trained
                                             # (its lines in sentences-heldout.jsonl) -> bench/results/probe-heldout5.md

What it is: the model reads a judging prompt ending in the sentence ("… rude, sarcastic, blaming,
condescending or dismissive? Sentence: …") and its last hidden state goes into a logistic regression
(scikit-learn, standardised, L2, balanced classes) that says hurtful (soften or drop) or not. Phrase lists fit
the drafts they were written from (bench/results/reading.md, held-out sets); the probe is meant to carry over
to hurtful sentences in other words. The measure of that is leave-one-set-out: trained on every labelled set
but one, scored on the one left out, next to the phrase lists on the same sentences.

Sets: bench/sentences.jsonl ("dev", labelled for the classifier) and bench/sentences-heldout.jsonl (the
sentences of the held-out drafts, labelled after their first reading; each line names its set). The service
uses the probe when KINDREPLY_RUDE_THRESHOLD is above 0 and the probe's model file is the one loaded.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
from pathlib import Path
from string import Template

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from classify import lexicon_label
from kindreply.config import Settings
from kindreply.rewrite import protect
from kindreply.rewrite.classify import judging_messages
from kindreply.service import Service

ROOT = Path(__file__).resolve().parents[1]
SYSTEM = "You review sentences that support agents wrote to customers."
REQUEST = ("Would a kind, professional support lead send this sentence to a customer as it is, or is it rude, "
           "sarcastic, blaming, condescending or dismissive?\n\nSentence: $sentence")
ANSWER_START = "Verdict:"
C = 0.01  # L2 strength: 1536 numbers from about a thousand sentences need a strong one
THRESHOLDS = (0.5, 0.7, 0.8, 0.9)
HURTFUL = ("soften", "drop")


def labelled() -> list[dict]:
    rows = [dict(json.loads(line), set="dev") for line in (ROOT / "bench" / "sentences.jsonl").read_text().splitlines()
            if line.strip()]
    rows += [json.loads(line) for line in (ROOT / "bench" / "sentences-heldout.jsonl").read_text().splitlines()
             if line.strip()]
    return [row for row in rows if row["label"] != "injected"]  # injections have their own patterns


def hidden_states(rows: list[dict], cache: Path | None) -> np.ndarray:
    texts = [row["text"] for row in rows]
    if cache and cache.exists():
        kept = np.load(cache, allow_pickle=False)
        if list(kept["texts"]) == texts and str(kept["request"]) == REQUEST:
            return kept["states"]
    engine = Service.from_settings(Settings.from_env(), load="now", queue_size=0).engine
    request = Template(REQUEST)
    masked = [protect.protect(row["text"], row["language"]).masked for row in rows]
    states = np.array([engine.hidden_state(judging_messages(SYSTEM, request, text), ANSWER_START) for text in masked])
    if cache:
        np.savez(cache, states=states, texts=np.array(texts), request=np.array(REQUEST))
    return states


def probe_file(model: Path) -> Path:
    return ROOT / "server" / "kindreply" / "data" / "probes" / (model.name.removesuffix(".gguf") + ".json")


def fit(states: np.ndarray, hurtful: np.ndarray):
    model = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=5000, class_weight="balanced"))
    return model.fit(states, hurtful)


def folded(model) -> tuple[np.ndarray, float]:
    """The fitted pipeline as one weight vector and a bias, which is all the service reads: the standardisation
    folded in, w·((x − mean)/scale) + b = (w/scale)·x + (b − w·mean/scale)."""
    scaler, regression = model[0], model[1]
    weights = regression.coef_[0] / scaler.scale_
    return weights, float(regression.intercept_[0] - (regression.coef_[0] * scaler.mean_ / scaler.scale_).sum())


def figures(flagged: np.ndarray, hurtful: np.ndarray) -> str:
    hits = int((flagged & hurtful).sum())
    precision = hits / flagged.sum() if flagged.sum() else 0.0
    return f"{precision:.2f} | {hits / hurtful.sum():.2f} | {int(flagged.sum())}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--features", type=Path, help="an .npz to keep the hidden states in")
    parser.add_argument("--speed", action="store_true", help="time the judgement instead of training")
    parser.add_argument("--shipped", metavar="SET", help="score the shipped probe on SET instead of training")
    args = parser.parse_args()
    if args.speed:
        return speed()
    if args.shipped:
        return shipped(args.shipped)
    rows = labelled()
    states = hidden_states(rows, args.features)
    hurtful = np.array([row["label"] in HURTFUL for row in rows])
    lexicon = np.array([lexicon_label(row["text"], row["language"]) in HURTFUL for row in rows])
    sets = np.array([row["set"] for row in rows])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    lines = [f"# Hurtful-sentence probe, commit {commit}", "",
             "Command: `python bench/probe.py`. Each set is scored by a probe trained on all the other sets "
             "(leave one set out); 'phrase lists' is the lexicon on the same sentences. Hurtful = labelled soften "
             "or drop. Columns: precision | recall | sentences flagged.", "",
             "Caution: the phrase lists were extended after each held-out set's first reading, so their figures on "
             "the held-out sets are flattering; the probe's are not (it never saw the set it is scored on).", "",
             "| set | sentences | hurtful | phrase lists | " + " | ".join(f"probe ≥ {t}" for t in THRESHOLDS) + " |",
             "|---|---|---|---|" + "---|" * len(THRESHOLDS)]
    left_out_chances = np.zeros(len(rows))
    for name in dict.fromkeys(sets):
        test = sets == name
        chance = fit(states[~test], hurtful[~test]).predict_proba(states[test])[:, 1]
        left_out_chances[test] = chance
        cells = [figures(lexicon[test], hurtful[test])]
        cells += [figures(chance >= t, hurtful[test]) for t in THRESHOLDS]
        lines.append(f"| {name} | {int(test.sum())} | {int(hurtful[test].sum())} | " + " | ".join(cells) + " |")
    lines += left_out_whole(rows, left_out_chances, lexicon)
    weights, bias = folded(fit(states, hurtful))
    engine_settings = Settings.from_env()
    from kindreply.model.sources import fingerprint, resolve_model

    model = resolve_model(engine_settings.model, engine_settings.cache_dir)
    probe = {"model_file": model.name, "model_sha256": fingerprint(model), "model_size": model.stat().st_size,
             "system": SYSTEM, "request": REQUEST, "answer_start": ANSWER_START,
             "trained": f"bench/probe.py at {commit}: {len(rows)} sentences of {', '.join(dict.fromkeys(sets))}, C={C}",
             "bias": bias, "weights": [float(w) for w in weights]}
    out = probe_file(model)
    shipped_probe = json.loads(out.read_text()) if out.exists() else {}
    if (shipped_probe.get("weights"), shipped_probe.get("bias")) == (probe["weights"], probe["bias"]):
        # the same sentences give the same weights: the shipped file keeps the commit it was trained at
        lines += ["", f"Trained on all {len(rows)} sentences: the same weights as the shipped "
                      f"`{out.relative_to(ROOT)}` ({shipped_probe['trained']}), which is kept as it is."]
    else:
        out.write_text(json.dumps(probe) + "\n")
        lines += ["", f"Trained on all {len(rows)} sentences: `{out.relative_to(ROOT)}`."]
    report = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results" / "probe.md").write_text(report)
    print(report)


def left_out_whole(rows: list[dict], chances: np.ndarray, lexicon: np.ndarray) -> list[str]:
    """What ``pipeline.DROP_BAR`` would leave out of the held-out sets' sentences: those the phrase lists keep,
    scored by a probe that never saw their set, at the bar or over, that ``pipeline.may_leave_out``. By label:
    drop is right, soften loses what the sentence said besides its hurt, keep loses a fine sentence."""
    from kindreply.rewrite import pipeline

    lines = ["", "Left out whole (`pipeline.DROP_BAR`, the held-out sets' sentences the phrase lists keep, each scored "
             "by the probe that left its set out): labelled drop | soften | keep.", "",
             "| probe ≥ | drop | soften | keep |", "|---|---|---|---|"]
    for bar in (0.8, 0.9):
        found = collections.Counter(
            row["label"] for row, chance, listed in zip(rows, chances, lexicon)
            if row["set"] != "dev" and not listed and chance >= bar
            and pipeline.may_leave_out(protect.protect(row["text"], row["language"]).masked, row["language"]))
        lines.append(f"| {bar} | {found['drop']} | {found['soften']} | {found['keep']} |")
    return lines


def shipped(name: str) -> None:
    """The probe in server/kindreply/data/probes/, untouched, on the labelled sentences of set ``name``: the
    measure for a set written and labelled after the probe was trained."""
    from kindreply.rewrite import classify

    rows = [row for row in labelled() if row["set"] == name]
    if not rows:
        raise SystemExit(f"no sentences of set {name!r} in bench/sentences-heldout.jsonl")
    engine = Service.from_settings(Settings.from_env(), load="now", queue_size=0).engine
    if classify.probe_for(engine) is None:
        raise SystemExit(f"no probe in server/kindreply/data/probes/ for {engine.model_path.name}")
    trained = json.loads(probe_file(engine.model_path).read_text())["trained"]
    chance = np.array([classify.rude_chance(engine, protect.protect(row["text"], row["language"]).masked) for row in rows])
    hurtful = np.array([row["label"] in HURTFUL for row in rows])
    lexicon = np.array([lexicon_label(row["text"], row["language"]) in HURTFUL for row in rows])
    kept = ~lexicon  # what the service would ask the probe about (it judges the sentences the lists keep)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    lines = [f"# The shipped probe on `{name}`, commit {commit}", "",
             f"Command: `python bench/probe.py --shipped {name}`. The shipped probe (trained by {trained}) "
             f"scores {len(rows)} sentences labelled after it was trained. Columns: precision | recall | "
             "sentences flagged; hurtful = labelled soften or drop.", "",
             "| | sentences | hurtful | phrase lists | " + " | ".join(f"probe ≥ {t}" for t in THRESHOLDS) + " |",
             "|---|---|---|---|" + "---|" * len(THRESHOLDS),
             f"| all | {len(rows)} | {int(hurtful.sum())} | {figures(lexicon, hurtful)} | "
             + " | ".join(figures(chance >= t, hurtful) for t in THRESHOLDS) + " |",
             f"| those the lists keep | {int(kept.sum())} | {int(hurtful[kept].sum())} | – | "
             + " | ".join(figures(chance[kept] >= t, hurtful[kept]) for t in THRESHOLDS) + " |"]
    report = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results" / f"probe-{name}.md").write_text(report)
    print(report)


def speed(threshold: float = 0.7, runs: int = 3) -> None:
    """Median seconds per rewrite of bench/speed.py's drafts, with the judgement off and at ``threshold``. The
    model's state is reset before each run, as after another request: only the kept prefixes are reused."""
    import statistics
    import time

    from kindreply.rewrite.pipeline import RewriteRequest
    from speed import DRAFTS

    import dataclasses

    # a service configured with the judgement on (its engine keeps the probe's prompt prefix), then timed off and on
    settings = dataclasses.replace(Settings.from_env(), rude_threshold=threshold)
    service = Service.from_settings(settings, load="now", queue_size=0, queue_timeout=600)
    rewriter = service.rewriter
    for size, text in DRAFTS.items():
        for rude_threshold in (0.0, threshold):
            rewriter.rude_threshold = rude_threshold
            seconds = []
            for _ in range(runs):
                service.engine._llama.reset()
                started = time.monotonic()
                result = rewriter.rewrite(RewriteRequest(text=text))
                seconds.append(time.monotonic() - started)
            print(f"{size}, threshold {rude_threshold}: median {statistics.median(seconds):.2f} s, "
                  f"{result.timings['model_classified']} sentences judged, "
                  f"{sum(w.code == 'may_hurt' for w in result.warnings)} may_hurt", flush=True)


if __name__ == "__main__":
    main()
