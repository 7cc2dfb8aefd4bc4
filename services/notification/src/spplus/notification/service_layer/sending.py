"""The sender job: delivers pending mails, retries transient failures, records permanent refusals.

Several sender replicas share the log safely: each claims a batch with ``FOR UPDATE SKIP
LOCKED`` and leases it (``next_attempt_at`` pushed forward by the lease), then commits; the
claim is released by the outcome of each mail, or by the lease running out if the sender dies.
No database transaction stays open while talking to the SMTP server.

A mail the server accepted but whose outcome could not be recorded (crash in between) is
sent again after the lease, with the same Message-ID: that is the narrowest window SMTP allows.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time

from prometheus_client import Counter, Gauge
from spplus.chassis.db import Database
from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..adapters.rendering import build_message
from ..adapters.smtp import make_transport
from ..adapters.tables import mails
from ..config import NotificationConfig
from ..domain.mails import DeliveryError, RenderedMail, Status, retry_delay
from .mail_log import now

log = logging.getLogger(__name__)

MAILS = Counter("spplus_mails_total", "Mail delivery attempts by outcome", ["service", "template", "outcome"])
BACKLOG = Gauge("spplus_mails_pending", "Mails waiting to be sent", ["service"])


@dataclasses.dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.failed


def claim(database: Database, config: NotificationConfig, moment: dt.datetime | None = None) -> list:
    """Take a batch of due mails for this sender, oldest due first."""
    moment = moment or now()
    with database.unit_of_work() as session:
        rows = session.execute(
            select(mails.c.id, mails.c.template, mails.c.recipient, mails.c.subject, mails.c.text_body,
                   mails.c.html_body, mails.c.message_id, mails.c.attempts)
            .where(mails.c.status == Status.PENDING, mails.c.next_attempt_at <= moment)
            .order_by(mails.c.next_attempt_at)
            .limit(config.batch_size)
            .with_for_update(skip_locked=True)
        ).all()
        if rows:
            session.execute(update(mails).where(mails.c.id.in_([row.id for row in rows])).values(
                next_attempt_at=moment + dt.timedelta(seconds=config.lease_seconds)))
    return rows


def send_due(config: NotificationConfig, database: Database, transport=None) -> SendReport:
    """Deliver due mails until none is left or the run's time is up.

    Sending is bound by the SMTP server's round trips, not by our CPU, so several lanes (each
    its own SMTP connection, claiming its own batches) work side by side. SQLite has no
    ``SKIP LOCKED``: one lane there (it is the local run's database).
    """
    lanes = 1 if transport is not None or database.is_sqlite else max(1, config.connections)
    reports = [SendReport() for _ in range(lanes)]
    try:
        if lanes == 1:
            _run_lane(config, database, transport, reports[0])
        else:
            threads = [threading.Thread(target=_run_lane, args=(config, database, None, report), name="send-lane")
                       for report in reports]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        _update_backlog(config, database)
    return SendReport(sent=sum(r.sent for r in reports), retried=sum(r.retried for r in reports),
                      failed=sum(r.failed for r in reports))


def _run_lane(config: NotificationConfig, database: Database, transport, report: SendReport) -> None:
    transport = transport or make_transport(config.smtp_url, config.mail_dir)
    started = time.monotonic()
    try:
        # Each outcome is one autocommitted UPDATE: recorded at once, in one round trip.
        with database.engine.connect() as connection:
            recorder = connection.execution_options(isolation_level="AUTOCOMMIT")
            while time.monotonic() - started < config.run_seconds:
                rows = claim(database, config)
                if not rows:
                    break
                if not _deliver_batch(config, recorder, transport, rows, report):
                    break  # the server is unreachable: no use trying the next batch now
    except Exception:  # noqa: BLE001 - leased mails come back after the lease; the next run goes on
        log.exception("mail sender lane failed")
    finally:
        transport.close()


def _deliver_batch(config, recorder, transport, rows, report: SendReport) -> bool:
    for position, row in enumerate(rows):
        try:
            message = _message(config, row)
            transport.send(message, row.id)
        except DeliveryError as error:
            retry_at = _record_failure(config, recorder, row, error, report)
            if not error.permanent and error.code is None:
                # Connection-level failure: the rest of the batch waits as long, untouched.
                _release(recorder, [later.id for later in rows[position + 1:]], retry_at)
                return False
            continue
        _record(recorder, row.id, status=Status.SENT, attempts=row.attempts + 1, sent_at=now(), last_error=None)
        report.sent += 1
        MAILS.labels(config.service, row.template, "sent").inc()
        log.info("mail sent", extra={"mail_id": row.id, "template": row.template})
    return True


def _message(config: NotificationConfig, row):
    try:
        return build_message(sender=config.from_header, reply_to=config.reply_to, recipient=row.recipient,
                             message_id=row.message_id, mail=RenderedMail(row.subject, row.text_body, row.html_body))
    except (ValueError, TypeError) as error:  # e.g. an address the e-mail library cannot put in a header
        raise DeliveryError(f"message impossible à construire : {type(error).__name__}", permanent=True) from error


def _record_failure(config, recorder, row, error: DeliveryError, report: SendReport) -> dt.datetime | None:
    attempts = row.attempts + 1
    if error.permanent:
        _record(recorder, row.id, status=Status.FAILED, attempts=attempts, last_error=str(error))
        report.failed += 1
        MAILS.labels(config.service, row.template, "failed").inc()
        log.error("mail refused for good", extra={"mail_id": row.id, "template": row.template, "error": str(error)})
        return None
    retry_at = now() + retry_delay(attempts, config.retry_base_seconds, config.retry_max_seconds)
    _record(recorder, row.id, attempts=attempts, next_attempt_at=retry_at, last_error=str(error))
    report.retried += 1
    MAILS.labels(config.service, row.template, "retried").inc()
    log.warning("mail delivery failed, will retry", extra={
        "mail_id": row.id, "template": row.template, "attempts": attempts, "error": str(error),
        "retry_at": retry_at.isoformat()})
    return retry_at


def _record(recorder: Connection, mail_id: str, **values) -> None:
    # Only a mail still pending: an erasure may have cancelled it meanwhile.
    recorder.execute(update(mails).where(mails.c.id == mail_id, mails.c.status == Status.PENDING)
                     .values(updated_at=now(), **values))


def _release(recorder: Connection, mail_ids: list[str], retry_at: dt.datetime | None) -> None:
    if mail_ids:
        recorder.execute(update(mails).where(mails.c.id.in_(mail_ids), mails.c.status == Status.PENDING)
                         .values(next_attempt_at=retry_at or now()))


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(mails).where(mails.c.status == Status.PENDING))


def _update_backlog(config: NotificationConfig, database: Database) -> None:
    try:
        with database.unit_of_work() as session:
            BACKLOG.labels(config.service).set(pending_count(session))
    except Exception:
        log.warning("could not measure the mail backlog", exc_info=True)
