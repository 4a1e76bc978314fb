"""The GGUF model of this process, held by llama-cpp-python: load, format, generate, stream."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Iterator

from . import Generation, NotReady

log = logging.getLogger(__name__)


class LlamaEngine:
    """A GGUF model held by llama-cpp-python. Loading runs in a background thread; ``ready`` tells when done."""

    def __init__(self, model_path: Path, *, threads: int, context_tokens: int, name: str,
                 warm_up: list[dict[str, str]] | None = None):
        self.name = name
        self._warm_up = warm_up
        self.model_path = model_path
        self._threads = threads
        self._context_tokens = context_tokens
        self._llama = None
        self._formatter = None
        self._stop_tokens: list[str] = []
        self.load_error: str | None = None

    @property
    def ready(self) -> bool:
        return self._llama is not None

    def start_loading(self) -> None:
        threading.Thread(target=self.load, name="kindreply-model-load", daemon=True).start()

    def load(self) -> None:
        from llama_cpp import Llama
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        started = time.monotonic()
        try:
            llama = Llama(model_path=str(self.model_path), n_ctx=self._context_tokens, n_threads=self._threads,
                          n_batch=512, verbose=False)
            template = llama.metadata.get("tokenizer.chat_template")
            if not template:
                raise NotReady(f"{self.model_path.name} has no chat template in its metadata")
            eos = llama.detokenize([llama.token_eos()], special=True).decode("utf-8", "ignore")
            bos = llama.detokenize([llama.token_bos()], special=True).decode("utf-8", "ignore")
            self._formatter = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos)
            self._stop_tokens = [eos] if eos else []
            if self._warm_up:
                # Evaluate the default style's fixed prefix now, so that the first agent's request
                # evaluates only its own draft, like every request after it.
                prefix = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos,
                                             add_generation_prompt=False)(messages=self._warm_up).prompt
                llama.eval(llama.tokenize(prefix.encode("utf-8"), add_bos=False, special=True))
            self._llama = llama
            log.info("model %s loaded and warmed up in %.1f s", self.name, time.monotonic() - started)
        except Exception as error:  # a bad file must show up in /readyz and the log, not kill the thread silently
            self.load_error = f"{type(error).__name__}: {error}"
            log.error("could not load model %s: %s", self.model_path, self.load_error)

    def close(self) -> None:
        if self._llama is not None:
            self._llama.close()
            self._llama = None

    def count_tokens(self, text: str) -> int:
        if not self.ready:
            # close enough for sizing before the model is there: about 4 characters a token
            return max(1, len(text) // 4)
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def prompt_tokens(self, messages: list[dict[str, str]]) -> list[int]:
        formatted = self._formatter(messages=messages)
        return self._llama.tokenize(formatted.prompt.encode("utf-8"), add_bos=False, special=True)

    def generate(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float,
                 deadline: float, stats: Generation, seed: int = 0) -> Iterator[str]:
        """Yield the answer's text as it is generated. The caller holds the admission queue."""
        if not self.ready:
            raise NotReady(self.load_error or "the model is still loading")
        llama = self._llama
        tokens = self.prompt_tokens(messages)
        stats.prompt_tokens = len(tokens)
        # llama-cpp-python keeps the evaluated tokens of the last call and evaluates only what differs;
        # count the shared prefix here so every response can show how much was reused
        previous = list(llama.input_ids)
        shared = 0
        for old, new in zip(previous, tokens):
            if old != new:
                break
            shared += 1
        stats.cached_tokens = min(shared, len(tokens) - 1)
        room = self._context_tokens - len(tokens)
        if room < 16:
            raise ValueError(f"the prompt needs {len(tokens)} of the model's {self._context_tokens} context tokens")
        started = time.monotonic()
        stream = llama.create_completion(
            tokens, max_tokens=min(max_tokens, room), temperature=temperature, top_p=0.9, top_k=40,
            repeat_penalty=1.05, stop=self._stop_tokens, stream=True, seed=seed)
        stats.finish_reason = "stop"
        try:
            for chunk in stream:
                choice = chunk["choices"][0]
                text = choice.get("text", "")
                if text:
                    stats.generated_tokens += 1
                    if stats.first_token_ms is None:
                        stats.first_token_ms = (time.monotonic() - stats.started) * 1000
                    yield text
                if choice.get("finish_reason"):
                    stats.finish_reason = choice["finish_reason"]
                if time.monotonic() > deadline:
                    stats.finish_reason = "deadline"
                    break
        except GeneratorExit:
            stats.finish_reason = "cancelled"
            raise
        finally:
            stream.close()
            stats.generated_tokens = max(stats.generated_tokens, llama.n_tokens - len(tokens))
            stats.generate_ms = (time.monotonic() - started) * 1000
