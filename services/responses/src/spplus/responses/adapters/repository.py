"""Reads and writes of the responses tables that the use cases share."""
from __future__ import annotations

import datetime as dt
import uuid

from spplus.chassis import referential
from sqlalchemy import select
from sqlalchemy.orm import Session

from .tables import experiences, items, responses, structure_settings, structures, validators


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive datetimes back; everything here is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def parse_time(value: str) -> dt.datetime:
    return aware(dt.datetime.fromisoformat(value))


def new_id() -> str:
    return str(uuid.uuid4())


def get_item(session: Session, item_id: str, lock: bool = False):
    query = select(items).where(items.c.id == item_id)
    if lock:
        query = query.with_for_update()
    return session.execute(query).mappings().first()


def get_item_for(session: Session, experience_id: str, structure_code: str):
    return session.execute(select(items).where(items.c.experience_id == experience_id,
                                               items.c.structure_code == structure_code)).mappings().first()


def get_experience(session: Session, experience_id: str):
    return session.execute(select(experiences).where(experiences.c.id == experience_id)).mappings().first()


def get_response(session: Session, item_id: str, lock: bool = False):
    query = select(responses).where(responses.c.item_id == item_id)
    if lock:
        query = query.with_for_update()
    return session.execute(query).mappings().first()


def structure(session: Session, code: str):
    return referential.get(session, structures, code)


def structure_name(session: Session, code: str, fallback: str | None = None) -> str:
    row = structure(session, code)
    return row["name"] if row else (fallback or code)


def ancestors(session: Session, code: str) -> list[str]:
    return referential.ancestors(session, structures, code)


def descendants(session: Session, codes: set[str]) -> set[str]:
    return referential.descendants(session, structures, codes)


def two_step_for(session: Session, code: str) -> bool:
    """The nearest setting wins: the structure's own, else its parent's, and so on."""
    for candidate in [code, *ancestors(session, code)]:
        value = session.execute(select(structure_settings.c.two_step_validation)
                                .where(structure_settings.c.structure_code == candidate)).scalar()
        if value is not None:
            return bool(value)
    return False


def is_validator(session: Session, email: str, code: str) -> bool:
    """A validator of a structure validates for its children too."""
    chain = [code, *ancestors(session, code)]
    return session.execute(select(validators.c.email).where(
        validators.c.email == email.lower(), validators.c.structure_code.in_(chain))).first() is not None


def set_item_state(session: Session, item_id: str, state: str, **values) -> None:
    session.execute(items.update().where(items.c.id == item_id).values(state=state, updated_at=utcnow(), **values))
