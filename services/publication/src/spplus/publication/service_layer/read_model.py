"""Use cases that keep the public read model in step with the events of other services.

Every function runs in the consumer's transaction (the inbox row is written in it too), so a
redelivered event does nothing; the rules in ``domain.model`` make the result independent of
the order in which events arrive.
"""
from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from ..adapters.orm import experience_structures, experiences, reassignments, responses
from ..adapters.search import repository_for
from ..domain import model


def _experience(session: Session, experience_id: str):
    return session.execute(select(experiences).where(experiences.c.id == experience_id)
                           .with_for_update()).mappings().first()


def publish_experience(session: Session, data: dict) -> None:
    experience_id = str(data["experience_id"])
    published_at = model.parse_datetime(data["published_at"])
    current = _experience(session, experience_id)
    if current is not None and current["published_at"] is not None and \
            not model.should_replace_publication(current["published_at"], published_at):
        return
    values = {
        "title": data["title"], "description": data["description"], "feeling": data.get("feeling"),
        "experienced_on": data.get("experienced_on"), "pseudonym": data.get("pseudonym"),
        "original_path": data["path"], "path": data["path"],
        "submitted_at": model.parse_datetime(data["submitted_at"]), "published_at": published_at,
        "edited": data["edited"],
    }
    if current is None:
        session.execute(insert(experiences).values(id=experience_id, status=model.PUBLISHED, similar_count=0,
                                                   response_count=0, **values))
    else:
        # A withdrawal seen earlier keeps the story off the site: status is left as it is.
        session.execute(update(experiences).where(experiences.c.id == experience_id).values(**values))
    refresh_experience(session, experience_id)


def withdraw_experience(session: Session, data: dict) -> None:
    experience_id = str(data["experience_id"])
    withdrawn_at = model.parse_datetime(data["withdrawn_at"])
    current = _experience(session, experience_id)
    if current is None:
        # Withdrawn before we saw it published: remember, so the publication never shows.
        session.execute(insert(experiences).values(id=experience_id, status=model.WITHDRAWN, withdrawn_at=withdrawn_at,
                                                   similar_count=0, response_count=0))
    elif current["status"] != model.WITHDRAWN:
        session.execute(update(experiences).where(experiences.c.id == experience_id)
                        .values(status=model.WITHDRAWN, withdrawn_at=withdrawn_at))
    repository_for(session).unindex(experience_id)


def reassign_experience(session: Session, event_id: str, data: dict) -> None:
    experience_id = str(data["experience_id"])
    session.execute(insert(reassignments).values(
        event_id=event_id, experience_id=experience_id, from_structure_code=data["from_structure_code"],
        to_structure_code=data["to_structure_code"], to_structure_name=data.get("to_structure_name"),
        reassigned_at=model.parse_datetime(data["reassigned_at"])))
    if _experience(session, experience_id) is not None:
        refresh_experience(session, experience_id)


def upsert_response(session: Session, data: dict) -> None:
    response_id = str(data["response_id"])
    experience_id = str(data["experience_id"])
    current = session.execute(select(responses.c.version).where(responses.c.id == response_id)
                              .with_for_update()).scalar()
    if not model.should_replace_response(current, data["version"]):
        return
    values = {
        "experience_id": experience_id, "structure_code": data["structure_code"],
        "structure_name": data["structure_name"], "greeting": data["greeting"], "body": data["body"],
        "signature": data["signature"], "status": data["status"], "actions": data.get("actions", []),
        "tags": data.get("tags", []), "general_tags": data.get("general_tags", {}),
        "published_at": model.parse_datetime(data["published_at"]),
        "updated_at": model.parse_datetime(data["updated_at"]), "version": data["version"],
    }
    if current is None:
        session.execute(insert(responses).values(id=response_id, useful_yes=0, useful_no=0, **values))
    else:
        session.execute(update(responses).where(responses.c.id == response_id).values(**values))
    refresh_response_stats(session, experience_id)


def refresh_experience(session: Session, experience_id: str) -> None:
    """Recompute everything derived: path after reassignments, structures, answer figures, index."""
    row = _experience(session, experience_id)
    if row is None or row["title"] is None:
        return
    moves = [model.Reassignment(r.from_structure_code, r.to_structure_code, r.to_structure_name,
                                model.aware(r.reassigned_at))
             for r in session.execute(select(reassignments).where(reassignments.c.experience_id == experience_id))]
    path = model.effective_path(row["original_path"], moves)
    session.execute(update(experiences).where(experiences.c.id == experience_id).values(path=path))
    session.execute(delete(experience_structures).where(experience_structures.c.experience_id == experience_id))
    codes = model.structure_codes(path)
    if codes:
        session.execute(insert(experience_structures), [
            {"experience_id": experience_id, "structure_code": code, "position": position}
            for position, code in enumerate(codes)])
    refresh_response_stats(session, experience_id)
    repository = repository_for(session)
    if row["status"] == model.PUBLISHED:
        repository.index(experience_id, row["title"], row["description"])
    else:
        repository.unindex(experience_id)


def refresh_response_stats(session: Session, experience_id: str) -> None:
    published_at = session.execute(select(experiences.c.published_at)
                                   .where(experiences.c.id == experience_id)).scalar()
    dates = list(session.execute(select(responses.c.published_at)
                                 .where(responses.c.experience_id == experience_id)).scalars())
    first_at, delay = model.first_response(published_at, dates)
    session.execute(update(experiences).where(experiences.c.id == experience_id).values(
        response_count=len(dates), first_response_at=first_at, first_response_delay_seconds=delay))
