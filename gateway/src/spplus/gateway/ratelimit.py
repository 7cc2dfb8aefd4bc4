"""Rate limits with Flask-Limiter: per client IP and per route, in memory or shared in Redis.

``limits``' in-memory storage starts a new expiry thread for nearly every hit (a 10 ms timer,
restarted whenever it has ended), which costs more than the rest of a forwarded request. The
storage below sweeps at most once a second instead; reads still expire keys on their own, so
counts are exact. Registered under the scheme ``spplus-memory://``.
"""
from __future__ import annotations

import os
import threading
import time

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage

SWEEP_SECONDS = 1.0


class SweepingMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["spplus-memory"]  # noqa: RUF012 - the limits registry expects a list

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        self._last_sweep = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the parent's private method
        now = time.monotonic()
        if now - self._last_sweep < SWEEP_SECONDS or self.timer.is_alive():
            return
        self._last_sweep = now
        self.timer = threading.Timer(0.01, self._MemoryStorage__expire_events)
        self.timer.daemon = True
        self.timer.start()


def create_limiter(app: Flask, prefix: str, enabled: bool) -> Limiter:
    """Counts per process by default; ``REDIS_URL`` makes every gateway replica count together."""
    return Limiter(
        key_func=get_remote_address, app=app, storage_uri=os.environ.get("REDIS_URL") or "spplus-memory://",
        key_prefix=prefix, headers_enabled=False, strategy="fixed-window", enabled=enabled,
        # Redis down must not take the site down: count in memory meanwhile.
        swallow_errors=True, in_memory_fallback_enabled=True,
    )
