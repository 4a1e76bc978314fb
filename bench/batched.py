"""An experiment, not the product: the local engine decoding several prompts as sequences of one llama batch.

    from batched import BatchedLlamaEngine       # bench/ on sys.path, as bench/batch.py and tests/test_batch.py do

Issue #13, lever 2. A decoding step reads all the weights whatever the number of tokens in it, so N
sequences in one llama batch cost less than N steps; on 2 CPU cores compute dominates early (8 edits: 1.25×
faster than one after the other, 2 edits 1.14×, and the first text of any edit comes later, 2.18 s against
0.29 s for 8: bench/results/batch.md). A typical draft has 0 or 1 sentences for the model to edit, so the
product (``kindreply.model.local.LlamaEngine``) does not batch; this subclass keeps the code that measured
it, so that ``bench/batch.py`` can run again against the product's engine.

``BatchedLlamaEngine`` remakes the context with ``n_seq_max`` = ``BATCH_SEQUENCES`` and a unified KV cache (all
sequences in one buffer, so a prefix copied to another sequence with ``llama_memory_seq_cp`` shares its cells
instead of being copied); the kept prefix is loaded once into sequence 0 and shared with the others, each
sequence evaluates only its own suffix, then every step decodes one token of each live sequence, logits asked
only for those positions.

Written against llama-cpp-python 0.3.36 (the version pyproject.toml pins), and tied to its internals:
``Llama()`` makes a one-sequence context and takes no ``n_seq_max``, so the context is made again with
``llama_cpp._internals.LlamaContext``; the KV cache is reached through the ``llama_memory_*`` functions (the
``llama_kv_self_*`` names are gone); llama-cpp-python's bookkeeping (``input_ids``, ``n_tokens``,
``_requires_eval``: whether the logits it holds belong to the last token of ``input_ids``) is set by hand
after a batch or a restored prefix, so that ``generate`` evaluates at least one token before it samples. At
temperature 0 llama-cpp-python's sampler chain is ``generate``'s repeat penalty, then the most likely token
(top-k, top-p and min-p only apply above 0), so greedy batches apply the penalty too; the sampling constants
below must stay those of ``LlamaEngine.generate`` (min-p: ``create_completion``'s default).

It uses of the product only ``kindreply.model`` and ``kindreply.model.local``, and none of what main added to
``LlamaEngine.generate`` since (``avoid``, ``_avoiding``): batched edits do not mask the words to avoid.
"""

from __future__ import annotations

import ctypes
import logging
import time

from kindreply.model import Generation, NotReady, shared_prefix
from kindreply.model.local import REPEAT_PENALTY, TOP_K, TOP_P, LlamaEngine

log = logging.getLogger(__name__)

BATCH_SEQUENCES = 8  # sequences one llama batch may decode together (the context's n_seq_max)
# the sampling of ``LlamaEngine.generate`` (llama-cpp-python's chain: repeat penalty, top-k, top-p, min-p,
# temperature; REPEAT_PENALTY, TOP_K and TOP_P are the engine's own); ``generate_many`` applies them itself
PENALTY_LAST_N = 64  # llama-cpp-python's last_n_tokens_size: the generated tokens the penalty looks back on
MIN_P = 0.05  # create_completion's default
KV_MARGIN = 32  # cells of the context kept free when sizing a batch


class BatchedLlamaEngine(LlamaEngine):
    """``LlamaEngine`` with ``generate_many`` and ``choose_many``: several prompts as sequences of one batch.

    ``generate`` and ``choose`` are the product's, and give the same answers after a batch as before it."""

    def __init__(self, model_path, *, threads: int, context_tokens: int, name: str,
                 warm_up: list[list[dict[str, str]]] | None = None, sequences: int = BATCH_SEQUENCES):
        # the prefixes are kept once the context for several sequences is made (see ``load``)
        super().__init__(model_path, threads=threads, context_tokens=context_tokens, name=name, warm_up=None)
        self._batch_warm_up = warm_up
        self._wanted_sequences = sequences
        self._sequences = 1  # how many sequences the context can decode together (``sequences`` once loaded)

    @classmethod
    def like(cls, engine: LlamaEngine, *, sequences: int = BATCH_SEQUENCES) -> BatchedLlamaEngine:
        """A batched engine for what ``engine`` (not loaded, as ``kindreply.service.local_engine`` makes it)
        would load: the same model, threads, context and kept prefixes."""
        return cls(engine.model_path, threads=engine._threads, context_tokens=engine.context_tokens,
                   name=engine.name, warm_up=engine._warm_up, sequences=sequences)

    def load(self) -> None:
        """``LlamaEngine.load``, then the context made again for several sequences, then the kept prefixes
        evaluated in it (their KV cache saved from the context that restores them)."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        started = time.monotonic()
        super().load()
        llama, self._llama = self._llama, None  # not ready until the prefixes are kept
        if llama is None:
            return
        try:
            self._sequences = _allow_sequences(llama, self._wanted_sequences)
            template = llama.metadata["tokenizer.chat_template"]
            eos = llama.detokenize([llama.token_eos()], special=True).decode("utf-8", "ignore")
            bos = llama.detokenize([llama.token_bos()], special=True).decode("utf-8", "ignore")
            fixed = Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos, add_generation_prompt=False)
            for prefix in self._batch_warm_up or []:
                text = fixed(messages=prefix).prompt
                self._keep_prefix(llama, llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))
            self._llama = llama
            log.info("model %s ready for batches of %d in %.1f s", self.name, self._sequences,
                     time.monotonic() - started)
        except Exception as error:
            self.load_error = f"{type(error).__name__}: {error}"
            log.error("could not make %s ready for batches: %s", self.model_path, self.load_error)
            llama.close()

    def _first_tokens(self, options: list[str]) -> list[int]:
        return [self._llama.tokenize(option.encode("utf-8"), add_bos=False, special=False)[0] for option in options]
    # -- several prompts at once -----------------------------------------------------------------

    def generate_many(self, requests: list[list[dict[str, str]]], *, max_tokens: int | list[int], temperature: float,
                      deadline: float, stats_list: list[Generation], seed: int = 0) -> list[str]:
        """The answers to several prompts, decoded together: one sequence each, one llama batch per step.

        The kept prefix is loaded once and shared (see the module's docstring); each sequence then evaluates
        its own suffix, and each step decodes one token of every sequence still running. ``max_tokens`` is one
        limit for all or one per request. At temperature 0 the answer is ``generate``'s greedy one (the same
        repeat penalty, then the most likely token), up to float rounding: a batch adds up its sums in another
        order. Above 0: ``generate``'s chain (repeat penalty, top-k, top-p, min-p, temperature), drawn with a
        numpy generator seeded by (``seed``, the request's index): reproducible, not ``generate``'s stream.

        Each ``stats_list[i]`` is filled as ``generate`` fills its one; its ``generate_ms`` runs from this
        call's start to the end of that sequence, so the call's wall time is their largest, not their sum.
        More requests than ``BATCH_SEQUENCES``, or than the context holds at once, run as several batches one
        after the other. The caller holds the admission queue (the engine serves one request at a time)."""
        import numpy as np
        from llama_cpp import llama_cpp as low

        if not self.ready:
            raise NotReady(self.load_error or "the model is still loading")
        if len(stats_list) != len(requests):
            raise ValueError("one Generation per request is needed")
        limits = [max_tokens] * len(requests) if isinstance(max_tokens, int) else list(max_tokens)
        if len(limits) != len(requests):
            raise ValueError("max_tokens must be one number or one per request")
        llama = self._llama
        prompts = [self.prompt_tokens(messages) for messages in requests]
        for index, (tokens, stats) in enumerate(zip(prompts, stats_list)):
            stats.prompt_tokens = len(tokens)
            room = self._context_tokens - len(tokens)
            if room < 16:
                raise ValueError(f"the prompt needs {len(tokens)} of the model's {self._context_tokens} context tokens")
            limits[index] = max(1, min(limits[index], room))
        started = time.monotonic()
        answers = [""] * len(requests)
        vocab = llama._model.vocab
        with _Batch(llama) as batch:
            for group in self._groups(llama, prompts, limits):
                cached, logits = self._prefill(llama, batch, [prompts[i] for i in group])
                rngs = [np.random.default_rng([seed, index]) for index in group] if temperature > 0 else None
                produced: list[list[int]] = [[] for _ in group]
                positions = [len(prompts[index]) for index in group]

                def finish(k: int, reason: str) -> None:
                    stats = stats_list[group[k]]
                    stats.cached_tokens = cached[k]
                    stats.finish_reason = reason
                    stats.generate_ms = (time.monotonic() - started) * 1000

                current = dict(enumerate(logits))
                while current:
                    step = []
                    for k, row in current.items():
                        token = _next_token(row, produced[k], temperature, rngs[k] if rngs else None)
                        if low.llama_vocab_is_eog(vocab, token):
                            finish(k, "stop")
                            continue
                        produced[k].append(token)
                        stats_list[group[k]].count_token()
                        if len(produced[k]) >= limits[group[k]]:
                            finish(k, "length")
                            continue
                        step.append((token, positions[k], k, True))
                        positions[k] += 1
                    if step and time.monotonic() > deadline:
                        for _, _, k, _ in step:
                            finish(k, "deadline")
                        break
                    current = dict(zip((k for _, _, k, _ in step), _decode(llama, batch, step))) if step else {}
                for k, index in enumerate(group):
                    answers[index] = llama.detokenize(produced[k], prev_tokens=prompts[index]).decode("utf-8", "ignore")
        return answers

    def choose_many(self, requests: list[list[dict[str, str]]], options: list[str]) -> list[dict[str, float]]:
        """``choose`` for several prompts: their suffixes evaluated together as sequences of one batch, the
        kept prefix (or what the prompts share) evaluated once. The caller holds the admission queue."""
        if not self.ready:
            raise NotReady(self.load_error or "the model is still loading")
        llama = self._llama
        prompts = [self.prompt_tokens(messages) for messages in requests]
        firsts = self._first_tokens(options)
        answers = []
        with _Batch(llama) as batch:
            for group in self._groups(llama, prompts, [0] * len(prompts)):
                _, logits = self._prefill(llama, batch, [prompts[i] for i in group])
                answers += [_chances(row, firsts, options) for row in logits]
        return answers

    def _layout(self, llama, prompts: list[list[int]], *, restore: bool = True):
        """How a batch of ``prompts`` starts: the kept prefix to load into sequence 0 (None: keep what is
        loaded; always None without ``restore``), how many tokens of each prompt that base gives, and how
        far all the prompts share tokens beyond it (evaluated once in sequence 0 and copied; 0: none)."""
        def shares(base) -> list[int]:
            return [min(shared_prefix(base, tokens), len(tokens) - 1) for tokens in prompts]

        loaded = list(llama.input_ids[:llama.n_tokens])
        kept, best = None, shares(loaded)
        for prefix in self._prefixes if restore else []:
            given = shares(prefix[0])
            if sum(given) > sum(best):
                kept, best = prefix, given
        common = min(len(tokens) - 1 for tokens in prompts)
        for tokens in prompts[1:]:
            common = min(common, shared_prefix(prompts[0][:common], tokens))
        return kept, best, common if len(prompts) > 1 and common > max(best) else 0

    def _cells(self, llama, prompts: list[list[int]], extra: list[int]) -> int:
        """KV cells a batch of ``prompts`` takes, ``extra[i]`` generated tokens each."""
        _, shares, common = self._layout(llama, prompts)
        shares = [common] * len(prompts) if common else shares
        return max(shares) + sum(len(tokens) - share + more for tokens, share, more in zip(prompts, shares, extra))

    def _groups(self, llama, prompts: list[list[int]], extra: list[int]):
        """The requests' indices, in order, as batches of at most ``_sequences`` that fit the context. Each is
        sized just before it runs (what the last one leaves loaded counts)."""
        start = 0
        while start < len(prompts):
            end = start + 1
            while (end < len(prompts) and end - start < self._sequences
                   and self._cells(llama, prompts[start:end + 1], extra[start:end + 1])
                   <= self._context_tokens - KV_MARGIN):
                end += 1
            yield list(range(start, end))
            start = end

    def _prefill(self, llama, batch, prompts: list[list[int]]) -> tuple[list[int], list]:
        """Evaluate ``prompts`` as sequences 0…N-1 sharing what they can; return the tokens each did not
        evaluate here (restored, left loaded, or evaluated once for all in sequence 0) and the logits of each
        one's last token. Afterwards llama-cpp-python's bookkeeping (``input_ids``, ``n_tokens``) describes
        sequence 0's prompt, which stays loaded; the other sequences are removed when ``_Batch`` is left."""
        from llama_cpp import llama_cpp as low

        memory = llama._ctx.memory
        low.llama_memory_seq_keep(memory, 0)  # only sequence 0, the one n_tokens/input_ids describe
        kept, shares, common = self._layout(llama, prompts)
        if kept is not None and not self._load_prefix(llama, *kept):
            low.llama_memory_seq_rm(memory, 0, -1, -1)
            kept, shares, common = self._layout(llama, prompts, restore=False)  # nothing loaded now
        cached = list(shares)
        if common:
            # the prompts share more than the base gives (a kind of prompt without a kept prefix): evaluated
            # once in sequence 0; those tokens count as evaluated for sequence 0, as reused for the others
            low.llama_memory_seq_rm(memory, 0, shares[0], -1)
            _decode(llama, batch, [(token, position, 0, False) for position, token in
                                   enumerate(prompts[0][shares[0]:common], start=shares[0])])
            shares = [common] * len(prompts)
            cached[1:] = shares[1:]
        for k in range(1, len(prompts)):
            if shares[k]:
                low.llama_memory_seq_cp(memory, 0, k, 0, shares[k])  # positions [0, shares[k]): shared cells
        low.llama_memory_seq_rm(memory, 0, shares[0], -1)
        step = [(tokens[position], position, k, position == len(tokens) - 1)
                for k, tokens in enumerate(prompts) for position in range(shares[k], len(tokens))]
        logits = _decode(llama, batch, step)
        first = prompts[0]
        llama.input_ids[:len(first)] = first
        llama.n_tokens = len(first)
        llama._requires_eval = True  # the logits llama-cpp-python would sample from are not that prompt's
        return cached, logits

    # -- kept prefixes ------------------------------------------------------------------------------

    def _restore_prefix(self, llama, tokens: list[int]) -> None:
        """Load the kept prefix that shares most with ``tokens``, when it shares more than what is loaded."""
        loaded = shared_prefix(llama.input_ids[:llama.n_tokens], tokens)
        best = max(self._prefixes, key=lambda kept: shared_prefix(kept[0], tokens), default=None)
        if best is None or shared_prefix(best[0], tokens) < len(best[0]) or len(best[0]) <= loaded:
            return
        self._load_prefix(llama, *best)

    def _load_prefix(self, llama, prefix: list[int], state: bytes) -> bool:
        """Put a kept prefix's KV cache into sequence 0 (what llama-cpp-python's ``n_tokens``/``input_ids``
        describe); False, with nothing loaded, when llama.cpp refuses it."""
        from llama_cpp import llama_cpp as low

        buffer = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
        if low.llama_state_seq_set_data(llama._ctx.ctx, buffer, len(state), 0) == 0:
            log.warning("could not restore a kept prompt prefix; evaluating it again")
            llama.reset()
            return False
        llama.input_ids[:len(prefix)] = prefix
        llama.n_tokens = len(prefix)
        llama._requires_eval = True  # no logits for the prefix's last token: a generation evaluates one more
        return True


# -- the low-level pieces of a batch ------------------------------------------------------------------



def _allow_sequences(llama, count: int) -> int:
    """Remake ``llama``'s context so that it decodes up to ``count`` sequences together in one unified KV cache
    (llama-cpp-python's ``Llama()`` makes a one-sequence context and takes no ``n_seq_max``). Without a
    unified cache each sequence would get n_ctx/count cells of its own and ``llama_memory_seq_cp`` could copy
    only whole streams. Returns the count it allows: 1 (the context as it was) when llama.cpp refuses."""
    from llama_cpp import _internals

    params = llama.context_params
    params.n_seq_max, params.kv_unified = count, True
    try:
        context = _internals.LlamaContext(model=llama._model, params=params, verbose=False)
    except ValueError as error:
        params.n_seq_max, params.kv_unified = 1, False
        log.warning("a context for %d sequences could not be made (%s); batches run one prompt at a time",
                    count, error)
        return 1
    previous, llama._ctx = llama._ctx, context
    previous.close()
    llama._stack.callback(context.close)
    return count


class _Batch:
    """A ``llama_batch`` of ``n_batch`` tokens (one sequence id each) for the duration of a batch call.

    On leaving, the KV cache is settled as ``generate`` and ``choose`` expect it: sequence 0 holding the
    prompt llama-cpp-python's ``input_ids``/``n_tokens`` describe, no other sequence, no generated tokens;
    after an error, nothing at all (the next call restores a kept prefix)."""

    def __init__(self, llama):
        self.llama = llama

    def __enter__(self):
        from llama_cpp import llama_cpp as low

        self.batch = low.llama_batch_init(self.llama.n_batch, 0, 1)
        return self.batch

    def __exit__(self, kind, error, trace):
        from llama_cpp import llama_cpp as low

        try:
            if kind is None:
                memory = self.llama._ctx.memory
                low.llama_memory_seq_keep(memory, 0)
                low.llama_memory_seq_rm(memory, 0, self.llama.n_tokens, -1)
            else:
                _forget(self.llama)
        finally:
            low.llama_batch_free(self.batch)
        return False


def _forget(llama) -> None:
    """Empty the KV cache and llama-cpp-python's record of it."""
    from llama_cpp import llama_cpp as low

    low.llama_memory_clear(llama._ctx.memory, True)
    llama.reset()


def _decode(llama, batch, entries: list[tuple[int, int, int, bool]]) -> list:
    """Decode ``entries`` (token, position, sequence id, whether its logits are wanted), ``n_batch`` at a
    time; return a copy of the logits of each wanted one, in order."""
    import numpy as np
    from llama_cpp import llama_cpp as low

    vocabulary = llama.n_vocab()
    rows = []
    for start in range(0, len(entries), llama.n_batch):
        chunk = entries[start:start + llama.n_batch]
        batch.n_tokens = len(chunk)
        for j, (token, position, sequence, wanted) in enumerate(chunk):
            batch.token[j] = token
            batch.pos[j] = position
            batch.n_seq_id[j] = 1
            batch.seq_id[j][0] = sequence
            batch.logits[j] = wanted
        code = low.llama_decode(llama._ctx.ctx, batch)
        if code != 0:
            raise RuntimeError(f"llama_decode failed with {code} on a batch of {len(chunk)} tokens"
                               + (" (no room left in the KV cache)" if code == 1 else ""))
        for j, (*_, wanted) in enumerate(chunk):
            if wanted:
                rows.append(np.ctypeslib.as_array(low.llama_get_logits_ith(llama._ctx.ctx, j),
                                                  shape=(vocabulary,)).copy())
    return rows


def _next_token(logits, produced: list[int], temperature: float, rng) -> int:
    """The next token from one sequence's logits (modified in place), as llama-cpp-python's sampler chain
    would pick it for ``generate``: the repeat penalty on the last ``PENALTY_LAST_N`` generated tokens
    (a positive logit divided by it, a negative one multiplied, as llama.cpp does), then the most likely
    token at temperature 0; else top-k, top-p, min-p and temperature, drawn with ``rng``."""
    import numpy as np

    recent = produced[-PENALTY_LAST_N:]
    if recent and REPEAT_PENALTY != 1.0:
        ids = np.unique(np.asarray(recent, dtype=np.intp))
        values = logits[ids]
        penalty = np.float32(REPEAT_PENALTY)
        logits[ids] = np.where(values <= 0, values * penalty, values / penalty)
    if temperature <= 0:
        return int(np.argmax(logits))
    top = np.argpartition(logits, -TOP_K)[-TOP_K:]
    top = top[np.argsort(-logits[top], kind="stable")]
    values = logits[top].astype(np.float64)
    chances = np.exp(values - values[0])
    chances /= chances.sum()
    keep = min(len(top), int(np.searchsorted(np.cumsum(chances), TOP_P)) + 1)  # the head reaching TOP_P
    keep = max(1, int(np.count_nonzero(chances[:keep] >= MIN_P * chances[0])))
    values = values[:keep] / temperature
    chances = np.exp(values - values.max())
    chances /= chances.sum()
    return int(top[rng.choice(keep, p=chances)])


def _chances(logits, firsts: list[int], options: list[str]) -> dict[str, float]:
    """Each option's probability from the logits of its first token, normalised over the options."""
    import numpy as np

    values = np.array([logits[token] for token in firsts], dtype=np.float64)
    chances = np.exp(values - values.max())
    chances /= chances.sum()
    return {option: float(chance) for option, chance in zip(options, chances)}
