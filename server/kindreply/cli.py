"""The ``kindreply`` command: serve, rewrite, model path, styles."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys

from .config import ConfigError, Settings
from .models import ModelError, model_display_name, resolve_model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kindreply", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP service under gunicorn")
    serve.add_argument("--host", help="address to bind (default KINDREPLY_HOST, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to bind (default KINDREPLY_PORT, 8080)")
    serve.add_argument("--workers", type=int, help="worker processes, one model each (default KINDREPLY_WORKERS, 1)")

    rewrite = commands.add_parser("rewrite", help="rewrite one draft (argument or standard input) and print it")
    rewrite.add_argument("text", nargs="?", help="the draft; read from standard input when left out")
    rewrite.add_argument("--style")
    rewrite.add_argument("--format", choices=["text", "html"], default="text")
    rewrite.add_argument("--customer-message", default="")
    rewrite.add_argument("--language")
    rewrite.add_argument("--json", action="store_true", help="print the whole API answer as JSON")

    model = commands.add_parser("model", help="the model in use")
    model.add_argument("action", choices=["path"], help="path: print the GGUF file, assembling the default if needed")

    commands.add_parser("styles", help="list the styles in the prompts folder")

    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(**({"host": args.host, "port": args.port, "workers": args.workers}
                                        if args.command == "serve" else {}))
        return {"serve": _serve, "rewrite": _rewrite, "model": _model, "styles": _styles}[args.command](settings, args)
    except (ConfigError, ModelError) as error:
        print(f"kindreply: {error}", file=sys.stderr)
        return 2


def _model(settings: Settings, args) -> int:
    print(resolve_model(settings.model, settings.cache_dir))
    return 0


def _styles(settings: Settings, args) -> int:
    from .styles import load_styles

    for style in load_styles(settings.prompts_dir or None).values():
        marker = " (default)" if style.name == settings.default_style else ""
        print(f"{style.name}{marker}: {style.description}")
    return 0


def _rewrite(settings: Settings, args) -> int:
    from .engine import AdmissionQueue, LlamaEngine
    from .rewriter import RewriteError, RewriteRequest, Rewriter
    from .styles import load_styles

    text = args.text if args.text is not None else sys.stdin.read()
    if not text.strip():
        print("kindreply: the draft is empty: pass it as an argument or on standard input", file=sys.stderr)
        return 2
    path = resolve_model(settings.model, settings.cache_dir)
    engine = LlamaEngine(path, threads=settings.threads, context_tokens=settings.context_tokens,
                         name=model_display_name(path))
    engine.load()
    if not engine.ready:
        print(f"kindreply: could not load {path}: {engine.load_error}", file=sys.stderr)
        return 1
    rewriter = Rewriter(engine, AdmissionQueue(0, settings.queue_timeout), load_styles(settings.prompts_dir or None),
                        default_style=settings.default_style, max_draft_chars=settings.max_draft_chars,
                        generation_timeout=settings.generation_timeout)
    try:
        result = rewriter.rewrite(RewriteRequest(text=text, format=args.format, style=args.style,
                                                 customer_message=args.customer_message, language=args.language))
    except RewriteError as error:
        print(f"kindreply: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(dataclasses.asdict(result), ensure_ascii=False, indent=2))
    else:
        print(result.rewrite)
        for warning in result.warnings:
            print(f"warning: {warning.message}", file=sys.stderr)
    return 0


def _serve(settings: Settings, args) -> int:
    from gunicorn.app.base import BaseApplication

    # Assemble or download the model once, here, before any worker starts: a bad model stops the
    # service with one clear line instead of every worker failing on its own.
    path = resolve_model(settings.model, settings.cache_dir)
    os.environ["KINDREPLY_MODEL"] = str(path)
    if args.host:
        os.environ["KINDREPLY_HOST"] = args.host
    print(f"kindreply: model {path}", file=sys.stderr)

    options = {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        # threads let a worker answer /healthz and queue rewrites while its model is generating;
        # the admission queue, not gunicorn, decides who waits and who gets 503
        "worker_class": "gthread",
        "threads": settings.queue_size + 4,
        "timeout": int(settings.generation_timeout + settings.queue_timeout + 30),
        "graceful_timeout": int(settings.generation_timeout),
        "accesslog": "-",
        "loglevel": settings.log_level,
    }

    class Service(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from .app import create_app

            return create_app()

    Service().run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
