"""Keep addresses no longer than needed: old entries of the e-mail log lose recipient and content.

The row itself stays, so its (event id, template) key still stops a late redelivery from
sending the mail again.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..adapters.tables import mails
from ..domain.mails import Status
from .mail_log import now


def scrub_old_mails(session: Session, older_than: dt.timedelta) -> int:
    limit = now() - older_than
    result = session.execute(
        update(mails)
        .where(mails.c.status.in_((Status.SENT, Status.FAILED, Status.CANCELLED)),
               mails.c.updated_at < limit, mails.c.recipient.is_not(None))
        .values(recipient=None, text_body="", html_body="", context="{}"))
    return result.rowcount
