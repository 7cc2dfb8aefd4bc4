"""The rules of the e-mail log: what a mail is, its states, when to try again, what may be logged.

A mail is keyed by (event id, template): one event gives at most one mail of each kind,
however many times the event is delivered.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

# Templates, one per kind of mail (files ``templates/mail/<name>.txt`` and ``.html``).
RECEIVED = "received"
PUBLISHED = "published"
REJECTED = "rejected"
EDIT_PROPOSED = "edit_proposed"
EDIT_REMINDER = "edit_reminder"
EDIT_ACCEPTED = "edit_accepted"
EDIT_DECLINED = "edit_declined"
EDIT_EXPIRED = "edit_expired"
WITHDRAWN = "withdrawn"
REASSIGNED = "reassigned"
RESPONSE_PUBLISHED = "response_published"
PASSWORD_RESET = "password_reset"

# Outcomes of a proposal that already tell the author their story is online: the
# ``experience.published`` that moderation emits alongside them sends nothing more.
PUBLICATION_OUTCOMES = (EDIT_ACCEPTED, EDIT_EXPIRED)


class Status:
    # Written before the author's address is known (events can overtake ``experience.submitted``).
    AWAITING_CONTACT = "awaiting_contact"
    PENDING = "pending"
    SENT = "sent"
    # Refused for good by the SMTP server (5xx on the recipient or the content).
    FAILED = "failed"
    # The author asked for erasure before the mail went out.
    CANCELLED = "cancelled"


@dataclasses.dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


class DeliveryError(Exception):
    """A mail could not be handed to the SMTP server. ``permanent`` ones are never retried."""

    def __init__(self, message: str, permanent: bool = False, code: int | None = None):
        super().__init__(redact(message))
        self.permanent = permanent
        self.code = code

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.code} {text}" if self.code else text


def retry_delay(attempts: int, base_seconds: float, max_seconds: float) -> dt.timedelta:
    """Growing delay before the next try after ``attempts`` failed ones: base, 2×base, 4×base… capped.

    There is no last attempt: a transient failure (server down, 4xx) is retried until the
    server takes the mail, however long that is.
    """
    exponent = max(0, min(attempts - 1, 30))
    return dt.timedelta(seconds=min(max_seconds, base_seconds * (2 ** exponent)))


_EMAIL = re.compile(r"<?[^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+>?")


def redact(text: str) -> str:
    """Remove every e-mail address from a text meant for a log or an error column."""
    return _EMAIL.sub("<adresse masquée>", text)


def mask(address: str | None) -> str:
    """``jeanne.martin@example.fr`` → ``j…@example.fr``: enough for an operator to recognise a
    domain problem, not enough to identify the person."""
    if not address or "@" not in address:
        return "(effacée)"
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}…@{domain}"
