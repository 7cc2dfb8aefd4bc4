"""Use cases of a story: submit it, show where it stands, erase its author's contact data."""
from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Mapping
from zoneinfo import ZoneInfo

from spplus.chassis import outbox
from spplus.chassis.db import Database

from ..adapters import repository
from ..config import DUPLICATE_WINDOW_HOURS, Config
from ..domain import rules
from ..domain.keys import digest
from ..domain.tracking import SUBMITTED, Tracking

PARIS = ZoneInfo("Europe/Paris")
PRODUCER = "submission"


class RateLimited(Exception):
    """Too many stories from the same address in the current window."""


@dataclasses.dataclass(frozen=True)
class Receipt:
    experience_id: str
    tracking_path: str
    created: bool


def tracking_path(config: Config, experience_id: str) -> str:
    return f"/suivi/{config.keys.tracking_token(experience_id)}"


def submit(database: Database, config: Config, draft: Mapping, ip: str, now: dt.datetime | None = None,
           draft_id: str | None = None) -> Receipt:
    """Check and store a story with its event; the same e-mail and description within 24 hours
    give back the first story. Raises ``rules.InvalidSubmission`` or ``RateLimited``."""
    now = now or dt.datetime.now(dt.timezone.utc)
    with database.unit_of_work() as session:
        structures = repository.load_structures(session, rules.structure_codes(draft))
        submission, errors = rules.check(draft, structures, today=now.astimezone(PARIS).date())
        if errors:
            raise rules.InvalidSubmission(errors)
        experience_id = str(uuid.uuid4())
        fingerprint = config.keys.fingerprint(submission.email, submission.description)
        ip_hash = config.keys.ip_hash(ip)
        window = int(now.timestamp()) // config.rate_window_seconds if config.rate_limit > 0 else None
        first, submissions = repository.claim_and_count(
            session, fingerprint, experience_id, now, fresh_after=now - dt.timedelta(hours=DUPLICATE_WINDOW_HOURS),
            ip_hash=ip_hash, window_start=window)
        if first is not None:
            if draft_id:
                repository.mark_draft_sent(session, draft_id, first, now)
            return Receipt(first, tracking_path(config, first), created=False)
        if window is not None and submissions > config.rate_limit:
            raise RateLimited()  # rolls the whole transaction back, counter included
        path = tracking_path(config, experience_id)
        _event, outbox_row = outbox.prepare("experience.submitted", {
            "experience_id": experience_id, "title": submission.title, "description": submission.description,
            "feeling": submission.feeling, "experienced_on": submission.experienced_on,
            "path": submission.path_data(), "pseudonym": submission.pseudonym,
            "postal_code": submission.postal_code, "city": submission.city, "email": submission.email,
            "tracking_path": path, "submitted_at": now,
        }, producer=PRODUCER)
        repository.add_experience(session, {
            "id": experience_id, "tracking_digest": digest(path.rsplit("/", 1)[1]),
            "title": submission.title, "description": submission.description, "feeling": submission.feeling,
            "experienced_on": submission.experienced_on, "path": submission.path_data(),
            "pseudonym": submission.pseudonym, "submitted_at": now,
            "status": SUBMITTED, "status_at": now, "status_details": {},
        }, {"email": submission.email, "postal_code": submission.postal_code, "city": submission.city},
            ip_hash, now, outbox_row)
        if draft_id:
            repository.mark_draft_sent(session, draft_id, experience_id, now)
    return Receipt(experience_id, path, created=True)


@dataclasses.dataclass(frozen=True)
class TrackingView:
    experience: dict
    tracking: Tracking
    contact_erased: bool


def track(database: Database, token: str) -> TrackingView | None:
    with database.unit_of_work() as session:
        row = repository.find_by_tracking_digest(session, digest(token))
        if row is None:
            return None
        contact = repository.get_contact(session, row["id"])
    tracking = Tracking(row["status"], repository.aware(row["status_at"]), dict(row["status_details"] or {}))
    return TrackingView(dict(row), tracking, contact is None or contact.email is None)


def apply_moderation_event(session, event) -> None:
    """Handler of moderation's decisions: move the tracking page, ignoring stale or unknown events."""
    row = repository.get_experience(session, event.data["experience_id"], for_update=True)
    if row is None:
        return
    tracking = Tracking(row["status"], repository.aware(row["status_at"]), dict(row["status_details"] or {}))
    occurred_at = dt.datetime.fromisoformat(event.occurred_at)
    if tracking.apply(event.type, repository.aware(occurred_at), event.data):
        repository.save_status(session, row["id"], tracking.status, tracking.status_at, tracking.details)


def request_erasure(database: Database, token: str, now: dt.datetime | None = None) -> bool | None:
    """Erase the author's contact data and tell every other service. None: unknown token;
    False: nothing left to erase (already done)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    with database.unit_of_work() as session:
        row = repository.find_by_tracking_digest(session, digest(token))
        if row is None:
            return None
        contact = repository.get_contact(session, row["id"])
        if contact is None or contact.email is None:
            return False
        repository.erase_contacts(session, contact.email, now)
        outbox.record(session, "erasure.requested", {"email": contact.email, "experience_id": row["id"],
                                                     "requested_at": now}, producer=PRODUCER)
    return True


def validate(database: Database, draft: Mapping, now: dt.datetime | None = None) -> dict:
    """The errors a draft would get if sent now (the form checks each step with it)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    with database.unit_of_work() as session:
        structures = repository.load_structures(session, rules.structure_codes(draft))
    return rules.check(draft, structures, today=now.astimezone(PARIS).date())[1]
