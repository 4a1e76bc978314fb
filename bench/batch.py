"""Several sentence edits at once: ``generate_many``/``choose_many`` (bench/batched.py) against one call each.

    PYTHONPATH=server .venv/bin/python bench/batch.py     # about 2 minutes on 2 idle cores, model load included

Issue #13, lever 2, not taken: the product does not batch (bench/results/batch.md says why). The engine
measured is ``BatchedLlamaEngine`` of bench/batched.py, the product's local engine with the batch methods
added. On a CPU each decoding step reads all the weights, so N sentence edits decoded as N sequences of one
llama batch should cost less than N edits one after the other. For N = 1, 2, 4, 8 hurtful
sentences (masked, as the pipeline sends them), the default style's real edit prompt each, greedy, at most 32
tokens: the wall time, tokens generated, tokens/s, and the same N edits done one after the other with
``generate``. For N = 1, 4, 8 the model's rude/fine opinion: ``choose_many`` against N ``choose`` calls.
Both ways start from the same loaded prompt (another sentence's prompt of the same kind, as in a rewrite),
run back to back in alternating order, ``--repeat`` times; the tables show the fastest run of each (on
shared cores other jobs only ever add time, so the fastest is the least disturbed; every time is in the json).
Last, what one ``llama_decode`` costs by the number of tokens in it: why batching pays more for short prompt
suffixes than for decoding steps.

Writes bench/results/batch.json and batch.md. The machine is shared: the load average at the start and the
end is recorded, and the report says when other jobs may have shared the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from kindreply.config import Settings
from kindreply.model import Generation
from kindreply.rewrite import classify, language
from kindreply.rewrite.styles import load_styles
from kindreply.service import local_engine

from batched import BatchedLlamaEngine, _Batch, _decode  # bench/batched.py: the product does not batch

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = [
    "We can't refund you.",
    "Open another ticket if you must.",
    "As I already said, your parcel [1] is lost.",
    "You should have read the manual before ordering.",
    "Obviously the warranty does not cover water damage.",
    "We don't fix old versions, update to [2] yourself.",
    "Stop emailing us about order [3], it shipped on [4].",
    "That is not our problem, contact the courier.",
]
# what each measurement starts from: another sentence's prompt of the same kind, loaded
OTHER = "Your complaint is noted, nothing else we can do."
MAX_TOKENS = 32
OPTIONS = ["rude", "fine"]


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": model, "platform": platform.platform()}


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    return head + ("+changes" if dirty else "")


def edits(engine, style, sentences: list[str], batched: bool) -> dict:
    """The edits of ``sentences``, together or one after the other, after loading another edit prompt."""
    requests = [style.edit_messages(s, "; ".join(classify.by_lexicon(s).reasons), language.name_of("en"))
                for s in sentences]
    other = style.edit_messages(OTHER, "; ".join(classify.by_lexicon(OTHER).reasons), language.name_of("en"))
    "".join(engine.generate(other, max_tokens=1, temperature=0.0, deadline=time.monotonic() + 60, stats=Generation()))
    stats = [Generation() for _ in requests]
    started = time.monotonic()
    if batched:
        texts = engine.generate_many(requests, max_tokens=MAX_TOKENS, temperature=0.0,
                                     deadline=time.monotonic() + 600, stats_list=stats)
    else:
        texts = []
        for messages, one in zip(requests, stats):
            one.started = time.monotonic()
            texts.append("".join(engine.generate(messages, max_tokens=MAX_TOKENS, temperature=0.0,
                                                 deadline=time.monotonic() + 600, stats=one)))
    wall = time.monotonic() - started
    tokens = sum(s.generated_tokens for s in stats)
    return {
        "wall_s": round(wall, 3),
        "generated_tokens": tokens,
        "tokens_per_s_total": round(tokens / wall, 2),
        # each sequence's tokens over the time until it was done (in a batch: from the batch's start)
        "tokens_per_s_per_sequence": round(sum(s.generated_tokens / (s.generate_ms / 1000) for s in stats)
                                           / len(stats), 2),
        "first_token_s": round(min(s.first_token_ms for s in stats if s.first_token_ms is not None) / 1000, 3),
        "evaluated_prompt_tokens": sum(s.evaluated_tokens for s in stats),
        "finish": [s.finish_reason for s in stats],
        "texts": texts,
    }


def choices(engine, sentences: list[str], batched: bool) -> dict:
    requests = [classify.model_messages(s) for s in sentences]
    engine.choose(classify.model_messages(OTHER), OPTIONS)
    started = time.monotonic()
    if batched:
        chances = engine.choose_many(requests, OPTIONS)
    else:
        chances = [engine.choose(messages, OPTIONS) for messages in requests]
    wall = time.monotonic() - started
    return {"wall_s": round(wall, 3), "ms_per_sentence": round(1000 * wall / len(sentences), 1),
            "rude": [round(c["rude"], 4) for c in chances]}


def fastest_run(runs: list[dict]) -> dict:
    """The run with the least wall time, with every run's time."""
    return {**min(runs, key=lambda run: run["wall_s"]), "wall_s_runs": [run["wall_s"] for run in runs]}


def decode_costs(engine, sizes=(1, 2, 4, 8, 16, 32, 64), rounds: int = 3) -> dict:
    """Milliseconds of one llama_decode of n tokens of one sequence after a loaded prompt (fastest of
    ``rounds``): the cost per token falls with n as the CPU kernels switch from one-row to matrix paths."""
    from llama_cpp import llama_cpp as low

    llama = engine._llama
    loaded = llama.n_tokens
    costs = {}
    with _Batch(llama) as batch:
        for n in sizes:
            times = []
            for _ in range(rounds):
                started = time.monotonic()
                _decode(llama, batch, [(1000 + j, loaded + j, 0, j == n - 1) for j in range(n)])
                times.append(time.monotonic() - started)
                low.llama_memory_seq_rm(llama._ctx.memory, 0, loaded, -1)
            costs[n] = {"ms": round(1000 * min(times), 1), "ms_per_token": round(1000 * min(times) / n, 1)}
    return costs


def markdown(report: dict) -> str:
    lines = ["| N edits | one after the other: wall s | batch: wall s | speed-up | tokens generated (one by one / "
             "batch) | tokens/s total (one by one / batch) | tokens/s per sequence (one by one / batch) | "
             "first token s (one by one / batch) | same text |",
             "|---|---|---|---|---|---|---|---|---|"]
    lines.insert(0, "Fastest of the rounds; times in seconds.\n")
    for n, row in report["generate"].items():
        one, many = row["sequential"], row["batch"]
        same = sum(a == b for a, b in zip(one["texts"], many["texts"]))
        lines.append(f"| {n} | {one['wall_s']:.2f} | {many['wall_s']:.2f} | {one['wall_s'] / many['wall_s']:.2f}× | "
                     f"{one['generated_tokens']} / {many['generated_tokens']} | "
                     f"{one['tokens_per_s_total']:.1f} / {many['tokens_per_s_total']:.1f} | "
                     f"{one['tokens_per_s_per_sequence']:.1f} / {many['tokens_per_s_per_sequence']:.1f} | "
                     f"{one['first_token_s']:.2f} / {many['first_token_s']:.2f} | {same} of {n} |")
    lines += ["", "| N opinions (rude/fine) | N `choose`: wall s (ms each) | `choose_many`: wall s (ms each) | "
                  "speed-up | largest difference in P(rude) |", "|---|---|---|---|---|"]
    for n, row in report["choose"].items():
        one, many = row["sequential"], row["batch"]
        gap = max(abs(a - b) for a, b in zip(one["rude"], many["rude"]))
        lines.append(f"| {n} | {one['wall_s']:.2f} ({one['ms_per_sentence']:.0f}) | "
                     f"{many['wall_s']:.2f} ({many['ms_per_sentence']:.0f}) | "
                     f"{one['wall_s'] / many['wall_s']:.2f}× | {gap:.3f} |")
    if report.get("decode_costs"):
        costs = report["decode_costs"]
        lines += ["", "| tokens in one `llama_decode` | " + " | ".join(str(n) for n in costs) + " |",
                  "|---|" + "---|" * len(costs),
                  "| ms | " + " | ".join(f"{c['ms']:.0f}" for c in costs.values()) + " |",
                  "| ms per token | " + " | ".join(f"{c['ms_per_token']:.1f}" for c in costs.values()) + " |"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 2, 4, 8])
    parser.add_argument("--choose-sizes", type=int, nargs="*", default=[1, 4, 8])
    parser.add_argument("--repeat", type=int, default=3, help="rounds of every measurement (the fastest is shown)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()
    import llama_cpp

    report = {"machine": machine(), "commit": commit(), "load_average_start": os.getloadavg(),
              "llama_cpp_python": llama_cpp.__version__, "command": "python bench/batch.py " + " ".join(sys.argv[1:])}
    settings = Settings.from_env()
    styles = load_styles()
    style = styles[settings.default_style]
    started = time.monotonic()
    engine = BatchedLlamaEngine.like(local_engine(settings, styles))
    engine.load()
    if not engine.ready:
        sys.exit(f"the model did not load: {engine.load_error}")
    report.update(model=engine.name, threads=settings.threads, load_s=round(time.monotonic() - started, 1),
                  max_tokens=MAX_TOKENS, repeat=args.repeat, generate={}, choose={})
    runs: dict = {"generate": {}, "choose": {}}
    for repetition in range(args.repeat):
        parts = (("generate", args.sizes, lambda n, batched: edits(engine, style, SENTENCES[:n], batched)),
                 ("choose", args.choose_sizes, lambda n, batched: choices(engine, SENTENCES[:n], batched)))
        for part, sizes, measure in parts:
            for index, n in enumerate(sizes):
                print(f"round {repetition + 1}: {part}, {n} sentences…", file=sys.stderr, flush=True)
                # which way goes first alternates, so that a change of load on the shared cores hits both
                order = (False, True) if (index + repetition) % 2 == 0 else (True, False)
                row = runs[part].setdefault(n, {"load_average": [], "sequential": [], "batch": []})
                row["load_average"].append(os.getloadavg()[0])
                for batched in order:
                    row["batch" if batched else "sequential"].append(measure(n, batched))
    for part, rows in runs.items():
        report[part] = {n: {"load_average": row["load_average"], "sequential": fastest_run(row["sequential"]),
                            "batch": fastest_run(row["batch"])} for n, row in rows.items()}
    print("decode costs…", file=sys.stderr, flush=True)
    report["decode_costs"] = decode_costs(engine)
    report["load_average_end"] = os.getloadavg()
    report["seconds"] = round(time.monotonic() - started, 1)
    engine.close()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "batch.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    table = markdown(report)
    print(table)
    shared = report["load_average_start"][0] > 0.5
    m = report["machine"]
    (out / "batch.md").write_text(
        "# Sentence edits in one llama batch (issue #13, lever 2)\n\n"
        f"Command: `PYTHONPATH=server {report['command'].strip()}`. Commit `{report['commit']}`, llama-cpp-python "
        f"{report['llama_cpp_python']}, model `{report['model']}`, {report['threads']} threads. Machine: "
        f"{m['nproc']} CPUs (`nproc`), {m['cpu']}. Load average at the start {report['load_average_start'][0]:.2f}, "
        f"at the end {report['load_average_end'][0]:.2f}"
        + (" — above 0.5: other jobs shared the 2 cores during this run, so the times are noisy and likely "
           "too slow; the ratios within a row (both ways measured back to back) are the figures to read."
           if shared else ".")
        + f" One run of {report['seconds']:.0f} s with the model load; each measurement {report['repeat']} times, "
        "the fastest shown (every time in batch.json).\n\n"
        f"Greedy edits of N different hurtful sentences (the default style's edit prompt, at most {MAX_TOKENS} "
        "tokens each), one after the other with `generate` or together with `generate_many`; both start with "
        "another edit prompt loaded. \"tokens/s per sequence\": a sequence's tokens over the time until it was done "
        "(in a batch, from the batch's start). \"first token\": the first text of any edit. \"same text\": batched "
        "edits identical to the one-by-one ones. Last table: one `llama_decode` of n tokens of one sequence after a "
        "loaded prompt (fastest of 3).\n\n" + table)


if __name__ == "__main__":
    main()
