"""Login throttling per account and per address, stored in the database so that every API
process and replica counts the same failures. Keys are HMACs: no e-mail or IP stored in clear."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from ..adapters.orm import aware, login_failures, utcnow


def key(secret: str, kind: str, value: str) -> str:
    return f"{kind}:" + hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()[:40]


def wait_seconds(session: Session, limits: dict[str, int], window: dt.timedelta) -> int:
    """Seconds to wait before the next attempt (0: go ahead). ``limits``: key → allowed failures."""
    since = utcnow() - window
    longest = 0
    for throttle_key, limit in limits.items():
        count, oldest = session.execute(
            select(func.count(), func.min(login_failures.c.at))
            .where(login_failures.c.key == throttle_key, login_failures.c.at > since)).one()
        if count >= limit and oldest is not None:
            longest = max(longest, math.ceil((aware(oldest) + window - utcnow()).total_seconds()))
    return max(longest, 0)


def record_failure(session: Session, keys: list[str]) -> None:
    now = utcnow()
    session.execute(insert(login_failures), [{"key": throttle_key, "at": now} for throttle_key in keys])


def clear(session: Session, throttle_key: str) -> None:
    session.execute(delete(login_failures).where(login_failures.c.key == throttle_key))


def purge(session: Session, window: dt.timedelta) -> int:
    return session.execute(delete(login_failures).where(login_failures.c.at < utcnow() - window)).rowcount
