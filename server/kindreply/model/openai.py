"""An engine that sends generation to a server speaking the OpenAI-compatible API.

llama.cpp's ``llama-server``, vLLM, Ollama, ``python -m llama_cpp.server`` or a hosted endpoint: whatever
answers ``POST /v1/chat/completions`` (streamed as Server-Sent Events) and ``GET /v1/models``. kindreply's
workers then hold no model; they can be many, on small machines, in front of one server that batches.

What the engine does for each part of the ``Engine`` protocol:

- ``ready``: ``GET /v1/models`` answered, with a 1 s timeout, the answer reused for 2 s and then asked
  again in the background (only the very first check is waited for). A server that accepts the connection
  but is too busy to answer in time (``llama_cpp.server`` answers only between generations) keeps the state
  it had. A generation that cannot connect, or is cut off, marks the backend down at once; one that
  finishes marks it up. The configured model must be one the server lists; with none configured, the
  first listed is used.
- ``generate``: a streamed chat completion. Thread-safe and never serialised here: several requests (and
  several generations of one request) go to the server at once, through one connection pool.
- ``count_tokens``: the server's tokenizer where it has one (``/tokenize`` of llama-server,
  ``/extras/tokenize`` of llama-cpp-python's server), with a 0.5 s timeout (after which counts are
  estimated for 10 s); else about 4 characters a token, corrected by every count the server did give.
- ``choose``: one token with ``logprobs``/``top_logprobs``; without them a short greedy answer.
- the context size: vLLM's ``max_model_len`` in ``/v1/models``, llama-server's ``/props``, else
  ``KINDREPLY_CONTEXT_TOKENS``.

Faults become the exceptions of ``kindreply.model``: ``BackendUnavailable`` (refused, down, 502/503/504,
429, an answer cut off), ``BackendTimeout`` (nothing before the deadline) and ``BackendError`` (an error
status or an answer in the wrong shape), each with a message that says what happened and what to check.
Only connection errors are retried (with backoff): the request never reached the server, so nothing
was generated twice.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from pathlib import PurePosixPath
from typing import Iterator

import httpx
from httpx_sse import EventSource

from . import BackendError, BackendTimeout, BackendUnavailable, Generation

log = logging.getLogger(__name__)

READY_TIMEOUT = 1.0  # seconds for the GET /v1/models of a readiness check
READY_CACHE = 2.0  # seconds a readiness answer is reused
CONNECT_TIMEOUT = 2.0
TOKENIZE_TIMEOUT = 0.5
TOKENIZER_PAUSE = 10.0  # seconds of estimates after the tokenizer did not answer in time
CONNECT_ATTEMPTS = 3  # on connection errors only, with a backoff of 0.25 s, then 0.5 s
BACKOFF = 0.25
RETRY_AFTER = 5  # seconds a client is told to wait when the backend is down
CHARS_PER_TOKEN = 4.0


def base_url(url: str) -> str:
    """The API base, ending in ``/v1`` unless the URL names another path (as some hosted endpoints do)."""
    url = url.strip().rstrip("/")
    path = httpx.URL(url).path
    return url + "/v1" if path in ("", "/") else url


def display_name(model_id: str) -> str:
    """A model's id as responses show it: ``/models/qwen.gguf`` (llama_cpp.server's default id) is ``qwen``."""
    name = PurePosixPath(model_id).name if "/" in model_id and model_id.endswith(".gguf") else model_id
    return name.removesuffix(".gguf")


class OpenAIEngine:
    """Generation by a server speaking the OpenAI-compatible API (see the module's docstring)."""

    def __init__(self, url: str, *, model: str = "", api_key: str = "", context_tokens: int = 4096,
                 concurrency: int = 4, request_timeout: float = 120.0, transport: httpx.BaseTransport | None = None,
                 warm_up: list[list[dict[str, str]]] | None = None):
        self.url = base_url(url)
        self.root = self.url.removesuffix("/v1")  # llama-server and llama_cpp.server keep /tokenize, /props here
        self.concurrency = concurrency  # rewrites a worker may send at once (the admission queue's slots)
        self.context_tokens = context_tokens
        self._model = model
        self._request_timeout = request_timeout
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # enough connections for every admitted rewrite to run several generations at once
        limits = httpx.Limits(max_connections=max(16, concurrency * 8), max_keepalive_connections=max(8, concurrency * 2))
        self._client = httpx.Client(headers=headers, limits=limits, transport=transport,
                                    timeout=httpx.Timeout(request_timeout, connect=CONNECT_TIMEOUT))
        self._probe_lock = threading.Lock()
        self._checked_at = -math.inf
        self._ready = False
        self._reason = f"the inference backend at {self.url} has not been checked yet"
        self._context_checked = False
        self._tokenizer: str | None = None  # "/tokenize", "/extras/tokenize", "" (none), None (not known yet)
        self._tokenizer_pause = 0.0  # monotonic time until which counts are estimated (the tokenizer timed out)
        self._chars_per_token = CHARS_PER_TOKEN
        self._logprobs = True  # until the server shows it has none
        self._warm_up = warm_up or []

    # -- readiness -------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return display_name(self._model) if self._model else "openai-backend"

    @property
    def ready(self) -> bool:
        if time.monotonic() - self._checked_at >= READY_CACHE:
            if self._checked_at == -math.inf:
                with self._probe_lock:  # the first answer is waited for, by every thread that asks
                    if self._checked_at == -math.inf:
                        self._probe()
            elif self._probe_lock.acquire(blocking=False):
                # later ones are asked for in the background: a request never waits on a busy server's
                # /v1/models, it uses the last answer (at most a few seconds old)
                threading.Thread(target=self._probe_and_release, name="kindreply-backend-check", daemon=True).start()
        return self._ready

    def _probe_and_release(self) -> None:
        try:
            self._probe()
        finally:
            self._probe_lock.release()

    @property
    def load_error(self) -> str | None:
        """Why the backend is not ready (what /readyz and `kindreply rewrite` show), or None."""
        return None if self._ready else self._reason

    def check_ready(self) -> None:
        """Raise ``BackendUnavailable`` with the reason when the backend is not ready."""
        if not self.ready:
            raise BackendUnavailable(self._reason, retry_after=RETRY_AFTER)

    def load(self) -> None:
        """For ``Service.from_settings(load="now")``: check the backend once."""
        self._checked_at = -math.inf
        _ = self.ready

    def start_loading(self) -> None:
        """Nothing to load here; in the background, once the server answers, send it each prompt kind's
        fixed prefix (a one-token answer), so that it has them cached (llama-server's slots,
        llama_cpp.server --cache) before the first rewrite, as the local engine evaluates them at start."""
        if self._warm_up:
            threading.Thread(target=self._send_warm_up, name="kindreply-backend-warm-up", daemon=True).start()

    def _send_warm_up(self) -> None:
        deadline = time.monotonic() + 600
        while not self.ready:
            if time.monotonic() > deadline:
                return
            time.sleep(1)
        started = time.monotonic()
        try:
            for prefix in self._warm_up:
                self._complete(prefix, time.monotonic() + self._request_timeout, max_tokens=1, temperature=0)
            log.info("inference backend has the prompts' fixed prefixes (%.1f s)", time.monotonic() - started)
        except BackendError as error:
            log.warning("could not send the prompts' prefixes to the inference backend: %s", error)

    def close(self) -> None:
        self._client.close()

    def _set_state(self, ready: bool, reason: str = "") -> None:
        if ready != self._ready or (not ready and reason != self._reason):
            if ready:
                log.info("inference backend %s is ready (model %s)", self.url, self._model or "(server's default)")
            else:
                log.warning("inference backend not ready: %s", reason)
        self._ready, self._checked_at = ready, time.monotonic()
        if reason:
            self._reason = reason

    def _probe(self) -> None:
        try:
            response = self._client.get(f"{self.url}/models", timeout=READY_TIMEOUT)
        except httpx.ConnectTimeout:
            return self._set_state(False, f"the inference backend at {self.url} is unreachable: no connection "
                                          f"within {READY_TIMEOUT:g} s; is KINDREPLY_BACKEND_URL right and the server up?")
        except httpx.TimeoutException:
            # connected, but no answer yet: a busy server (llama_cpp.server answers only between
            # generations). It keeps the state it had; one never seen ready stays not ready.
            return self._set_state(self._ready, f"the inference backend at {self.url} accepted the connection but "
                                                f"did not answer GET /v1/models within {READY_TIMEOUT:g} s")
        except httpx.TransportError as error:
            return self._set_state(False, f"the inference backend at {self.url} is unreachable: {_describe(error)}; "
                                          "is KINDREPLY_BACKEND_URL right and the server up?")
        if response.status_code != 200:
            return self._set_state(False, _status_message(response.status_code, _error_detail(response),
                                                          f"GET {self.url}/models"))
        try:
            entries = response.json()["data"]
            ids = [entry["id"] for entry in entries]
        except (ValueError, KeyError, TypeError):
            return self._set_state(False, f"GET {self.url}/models did not answer an OpenAI model list; is "
                                          "KINDREPLY_BACKEND_URL the server's OpenAI-compatible base (…/v1)?")
        if not self._model:
            if not ids:
                return self._set_state(False, f"the inference backend at {self.url} lists no models: "
                                              "set KINDREPLY_BACKEND_MODEL")
            self._model = ids[0]
        elif ids and self._model not in ids:
            return self._set_state(False, f"the inference backend at {self.url} serves {', '.join(ids[:5])}, not "
                                          f"{self._model!r}: set KINDREPLY_BACKEND_MODEL to one of them")
        if not self._context_checked:
            self._context_checked = True
            self._read_context(next((e for e in entries if e.get("id") == self._model), {}))
        self._set_state(True)

    def _read_context(self, entry: dict) -> None:
        """The server's context size, where it says: vLLM's max_model_len, llama-server's /props."""
        size = entry.get("max_model_len") or entry.get("context_length")
        if not size:
            try:
                props = self._client.get(f"{self.root}/props", timeout=READY_TIMEOUT)
                if props.status_code == 200:
                    settings = props.json().get("default_generation_settings") or {}
                    size = settings.get("n_ctx") or props.json().get("n_ctx")
            except (httpx.HTTPError, ValueError, AttributeError):
                size = None
        if isinstance(size, int) and size > 0:
            self.context_tokens = size
            log.info("inference backend context: %d tokens", size)

    def _mark_down(self, reason: str) -> None:
        self._set_state(False, reason)

    # -- tokens ----------------------------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        if self._tokenizer != "" and time.monotonic() >= self._tokenizer_pause:
            for path in ([self._tokenizer] if self._tokenizer else ["/tokenize", "/extras/tokenize"]):
                body = {"content": text, "add_special": False} if path == "/tokenize" else {"input": text}
                if path == "/extras/tokenize" and self._model:
                    body["model"] = self._model
                try:
                    response = self._client.post(self.root + path, json=body, timeout=TOKENIZE_TIMEOUT)
                except httpx.HTTPError:
                    # busy (llama_cpp.server tokenizes only between generations) or down: estimate for a while
                    # rather than make every request wait for the timeout
                    self._tokenizer_pause = time.monotonic() + TOKENIZER_PAUSE
                    break
                if response.status_code in (404, 405):
                    continue
                try:
                    tokens = response.json()["tokens"]
                    count = len(tokens)
                except (ValueError, KeyError, TypeError):
                    continue
                self._tokenizer = path
                if count >= 8:
                    self._chars_per_token = len(text) / count
                return max(1, count)
            else:
                if self._tokenizer is None:
                    log.info("inference backend has no tokenizer endpoint: counting about %g characters a token",
                             self._chars_per_token)
                    self._tokenizer = ""
        return max(1, round(len(text) / self._chars_per_token))

    def _estimate_prompt(self, messages: list[dict[str, str]]) -> int:
        # the chat template adds a few tokens per turn
        return sum(round(len(m.get("content", "")) / self._chars_per_token) + 4 for m in messages)

    # -- generation ------------------------------------------------------------------------------

    def generate(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float,
                 deadline: float, stats: Generation, seed: int = 0) -> Iterator[str]:
        """Yield the answer's text as the server streams it. Safe to call from several threads at once."""
        stats.prompt_tokens = self._estimate_prompt(messages)  # replaced by the server's usage where it sends one
        room = self.context_tokens - stats.prompt_tokens
        payload = {"messages": messages, "max_tokens": max(16, min(max_tokens, room)), "temperature": temperature,
                   "top_p": 0.9, "seed": seed, "stream": True, "stream_options": {"include_usage": True}}
        if self._model:
            payload["model"] = self._model
        started = time.monotonic()
        response = self._send(payload, deadline)
        finish, done = None, False
        stats.finish_reason = "stop"
        try:
            if not response.headers.get("content-type", "").startswith("text/event-stream"):
                # a server that ignores "stream": the whole answer at once
                body = _json(response.read(), "chat completion")
                text = _message_text(body)
                _usage(body, stats)
                if text:
                    stats.generated_tokens = max(stats.generated_tokens, 1)
                    stats.first_token_ms = (time.monotonic() - stats.started) * 1000
                    yield text
                finish, done = _choice(body).get("finish_reason") or "stop", True
            else:
                for event in EventSource(response).iter_sse():
                    if event.data.strip() == "[DONE]":
                        done = True
                        break
                    chunk = _json(event.data, "stream chunk")
                    if not isinstance(chunk, dict):
                        raise BackendError(f"the inference backend sent a stream chunk that is not a JSON object "
                                           f"({_shape(chunk)}); is it an OpenAI-compatible server?")
                    if chunk.get("error"):
                        raise BackendError(f"the inference backend failed mid-answer: {_message_of(chunk['error'])}")
                    _usage(chunk, stats)
                    choices = chunk.get("choices")
                    if not isinstance(choices, list):
                        raise BackendError(f"the inference backend sent a stream chunk without choices "
                                           f"({_shape(chunk)}); is it an OpenAI-compatible server?")
                    if not choices:
                        continue  # the usage chunk
                    choice = choices[0]
                    delta = choice.get("delta") if isinstance(choice, dict) else None
                    if not isinstance(delta, dict):
                        raise BackendError(f"the inference backend sent a chunk without a delta ({_shape(choice)}); "
                                           "is KINDREPLY_BACKEND_URL a chat-completions server?")
                    text = delta.get("content") or ""
                    if text:
                        stats.count_token()
                        yield text
                    if choice.get("finish_reason"):
                        finish = choice["finish_reason"]
                    if time.monotonic() > deadline:
                        stats.finish_reason = "deadline"
                        return
        except GeneratorExit:
            stats.finish_reason = "cancelled"
            raise
        except httpx.TimeoutException:
            if stats.generated_tokens:
                stats.finish_reason = "deadline"
                return
            raise BackendTimeout(f"the inference backend at {self.url} sent nothing before the generation deadline; "
                                 "it may be overloaded (KINDREPLY_GENERATION_TIMEOUT sets the deadline)") from None
        except httpx.TransportError as error:
            reason = (f"the inference backend's answer was cut off after {stats.generated_tokens} tokens "
                      f"({_describe(error)})")
            self._mark_down(f"the inference backend at {self.url} went away mid-answer: {_describe(error)}")
            raise BackendUnavailable(reason, retry_after=RETRY_AFTER) from None
        finally:
            response.close()
            stats.generate_ms = (time.monotonic() - started) * 1000
        self._checked_at, self._ready = time.monotonic(), True  # it just answered: no need to ask again soon
        if finish is None:
            if done:
                raise BackendError("the inference backend ended the answer without saying why (no finish_reason); "
                                   "llama_cpp.server does this to a stream when another request arrives unless "
                                   "started with --interrupt_requests False")
            raise BackendUnavailable(f"the inference backend's answer was cut off after {stats.generated_tokens} "
                                     "tokens (the stream ended early)",
                                     retry_after=RETRY_AFTER)
        stats.finish_reason = "length" if finish == "length" else "stop"

    def choose(self, messages: list[dict[str, str]], options: list[str]) -> dict[str, float]:
        """The probability, normalised over ``options``, that the assistant's answer begins with each."""
        if not options:
            return {}
        deadline = time.monotonic() + self._request_timeout
        if self._logprobs:
            try:
                body = self._complete(messages, deadline, max_tokens=1, temperature=0, logprobs=True, top_logprobs=20)
                top = _top_logprobs(body)
                if top is None:
                    log.info("inference backend gives no logprobs: sentences are classified by a greedy answer")
                    self._logprobs = False
                elif chances := option_probabilities(top, options):
                    return chances
            except (BackendUnavailable, BackendTimeout):
                raise
            except BackendError as error:
                if 400 <= getattr(error, "upstream_status", 0) < 500:
                    log.info("inference backend refused logprobs (%s): sentences are classified by a greedy answer",
                             error)
                    self._logprobs = False
        longest = max(self.count_tokens(option) for option in options)
        body = self._complete(messages, deadline, max_tokens=min(16, longest + 1), temperature=0)
        return option_of_answer(_message_text(body), options)

    def _complete(self, messages: list[dict[str, str]], deadline: float, **options) -> dict:
        payload = {"messages": messages, **options}
        if self._model:
            payload["model"] = self._model
        response = self._send(payload, deadline)
        try:
            body = _json(response.read(), "chat completion")
        except httpx.TimeoutException:
            raise BackendTimeout(f"the inference backend at {self.url} sent no answer in time") from None
        except httpx.TransportError as error:
            self._mark_down(f"the inference backend at {self.url} went away mid-answer: {_describe(error)}")
            raise BackendUnavailable(f"the inference backend's answer was cut off ({_describe(error)})",
                                     retry_after=RETRY_AFTER) from None
        finally:
            response.close()
        if not isinstance(_choice(body).get("message"), dict):
            raise BackendError(f"the inference backend's answer is not a chat completion ({_shape(body)})")
        return body

    def _send(self, payload: dict, deadline: float) -> httpx.Response:
        """POST a chat completion; its response is open (streamed), with a status below 400.
        Connection errors are retried with backoff: the request never reached the server."""
        url = f"{self.url}/chat/completions"
        for attempt in range(1, CONNECT_ATTEMPTS + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BackendTimeout(f"the generation deadline passed before the inference backend at {self.url} "
                                     "could be reached")
            timeout = httpx.Timeout(remaining, connect=min(CONNECT_TIMEOUT, remaining))
            try:
                response = self._client.send(self._client.build_request("POST", url, json=payload, timeout=timeout),
                                             stream=True)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                pause = BACKOFF * 2 ** (attempt - 1)
                if attempt == CONNECT_ATTEMPTS or time.monotonic() + pause >= deadline:
                    reason = (f"the inference backend at {self.url} is unreachable ({_describe(error)}, "
                              f"{attempt} attempt{'s' if attempt > 1 else ''}); is the server up?")
                    self._mark_down(reason)
                    raise BackendUnavailable(reason, retry_after=RETRY_AFTER) from None
                time.sleep(pause)
                continue
            except httpx.TimeoutException:
                raise BackendTimeout(f"the inference backend at {self.url} did not start answering before the "
                                     "generation deadline; it may be overloaded") from None
            except httpx.TransportError as error:  # it may have received the request: not retried
                self._mark_down(f"the inference backend at {self.url} dropped the connection: {_describe(error)}")
                raise BackendUnavailable(f"the inference backend at {self.url} dropped the connection before "
                                         f"answering ({_describe(error)})", retry_after=RETRY_AFTER) from None
            if response.status_code < 400:
                return response
            try:
                response.read()
                detail = _error_detail(response)
            except httpx.HTTPError:
                detail = ""
            finally:
                response.close()
            raise _status_error(response, detail, f"POST {url}")
        raise AssertionError("unreachable")


# -- choosing an option ---------------------------------------------------------------------------


def option_probabilities(top: list[dict], options: list[str]) -> dict[str, float]:
    """Map the first token's top alternatives onto ``options``: each option's first token is the longest
    alternative (leading space ignored) that its text starts with; options sharing a token share its
    probability. Normalised over the options; {} when no alternative begins any option."""
    mass: dict[str, float] = {}
    for entry in top:
        token, logprob = entry.get("token"), entry.get("logprob")
        if isinstance(token, str) and token.strip() and isinstance(logprob, (int, float)):
            mass[token.lstrip()] = mass.get(token.lstrip(), 0.0) + math.exp(logprob)
    first = {}
    for option in options:
        starts = [token for token in mass if option.startswith(token)]
        if starts:
            first[option] = max(starts, key=len)
    sharing: dict[str, int] = {}
    for token in first.values():
        sharing[token] = sharing.get(token, 0) + 1
    chances = {option: (mass[first[option]] / sharing[first[option]] if option in first else 0.0) for option in options}
    total = sum(chances.values())
    return {option: value / total for option, value in chances.items()} if total > 0 else {}


def option_of_answer(answer: str, options: list[str]) -> dict[str, float]:
    """1.0 for the option a greedy answer begins with (the longest that fits; else the one sharing the
    longest beginning with it, ignoring case), 0.0 for the others; equal shares when none shares any."""
    text = answer.lstrip(" \t\n\"'`*")
    starting = [option for option in options if text.startswith(option)]
    if not starting:
        def shared(option: str) -> int:
            return next((i for i, (a, b) in enumerate(zip(text.lower(), option.lower())) if a != b),
                        min(len(text), len(option)))
        best = max(options, key=shared)
        starting = [best] if shared(best) > 0 else []
    if not starting:
        return {option: 1 / len(options) for option in options}
    chosen = max(starting, key=len)
    return {option: 1.0 if option == chosen else 0.0 for option in options}


# -- reading answers ------------------------------------------------------------------------------


def _json(raw: bytes | str, what: str):
    try:
        return json.loads(raw)
    except ValueError:
        raise BackendError(f"the inference backend sent a {what} that is not JSON; is KINDREPLY_BACKEND_URL an "
                           "OpenAI-compatible server?") from None


def _choice(body) -> dict:
    choices = body.get("choices") if isinstance(body, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise BackendError(f"the inference backend's answer has no choices ({_shape(body)}); is it an "
                           "OpenAI-compatible server?")
    return choices[0]


def _message_text(body) -> str:
    message = _choice(body).get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if content is not None and not isinstance(content, str):
        raise BackendError(f"the inference backend's message content is not text ({_shape(content)})")
    return content or ""


def _top_logprobs(body) -> list[dict] | None:
    logprobs = _choice(body).get("logprobs")
    try:
        top = logprobs["content"][0]["top_logprobs"]
    except (KeyError, IndexError, TypeError):
        return None
    return top if isinstance(top, list) and top else None


def _usage(chunk: dict, stats: Generation) -> None:
    usage = chunk.get("usage")
    if isinstance(usage, dict):
        if isinstance(usage.get("prompt_tokens"), int):
            stats.prompt_tokens = usage["prompt_tokens"]
        if isinstance(usage.get("completion_tokens"), int):
            stats.generated_tokens = max(stats.generated_tokens, usage["completion_tokens"])
        details = usage.get("prompt_tokens_details")
        if isinstance(details, dict) and isinstance(details.get("cached_tokens"), int):
            stats.cached_tokens = details["cached_tokens"]
    timings = chunk.get("timings")  # llama-server: cache_n prompt tokens were reused
    if isinstance(timings, dict) and isinstance(timings.get("cache_n"), int):
        stats.cached_tokens = timings["cache_n"]


def _shape(value) -> str:
    if isinstance(value, dict):
        return "an object with " + (", ".join(sorted(map(str, value))[:6]) or "no fields")
    return f"a {type(value).__name__}"


def _message_of(error) -> str:
    if isinstance(error, dict):
        error = error.get("message") or error.get("detail") or error.get("type") or ""
    if isinstance(error, list):  # FastAPI's validation errors: only their messages (their input is the draft)
        error = "; ".join(str(item.get("msg", "")) for item in error if isinstance(item, dict))
    return str(error)[:300] if isinstance(error, str) else ""


def _error_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] if "html" not in response.headers.get("content-type", "") else ""
    if isinstance(body, dict):
        return _message_of(body.get("error") or body.get("detail") or body.get("message") or "")
    return ""


def _status_message(status: int, detail: str, what: str) -> str:
    said = f": {detail}" if detail else ""
    if status in (401, 403):
        return f"the inference backend refused {what} (HTTP {status}{said}); check KINDREPLY_BACKEND_API_KEY"
    if status == 404:
        return (f"the inference backend answered HTTP 404 to {what}{said}; check KINDREPLY_BACKEND_URL (the "
                "OpenAI-compatible base, …/v1) and KINDREPLY_BACKEND_MODEL")
    if status in (408, 429, 502, 503, 504):
        return f"the inference backend is overloaded or down (HTTP {status} to {what}{said})"
    if status >= 500:
        return f"the inference backend failed (HTTP {status} to {what}{said})"
    return f"the inference backend refused the request (HTTP {status} to {what}{said})"


def _status_error(response: httpx.Response, detail: str, what: str) -> BackendError:
    status = response.status_code
    message = _status_message(status, detail, what)
    if status in (408, 429, 502, 503, 504):
        try:
            retry_after = max(1, int(response.headers.get("retry-after", RETRY_AFTER)))
        except ValueError:
            retry_after = RETRY_AFTER
        error: BackendError = BackendUnavailable(message, retry_after=retry_after)
    else:
        error = BackendError(message)
    error.upstream_status = status
    return error


def _describe(error: httpx.HTTPError) -> str:
    text = str(error) or type(error).__name__
    if isinstance(error, httpx.ConnectError) and "refused" in text.lower():
        return "connection refused"
    return text
