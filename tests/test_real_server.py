"""The real service: `kindreply serve` under gunicorn on loopback, the default model, real HTTP.

The rewrite API's tests run twice: with the model in the worker (``local``) and with generation sent to a
real `python -m llama_cpp.server` holding the same model (``openai``), one rewrite at a time in both."""

import json
import os
import subprocess
import threading
import time

import pytest
import requests

from tests.conftest import KINDREPLY, free_port, llama_cpp_server, running_server

pytestmark = pytest.mark.model


def queue_depth(base: str) -> float:
    for line in requests.get(f"{base}/metrics", timeout=5).text.splitlines():
        if line.startswith("kindreply_queue_depth "):
            return float(line.split()[1])
    raise AssertionError("no queue depth metric")


@pytest.fixture(scope="module")
def backend():
    with llama_cpp_server() as url:
        yield url


@pytest.fixture(scope="module", params=["local", "openai"])
def engine(request):
    return request.param


@pytest.fixture(scope="module")
def server(engine, request, tmp_path_factory):
    keys = tmp_path_factory.mktemp("keys") / "keys.json"
    env = dict(KINDREPLY_QUEUE_SIZE="0", KINDREPLY_QUEUE_TIMEOUT="1", KINDREPLY_KEYS_FILE=str(keys))
    if engine == "openai":
        # one rewrite at a time here too, so that the tests of the queue hold for both
        env.update(KINDREPLY_BACKEND="openai", KINDREPLY_BACKEND_URL=request.getfixturevalue("backend"),
                   KINDREPLY_BACKEND_CONCURRENCY="1")
    with running_server(**env) as base:
        yield base


def test_curl_example_from_the_readme(server, engine):
    response = requests.post(f"{server}/v1/rewrite", timeout=120, json={
        "text": "You missed the 30-day window, so we can't refund order #4821. It was delivered on 12 March."})
    assert response.status_code == 200
    body = response.json()
    assert "#4821" in body["rewrite"] and "12 March" in body["rewrite"]
    assert body["model"] == "qwen2.5-coder-1.5b-instruct-q4_k_m"
    assert requests.get(f"{server}/readyz", timeout=10).json()["backend"] == engine
    if engine == "local":
        # the style's prefix was evaluated at start-up, so even the first request evaluates only its draft
        # (llama_cpp.server reuses its prefix too, but does not report it)
        assert body["timings"]["prompt_tokens_evaluated"] < body["timings"]["prompt_tokens"] / 3


def test_streaming_over_real_http(server):
    with requests.post(f"{server}/v1/rewrite", stream=True, timeout=120,
                       headers={"Accept": "text/event-stream"},
                       json={"text": "Your parcel 5521 is lost. File a claim.",
                             "customer_message": "Where is my parcel?? It's been ten days!"}) as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        events, name = [], None
        for line in response.iter_lines(decode_unicode=True):
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.append((name, json.loads(line[6:])))
    assert events[0][0] == "delta" and events[-1][0] == "done"
    assert "5521" in events[-1][1]["rewrite"]


def test_a_second_request_while_the_model_is_busy_gets_503(server):
    results = {}

    def slow():
        # a sentence that blames the customer next to a fact: the model edits it, which takes seconds
        results["first"] = requests.post(f"{server}/v1/rewrite", timeout=120, json={
            "text": "Your order 3301 is late. You should have ordered earlier if you needed it by Friday."})

    first = threading.Thread(target=slow)
    first.start()
    time.sleep(0.5)
    second = requests.post(f"{server}/v1/rewrite", timeout=120, json={"text": "Thanks for waiting."})
    first.join()
    assert results["first"].status_code == 200
    assert second.status_code == 503
    assert second.headers["Content-Type"] == "application/problem+json"
    assert int(second.headers["Retry-After"]) >= 1


def test_bad_requests_get_problems_over_real_http(server):
    response = requests.post(f"{server}/v1/rewrite", timeout=10, json={"text": " "})
    assert response.status_code == 422 and response.headers["Content-Type"] == "application/problem+json"
    assert requests.get(f"{server}/openapi.json", timeout=10).json()["openapi"].startswith("3.")


def test_a_missing_model_stops_the_service_with_one_clear_line(tmp_path):
    env = dict(os.environ, KINDREPLY_MODEL=str(tmp_path / "missing.gguf"))
    result = subprocess.run([KINDREPLY, "serve", "--port", str(free_port())], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == f"kindreply: model file {tmp_path / 'missing.gguf'} does not exist: " \
                                    "set KINDREPLY_MODEL to a .gguf file"


def test_cli_rewrite_and_model_path():
    path = subprocess.run([KINDREPLY, "model", "path"], capture_output=True, text=True, timeout=120, check=True)
    assert path.stdout.strip().endswith("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
    draft = "Your order 3301 is late. You should have ordered earlier if you needed it by Friday."
    result = subprocess.run([KINDREPLY, "rewrite"], input=draft, capture_output=True, text=True, timeout=300, check=True)
    assert "3301" in result.stdout and "Friday" in result.stdout and result.stdout.strip() != draft


def test_a_client_that_disconnects_mid_stream_frees_the_model_at_once(server):
    time.sleep(1)
    with requests.post(f"{server}/v1/rewrite", stream=True, timeout=120, headers={"Accept": "text/event-stream"},
                       json={"text": "Your order 1182 is late. You missed the cut-off, so we can't speed it up."}) as response:
        assert response.status_code == 200, response.text
        # the kept sentence streams at once; the first keep-alive comment says the model is generating (with a
        # cold prompt prefix an inference server can take longer than this test's 5 s to start)
        lines = response.iter_lines(decode_unicode=True)
        assert any(line.startswith(": working") for line in lines)
        assert queue_depth(server) == 1
    deadline = time.monotonic() + 5
    while queue_depth(server) != 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert queue_depth(server) == 0
