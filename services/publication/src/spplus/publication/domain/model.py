"""Rules of the public read model: plain functions, no I/O.

Events can come twice or in any order; these rules make the outcome depend only on the set
of events received, never on their order.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from typing import Iterable

PUBLISHED = "published"
WITHDRAWN = "withdrawn"

FEELING_LABELS = {"positive": "Positif", "neutral": "Neutre", "negative": "Négatif"}
ACTION_LABELS = {"considered": "Action envisagée", "made": "Action réalisée"}
CHANNEL_LABELS = {
    "counter": "Guichet", "guichet": "Guichet", "phone": "Téléphone", "telephone": "Téléphone",
    "letter": "Courrier", "courrier": "Courrier", "email": "Courriel", "website": "Site internet ou espace en ligne",
    "online_account": "Espace en ligne", "mobile_app": "Application mobile", "chat": "Messagerie instantanée",
    "video": "Visioconférence", "video_call": "Visioconférence", "social_networks": "Réseaux sociaux",
}


@dataclasses.dataclass(frozen=True)
class Reassignment:
    from_code: str
    to_code: str
    to_name: str | None
    at: dt.datetime


def effective_path(original_path: list[dict], moves: Iterable[Reassignment]) -> list[dict]:
    """The path after every reassignment, applied oldest first whatever order they arrived in.
    A structure reassigned to one already in the path is merged into it (channels kept)."""
    path = copy.deepcopy(original_path or [])
    for move in sorted(moves, key=lambda move: move.at):
        for step in path:
            if step.get("structure_code") == move.from_code:
                step["structure_code"] = move.to_code
                step["structure_name"] = move.to_name or step.get("structure_name")
    merged: dict[str, dict] = {}
    for step in path:
        code = step.get("structure_code")
        if code in merged:
            merged[code]["channels"] = merged[code].get("channels", []) + step.get("channels", [])
        else:
            merged[code] = step
    return list(merged.values())


def structure_codes(path: list[dict]) -> list[str]:
    return [step["structure_code"] for step in path if step.get("structure_code")]


def should_replace_response(current_version: int | None, new_version: int) -> bool:
    """An older or equal version never overwrites what we have."""
    return current_version is None or new_version > current_version


def should_replace_publication(current_published_at: dt.datetime | None, new_published_at: dt.datetime) -> bool:
    return current_published_at is None or aware(new_published_at) > aware(current_published_at)


def first_response(published_at: dt.datetime | None, response_dates: Iterable[dt.datetime]
                   ) -> tuple[dt.datetime | None, int | None]:
    """Date of the first answer and its delay in seconds after publication (never negative)."""
    dates = [aware(date) for date in response_dates]
    if not dates:
        return None, None
    first = min(dates)
    if published_at is None:
        return first, None
    return first, max(0, int((first - aware(published_at)).total_seconds()))


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back; everything we store is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def parse_datetime(value: str | dt.datetime) -> dt.datetime:
    return aware(value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value))


def median(sorted_values: list[float]) -> float | None:
    if not sorted_values:
        return None
    middle = len(sorted_values) // 2
    if len(sorted_values) % 2:
        return float(sorted_values[middle])
    return (sorted_values[middle - 1] + sorted_values[middle]) / 2


def format_delay(seconds: float | None) -> str:
    """A delay as a French reader expects it: « 3 jours », « 5 heures », « moins d'une heure »."""
    if seconds is None:
        return "—"
    hours = seconds / 3600
    if hours < 1:
        return "moins d'une heure"
    if hours < 48:
        count = round(hours)
        return f"{count} heure{'s' if count > 1 else ''}"
    days = round(hours / 24)
    return f"{days} jours"
