"""llama.cpp settings, measured: prompt and generation speed of the installed llama-cpp-python build for
thread counts and flash attention, on the default model, with nothing else in the way.

    .venv/bin/python bench/engine_settings.py --label "AVX2 build"
    PYTHONPATH=/path/to/other/build .venv/bin/python bench/engine_settings.py --label "AVX-512 build"

Each run adds its rows (by label) to bench/results/engine-settings.json and rewrites the Markdown table,
so two builds can be compared in one report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

from llama_cpp import Llama

from kindreply.config import Settings
from kindreply.model.sources import resolve_model

RESULTS = Path(__file__).parent / "results"
PROMPT = "Rewrite this support reply politely:\n\n" + \
    "We cannot refund your order because the window closed on 12 March and that is our policy. " * 8
GENERATED = 120


def measure(path: str, threads: int, flash_attn: bool, runs: int) -> dict:
    llama = Llama(model_path=path, n_ctx=2048, n_threads=threads, n_batch=512, flash_attn=flash_attn, verbose=False)
    prompt_rates, generation_rates = [], []
    for _ in range(runs):
        llama.reset()
        started = time.perf_counter()
        first = llama.create_completion(PROMPT, max_tokens=1, temperature=0)
        prompt_seconds = time.perf_counter() - started
        llama.reset()
        started = time.perf_counter()
        out = llama.create_completion(PROMPT, max_tokens=GENERATED, temperature=0)
        seconds = time.perf_counter() - started
        prompt_rates.append(first["usage"]["prompt_tokens"] / prompt_seconds)
        generation_rates.append(out["usage"]["completion_tokens"] / (seconds - prompt_seconds))
    return {"threads": threads, "flash_attn": flash_attn,
            "prompt_tokens_per_s": round(statistics.median(prompt_rates), 1),
            "generated_tokens_per_s": round(statistics.median(generation_rates), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", required=True, help="what distinguishes this build, e.g. 'AVX-512 build'")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", default="1,2")
    args = parser.parse_args()
    settings = Settings.from_env()
    path = str(resolve_model(settings.model, settings.cache_dir))
    rows = [measure(path, int(threads), flash, args.runs)
            for threads in args.threads.split(",") for flash in (False, True)]
    RESULTS.mkdir(exist_ok=True)
    store = RESULTS / "engine-settings.json"
    report = json.loads(store.read_text()) if store.exists() else {}
    report[args.label] = {"machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} CPUs",
                          "rows": rows}
    store.write_text(json.dumps(report, indent=2) + "\n")
    lines = ["# llama.cpp settings", "", f"Default model, {GENERATED} generated tokens after a "
             "~190-token prompt, median of 3 runs. Command: `python bench/engine_settings.py --label LABEL`.", "",
             "| build | machine | threads | flash attention | prompt tokens/s | generated tokens/s |",
             "|---|---|---|---|---|---|"]
    for label, entry in report.items():
        lines += [f"| {label} | {entry['machine']} | {r['threads']} | {'on' if r['flash_attn'] else 'off'} | "
                  f"{r['prompt_tokens_per_s']} | {r['generated_tokens_per_s']} |" for r in entry["rows"]]
    (RESULTS / "engine-settings.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
