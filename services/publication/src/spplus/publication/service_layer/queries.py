"""Read side: what the pages, the API and the feeds show. Never an author's contact data:
the read model does not even hold it."""
from __future__ import annotations

from sqlalchemy import Integer, and_, case, cast, distinct, func, select
from sqlalchemy.orm import Session

from ..adapters.orm import experience_structures, experiences, responses, structures
from ..adapters.search import PostgresExperienceRepository, repository_for
from ..adapters.search_index import SearchIndex
from ..adapters.structure_directory import StructureDirectory
from ..domain import model
from ..domain.search import SearchCriteria, SearchPage


def structure_names(session: Session, codes: set[str]) -> dict[str, dict]:
    if not codes:
        return {}
    rows = session.execute(select(structures.c.code, structures.c.name, structures.c.network_code,
                                  structures.c.network_name).where(structures.c.code.in_(sorted(codes))))
    return {row.code: row._asdict() for row in rows}


def present(row: dict, names: dict[str, dict]) -> dict:
    """The public shape of a story (API and pages)."""
    path = []
    for step in row.get("path") or []:
        known = names.get(step.get("structure_code"), {})
        path.append({
            "structure_code": step.get("structure_code"),
            "structure_name": step.get("structure_name") or known.get("name") or step.get("structure_code"),
            "network_code": known.get("network_code"),
            "network_name": known.get("network_name"),
            "channels": [{"channel": use.get("channel"), "feeling": use.get("feeling"),
                          "channel_label": model.CHANNEL_LABELS.get(use.get("channel"), use.get("channel"))}
                         for use in step.get("channels") or []],
        })
    return {
        "id": row["id"], "title": row["title"], "description": row["description"], "feeling": row["feeling"],
        "experienced_on": row.get("experienced_on"), "pseudonym": row.get("pseudonym"), "path": path,
        "submitted_at": row.get("submitted_at") and model.aware(row["submitted_at"]),
        "published_at": model.aware(row["published_at"]),
        "similar_count": row["similar_count"], "response_count": row["response_count"],
        "answered": row["response_count"] > 0,
        "first_response_at": row["first_response_at"] and model.aware(row["first_response_at"]),
    }


def _codes(rows: list[dict]) -> set[str]:
    return {step.get("structure_code") for row in rows for step in row.get("path") or []}


def search(session: Session, criteria: SearchCriteria, search_index: SearchIndex | None = None,
           directory: StructureDirectory | None = None) -> tuple[SearchPage, list[dict]]:
    """A page of stories: from the search index when there is one and it is up to date,
    otherwise from the database's own full text search (same results). ``directory``, when
    given, answers for the structures instead of the database."""
    repository = repository_for(session)
    page = None
    if search_index is not None and directory is not None and isinstance(repository, PostgresExperienceRepository):
        page = repository.search_indexed(search_index, criteria, directory)
    if page is None:
        page = repository.search(criteria)
    codes = _codes(page.items)
    names = directory.names(session, codes) if directory is not None else structure_names(session, codes)
    return page, [present(item, names) for item in page.items]


def latest(session: Session, limit: int = 20, structure_code: str | None = None) -> list[dict]:
    rows = repository_for(session).latest(limit, structure_code)
    names = structure_names(session, _codes(rows))
    return [present(row, names) for row in rows]


def experience_detail(session: Session, experience_id: str) -> dict | None:
    row = repository_for(session).get_published(experience_id)
    if row is None:
        return None
    detail = present(row, structure_names(session, _codes([row])))
    answers = session.execute(select(responses).where(responses.c.experience_id == experience_id)
                              .order_by(responses.c.published_at, responses.c.id)).mappings().all()
    detail["responses"] = [present_response(answer) for answer in answers]
    return detail


def present_response(row) -> dict:
    return {
        "id": row["id"], "structure_code": row["structure_code"], "structure_name": row["structure_name"],
        "greeting": row["greeting"], "body": row["body"], "signature": row["signature"], "status": row["status"],
        "actions": [{"kind": action.get("kind"), "kind_label": model.ACTION_LABELS.get(action.get("kind"), ""),
                     "description": action.get("description")} for action in row["actions"] or []],
        "published_at": model.aware(row["published_at"]), "updated_at": model.aware(row["updated_at"]),
        "useful_yes": row["useful_yes"], "useful_no": row["useful_no"],
    }


def networks(session: Session) -> list[dict]:
    rows = session.execute(select(structures.c.network_code, func.min(structures.c.network_name).label("network_name"))
                           .where(structures.c.active.is_(True)).group_by(structures.c.network_code)
                           .order_by(func.min(structures.c.network_name)))
    return [row._asdict() for row in rows]


def active_structures(session: Session) -> list[dict]:
    rows = session.execute(select(structures.c.code, structures.c.name, structures.c.network_name)
                           .where(structures.c.active.is_(True)).order_by(structures.c.network_name, structures.c.name))
    return [row._asdict() for row in rows]


def structure(session: Session, code: str) -> dict | None:
    row = session.execute(select(structures).where(structures.c.code == code)).mappings().first()
    return dict(row) if row else None


# -- quality indicators -----------------------------------------------------------------------
def _median_delay(session: Session, *conditions) -> float | None:
    """Median without dialect-specific functions: the middle row(s) by ORDER BY ... OFFSET."""
    where = and_(experiences.c.status == model.PUBLISHED, experiences.c.first_response_delay_seconds.is_not(None),
                 *conditions)
    count = session.execute(select(func.count()).select_from(experiences).where(where)).scalar_one()
    if count == 0:
        return None
    middle = session.execute(select(experiences.c.first_response_delay_seconds).where(where)
                             .order_by(experiences.c.first_response_delay_seconds)
                             .offset((count - 1) // 2).limit(2 - count % 2)).scalars().all()
    return model.median(list(middle))


def indicators(session: Session) -> dict:
    published = experiences.c.status == model.PUBLISHED
    answered = case((experiences.c.response_count > 0, 1), else_=0)
    total, answered_count = session.execute(
        select(func.count(), func.coalesce(func.sum(answered), 0)).select_from(experiences).where(published)).one()
    by_network = []
    rows = session.execute(
        select(structures.c.network_code, func.min(structures.c.network_name).label("network_name"),
               func.count(distinct(experiences.c.id)).label("total"),
               func.count(distinct(case((experiences.c.response_count > 0, experiences.c.id)))).label("answered"))
        .select_from(experiences.join(experience_structures, experience_structures.c.experience_id == experiences.c.id)
                     .join(structures, structures.c.code == experience_structures.c.structure_code))
        .where(published).group_by(structures.c.network_code).order_by(func.min(structures.c.network_name))).all()
    for row in rows:
        in_network = experiences.c.id.in_(
            select(experience_structures.c.experience_id)
            .join(structures, structures.c.code == experience_structures.c.structure_code)
            .where(structures.c.network_code == row.network_code))
        by_network.append({"network_code": row.network_code, "network_name": row.network_name,
                           "total": row.total, "answered": row.answered,
                           "answered_share": row.answered / row.total if row.total else None,
                           "median_delay_seconds": _median_delay(session, in_network)})
    return {"total": total, "answered": int(answered_count),
            "answered_share": answered_count / total if total else None,
            "median_delay_seconds": _median_delay(session), "by_network": by_network,
            "similar_votes": int(session.execute(select(func.coalesce(func.sum(cast(experiences.c.similar_count, Integer)), 0))
                                                 .where(published)).scalar_one())}
