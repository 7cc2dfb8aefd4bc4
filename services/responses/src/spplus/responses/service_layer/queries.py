"""The read side: the inbox, an item's story, the dashboard, all limited to the caller's scope."""
from __future__ import annotations

import dataclasses
import datetime as dt

from spplus.chassis.auth import Principal
from spplus.chassis.db import Database
from sqlalchemy import func, literal_column, or_, select
from sqlalchemy.orm import Session

from ..adapters import repository as repo
from ..adapters.tables import (
    comments,
    experiences,
    items,
    reassignments,
    response_versions,
    search_vector,
    structures,
    transfer_requests,
)
from ..domain import stats
from ..domain.model import OPEN_STATES, ResponseError, is_overdue
from .answers import load_item


def sees_everything(actor: Principal) -> bool:
    return "admin" in actor.roles or "moderator" in actor.roles


def visible_codes(session: Session, actor: Principal) -> set[str] | None:
    """Structures whose items the actor sees (theirs and everything below); None means all."""
    return None if sees_everything(actor) else repo.descendants(session, set(actor.structures))


def scoped_codes(session: Session, actor: Principal, structure: str | None) -> set[str] | None:
    """The visible structures, narrowed to one structure's tree when asked (403 outside the scope)."""
    visible = visible_codes(session, actor)
    if not structure:
        return visible
    if not actor.covers(structure, repo.ancestors(session, structure)):
        raise ResponseError("Cette structure ne fait pas partie de votre périmètre.", 403)
    return repo.descendants(session, {structure})


def structure_choices(database: Database, actor: Principal, limit: int = 500) -> list[tuple[str, str]]:
    """(code, name) of the structures the actor may filter on, by name."""
    with database.unit_of_work() as session:
        codes = visible_codes(session, actor)
        query = select(structures.c.code, structures.c.name).order_by(structures.c.name).limit(limit)
        if codes is not None:
            query = query.where(structures.c.code.in_(codes))
        return [tuple(row) for row in session.execute(query)]


def text_search(session: Session, q: str) -> list:
    """Conditions matching every word of ``q`` in a story: French full-text search (stemmed,
    GIN-indexed) on PostgreSQL, case-insensitive substrings on SQLite."""
    words = q.split()[:10]
    if session.get_bind().dialect.name == "postgresql":
        return [search_vector().op("@@")(func.plainto_tsquery(literal_column("'french'::regconfig"),
                                                              " ".join(words)))]
    return [or_(experiences.c.title.ilike(f"%{word}%"), experiences.c.description.ilike(f"%{word}%"))
            for word in words]


@dataclasses.dataclass(frozen=True)
class Filters:
    state: str | None = None
    structure: str | None = None
    q: str | None = None
    overdue: bool = False
    page: int = 1
    per_page: int = 20


def list_items(database: Database, actor: Principal, filters: Filters, target_days: int) -> dict:
    now = repo.utcnow()
    limit = now - dt.timedelta(days=target_days)
    with database.unit_of_work() as session:
        codes = scoped_codes(session, actor, filters.structure)
        conditions = [] if codes is None else [items.c.structure_code.in_(codes)]
        if filters.q:
            conditions += text_search(session, filters.q)
        counted = select(items.c.state, func.count()).where(*conditions).group_by(items.c.state)
        if filters.q:
            counted = counted.join_from(items, experiences, experiences.c.id == items.c.experience_id)
        counts = dict(session.execute(counted).all())
        if filters.overdue:
            conditions += [items.c.state.in_(OPEN_STATES), items.c.received_at < limit]
        if filters.state:
            conditions.append(items.c.state == filters.state)
        if filters.overdue:
            total = session.scalar(select(func.count()).select_from(items).join(
                experiences, experiences.c.id == items.c.experience_id).where(*conditions))
        else:
            total = counts.get(filters.state, 0) if filters.state else sum(counts.values())
        page = select(items.c.id).where(*conditions).order_by(items.c.received_at.desc(), items.c.id) \
            .limit(filters.per_page).offset((filters.page - 1) * filters.per_page)
        if filters.q:
            page = page.join_from(items, experiences, experiences.c.id == items.c.experience_id)
        page = page.subquery()
        rows = session.execute(
            select(items, experiences.c.title).join(page, page.c.id == items.c.id)
            .join(experiences, experiences.c.id == items.c.experience_id)
            .order_by(items.c.received_at.desc(), items.c.id)).mappings().all()
    return {"total": total, "page": filters.page, "per_page": filters.per_page, "counts": counts,
            "items": [_summary(row, now, target_days) for row in rows]}


def _summary(row, now: dt.datetime, target_days: int) -> dict:
    received_at = repo.aware(row["received_at"])
    return {"id": row["id"], "experience_id": row["experience_id"], "title": row["title"],
            "structure_code": row["structure_code"], "structure_name": row["structure_name"],
            "state": row["state"], "received_at": received_at,
            "due_at": received_at + dt.timedelta(days=target_days),
            "overdue": is_overdue(row["state"], received_at, now, target_days),
            "first_answered_at": repo.aware(row["first_answered_at"])}


def item_detail(database: Database, actor: Principal, item_id: str, target_days: int) -> dict:
    now = repo.utcnow()
    with database.unit_of_work() as session:
        item = load_item(session, item_id, actor)
        experience = repo.get_experience(session, item["experience_id"])
        response = repo.get_response(session, item_id)
        versions = [] if response is None else session.execute(
            select(response_versions).where(response_versions.c.response_id == response["id"])
            .order_by(response_versions.c.version.desc())).mappings().all()
        others = session.execute(select(items.c.structure_code, items.c.structure_name, items.c.state).where(
            items.c.experience_id == item["experience_id"], items.c.id != item_id)).mappings().all()
        children = session.execute(select(structures.c.code, structures.c.name).where(
            structures.c.code.in_(repo.descendants(session, {item["structure_code"]}) - {item["structure_code"]}),
            structures.c.active.is_(True)).order_by(structures.c.name)).mappings().all()
        detail = {
            **_summary({**item, "title": experience["title"]}, now, target_days),
            "experience": {key: experience[key] for key in ("title", "description", "feeling", "experienced_on",
                                                             "pseudonym", "path")}
            | {"published_at": repo.aware(experience["published_at"]),
               "withdrawn_at": repo.aware(experience["withdrawn_at"])},
            "response": None if response is None else {
                "id": response["id"], "state": response["state"], "version": response["version"],
                "has_changes": response["has_changes"], **response["content"],
                "updated_at": repo.aware(response["updated_at"]), "submitted_by": response["submitted_by"],
                "first_published_at": repo.aware(response["first_published_at"]),
                "published_at": repo.aware(response["published_at"])},
            "history": [{"version": v["version"], **v["content"], "published_at": repo.aware(v["published_at"]),
                         "published_by": v["published_by"], "check": v["check"]} for v in versions],
            "comments": _comments(session, item["experience_id"]),
            "reassignments": [dict(row) | {"reassigned_at": repo.aware(row["reassigned_at"])} for row in session.execute(
                select(reassignments.c.from_structure_code, reassignments.c.to_structure_code,
                       reassignments.c.to_structure_name, reassignments.c.by, reassignments.c.reassigned_at)
                .where(reassignments.c.experience_id == item["experience_id"])
                .order_by(reassignments.c.reassigned_at)).mappings()],
            "transfer_requests": [dict(row) | {"requested_at": repo.aware(row["requested_at"])} for row in session.execute(
                select(transfer_requests.c.id, transfer_requests.c.suggested_structure, transfer_requests.c.reason,
                       transfer_requests.c.requested_by, transfer_requests.c.requested_at)
                .where(transfer_requests.c.item_id == item_id).order_by(transfer_requests.c.requested_at)).mappings()],
            "other_structures": [dict(row) for row in others],
            "child_structures": [dict(row) for row in children],
            "can_answer": actor.has_role("agent"),
            "two_step_validation": repo.two_step_for(session, item["structure_code"]),
            "can_publish": (not repo.two_step_for(session, item["structure_code"]))
            or repo.is_validator(session, actor.email, item["structure_code"]),
        }
    return detail


def item_comments(database: Database, actor: Principal, item_id: str) -> list[dict]:
    with database.unit_of_work() as session:
        item = load_item(session, item_id, actor)
        return _comments(session, item["experience_id"])


def _comments(session: Session, experience_id: str) -> list[dict]:
    """Every comment on the experience: agents of each structure concerned and moderators read them all."""
    rows = session.execute(select(comments).where(comments.c.experience_id == experience_id)
                           .order_by(comments.c.created_at)).mappings().all()
    return [{key: row[key] for key in ("id", "author_email", "author_name", "author_role", "body")}
            | {"created_at": repo.aware(row["created_at"])} for row in rows]


def dashboard(database: Database, actor: Principal, structure: str | None, target_days: int) -> dict:
    now = repo.utcnow()
    with database.unit_of_work() as session:
        codes = scoped_codes(session, actor, structure)
        query = select(items.c.structure_code, items.c.structure_name, items.c.state, items.c.received_at,
                       items.c.first_answered_at, items.c.actions_made, structures.c.network_code,
                       structures.c.network_name).outerjoin(structures, structures.c.code == items.c.structure_code)
        if codes is not None:
            query = query.where(items.c.structure_code.in_(codes))
        rows = session.execute(query).mappings().all()
    facts = [stats.ItemFacts(row["structure_code"], row["network_code"] or "", row["state"],
                             repo.aware(row["received_at"]), repo.aware(row["first_answered_at"]),
                             row["actions_made"]) for row in rows]
    names = {row["structure_code"]: row["structure_name"] for row in rows}
    networks = {row["network_code"] or "": row["network_name"] or "Réseau inconnu" for row in rows}
    by_structure = stats.grouped(facts, lambda fact: fact.structure_code, now, target_days)
    by_network = stats.grouped(facts, lambda fact: fact.network_code, now, target_days)
    return {
        "target_delay_days": target_days,
        "total": dataclasses.asdict(stats.figures(facts, now, target_days)),
        "structures": [{"code": code, "name": names[code], **dataclasses.asdict(fig)}
                       for code, fig in by_structure.items()],
        "networks": [{"code": code, "name": networks[code], **dataclasses.asdict(fig)}
                     for code, fig in by_network.items()],
    }


__all__ = ["Filters", "dashboard", "item_comments", "item_detail", "list_items"]
