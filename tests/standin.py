"""A tiny stand-in for an OpenAI-compatible server, on loopback, for the fault-handling tests.

It answers GET /v1/models, POST /tokenize and POST /v1/chat/completions (streamed or not), and misbehaves
on request: ``mode`` is one of

  ok           the answer, word by word, then finish_reason "stop", a usage chunk and [DONE]
  status       ``status`` (e.g. 500, 503 with Retry-After) and a JSON error body
  malformed    a stream chunk that is not JSON
  wrong-shape  a stream chunk that is JSON but no chat completion chunk
  cut          two words, then the connection is closed mid-stream (no last chunk)
  silent       accepts the request and sends nothing for ``silence`` seconds
  interrupted  two words, then [DONE] without a finish_reason (llama_cpp.server's interrupt)

``logprobs`` (a list of {token, logprob}) is sent with non-streamed answers when set.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StandIn:
    def __init__(self, answer: str = "Thank you for your patience, we are on it.", model: str = "standin-model"):
        self.answer = answer
        self.model = model
        self.mode = "ok"
        self.status = 500
        self.delay = 0.0  # seconds between streamed words
        self.silence = 30.0
        self.logprobs: list[dict] | None = None
        self.context = 2048
        self.tokenizer = True
        self.busy = 0.0  # seconds /v1/models and /tokenize take (llama_cpp.server's, while it generates)
        self.requests: list[dict] = []  # the JSON bodies of chat completions
        self.headers: list[dict] = []
        self.model_checks = 0
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a cut connection is the point, not news
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _json(self, status: int, body, headers: dict | None = None):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/v1/models":
                    standin.model_checks += 1
                    time.sleep(standin.busy)
                    return self._json(200, {"object": "list", "data": [
                        {"id": standin.model, "object": "model", "max_model_len": standin.context}]})
                self._json(404, {"detail": "Not Found"})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self.path == "/tokenize" and standin.tokenizer:
                    time.sleep(standin.busy)
                    return self._json(200, {"tokens": list(range(len(body["content"].split())))})
                if self.path != "/v1/chat/completions":
                    return self._json(404, {"detail": "Not Found"})
                standin.requests.append(body)
                standin.headers.append(dict(self.headers))
                with standin._lock:
                    standin.in_flight += 1
                    standin.most_in_flight = max(standin.most_in_flight, standin.in_flight)
                try:
                    self._chat(body)
                finally:
                    with standin._lock:
                        standin.in_flight -= 1

            def _chat(self, body):
                mode = standin.mode
                if mode == "status":
                    return self._json(standin.status, {"error": {"message": "boom", "type": "server_error"}},
                                      {"Retry-After": "7"} if standin.status == 503 else None)
                if mode == "silent":
                    time.sleep(standin.silence)
                    return
                words = standin.answer.split(" ")
                words = [w + " " for w in words[:-1]] + words[-1:]
                if not body.get("stream"):
                    text = "".join(words)[: 4 * body.get("max_tokens", 1000)]
                    choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                    if standin.logprobs is not None:
                        choice["logprobs"] = {"content": [{"token": words[0], "logprob": -0.1,
                                                           "top_logprobs": standin.logprobs}]}
                    return self._json(200, {"object": "chat.completion", "choices": [choice]})
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()

                def send(data: str):
                    raw = f"data: {data}\n\n".encode()
                    self.wfile.write(f"{len(raw):x}\r\n".encode() + raw + b"\r\n")
                    self.wfile.flush()

                def chunk(delta: dict, finish=None):
                    return json.dumps({"object": "chat.completion.chunk", "model": standin.model,
                                       "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})

                if mode == "malformed":
                    send("{not json")
                elif mode == "wrong-shape":
                    send(json.dumps({"result": "hello"}))
                else:
                    send(chunk({"role": "assistant"}))
                    for index, word in enumerate(words):
                        if mode in ("cut", "interrupted") and index == 2:
                            break
                        if standin.delay:
                            time.sleep(standin.delay)
                        send(chunk({"content": word}))
                    if mode == "cut":
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)  # no terminating chunk: the answer is cut off
                        return
                    if mode == "ok":
                        send(chunk({}, "stop"))
                        send(json.dumps({"object": "chat.completion.chunk", "choices": [],
                                         "usage": {"prompt_tokens": 123, "completion_tokens": len(words),
                                                   "prompt_tokens_details": {"cached_tokens": 100}}}))
                    send("[DONE]")
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

        return Handler
