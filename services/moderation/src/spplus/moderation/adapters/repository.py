"""Loading and saving cases and proposals; every save is a conditional update on the version read."""
from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from ..domain.model import OPEN_STATES, AuditEntry, Case, ForbiddenTransition, Proposal
from .tables import audit_entries, cases, proposals

CASE_FIELDS = [field.name for field in dataclasses.fields(Case)]
PROPOSAL_FIELDS = [field.name for field in dataclasses.fields(Proposal)]
CONCURRENT = "Ce dossier vient d'être modifié par quelqu'un d'autre. Rechargez la page et réessayez."


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive datetimes back; every time we store is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def _case_from_row(row) -> Case:
    values = {name: row[name] for name in CASE_FIELDS}
    for name in ("submitted_at", "opened_at", "claim_expires_at", "decided_at", "published_at"):
        values[name] = aware(values[name])
    return Case(**values)


def _proposal_from_row(row) -> Proposal:
    values = {name: row[name] for name in PROPOSAL_FIELDS}
    for name in ("created_at", "deadline", "remind_at", "decided_at", "reminded_at"):
        values[name] = aware(values[name])
    return Proposal(**values)


class CaseRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, experience_id: str, lock: bool = False) -> Case | None:
        query = select(cases).where(cases.c.experience_id == str(experience_id))
        if lock:
            query = query.with_for_update()
        row = self.session.execute(query).mappings().first()
        return _case_from_row(row) if row else None

    def add(self, case: Case) -> bool:
        """Insert a new case; False when one already exists for this experience."""
        exists = self.session.execute(select(cases.c.experience_id).where(
            cases.c.experience_id == case.experience_id).with_for_update()).first()
        if exists:
            return False
        values = dataclasses.asdict(case)
        values["finding_count"] = len(case.findings)
        self.session.execute(insert(cases).values(**values))
        return True

    def save(self, case: Case) -> None:
        """Store the case if nobody changed it since it was read, else refuse (409)."""
        values = {name: getattr(case, name) for name in CASE_FIELDS if name not in ("experience_id", "version")}
        result = self.session.execute(
            update(cases).where(cases.c.experience_id == case.experience_id, cases.c.version == case.version)
            .values(**values, finding_count=len(case.findings), version=case.version + 1))
        if result.rowcount != 1:
            raise ForbiddenTransition(CONCURRENT)
        case.version += 1

    def record(self, case: Case, entry: AuditEntry) -> None:
        self.session.execute(insert(audit_entries).values(experience_id=case.experience_id,
                                                          **dataclasses.asdict(entry)))

    def audit(self, experience_id: str) -> list[dict]:
        return [dict(row) for row in self.session.execute(
            select(audit_entries).where(audit_entries.c.experience_id == str(experience_id))
            .order_by(audit_entries.c.id)).mappings()]

    # -- proposals ----------------------------------------------------------------------------
    def add_proposal(self, case: Case, proposal: Proposal) -> None:
        self.session.execute(insert(proposals).values(experience_id=case.experience_id,
                                                      **dataclasses.asdict(proposal)))

    def get_proposal(self, proposal_id: str, lock: bool = False) -> Proposal | None:
        query = select(proposals).where(proposals.c.id == proposal_id)
        if lock:
            query = query.with_for_update()
        row = self.session.execute(query).mappings().first()
        return _proposal_from_row(row) if row else None

    def proposal_case_id(self, proposal_id: str) -> str | None:
        return self.session.execute(select(proposals.c.experience_id).where(proposals.c.id == proposal_id)).scalar()

    def latest_proposal(self, experience_id: str) -> Proposal | None:
        row = self.session.execute(select(proposals).where(proposals.c.experience_id == str(experience_id))
                                   .order_by(proposals.c.created_at.desc()).limit(1)).mappings().first()
        return _proposal_from_row(row) if row else None

    def save_proposal(self, proposal: Proposal) -> None:
        self.session.execute(update(proposals).where(proposals.c.id == proposal.id).values(
            status=proposal.status, decided_at=proposal.decided_at, reminded_at=proposal.reminded_at))

    def claim_due_proposals(self, now: dt.datetime, limit: int) -> list[tuple[str, str]]:
        """(proposal id, experience id) of open proposals past their deadline, locked for this
        transaction; rows another worker holds are skipped, so each is processed once."""
        rows = self.session.execute(
            select(proposals.c.id, proposals.c.experience_id)
            .where(proposals.c.status == "open", proposals.c.deadline <= now)
            .order_by(proposals.c.deadline).limit(limit).with_for_update(skip_locked=True)).all()
        return [(row.id, row.experience_id) for row in rows]

    def claim_due_reminders(self, now: dt.datetime, limit: int) -> list[tuple[str, str]]:
        rows = self.session.execute(
            select(proposals.c.id, proposals.c.experience_id)
            .where(proposals.c.status == "open", proposals.c.reminded_at.is_(None),
                   proposals.c.remind_at.is_not(None), proposals.c.remind_at <= now, proposals.c.deadline > now)
            .order_by(proposals.c.remind_at).limit(limit).with_for_update(skip_locked=True)).all()
        return [(row.id, row.experience_id) for row in rows]

    def claim_failed_analyses(self, limit: int) -> list[str]:
        """Open cases whose automated checks failed, locked for this transaction (others skip them)."""
        return list(self.session.execute(
            select(cases.c.experience_id).where(cases.c.analysis_status == "failed", cases.c.state.in_(OPEN_STATES))
            .order_by(cases.c.submitted_at).limit(limit).with_for_update(skip_locked=True)).scalars())

    # -- lists --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return dict(self.session.execute(select(cases.c.state, func.count()).group_by(cases.c.state)).all())
