"""Queries on the referential tables (portable SQL: PostgreSQL and SQLite)."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..domain.structures import Network, Structure
from .orm import aware, networks, referential_state, structures

STRUCTURE_COLUMNS = (structures.c.code, structures.c.name, structures.c.network_code, structures.c.parent_code,
                     structures.c.postal_code, structures.c.city, structures.c.active)


def to_structure(row) -> Structure:
    return Structure(code=row.code, name=row.name, network_code=row.network_code, parent_code=row.parent_code,
                     postal_code=row.postal_code, city=row.city, active=row.active)


def all_networks(session: Session) -> list[Network]:
    rows = session.execute(select(networks.c.code, networks.c.name).order_by(networks.c.position, networks.c.code))
    return [Network(row.code, row.name) for row in rows]


def network_names(session: Session) -> dict[str, str]:
    return {network.code: network.name for network in all_networks(session)}


def by_codes(session: Session, codes: list[str]) -> dict[str, Structure]:
    found: dict[str, Structure] = {}
    for start in range(0, len(codes), 900):  # under SQLite's bound-parameter limit
        chunk = codes[start:start + 900]
        for row in session.execute(select(*STRUCTURE_COLUMNS).where(structures.c.code.in_(chunk))):
            found[row.code] = to_structure(row)
    return found


def parents(session: Session) -> dict[str, str | None]:
    """code → parent code, for the whole referential (a few tens of thousands of short rows at most)."""
    return {code: parent for code, parent in session.execute(select(structures.c.code, structures.c.parent_code))}


def detail(session: Session, code: str):
    return session.execute(
        select(*STRUCTURE_COLUMNS, networks.c.name.label("network_name"), structures.c.updated_at)
        .join(networks, networks.c.code == structures.c.network_code)
        .where(structures.c.code == code)
    ).first()


def children(session: Session, code: str) -> list:
    return session.execute(select(structures.c.code, structures.c.name, structures.c.active)
                           .where(structures.c.parent_code == code).order_by(structures.c.name)).all()


def set_active(session: Session, code: str, active: bool, now) -> None:
    session.execute(update(structures).where(structures.c.code == code).values(active=active, updated_at=now))
    referential_changed(session)


def referential_changed(session: Session) -> None:
    """To call in the transaction of every change of structures or networks (see structure_index)."""
    session.execute(update(referential_state).where(referential_state.c.id == 1)
                    .values(version=referential_state.c.version + 1))


def updated_at(session: Session, code: str):
    return aware(session.scalar(select(structures.c.updated_at).where(structures.c.code == code)))
