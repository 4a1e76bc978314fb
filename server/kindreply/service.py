"""The one object a request talks to: rewrite a draft, analyse a reply, list the styles.

It holds the pipeline (``rewrite/``), the engine (``model/``) and the settings. The HTTP layer, the CLI,
the tests and the benchmarks all build it with ``Service.from_settings`` and use nothing below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from . import tone
from .config import Settings
from .model import AdmissionQueue, BackendError, BackendTimeout, BackendUnavailable, Busy, Engine, NotReady
from .model.local import LlamaEngine
from .model.openai import OpenAIEngine
from .model.sources import model_display_name, resolve_model
from .rewrite import language as _language, markup
from .rewrite.classify import probe_prefixes
from .rewrite.pipeline import Plan, RewriteError, RewriteRequest, RewriteResult, Rewriter
from .rewrite.styles import Style, load_styles

__all__ = ["Service", "Busy", "Engine", "NotReady", "BackendError", "BackendTimeout", "BackendUnavailable",
           "RewriteError", "RewriteRequest", "RewriteResult", "Plan", "languages", "language_code"]


def languages() -> dict[str, str]:
    """The languages a request may name, code → English name (``es`` → ``Spanish``)."""
    return dict(_language.LANGUAGES)


def language_code(value: str) -> str | None:
    """The code of a language a request names ('es', 'es-MX', 'Spanish'), or None for one the service does
    not know."""
    return _language.code_of(value)


def style_prefixes(styles: dict[str, Style], settings: Settings) -> list[list[dict[str, str]]]:
    """The default style's fixed chat turns of each prompt kind (system text and examples), to evaluate
    once at start."""
    style = styles.get(settings.default_style)
    return style.prefixes() if style else []


def local_engine(settings: Settings, styles: dict[str, Style], *, warm_up: bool = True) -> LlamaEngine:
    """The configured GGUF model as an engine, not yet loaded (``load()`` or ``start_loading()``)."""
    path = resolve_model(settings.model, settings.cache_dir)
    return LlamaEngine(path, threads=settings.threads, context_tokens=settings.context_tokens,
                       name=model_display_name(path), warm_up=style_prefixes(styles, settings) if warm_up else None,
                       # the model's judgement starts every request that asks for it with the probe's prompt
                       warm_up_open=probe_prefixes() if warm_up and settings.rude_threshold else None)


def openai_engine(settings: Settings, styles: dict[str, Style] | None = None) -> OpenAIEngine:
    """The OpenAI-compatible server of ``KINDREPLY_BACKEND_URL`` as an engine (checked when first asked); with
    ``styles``, ``start_loading()`` sends it the default style's fixed prefixes once it answers."""
    return OpenAIEngine(settings.backend_url, model=settings.backend_model, api_key=settings.backend_api_key,
                        context_tokens=settings.context_tokens, concurrency=settings.backend_concurrency,
                        request_timeout=settings.generation_timeout,
                        warm_up=style_prefixes(styles, settings) if styles else None)


@dataclass
class Service:
    settings: Settings
    engine: Engine
    rewriter: Rewriter

    @classmethod
    def from_settings(cls, settings: Settings, engine: Engine | None = None, *, load: str = "background",
                      queue_size: int | None = None, queue_timeout: float | None = None) -> "Service":
        """Build the service. Without ``engine`` the configured model is loaded: ``load="background"``
        (a server: /readyz turns true when done), ``"now"`` (a one-off command), or ``"never"``."""
        styles = load_styles(settings.prompts_dir or None)
        if engine is None:
            if settings.backend == "openai":
                engine = openai_engine(settings, styles)
            else:
                engine = local_engine(settings, styles)
            if load == "background":
                engine.start_loading()
            elif load == "now":
                engine.load()
        # the local engine runs one generation at a time; a backend server batches several
        queue = AdmissionQueue(settings.queue_size if queue_size is None else queue_size,
                               settings.queue_timeout if queue_timeout is None else queue_timeout,
                               slots=getattr(engine, "concurrency", 1))
        rewriter = Rewriter(engine, queue, styles, default_style=settings.default_style,
                            max_draft_chars=settings.max_draft_chars, generation_timeout=settings.generation_timeout,
                            rude_threshold=settings.rude_threshold)
        return cls(settings, engine, rewriter)

    # -- rewriting: plan (no model), admit (a place in the queue), run (events), release ------------

    def plan(self, request: RewriteRequest) -> Plan:
        return self.rewriter.plan(request)

    def admit(self) -> None:
        check_ready = getattr(self.engine, "check_ready", None)
        if check_ready is not None:
            check_ready()  # a backend server that is down: 503 with why, before taking a place in the queue
        self.rewriter.admit()

    def release(self) -> None:
        self.rewriter.release()

    def events(self, plan: Plan, queued_at: float) -> Iterator[tuple[str, object]]:
        return self.rewriter.events(plan, queued_at)

    def rewrite(self, request: RewriteRequest) -> RewriteResult:
        return self.rewriter.rewrite(request)

    def readiness(self) -> tuple[bool, str | None]:
        """Whether rewrites can be served now, and why not (what /readyz says)."""
        if self.engine.ready:
            return True, None
        return False, getattr(self.engine, "load_error", None) or "the model is loading"

    @property
    def backend(self) -> str:
        return "openai" if isinstance(self.engine, OpenAIEngine) else "local"

    # -- the rest --------------------------------------------------------------------------------

    def analyze(self, text: str, format: str = "text") -> tuple[str, tone.Analysis]:
        """The tone analysis of a reply (plain text or HTML), with the text that was analysed."""
        plain = markup.html_text_content(text) if format == "html" else text
        return plain, tone.analyze(plain)

    @property
    def styles(self) -> dict[str, Style]:
        return self.rewriter.styles

    @property
    def languages(self) -> dict[str, str]:
        return languages()

    @property
    def queue(self) -> AdmissionQueue:
        return self.rewriter.queue

    @property
    def default_style(self) -> str:
        return self.rewriter.default_style
