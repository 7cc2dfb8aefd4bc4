"""One use case per event: keep the contact cache, and write the mail the event calls for.

Each runs inside the consumer's transaction (with the inbox record), so a redelivered event
does nothing, and never touches the network: the sender job delivers the mails.
"""
from __future__ import annotations

import logging

from spplus.chassis.events import Event
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..adapters.rendering import segments_for_template
from ..adapters.tables import contacts, mails
from ..config import NotificationConfig
from ..domain import mails as kinds
from ..domain.diff import word_diff
from ..domain.french import french_datetime
from ..domain.links import absolute_url
from ..domain.mails import Status
from .mail_log import now, queue_for_author, queue_mail, release_awaiting

log = logging.getLogger(__name__)


def _links(config: NotificationConfig, experience_id: str) -> dict:
    return {
        "public_url": absolute_url(config.public_base_url, f"/experiences/{experience_id}"),
        "new_url": absolute_url(config.public_base_url, "/experiences/nouvelle"),
        "charter_url": absolute_url(config.public_base_url, "/programme"),
    }


def experience_submitted(session: Session, event: Event, config: NotificationConfig) -> None:
    data = event.data
    experience_id = str(data["experience_id"])
    title = data["title"]
    insert = (pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert)(contacts)
    created = session.execute(insert.values(experience_id=experience_id, email=data["email"], title=title,
                                            created_at=now())
                              .on_conflict_do_nothing(index_elements=["experience_id"])
                              .returning(contacts.c.experience_id)).first()
    if created is None:
        erased = session.scalar(select(contacts.c.erased_at).where(contacts.c.experience_id == experience_id))
        if erased is not None:
            return  # erased before we even heard of it: keep nothing, send nothing
    queue_mail(session, config, event, kinds.RECEIVED, {
        "title": title,
        "tracking_url": absolute_url(config.public_base_url, data["tracking_path"]),
    }, data["email"], experience_id)
    release_awaiting(session, experience_id, data["email"], title)


def experience_published(session: Session, event: Event, config: NotificationConfig) -> None:
    experience_id = str(event.data["experience_id"])
    _remember_title(session, experience_id, event.data["title"])
    told = session.execute(select(mails.c.id).where(
        mails.c.experience_id == experience_id, mails.c.template.in_(kinds.PUBLICATION_OUTCOMES))).first()
    if told:
        return  # the outcome of the proposal already told the author it is online, with the link
    queue_for_author(session, config, event, kinds.PUBLISHED,
                     {"edited": event.data["edited"], **_links(config, experience_id)})


def experience_rejected(session: Session, event: Event, config: NotificationConfig) -> None:
    queue_for_author(session, config, event, kinds.REJECTED, {
        "reason_label": event.data["reason_label"], "message": event.data.get("message"),
        **_links(config, str(event.data["experience_id"]))})


def experience_edit_proposed(session: Session, event: Event, config: NotificationConfig) -> None:
    data = event.data
    queue_for_author(session, config, event, kinds.EDIT_PROPOSED, {
        "message": data.get("message"),
        "edited_title": data["edited_title"],
        "edited_description": data["edited_description"],
        "title_diff": segments_for_template(word_diff(data["original_title"], data["edited_title"])),
        "description_diff": segments_for_template(word_diff(data["original_description"],
                                                            data["edited_description"])),
        "deadline_text": french_datetime(data["deadline"]),
        "approval_url": absolute_url(config.public_base_url, data["approval_path"]),
    })


def experience_edit_reminder(session: Session, event: Event, config: NotificationConfig) -> None:
    queue_for_author(session, config, event, kinds.EDIT_REMINDER, {
        "deadline_text": french_datetime(event.data["deadline"]),
        "approval_url": absolute_url(config.public_base_url, event.data["approval_path"]),
    })


def edit_outcome(template: str):
    def handle(session: Session, event: Event, config: NotificationConfig) -> None:
        queue_for_author(session, config, event, template, _links(config, str(event.data["experience_id"])))

    handle.__name__ = f"experience_{template}"
    return handle


def experience_withdrawn(session: Session, event: Event, config: NotificationConfig) -> None:
    queue_for_author(session, config, event, kinds.WITHDRAWN, {
        "reason": event.data["reason"], **_links(config, str(event.data["experience_id"]))})


def experience_reassigned(session: Session, event: Event, config: NotificationConfig) -> None:
    data = event.data
    queue_for_author(session, config, event, kinds.REASSIGNED,
                     {"structure_name": data.get("to_structure_name") or data["to_structure_code"]})


def response_published(session: Session, event: Event, config: NotificationConfig) -> None:
    experience_id = str(event.data["experience_id"])
    queue_for_author(session, config, event, kinds.RESPONSE_PUBLISHED, {
        "structure_name": event.data["structure_name"],
        "public_url": absolute_url(config.public_base_url, f"/experiences/{experience_id}")})


def password_reset_requested(session: Session, event: Event, config: NotificationConfig) -> None:
    queue_mail(session, config, event, kinds.PASSWORD_RESET, {
        "reset_url": absolute_url(config.public_base_url, event.data["reset_url"]),
        "expires_text": french_datetime(event.data["expires_at"]),
    }, event.data["email"])


def erasure_requested(session: Session, event: Event, config: NotificationConfig) -> None:
    """Forget the address: contacts become tombstones, unsent mails are cancelled, the log scrubbed."""
    address = event.data["email"].lower()
    moment = now()
    erased_ids = set(session.scalars(select(contacts.c.experience_id)
                                     .where(func.lower(contacts.c.email) == address)))
    if event.data.get("experience_id"):
        erased_ids.add(str(event.data["experience_id"]))
    for experience_id in erased_ids:
        updated = session.execute(update(contacts).where(contacts.c.experience_id == experience_id)
                                  .values(email=None, title=None, erased_at=moment))
        if updated.rowcount == 0:
            session.execute(contacts.insert().values(experience_id=experience_id, created_at=moment,
                                                     erased_at=moment))
    concerned = or_(func.lower(mails.c.recipient) == address, mails.c.experience_id.in_(erased_ids))
    session.execute(update(mails).where(concerned, mails.c.status != Status.SENT)
                    .values(status=Status.CANCELLED, updated_at=moment))
    session.execute(update(mails).where(concerned).values(
        recipient=None, subject="(effacé)", text_body="", html_body="", context="{}", updated_at=moment))
    log.info("contact erased", extra={"experiences": len(erased_ids), "event_id": event.id})


def _remember_title(session: Session, experience_id: str, title: str) -> None:
    session.execute(update(contacts).where(contacts.c.experience_id == experience_id,
                                           contacts.c.erased_at.is_(None)).values(title=title))


