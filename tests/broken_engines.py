"""Useless engines, for a test of the tests: ``pytest tests/test_real_model.py --broken-engine=echo|empty``.

The ``real_engine`` fixture returns one of these instead of the default model. A real-model test that still
passes with them does not test the model: the pipeline keeps the agent's draft when the model's text is
unusable and adds its canned sentences, so a test that checks only that the facts survived passes whatever
the model wrote. ``tests/test_tests_can_fail.py`` runs the real-model tests with each of them and expects
most to fail.

They need no model file, and they implement the whole engine interface the tests use (``generate``,
``count_tokens``, ``prompt_tokens``, ``ready``, ``close``, ``context_tokens``) and reuse cached prompt
prefixes as the local engine does (it keeps the KV cache of every fixed prefix), so that a test fails on
what the model wrote, not on a missing method or on figures no test of the model's text is about.
"""

from __future__ import annotations

import re
import time
from typing import Iterator

from kindreply.model import Generation, shared_prefix

_TOKEN = re.compile(r"\S+\s*|\s+")


class BrokenEngine:
    """The engine interface, with an answer that says nothing of the draft's meaning."""

    kind = "broken"
    context_tokens = 4096

    def __init__(self):
        self.name = f"broken-{self.kind}"
        self.load_error = None
        self.calls: list[list[dict[str, str]]] = []
        self._vocabulary: dict[str, int] = {}
        self._evaluated: list[list[int]] = []  # the prompts evaluated so far: the "kept KV caches"

    @property
    def ready(self) -> bool:
        return True

    def load(self) -> None:
        pass

    def start_loading(self) -> None:
        pass

    def close(self) -> None:
        pass

    def count_tokens(self, text: str) -> int:
        return max(1, len(_TOKEN.findall(text)))

    def prompt_tokens(self, messages: list[dict[str, str]]) -> list[int]:
        """Words as tokens, of a chat template that puts each turn after the one before: the tokens of
        the first turns are a prefix of the tokens of all of them, as with a real template."""
        text = "".join(f"<|{m['role']}|>\n{m['content']}\n" for m in messages)
        return [self._vocabulary.setdefault(token, len(self._vocabulary)) for token in _TOKEN.findall(text)]

    def answer(self, messages: list[dict[str, str]]) -> str:
        raise NotImplementedError

    def choose(self, messages: list[dict[str, str]], options: list[str]) -> dict[str, float]:
        """No opinion: every option equally likely."""
        return {option: 1 / len(options) for option in options}

    def generate(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float,
                 deadline: float, stats: Generation, seed: int = 0) -> Iterator[str]:
        self.calls.append(messages)
        started = time.monotonic()
        tokens = self.prompt_tokens(messages)
        stats.prompt_tokens = len(tokens)
        # like the local engine: the longest prefix shared with a kept prompt is reused, the last token
        # evaluated again (generous: every earlier prompt counts as kept)
        stats.cached_tokens = min(max((shared_prefix(tokens, kept) for kept in self._evaluated), default=0),
                                  len(tokens) - 1)
        self._evaluated = [tokens, *self._evaluated[:63]]
        stats.finish_reason = "stop"
        for piece in _TOKEN.findall(self.answer(messages)):
            if stats.generated_tokens >= max_tokens:
                stats.finish_reason = "length"
                break
            if stats.first_token_ms is None:
                stats.first_token_ms = (time.monotonic() - started) * 1000
            stats.generated_tokens += 1
            yield piece
        stats.generate_ms = (time.monotonic() - started) * 1000



class EchoEngine(BrokenEngine):
    """Answers with the request's own prompt (its last user turn), as a model that only repeats its input."""

    kind = "echo"

    def answer(self, messages: list[dict[str, str]]) -> str:
        return messages[-1]["content"]


class EmptyEngine(BrokenEngine):
    """Answers nothing at all."""

    kind = "empty"

    def answer(self, messages: list[dict[str, str]]) -> str:
        return ""


BROKEN_ENGINES = {engine.kind: engine for engine in (EchoEngine, EmptyEngine)}


def broken_engine(kind: str) -> BrokenEngine:
    return BROKEN_ENGINES[kind]()
