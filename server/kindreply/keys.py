"""API keys: created once, stored only as hashes, checked in constant time, revocable without a restart.

A key is 256 random bits, so a plain SHA-256 of it is as strong as the key itself; a slow password hash
would add nothing but latency to every request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

KEY_PREFIX = "kr_"


@dataclass(frozen=True)
class KeyRecord:
    id: str  # the first hex digits of the hash: names a key in logs and rate limits without revealing it
    name: str
    sha256: str
    created: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyStore:
    """The keys file, re-read when it changes, so `kindreply keys revoke` takes effect at once."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._records: list[KeyRecord] = []
        self._seen: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def records(self) -> list[KeyRecord]:
        with self._lock:
            try:
                info = self.path.stat()
                seen = (info.st_mtime_ns, info.st_size)
            except FileNotFoundError:
                self._records, self._seen = [], None
                return []
            if seen != self._seen:
                data = json.loads(self.path.read_text(encoding="utf-8") or "[]")
                self._records = [KeyRecord(**item) for item in data]
                self._seen = seen
            return list(self._records)

    @property
    def configured(self) -> bool:
        return bool(self.records())

    def check(self, key: str) -> KeyRecord | None:
        """The record of ``key``, or None. Every stored hash is compared, in constant time."""
        digest = hash_key(key)
        found = None
        for record in self.records():
            if hmac.compare_digest(record.sha256, digest):
                found = record
        return found

    def add(self, name: str) -> tuple[str, KeyRecord]:
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        digest = hash_key(key)
        record = KeyRecord(id=digest[:12], name=name, sha256=digest,
                           created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        if any(r.name == name for r in self.records()):
            raise ValueError(f"a key named {name!r} exists already; revoke it first or choose another name")
        self._write(self.records() + [record])
        return key, record

    def revoke(self, name_or_id: str) -> KeyRecord | None:
        records = self.records()
        match = next((r for r in records if name_or_id in (r.name, r.id)), None)
        if match:
            self._write([r for r in records if r is not match])
        return match

    def _write(self, records: list[KeyRecord]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        # only hashes are stored, but the file still says which keys exist: owner-only
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump([asdict(r) for r in records], handle, indent=2)
        os.replace(partial, self.path)
