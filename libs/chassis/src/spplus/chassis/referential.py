"""A service's own replica of identity's structures referential, kept from ``structure.*`` events.

Services never read identity's tables: each one that needs structures (submission,
responses, publication, documents…) keeps this replica in its own database:

    structures = structures_table(metadata)                  # in adapters/orm.py
    create_structures_table(op)                              # in its first Alembic revision
    handlers = {**replica_handlers(structures), ...}         # in bootstrap.py

Events may arrive twice or out of order: a row is only replaced by a newer ``updated_at``.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable

from sqlalchemy import Boolean, Column, DateTime, MetaData, String, Table, select
from sqlalchemy.orm import Session

from .events import Event


def structures_table(metadata: MetaData) -> Table:
    return Table(
        "structures", metadata,
        Column("code", String(50), primary_key=True),
        Column("name", String(300), nullable=False),
        Column("network_code", String(50), nullable=False, index=True),
        Column("network_name", String(200), nullable=False),
        Column("parent_code", String(50), index=True),
        Column("postal_code", String(10)),
        Column("city", String(200)),
        Column("active", Boolean, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )


def create_structures_table(op) -> None:
    """For a service's Alembic revision."""
    structures_table(MetaData()).create(op.get_bind())


def _parse(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def replica_handlers(table: Table) -> dict:
    """Handlers for ``structure.upserted`` and ``structure.retired`` on ``table``."""

    def upsert(session: Session, event: Event) -> None:
        data = event.data
        updated_at = _parse(data["updated_at"])
        row = {"code": data["code"], "name": data["name"], "network_code": data["network_code"],
               "network_name": data["network_name"], "parent_code": data.get("parent_code"),
               "postal_code": data.get("postal_code"), "city": data.get("city"),
               "active": data["active"], "updated_at": updated_at}
        current = session.execute(select(table.c.updated_at).where(table.c.code == data["code"])
                                  .with_for_update()).scalar()
        if current is None:
            session.execute(table.insert().values(**row))
        elif _aware(current) < updated_at:
            session.execute(table.update().where(table.c.code == data["code"]).values(**row))

    def retire(session: Session, event: Event) -> None:
        updated_at = _parse(event.data["updated_at"])
        current = session.execute(select(table.c.updated_at).where(table.c.code == event.data["code"])
                                  .with_for_update()).scalar()
        if current is not None and _aware(current) < updated_at:
            session.execute(table.update().where(table.c.code == event.data["code"])
                            .values(active=False, updated_at=updated_at))

    return {"structure.upserted": upsert, "structure.retired": retire}


def get(session: Session, table: Table, code: str):
    return session.execute(select(table).where(table.c.code == code)).mappings().first()


def ancestors(session: Session, table: Table, code: str, limit: int = 10) -> list[str]:
    """Codes of the parents of ``code``, nearest first (for scope checks: a scope covers children)."""
    chain: list[str] = []
    current = code
    for _ in range(limit):
        parent = session.execute(select(table.c.parent_code).where(table.c.code == current)).scalar()
        if not parent or parent in chain:
            break
        chain.append(parent)
        current = parent
    return chain


def descendants(session: Session, table: Table, codes: set[str], limit: int = 10) -> set[str]:
    """``codes`` and every structure below them."""
    return expand_down(codes, lambda parents: set(session.execute(
        select(table.c.code).where(table.c.parent_code.in_(parents))).scalars()), limit)


def expand_down(codes: set[str], children_of: Callable[[set[str]], set[str]], limit: int = 10) -> set[str]:
    """``codes`` and every structure below them, level by level (at most ``limit`` levels),
    ``children_of(parents)`` giving the codes directly below a set of structures."""
    found, frontier = set(codes), set(codes)
    for _ in range(limit):
        if not frontier:
            break
        children = children_of(frontier)
        frontier = children - found
        found |= children
    return found
