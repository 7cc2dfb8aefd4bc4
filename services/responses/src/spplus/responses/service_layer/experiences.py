"""Effects of moderation's events on the inbox: items appear, close, and move between structures.

Every effect is idempotent and safe when events arrive late, twice or out of order: a
publication older than what is stored changes nothing, a withdrawal or a reassignment that
comes before the publication is kept and applied when the publication arrives.
"""
from __future__ import annotations

import datetime as dt

from spplus.chassis.events import Event
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ..adapters import repository as repo
from ..adapters.tables import experiences, items, reassignments
from ..domain.model import item_state


def on_published(session: Session, event: Event) -> None:
    data = event.data
    experience_id, published_at = str(data["experience_id"]), repo.parse_time(data["published_at"])
    values = {"title": data["title"], "description": data["description"], "feeling": data.get("feeling"),
              "experienced_on": data.get("experienced_on"), "pseudonym": data.get("pseudonym"),
              "path": data["path"], "submitted_at": repo.parse_time(data["submitted_at"]),
              "published_at": published_at}
    current = session.execute(select(experiences).where(experiences.c.id == experience_id)
                              .with_for_update()).mappings().first()
    if current is None:
        session.execute(insert(experiences).values(id=experience_id, **values))
    elif current["published_at"] is None or repo.aware(current["published_at"]) <= published_at:
        session.execute(update(experiences).where(experiences.c.id == experience_id).values(**values))
    else:
        return  # an older publication: what is stored is newer
    experience = repo.get_experience(session, experience_id)
    closed = experience["withdrawn_at"] is not None
    for step in data["path"]:
        code = step["structure_code"]
        if repo.get_item_for(session, experience_id, code) is None:
            _create_item(session, experience_id, code, repo.structure_name(session, code, step.get("structure_name")),
                         received_at=published_at, closed=closed)
    pending = session.execute(select(reassignments).where(
        reassignments.c.experience_id == experience_id, reassignments.c.applied.is_(False))
        .order_by(reassignments.c.reassigned_at)).mappings().all()
    for row in pending:
        move(session, experience_id, row["from_structure_code"], row["to_structure_code"],
             row["to_structure_name"], at=repo.aware(row["reassigned_at"]))
        session.execute(update(reassignments).where(reassignments.c.id == row["id"]).values(applied=True))


def on_withdrawn(session: Session, event: Event) -> None:
    experience_id, withdrawn_at = str(event.data["experience_id"]), repo.parse_time(event.data["withdrawn_at"])
    if repo.get_experience(session, experience_id) is None:
        session.execute(insert(experiences).values(id=experience_id))  # the publication will follow
    session.execute(update(experiences).where(experiences.c.id == experience_id)
                    .values(withdrawn_at=withdrawn_at, withdrawn_reason=event.data["reason"]))
    for item in session.execute(select(items).where(items.c.experience_id == experience_id)).mappings():
        response = repo.get_response(session, item["id"])
        state = item_state(True, item["reassigned_to"] is not None, response["state"] if response else None)
        # A published answer stays "answered" for the statistics; the public side hides the story.
        repo.set_item_state(session, item["id"], state, closed=True)


def on_reassigned(session: Session, event: Event) -> None:
    data = event.data
    if data["by"] == "responses":
        return  # our own event, already applied when it was recorded
    experience_id = str(data["experience_id"])
    known = repo.get_experience(session, experience_id)
    applied = known is not None and known["published_at"] is not None
    at = repo.parse_time(data["reassigned_at"])
    session.execute(insert(reassignments).values(
        id=repo.new_id(), experience_id=experience_id, from_structure_code=data["from_structure_code"],
        to_structure_code=data["to_structure_code"], to_structure_name=data.get("to_structure_name"),
        by="moderation", reassigned_at=at, applied=applied))
    if applied:
        move(session, experience_id, data["from_structure_code"], data["to_structure_code"],
             data.get("to_structure_name"), at=at)


def move(session: Session, experience_id: str, from_code: str, to_code: str, to_name: str | None,
         at: dt.datetime) -> None:
    """Hand an experience from one structure to another. An answered item stays where it is
    (its answer is public); an unanswered one is marked reassigned, its draft kept."""
    source = repo.get_item_for(session, experience_id, from_code)
    received_at = repo.aware(source["received_at"]) if source else at
    if source is not None and source["state"] not in ("repondu", "reaffecte"):
        repo.set_item_state(session, source["id"], "reaffecte", reassigned_to=to_code)
    target = repo.get_item_for(session, experience_id, to_code)
    experience = repo.get_experience(session, experience_id)
    closed = experience["withdrawn_at"] is not None
    if target is None:
        _create_item(session, experience_id, to_code, repo.structure_name(session, to_code, to_name),
                     received_at=received_at, closed=closed)
    elif target["reassigned_to"] is not None:
        response = repo.get_response(session, target["id"])
        state = item_state(closed, False, response["state"] if response else None)
        repo.set_item_state(session, target["id"], state, reassigned_to=None)


def _create_item(session: Session, experience_id: str, code: str, name: str, received_at: dt.datetime,
                 closed: bool) -> None:
    session.execute(insert(items).values(
        id=repo.new_id(), experience_id=experience_id, structure_code=code, structure_name=name[:300],
        state="clos" if closed else "a_traiter", received_at=received_at, closed=closed, actions_made=0,
        updated_at=repo.utcnow()))


__all__ = ["move", "on_published", "on_reassigned", "on_withdrawn"]
