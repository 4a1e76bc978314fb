"""The HTTP API through Flask's test client, with a fake engine: contract, errors, streaming, OpenAPI."""

import json
import socket

import pytest
from openapi_spec_validator import validate

from kindreply.http.schemas import ProblemSchema, RewriteResponseSchema
from tests.conftest import FakeEngine


def assert_problem(response, status, *words):
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    body = ProblemSchema().load(response.get_json(force=True))
    assert body["status"] == status
    for word in words:
        assert word in body["detail"], body["detail"]
    return body


def test_rewrite_answers_the_documented_object(client):
    response = client.post("/v1/rewrite", json={"text": "We obviously can't refund you. Order #4821 is late."})
    assert response.status_code == 200
    body = RewriteResponseSchema().load(response.get_json())
    assert "#4821" in body["rewrite"] and "obviously" not in body["rewrite"]
    assert body["style"] == "empathetic" and body["model"] == "fake-model"
    assert body["warnings"] == []
    assert body["timings"]["prompt_tokens_evaluated"] == 20 and body["timings"]["model_calls"] == 1


def test_all_request_fields_are_accepted(client, fake_engine):
    response = client.post("/v1/rewrite", json={
        "text": "<p>Order #4821 is late.</p>", "format": "html", "style": "empathetic",
        "customer_message": "Where is my parcel?", "language": "en", "stream": False})
    assert response.status_code == 200
    assert response.get_json()["rewrite"].startswith("<p>")
    assert "Where is my parcel?" in fake_engine.calls[0]["messages"][-1]["content"]


@pytest.mark.parametrize("payload, words", [
    ({}, ["text", "Missing data"]),
    ({"text": ""}, ["empty"]),
    ({"text": "   \n\t "}, ["empty"]),
    ({"text": 42}, ["text", "Not a valid string"]),
    ({"text": "hi", "format": "markdown"}, ["format", "text, html"]),
    ({"text": "hi", "style": "pirate"}, ["pirate", "GET /v1/styles"]),
    ({"text": "hi", "style": ""}, ["unknown style ''"]),
    ({"text": "hi", "txt": "typo"}, ["txt", "Unknown field"]),
    (["text"], ["Invalid input type"]),
])
def test_invalid_requests_get_a_problem_naming_the_field(client, payload, words):
    assert_problem(client.post("/v1/rewrite", json=payload), 422, *words)


def test_malformed_json_is_a_400(client):
    assert_problem(client.post("/v1/rewrite", data="{not json", content_type="application/json"), 400, "not valid JSON")


def test_a_non_json_body_is_a_415(client):
    assert_problem(client.post("/v1/rewrite", data="text=hi", content_type="application/x-www-form-urlencoded"),
                   415, "Content-Type: application/json")


def test_a_draft_over_the_limit_is_a_413(settings, fake_engine):
    from dataclasses import replace

    from kindreply.http import create_app

    client = create_app(replace(settings, max_draft_chars=50), engine=fake_engine).test_client()
    body = assert_problem(client.post("/v1/rewrite", json={"text": "x" * 51}), 413, "51 characters", "limit is 50")
    assert body["errors"] == {"text": [body["detail"]]}
    assert fake_engine.calls == []


def test_a_huge_body_is_a_413_before_parsing(client):
    assert_problem(client.post("/v1/rewrite", data="x" * 200_000, content_type="application/json"), 413)


def test_unknown_paths_and_methods_are_problems_too(client):
    assert_problem(client.get("/v1/nothing"), 404)
    assert_problem(client.get("/v1/rewrite"), 405)


def test_busy_model_gets_503_with_retry_after(settings, fake_engine):
    from dataclasses import replace

    from kindreply.http import create_app

    app = create_app(replace(settings, queue_size=0, queue_timeout=0.1), engine=fake_engine)
    rewriter = app.extensions["kindreply"]
    rewriter.admit()  # another request holds the model and nobody may wait
    try:
        response = app.test_client().post("/v1/rewrite", json={"text": "hello there"})
        assert_problem(response, 503, "try again")
        assert int(response.headers["Retry-After"]) >= 1
    finally:
        rewriter.release()
    assert app.test_client().post("/v1/rewrite", json={"text": "hello there"}).status_code == 200


def test_a_loading_model_gets_503_and_readyz_is_false(settings):
    from kindreply.http import create_app

    client = create_app(settings, engine=FakeEngine(ready=False)).test_client()
    assert_problem(client.post("/v1/rewrite", json={"text": "hello"}), 503, "loading")
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["ready"] is False
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_health_and_readiness(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").get_json() == {"ready": True, "model": "fake-model", "backend": "local",
                                                "replica": socket.gethostname()}


def test_styles_lists_the_prompt_files(client):
    styles = client.get("/v1/styles").get_json()["styles"]
    names = [s["name"] for s in styles]
    assert "empathetic" in names
    assert [s["name"] for s in styles if s["default"]] == ["empathetic"]
    assert all(s["title"] and s["description"] for s in styles)


def parse_events(data: str):
    """The stream's events; comment blocks (": working", sent while the model works) are skipped."""
    events = []
    for block in data.strip().split("\n\n"):
        if block.startswith(":"):
            continue
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    return events


@pytest.mark.parametrize("how", ["accept", "flag"])
def test_streaming_sends_deltas_then_the_final_object(client, how):
    draft = "Order #4821 is late. We obviously can't refund you. It ships on 3 May."
    kwargs = {"headers": {"Accept": "text/event-stream"}, "json": {"text": draft}} if how == "accept" \
        else {"json": {"text": draft, "stream": True}}
    response = client.post("/v1/rewrite", **kwargs)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    body = response.get_data(as_text=True)
    assert ": working\n\n" in body  # a keep-alive comment while the model edits, so a client gone is noticed
    events = parse_events(body)
    names = [name for name, _ in events]
    # kept sentences arrive one by one, the edited one when it has passed its checks; nothing to reset
    assert set(names[:-1]) == {"delta"} and names.count("delta") > 2
    name, final = events[-1]
    assert name == "done"
    RewriteResponseSchema().load(final)
    assert "".join(data["text"] for _, data in events[:-1]) == final["rewrite"]
    assert "rder #4821 is late." in final["rewrite"] and "obviously" not in final["rewrite"]


def test_a_stream_that_is_dropped_frees_the_model(app):
    rewriter = app.extensions["kindreply"]
    response = app.test_client().post("/v1/rewrite", json={"text": "Order #4821 is late.", "stream": True},
                                      buffered=False)
    iterator = iter(response.response)
    next(iterator)  # one event arrives, then the client goes away
    assert rewriter.queue.depth == 1
    response.close()
    assert rewriter.queue.depth == 0


def test_errors_in_a_stream_arrive_as_an_error_event(settings):
    from kindreply.http import create_app

    def explode(kind, text):
        raise RuntimeError("boom")

    app = create_app(settings, engine=FakeEngine(explode))
    response = app.test_client().post("/v1/rewrite", json={"text": "We obviously can't refund you.", "stream": True})
    name, problem = parse_events(response.get_data(as_text=True))[-1]
    assert name == "error" and problem["status"] == 500
    assert app.extensions["kindreply"].queue.depth == 0


def test_openapi_document_is_valid_and_describes_the_api(client):
    document = client.get("/openapi.json").get_json()
    validate(document)
    assert {"/v1/rewrite", "/v1/styles", "/healthz", "/readyz", "/openapi.json"} <= set(document["paths"])
    request_schema = document["components"]["schemas"]["RewriteRequest"]
    assert set(request_schema["properties"]) == {"text", "format", "style", "customer_message", "language", "stream"}
    assert request_schema["required"] == ["text"]
    responses = document["paths"]["/v1/rewrite"]["post"]["responses"]
    assert {"200", "400", "413", "415", "422", "503"} <= set(responses)
    assert "text/event-stream" in responses["200"]["content"]
