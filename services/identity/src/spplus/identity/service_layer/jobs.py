"""The worker's scheduled jobs (safe on several replicas: imports are claimed with SKIP LOCKED)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete

from spplus.chassis.service import Job

from ..adapters.orm import password_resets, sessions, utcnow
from . import imports, throttle


def _run_imports(settings, database) -> None:
    while imports.process_pending(database):
        pass


def _purge(settings, database) -> None:
    window = dt.timedelta(seconds=settings.extra.get("LOGIN_WINDOW_SECONDS", 900))
    with database.unit_of_work() as session:
        throttle.purge(session, window)
        week_ago = utcnow() - dt.timedelta(days=7)
        session.execute(delete(sessions).where(sessions.c.expires_at < week_ago))
        session.execute(delete(password_resets).where(password_resets.c.expires_at < week_ago))


def jobs(settings, database) -> list[Job]:
    return [Job("structure-imports", 1.0, _run_imports), Job("identity-purge", 3600, _purge)]
