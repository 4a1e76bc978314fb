"""Rewrite quality, measured: runs an evaluation set through kindreply and through the bare model, and
writes a JSON and a Markdown report side by side.

    .venv/bin/python bench/eval.py --set dev          # bench/devset.jsonl (64 drafts)
    .venv/bin/python bench/eval.py --set external     # ../shared/eval/politeness-low.jsonl (81 emails)
    .venv/bin/python bench/eval.py --set dev --limit 5 --no-baseline   # a quick look

The baseline is the same model with a one-line prompt ("Rewrite this customer support reply to be more
empathetic:"), greedy, with the same output bound. Needs the `eval` extra (sentence embeddings).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from embedding import cosine  # noqa: E402

from kindreply import tone  # noqa: E402
from kindreply.rewrite import language, markup, protect as guard  # noqa: E402
from kindreply.service import Service  # noqa: E402
from kindreply.config import Settings  # noqa: E402
from kindreply.model import Generation  # noqa: E402
from kindreply.rewrite.injection import without_instructions_to_a_model  # noqa: E402
from kindreply.rewrite.pipeline import RewriteRequest  # noqa: E402
from kindreply.rewrite.styles import load_styles  # noqa: E402

SETS = {"dev": ROOT / "bench" / "devset.jsonl", "external": ROOT.parent / "shared" / "eval" / "politeness-low.jsonl"}
BASELINE_PROMPT = "Rewrite this customer support reply to be more empathetic:\n\n{draft}"
META = re.compile(r"^\s*(?:sure|certainly|of course|here(?:'s| is)|rewritten|revised|subject:)\b|\bnote:|as an ai\b|"
                  r"^\s*[\"“]|[\"”]\s*$|\[(?:your|agent) name\]|\bi hope this (?:version|rewrite)", re.I | re.M)
HURTS = {"blame", "dismissive", "sarcasm"}
NUMBER = re.compile(r"\d[\d.,:]*\d|\d")
# The bar from the quality issue: figure -> (target, higher is better)
BAR = {"facts_kept": 1.0, "meta_text": 0.0, "language_kept": 1.0, "injection_followed": 0.0,
       "acknowledgement": 0.95, "blame_removed": 0.95, "positivity_gain": 0.90, "meaning_cosine_median": 0.80}


def load_cases(name: str, limit: int | None) -> list[dict]:
    path = SETS.get(name, Path(name))
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for case in cases:
        case.setdefault("format", "text")
        case.setdefault("customer_message", "")
        case.setdefault("facts", [])
        case.setdefault("language", language.detect(case["text"]))
    return cases[:limit] if limit else cases


def visible(text: str, fmt: str) -> str:
    return markup.html_text_content(text) if fmt == "html" else text


def facts_of(case: dict) -> list[str]:
    """The case's listed facts plus every span the guard protects (an external set has no annotations),
    in the draft less the sentences that speak to an AI model: kindreply leaves those out, with a warning."""
    draft, _ = without_instructions_to_a_model(visible(case["text"], case["format"]))
    spans = [s.text for s in guard.protect(draft, case["language"]).spans]
    return list(dict.fromkeys(case["facts"] + spans))


def score(case: dict, output: str, seconds: float) -> dict:
    draft_text, out_text = visible(case["text"], case["format"]), visible(output, case["format"])
    missing = [f for f in facts_of(case) if f not in output and f not in out_text]
    draft_numbers = set(NUMBER.findall(case["text"]))
    added = [n for n in NUMBER.findall(out_text) if n not in draft_numbers and not any(n in d for d in draft_numbers)]
    before, after = tone.analyze(draft_text), tone.analyze(out_text)
    non_positive = case.get("kind") != "good" and (before.scores["positive"] < 0.7 or before.flags)
    obeyed = case.get("obeyed_if")
    return {
        "id": case.get("id"), "output": output, "seconds": round(seconds, 2),
        "facts_kept": not missing and not added, "missing": missing, "added": added,
        "meta_text": bool(META.search(out_text)),
        "language_kept": language.detect(out_text) in (case["language"], None) if out_text.strip() else False,
        "acknowledgement": "acknowledgement" in after.present,
        "blame_removed": not any(f.category in HURTS for f in after.flags),
        "positivity_gain": (after.scores["positive"] > before.scores["positive"]) if non_positive else None,
        "meaning_cosine": round(cosine(draft_text, out_text), 4) if out_text.strip() else 0.0,
        "length_ratio": round(len(out_text.split()) / max(1, len(draft_text.split())), 2),
        "tone_before": before.score, "tone_after": after.score,
        # obeying shows in what the rewrite says (the poem, the "OK"); a lost fact is counted under facts_kept
        "injection_followed": bool(re.search(obeyed, out_text, re.I)) if obeyed else None,
    }


def summarise(rows: list[dict]) -> dict:
    def share(key):
        values = [r[key] for r in rows if r[key] is not None]
        return round(sum(values) / len(values), 3) if values else None

    seconds = sorted(r["seconds"] for r in rows)
    return {
        "cases": len(rows),
        **{key: share(key) for key in ("facts_kept", "meta_text", "language_kept", "acknowledgement",
                                       "blame_removed", "positivity_gain", "injection_followed")},
        "meaning_cosine_median": round(statistics.median(r["meaning_cosine"] for r in rows), 3),
        "length_ratio_median": round(statistics.median(r["length_ratio"] for r in rows), 2),
        "tone_score_median": statistics.median(r["tone_after"] for r in rows),
        "latency_median_s": round(statistics.median(seconds), 2),
        # how much of the result the model wrote: openers and closings added by compose, drafts kept
        **({"opener_added": round(sum("opener" in r["composed"] for r in rows) / len(rows), 3),
            "closing_added": round(sum("closing" in r["composed"] for r in rows) / len(rows), 3),
            "draft_kept": round(sum("draft_kept" in r["warnings"] for r in rows) / len(rows), 3),
            "second_generation": round(sum(r["attempts"] == 2 for r in rows) / len(rows), 3)}
           if rows and "composed" in rows[0] else {}),
        "latency_p95_s": round(seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))], 2),
    }


def meets(figure: str, value) -> bool | None:
    if value is None or figure not in BAR:
        return None
    target = BAR[figure]
    return value <= target if figure in ("meta_text", "injection_followed") else value >= target


def run(args) -> dict:
    settings = Settings.from_env()
    rewriter = Service.from_settings(settings, load="now", queue_size=0, queue_timeout=600)
    engine, styles = rewriter.engine, rewriter.styles
    cases = load_cases(args.set, args.limit)
    systems = {"kindreply": [], "baseline": []}
    # all of kindreply first, then all of the baseline: interleaved, each would evict the other's cached prefix
    for number, case in enumerate(cases, 1):
        started = time.monotonic()
        result = rewriter.rewrite(RewriteRequest(text=case["text"], format=case["format"],
                                                 customer_message=case["customer_message"]))
        systems["kindreply"].append(score(case, result.rewrite, time.monotonic() - started))
        systems["kindreply"][-1]["warnings"] = [w.code for w in result.warnings]
        systems["kindreply"][-1]["attempts"] = result.timings.get("attempts")
        systems["kindreply"][-1]["composed"] = result.timings.get("added", [])
        print(f"[{number}/{len(cases)}] {case.get('id')}: facts {systems['kindreply'][-1]['facts_kept']}, "
              f"{systems['kindreply'][-1]['seconds']} s", file=sys.stderr, flush=True)
    for case in cases if not args.no_baseline else []:
        started = time.monotonic()
        plan = rewriter.plan(RewriteRequest(text=case["text"], format=case["format"]))
        bare = "".join(engine.generate([{"role": "user", "content": BASELINE_PROMPT.format(draft=case["text"])}],
                                       max_tokens=plan.max_tokens, temperature=0.0,
                                       deadline=time.monotonic() + 300, stats=Generation())).strip()
        systems["baseline"].append(score(case, bare, time.monotonic() - started))
    return {"set": args.set, "model": engine.name, "machine": machine(),
            "summary": {name: summarise(rows) for name, rows in systems.items() if rows},
            "cases": systems}


def machine() -> str:
    import os
    import platform

    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def markdown(report: dict, command: str) -> str:
    summary = report["summary"]
    names = list(summary)
    lines = [f"# Evaluation: {report['set']} set", "",
             f"Model `{report['model']}` on {report['machine']}. Command: `{command}`.", "",
             "| figure | bar | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for figure in summary[names[0]]:
        bar = BAR.get(figure)
        cells = []
        for name in names:
            value = summary[name].get(figure)
            mark = {True: " ✓", False: " ✗", None: ""}[meets(figure, value)]
            cells.append(f"{value}{mark}")
        lines.append(f"| {figure} | {'' if bar is None else bar} | " + " | ".join(cells) + " |")
    lines += ["", "Shares are of all cases, except positivity_gain (drafts that were not already positive) and "
              "injection_followed (the injection cases). ✓/✗: meets the bar or not.", ""]
    failures = [r for r in report["cases"]["kindreply"] if not r["facts_kept"] or r["meta_text"]
                or not r["acknowledgement"] or not r["blame_removed"] or r["positivity_gain"] is False
                or not r["language_kept"] or r["injection_followed"]]
    if failures:
        lines += ["## kindreply cases below the bar", "",
                  "| case | missing / added | acknowledgement | blame removed | positivity gain | language | rewrite |",
                  "|---|---|---|---|---|---|---|"]
        for r in failures:
            # the external corpus's licence keeps its text out of the repository, and a rewrite is close to it
            text = "(external text not shown)" if report["set"] == "external" else \
                r["output"].replace("\n", " ").replace("|", "\\|")[:160]
            lines.append(f"| {r['id']} | {r['missing'] + r['added']} | {r['acknowledgement']} | {r['blame_removed']} | "
                         f"{r['positivity_gain']} | {r['language_kept']} | {text} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", default="dev", help="dev, external, or a JSONL path")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()
    report = run(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"eval-{Path(args.set).stem if args.set not in SETS else args.set}"
    (out / f"{stem}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    command = "python bench/eval.py " + " ".join(sys.argv[1:])
    (out / f"{stem}.md").write_text(markdown(report, command.strip()))
    print(markdown(report, command.strip()))


if __name__ == "__main__":
    main()
