"""Every error the API gives is ``application/problem+json`` (RFC 9457) that tells the caller what to fix."""

from __future__ import annotations

import json
import logging

from flask import Flask, Response
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException


from ..service import BackendError, BackendTimeout, BackendUnavailable, Busy, NotReady, RewriteError

log = logging.getLogger(__name__)

PROBLEM_TYPE = "about:blank"  # RFC 9457: no type beyond the status; title and detail say the rest

# What to tell the caller for errors Flask and werkzeug raise before our code runs.
_HTTP_DETAILS = {
    400: "The request body is not valid JSON: send a JSON object such as {\"text\": \"…\"}.",
    404: "There is no such endpoint; GET /openapi.json lists them.",
    405: "This endpoint does not take that method; GET /openapi.json lists what it takes.",
    413: "The request body is too large; send a shorter draft.",
    415: "Send the request body as JSON with the header Content-Type: application/json.",
}


def problem(status: int, title: str, detail: str, errors: dict | None = None,
            headers: dict | None = None) -> Response:
    body = {"type": PROBLEM_TYPE, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return Response(json.dumps(body, ensure_ascii=False), status=status, headers=headers,
                    mimetype="application/problem+json")


_BACKEND_TITLES = {502: "Backend error", 503: "Backend unavailable", 504: "Backend timeout"}


def backend_problem(error: BackendError) -> tuple[int, dict, dict]:
    """Status, problem object and headers for a fault of the inference backend: 503 with Retry-After when
    it is down or overloaded, 504 when it sent nothing before the deadline, 502 for a bad answer."""
    status = error.status
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after else {}
    retry = f" Try again in {error.retry_after} s." if error.retry_after else ""
    body = {"type": PROBLEM_TYPE, "title": _BACKEND_TITLES.get(status, "Backend error"), "status": status,
            "detail": f"{str(error)[:1].upper()}{str(error)[1:]}. The draft was not changed.{retry}"}
    return status, body, headers


def stream_problem(error: Exception) -> dict:
    """The problem object of an ``error`` event, for a failure after a stream's headers were sent."""
    if isinstance(error, BackendError):
        return backend_problem(error)[1]
    if isinstance(error, Busy):
        return {"type": PROBLEM_TYPE, "title": "Model busy", "status": 503,
                "detail": f"{error}; the draft was not changed. Try again in {error.retry_after} s."}
    return {"type": PROBLEM_TYPE, "title": "Internal error", "status": 500,
            "detail": "The rewrite failed; the draft was not changed."}


def validation_problem(error: ValidationError) -> Response:
    messages = error.messages if isinstance(error.messages, dict) else {"_body": error.messages}
    errors = {name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])] for name, msgs in messages.items()}
    detail = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items())
    return problem(422, "Invalid request", detail, errors=errors)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        status = error.code or 500
        # keep what the exception says in headers (Allow on 405), not its content type; 429 has its own
        # handler, with the rate limiter (http/__init__.py)
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        detail = _HTTP_DETAILS.get(status, error.description or error.name)
        return problem(status, error.name, detail, headers=headers)

    @app.errorhandler(ValidationError)
    def _validation(error: ValidationError):
        return validation_problem(error)

    @app.errorhandler(RewriteError)
    def _rewrite(error: RewriteError):
        errors = {error.field: [str(error)]} if error.field else None
        title = "Draft too long" if error.status == 413 else "Invalid request"
        return problem(error.status, title, str(error), errors=errors)

    @app.errorhandler(Busy)
    def _busy(error: Busy):
        return problem(503, "Model busy", f"{error}; try again in {error.retry_after} s.",
                       headers={"Retry-After": str(error.retry_after)})

    @app.errorhandler(BackendError)
    def _backend(error: BackendError):
        log.warning("inference backend: %s", error)  # the backend's own messages, never the draft
        status, body, headers = backend_problem(error)
        return problem(status, body["title"], body["detail"], headers=headers)

    @app.errorhandler(NotReady)
    def _not_ready(error: NotReady):
        return problem(503, "Model not ready", str(error), headers={"Retry-After": "5"})

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # the log gets the traceback, never the request body; the caller gets no internals
        log.exception("unexpected error")
        return problem(500, "Internal error", "The server failed on this request; the draft was not changed. "
                                              "The server log has the details.")
