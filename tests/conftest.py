"""Shared fixtures: a fake engine for HTTP-layer tests, and the real default model for integration tests."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

from kindreply.config import Settings
from kindreply.model import AdmissionQueue, Generation
from kindreply.rewrite.pipeline import Rewriter
from kindreply.rewrite.styles import load_styles


class FakeEngine:
    """Answers each model call from a script: one item per call, the last repeated.

    The pipeline sends the model one hurtful sentence to edit, or the customer's message to acknowledge.
    A ``script`` item is a string (``{markers}`` becomes the markers of the sentence, ``{sentence}`` the
    sentence itself) or a callable taking (kind, text) with kind "edit" or "acknowledge". By default an
    edit answers a kind refusal with the same markers, and an acknowledgement a plain one.
    """

    name = "fake-model"
    context_tokens = 4096

    def __init__(self, *script, ready=True, delay=0.0, rude=0.0, feeling="calm"):
        self.script = list(script)
        self.rude = rude  # what ``choose`` answers for "rude": a callable of the sentence, or a number
        self.feeling = feeling  # what ``choose`` reads in a customer's message (classify.FEELINGS)
        self.chosen = []
        self.calls = []
        self.ready = ready
        self.delay = delay
        self.load_error = None

    def count_tokens(self, text):
        return max(1, len(text) // 4)

    def choose(self, messages, options):
        if "rude" not in options:  # the customer's feeling
            self.feelings_read = getattr(self, "feelings_read", 0) + 1
            return {option: float(option == self.feeling) for option in options}
        sentence = messages[-1]["content"].removeprefix("Sentence: ")
        self.chosen.append(sentence)
        rude = self.rude(sentence) if callable(self.rude) else self.rude
        return {"rude": rude, "fine": 1 - rude}

    @staticmethod
    def request_of(messages):
        """("edit", sentence) or ("acknowledge", customer message) from the last user turn."""
        content = messages[-1]["content"]
        if content.startswith("Customer's message:"):
            return "acknowledge", content.split("\n", 1)[1].rsplit("\nAcknowledgement", 1)[0]
        return "edit", content.split("keeping its meaning:\n", 1)[1]

    def generate(self, messages, *, max_tokens, temperature, deadline, stats: Generation, seed=0, avoid=()):
        kind, text = self.request_of(messages)
        self.calls.append({"messages": messages, "temperature": temperature, "max_tokens": max_tokens,
                           "kind": kind, "text": text, "avoid": avoid})
        markers = " ".join(re.findall(r"\[\d+\]", text))
        if self.script:
            item = self.script[min(len(self.calls), len(self.script)) - 1]
            answer = item(kind, text) if callable(item) else item.replace("{markers}", markers).replace("{sentence}", text)
        elif kind == "acknowledge":
            answer = "I understand how frustrating this has been."
        else:
            refusal = re.match(r"we (?:obviously )?can['’]?t\s+(.+)", text, re.I)
            # a refusal said kindly, keeping its words (what the checks ask of a real edit)
            answer = f"Unfortunately, we are not able to {refusal.group(1)}" if refusal else \
                "Unfortunately, this is not possible" + (f" for {markers}." if markers else ".")
        stats.prompt_tokens = 100
        stats.cached_tokens = 80
        stats.finish_reason = "stop"
        for word in re.findall(r"\S+\s*", answer):
            if self.delay:
                time.sleep(self.delay)
            stats.generated_tokens += 1
            if stats.first_token_ms is None:
                stats.first_token_ms = 1.0
            yield word


def make_rewriter(engine, *, queue_size=2, queue_timeout=5.0, **settings):
    options = dict(default_style="empathetic", max_draft_chars=6000, generation_timeout=30.0)
    options.update(settings)
    return Rewriter(engine, AdmissionQueue(queue_size, queue_timeout), load_styles(), **options)


@pytest.fixture
def settings(tmp_path):
    return Settings.from_env({"KINDREPLY_CACHE_DIR": str(tmp_path / "cache"),
                              "KINDREPLY_KEYS_FILE": str(tmp_path / "keys.json")})


@pytest.fixture
def fake_engine():
    return FakeEngine()


@pytest.fixture
def app(settings, fake_engine):
    from kindreply.http import create_app

    return create_app(settings, engine=fake_engine)


@pytest.fixture
def client(app):
    return app.test_client()


def pytest_addoption(parser):
    parser.addoption("--broken-engine", choices=("echo", "empty"), default=None,
                     help="a test of the tests: the real_engine fixture gives a useless engine (tests/broken_engines.py) "
                          "that echoes the prompt or answers nothing, instead of the default model")


_real_engine = None
_real_engine_lock = threading.Lock()


@pytest.fixture(scope="session")
def real_engine(request):
    """The bundled default model, loaded once for the whole run (a broken one with --broken-engine)."""
    if broken := request.config.getoption("--broken-engine"):
        from tests.broken_engines import broken_engine

        yield broken_engine(broken)
        return
    global _real_engine
    with _real_engine_lock:
        if _real_engine is None:
            from kindreply.service import local_engine

            engine = local_engine(Settings.from_env(), load_styles())
            engine.load()
            assert engine.ready, engine.load_error
            _real_engine = engine
    yield _real_engine
    _real_engine.close()


@pytest.fixture(scope="session")
def real_rewriter(real_engine):
    return make_rewriter(real_engine, queue_timeout=600.0, generation_timeout=120.0)


KINDREPLY = str(Path(sys.executable).with_name("kindreply"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(*args: str, **env: str):
    """`kindreply serve` under gunicorn on a free loopback port, until the model is ready; yields its URL.

    The gunicorn master process is ``running_server.processes[url]`` while it runs.
    """
    port = free_port()
    process = subprocess.Popen([KINDREPLY, "serve", "--port", str(port), *args],
                               env=dict(os.environ, KINDREPLY_LOG_LEVEL="warning", **env),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stdout.read()
            try:
                if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or busy starting
                pass
            time.sleep(0.5)
        else:
            pytest.fail("the server did not become ready in 180 s")
        running_server.processes[base] = process
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


running_server.processes = {}


@contextlib.contextmanager
def llama_cpp_server(port: int | None = None, *, threads: int | None = None, wait: float = 180):
    """`python -m llama_cpp.server` (llama-cpp-python's OpenAI-compatible server) with the default GGUF on a
    loopback port, until it answers /v1/models; yields its /v1 URL. The process is ``llama_cpp_server.processes[url]``.

    --interrupt_requests False: by default it ends a stream when another request arrives, which would cut
    one replica's rewrite whenever another replica sends one. --cache True: it keeps the evaluated state of
    each prompt (in memory, 2 GiB at most) and reloads the longest that a new prompt starts with, so the
    pipeline's prompt kinds (classification, sentence edit, acknowledgement) do not evaluate their long fixed
    prefixes again each time the kind changes."""
    from kindreply.model.sources import resolve_model

    settings = Settings.from_env()
    path = resolve_model("default", settings.cache_dir)
    port = port or free_port()
    log = tempfile.TemporaryFile("w+")  # a file, not a pipe: its per-request lines must never block it
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--host", "127.0.0.1", "--port", str(port),
         "--n_ctx", str(settings.context_tokens), "--n_threads", str(threads or settings.threads),
         "--interrupt_requests", "False", "--cache", "True"],
        stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"llama_cpp.server exited: {log.read()[-2000:]}")
            try:
                if requests.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer in {wait:g} s")
            time.sleep(0.5)
        llama_cpp_server.processes[url] = process
        yield url
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


llama_cpp_server.processes = {}
