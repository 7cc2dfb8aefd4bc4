"""Per-structure settings that admins manage: two-step validation and its validators."""
from __future__ import annotations

from spplus.chassis.auth import Principal
from spplus.chassis.db import Database
from sqlalchemy import delete, insert, select, update

from ..adapters import repository as repo
from ..adapters.tables import structure_settings, validators
from ..domain.model import ResponseError


def _known(session, code: str) -> None:
    if repo.structure(session, code) is None:
        raise ResponseError("Cette structure n'existe pas dans le référentiel.", 404)


def get_settings(database: Database, code: str) -> dict:
    with database.unit_of_work() as session:
        _known(session, code)
        own = session.execute(select(structure_settings.c.two_step_validation)
                              .where(structure_settings.c.structure_code == code)).scalar()
        return {"structure_code": code, "two_step_validation": repo.two_step_for(session, code),
                "inherited": own is None,
                "validators": [row.email for row in session.execute(
                    select(validators.c.email).where(validators.c.structure_code == code)
                    .order_by(validators.c.email))]}


def set_two_step(database: Database, actor: Principal, code: str, enabled: bool) -> dict:
    now = repo.utcnow()
    with database.unit_of_work() as session:
        _known(session, code)
        values = {"two_step_validation": enabled, "updated_at": now, "updated_by": actor.email}
        exists = session.execute(select(structure_settings.c.structure_code)
                                 .where(structure_settings.c.structure_code == code).with_for_update()).first()
        if exists:
            session.execute(update(structure_settings).where(structure_settings.c.structure_code == code)
                            .values(**values))
        else:
            session.execute(insert(structure_settings).values(structure_code=code, **values))
    return get_settings(database, code)


def add_validator(database: Database, actor: Principal, code: str, email: str) -> dict:
    with database.unit_of_work() as session:
        _known(session, code)
        email = email.strip().lower()
        exists = session.execute(select(validators.c.email).where(
            validators.c.structure_code == code, validators.c.email == email)).first()
        if not exists:
            session.execute(insert(validators).values(structure_code=code, email=email, added_at=repo.utcnow(),
                                                      added_by=actor.email))
    return get_settings(database, code)


def remove_validator(database: Database, code: str, email: str) -> dict:
    with database.unit_of_work() as session:
        _known(session, code)
        result = session.execute(delete(validators).where(validators.c.structure_code == code,
                                                          validators.c.email == email.strip().lower()))
        if result.rowcount == 0:
            raise ResponseError("Cet agent n'est pas valideur de cette structure.", 404)
    return get_settings(database, code)
