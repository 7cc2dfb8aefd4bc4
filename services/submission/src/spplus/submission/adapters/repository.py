"""SQL of the submission service, portable between PostgreSQL and SQLite (with a PostgreSQL
shortcut on the hot path, see ``add_experience``)."""
from __future__ import annotations

import datetime as dt
import functools

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from spplus.chassis.messaging_tables import outbox

from ..domain.rules import StructureInfo
from ..domain.text import search_key
from .orm import author_contacts, author_ips, drafts, experiences, fingerprints, rate_windows, structure_search, structures


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive datetimes back; everything stored is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


# -- structures ------------------------------------------------------------------------------

# Statements of the submission hot path, built once: SQLAlchemy then skips construction and
# cache-key work per request (the benchmark's 200 requests per second are mostly this path).
_LOAD_STRUCTURES = (select(structures.c.code, structures.c.name, structures.c.active)
                    .where(structures.c.code.in_(bindparam("codes", expanding=True))))


@functools.cache
def _statements(dialect_name: str) -> dict:
    """INSERT … ON CONFLICT: PostgreSQL and SQLite both have it, each with its own construct."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return {
        "claim": (dialect.insert(fingerprints)
                  .values(fingerprint=bindparam("fingerprint"), experience_id=bindparam("experience_id"),
                          created_at=bindparam("created_at"))
                  .on_conflict_do_nothing(index_elements=[fingerprints.c.fingerprint])
                  .returning(fingerprints.c.experience_id)),
        "count": (dialect.insert(rate_windows)
                  .values(ip_hash=bindparam("ip_hash"), window_start=bindparam("window_start"), count=1)
                  .on_conflict_do_update(index_elements=[rate_windows.c.ip_hash, rate_windows.c.window_start],
                                         set_={"count": rate_windows.c.count + 1})
                  .returning(rate_windows.c.count)),
    }


def _statement(session: Session, name: str):
    return _statements(session.get_bind().dialect.name)[name]


def load_structures(session: Session, codes: list[str]) -> dict[str, StructureInfo]:
    codes = [code for code in codes if code and code.isprintable()][:20]
    if not codes:
        return {}
    rows = session.connection().execute(_LOAD_STRUCTURES, {"codes": codes})
    return {row.code: StructureInfo(row.code, row.name, bool(row.active)) for row in rows}


def refresh_search_text(session: Session, code: str) -> None:
    row = session.execute(select(structures).where(structures.c.code == code)).mappings().first()
    if row is None:
        return
    text = search_key(" ".join(filter(None, (row["name"], row["network_name"], row["network_code"], row["code"],
                                             row["postal_code"], row["city"]))))
    updated = session.execute(update(structure_search).where(structure_search.c.code == code)
                              .values(search_text=text))
    if updated.rowcount == 0:
        session.execute(insert(structure_search).values(code=code, search_text=text))


def search_structures(session: Session, query: str, limit: int = 10) -> list[dict]:
    terms = search_key(query).split()[:6]
    if not terms:
        return []
    statement = (select(structures.c.code, structures.c.name, structures.c.network_name, structures.c.postal_code,
                        structures.c.city)
                 .join(structure_search, structure_search.c.code == structures.c.code)
                 .where(structures.c.active.is_(True)))
    for term in terms:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(structure_search.c.search_text.like(f"%{escaped}%", escape="\\"))
    rows = session.execute(statement.order_by(structures.c.name, structures.c.code).limit(limit)).mappings()
    return [dict(row) for row in rows]


# -- submissions -----------------------------------------------------------------------------

def find_fingerprint(session: Session, fingerprint: str):
    return session.execute(select(fingerprints).where(fingerprints.c.fingerprint == fingerprint)).first()


def claim_fingerprint(session: Session, fingerprint: str, experience_id: str, now: dt.datetime,
                      fresh_after: dt.datetime) -> str | None:
    """Take the fingerprint for a new story; return the id of a fresh story holding it instead, if any.

    One statement in the usual case. A concurrent request with the same story makes ours wait on
    the unique key until it commits, then see its row."""
    claimed = session.connection().execute(_statement(session, "claim"), {
        "fingerprint": fingerprint, "experience_id": experience_id, "created_at": now}).first()
    if claimed is not None:
        return None
    return _claim_held_fingerprint(session, fingerprint, experience_id, now, fresh_after)


def _claim_held_fingerprint(session: Session, fingerprint: str, experience_id: str, now: dt.datetime,
                            fresh_after: dt.datetime) -> str | None:
    """The fingerprint is held: the fresh story holding it, or None once a stale one is taken over."""
    row = find_fingerprint(session, fingerprint)
    if aware(row.created_at) >= fresh_after:
        return row.experience_id
    taken = session.execute(update(fingerprints).where(fingerprints.c.fingerprint == fingerprint,
                                                       fingerprints.c.created_at < fresh_after)
                            .values(experience_id=experience_id, created_at=now))
    return None if taken.rowcount == 1 else find_fingerprint(session, fingerprint).experience_id


# PostgreSQL: take the fingerprint and, only when it was free, count one more submission for the
# IP's window, in one round trip (a CTE may use the rows another one inserted).
_CLAIM_AND_COUNT = text(f"""
WITH claim AS (
    INSERT INTO {fingerprints.name} (fingerprint, experience_id, created_at)
    VALUES (:fingerprint, :experience_id, :created_at)
    ON CONFLICT (fingerprint) DO NOTHING
    RETURNING experience_id
), counted AS (
    INSERT INTO {rate_windows.name} (ip_hash, window_start, count)
    SELECT :ip_hash, :window_start, 1 FROM claim
    ON CONFLICT (ip_hash, window_start) DO UPDATE SET count = {rate_windows.name}.count + 1
    RETURNING count
)
SELECT (SELECT count(*) FROM claim) AS claimed, (SELECT count FROM counted) AS submissions
""")


def claim_and_count(session: Session, fingerprint: str, experience_id: str, now: dt.datetime,
                    fresh_after: dt.datetime, ip_hash: str, window_start: int | None) -> tuple[str | None, int]:
    """``claim_fingerprint``, then (for a new story, when ``window_start`` is given) ``count_submission``:
    returns (id of the fresh story already holding the fingerprint or None, submissions counted)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql" and window_start is not None:
        row = connection.execute(_CLAIM_AND_COUNT, {
            "fingerprint": fingerprint, "experience_id": experience_id, "created_at": now,
            "ip_hash": ip_hash, "window_start": window_start}).one()
        if row.claimed:
            return None, row.submissions
        first = _claim_held_fingerprint(session, fingerprint, experience_id, now, fresh_after)
    else:
        first = claim_fingerprint(session, fingerprint, experience_id, now, fresh_after)
    if first is not None or window_start is None:
        return first, 0
    return None, count_submission(session, ip_hash, window_start)


def count_submission(session: Session, ip_hash: str, window_start: int) -> int:
    """Add one to this IP's counter for the window, atomically; return the new count."""
    return session.connection().execute(_statement(session, "count"),
                                        {"ip_hash": ip_hash, "window_start": window_start}).scalar_one()


_INSERT_EXPERIENCE, _INSERT_CONTACT, _INSERT_IP = insert(experiences), insert(author_contacts), insert(author_ips)
_INSERT_OUTBOX = insert(outbox)


def _prefixed_values(table, prefix: str, skip=()) -> dict:
    return {column.name: bindparam(f"{prefix}{column.name}", type_=column.type)
            for column in table.columns if column.name not in skip}


@functools.cache
def _store_in_one_statement():
    """PostgreSQL: the story, its author's contact, the IP hash and the outbox row in one INSERT
    (data-modifying CTEs; foreign keys are checked at the end of the statement): one round trip
    instead of four on the submission hot path."""
    contact = insert(author_contacts).values(
        experience_id=bindparam("e_id"), **_prefixed_values(author_contacts, "c_", skip=("experience_id", "erased_at")))
    ip = insert(author_ips).values(experience_id=bindparam("e_id"), **_prefixed_values(author_ips, "i_",
                                                                                      skip=("experience_id",)))
    story = insert(experiences).values(**_prefixed_values(experiences, "e_"))
    return (insert(outbox).values(**_prefixed_values(outbox, "o_", skip=("position", "sent_at")))
            .add_cte(story.cte("new_experience"), contact.cte("new_contact"), ip.cte("new_ip")))


def add_experience(session: Session, experience: dict, contact: dict, ip_hash: str, now: dt.datetime,
                   outbox_row: dict) -> None:
    """Store a new story, its author's contact data (kept apart), the IP hash and its event."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_store_in_one_statement(), {
            **{f"e_{key}": value for key, value in experience.items()},
            **{f"c_{key}": value for key, value in contact.items()},
            "i_ip_hash": ip_hash, "i_recorded_at": now,
            **{f"o_{key}": value for key, value in outbox_row.items()}})
        return
    connection.execute(_INSERT_EXPERIENCE, experience)
    connection.execute(_INSERT_CONTACT, {"experience_id": experience["id"], **contact})
    connection.execute(_INSERT_IP, {"experience_id": experience["id"], "ip_hash": ip_hash, "recorded_at": now})
    connection.execute(_INSERT_OUTBOX, outbox_row)


def get_experience(session: Session, experience_id: str, for_update: bool = False):
    statement = select(experiences).where(experiences.c.id == experience_id)
    if for_update:
        statement = statement.with_for_update()
    return session.execute(statement).mappings().first()


def find_by_tracking_digest(session: Session, tracking_digest: str):
    return session.execute(select(experiences).where(experiences.c.tracking_digest == tracking_digest)).mappings().first()


def save_status(session: Session, experience_id: str, status: str, status_at: dt.datetime, details: dict) -> None:
    session.execute(update(experiences).where(experiences.c.id == experience_id)
                    .values(status=status, status_at=status_at, status_details=details))


def get_contact(session: Session, experience_id: str):
    return session.execute(select(author_contacts).where(author_contacts.c.experience_id == experience_id)).first()


def erase_contacts(session: Session, email: str, now: dt.datetime) -> list[str]:
    """Erase the contact data of every story sent with this e-mail; return their ids."""
    # E-mail local parts are case-sensitive in theory, never in practice: erase every spelling.
    ids = list(session.execute(select(author_contacts.c.experience_id)
                               .where(func.lower(author_contacts.c.email) == email.lower())).scalars())
    if not ids:
        return []
    session.execute(update(author_contacts).where(author_contacts.c.experience_id.in_(ids))
                    .values(email=None, postal_code=None, city=None, erased_at=now))
    session.execute(delete(author_ips).where(author_ips.c.experience_id.in_(ids)))
    session.execute(delete(fingerprints).where(fingerprints.c.experience_id.in_(ids)))
    session.execute(delete(drafts).where(drafts.c.experience_id.in_(ids)))
    return ids


# -- drafts ----------------------------------------------------------------------------------

def get_draft(session: Session, draft_id: str):
    return session.execute(select(drafts).where(drafts.c.id == draft_id)).mappings().first()


def save_draft(session: Session, draft_id: str, data: dict, now: dt.datetime) -> None:
    updated = session.execute(update(drafts).where(drafts.c.id == draft_id, drafts.c.experience_id.is_(None))
                              .values(data=data, updated_at=now))
    if updated.rowcount == 0 and get_draft(session, draft_id) is None:
        session.execute(insert(drafts).values(id=draft_id, data=data, updated_at=now))


def mark_draft_sent(session: Session, draft_id: str, experience_id: str, now: dt.datetime) -> None:
    # The story now holds the data: keep only what the confirmation page needs.
    session.execute(update(drafts).where(drafts.c.id == draft_id)
                    .values(experience_id=experience_id, data={}, updated_at=now))


# -- retention -------------------------------------------------------------------------------

def purge(session: Session, ips_before: dt.datetime, windows_before: int, fingerprints_before: dt.datetime,
          drafts_before: dt.datetime) -> dict[str, int]:
    return {
        "ip_hashes": session.execute(delete(author_ips).where(author_ips.c.recorded_at < ips_before)).rowcount,
        "rate_windows": session.execute(delete(rate_windows)
                                        .where(rate_windows.c.window_start < windows_before)).rowcount,
        "fingerprints": session.execute(delete(fingerprints)
                                        .where(fingerprints.c.created_at < fingerprints_before)).rowcount,
        "drafts": session.execute(delete(drafts).where(drafts.c.updated_at < drafts_before)).rowcount,
    }
