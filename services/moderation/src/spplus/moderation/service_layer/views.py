"""Read side: the queue, its counts and the statistics (no state change here)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections import Counter, defaultdict

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ..adapters.repository import aware
from ..adapters.tables import audit_entries, cases
from ..domain import reasons as policy
from ..domain.model import (AWAITING_AUTHOR, DECLINED, IN_REVIEW, OPEN_STATES, PENDING, PUBLISHED, REJECTED,
                            STATES, WITHDRAWN)

# Queue filters of the workspace: name → (label, condition)
FILTERS = {
    "a_traiter": ("À traiter", cases.c.state.in_(OPEN_STATES)),
    "nouveaux": ("Nouveaux", cases.c.state == PENDING),
    "signales": ("Signalés par les vérifications", and_(cases.c.state.in_(OPEN_STATES), cases.c.finding_count > 0)),
    "en_cours": ("En cours d'examen", cases.c.state == IN_REVIEW),
    "attente_auteur": ("En attente de l'auteur", cases.c.state == AWAITING_AUTHOR),
    "publies": ("Publiés", cases.c.state == PUBLISHED),
    "refuses": ("Refusés", cases.c.state.in_((REJECTED, DECLINED))),
    "retires": ("Retirés", cases.c.state == WITHDRAWN),
}
DECISIONS = ("publish", "reject", "propose_edit")


def list_cases(session: Session, filter_name: str = "a_traiter", state: str | None = None,
               flagged: bool | None = None, newest_first: bool = False, limit: int = 50,
               offset: int = 0) -> tuple[list[dict], int]:
    conditions = []
    if state is not None:
        conditions.append(cases.c.state == state)
    else:
        conditions.append(FILTERS.get(filter_name, FILTERS["a_traiter"])[1])
    if flagged is not None:
        conditions.append(cases.c.finding_count > 0 if flagged else cases.c.finding_count == 0)
    order = cases.c.submitted_at.desc() if newest_first else cases.c.submitted_at.asc()
    total = session.scalar(select(func.count()).select_from(cases).where(*conditions))
    rows = session.execute(select(cases).where(*conditions).order_by(order, cases.c.experience_id)
                           .limit(limit).offset(offset)).mappings().all()
    return [_summary(row) for row in rows], total


def _summary(row) -> dict:
    return {"experience_id": row["experience_id"], "state": row["state"], "title": row["title"],
            "submitted_at": aware(row["submitted_at"]), "finding_count": row["finding_count"],
            "pseudonym": row["pseudonym"], "postal_code": row["postal_code"],
            "structures": [step.get("structure_name") or step["structure_code"] for step in row["path"]],
            "claimed_by_name": row["claimed_by_name"], "claim_expires_at": aware(row["claim_expires_at"]),
            "analysis_status": row["analysis_status"]}


def filter_counts(session: Session) -> dict[str, int]:
    return {name: session.scalar(select(func.count()).select_from(cases).where(condition))
            for name, (_label, condition) in FILTERS.items()}


def state_counts(session: Session) -> dict[str, int]:
    found = dict(session.execute(select(cases.c.state, func.count()).group_by(cases.c.state)).all())
    return {state: found.get(state, 0) for state in STATES}


@dataclasses.dataclass
class WeekStats:
    week: str  # ISO week, e.g. "2026-W48"
    decisions: int = 0
    published: int = 0
    rejected: int = 0
    proposed: int = 0
    median_hours: float | None = None
    substantial_share: float | None = None


def statistics_by_week(session: Session, now: dt.datetime, weeks: int = 12) -> dict:
    """Queue size now, and per ISO week: decisions, median time to decision, substantial edits."""
    since = now - dt.timedelta(weeks=weeks)
    rows = session.execute(
        select(audit_entries.c.action, audit_entries.c.at, audit_entries.c.reason_code, cases.c.submitted_at)
        .join(cases, cases.c.experience_id == audit_entries.c.experience_id)
        .where(audit_entries.c.action.in_(DECISIONS), audit_entries.c.at >= since)
        .order_by(audit_entries.c.at)).all()
    per_week: dict[str, WeekStats] = {}
    delays: dict[str, list[float]] = defaultdict(list)
    reasons: Counter = Counter()
    for row in rows:
        at, submitted = aware(row.at), aware(row.submitted_at)
        year, week, _ = at.isocalendar()
        key = f"{year}-W{week:02d}"
        stats = per_week.setdefault(key, WeekStats(key))
        stats.decisions += 1
        stats.published += row.action == "publish"
        stats.rejected += row.action == "reject"
        stats.proposed += row.action == "propose_edit"
        delays[key].append((at - submitted).total_seconds() / 3600)
        if row.action == "reject" and row.reason_code:
            reasons[row.reason_code] += 1
    for key, stats in per_week.items():
        stats.median_hours = round(statistics.median(delays[key]), 1)
        stats.substantial_share = round(stats.proposed / stats.decisions, 3)
    all_delays = [value for values in delays.values() for value in values]
    counts = state_counts(session)
    return {
        "queue_size": counts[PENDING] + counts[IN_REVIEW],
        "awaiting_author": counts[AWAITING_AUTHOR],
        "decisions": len(rows),
        "median_hours": round(statistics.median(all_delays), 1) if all_delays else None,
        "substantial_share": round(sum(s.proposed for s in per_week.values()) / len(rows), 3) if rows else None,
        "by_reason": [{"code": code, "label": policy.get(code).label if policy.get(code) else code, "count": count}
                      for code, count in reasons.most_common()],
        "weeks": [dataclasses.asdict(per_week[key]) for key in sorted(per_week, reverse=True)],
    }




def case_detail(session: Session, experience_id: str) -> dict | None:
    """Everything the case page shows: the case, its latest proposal and its audit trail."""
    from ..adapters.repository import CaseRepository

    repo = CaseRepository(session)
    case = repo.get(experience_id)
    if case is None:
        return None
    detail = dataclasses.asdict(case)
    detail["edited"] = case.edited
    proposal = repo.latest_proposal(experience_id)
    detail["proposal"] = dataclasses.asdict(proposal) if proposal else None
    detail["audit"] = repo.audit(experience_id)
    for entry in detail["audit"]:
        entry["at"] = aware(entry["at"])
    return detail
