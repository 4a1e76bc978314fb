"""The HTTP floor: the Flask application factory. Settings → service → blueprints, keys, CORS, limits.

It knows the service object (``kindreply.service``) and nothing below it.

Rate-limit headers: every ``/v1/*`` response that was counted against a limit carries ``X-RateLimit-Limit``,
``X-RateLimit-Remaining`` and ``X-RateLimit-Reset`` (a Unix time), so a client can pace itself before it is
refused; responses that were not counted (``/healthz``, ``/metrics``, preflights, unknown paths) carry none.
``Retry-After`` is sent only where it means "try again later": on 429 (when this key's window resets) and
on 503 (the model busy or loading). Flask-Limiter's own headers are off: it put ``Retry-After`` on every
counted response, a 200 or a 415 included, and raised a 503's short ``Retry-After`` to the window's reset.
"""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, Response, request
from flask_limiter import Limiter, RateLimitExceeded

from . import api, ops
from .auth import current_key, register_auth
from ..config import ConfigError, Settings
from .cors import register_cors
from ..keys import KeyStore
from .metrics import register_metrics

from .openapi import build_spec
from .problems import problem, register_error_handlers
from ..service import Engine, Service

log = logging.getLogger("kindreply")


def _rate_limit_key(keys: KeyStore) -> str:
    """Each API key has its own budget; without a (valid) key, each client address has one."""
    record = current_key(keys)
    return f"key:{record.id}" if record else f"address:{request.remote_addr}"


def _seconds_until(moment: float) -> int:
    return max(1, math.ceil(moment - time.time()))


def register_rate_limit_headers(app: Flask, limiter: Limiter) -> None:
    """X-RateLimit-* on counted responses, Retry-After on 429 (see the module's docstring)."""

    @app.errorhandler(RateLimitExceeded)
    def _too_many(error: RateLimitExceeded):
        current = limiter.current_limit
        retry_after = _seconds_until(current.reset_at) if current else 60
        return problem(429, "Too Many Requests",
                       f"Too many requests: this API key (or address) may send {error.description}; "
                       f"try again in {retry_after} seconds.", headers={"Retry-After": str(retry_after)})

    @app.after_request
    def _rate_limit_headers(response: Response) -> Response:
        current = limiter.current_limit
        if current is not None:
            response.headers["X-RateLimit-Limit"] = str(current.limit.amount)
            response.headers["X-RateLimit-Remaining"] = str(current.remaining)
            response.headers["X-RateLimit-Reset"] = str(int(current.reset_at))
        if response.status_code not in (429, 503):
            response.headers.pop("Retry-After", None)
        return response

def rate_limiter(app: Flask, settings: Settings, keys: KeyStore) -> Limiter:
    """Flask-Limiter counting in ``KINDREPLY_RATE_LIMIT_STORAGE``: this process's memory, or a Redis that
    every worker and replica shares. If that Redis goes away, each process counts in memory until it is back
    (rate limits then hold per process, and requests are not refused for it)."""
    from limits.errors import ConfigurationError

    try:
        return Limiter(key_func=lambda: _rate_limit_key(keys), app=app, storage_uri=settings.rate_limit_storage,
                       key_prefix="kindreply", headers_enabled=False, default_limits=[],
                       in_memory_fallback_enabled=settings.rate_limit_storage != "memory://")
    except ConfigurationError as error:
        raise ConfigError(f"KINDREPLY_RATE_LIMIT_STORAGE={settings.rate_limit_storage!r} cannot be used: {error}"
                          + ("; install the redis client: pip install 'kindreply[redis]'"
                             if "redis" in settings.rate_limit_storage and "prerequisite" in str(error).lower() else "")
                          ) from None


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Flask:
    """Build the app. Without ``engine``, the configured GGUF model is loaded in the background;
    /readyz turns true when it is."""
    settings = settings or Settings.from_env()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per backend request is noise, not news
    service = Service.from_settings(settings, engine)

    app = Flask("kindreply")
    # a draft's characters are up to 4 bytes of UTF-8, plus the customer message and JSON around them
    app.config["MAX_CONTENT_LENGTH"] = settings.max_draft_chars * 4 * 2 + 64 * 1024
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["kindreply.settings"] = settings
    app.extensions["kindreply"] = service
    keys = KeyStore(settings.keys_file)
    app.extensions["kindreply.keys"] = keys
    register_metrics(app, settings.replica_name, service.backend)
    register_cors(app, settings.cors_origins)
    register_auth(app, keys)
    limiter = rate_limiter(app, settings, keys)
    limiter.limit(settings.rate_limit, exempt_when=lambda: request.method == "OPTIONS")(api.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(ops.bp)
    register_error_handlers(app)
    register_rate_limit_headers(app, limiter)
    if settings.log_text:
        log.warning("KINDREPLY_LOG_TEXT is on: drafts, customer messages and rewrites are written to this log")
    app.extensions["kindreply.openapi"] = build_spec(app, list(service.styles), settings.max_draft_chars)
    return app
