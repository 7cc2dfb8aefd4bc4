"""Dashboard figures, computed from plain rows (no I/O)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import statistics

from .model import is_overdue


@dataclasses.dataclass(frozen=True)
class ItemFacts:
    structure_code: str
    network_code: str
    state: str
    received_at: dt.datetime
    first_answered_at: dt.datetime | None
    actions_made: int


@dataclasses.dataclass(frozen=True)
class Figures:
    items: int
    answered: int
    response_rate: float | None  # answered / items, None when there is nothing to answer
    median_delay_days: float | None  # from reception to first answer
    overdue: int
    actions_made: int


def figures(facts: list[ItemFacts], now: dt.datetime, target_days: int) -> Figures:
    counted = [fact for fact in facts if fact.state not in ("reaffecte", "clos") or fact.first_answered_at]
    answered = [fact for fact in counted if fact.first_answered_at is not None]
    delays = [(fact.first_answered_at - fact.received_at).total_seconds() / 86400 for fact in answered]
    return Figures(
        items=len(counted),
        answered=len(answered),
        response_rate=round(len(answered) / len(counted), 4) if counted else None,
        median_delay_days=round(statistics.median(delays), 2) if delays else None,
        overdue=sum(is_overdue(fact.state, fact.received_at, now, target_days) for fact in counted),
        actions_made=sum(fact.actions_made for fact in counted),
    )


def grouped(facts: list[ItemFacts], key, now: dt.datetime, target_days: int) -> dict[str, Figures]:
    groups: dict[str, list[ItemFacts]] = {}
    for fact in facts:
        groups.setdefault(key(fact), []).append(fact)
    return {name: figures(rows, now, target_days) for name, rows in sorted(groups.items())}
