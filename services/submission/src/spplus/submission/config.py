"""The submission service's own settings (``SUBMISSION_*`` variables) on top of the chassis ones."""
from __future__ import annotations

import dataclasses

from spplus.chassis.settings import Settings

from .domain.keys import Keys

DEFAULTS = {
    "IP_RETENTION_DAYS": 365,      # hashed IPs are purged after this many days
    "RATE_LIMIT": 10,              # accepted submissions per IP and window (0: no limit)
    "RATE_WINDOW_SECONDS": 3600,
    "IP_HASH_KEY": "",             # HMAC key of IP hashes; derived from SPPLUS_SECRET_KEY when empty
    "PROXY_HOPS": 1,               # trusted proxies (the gateway) in front: X-Forwarded-For entries to trust
    "DRAFT_RETENTION_HOURS": 48,   # unfinished forms (they may hold an e-mail) are deleted after this
    "PURGE_EVERY_SECONDS": 3600,
    "MAX_BODY_BYTES": 32768,
}

DUPLICATE_WINDOW_HOURS = 24


@dataclasses.dataclass(frozen=True)
class Config:
    ip_retention_days: int
    rate_limit: int
    rate_window_seconds: int
    proxy_hops: int
    draft_retention_hours: int
    purge_every_seconds: int
    max_body_bytes: int
    keys: Keys

    @classmethod
    def from_settings(cls, settings: Settings) -> "Config":
        extra = {**DEFAULTS, **settings.extra}
        return cls(ip_retention_days=extra["IP_RETENTION_DAYS"], rate_limit=extra["RATE_LIMIT"],
                   rate_window_seconds=max(1, extra["RATE_WINDOW_SECONDS"]), proxy_hops=extra["PROXY_HOPS"],
                   draft_retention_hours=extra["DRAFT_RETENTION_HOURS"],
                   purge_every_seconds=extra["PURGE_EVERY_SECONDS"], max_body_bytes=extra["MAX_BODY_BYTES"],
                   keys=Keys(settings.secret_key, extra["IP_HASH_KEY"]))
