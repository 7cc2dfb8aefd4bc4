"""Votes: "J'ai vécu une expérience similaire" and "Cette réponse vous a-t-elle été utile ?"."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..adapters.orm import experiences, responses, votes
from ..domain.model import PUBLISHED
from ..domain.votes import SIMILAR, USEFUL, NotVotable, VoteLimitReached, VoteOutcome


def _similar_counts(session: Session, experience_id: str) -> dict:
    return {"similar_count": session.execute(select(experiences.c.similar_count)
                                             .where(experiences.c.id == experience_id)).scalar_one()}


def _useful_counts(session: Session, response_id: str) -> dict:
    row = session.execute(select(responses.c.useful_yes, responses.c.useful_no)
                          .where(responses.c.id == response_id)).one()
    return {"useful_yes": row.useful_yes, "useful_no": row.useful_no}


def _record(session: Session, kind: str, target_id: str, voter_id: str, ip_hash: str, useful: bool | None,
            limit: int, window: dt.timedelta) -> bool:
    """Store the vote; False when this browser already voted on this item."""
    already = session.execute(select(votes.c.kind).where(votes.c.kind == kind, votes.c.target_id == target_id,
                                                         votes.c.voter_id == voter_id)).first()
    if already:
        return False
    now = dt.datetime.now(dt.timezone.utc)
    recent = session.execute(select(func.count()).select_from(votes)
                             .where(votes.c.ip_hash == ip_hash, votes.c.created_at > now - window)).scalar_one()
    if recent >= limit:
        raise VoteLimitReached()
    try:
        with session.begin_nested():
            session.execute(insert(votes).values(kind=kind, target_id=target_id, voter_id=voter_id, useful=useful,
                                                 ip_hash=ip_hash, created_at=now))
    except IntegrityError:  # the same browser voting twice at the same instant
        return False
    return True


def vote_similar(session: Session, experience_id: str, voter_id: str, ip_hash: str, limit: int,
                 window: dt.timedelta) -> VoteOutcome:
    published = session.execute(select(experiences.c.id).where(experiences.c.id == experience_id,
                                                               experiences.c.status == PUBLISHED)).first()
    if not published:
        raise NotVotable()
    counted = _record(session, SIMILAR, experience_id, voter_id, ip_hash, None, limit, window)
    if counted:
        session.execute(update(experiences).where(experiences.c.id == experience_id)
                        .values(similar_count=experiences.c.similar_count + 1))
    return VoteOutcome(counted, _similar_counts(session, experience_id))


def vote_useful(session: Session, response_id: str, useful: bool, voter_id: str, ip_hash: str, limit: int,
                window: dt.timedelta) -> VoteOutcome:
    visible = session.execute(
        select(responses.c.id).join(experiences, experiences.c.id == responses.c.experience_id)
        .where(responses.c.id == response_id, experiences.c.status == PUBLISHED)).first()
    if not visible:
        raise NotVotable()
    counted = _record(session, USEFUL, response_id, voter_id, ip_hash, useful, limit, window)
    if counted:
        column = responses.c.useful_yes if useful else responses.c.useful_no
        session.execute(update(responses).where(responses.c.id == response_id).values({column: column + 1}))
    return VoteOutcome(counted, _useful_counts(session, response_id))


def votes_of(session: Session, voter_id: str | None, experience_id: str, response_ids: list[str]) -> dict:
    """What this browser already voted on this page: {"similar": bool, "useful": {response_id: bool}}."""
    if not voter_id:
        return {"similar": False, "useful": {}}
    rows = session.execute(select(votes.c.kind, votes.c.target_id, votes.c.useful).where(
        votes.c.voter_id == voter_id, votes.c.target_id.in_([experience_id, *response_ids]))).all()
    return {"similar": any(row.kind == SIMILAR for row in rows),
            "useful": {row.target_id: row.useful for row in rows if row.kind == USEFUL}}
