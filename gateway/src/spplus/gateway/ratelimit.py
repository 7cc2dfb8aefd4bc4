"""Rate limits per client IP and per route, counted with ``limits``: in memory per process by
default, shared in Redis when ``REDIS_URL`` is set so every gateway replica counts together.

One counter hit per forwarded request and nothing else: Flask-Limiter's per-request work
(resolving decorators, default limits, exemptions, headers) cost as much as the forwarding itself,
and the gateway only needs "this route, this client". While Redis is unreachable, requests are
counted in memory (the site stays up) and Redis is tried again a few seconds later.

``limits``' in-memory storage starts a new expiry thread for nearly every hit (a 10 ms timer,
restarted whenever it has ended). The storage below sweeps at most once a second instead; reads
still expire keys on their own, so counts are exact.
"""
from __future__ import annotations

import dataclasses
import functools
import logging
import math
import threading
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

log = logging.getLogger(__name__)

SWEEP_SECONDS = 1.0
REDIS_RETRY_SECONDS = 5.0


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


@dataclasses.dataclass(frozen=True)
class Refusal:
    retry_after: int    # seconds until the window that refused ends


@functools.lru_cache(maxsize=256)
def parse_limits(text: str) -> tuple[RateLimitItem, ...]:
    """``"10 per minute"`` or ``"10/minute; 100/hour"`` as limits items (raises ValueError)."""
    return tuple(parse_many(text))


class RouteLimiter:
    def __init__(self, prefix: str, enabled: bool = True, redis_url: str | None = None):
        self.prefix, self.enabled = prefix, enabled
        self.memory = FixedWindowRateLimiter(SweepingMemoryStorage())
        self.shared: FixedWindowRateLimiter | None = None
        if redis_url:
            storage: Storage = storage_from_string(redis_url)
            self.shared = FixedWindowRateLimiter(storage)
        self._shared_down_until = 0.0

    def _strategy(self) -> FixedWindowRateLimiter:
        if self.shared is not None and time.monotonic() >= self._shared_down_until:
            return self.shared
        return self.memory

    def hit(self, limits_text: str, scope: str, client: str) -> Refusal | None:
        """Count one request of ``client`` on ``scope``; a ``Refusal`` when a limit is exceeded."""
        if not self.enabled:
            return None
        for item in parse_limits(limits_text):
            strategy = self._strategy()
            try:
                allowed = strategy.hit(item, self.prefix, scope, client)
            except Exception as error:  # noqa: BLE001 - Redis down must not take the site down
                if strategy is self.memory:
                    raise
                log.warning("rate-limit storage unreachable, counting in memory meanwhile",
                            extra={"error": type(error).__name__})
                self._shared_down_until = time.monotonic() + REDIS_RETRY_SECONDS
                strategy = self.memory
                allowed = strategy.hit(item, self.prefix, scope, client)
            if not allowed:
                try:
                    reset_at = strategy.get_window_stats(item, self.prefix, scope, client).reset_time
                except Exception:  # noqa: BLE001
                    reset_at = time.time() + item.get_expiry()
                wait = min(max(1, math.ceil(reset_at - time.time())), item.get_expiry())
                return Refusal(wait)
        return None
