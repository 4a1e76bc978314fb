"""The Flask application factory: settings → styles → model → rewriter → blueprints."""

from __future__ import annotations

import logging

from flask import Flask, request
from flask_limiter import Limiter

from . import api, ops
from .auth import current_key, register_auth
from .config import Settings
from .cors import register_cors
from .keys import KeyStore
from .metrics import register_metrics
from .engine import AdmissionQueue, Engine, LlamaEngine
from .models import model_display_name, resolve_model
from .openapi import build_spec
from .problems import register_error_handlers
from .rewriter import Rewriter
from .styles import load_styles

log = logging.getLogger("kindreply")


def _rate_limit_key(keys: KeyStore) -> str:
    """Each API key has its own budget; without a (valid) key, each client address has one."""
    record = current_key(keys)
    return f"key:{record.id}" if record else f"address:{request.remote_addr}"


def style_prefix(styles, settings: Settings) -> list[dict[str, str]] | None:
    """The default style's fixed chat turns (system text and examples), to evaluate once at start."""
    style = styles.get(settings.default_style)
    return style.messages("", "")[:-1] if style else None


def model_engine(settings: Settings, styles, *, warm_up: bool = True) -> LlamaEngine:
    """The configured GGUF model as an engine, not yet loaded (``load()`` or ``start_loading()``)."""
    path = resolve_model(settings.model, settings.cache_dir)
    return LlamaEngine(path, threads=settings.threads, context_tokens=settings.context_tokens,
                       name=model_display_name(path), warm_up=style_prefix(styles, settings) if warm_up else None)


def rewriter_for(settings: Settings, engine: Engine, styles, *, queue_size: int | None = None,
                 queue_timeout: float | None = None) -> Rewriter:
    """A rewriter over ``engine`` with the configured limits; callers without concurrency pass queue_size=0."""
    queue = AdmissionQueue(settings.queue_size if queue_size is None else queue_size,
                           settings.queue_timeout if queue_timeout is None else queue_timeout)
    return Rewriter(engine, queue, styles, default_style=settings.default_style,
                    max_draft_chars=settings.max_draft_chars, generation_timeout=settings.generation_timeout)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Flask:
    """Build the app. Without ``engine``, the configured GGUF model is loaded in the background;
    /readyz turns true when it is."""
    settings = settings or Settings.from_env()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    styles = load_styles(settings.prompts_dir or None)
    if engine is None:
        engine = model_engine(settings, styles)
        engine.start_loading()

    app = Flask("kindreply")
    # a draft's characters are up to 4 bytes of UTF-8, plus the customer message and JSON around them
    app.config["MAX_CONTENT_LENGTH"] = settings.max_draft_chars * 4 * 2 + 64 * 1024
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["kindreply.settings"] = settings
    app.extensions["kindreply"] = rewriter_for(settings, engine, styles)
    keys = KeyStore(settings.keys_file)
    app.extensions["kindreply.keys"] = keys
    register_metrics(app)
    register_cors(app, settings.cors_origins)
    register_auth(app, keys)
    limiter = Limiter(key_func=lambda: _rate_limit_key(keys), app=app, storage_uri="memory://",
                      headers_enabled=True, default_limits=[])
    limiter.limit(settings.rate_limit, exempt_when=lambda: request.method == "OPTIONS")(api.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(ops.bp)
    register_error_handlers(app)
    if settings.log_text:
        log.warning("KINDREPLY_LOG_TEXT is on: drafts, customer messages and rewrites are written to this log")
    app.extensions["kindreply.openapi"] = build_spec(app, list(styles), settings.max_draft_chars)
    return app
