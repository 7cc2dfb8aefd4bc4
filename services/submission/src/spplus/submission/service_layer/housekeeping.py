"""Scheduled purge of personal data past its retention (hashed IPs, stale counters, drafts)."""
from __future__ import annotations

import datetime as dt
import logging

from spplus.chassis.db import Database
from spplus.chassis.settings import Settings

from ..adapters import repository
from ..config import DUPLICATE_WINDOW_HOURS, Config

log = logging.getLogger(__name__)


def purge(database: Database, config: Config, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or dt.datetime.now(dt.timezone.utc)
    current_window = int(now.timestamp()) // config.rate_window_seconds
    with database.unit_of_work() as session:
        counts = repository.purge(
            session,
            ips_before=now - dt.timedelta(days=config.ip_retention_days),
            windows_before=current_window,
            fingerprints_before=now - dt.timedelta(hours=DUPLICATE_WINDOW_HOURS),
            drafts_before=now - dt.timedelta(hours=config.draft_retention_hours),
        )
    log.info("purged personal data past retention", extra={"purged": counts})
    return counts


def purge_job(settings: Settings, database: Database) -> None:
    purge(database, Config.from_settings(settings))
