"""Writing to the e-mail log, inside the transaction of the event that asks for a mail.

This is the idempotent half of "exactly once": a mail is a row keyed by (event id, template),
written in the same transaction as the consumer's inbox record; the sender delivers rows later.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import uuid

from spplus.chassis.events import Event
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..adapters import rendering
from ..adapters.tables import contacts, mails
from ..config import NotificationConfig
from ..domain.mails import Status

log = logging.getLogger(__name__)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _insert(session: Session):
    return (pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert)(mails)


def queue_mail(session: Session, config: NotificationConfig, event: Event, template: str, context: dict,
               recipient: str | None, experience_id: str | None = None, status: str = Status.PENDING) -> None:
    """Render the mail and store it; a second row for the same (event, template) is ignored."""
    context = {"public_base_url": config.public_base_url, **context}
    rendered = rendering.render(template, context)
    mail_id = str(uuid.uuid4())
    moment = now()
    statement = _insert(session).values(
        id=mail_id, event_id=event.id, event_type=event.type, template=template, experience_id=experience_id,
        recipient=recipient, subject=rendered.subject, text_body=rendered.text, html_body=rendered.html,
        context=json.dumps(context, ensure_ascii=False), message_id=f"<{mail_id}@{config.message_id_domain}>",
        status=status, attempts=0, next_attempt_at=moment, created_at=moment, updated_at=moment,
    ).on_conflict_do_nothing(index_elements=["event_id", "template"])
    session.execute(statement)
    log.info("mail queued", extra={"mail_id": mail_id, "template": template, "event_id": event.id, "status": status})


def queue_for_author(session: Session, config: NotificationConfig, event: Event, template: str,
                     context: dict) -> None:
    """A mail to the author of ``event.data["experience_id"]``, from the contact cache.

    Erased contact: nothing is written. Contact not known yet (this event overtook
    ``experience.submitted``): the mail waits for it.
    """
    experience_id = str(event.data["experience_id"])
    contact = session.execute(select(contacts.c.email, contacts.c.title, contacts.c.erased_at)
                              .where(contacts.c.experience_id == experience_id)).first()
    if contact is not None and contact.erased_at is not None:
        log.info("no mail: contact erased", extra={"template": template, "event_id": event.id})
        return
    context = {"title": contact.title if contact else None, **context}
    if contact is None:
        queue_mail(session, config, event, template, context, None, experience_id, Status.AWAITING_CONTACT)
    else:
        queue_mail(session, config, event, template, context, contact.email, experience_id)


def release_awaiting(session: Session, experience_id: str, email: str, title: str | None) -> None:
    """The contact has arrived: mails that waited for it are rendered again with the title, then sent."""
    waiting = session.execute(select(mails.c.id, mails.c.template, mails.c.context).where(
        mails.c.experience_id == experience_id, mails.c.status == Status.AWAITING_CONTACT)).all()
    for row in waiting:
        context = {**json.loads(row.context), "title": title}
        rendered = rendering.render(row.template, context)
        session.execute(update(mails).where(mails.c.id == row.id).values(
            recipient=email, subject=rendered.subject, text_body=rendered.text, html_body=rendered.html,
            context=json.dumps(context, ensure_ascii=False), status=Status.PENDING, next_attempt_at=now(),
            updated_at=now()))
