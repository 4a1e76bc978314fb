"""Endpoints for operators and tools: liveness, readiness, the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from . import metrics
from .schemas import HealthSchema, ReadySchema

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers.
    ---
    get:
      summary: Liveness
      responses:
        200:
          description: The process is up.
          content: {application/json: {schema: HealthSchema}}
    """
    return jsonify(HealthSchema().dump({"status": "ok"}))


@bp.get("/readyz")
def readyz():
    """Readiness: the model is loaded (or the inference backend answers) and rewrites can be served.
    ---
    get:
      summary: Readiness
      responses:
        200:
          description: The model is loaded, or the backend server answers.
          content: {application/json: {schema: ReadySchema}}
        503:
          description: The model is loading or failed to load, or the backend server is unreachable (`detail` says why).
          content: {application/json: {schema: ReadySchema}}
    """
    service = current_app.extensions["kindreply"]
    ready, detail = service.readiness()
    body = {"ready": ready, "model": service.engine.name, "backend": service.backend,
            "replica": current_app.extensions["kindreply.settings"].replica_name}
    if ready:
        return jsonify(ReadySchema().dump(body))
    return jsonify(ReadySchema().dump({**body, "detail": detail})), 503


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 document of this API, generated from its marshmallow schemas.
    ---
    get:
      summary: OpenAPI document
      responses:
        200:
          description: OpenAPI 3.1 JSON.
    """
    return jsonify(current_app.extensions["kindreply.openapi"])


@bp.get("/metrics")
def prometheus_metrics():
    """Prometheus metrics: requests by status, latency histograms, queue depth, tokens. No text.
    ---
    get:
      summary: Prometheus metrics
      responses:
        200:
          description: Prometheus text exposition format.
          content: {text/plain: {schema: {type: string}}}
    """
    return metrics.exposition()
