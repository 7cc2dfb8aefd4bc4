"""Operators' view of the mails that did not go out: list them, send one again."""
from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..adapters.tables import mails
from ..domain.mails import Status, mask
from .mail_log import now


@dataclasses.dataclass(frozen=True)
class FailedMail:
    id: str
    status: str
    template: str
    event_type: str
    event_id: str
    experience_id: str | None
    recipient: str  # masked: j…@example.fr
    attempts: int
    last_error: str | None
    updated_at: dt.datetime

    def to_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["updated_at"] = self.updated_at.isoformat()
        return data


def list_failures(session: Session, include_retrying: bool = False, limit: int = 200) -> list[FailedMail]:
    """Mails refused for good; with ``include_retrying``, also those still being retried and
    those still waiting for their author's address (the submission event has not come)."""
    condition = mails.c.status == Status.FAILED
    if include_retrying:
        condition = or_(condition, (mails.c.status == Status.PENDING) & (mails.c.attempts > 0),
                        mails.c.status == Status.AWAITING_CONTACT)
    rows = session.execute(select(mails).where(condition).order_by(mails.c.updated_at.desc()).limit(limit)).all()
    return [FailedMail(id=row.id, status=row.status, template=row.template, event_type=row.event_type,
                       event_id=row.event_id, experience_id=row.experience_id, recipient=mask(row.recipient),
                       attempts=row.attempts, last_error=row.last_error, updated_at=row.updated_at)
            for row in rows]


class CannotResend(Exception):
    pass


def resend(session: Session, mail_id: str) -> None:
    """Put a failed mail (or one being retried) back at the head of the queue."""
    row = session.execute(select(mails.c.status, mails.c.recipient).where(mails.c.id == mail_id)).first()
    if row is None:
        raise CannotResend("Aucun courriel ne porte cet identifiant.")
    if row.status not in (Status.FAILED, Status.PENDING) or row.recipient is None:
        raise CannotResend(f"Ce courriel ne peut pas être renvoyé (état : {row.status}).")
    session.execute(update(mails).where(mails.c.id == mail_id).values(
        status=Status.PENDING, attempts=0, next_attempt_at=now(), updated_at=now()))
