"""A bounded load test of the real service: gunicorn on loopback, the default model, many clients at once.

It sends a fixed number of requests and ends by itself. Every request must end in 200, 429 or 503 (never
a hang, a reset connection or a 500), and the worker's memory must stay flat across the run.
"""

import threading
import time
from collections import Counter

import psutil
import pytest
import requests

from tests.conftest import running_server

pytestmark = pytest.mark.model

CLIENTS = 6
REQUESTS_PER_CLIENT = 4
DRAFTS = ["Your order 1182 is late. Wait.", "Password resets take 10 minutes. Try later.",
          "We don't refund shipping fees.", "Your ticket 77 is closed."]


def worker_rss(base: str) -> int:
    master = psutil.Process(running_server.processes[base].pid)
    return sum(child.memory_info().rss for child in master.children(recursive=True))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    keys = tmp_path_factory.mktemp("keys") / "keys.json"
    with running_server(KINDREPLY_QUEUE_SIZE="2", KINDREPLY_QUEUE_TIMEOUT="20", KINDREPLY_RATE_LIMIT="15/minute",
                        KINDREPLY_KEYS_FILE=str(keys)) as base:
        yield base


def test_many_clients_get_answers_never_hangs_or_errors(server):
    requests.post(f"{server}/v1/rewrite", json={"text": DRAFTS[0]}, timeout=120)  # settle allocations
    memory_before = worker_rss(server)
    outcomes, failures = Counter(), []

    def client(number: int):
        for index in range(REQUESTS_PER_CLIENT):
            try:
                response = requests.post(f"{server}/v1/rewrite", timeout=120,
                                         json={"text": DRAFTS[(number + index) % len(DRAFTS)]})
                outcomes[response.status_code] += 1
                if response.status_code in (429, 503):
                    assert int(response.headers["Retry-After"]) >= 1
                    assert response.headers["Content-Type"] == "application/problem+json"
            except Exception as error:  # a hang (timeout) or a dropped connection is a failure
                failures.append(repr(error))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    assert failures == []
    assert sum(outcomes.values()) == CLIENTS * REQUESTS_PER_CLIENT
    assert set(outcomes) <= {200, 429, 503}, outcomes
    assert outcomes[200] >= 3, outcomes
    growth = worker_rss(server) - memory_before
    assert growth < 64 * 1024 * 1024, f"worker memory grew by {growth / 2**20:.0f} MiB"
    print(f"load: {dict(outcomes)} in {time.monotonic() - started:.0f} s, memory growth {growth / 2**20:.1f} MiB")

