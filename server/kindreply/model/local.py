"""The GGUF model of this process, held by llama-cpp-python: load, format, generate, stream.

The pipeline sends a few kinds of prompt (a sentence edit, an acknowledgement), each starting with a long
fixed prefix (system text and worked examples). Each prefix is evaluated once, when the model loads, and
its KV cache kept (``llama_state_seq_get_data``); a request whose prompt starts with a kept prefix loads it
back instead of evaluating it again, so switching between prompt kinds costs milliseconds, not seconds.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from pathlib import Path
from typing import Iterator

from . import Generation, NotReady, shared_prefix
from .sources import fingerprint

log = logging.getLogger(__name__)

# how ``generate`` samples (llama-cpp-python's chain); bench/batched.py samples its batches the same way
TOP_P = 0.9
TOP_K = 40
REPEAT_PENALTY = 1.05


class LlamaEngine:
    """A GGUF model held by llama-cpp-python. Loading runs in a background thread; ``ready`` tells when done."""

    def __init__(self, model_path: Path, *, threads: int, context_tokens: int, name: str,
                 warm_up: list[list[dict[str, str]]] | None = None,
                 warm_up_open: list[list[dict[str, str]]] | None = None):
        self.name = name
        self._warm_up = warm_up
        self._warm_up_open = warm_up_open  # prefixes that end inside their last turn (see load)
        self.model_path = model_path
        self._threads = threads
        self._context_tokens = context_tokens
        self._llama = None
        self._formatter = None
        self._stop_tokens: list[str] = []
        self._prefixes: list[tuple[list[int], bytes]] = []  # (tokens, the KV cache of sequence 0 after them)
        self.load_error: str | None = None
        self._fingerprint: str | None = None

    @property
    def context_tokens(self) -> int:
        return self._context_tokens

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
            closed = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos, add_generation_prompt=False)
            # the fixed turns of each prompt kind, evaluated now and kept, so that no request does it again; an
            # open prefix's last turn goes on with each request's own words (the probe's "… Sentence:"), so it is
            # kept up to the end of what that turn says here, before the template closes it
            prefixes = [(prefix, False) for prefix in self._warm_up or []]
            prefixes += [(prefix, True) for prefix in self._warm_up_open or []]
            for prefix, open_end in prefixes:
                text = closed(messages=prefix).prompt
                if open_end:
                    text = text[:text.rfind(prefix[-1]["content"]) + len(prefix[-1]["content"])]
                self._keep_prefix(llama, llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))
            self._llama = llama
            log.info("model %s loaded and warmed up in %.1f s", self.name, time.monotonic() - started)
        except Exception as error:  # a bad file must show up in /readyz and the log, not kill the thread silently
            self.load_error = f"{type(error).__name__}: {error}"
            log.error("could not load model %s: %s", self.model_path, self.load_error)

    def close(self) -> None:
        if self._llama is not None:
            self._llama.close()
            self._llama = None

    def fingerprint(self) -> str:
        """The model file's SHA-256 (hashed once, and only when asked: a trained probe names the file it fits)."""
        if self._fingerprint is None:
            self._fingerprint = fingerprint(self.model_path)
        return self._fingerprint

    def count_tokens(self, text: str) -> int:
        if not self.ready:
            # close enough for sizing before the model is there: about 4 characters a token
            return max(1, len(text) // 4)
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def prompt_tokens(self, messages: list[dict[str, str]]) -> list[int]:
        formatted = self._formatter(messages=messages)
        return self._llama.tokenize(formatted.prompt.encode("utf-8"), add_bos=False, special=True)

    def generate(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float,
                 deadline: float, stats: Generation, seed: int = 0, avoid: tuple[str, ...] = ()) -> Iterator[str]:
        """Yield the answer's text as it is generated. The caller holds the admission queue. ``avoid``: words the
        answer may not start a word with (their first token is masked out), so that an edit cannot hand back the
        hurting words it was asked to change."""
        if not self.ready:
            raise NotReady(self.load_error or "the model is still loading")
        llama = self._llama
        tokens = self.prompt_tokens(messages)
        stats.prompt_tokens = len(tokens)
        self._restore_prefix(llama, tokens)
        # llama-cpp-python keeps the evaluated tokens of the last call and evaluates only what differs;
        # count the shared prefix here so every response can show how much was reused
        stats.cached_tokens = min(shared_prefix(llama.input_ids[:llama.n_tokens], tokens), len(tokens) - 1)
        room = self._context_tokens - len(tokens)
        if room < 16:
            raise ValueError(f"the prompt needs {len(tokens)} of the model's {self._context_tokens} context tokens")
        started = time.monotonic()
        stream = llama.create_completion(
            tokens, max_tokens=min(max_tokens, room), temperature=temperature, top_p=TOP_P, top_k=TOP_K,
            repeat_penalty=REPEAT_PENALTY, stop=self._stop_tokens, stream=True, seed=seed,
            logits_processor=self._avoiding(avoid))
        stats.finish_reason = "stop"
        try:
            for chunk in stream:
                choice = chunk["choices"][0]
                text = choice.get("text", "")
                if text:
                    stats.count_token()
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

    def _avoiding(self, words: tuple[str, ...]):
        """A logits processor that masks the first token of each word in ``words`` (as written, lower case and
        capitalised, with and without a leading space); None when there is nothing to avoid."""
        if not words:
            return None
        from llama_cpp import LogitsProcessorList

        banned = set()
        for word in words:
            for form in {word, word.lower(), word[:1].upper() + word[1:]}:
                for text in (form, " " + form):
                    ids = self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False)
                    if ids:
                        banned.add(ids[0])
        banned = sorted(banned)

        def mask(_input_ids, scores):
            scores[banned] = -float("inf")
            return scores

        return LogitsProcessorList([mask])

    def choose(self, messages: list[dict[str, str]], options: list[str]) -> dict[str, float]:
        """The probability, normalised over ``options``, that the answer begins with each option's first token:
        one forward pass over the prompt (its kept prefix reused), no generation. The caller holds the queue."""
        import numpy as np

        if not self.ready:
            raise NotReady(self.load_error or "the model is still loading")
        llama = self._llama
        tokens = self.prompt_tokens(messages)
        self._reuse_evaluated(llama, tokens)
        llama.eval(tokens[llama.n_tokens:])
        logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),))
        firsts = [llama.tokenize(option.encode("utf-8"), add_bos=False, special=False)[0] for option in options]
        values = np.array([logits[token] for token in firsts], dtype=np.float64)
        chances = np.exp(values - values.max())
        chances /= chances.sum()
        return {option: float(chance) for option, chance in zip(options, chances)}

    def hidden_state(self, messages: list[dict[str, str]], answer_start: str = "") -> list[float]:
        """The model's last hidden state (the final norm's output, before the vocabulary) at the end of the
        prompt followed by ``answer_start``: what a trained probe reads (``rewrite/classify.Probe``). One
        forward pass over what is not already evaluated, no generation. The caller holds the queue."""
        import numpy as np
        from llama_cpp import llama_cpp as low

        if not self.ready:
            raise NotReady(self.load_error or "the model is still loading")
        llama = self._llama
        tokens = self.prompt_tokens(messages)
        if answer_start:
            tokens += llama.tokenize(answer_start.encode("utf-8"), add_bos=False, special=False)
        self._reuse_evaluated(llama, tokens)
        # The context was made for generation; hidden states are switched on for this evaluation only. With
        # them on, llama.cpp outputs every token of a batch, so the batches say so (llama.eval would mark only
        # the last one, and llama.cpp would log a warning for every call).
        low.llama_set_embeddings(llama._ctx.ctx, True)
        try:
            llama._ctx.kv_cache_seq_rm(-1, llama.n_tokens, -1)
            rest = tokens[llama.n_tokens:]
            for start in range(0, len(rest), llama.n_batch):
                batch = rest[start:start + llama.n_batch]
                llama._batch.set_batch(batch=batch, n_past=llama.n_tokens, logits_all=True)
                llama._ctx.decode(llama._batch)
                llama.input_ids[llama.n_tokens:llama.n_tokens + len(batch)] = batch
                llama.n_tokens += len(batch)
            vector = low.llama_get_embeddings_ith(llama._ctx.ctx, -1)
            return np.ctypeslib.as_array(vector, shape=(llama.n_embd(),)).tolist()
        finally:
            low.llama_set_embeddings(llama._ctx.ctx, False)

    # -- kept prefixes ------------------------------------------------------------------------------

    def _reuse_evaluated(self, llama, tokens: list[int]) -> None:
        """Start from the kept prefix or the last call's tokens, whichever shares more with ``tokens``; at least
        the last token is evaluated again, since its output (logits or hidden state) is the answer."""
        self._restore_prefix(llama, tokens)
        llama.n_tokens = min(shared_prefix(llama.input_ids[:llama.n_tokens], tokens), len(tokens) - 1)

    def _keep_prefix(self, llama, tokens: list[int]) -> None:
        from llama_cpp import llama_cpp as low

        llama.reset()
        llama.eval(tokens)
        size = low.llama_state_seq_get_size(llama._ctx.ctx, 0)
        buffer = (ctypes.c_uint8 * size)()
        written = low.llama_state_seq_get_data(llama._ctx.ctx, buffer, size, 0)
        self._prefixes.append((list(tokens), bytes(buffer[:written])))

    def _restore_prefix(self, llama, tokens: list[int]) -> None:
        """Load the kept prefix that shares most with ``tokens``, when it shares more than what is loaded."""
        from llama_cpp import llama_cpp as low

        loaded = shared_prefix(llama.input_ids[:llama.n_tokens], tokens)
        best = max(self._prefixes, key=lambda kept: shared_prefix(kept[0], tokens), default=None)
        if best is None or shared_prefix(best[0], tokens) < len(best[0]) or len(best[0]) <= loaded:
            return
        prefix, state = best
        buffer = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
        if low.llama_state_seq_set_data(llama._ctx.ctx, buffer, len(state), 0) == 0:
            log.warning("could not restore a kept prompt prefix; evaluating it again")
            llama.reset()
            return
        llama.input_ids[:len(prefix)] = prefix
        llama.n_tokens = len(prefix)
