"""Who may call /v1/*: a valid ``Authorization: Bearer <key>`` when keys are configured."""

from __future__ import annotations

from flask import Flask, g, request

from ..keys import KeyStore
from .problems import problem


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_key(store: KeyStore):
    """The key record of this request, or None (no key, a wrong key, or no keys configured)."""
    token = bearer_token()
    return store.check(token) if token else None


def register_auth(app: Flask, store: KeyStore, blueprints: tuple[str, ...] = ("api",)) -> None:
    # A server started with keys keeps asking for one after the last is revoked: revoking every key
    # must lock everyone out, not open the door.
    started_with_keys = store.configured

    @app.before_request
    def _require_key():
        if request.blueprint not in blueprints or request.method == "OPTIONS":
            return None  # preflights carry no credentials
        if not (started_with_keys or store.configured):
            return None  # no keys at all: `kindreply serve` listens on loopback only
        token = bearer_token()
        record = current_key(store)
        if record is None:
            detail = ("This server needs an API key: send Authorization: Bearer <key> (an admin creates one "
                      "with `kindreply keys add`)." if token is None else
                      "The API key is not valid (mistyped, or revoked); ask an admin for a new one.")
            return problem(401, "Unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="kindreply"'})
        g.api_key = record
        return None
