"""The OpenAI-compatible backend for real: `python -m llama_cpp.server` with the default model, and
`kindreply serve --backend openai` in front of it. The backend is killed mid-answer, then brought back."""

import json
import os
import re
import signal
import time

import pytest
import requests

from kindreply.model.openai import OpenAIEngine
from tests.conftest import free_port, llama_cpp_server, running_server

pytestmark = pytest.mark.model

LONG_DRAFT = ("Your order 1182 left our warehouse on 2 May. The courier tried twice and nobody was home, so it went "
              "back to the depot at Unit 7, Harbour Road. You can pick it up there until 14 May with your ID. After "
              "that it comes back to us and we refund the goods minus a $7.50 fee. You missed both deliveries, so we "
              "can't send it again.")  # (a blaming clause: the model edits it; a blunt refusal goes by rule)


def server_sent_events(response):
    name = None
    for line in response.iter_lines(decode_unicode=True):
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            yield name, json.loads(line[6:])


def test_the_servers_tokenizer_and_logprobs(real_engine):
    with llama_cpp_server() as url:
        engine = OpenAIEngine(url)
        assert engine.ready and engine.name == "qwen2.5-coder-1.5b-instruct-q4_k_m"
        text = "We can't refund order #4821; the window ended on 12 March."
        assert engine.count_tokens(text) == real_engine.count_tokens(text)  # the server's own tokenizer
        chances = engine.choose([{"role": "user", "content": "Is the sky blue on a clear day? Answer Yes or No."}],
                                ["Yes", "No"])
        assert sum(chances.values()) == pytest.approx(1.0)
        assert chances["Yes"] > 0.8, chances


def test_a_backend_killed_mid_stream_ends_it_with_an_error_and_the_service_recovers(tmp_path):
    port = free_port()
    with llama_cpp_server(port) as url, \
            running_server(KINDREPLY_BACKEND="openai", KINDREPLY_BACKEND_URL=url,
                           KINDREPLY_KEYS_FILE=str(tmp_path / "keys.json")) as base:
        events, killed = [], False
        with requests.post(f"{base}/v1/rewrite", stream=True, timeout=120, headers={"Accept": "text/event-stream"},
                           json={"text": LONG_DRAFT}) as response:
            assert response.status_code == 200
            for name, data in server_sent_events(response):
                events.append((name, data))
                if name == "delta" and not killed:
                    os.kill(llama_cpp_server.processes[url].pid, signal.SIGKILL)  # the backend dies mid-answer
                    killed = True
        assert killed and events[-1][0] == "error", events[-3:]
        problem = events[-1][1]
        assert problem["status"] == 503 and problem["title"] == "Backend unavailable"
        # cut off mid-answer, or dropped between two of the pipeline's calls: which depends on the moment
        assert re.search(r"cut off|dropped the connection|unreachable", problem["detail"]), problem
        assert "The draft was not changed" in problem["detail"]

        # while it is down: /readyz says why, and a rewrite gets 503 with Retry-After, not a hang or a 500
        ready = requests.get(f"{base}/readyz", timeout=10)
        assert ready.status_code == 503 and "inference backend" in ready.json()["detail"]
        down = requests.post(f"{base}/v1/rewrite", timeout=60, json={"text": "Your ticket 77 is closed."})
        assert down.status_code == 503 and int(down.headers["Retry-After"]) >= 1
        assert down.headers["Content-Type"] == "application/problem+json"

        with llama_cpp_server(port):  # back, on the same address
            deadline = time.monotonic() + 30
            while requests.get(f"{base}/readyz", timeout=10).status_code != 200:
                assert time.monotonic() < deadline, "kindreply did not see the backend come back in 30 s"
                time.sleep(0.5)
            answer = requests.post(f"{base}/v1/rewrite", timeout=120, json={"text": "Your ticket 77 is closed."})
            assert answer.status_code == 200, answer.text
            assert "77" in answer.json()["rewrite"]
