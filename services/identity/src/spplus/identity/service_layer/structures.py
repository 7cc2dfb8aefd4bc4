"""Use cases on the referential: every change is recorded in the outbox in the same transaction."""
from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from spplus.chassis import outbox

from ..adapters import structures_repository as repo
from ..adapters.orm import networks, structures, utcnow
from spplus.chassis.outbox import record_many
from ..domain.seed import NETWORKS, seed_structures
from ..domain.structures import InvalidStructure, Structure, clean, creates_cycle, search_text

PRODUCER = "identity"


@dataclasses.dataclass
class UpsertCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: "UpsertCounts") -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged


def ensure_networks(session: Session) -> None:
    """Create or rename the project's networks (idempotent)."""
    existing = repo.network_names(session)
    changed = False
    for position, network in enumerate(NETWORKS):
        if network.code not in existing:
            session.execute(insert(networks).values(code=network.code, name=network.name, position=position))
            changed = True
        elif existing[network.code] != network.name:
            session.execute(update(networks).where(networks.c.code == network.code).values(name=network.name))
            changed = True
    if changed:
        repo.referential_changed(session)


def event_data(structure: Structure, network_name: str, updated_at: dt.datetime) -> dict:
    return {"code": structure.code, "name": structure.name, "network_code": structure.network_code,
            "network_name": network_name, "parent_code": structure.parent_code,
            "postal_code": structure.postal_code, "city": structure.city, "active": structure.active,
            "updated_at": updated_at}


def upsert_many(session: Session, items: list[Structure], network_names: dict[str, str] | None = None) -> UpsertCounts:
    """Insert new structures, update changed ones, leave identical ones alone; one event per change."""
    network_names = network_names or repo.network_names(session)
    current = repo.by_codes(session, [item.code for item in items])
    now = utcnow()
    inserts, updates, events, counts = [], [], [], UpsertCounts()
    for item in items:
        before = current.get(item.code)
        if before is not None and before.same_as(item):
            counts.unchanged += 1
            continue
        row = {**item.fields(), "search_text": search_text(item), "updated_at": now}
        if before is None:
            inserts.append({**row, "created_at": now})
            counts.inserted += 1
        else:
            updates.append({**{f"new_{key}": value for key, value in row.items()}, "key": item.code})
            counts.updated += 1
        events.append(event_data(item, network_names[item.network_code], now))
    if inserts:
        session.execute(insert(structures), inserts)
    if updates:
        values = {column: bindparam(f"new_{column}") for column in
                  ("name", "network_code", "parent_code", "postal_code", "city", "active", "search_text",
                   "updated_at")}
        session.connection().execute(
            update(structures).where(structures.c.code == bindparam("key")).values(**values), updates)
    if inserts or updates:
        repo.referential_changed(session)
    record_many(session, "structure.upserted", events, producer=PRODUCER)
    return counts


def save_one(session: Session, raw: dict) -> tuple[Structure, bool]:
    """Create or update one structure from an admin's input; returns (structure, created)."""
    known = repo.parents(session)
    structure = clean(raw, set(repo.network_names(session)), set(known))
    if structure.parent_code and creates_cycle(structure.code, structure.parent_code, known):
        raise InvalidStructure({"parent_code": ["Ce rattachement créerait une boucle entre structures."]})
    counts = upsert_many(session, [structure])
    return structure, counts.inserted == 1


def retire(session: Session, code: str) -> bool:
    """Mark a structure inactive (kept for history); False when it was already retired."""
    structure = repo.by_codes(session, [code]).get(code)
    if structure is None:
        raise LookupError(code)
    if not structure.active:
        return False
    now = utcnow()
    repo.set_active(session, code, False, now)
    outbox.record(session, "structure.retired", {"code": code, "updated_at": now}, producer=PRODUCER)
    return True


def load_seed(session: Session) -> UpsertCounts:
    """The project's seed referential (idempotent: a second run changes nothing)."""
    ensure_networks(session)
    return upsert_many(session, seed_structures())


def known_codes(session: Session) -> set[str]:
    return set(session.execute(select(structures.c.code)).scalars())
