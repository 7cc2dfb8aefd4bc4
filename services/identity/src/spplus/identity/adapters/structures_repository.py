"""Queries on the referential tables (portable SQL: PostgreSQL and SQLite)."""
from __future__ import annotations

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.orm import Session

from ..domain.structures import Network, Structure
from .orm import aware, networks, structure_words, structures

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


def search(session: Session, words: list[str], network: str | None, postal_code: str | None,
           include_retired: bool, page: int, per_page: int) -> tuple[list, int]:
    """Active structures whose name, city or postal code has a word starting with each query word."""
    conditions = [structures.c.code.in_(select(structure_words.c.code).where(
        structure_words.c.word >= word, structure_words.c.word < word[:-1] + chr(ord(word[-1]) + 1)))
        for word in words]
    if not include_retired:
        conditions.append(structures.c.active.is_(True))
    if network:
        conditions.append(structures.c.network_code == network)
    if postal_code:
        conditions.append(structures.c.postal_code.like(f"{postal_code}%"))
    ranking = []
    if words:
        # Names that begin with the first word come first ("caf" → "CAF du Gard" before "Crous…").
        ranking += [case((structures.c.search_text.like(f" {words[0]}%"), 0), else_=1), func.length(structures.c.name)]
    # Two light queries (count, then one sorted page) rather than a window count, which would carry
    # every matching row through the sort.
    total = session.scalar(select(func.count()).select_from(structures).where(*conditions))
    if not total:
        return [], 0
    query = (select(*STRUCTURE_COLUMNS, networks.c.name.label("network_name"), structures.c.updated_at)
             .join(networks, networks.c.code == structures.c.network_code)
             .where(*conditions)
             .order_by(*ranking, structures.c.name, structures.c.code)
             .limit(per_page).offset((page - 1) * per_page))
    return session.execute(query).all(), total


def delete_words(session: Session, codes: list[str]) -> None:
    for start in range(0, len(codes), 900):
        session.execute(delete(structure_words).where(structure_words.c.code.in_(codes[start:start + 900])))


def set_active(session: Session, code: str, active: bool, now) -> None:
    session.execute(update(structures).where(structures.c.code == code).values(active=active, updated_at=now))


def updated_at(session: Session, code: str):
    return aware(session.scalar(select(structures.c.updated_at).where(structures.c.code == code)))
