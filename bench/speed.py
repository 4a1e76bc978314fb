"""Where a rewrite's time goes: kindreply under gunicorn against the bare engine and a peer server.

    .venv/bin/python bench/speed.py                 # the full benchmark, about 15 minutes on 2 cores
    .venv/bin/python bench/speed.py --runs 2 --concurrency-seconds 10   # a quicker look

Writes bench/results/speed.json and speed.md. Every part runs the same model with the same prompt:
  service   kindreply serve (gunicorn), streamed POST /v1/rewrite
  bare      llama-cpp-python directly, rewriting the whole draft (one prompt, WHOLE_DRAFT_PROMPT)
  peer      llama-cpp-python's own OpenAI-compatible server, the same whole-draft messages, streamed
The peers generate a whole rewrite (about 1.6 tokens per draft word, end-of-turn forbidden so every run
generates exactly that many); the service edits only the sentences that need it.
Drafts of about 30, 100 and 250 words, each run several times after a warm-up, and (service only) a draft
that is already kind; then 1, 2, 4 and 8 concurrent clients against the service for a bounded time.
For each service request the `done` event's `timings` are kept whole (runs in speed.json) and summarised:
tokens generated, model calls, sentences per label, and the first text, as the client saw it and as the
service timed it (issue #13's goals, checked at the end of speed.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from conftest import free_port, running_server  # noqa: E402  (the tests' way of starting the real service)

from kindreply.config import Settings  # noqa: E402
from kindreply.model.sources import resolve_model  # noqa: E402

DRAFTS = {
    "30 words": "We can't refund order #48213. The 30-day window ended on 4 February. You should have returned it "
                "earlier. Nothing else we can do about it now.",
    "100 words": "As I already said in my last email, your parcel 5521 left our warehouse on 2 May and the courier "
                 "tried to deliver it on 4 May and 5 May. Nobody was home, so it went back to the depot. You can "
                 "pick it up at Unit 7, Harbour Road until 14 May, between 9am and 5pm, with your ID. After that "
                 "it comes back to us and we refund the goods minus a $7.50 return fee. We can't send it again, "
                 "the courier does not allow a third attempt. Please read our shipping policy at "
                 "https://shop.example.com/shipping before ordering next time.",
    "250 words": "Thanks for your message. I have looked at your account and the invoices you mentioned. Invoice "
                 "INV-2024-0387 from 1 March is correct: you upgraded from the Basic plan to the Pro plan on that "
                 "day, which is why the monthly price went from $15 to $29. The upgrade was done from your own "
                 "account by the user anna@example.com, so it was not a mistake on our side. We cannot undo "
                 "charges for months that have already been used. What we can do is move you back to the Basic "
                 "plan from the next billing date, 1 April, if you do not need the reporting features. In that "
                 "case you will lose the dashboards and exports you created with Pro, so please download them "
                 "first from https://app.example.com/exports. If you want to keep Pro, nothing changes and you "
                 "will be charged $29 on 1 April as usual. About the second invoice, INV-2024-0402: that one is "
                 "for the extra 5 seats you added on 12 March, at $6 per seat, so $30 for the month, prorated to "
                 "$19.35 because you added them in the middle of the cycle. This is all explained on our pricing "
                 "page. If you want to remove the seats, an admin has to do it in Settings, Team, Seats; we "
                 "cannot remove them for you because of our security rules. Let me know which plan you want and "
                 "I will make the change. Please reply before 28 March so the change applies to the April "
                 "invoice.",
}

# service only: a draft with nothing to soften (issue #13: done in 0.5 s at most); the peers rewrite whole drafts
KIND_DRAFTS = {
    "already kind": "Hi Sam,\n\nThank you for your patience while we looked into this. Your replacement card was sent "
                    "on 12 May and should arrive within three working days. If it has not arrived by Friday, please "
                    "reply to this email and we will send another one right away.\n\nBest regards,\nAna",
}
LABELS = ("keep", "soften", "drop", "injected")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3)


def summary(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 3), "p95": percentile(values, 0.95)}


class PeakMemory:
    """Samples the resident memory of a process tree until stopped."""

    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                tree = [self.process] + self.process.children(recursive=True)
                self.peak = max(self.peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def stream_rewrite(base: str, text: str) -> dict:
    started = time.monotonic()
    first = None
    final = None
    with requests.post(f"{base}/v1/rewrite", json={"text": text, "stream": True}, stream=True, timeout=300) as response:
        response.raise_for_status()
        name = None
        for line in response.iter_lines(decode_unicode=True):
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                if name == "delta" and first is None:
                    first = time.monotonic() - started
                elif name == "done":
                    final = json.loads(line[6:])
    total = time.monotonic() - started
    timings = final["timings"]
    # first_token_s: the first text the client received (a kept sentence is sent at once, before any edit)
    return {"seconds": total, "first_token_s": first if first is not None else total,
            "first_text_ms": timings.get("first_text_ms"), "prompt_tokens": timings["prompt_tokens"],
            "prompt_tokens_evaluated": timings["prompt_tokens_evaluated"],
            "generated_tokens": timings["generated_tokens"], "attempts": timings["model_calls"],
            "tokens_per_s": timings["generated_tokens"] / max(1e-6, timings["generate_ms"] / 1000),
            "rewrite": final["rewrite"], "timings": timings}


def measure_service(base: str, pid: int, runs: int) -> dict:
    results = {}
    memory = PeakMemory(pid)
    stream_rewrite(base, DRAFTS["30 words"])  # warm-up
    for size, text in {**DRAFTS, **KIND_DRAFTS}.items():
        rows = [stream_rewrite(base, text) for _ in range(runs)]
        timings = [r["timings"] for r in rows]
        results[size] = {
            "end_to_end_s": summary([r["seconds"] for r in rows]),
            "first_token_s": summary([r["first_token_s"] for r in rows]),
            "first_text_ms": summary([r["first_text_ms"] for r in rows if r["first_text_ms"] is not None] or [0.0]),
            "prompt_tokens": rows[-1]["prompt_tokens"],
            "prompt_tokens_evaluated": summary([r["prompt_tokens_evaluated"] for r in rows]),
            "generated_tokens": summary([r["generated_tokens"] for r in rows]),
            "generated_tokens_per_s": summary([r["tokens_per_s"] for r in rows]),
            "attempts": Counter(r["attempts"] for r in rows),
            "model_calls": summary([t.get("model_calls", 0) for t in timings]),
            "model_classified": summary([t.get("model_classified", 0) for t in timings]),
            "edited": summary([t.get("edited", 0) for t in timings]),
            "sentences": {label: summary([(t.get("sentences") or {}).get(label, 0) for t in timings])
                          for label in LABELS},
            "runs": [{"seconds": round(r["seconds"], 3), "first_text_s": round(r["first_token_s"], 3),
                      "timings": r["timings"]} for r in rows],
        }
    results["peak_memory_mib"] = round(memory.stop() / 2**20)
    return results


BARE_SCRIPT = r"""
import json, sys, time
from llama_cpp import Llama
from llama_cpp.llama_chat_format import Jinja2ChatFormatter
job = json.load(sys.stdin)
draft_model = None
if job.get("prompt_lookup"):
    # speculative decoding checks the drafted tokens against the model's logits for every position, so
    # llama-cpp-python needs logits_all=True (without it llama.cpp aborts: GGML_ASSERT(logits != nullptr));
    # that also computes a 151k-vocabulary row for every prompt token, which is where its time goes
    from llama_cpp.llama_speculative import LlamaPromptLookupDecoding
    draft_model = LlamaPromptLookupDecoding(num_pred_tokens=job["prompt_lookup"])
llama = Llama(model_path=job["model"], n_ctx=4096, n_threads=job["threads"], n_batch=512, verbose=False,
              draft_model=draft_model, logits_all=draft_model is not None)
template = llama.metadata["tokenizer.chat_template"]
eos = llama.detokenize([llama.token_eos()], special=True).decode()
bos = llama.detokenize([llama.token_bos()], special=True).decode()
formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos)
out = {}
# the end-of-turn tokens are forbidden, so the bare engine generates exactly the service's number of tokens
ends = {llama.token_eos()}
for end in ("<|im_end|>", "<|endoftext|>"):
    ids = llama.tokenize(end.encode(), add_bos=False, special=True)
    if len(ids) == 1:
        ends.add(ids[0])
def run(messages, max_tokens):
    tokens = llama.tokenize(formatter(messages=messages).prompt.encode(), add_bos=False, special=True)
    started = time.monotonic(); first = None; n = 0
    # the service's sampling settings (engine.py), so both do the same work per token
    for chunk in llama.create_completion(tokens, max_tokens=max_tokens, temperature=0.0, top_p=0.9, top_k=40,
                                         repeat_penalty=1.05, stream=True, logit_bias={t: -1e9 for t in ends}):
        if first is None: first = time.monotonic() - started
        n += 1
    return {"seconds": time.monotonic() - started, "first_token_s": first, "tokens": llama.n_tokens - len(tokens)}
out["end_tokens"] = sorted(ends)
run(job["warmup"]["messages"], 8)
for size, case in job["cases"].items():
    out[size] = [run(case["messages"], case["max_tokens"]) for _ in range(job["runs"])]
print(json.dumps(out))
"""


WHOLE_DRAFT_PROMPT = ("Rewrite this customer-support reply so that it is empathetic, positive and respectful. Keep "
                      "every fact and every decision. Answer with the rewritten reply only.")


def rewriter_messages() -> dict:
    """The whole-draft rewrite the peers do, for each draft."""
    return {size: [{"role": "system", "content": WHOLE_DRAFT_PROMPT}, {"role": "user", "content": text}]
            for size, text in DRAFTS.items()}


def whole_draft_tokens(size: str) -> int:
    """What a whole rewrite of the draft generates: about 1.6 tokens a word (a rewrite a little longer than
    the draft, at about 1.3 tokens a word for this model's tokenizer)."""
    return int(1.6 * len(DRAFTS[size].split()))


def measure_bare(model: str, service: dict, runs: int, prompt_lookup: int = 0) -> dict:
    messages = rewriter_messages()
    job = {"model": model, "threads": Settings.from_env().threads, "runs": runs, "prompt_lookup": prompt_lookup,
           "warmup": {"messages": messages["30 words"]},
           "cases": {size: {"messages": messages[size],
                            "max_tokens": whole_draft_tokens(size)} for size in DRAFTS}}
    process = subprocess.Popen([sys.executable, "-c", BARE_SCRIPT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    memory = PeakMemory(process.pid)
    stdout, _ = process.communicate(json.dumps(job), timeout=3600)
    peak = memory.stop()
    if process.returncode != 0:
        return {"error": f"the bare engine exited with {process.returncode}"}
    rows = json.loads(stdout.strip().splitlines()[-1])
    result = {size: {"end_to_end_s": summary([r["seconds"] for r in runs_]),
                     "first_token_s": summary([r["first_token_s"] for r in runs_]),
                     "generated_tokens": summary([r["tokens"] for r in runs_])}
              for size, runs_ in rows.items() if size != "end_tokens"}
    result["end_tokens"] = rows["end_tokens"]
    result["peak_memory_mib"] = round(peak / 2**20)
    return result


def measure_peer(model: str, service: dict, runs: int, end_tokens: list[int]) -> dict:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", model, "--n_ctx", "4096",
                                "--n_threads", str(Settings.from_env().threads), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if requests.get(f"{base}/v1/models", timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        memory = PeakMemory(process.pid)
        messages = rewriter_messages()

        def one(size):
            started = time.monotonic()
            first = None
            # the service's sampling settings; the end-of-turn tokens forbidden (as for the bare engine)
            body = {"messages": messages[size], "max_tokens": whole_draft_tokens(size),
                    "temperature": 0.0, "top_p": 0.9, "top_k": 40, "repeat_penalty": 1.05, "stream": True,
                    "logit_bias": {str(token): -100 for token in end_tokens}}
            with requests.post(f"{base}/v1/chat/completions", json=body, stream=True, timeout=600) as response:
                for line in response.iter_lines(decode_unicode=True):
                    if line.startswith("data: ") and '"content"' in line and first is None:
                        first = time.monotonic() - started
            return time.monotonic() - started, first

        one("30 words")
        result = {}
        for size in DRAFTS:
            rows = [one(size) for _ in range(runs)]
            result[size] = {"end_to_end_s": summary([r[0] for r in rows]),
                            "first_token_s": summary([r[1] or r[0] for r in rows])}
        result["peak_memory_mib"] = round(memory.stop() / 2**20)
        return result
    finally:
        process.terminate()
        process.wait(timeout=30)


def measure_concurrency(base: str, seconds: float, client_counts=(1, 2, 4, 8)) -> dict:
    results = {}
    for clients in client_counts:
        outcomes, latencies, others = Counter(), [], []
        deadline = time.monotonic() + seconds

        def client():
            while time.monotonic() < deadline:
                started = time.monotonic()
                try:
                    response = requests.post(f"{base}/v1/rewrite", json={"text": DRAFTS["30 words"]}, timeout=300)
                except requests.RequestException as error:
                    others.append(repr(error))
                    continue
                outcomes[response.status_code] += 1
                if response.status_code == 200:
                    latencies.append(time.monotonic() - started)
                elif response.status_code == 503:
                    time.sleep(float(response.headers.get("Retry-After", "1")))
                else:
                    others.append(response.status_code)

        started = time.monotonic()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        results[f"{clients} clients"] = {
            "seconds": round(elapsed, 1), "completed": outcomes[200],
            "throughput_per_min": round(60 * outcomes[200] / elapsed, 2),
            "latency_s": summary(latencies) if latencies else None,
            "busy_503": outcomes[503], "other_outcomes": len(others)}
    return results


def markdown(report: dict, command: str) -> str:
    lines = ["# Speed benchmark", "", f"{report['machine']}; model `{Path(report['model']).name}`; commit "
             f"`{report.get('commit', '?')}`, load average at the start {report.get('load_at_start', '?')}. "
             f"Command: `{command}`.", "",
             "## One request at a time (seconds; median / p95)", "",
             "| draft | service end-to-end | bare engine | peer server | service/bare | service first token | "
             "bare first token | peer first token | prompt tokens (evaluated) | generated tokens (service / bare) | "
             "service tokens/s |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    s, b, p = report["service"], report["bare"], report["peer"]
    for size in DRAFTS:
        ratio = s[size]["end_to_end_s"]["median"] / b[size]["end_to_end_s"]["median"]
        lines.append(
            f"| {size} | {s[size]['end_to_end_s']['median']} / {s[size]['end_to_end_s']['p95']} "
            f"| {b[size]['end_to_end_s']['median']} / {b[size]['end_to_end_s']['p95']} "
            f"| {p[size]['end_to_end_s']['median']} / {p[size]['end_to_end_s']['p95']} | {ratio:.2f} "
            f"| {s[size]['first_token_s']['median']} | {b[size]['first_token_s']['median']} | {p[size]['first_token_s']['median']} "
            f"| {s[size]['prompt_tokens']} ({s[size]['prompt_tokens_evaluated']['median']}) "
            f"| {s[size]['generated_tokens']['median']} / {b[size].get('generated_tokens', {}).get('median', '?')} "
            f"| {s[size]['generated_tokens_per_s']['median']:.1f} |")
    lines += ["", f"Peak memory (MiB): service {s['peak_memory_mib']}, bare {b['peak_memory_mib']}, "
              f"peer {p['peak_memory_mib']}.", ""]
    lines += service_table(s)
    if report.get("prompt_lookup"):
        lines += ["## Speculative decoding with prompt lookup (bare engine, median seconds)", "",
                  "| draft | plain | " + " | ".join(f"num_pred_tokens={n}" for n in report["prompt_lookup"]) + " |",
                  "|---|---|" + "---|" * len(report["prompt_lookup"])]
        for size in DRAFTS:
            cells = [str(report["prompt_lookup"][n][size]["end_to_end_s"]["median"]) if size in report["prompt_lookup"][n]
                     else report["prompt_lookup"][n].get("error", "-") for n in report["prompt_lookup"]]
            lines.append(f"| {size} | {b[size]['end_to_end_s']['median']} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["## Concurrent clients (30-word draft, bounded time)", "",
              "| clients | completed | per minute | latency median / p95 (s) | 503 busy | anything else |",
              "|---|---|---|---|---|---|"]
    for workers, key in (("1 worker", "concurrency"), ("2 workers", "concurrency_2_workers")):
        for clients, row in report.get(key, {}).items():
            if not isinstance(row, dict) or "completed" not in row:
                continue
            latency = f"{row['latency_s']['median']} / {row['latency_s']['p95']}" if row["latency_s"] else "-"
            lines.append(f"| {clients}, {workers} | {row['completed']} | {row['throughput_per_min']} | {latency} | "
                         f"{row['busy_503']} | {row['other_outcomes']} |")
    if "concurrency_2_workers" in report:
        lines += ["", f"Peak memory with 2 workers: {report['concurrency_2_workers']['peak_memory_mib']} MiB "
                      f"(one worker: {report['service']['peak_memory_mib']} MiB); the weights are memory-mapped "
                      "and shared, each worker has its own KV cache and compute buffers."]
    lines += ["", *goals(report)]
    return "\n".join(lines) + "\n"


def service_table(service: dict) -> list[str]:
    """Per request, from the `done` event's timings (medians): what the service did for each draft."""
    lines = ["## What the service did per request (medians of the `done` event's timings)", "",
             "| draft | end-to-end s | first text s (client / service) | generated tokens | model calls | "
             "model opinions | sentences keep / soften / drop / injected | edited |",
             "|---|---|---|---|---|---|---|---|"]
    for size in [*DRAFTS, *KIND_DRAFTS]:
        row = service.get(size)
        if not row or "model_calls" not in row:
            continue
        labels = " / ".join(f"{row['sentences'][label]['median']:g}" for label in LABELS)
        lines.append(f"| {size} | {row['end_to_end_s']['median']} | {row['first_token_s']['median']} / "
                     f"{row['first_text_ms']['median'] / 1000:.3f} | {row['generated_tokens']['median']:g} | "
                     f"{row['model_calls']['median']:g} | {row['model_classified']['median']:g} | {labels} | "
                     f"{row['edited']['median']:g} |")
    return lines + [""]


def goals(report: dict) -> list[str]:
    """Issue #13's goals against this run (p50 = the median of the runs)."""
    s, p = report["service"], report.get("peer", {})
    checks = []

    def check(goal: str, value, limit: float, unit: str = " s", at_least: bool = False) -> None:
        if value is None:
            checks.append(f"| {goal} | not measured | |")
        else:
            met = value >= limit if at_least else value <= limit
            checks.append(f"| {goal} | {value:.3g}{unit} | {'met' if met else 'not met'} |")

    def median(size: str, key: str):
        return s[size][key]["median"] if size in s and key in s[size] else None

    check("100-word draft, p50 to `done` ≤ 3 s", median("100 words", "end_to_end_s"), 3)
    check("100-word draft, first text ≤ 0.3 s", median("100 words", "first_token_s"), 0.3)
    check("250-word draft, p50 to `done` ≤ 6 s", median("250 words", "end_to_end_s"), 6)
    check("already-kind draft ≤ 0.5 s", median("already kind", "end_to_end_s"), 0.5)
    peer, ours = p.get("100 words", {}).get("end_to_end_s", {}).get("median"), median("100 words", "end_to_end_s")
    check("100-word draft ≥ 3× faster than the peer server", peer / ours if peer and ours else None, 3, "×",
          at_least=True)
    clients = report.get("concurrency", {}).get("4 clients", {}).get("throughput_per_min")
    check("4 clients: ≥ 2× 13.9 rewrites a minute", clients, 27.8, " a minute", at_least=True)
    checks.append(f"| one worker's peak memory (must not grow with requests) | {s.get('peak_memory_mib', '?')} MiB | |")
    return ["## Issue #13's goals in this run", "", "| goal | this run | |", "|---|---|---|", *checks, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--concurrency-seconds", type=float, default=30)
    parser.add_argument("--prompt-lookup", type=int, nargs="*", default=[2, 10],
                        help="num_pred_tokens values to try with LlamaPromptLookupDecoding (none: skip)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    args = parser.parse_args()
    settings = Settings.from_env()
    model = str(resolve_model(settings.model, settings.cache_dir))
    report = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {psutil.virtual_memory().total // 2**30} GiB",
              "model": model, "load_at_start": round(os.getloadavg()[0], 2),
              # the commit whose code runs, read before the (slow) runs, so a commit made meanwhile is not recorded
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                       text=True).stdout.strip()}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def save():  # after every stage: a crash later keeps what was measured
        (out / "speed.json").write_text(json.dumps(report, indent=1, default=str))

    with running_server(KINDREPLY_RATE_LIMIT="100000/minute", KINDREPLY_QUEUE_SIZE="4",
                        KINDREPLY_KEYS_FILE=str(Path(args.out) / "no-keys.json")) as base:
        pid = running_server.processes[base].pid
        print("service…", file=sys.stderr, flush=True)
        report["service"] = measure_service(base, pid, args.runs)
        save()
        print("concurrency…", file=sys.stderr, flush=True)
        report["concurrency"] = measure_concurrency(base, args.concurrency_seconds)
        save()
    # two workers on two cores: each holds a model and runs llama.cpp with two threads
    with running_server(KINDREPLY_RATE_LIMIT="100000/minute", KINDREPLY_QUEUE_SIZE="4", KINDREPLY_WORKERS="2",
                        KINDREPLY_KEYS_FILE=str(Path(args.out) / "no-keys.json")) as base:
        print("concurrency, 2 workers…", file=sys.stderr, flush=True)
        time.sleep(45)  # /readyz answered from one worker; let the other finish loading and warming up too
        memory = PeakMemory(running_server.processes[base].pid)
        report["concurrency_2_workers"] = measure_concurrency(base, args.concurrency_seconds, (1, 2, 4))
        report["concurrency_2_workers"]["peak_memory_mib"] = memory.stop() // 2**20
        save()
    print("bare engine…", file=sys.stderr, flush=True)
    report["bare"] = measure_bare(model, report["service"], args.runs)
    save()
    print("peer server…", file=sys.stderr, flush=True)
    report["peer"] = measure_peer(model, report["service"], args.runs, report["bare"].get("end_tokens", []))
    save()
    if args.prompt_lookup:
        print("prompt lookup…", file=sys.stderr, flush=True)
        report["prompt_lookup"] = {n: measure_bare(model, report["service"], 1, n) for n in args.prompt_lookup}
        save()
    command = "python bench/speed.py " + " ".join(sys.argv[1:])
    (out / "speed.md").write_text(markdown(report, command.strip()))
    print(markdown(report, command.strip()))


if __name__ == "__main__":
    main()
