"""Dates and times as a French reader expects them, in Paris local time."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

PARIS = ZoneInfo("Europe/Paris")


def french_datetime(value: dt.datetime | str) -> str:
    """``2026-12-03T13:30:00Z`` → ``jeudi 3 décembre 2026 à 14 h 30`` (heure de Paris)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return format_datetime(value, "EEEE d MMMM y 'à' H 'h' mm", tzinfo=PARIS, locale="fr_FR")
