"""The public API, version 1: rewrite a draft (JSON or streamed), list styles."""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from typing import Iterator

from flask import Blueprint, Response, current_app, jsonify, request

from . import metrics
from .problems import stream_problem
from ..service import Plan, RewriteRequest, Service
from .schemas import (AnalyzeRequestSchema, AnalyzeResponseSchema, RewriteRequestSchema, RewriteResponseSchema,
                      StylesResponseSchema)

bp = Blueprint("api", __name__, url_prefix="/v1")
log = logging.getLogger(__name__)


def current_service() -> Service:
    return current_app.extensions["kindreply"]


def wants_event_stream() -> bool:
    return request.accept_mimetypes.best_match(["application/json", "text/event-stream"]) == "text/event-stream" \
        and request.accept_mimetypes["text/event-stream"] > request.accept_mimetypes["application/json"]


@bp.post("/rewrite")
def rewrite():
    """Rewrite a drafted reply into an empathetic, positive, respectful one that keeps every fact.
    ---
    post:
      summary: Rewrite a draft
      description: |
        Facts in the draft (order and ticket numbers, amounts, dates, times, names, emails, phone numbers,
        URLs, code, and helpdesk placeholders such as `{{ticket.requester.first_name}}`) are hidden from the
        model and restored afterwards; `warnings` names any that could not be kept.

        With `Accept: text/event-stream` or `"stream": true` the answer is a stream of Server-Sent Events:
        `delta` events (`{"text": …}`, a live preview to append), a `reset` event when a second attempt
        starts over (clear the preview), and one final `done` event carrying the same object as the JSON
        answer, whose `rewrite` is authoritative (for an HTML draft the deltas preview the words as Markdown; the
        `done` event carries the agent's document with the new words). An `error` event carries a problem object.
      requestBody:
        required: true
        content:
          application/json:
            schema: RewriteRequestSchema
      responses:
        200:
          description: The rewrite.
          content:
            application/json:
              schema: RewriteResponseSchema
            text/event-stream:
              schema:
                description: "One Server-Sent Event; the stream is delta*, (reset, delta*)?, then done or error."
                type: object
                required: [event, data]
                properties:
                  event: {type: string, enum: [delta, reset, done, error]}
                  data:
                    type: string
                    contentMediaType: application/json
                    description: 'JSON: {"text": ...} for delta, {} for reset, a RewriteResponse for done, a Problem for error.'
        400: {description: Malformed JSON., content: {application/problem+json: {schema: ProblemSchema}}}
        413: {description: Draft or body too long., content: {application/problem+json: {schema: ProblemSchema}}}
        415: {description: Body is not JSON., content: {application/problem+json: {schema: ProblemSchema}}}
        422: {description: "Invalid field: missing or empty text, unknown style or format, unknown field.", content: {application/problem+json: {schema: ProblemSchema}}}
        502: {description: "The inference backend (KINDREPLY_BACKEND=openai) gave an error or a malformed answer.", content: {application/problem+json: {schema: ProblemSchema}}}
        503: {description: "Model busy or still loading, or the inference backend unreachable; see Retry-After.", content: {application/problem+json: {schema: ProblemSchema}}}
        504: {description: "The inference backend sent nothing before the generation deadline.", content: {application/problem+json: {schema: ProblemSchema}}}
    """
    payload = RewriteRequestSchema().load(request.get_json())
    stream = payload.pop("stream") or wants_event_stream()
    rewriter = current_service()
    log_text = current_app.extensions["kindreply.settings"].log_text
    plan = rewriter.plan(RewriteRequest(**payload))
    queued_at = time.monotonic()
    rewriter.admit()
    metrics.QUEUE_DEPTH.inc()
    release = _Once(lambda: (rewriter.release(), metrics.QUEUE_DEPTH.dec()))
    if not stream:
        try:
            result = next(value for kind, value in rewriter.events(plan, queued_at) if kind == "done")
        finally:
            release()
        _finished(plan, result, log_text)
        return jsonify(RewriteResponseSchema().dump(dataclasses.asdict(result)))
    response = Response(_server_sent_events(rewriter, plan, queued_at, release, log_text), mimetype="text/event-stream",
                        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    # runs when the client has the whole stream or has gone away: the model is free at once either way
    response.call_on_close(release)
    return response


def _server_sent_events(rewriter: Service, plan: Plan, queued_at: float, release, log_text: bool) -> Iterator[str]:
    try:
        for kind, value in rewriter.events(plan, queued_at):
            if kind == "delta":
                yield _event("delta", {"text": value})
            elif kind == "reset":
                yield _event("reset", {})
            elif kind == "tick":
                # an SSE comment while the model works: clients ignore it, and writing it is how the server
                # learns at once that a client has gone, so the model is freed mid-generation
                yield ": working\n\n"
            else:
                release()
                _finished(plan, value, log_text)
                yield _event("done", RewriteResponseSchema().dump(dataclasses.asdict(value)))
    except Exception as error:  # headers are sent: the error has to travel as an event
        problem = stream_problem(error)
        if problem["status"] == 500:
            log.exception("rewrite failed while streaming")
        else:
            log.warning("rewrite stopped while streaming: %s", error)
        yield _event("error", problem)
    finally:
        release()


def _finished(plan: Plan, result, log_text: bool) -> None:
    metrics.record_rewrite(result.timings)
    if log_text:
        log.info("rewrite (KINDREPLY_LOG_TEXT is on) draft=%r customer_message=%r rewrite=%r warnings=%r",
                 plan.request.text, plan.request.customer_message, result.rewrite, result.warnings)


def _event(name: str, data: dict) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


class _Once:
    """Call a function at most once, from whichever thread gets there first."""

    def __init__(self, function):
        self._function = function
        self._lock = threading.Lock()
        self._done = False

    def __call__(self):
        with self._lock:
            if self._done:
                return
            self._done = True
        self._function()


@bp.post("/analyze")
def analyze():
    """Score a reply for the practices of good support writing and flag what hurts it.
    ---
    post:
      summary: Analyse the tone of a reply
      description: |
        Deterministic and fast (milliseconds, no model): suitable on every pause in typing. Finds
        acknowledgement, restatement, positive framing and respect; flags blame, dismissiveness, negative
        framing, sarcasm, pity, all caps and stacked apologies, each with its span and a suggestion.
      requestBody:
        required: true
        content:
          application/json:
            schema: AnalyzeRequestSchema
      responses:
        200:
          description: The analysis.
          content:
            application/json:
              schema: AnalyzeResponseSchema
        400: {description: Malformed JSON., content: {application/problem+json: {schema: ProblemSchema}}}
        413: {description: Body too large., content: {application/problem+json: {schema: ProblemSchema}}}
        415: {description: Body is not JSON., content: {application/problem+json: {schema: ProblemSchema}}}
        422: {description: "Invalid field.", content: {application/problem+json: {schema: ProblemSchema}}}
    """
    payload = AnalyzeRequestSchema().load(request.get_json())
    text, result = current_service().analyze(payload["text"], payload["format"])
    return jsonify(AnalyzeResponseSchema().dump({**dataclasses.asdict(result), "text": text}))


@bp.get("/styles")
def styles():
    """The rewrite styles this server offers.
    ---
    get:
      summary: List styles
      description: One entry per prompt file in the server's prompts folder; `default` marks the one used when a request names none.
      responses:
        200:
          description: The styles.
          content:
            application/json:
              schema: StylesResponseSchema
    """
    rewriter = current_service()
    entries = [{"name": s.name, "title": s.title, "description": s.description, "default": s.name == rewriter.default_style}
               for s in rewriter.styles.values()]
    return jsonify(StylesResponseSchema().dump({"styles": entries}))
