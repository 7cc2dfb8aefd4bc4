"""The events this service listens to, each bound to its use case."""
from __future__ import annotations

from spplus.chassis.consumer import Handler
from spplus.chassis.db import Database
from spplus.chassis.events import Event
from spplus.chassis.settings import Settings
from sqlalchemy.orm import Session

from ..config import NotificationConfig
from ..domain import mails as kinds
from ..service_layer import handlers as use_cases

USE_CASES = {
    "experience.submitted": use_cases.experience_submitted,
    "experience.published": use_cases.experience_published,
    "experience.rejected": use_cases.experience_rejected,
    "experience.edit_proposed": use_cases.experience_edit_proposed,
    "experience.edit_reminder": use_cases.experience_edit_reminder,
    "experience.edit_accepted": use_cases.edit_outcome(kinds.EDIT_ACCEPTED),
    "experience.edit_declined": use_cases.edit_outcome(kinds.EDIT_DECLINED),
    "experience.edit_expired": use_cases.edit_outcome(kinds.EDIT_EXPIRED),
    "experience.withdrawn": use_cases.experience_withdrawn,
    "experience.reassigned": use_cases.experience_reassigned,
    "response.published": use_cases.response_published,
    "agent.password_reset_requested": use_cases.password_reset_requested,
    "erasure.requested": use_cases.erasure_requested,
}


def handlers(settings: Settings, database: Database) -> dict[str, Handler]:
    config = NotificationConfig.from_settings(settings)

    def bind(use_case) -> Handler:
        def handle(session: Session, event: Event) -> None:
            use_case(session, event, config)

        handle.__name__ = use_case.__name__
        return handle

    return {event_type: bind(use_case) for event_type, use_case in USE_CASES.items()}
