"""The model floor: the engine interface, its figures and errors, and the admission queue.

Engines: ``local`` (llama-cpp-python in this process, one generation at a time) and ``openai`` (any
server speaking the OpenAI-compatible API, ``model/openai.py``, several at a time: the server batches).

A llama.cpp context can run one generation at a time, so the local engine's generations are serialised
(one slot). Requests that arrive meanwhile wait in a bounded queue; when the queue is full, or a request
has waited too long, it gets ``Busy`` (the HTTP layer answers 503 with Retry-After) instead of hanging.

The engine knows nothing about HTTP or about empathy: it turns chat turns into text.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Iterator, Protocol

log = logging.getLogger(__name__)


class Busy(Exception):
    """The model is taken and the queue is full (or the wait ran out); try again after ``retry_after`` s."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class NotReady(Exception):
    """The model is still loading, or failed to load."""


class BackendError(Exception):
    """The inference backend answered, but not with something usable (an error status, a malformed or
    cut-off answer). ``status`` is what the HTTP layer answers: 502 unless a subclass says otherwise."""

    status = 502

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class BackendUnavailable(BackendError):
    """The inference backend cannot be reached (refused, down, overloaded, or it went away mid-answer);
    worth retrying after ``retry_after`` seconds."""

    status = 503

    def __init__(self, message: str, retry_after: int = 5):
        super().__init__(message, retry_after)


class BackendTimeout(BackendError):
    """The inference backend sent no answer before the generation deadline."""

    status = 504


@dataclass
class Generation:
    """Figures of one generation, filled in as it runs."""

    prompt_tokens: int = 0
    cached_tokens: int = 0  # prompt tokens whose evaluation was reused from the previous request
    generated_tokens: int = 0
    first_token_ms: float | None = None
    generate_ms: float = 0.0
    finish_reason: str = ""  # "stop", "length", "deadline" or "cancelled"
    started: float = field(default_factory=time.monotonic)

    @property
    def evaluated_tokens(self) -> int:
        return self.prompt_tokens - self.cached_tokens

    def count_token(self) -> None:
        """One more token generated (the first one's time is kept)."""
        self.generated_tokens += 1
        if self.first_token_ms is None:
            self.first_token_ms = (time.monotonic() - self.started) * 1000


class Engine(Protocol):
    name: str

    @property
    def ready(self) -> bool: ...

    def generate(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float,
                 deadline: float, stats: Generation, seed: int = 0) -> Iterator[str]: ...

    def count_tokens(self, text: str) -> int: ...

    def choose(self, messages: list[dict[str, str]], options: list[str]) -> dict[str, float]:
        """The probability, normalised over ``options``, that the answer begins with each (no generation)."""
        ...


class AdmissionQueue:
    """``slots`` rewrites at a time (one for the local engine), at most ``size`` more waiting, each for at
    most ``timeout`` seconds."""

    def __init__(self, size: int, timeout: float, slots: int = 1):
        self._admitted = threading.BoundedSemaphore(size + slots)  # the running ones plus the waiting ones
        self._model = threading.BoundedSemaphore(slots)
        self._timeout = timeout
        self._waiting = 0
        self._count_lock = threading.Lock()

    @property
    def depth(self) -> int:
        """Requests admitted and not yet finished (running plus waiting)."""
        return self._waiting

    def enter(self) -> None:
        if not self._admitted.acquire(blocking=False):
            raise Busy("the model is busy and its queue is full", retry_after=max(1, int(self._timeout // 4)))
        with self._count_lock:
            self._waiting += 1
        if not self._model.acquire(timeout=self._timeout):
            self._leave_queue()
            raise Busy(f"the model stayed busy for {self._timeout:g} s", retry_after=max(1, int(self._timeout // 4)))

    def leave(self) -> None:
        self._model.release()
        self._leave_queue()

    def _leave_queue(self) -> None:
        with self._count_lock:
            self._waiting -= 1
        self._admitted.release()


def shared_prefix(a, b) -> int:
    """How many tokens two token sequences share from the start (what a kept KV cache can reuse)."""
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count
