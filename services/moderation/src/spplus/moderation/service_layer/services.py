"""Use cases of moderation: each one loads the case under a row lock, lets the domain decide,
then stores the case, its audit entry and its events in one transaction."""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from typing import Callable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from spplus.chassis import outbox, referential
from spplus.chassis.db import Database

from ..adapters import findings as analysis
from ..adapters.repository import CaseRepository
from ..adapters.tables import erasures, structures
from ..domain.model import (PENDING, SYSTEM, Actor, AuditEntry, Case, ForbiddenTransition, InvalidDecision,
                            ModerationError, Outcome, Proposal)
from .tokens import ProposalTokens

log = logging.getLogger(__name__)
PRODUCER = "moderation"


class NotFound(ModerationError):
    status = 404


class LinkExpired(ModerationError):
    status = 410


INVALID_LINK = "Ce lien n'est pas valide. Vérifiez qu'il est complet ou utilisez le lien reçu par courriel."


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclasses.dataclass
class Config:
    approval_window: dt.timedelta = dt.timedelta(seconds=259200)
    remind_before: dt.timedelta = dt.timedelta(hours=24)
    batch_size: int = 50


def _store(session: Session, repo: CaseRepository, case: Case, outcome: Outcome) -> None:
    repo.save(case)
    repo.record(case, outcome.audit)
    for event_type, data in outcome.events:
        outbox.record(session, event_type, data, producer=PRODUCER)


class Moderation:
    def __init__(self, database: Database, tokens: ProposalTokens, config: Config | None = None,
                 clock: Callable[[], dt.datetime] = utcnow):
        self.database = database
        self.tokens = tokens
        self.config = config or Config()
        self.clock = clock

    # -- opening ------------------------------------------------------------------------------
    def open_case(self, session: Session, data: dict) -> bool:
        """Open the case of a submitted experience; a second delivery changes nothing."""
        repo = CaseRepository(session)
        experience_id = str(data["experience_id"])
        if repo.get(experience_id) is not None:
            return False
        now = self.clock()
        if session.execute(select(erasures.c.experience_id).where(erasures.c.experience_id == experience_id)).first():
            data = {**data, "postal_code": None, "city": None}
        found, status = analysis.findings_for(session, experience_id, data["title"], data["description"],
                                              data.get("experienced_on"), now)
        case = Case(
            experience_id=experience_id, title=data["title"], description=data["description"],
            original_title=data["title"], original_description=data["description"],
            path=[{"structure_code": step["structure_code"], "structure_name": step.get("structure_name"),
                   "channels": step.get("channels", [])} for step in data["path"]],
            submitted_at=dt.datetime.fromisoformat(data["submitted_at"]), opened_at=now, state=PENDING,
            feeling=data.get("feeling"), experienced_on=data.get("experienced_on"),
            pseudonym=data.get("pseudonym"), postal_code=data.get("postal_code"), city=data.get("city"),
            findings=found, analysis_status=status)
        if not repo.add(case):
            return False
        repo.record(case, AuditEntry("open", SYSTEM, SYSTEM, now, after_title=case.title,
                                     after_description=case.description))
        # The author's tracking page moves from "received" to "in moderation".
        outbox.record(session, "experience.moderation_started", {"experience_id": experience_id, "opened_at": now},
                      producer=PRODUCER)
        return True

    def erase_contact(self, session: Session, experience_id: str | None, requested_at: str) -> None:
        """GDPR erasure: the postal code and city are the author's contact data. The erasure is
        remembered, so a case whose ``experience.submitted`` arrives later opens without them."""
        if not experience_id:
            return
        experience_id = str(experience_id)
        if not session.execute(select(erasures.c.experience_id).where(
                erasures.c.experience_id == experience_id)).first():
            session.execute(insert(erasures).values(experience_id=experience_id,
                                                    requested_at=dt.datetime.fromisoformat(requested_at)))
        repo = CaseRepository(session)
        case = repo.get(experience_id, lock=True)
        if case is not None and (case.postal_code or case.city):
            case.postal_code = case.city = None
            repo.save(case)

    # -- moderator actions --------------------------------------------------------------------
    def _act(self, experience_id: str, action: Callable[[Case, dt.datetime], Outcome]) -> Case:
        with self.database.unit_of_work() as session:
            repo = CaseRepository(session)
            case = repo.get(experience_id, lock=True)
            if case is None:
                raise NotFound("Ce dossier n'existe pas.")
            _store(session, repo, case, action(case, self.clock()))
            return case

    def claim(self, experience_id: str, actor: Actor) -> Case:
        return self._act(experience_id, lambda case, now: case.claim(actor, now))

    def release(self, experience_id: str, actor: Actor) -> Case:
        return self._act(experience_id, lambda case, now: case.release(actor, now))

    def publish(self, experience_id: str, actor: Actor, title: str | None = None,
                description: str | None = None) -> Case:
        return self._act(experience_id, lambda case, now: case.publish(actor, now, title, description))

    def reject(self, experience_id: str, actor: Actor, reason: str, message: str | None = None) -> Case:
        return self._act(experience_id, lambda case, now: case.reject(actor, now, reason, message))

    def withdraw(self, experience_id: str, actor: Actor, reason: str) -> Case:
        return self._act(experience_id, lambda case, now: case.withdraw(actor, now, reason))

    def reassign(self, experience_id: str, actor: Actor, from_code: str, to_code: str) -> Case:
        with self.database.unit_of_work() as session:
            target = referential.get(session, structures, to_code)
        if target is None or not target["active"]:
            raise InvalidDecision("Cette structure n'existe pas dans le référentiel.", field="to_structure_code")
        return self._act(experience_id, lambda case, now: case.reassign(actor, now, from_code, to_code, target["name"]))

    def propose_edit(self, experience_id: str, actor: Actor, title: str, description: str,
                     message: str | None = None) -> tuple[Case, Proposal]:
        with self.database.unit_of_work() as session:
            repo = CaseRepository(session)
            case = repo.get(experience_id, lock=True)
            if case is None:
                raise NotFound("Ce dossier n'existe pas.")
            proposal = case.propose_edit(actor, self.clock(), str(uuid.uuid4()), title, description, message,
                                         self.config.approval_window, self.config.remind_before)
            outcome = case.proposal_outcome(actor, proposal, self.tokens.path(proposal.id))
            repo.add_proposal(case, proposal)
            _store(session, repo, case, outcome)
            return case, proposal

    # -- the author's answer ------------------------------------------------------------------
    def proposal(self, token: str) -> tuple[Case, Proposal]:
        proposal_id = self.tokens.read(token)
        with self.database.unit_of_work() as session:
            repo = CaseRepository(session)
            proposal = repo.get_proposal(proposal_id) if proposal_id else None
            if proposal is None:
                raise NotFound(INVALID_LINK)
            return repo.get(repo.proposal_case_id(proposal.id)), proposal

    def answer(self, token: str, decision: str) -> tuple[Case, Proposal]:
        """Accept or decline; after the deadline the expiry is applied here (once) and refused."""
        proposal_id = self.tokens.read(token)
        expired = False
        with self.database.unit_of_work() as session:
            repo = CaseRepository(session)
            # Lock order everywhere: the proposal, then its case.
            proposal = repo.get_proposal(proposal_id, lock=True) if proposal_id else None
            if proposal is None:
                raise NotFound(INVALID_LINK)
            case = repo.get(repo.proposal_case_id(proposal.id), lock=True)
            now = self.clock()
            if proposal.status == "open" and now >= proposal.deadline:
                self._expire(session, repo, case, proposal, now)
                expired = True
            elif proposal.status == "expired":
                expired = True
            else:
                outcome = case.accept(proposal, now) if decision == "accept" else case.decline(proposal, now)
                repo.save_proposal(proposal)
                _store(session, repo, case, outcome)
        if expired:
            raise LinkExpired("Le délai de réponse est dépassé : la version modifiée a été publiée "
                              "automatiquement, comme annoncé.")
        return case, proposal

    # -- scheduled work -----------------------------------------------------------------------
    def _expire(self, session: Session, repo: CaseRepository, case: Case, proposal: Proposal,
                now: dt.datetime) -> None:
        outcome = case.expire(proposal, now)
        repo.save_proposal(proposal)
        _store(session, repo, case, outcome)

    def process_deadlines(self, now: dt.datetime | None = None) -> int:
        """Publish the edited version of every unanswered proposal past its deadline, exactly once,
        however many workers run this at the same time and however late."""
        total = 0
        while True:
            with self.database.unit_of_work() as session:
                repo = CaseRepository(session)
                due = repo.claim_due_proposals(now or self.clock(), self.config.batch_size)
                for proposal_id, experience_id in due:
                    proposal = repo.get_proposal(proposal_id)
                    case = repo.get(experience_id, lock=True)
                    try:
                        self._expire(session, repo, case, proposal, now or self.clock())
                    except ForbiddenTransition:
                        log.error("proposal %s is open but its case is %s; voided", proposal_id, case.state)
                        proposal.status = "void"
                        repo.save_proposal(proposal)
            total += len(due)
            if len(due) < self.config.batch_size:
                return total

    def retry_failed_analyses(self) -> int:
        """Run the automated checks again on open cases where they had failed."""
        with self.database.unit_of_work() as session:
            repo = CaseRepository(session)
            done = 0
            for experience_id in repo.claim_failed_analyses(self.config.batch_size):
                case = repo.get(experience_id, lock=True)
                found, status = analysis.findings_for(session, experience_id, case.original_title,
                                                      case.original_description, case.experienced_on, self.clock())
                if status == "done":
                    case.findings, case.analysis_status = found, status
                    repo.save(case)
                    done += 1
            return done

    def send_reminders(self, now: dt.datetime | None = None) -> int:
        """The reminder event, once per proposal, a day before its deadline."""
        total = 0
        while True:
            with self.database.unit_of_work() as session:
                repo = CaseRepository(session)
                due = repo.claim_due_reminders(now or self.clock(), self.config.batch_size)
                for proposal_id, experience_id in due:
                    proposal = repo.get_proposal(proposal_id)
                    case = repo.get(experience_id)
                    for event_type, data in case.remind(proposal, now or self.clock(), self.tokens.path(proposal.id)):
                        outbox.record(session, event_type, data, producer=PRODUCER)
                    repo.save_proposal(proposal)
            total += len(due)
            if len(due) < self.config.batch_size:
                return total
