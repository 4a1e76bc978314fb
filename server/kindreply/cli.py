"""The ``kindreply`` command: serve, rewrite, model path, styles."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys

from .config import ConfigError, Settings
from .model.sources import ModelError, resolve_model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kindreply", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP service under gunicorn")
    serve.add_argument("--host", help="address to bind (default KINDREPLY_HOST, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to bind (default KINDREPLY_PORT, 8080)")
    serve.add_argument("--workers", type=int, help="worker processes, one model each (default KINDREPLY_WORKERS, 1)")
    serve.add_argument("--backend", choices=["local", "openai"],
                       help="local: the model in each worker; openai: an OpenAI-compatible server (default KINDREPLY_BACKEND)")
    serve.add_argument("--backend-url", help="the openai backend's base URL, e.g. http://127.0.0.1:8081/v1 "
                                             "(default KINDREPLY_BACKEND_URL)")
    serve.add_argument("--backend-model", help="the model name sent to the openai backend (default "
                                               "KINDREPLY_BACKEND_MODEL, else the first it lists)")

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

    keys = commands.add_parser("keys", help="API keys: add (prints the key once), list, revoke")
    key_actions = keys.add_subparsers(dest="action", required=True)
    key_add = key_actions.add_parser("add", help="create a key; it is printed once and only its hash is stored")
    key_add.add_argument("name", help="who or what uses the key, e.g. 'support-team' or 'crm-integration'")
    key_actions.add_parser("list", help="the keys (names, ids, dates; never the keys)")
    key_revoke = key_actions.add_parser("revoke", help="revoke a key by name or id, effective at once")
    key_revoke.add_argument("name_or_id")

    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(**({"host": args.host, "port": args.port, "workers": args.workers,
                                         "backend": args.backend, "backend_url": args.backend_url,
                                         "backend_model": args.backend_model}
                                        if args.command == "serve" else {}))
        return {"serve": _serve, "rewrite": _rewrite, "model": _model, "styles": _styles,
                "keys": _keys}[args.command](settings, args)
    except (ConfigError, ModelError, ValueError) as error:
        print(f"kindreply: {error}", file=sys.stderr)
        return 2


def _model(settings: Settings, args) -> int:
    print(resolve_model(settings.model, settings.cache_dir))
    return 0


def _styles(settings: Settings, args) -> int:
    from .rewrite.styles import load_styles

    for style in load_styles(settings.prompts_dir or None).values():
        marker = " (default)" if style.name == settings.default_style else ""
        print(f"{style.name}{marker}: {style.description}")
    return 0


def _keys(settings: Settings, args) -> int:
    from .keys import KeyStore

    store = KeyStore(settings.keys_file)
    if args.action == "add":
        key, record = store.add(args.name)
        print(key)
        print(f"kindreply: key {record.id} ({record.name}) added to {store.path}; this is the only time it is "
              "shown: give it to its user now", file=sys.stderr)
    elif args.action == "list":
        for record in store.records():
            print(f"{record.id}  {record.created}  {record.name}")
    else:
        record = store.revoke(args.name_or_id)
        if record is None:
            print(f"kindreply: no key named {args.name_or_id!r} in {store.path}", file=sys.stderr)
            return 1
        print(f"kindreply: key {record.id} ({record.name}) revoked", file=sys.stderr)
    return 0


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(settings: Settings) -> str:
    """Refuse to expose an unauthenticated service; returns the line to print at start."""
    from .keys import KeyStore

    keys = KeyStore(settings.keys_file).records()
    if keys:
        return f"kindreply: {len(keys)} API key(s) in {settings.keys_file}; /v1/* needs one"
    if not is_loopback(settings.host):
        if not settings.allow_no_keys:
            raise ConfigError(
                f"refusing to listen on {settings.host} without API keys: create one with `kindreply keys add NAME`, "
                "or set KINDREPLY_ALLOW_NO_KEYS=1 when a proxy in front authenticates")
        return f"kindreply: WARNING: no API keys, and listening on {settings.host} (KINDREPLY_ALLOW_NO_KEYS=1)"
    return (f"kindreply: no API keys configured, so listening on loopback ({settings.host}) only; "
            "`kindreply keys add NAME` creates one")


def _rewrite(settings: Settings, args) -> int:
    from .service import RewriteError, RewriteRequest, Service

    text = args.text if args.text is not None else sys.stdin.read()
    if not text.strip():
        print("kindreply: the draft is empty: pass it as an argument or on standard input", file=sys.stderr)
        return 2
    rewriter = Service.from_settings(settings, load="now", queue_size=0)
    if not rewriter.engine.ready:
        print(f"kindreply: could not load the model: {rewriter.engine.load_error}", file=sys.stderr)
        return 1
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


def _without_password(url: str) -> str:
    """A storage URL fit for a log line: redis://:secret@host/0 is shown as redis://:***@host/0."""
    import re

    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _serve(settings: Settings, args) -> int:
    from gunicorn.app.base import BaseApplication

    exposure = check_exposure(settings)
    # the workers read their settings from the environment: flags travel there
    for variable, flag in [("KINDREPLY_HOST", args.host), ("KINDREPLY_BACKEND", args.backend),
                           ("KINDREPLY_BACKEND_URL", args.backend_url), ("KINDREPLY_BACKEND_MODEL", args.backend_model)]:
        if flag:
            os.environ[variable] = flag
    if settings.backend == "openai":
        print(f"kindreply: inference backend {settings.backend_url} (OpenAI-compatible), model "
              f"{settings.backend_model or '(the first it lists)'}", file=sys.stderr)
    else:
        # Assemble or download the model once, here, before any worker starts: a bad model stops the
        # service with one clear line instead of every worker failing on its own.
        path = resolve_model(settings.model, settings.cache_dir)
        os.environ["KINDREPLY_MODEL"] = str(path)
        print(f"kindreply: model {path}", file=sys.stderr)
    print(f"kindreply: replica {settings.replica_name}; rate limits counted in "
          f"{_without_password(settings.rate_limit_storage)}", file=sys.stderr)
    print(exposure, file=sys.stderr)
    if settings.log_text:
        print("kindreply: KINDREPLY_LOG_TEXT is on: drafts, customer messages and rewrites go to the log",
              file=sys.stderr)
    if settings.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # one /metrics scrape must add up every worker's counters
        import tempfile

        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kindreply-metrics-")

    options = {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        # threads let a worker answer /healthz and queue rewrites while its model is generating;
        # the admission queue, not gunicorn, decides who waits and who gets 503
        "worker_class": "gthread",
        "threads": settings.queue_size + (settings.backend_concurrency if settings.backend == "openai" else 1) + 3,
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
            from .http import create_app

            return create_app()

    Service().run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
