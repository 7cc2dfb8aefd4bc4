"""The structures replica (from identity's ``structure.*`` events) and its search."""
from __future__ import annotations

from spplus.chassis.db import Database
from spplus.chassis.referential import replica_handlers

from ..adapters import repository
from ..adapters.orm import structures


def handlers() -> dict:
    """The chassis replica handlers, each followed by a refresh of the structure's search text."""
    replica = replica_handlers(structures)

    def with_search(handler):
        def handle(session, event):
            handler(session, event)
            repository.refresh_search_text(session, event.data["code"])
        return handle

    return {event_type: with_search(handler) for event_type, handler in replica.items()}


def search(database: Database, query: str, limit: int = 10) -> list[dict]:
    with database.unit_of_work() as session:
        return repository.search_structures(session, query, limit)


def names(database: Database, codes: list[str]) -> dict[str, str]:
    with database.unit_of_work() as session:
        return {code: info.name for code, info in repository.load_structures(session, codes).items()}


def is_available(database: Database, code: str) -> bool:
    """True when the structure exists in the replica and is active."""
    with database.unit_of_work() as session:
        info = repository.load_structures(session, [code]).get(code)
    return info is not None and info.active
