"""Scale-out, measured: two kindreply replicas sharing one `python -m llama_cpp.server` backend and one Redis,
against one replica with the model in its own worker, under 1, 2, 4 and 8 concurrent clients.

    .venv/bin/python bench/scale.py                          # about 15 minutes on 2 cores
    .venv/bin/python bench/scale.py --seconds 20 --clients 1 4   # a quicker look

Writes bench/results/scale.json and scale.md. Everything runs on loopback and ends by itself: each level
sends requests for ``--seconds`` (at most ``--max-requests`` per client), then waits for the ones in flight.
Every request must end in 200, 429 or 503 (the load test's figures, tests/test_load.py): a request that
hangs past ``--timeout`` or whose connection fails is counted, not retried. A client that gets 429 or 503
waits 1 s before its next request, as a polite client does.

  local     kindreply serve, default settings: the model in the worker, one rewrite at a time, 4 waiting
  scaled    two `kindreply serve --backend openai` (one worker each) in front of one
            `python -m llama_cpp.server` (--interrupt_requests False), rate limits in one redis-server; clients
            alternate between the two replicas; one API key for all. llama_cpp.server runs one generation at a
            time, so each replica sends it one rewrite at a time (KINDREPLY_BACKEND_CONCURRENCY=1) and queues
            the rest itself (4 waiting, then 503), rather than piling them up at the server until the deadline
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.conftest import KINDREPLY, free_port, llama_cpp_server  # noqa: E402  (the tests' way of starting them)

# 15-20 words each: short answers keep a level's requests many enough to count on 2 cores
DRAFTS = [  # each has a sentence that blames the customer next to a fact, which only the model may edit
    "Your order 1182 is late. You should have chosen express shipping if you needed it before Friday.",
    "Password resets take 10 minutes. You should have waited instead of requesting a second link at 9:40.",
    "We don't refund shipping fees. You should have read the policy before ordering #4821 on 12 March.",
    "Your ticket 77 is closed. You should have updated the app to version 2.4 like the email told you.",
    "Invoice INV-0387 is correct. You should have checked the price before upgrading to Pro on 1 March.",
]
RATE_LIMIT = "600/minute"


@contextlib.contextmanager
def kindreply_serve(env: dict[str, str], logs: Path):
    """`kindreply serve` on a free loopback port until /readyz is 200; its output goes to a file."""
    port = free_port()
    out = open(logs / f"kindreply-{port}.log", "w")
    process = subprocess.Popen([KINDREPLY, "serve", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                               env=dict(os.environ, KINDREPLY_LOG_LEVEL="warning", **env))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            if process.poll() is not None:
                raise SystemExit(f"kindreply serve exited; see {out.name}")
            try:
                if requests.get(f"{base}/readyz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"kindreply serve was not ready in 240 s; see {out.name}")
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)
        out.close()


@contextlib.contextmanager
def redis_server():
    binary = shutil.which("redis-server") or sys.exit("redis-server is not installed: apt-get install redis-server")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        time.sleep(0.5)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def add_key(keys_file: Path) -> str:
    return subprocess.run([KINDREPLY, "keys", "add", f"bench-{time.time_ns()}"], capture_output=True, text=True,
                          check=True, env=dict(os.environ, KINDREPLY_KEYS_FILE=str(keys_file))).stdout.strip()


def load_level(bases: list[str], key: str, clients: int, seconds: float, max_requests: int, timeout: float) -> dict:
    outcomes, failures, latencies, lock = Counter(), Counter(), [], threading.Lock()
    generated = {"tokens": 0, "ms": 0.0, "calls": []}
    stop_sending = time.monotonic() + seconds

    def client(number: int):
        base = bases[number % len(bases)]
        for index in range(max_requests):
            if time.monotonic() >= stop_sending:
                return
            started = time.monotonic()
            try:
                response = requests.post(f"{base}/v1/rewrite", timeout=timeout,
                                         headers={"Authorization": f"Bearer {key}"},
                                         json={"text": DRAFTS[(number + index) % len(DRAFTS)]})
            except requests.Timeout:
                with lock:
                    failures["hung"] += 1
                continue
            except requests.RequestException as error:
                with lock:
                    failures[f"lost: {type(error).__name__}"] += 1
                continue
            with lock:
                outcomes[response.status_code] += 1
                if response.status_code == 200:
                    latencies.append(time.monotonic() - started)
                    timings = response.json()["timings"]
                    generated["tokens"] += timings.get("generated_tokens") or 0
                    generated["ms"] += timings.get("generate_ms") or 0
                    generated["calls"].append(timings.get("model_calls", 0))
            if response.status_code in (429, 503):
                time.sleep(1)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + timeout + 60)
    elapsed = time.monotonic() - started
    hung_threads = sum(thread.is_alive() for thread in threads)
    answered = outcomes[200]
    latencies.sort()
    return {
        "clients": clients, "seconds": round(elapsed, 1), "requests": sum(outcomes.values()) + sum(failures.values()),
        "statuses": {str(k): v for k, v in sorted(outcomes.items())}, "failures": dict(failures),
        "clients_hung": hung_threads,
        "only_200_429_503": set(outcomes) <= {200, 429, 503} and not failures and not hung_threads,
        "rewrites_per_minute": round(answered * 60 / elapsed, 1),
        # the generation speed each rewrite saw: what the machine's other work and the sharing leave
        "tokens_per_s": round(generated["tokens"] * 1000 / generated["ms"], 1) if generated["ms"] > 0 else None,
        "model_calls_median": statistics.median(generated["calls"]) if generated["calls"] else None,
        "median_s": round(statistics.median(latencies), 2) if latencies else None,
        "p95_s": round(latencies[math.ceil(len(latencies) * 0.95) - 1], 2) if latencies else None,  # nearest rank
    }


def warm_up(bases: list[str], key: str, timeout: float) -> None:
    """Two requests to each replica first, unmeasured: allocations settle, and the backend has every prompt
    kind's prefix (the engine sends them in the background at start; the first request waits behind that)."""
    for base in bases:
        for draft in DRAFTS[:2]:
            requests.post(f"{base}/v1/rewrite", timeout=timeout, headers={"Authorization": f"Bearer {key}"},
                          json={"text": draft})


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}, Python {platform.python_version()}"


def write_report(results: dict, command: str) -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        "# Scale-out: two replicas on one backend server, against one replica with the model in its worker", "",
        f"Command: `{command}`  ", f"Machine: {results['machine']}  ", f"Commit: {results['commit']}, {results['date']}  ",
        f"Load average (1, 5, 15 min) at start {results['load_average_at_start']}, at end {results['load_average_at_end']}: "
        "other work shared the machine's 2 cores, so compare the setups with each other, not with other runs.", "",
        "`local`: one `kindreply serve` (the model in its worker; one rewrite at a time, 4 waiting).  ",
        "`scaled`: two `kindreply serve --backend openai` replicas (one worker each, `KINDREPLY_BACKEND_CONCURRENCY=1`: "
        "llama_cpp.server runs one generation at a time; 4 waiting in each replica) "
        "in front of one `python -m llama_cpp.server --interrupt_requests False --cache True`, rate limits in one redis-server; "
        "clients alternate between the replicas.  ",
        "Both setups run throughout and take turns level by level (local 1, scaled 1, local 2, …), so that other "
        "work on the machine weighs on both alike. tokens/s: generated tokens over the time spent in model calls, "
        "from the responses' timings (prompt evaluation included); each rewrite made the median number of model "
        "calls shown (`timings.model_calls`).  ",
        f"Each level sends for {results['seconds_per_level']:g} s (at most {results['max_requests']} requests a client), "
        f"drafts of 15-20 words, each with a sentence only the model may edit, non-streamed; a client waits 1 s after a 429 or 503. Rate limit {RATE_LIMIT} per key.", "",
        "| setup | clients | requests | 200 | 429 | 503 | hung or lost | rewrites/min | median s | p95 s | tokens/s | model calls |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for setup in ("local", "scaled"):
        for level in results[setup]:
            statuses = level["statuses"]
            lines.append(f"| {setup} | {level['clients']} | {level['requests']} | {statuses.get('200', 0)} | "
                         f"{statuses.get('429', 0)} | {statuses.get('503', 0)} | "
                         f"{sum(level['failures'].values()) + level['clients_hung']} | {level['rewrites_per_minute']} | "
                         f"{level['median_s']} | {level['p95_s']} | {level['tokens_per_s']} | "
                         f"{level['model_calls_median']} |")
    lines += ["", "Every request ended in 200, 429 or 503, none hung, none lost: "
              f"**{'yes' if all(l['only_200_429_503'] for s in ('local', 'scaled') for l in results[s]) else 'NO'}**.", ""]
    (out / "scale.md").write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 2, 4, 8])
    parser.add_argument("--seconds", type=float, default=60, help="how long each level sends requests")
    parser.add_argument("--max-requests", type=int, default=20, help="at most this many requests per client and level")
    parser.add_argument("--timeout", type=float, default=180, help="a request unanswered after this is counted as hung")
    parser.add_argument("--only", choices=["local", "scaled"], help="run one setup alone")
    args = parser.parse_args()
    # a SIGTERM (or a SIGINT, which a background job ignores) ends the run through the finally blocks, which
    # stop every server it started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    results = {"machine": machine(), "commit": commit, "date": time.strftime("%Y-%m-%d"),
               "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
               "seconds_per_level": args.seconds, "max_requests": args.max_requests, "local": [], "scaled": []}
    with tempfile.TemporaryDirectory(prefix="kindreply-scale-") as scratch:
        scratch = Path(scratch)
        keys = scratch / "keys.json"
        key = add_key(keys)
        common = {"KINDREPLY_KEYS_FILE": str(keys), "KINDREPLY_RATE_LIMIT": RATE_LIMIT}
        # Both setups run throughout and take turns level by level, so that whatever else the machine is
        # doing weighs on both alike; the one not measured is idle meanwhile.
        with contextlib.ExitStack() as stack:
            setups = {}
            if args.only != "scaled":
                setups["local"] = [stack.enter_context(kindreply_serve(common, scratch))]
            if args.only != "local":
                backend = stack.enter_context(llama_cpp_server())
                redis = stack.enter_context(redis_server())
                replica = dict(common, KINDREPLY_BACKEND="openai", KINDREPLY_BACKEND_URL=backend,
                               KINDREPLY_BACKEND_CONCURRENCY="1", KINDREPLY_RATE_LIMIT_STORAGE=redis)
                setups["scaled"] = [stack.enter_context(kindreply_serve(dict(replica, KINDREPLY_REPLICA_NAME=name), scratch))
                                    for name in ("a", "b")]
            for name, bases in setups.items():
                warm_up(bases, key, args.timeout)
            for clients in args.clients:
                for name, bases in setups.items():
                    level = load_level(bases, key, clients, args.seconds, args.max_requests, args.timeout)
                    print(f"{name:7} {clients} clients: {level['statuses']} {level['failures'] or ''} "
                          f"{level['rewrites_per_minute']} rewrites/min, median {level['median_s']} s, "
                          f"p95 {level['p95_s']} s, {level['tokens_per_s']} tokens/s", flush=True)
                    results[name].append(level)
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    write_report(results, " ".join(["python", "bench/scale.py", *sys.argv[1:]]))
    print(f"wrote {ROOT / 'bench' / 'results' / 'scale.md'}")


if __name__ == "__main__":
    main()
