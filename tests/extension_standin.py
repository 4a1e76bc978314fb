"""A stand-in for the kindreply service, for the extension's tests: no model, a known rewrite, and faults on cue.

It speaks the real protocol of the endpoints the extension calls (``tests/test_extension.py`` checks its
answers against the service's own response schemas):

- ``POST /v1/rewrite`` streams Server-Sent Events exactly as the service frames them: ``delta``
  ``{"text"}`` events, an optional ``reset``, then ``done`` with the full response object, or ``error``
  with a problem object;
- ``POST /v1/analyze`` answers with the real tone analyser (it needs no model);
- ``GET /v1/styles`` and ``GET /readyz``;
- a wrong or missing API key gets the service's 401 problem.

A test sets what the next rewrites do with :meth:`StandIn.behave`:

- ``ok``: the rewrite, word by word, then ``done``;
- ``reset``: half of another text, a ``reset``, then the rewrite and ``done``;
- ``cut``: a few deltas, then the connection closes with no ``done``;
- ``500``: HTTP 500 with a problem object, before any event;
- ``error-event``: a few deltas, then an ``error`` event;
- ``stall``: a few deltas, then silence (until the test ends or the client goes away).
"""

from __future__ import annotations

import dataclasses
import json
import re
import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kindreply import tone
from kindreply.http.schemas import AnalyzeResponseSchema
from kindreply.rewrite import markup

# The known rewrite of the tests' drafts: HTML for rich editors, text for a textarea. It keeps the draft's
# facts (#4821, the steps) as the real service would.
REWRITE_HTML = ("<p>I'm sorry we can't refund order <strong>#4821</strong> this time. Here is what will help:</p>"
                "<ul><li>open Settings</li><li>click Reset</li></ul><p>Thank you for your patience.</p>")
REWRITE_TEXT = ("I'm sorry we can't refund order #4821 this time.\n\nHere is what will help: open Settings, "
                "then click Reset.\n\nThank you for your patience.")
MODEL = "stand-in-model"


def sse(name: str, data: dict) -> bytes:
    """One event, framed as the service frames it (``kindreply.api._event``)."""
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def problem(status: int, title: str, detail: str) -> dict:
    return {"type": "about:blank", "title": title, "status": status, "detail": detail}


def done_object(rewrite: str) -> dict:
    return {"rewrite": rewrite, "style": "empathetic", "model": MODEL, "language": "en", "warnings": [],
            "timings": {"queue_ms": 0.1, "first_text_ms": 5.0, "generate_ms": 20.0, "total_ms": 25.0,
                        "prompt_tokens": 100, "prompt_tokens_evaluated": 20, "generated_tokens": 12,
                        "model_calls": 1, "sentences": {"keep": 1, "soften": 1, "drop": 1, "injected": 0},
                        "edited": 1, "unshouted": 0, "added": ["opener"]}}


class StandIn:
    def __init__(self, key: str = ""):
        self.key = key
        self.requests: list[dict] = []
        self.behave()
        self.release = threading.Event()  # ends a stall
        self.disconnected = threading.Event()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # a streamed body ends when the connection closes, as with gunicorn

            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path == "/readyz":
                    self.json(200, {"ready": True, "model": MODEL})
                elif self.path == "/v1/styles" and self.authorised():
                    self.json(200, {"styles": [
                        {"name": "empathetic", "title": "Empathetic", "description": "Warm.", "default": True},
                        {"name": "formal", "title": "Formal", "description": "Formal.", "default": False}]})
                elif not self.path.startswith("/v1/"):
                    self.json(404, problem(404, "Not found", "No such endpoint."))

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if not self.authorised():
                    return
                if self.path == "/v1/analyze":
                    text = markup.html_text_content(body["text"]) if body.get("format") == "html" else body["text"]
                    result = dataclasses.asdict(tone.analyze(text))
                    self.json(200, AnalyzeResponseSchema().dump({**result, "text": text}))
                elif self.path == "/v1/rewrite":
                    stand_in.requests.append({"body": body, "headers": dict(self.headers)})
                    stand_in.rewrite(self, body)

            def authorised(self) -> bool:
                if stand_in.key and self.headers.get("Authorization") != f"Bearer {stand_in.key}":
                    self.json(401, problem(401, "Unauthorized", "A valid API key is required."))
                    return False
                return True

            def json(self, status: int, data: dict):
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/problem+json" if status >= 400 else "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def behave(self, mode: str = "ok", *, delay: float = 0.04, html: str = REWRITE_HTML, text: str = REWRITE_TEXT):
        """What the next rewrites do (see the module's docstring); ``delay`` is the pause between deltas."""
        assert mode in {"ok", "reset", "cut", "500", "error-event", "stall"}, mode
        self.mode, self.delay, self.html, self.text = mode, delay, html, text

    def rewrite(self, handler: BaseHTTPRequestHandler, body: dict) -> None:
        if self.mode == "500":
            handler.json(500, problem(500, "Internal error", "The rewrite failed; the draft was not changed."))
            return
        rewrite = self.html if body.get("format") == "html" else self.text
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream; charset=utf-8")
        handler.send_header("Cache-Control", "no-cache")
        handler.end_headers()
        words = re.findall(r"\S+\s*", re.sub(r"<[^>]+>", " ", rewrite) if body.get("format") == "html" else rewrite)

        def send(chunk: bytes) -> None:
            handler.wfile.write(chunk)
            handler.wfile.flush()
            time.sleep(self.delay)

        if self.mode == "reset":
            for word in words[: len(words) // 2]:
                send(sse("delta", {"text": word.upper()}))
            send(sse("reset", {}))
        for index, word in enumerate(words):
            if index == 4 and self.mode in {"cut", "error-event", "stall"}:
                if self.mode == "error-event":
                    send(sse("error", problem(500, "Internal error", "The rewrite failed; the draft was not changed.")))
                elif self.mode == "stall":
                    self.stall(handler)
                return  # "cut": the handler returns and the connection closes, with no done event
            send(sse("delta", {"text": word}))
        send(sse("done", done_object(rewrite)))

    def reset(self) -> None:
        """Between tests: default behaviour, no recorded requests, any stall ended."""
        self.release.set()
        self.release = threading.Event()
        self.disconnected = threading.Event()  # a stalled stream's client closed the connection
        self.requests.clear()
        self.behave()

    def stall(self, handler: BaseHTTPRequestHandler) -> None:
        """Say nothing until the test ends, noticing when the client goes away (``self.disconnected``)."""
        connection = handler.connection
        release = self.release
        while not release.wait(0.1):
            readable, _, _ = select.select([connection], [], [], 0)
            if readable and connection.recv(1, socket.MSG_PEEK) == b"":
                self.disconnected.set()
                return

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
