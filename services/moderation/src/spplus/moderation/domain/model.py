"""The moderation case and its state machine: plain classes, no I/O.

    pending ──claim──▶ in_review ──publish──▶ published ──withdraw──▶ withdrawn
                           │ ├──reject──▶ rejected
                           │ └──propose_edit──▶ awaiting_author ──accept / expire──▶ published
                           │                                    └──decline──▶ declined_by_author
                           └──release──▶ pending

A claim lasts ``CLAIM_DURATION``; once it has run out another moderator may take the case
over, and only the moderator holding the claim may decide. Every method that changes the case
returns the audit entry and the events to record, so the service layer stores them in the
same transaction.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from . import reasons as policy
from .edits import is_minor_change

CLAIM_DURATION = dt.timedelta(minutes=30)

PENDING, IN_REVIEW, AWAITING_AUTHOR = "pending", "in_review", "awaiting_author"
PUBLISHED, REJECTED, DECLINED, WITHDRAWN = "published", "rejected", "declined_by_author", "withdrawn"
STATES = (PENDING, IN_REVIEW, AWAITING_AUTHOR, PUBLISHED, REJECTED, DECLINED, WITHDRAWN)
STATE_LABELS = {
    PENDING: "Nouveau", IN_REVIEW: "En cours d'examen", AWAITING_AUTHOR: "En attente de l'auteur",
    PUBLISHED: "Publié", REJECTED: "Refusé", DECLINED: "Refusé par l'auteur", WITHDRAWN: "Retiré",
}
OPEN_STATES = (PENDING, IN_REVIEW)

AUTHOR = "auteur"
SYSTEM = "système"


class ModerationError(Exception):
    """A rule of moderation refuses the action; ``message`` is French, for the user."""

    status = 409

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ForbiddenTransition(ModerationError):
    status = 409


class InvalidDecision(ModerationError):
    status = 422


@dataclasses.dataclass(frozen=True)
class Actor:
    id: str
    name: str


@dataclasses.dataclass
class AuditEntry:
    action: str
    actor_id: str
    actor_name: str
    at: dt.datetime
    before_title: str | None = None
    before_description: str | None = None
    after_title: str | None = None
    after_description: str | None = None
    reason_code: str | None = None
    message: str | None = None


@dataclasses.dataclass
class Outcome:
    """What an action produced: the audit entry, and events as (type, data)."""

    audit: AuditEntry
    events: list[tuple[str, dict]] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Proposal:
    id: str
    original_title: str
    original_description: str
    edited_title: str
    edited_description: str
    message: str | None
    created_at: dt.datetime
    deadline: dt.datetime
    remind_at: dt.datetime | None
    status: str = "open"  # open | accepted | declined | expired
    decided_at: dt.datetime | None = None
    reminded_at: dt.datetime | None = None


@dataclasses.dataclass
class Case:
    experience_id: str
    title: str
    description: str
    original_title: str
    original_description: str
    path: list[dict]
    submitted_at: dt.datetime
    opened_at: dt.datetime
    state: str = PENDING
    feeling: str | None = None
    experienced_on: str | None = None
    pseudonym: str | None = None
    postal_code: str | None = None
    city: str | None = None
    findings: list[dict] = dataclasses.field(default_factory=list)
    analysis_status: str = "done"
    claimed_by: str | None = None
    claimed_by_name: str | None = None
    claim_expires_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    reason_code: str | None = None
    version: int = 1

    # -- reading ------------------------------------------------------------------------------
    @property
    def edited(self) -> bool:
        return (self.title, self.description) != (self.original_title, self.original_description)

    def claim_active(self, now: dt.datetime) -> bool:
        return self.state == IN_REVIEW and self.claim_expires_at is not None and self.claim_expires_at > now

    def claimed_by_other(self, actor: Actor, now: dt.datetime) -> bool:
        return self.claim_active(now) and self.claimed_by != actor.id

    # -- moderator actions --------------------------------------------------------------------
    def claim(self, actor: Actor, now: dt.datetime) -> Outcome:
        if self.state == IN_REVIEW and self.claimed_by_other(actor, now):
            raise ForbiddenTransition(f"Ce dossier est déjà pris en charge par {self.claimed_by_name}.")
        if self.state not in OPEN_STATES:
            label = STATE_LABELS[self.state].lower()
            raise ForbiddenTransition(f"Un dossier « {label} » ne peut pas être pris en charge.")
        self.state, self.claimed_by, self.claimed_by_name = IN_REVIEW, actor.id, actor.name
        self.claim_expires_at = now + CLAIM_DURATION
        return Outcome(AuditEntry("claim", actor.id, actor.name, now))

    def release(self, actor: Actor, now: dt.datetime) -> Outcome:
        self._require_claim(actor, "libérer")
        self._clear_claim()
        self.state = PENDING
        return Outcome(AuditEntry("release", actor.id, actor.name, now))

    def publish(self, actor: Actor, now: dt.datetime, title: str | None = None,
                description: str | None = None) -> Outcome:
        self._require_claim(actor, "publier")
        title, description = _clean(title, self.title), _clean(description, self.description)
        if not (is_minor_change(self.title, title, self.findings, "title")
                and is_minor_change(self.description, description, self.findings, "description")):
            raise InvalidDecision("Cette modification dépasse une correction mineure (orthographe, casse, "
                                  "ponctuation) : proposez-la à l'auteur.", field="description")
        entry = self._entry("publish", actor, now, after=(title, description))
        self.title, self.description = title, description
        self._publish(now)
        return Outcome(entry, [("experience.published", self.published_data())])

    def reject(self, actor: Actor, now: dt.datetime, reason_code: str, message: str | None = None) -> Outcome:
        self._require_claim(actor, "refuser")
        reason = policy.get(reason_code)
        if reason is None:
            raise InvalidDecision("Choisissez un motif de refus de la politique de modération.", field="reason")
        self.state, self.decided_at, self.reason_code = REJECTED, now, reason.code
        self._clear_claim()
        entry = self._entry("reject", actor, now, reason_code=reason.code, message=message)
        return Outcome(entry, [("experience.rejected", {
            "experience_id": self.experience_id, "reason_code": reason.code, "reason_label": reason.label,
            "message": message or None, "rejected_at": now})])

    def propose_edit(self, actor: Actor, now: dt.datetime, proposal_id: str, title: str, description: str,
                     message: str | None, window: dt.timedelta, remind_before: dt.timedelta) -> Proposal:
        self._require_claim(actor, "proposer une modification pour")
        title, description = _clean(title, self.title), _clean(description, self.description)
        if (title, description) == (self.title, self.description):
            raise InvalidDecision("Le texte proposé est identique au texte actuel.", field="description")
        deadline = now + window
        remind_at = deadline - remind_before if window > remind_before else None
        proposal = Proposal(proposal_id, self.title, self.description, title, description, message or None,
                            now, deadline, remind_at)
        self.state, self.decided_at = AWAITING_AUTHOR, now
        self._clear_claim()
        return proposal

    def proposal_outcome(self, actor: Actor, proposal: Proposal, approval_path: str) -> Outcome:
        entry = self._entry("propose_edit", actor, proposal.created_at,
                            after=(proposal.edited_title, proposal.edited_description), message=proposal.message)
        return Outcome(entry, [("experience.edit_proposed", {
            "experience_id": self.experience_id,
            "original_title": proposal.original_title, "original_description": proposal.original_description,
            "edited_title": proposal.edited_title, "edited_description": proposal.edited_description,
            "message": proposal.message, "deadline": proposal.deadline, "approval_path": approval_path})])

    def withdraw(self, actor: Actor, now: dt.datetime, reason: str) -> Outcome:
        if self.state != PUBLISHED:
            raise ForbiddenTransition("Seule une expérience publiée peut être retirée.")
        self.state = WITHDRAWN
        entry = self._entry("withdraw", actor, now, message=reason)
        return Outcome(entry, [("experience.withdrawn", {
            "experience_id": self.experience_id, "reason": reason, "withdrawn_at": now})])

    def reassign(self, actor: Actor, now: dt.datetime, from_code: str, to_code: str, to_name: str | None) -> Outcome:
        if self.state in (REJECTED, DECLINED, WITHDRAWN):
            raise ForbiddenTransition("Les structures d'un dossier clos ne peuvent plus être changées.")
        if self.claimed_by_other(actor, now):
            raise ForbiddenTransition(f"Ce dossier est pris en charge par {self.claimed_by_name}.")
        codes = [step["structure_code"] for step in self.path]
        if from_code not in codes:
            raise InvalidDecision("Cette structure ne fait pas partie du parcours.", field="from_structure_code")
        if to_code in codes:
            raise InvalidDecision("Cette structure fait déjà partie du parcours.", field="to_structure_code")
        self.path = [{**step, "structure_code": to_code, "structure_name": to_name}
                     if step["structure_code"] == from_code else step for step in self.path]
        entry = self._entry("reassign", actor, now, message=f"{from_code} → {to_code}")
        events = []
        if self.state == PUBLISHED:  # before publication, the published event carries the new path
            events.append(("experience.reassigned", {
                "experience_id": self.experience_id, "from_structure_code": from_code,
                "to_structure_code": to_code, "to_structure_name": to_name, "by": "moderation",
                "reassigned_at": now}))
        return Outcome(entry, events)

    # -- the author's answer and the deadline ---------------------------------------------------
    def accept(self, proposal: Proposal, now: dt.datetime) -> Outcome:
        self._require_open_proposal(proposal, now)
        proposal.status, proposal.decided_at = "accepted", now
        return self._publish_proposal(proposal, now, "edit_accepted", AUTHOR, "experience.edit_accepted")

    def decline(self, proposal: Proposal, now: dt.datetime) -> Outcome:
        self._require_open_proposal(proposal, now)
        proposal.status, proposal.decided_at = "declined", now
        self.state = DECLINED
        entry = AuditEntry("edit_declined", AUTHOR, AUTHOR, now)
        return Outcome(entry, [("experience.edit_declined", {"experience_id": self.experience_id, "decided_at": now})])

    def expire(self, proposal: Proposal, now: dt.datetime) -> Outcome:
        if proposal.status != "open" or self.state != AWAITING_AUTHOR:
            raise ForbiddenTransition("Cette proposition a déjà reçu une réponse.")
        if now < proposal.deadline:
            raise ForbiddenTransition("Le délai de réponse de l'auteur n'est pas encore écoulé.")
        proposal.status, proposal.decided_at = "expired", now
        return self._publish_proposal(proposal, now, "edit_expired", SYSTEM, "experience.edit_expired")

    def remind(self, proposal: Proposal, now: dt.datetime, approval_path: str) -> list[tuple[str, dict]]:
        proposal.reminded_at = now
        return [("experience.edit_reminder", {"experience_id": self.experience_id, "deadline": proposal.deadline,
                                              "approval_path": approval_path})]

    # -- helpers ------------------------------------------------------------------------------
    def _publish_proposal(self, proposal: Proposal, now: dt.datetime, action: str, actor: str,
                          event_type: str) -> Outcome:
        entry = self._entry(action, Actor(actor, actor), now,
                            after=(proposal.edited_title, proposal.edited_description))
        self.title, self.description = proposal.edited_title, proposal.edited_description
        self._publish(now)
        return Outcome(entry, [(event_type, {"experience_id": self.experience_id, "decided_at": now}),
                               ("experience.published", self.published_data())])

    def _require_open_proposal(self, proposal: Proposal, now: dt.datetime) -> None:
        if proposal.status != "open" or self.state != AWAITING_AUTHOR:
            raise ForbiddenTransition("Vous avez déjà répondu à cette proposition.")
        if now >= proposal.deadline:
            raise ForbiddenTransition("Le délai de réponse est dépassé : la version modifiée a été publiée.")

    def _require_claim(self, actor: Actor, verb: str) -> None:
        if self.state != IN_REVIEW:
            if self.state == PENDING:
                raise ForbiddenTransition(f"Prenez d'abord ce dossier en charge pour le {verb}.")
            raise ForbiddenTransition(
                f"Impossible de {verb} un dossier « {STATE_LABELS[self.state].lower()} ».")
        if self.claimed_by != actor.id:
            raise ForbiddenTransition(f"Ce dossier est pris en charge par {self.claimed_by_name} : "
                                      "vous ne pouvez pas décider à sa place.")

    def _clear_claim(self) -> None:
        self.claimed_by = self.claimed_by_name = self.claim_expires_at = None

    def _publish(self, now: dt.datetime) -> None:
        self.state, self.published_at = PUBLISHED, now
        self.decided_at = self.decided_at or now
        self._clear_claim()

    def _entry(self, action: str, actor: Actor, now: dt.datetime, after: tuple[str, str] | None = None,
               reason_code: str | None = None, message: str | None = None) -> AuditEntry:
        after_title, after_description = after or (None, None)
        return AuditEntry(action, actor.id, actor.name, now, self.title, self.description,
                          after_title, after_description, reason_code, message or None)

    def published_data(self) -> dict[str, Any]:
        return {
            "experience_id": self.experience_id, "title": self.title, "description": self.description,
            "feeling": self.feeling, "experienced_on": self.experienced_on, "path": self.path,
            "pseudonym": self.pseudonym, "submitted_at": self.submitted_at, "published_at": self.published_at,
            "edited": self.edited,
        }


def _clean(value: str | None, default: str) -> str:
    if value is None:
        return default
    value = value.strip()
    return value or default
