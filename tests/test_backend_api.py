"""The API with the OpenAI-compatible backend (a stand-in server on loopback): faults of the backend become
clear problems (503 with Retry-After, 504, 502), streams end with an error event, /readyz says why."""

import json
import threading
import time

import pytest

from kindreply.config import Settings
from kindreply.http import create_app
from kindreply.model.openai import OpenAIEngine
from kindreply.service import Service
from tests.conftest import free_port
from tests.standin import StandIn

DRAFT = {"text": "Your parcel 5521 is lost. We obviously can't refund it."}  # one blaming sentence: the model is asked


@pytest.fixture
def standin():
    server = StandIn(answer="I'm sorry your parcel [1] is lost; you can file a claim and we will help.")
    yield server
    server.close()


def openai_settings(tmp_path, url: str, **extra) -> Settings:
    return Settings.from_env({"KINDREPLY_KEYS_FILE": str(tmp_path / "keys.json"), "KINDREPLY_BACKEND": "openai",
                              "KINDREPLY_BACKEND_URL": url, "KINDREPLY_REPLICA_NAME": "replica-a", **extra})


def events_of(response) -> list[tuple[str, dict]]:
    events, name = [], None
    for line in response.get_data(as_text=True).splitlines():
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            events.append((name, json.loads(line[6:])))
    return events


def test_the_backend_answers_rewrites_and_readiness(tmp_path, standin):
    client = create_app(openai_settings(tmp_path, standin.url)).test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {"ready": True, "model": "standin-model", "backend": "openai", "replica": "replica-a"}
    response = client.post("/v1/rewrite", json=DRAFT)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert "5521" in body["rewrite"] and body["model"] == "standin-model"
    assert body["timings"]["prompt_tokens"] == 123 * body["timings"]["model_calls"]  # the server's usage, per call
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'kindreply_replica_info{backend="openai",replica="replica-a"} 1.0' in metrics


def test_a_backend_that_is_down_gets_503_with_retry_after_and_readyz_says_why(tmp_path):
    client = create_app(openai_settings(tmp_path, f"http://127.0.0.1:{free_port()}/v1")).test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503 and "unreachable: connection refused" in ready.get_json()["detail"]
    for stream in (False, True):
        response = client.post("/v1/rewrite", json={**DRAFT, "stream": stream})
        assert response.status_code == 503 and response.headers["Content-Type"] == "application/problem+json"
        assert int(response.headers["Retry-After"]) >= 1
        problem = response.get_json()
        assert problem["title"] == "Backend unavailable"
        assert "unreachable" in problem["detail"] and "The draft was not changed" in problem["detail"]


def test_a_stream_cut_mid_answer_ends_with_an_error_event(tmp_path, standin):
    client = create_app(openai_settings(tmp_path, standin.url)).test_client()
    assert client.get("/readyz").status_code == 200
    standin.mode = "cut"
    response = client.post("/v1/rewrite", json={**DRAFT, "stream": True})
    assert response.status_code == 200  # the stream had begun
    events = events_of(response)
    assert [name for name, _ in events][-1] == "error"
    assert any(name == "delta" for name, _ in events)
    problem = events[-1][1]
    assert problem["status"] == 503 and problem["title"] == "Backend unavailable"
    assert "cut off after 2 tokens" in problem["detail"] and "The draft was not changed" in problem["detail"]
    assert client.get("/readyz").status_code == 503  # it went away: readiness says so at once
    # the same without streaming, once readiness asks again (the stand-in answers /v1/models): a problem,
    # not half a rewrite
    deadline = time.monotonic() + 4
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    response = client.post("/v1/rewrite", json=DRAFT)
    assert response.status_code == 503 and "cut off" in response.get_json()["detail"]


@pytest.mark.parametrize("mode, status, title", [("malformed", 502, "Backend error"),
                                                  ("wrong-shape", 502, "Backend error")])
def test_a_bad_answer_is_a_502_problem(tmp_path, standin, mode, status, title):
    client = create_app(openai_settings(tmp_path, standin.url)).test_client()
    standin.mode = mode
    response = client.post("/v1/rewrite", json=DRAFT)
    assert response.status_code == status and response.get_json()["title"] == title
    assert "OpenAI-compatible" in response.get_json()["detail"]


def test_a_backend_5xx_is_a_502_problem_with_its_message(tmp_path, standin):
    client = create_app(openai_settings(tmp_path, standin.url)).test_client()
    standin.mode, standin.status = "status", 500
    response = client.post("/v1/rewrite", json=DRAFT)
    assert response.status_code == 502 and "HTTP 500" in response.get_json()["detail"]
    assert "boom" in response.get_json()["detail"]


def test_a_silent_backend_is_a_504_problem(tmp_path, standin):
    client = create_app(openai_settings(tmp_path, standin.url, KINDREPLY_GENERATION_TIMEOUT="1")).test_client()
    standin.mode, standin.silence = "silent", 4
    response = client.post("/v1/rewrite", json=DRAFT)
    assert response.status_code == 504 and response.get_json()["title"] == "Backend timeout"
    assert "before the generation deadline" in response.get_json()["detail"]


def test_the_openai_backend_admits_several_rewrites_at_once(tmp_path, standin):
    standin.delay = 0.2
    settings = openai_settings(tmp_path, standin.url, KINDREPLY_BACKEND_CONCURRENCY="3", KINDREPLY_QUEUE_SIZE="0",
                               KINDREPLY_QUEUE_TIMEOUT="1")
    service = Service.from_settings(settings)
    assert isinstance(service.engine, OpenAIEngine) and service.backend == "openai"
    app = create_app(settings, engine=service.engine)
    statuses = []

    def rewrite():
        statuses.append(app.test_client().post("/v1/rewrite", json=DRAFT).status_code)

    threads = [threading.Thread(target=rewrite) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # three run at once at the server; the fourth finds every slot taken and no queue
    assert sorted(statuses) == [200, 200, 200, 503]
    assert standin.most_in_flight == 3
