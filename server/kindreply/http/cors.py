"""CORS: browsers may call the API only from the extensions and the origins the admin lists.

The allowed origins are the web origins of ``KINDREPLY_CORS_ORIGINS`` and, for each extension ID in
``KINDREPLY_EXTENSION_IDS``, ``chrome-extension://ID`` and ``moz-extension://ID``; by default, none. Any other
origin, another extension's included, gets no CORS headers at all, so its browser refuses to hand it the
answer. (The kindreply extension calls from its background script with a host permission for the server,
where browsers do not apply CORS; a browser that withholds that permission needs its ID listed.)
"""

from __future__ import annotations

from flask import Flask, Response, request

ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type, Accept"
EXPOSED_HEADERS = "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"


def parse_origins(setting: str) -> list[str]:
    return [origin.strip().rstrip("/") for origin in setting.split(",") if origin.strip()]


def origin_allowed(origin: str, allowed: list[str]) -> bool:
    for pattern in allowed:
        if pattern.endswith("://*"):
            if origin.startswith(pattern[:-1]) and len(origin) > len(pattern) - 1:
                return True
        elif origin == pattern:
            return True
    return False


def register_cors(app: Flask, setting: str, extension_origins: list[str] | None = None) -> None:
    """Answer CORS for the origins in ``setting`` and ``extension_origins`` (by default, those of the app's
    settings' ``KINDREPLY_EXTENSION_IDS``)."""
    if extension_origins is None:
        settings = app.extensions.get("kindreply.settings")
        extension_origins = settings.extension_origins if settings is not None else []
    allowed = parse_origins(setting) + list(extension_origins)

    @app.before_request
    def _preflight():
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return Response(status=204)  # headers, if the origin is allowed, are added below
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        origin = request.headers.get("Origin")
        response.vary.add("Origin")
        if origin and origin_allowed(origin, allowed):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
                response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
                response.headers["Access-Control-Max-Age"] = "600"
        return response
