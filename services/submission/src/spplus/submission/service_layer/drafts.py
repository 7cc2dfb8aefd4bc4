"""The multi-step form's draft: kept server-side, so nothing typed is lost between steps."""
from __future__ import annotations

import datetime as dt
import uuid

from spplus.chassis.db import Database

from ..adapters import repository

EMPTY = {"title": "", "description": "", "feeling": None, "experienced_on": None, "path": [], "email": "",
         "postal_code": "", "city": "", "pseudonym": "", "accept_terms": False}


def new_id() -> str:
    return str(uuid.uuid4())


def load(database: Database, draft_id: str | None) -> tuple[dict, str | None]:
    """(data, experience id once sent); a fresh draft when the id is unknown or expired."""
    if draft_id:
        with database.unit_of_work() as session:
            row = repository.get_draft(session, draft_id)
        if row is not None:
            return {**EMPTY, **(row["data"] or {})}, row["experience_id"]
    return dict(EMPTY), None


def save(database: Database, draft_id: str, data: dict) -> None:
    with database.unit_of_work() as session:
        repository.save_draft(session, draft_id, data, dt.datetime.now(dt.timezone.utc))
