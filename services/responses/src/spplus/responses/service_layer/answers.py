"""What agents do with an item: draft, send for validation, publish or update, comment,
reassign to a child structure, ask moderation for a transfer.

Each use case opens its own unit of work: load, check scope and rules, act, record events.
"""
from __future__ import annotations

from collections.abc import Callable

from spplus.chassis import outbox
from spplus.chassis.auth import Principal
from spplus.chassis.db import Database
from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from ..adapters import repository as repo
from ..adapters.tables import comments, reassignments, response_versions, responses, transfer_requests
from ..domain.model import CheckResult, Content, ResponseError, can_publish, item_state
from . import experiences as experience_effects

PRODUCER = "responses"


Checker = Callable[[str], CheckResult]


def load_item(session: Session, item_id: str, actor: Principal, lock: bool = False, answering: bool = False):
    """The item, when it exists and the actor's scope covers it (403 otherwise, 404 if unknown).
    ``answering``: only agents (and admins) write answers; moderators read and comment."""
    if answering and not actor.has_role("agent"):
        raise ResponseError("Seuls les agents des structures concernées répondent aux expériences.", 403)
    item = repo.get_item(session, item_id, lock=lock)
    if item is None:
        raise ResponseError("Cet élément n'existe pas.", 404)
    if not actor.covers(item["structure_code"], repo.ancestors(session, item["structure_code"])):
        raise ResponseError("Cette expérience ne concerne pas vos structures.", 403)
    return item


def _writable(item) -> None:
    if item["closed"]:
        raise ResponseError("L'expérience a été retirée par la modération : elle ne peut plus recevoir de réponse.")
    if item["state"] == "reaffecte":
        raise ResponseError("Cette expérience a été réaffectée à une autre structure.")


def _content(response) -> Content:
    return Content(**response["content"]) if response else Content()


def working_body(database: Database, item_id: str, actor: Principal) -> str:
    """The saved body of the item's answer ("" before any draft), for a check on demand."""
    with database.unit_of_work() as session:
        load_item(session, item_id, actor, answering=True)
        return _content(repo.get_response(session, item_id)).body


def save_draft(database: Database, item_id: str, actor: Principal, changes: dict) -> dict:
    """Save the working copy. A published answer keeps its public version until the next publication."""
    now = repo.utcnow()
    with database.unit_of_work() as session:
        item = load_item(session, item_id, actor, lock=True, answering=True)
        _writable(item)
        response = repo.get_response(session, item_id, lock=True)
        content = _content(response).merged(changes)
        if response is None:
            session.execute(insert(responses).values(
                id=repo.new_id(), item_id=item_id, state="draft", content=content.to_dict(), version=0,
                has_changes=True, created_at=now, updated_at=now, updated_by=actor.email))
            state = "draft"
        else:
            state = "published" if response["state"] == "published" else "draft"
            session.execute(update(responses).where(responses.c.id == response["id"]).values(
                state=state, content=content.to_dict(), has_changes=True, updated_at=now, updated_by=actor.email))
        repo.set_item_state(session, item_id, item_state(False, False, state))
        return {"state": state, "content": content.to_dict()}


def submit_for_validation(database: Database, item_id: str, actor: Principal, changes: dict) -> dict:
    if any(value is not None for value in changes.values()):
        save_draft(database, item_id, actor, changes)
    with database.unit_of_work() as session:
        _writable(load_item(session, item_id, actor, lock=True, answering=True))
        response = repo.get_response(session, item_id, lock=True)
        errors = _content(response).publication_errors()
        if errors:
            raise ResponseError("La réponse est incomplète.", 422, errors)
        if response["state"] == "published":
            raise ResponseError("La réponse est déjà publiée : publiez directement sa mise à jour "
                                "ou demandez-la à un valideur.")
        session.execute(update(responses).where(responses.c.id == response["id"]).values(
            state="pending_validation", submitted_by=actor.email, updated_at=repo.utcnow()))
        repo.set_item_state(session, item_id, "en_validation")
        return {"state": "pending_validation"}


def prepare_publication(database: Database, item_id: str, actor: Principal, changes: dict) -> str:
    """Save the changes, check the rules and the right to publish; return the body to check."""
    if any(value is not None for value in changes.values()):
        save_draft(database, item_id, actor, changes)
    with database.unit_of_work() as session:
        item = load_item(session, item_id, actor, answering=True)
        _writable(item)
        response = repo.get_response(session, item_id)
        if response is None:
            raise ResponseError("Rédigez la réponse avant de la publier.", 422,
                                Content().publication_errors())
        errors = _content(response).publication_errors()
        if errors:
            raise ResponseError("La réponse est incomplète.", 422, errors)
        if response["state"] == "published" and not response["has_changes"]:
            raise ResponseError("Aucune modification à publier.")
        two_step = repo.two_step_for(session, item["structure_code"])
        if not can_publish(two_step, repo.is_validator(session, actor.email, item["structure_code"])):
            raise ResponseError("Cette structure valide ses réponses en deux temps : envoyez la réponse "
                                "en validation, un valideur la publiera.", 403)
        return response["content"]["body"]


def publish(database: Database, item_id: str, actor: Principal, changes: dict, checker: Checker) -> dict:
    """Publish the working copy as a new version (``response.published`` the first time,
    ``response.updated`` after), with the moderation assistants' check attached."""
    body = prepare_publication(database, item_id, actor, changes)
    check = checker(body)
    now = repo.utcnow()
    with database.unit_of_work() as session:
        item = load_item(session, item_id, actor, lock=True, answering=True)
        response = repo.get_response(session, item_id, lock=True)
        if response["state"] == "published" and not response["has_changes"]:
            raise ResponseError("Aucune modification à publier.")  # published meanwhile by someone else
        content, version = Content(**response["content"]), response["version"] + 1
        first_published_at = repo.aware(response["first_published_at"]) or now
        session.execute(insert(response_versions).values(
            response_id=response["id"], version=version, content=content.to_dict(), published_at=now,
            published_by=actor.email, check=check.to_dict()))
        session.execute(update(responses).where(responses.c.id == response["id"]).values(
            state="published", version=version, has_changes=False, first_published_at=first_published_at,
            published_at=now, updated_at=now, updated_by=actor.email))
        repo.set_item_state(session, item_id, "repondu",
                            first_answered_at=repo.aware(item["first_answered_at"]) or now,
                            actions_made=sum(1 for action in content.actions if action["kind"] == "made"))
        data = {"response_id": response["id"], "experience_id": item["experience_id"],
                "structure_code": item["structure_code"], "structure_name": item["structure_name"],
                **content.to_dict(), "published_at": first_published_at, "updated_at": now, "version": version}
        outbox.record(session, "response.published" if version == 1 else "response.updated", data, PRODUCER)
        return {"version": version, "published_at": now, "check": check.to_dict()}


def add_comment(database: Database, item_id: str, actor: Principal, body: str) -> dict:
    now = repo.utcnow()
    with database.unit_of_work() as session:
        item = load_item(session, item_id, actor)
        row = {"id": repo.new_id(), "experience_id": item["experience_id"], "item_id": item_id,
               "author_email": actor.email, "author_name": actor.name or None,
               "author_role": "moderator" if "moderator" in actor.roles else "agent",
               "body": body.strip(), "created_at": now}
        session.execute(insert(comments).values(**row))
        return row


def reassign(database: Database, item_id: str, actor: Principal, to_code: str) -> dict:
    """Hand the item to a structure below it; publication and notification learn it by event."""
    now = repo.utcnow()
    with database.unit_of_work() as session:
        item = load_item(session, item_id, actor, lock=True, answering=True)
        _writable(item)
        if item["state"] == "repondu":
            raise ResponseError("Cette structure a déjà répondu : l'expérience ne peut plus être réaffectée.")
        target = repo.structure(session, to_code)
        below = repo.descendants(session, {item["structure_code"]}) - {item["structure_code"]}
        if target is None or to_code not in below or not target["active"]:
            raise ResponseError("Choisissez une structure rattachée à la vôtre.", 422,
                                {"structure_code": ["Cette structure n'est pas une structure fille active."]})
        if repo.get_item_for(session, item["experience_id"], to_code) is not None:
            raise ResponseError("Cette structure est déjà chargée de répondre à cette expérience.")
        experience_effects.move(session, item["experience_id"], item["structure_code"], to_code, target["name"], now)
        session.execute(insert(reassignments).values(
            id=repo.new_id(), experience_id=item["experience_id"], from_structure_code=item["structure_code"],
            to_structure_code=to_code, to_structure_name=target["name"], by="responses", by_email=actor.email,
            reassigned_at=now, applied=True))
        outbox.record(session, "experience.reassigned", {
            "experience_id": item["experience_id"], "from_structure_code": item["structure_code"],
            "to_structure_code": to_code, "to_structure_name": target["name"], "by": "responses",
            "reassigned_at": now}, PRODUCER)
        new_item = repo.get_item_for(session, item["experience_id"], to_code)
        return {"item_id": new_item["id"], "structure_code": to_code, "structure_name": target["name"]}


def request_transfer(database: Database, item_id: str, actor: Principal, reason: str,
                     suggested_structure: str | None) -> dict:
    """Ask the moderation team to send the experience to another structure (outside ours)."""
    now = repo.utcnow()
    with database.unit_of_work() as session:
        item = load_item(session, item_id, actor, answering=True)
        _writable(item)
        if item["state"] == "repondu":
            raise ResponseError("Cette structure a déjà répondu : un transfert n'est plus possible.")
        row = {"id": repo.new_id(), "item_id": item_id, "experience_id": item["experience_id"],
               "structure_code": item["structure_code"], "suggested_structure": suggested_structure or None,
               "reason": reason.strip(), "requested_by": actor.email, "requested_at": now}
        session.execute(insert(transfer_requests).values(**row))
        outbox.record(session, "experience.transfer_requested", {
            "request_id": row["id"], "experience_id": item["experience_id"],
            "structure_code": item["structure_code"], "structure_name": item["structure_name"],
            "suggested_structure": row["suggested_structure"], "reason": row["reason"],
            "requested_at": now}, PRODUCER)
        return row
