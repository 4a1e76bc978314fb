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
    """Answers with a scripted text per attempt; markers in the draft can be echoed back with {markers}.

    ``script`` items are strings (``{markers}`` is replaced by every marker of the last user turn) or
    callables taking the masked draft.
    """

    name = "fake-model"

    def __init__(self, *script, ready=True, delay=0.0):
        self.script = list(script) or ["Thank you for your patience. {markers}"]
        self.calls = []
        self.ready = ready
        self.delay = delay
        self.load_error = None

    def count_tokens(self, text):
        return max(1, len(text) // 4)

    def generate(self, messages, *, max_tokens, temperature, deadline, stats: Generation, seed=0):
        self.calls.append({"messages": messages, "temperature": temperature, "max_tokens": max_tokens})
        draft = re.search(r"<draft>\n(.*)\n</draft>", messages[-1]["content"], re.S).group(1)
        item = self.script[min(len(self.calls), len(self.script)) - 1]
        text = item(draft) if callable(item) else item.replace("{markers}", " ".join(re.findall(r"\[\d+\]", draft)))
        stats.prompt_tokens = 100
        stats.cached_tokens = 80
        stats.finish_reason = "stop"
        for word in re.findall(r"\S+\s*", text):
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


_real_engine = None
_real_engine_lock = threading.Lock()


@pytest.fixture(scope="session")
def real_engine():
    """The bundled default model, loaded once for the whole run."""
    global _real_engine
    with _real_engine_lock:
        if _real_engine is None:
            from kindreply.service import local_engine

            engine = local_engine(Settings.from_env(), load_styles(), warm_up=False)
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
    one replica's rewrite whenever another replica sends one."""
    from kindreply.model.sources import resolve_model

    settings = Settings.from_env()
    path = resolve_model("default", settings.cache_dir)
    port = port or free_port()
    log = tempfile.TemporaryFile("w+")  # a file, not a pipe: its per-request lines must never block it
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--host", "127.0.0.1", "--port", str(port),
         "--n_ctx", str(settings.context_tokens), "--n_threads", str(threads or settings.threads),
         "--interrupt_requests", "False"],
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
