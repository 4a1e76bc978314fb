"""The Flask application factory: settings → styles → model → rewriter → blueprints."""

from __future__ import annotations

import logging

from flask import Flask

from . import api, ops
from .config import Settings
from .engine import AdmissionQueue, Engine, LlamaEngine
from .models import model_display_name, resolve_model
from .openapi import build_spec
from .problems import register_error_handlers
from .rewriter import Rewriter
from .styles import load_styles

log = logging.getLogger("kindreply")


def style_prefix(styles, settings: Settings) -> list[dict[str, str]] | None:
    """The default style's fixed chat turns (system text and examples), to evaluate once at start."""
    style = styles.get(settings.default_style)
    return style.messages("", "")[:-1] if style else None


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Flask:
    """Build the app. Without ``engine``, the configured GGUF model is loaded in the background;
    /readyz turns true when it is."""
    settings = settings or Settings.from_env()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    styles = load_styles(settings.prompts_dir or None)
    if engine is None:
        path = resolve_model(settings.model, settings.cache_dir)
        engine = LlamaEngine(path, threads=settings.threads, context_tokens=settings.context_tokens,
                             name=model_display_name(path), warm_up=style_prefix(styles, settings))
        engine.start_loading()

    app = Flask("kindreply")
    # a draft's characters are up to 4 bytes of UTF-8, plus the customer message and JSON around them
    app.config["MAX_CONTENT_LENGTH"] = settings.max_draft_chars * 4 * 2 + 64 * 1024
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["kindreply.settings"] = settings
    app.extensions["kindreply"] = Rewriter(
        engine, AdmissionQueue(settings.queue_size, settings.queue_timeout), styles,
        default_style=settings.default_style, max_draft_chars=settings.max_draft_chars,
        generation_timeout=settings.generation_timeout)
    app.register_blueprint(api.bp)
    app.register_blueprint(ops.bp)
    register_error_handlers(app)
    app.extensions["kindreply.openapi"] = build_spec(app)
    return app
