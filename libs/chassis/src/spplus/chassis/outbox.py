"""Transactional outbox: events are rows written in the same transaction as the state change;
the relay publishes them afterwards with publisher confirms and marks them sent.

Nothing is ever published from inside a request. A relay that dies between publishing and
marking publishes the batch again: consumers' inboxes turn that into a no-op. On PostgreSQL
several relays share the table with ``FOR UPDATE SKIP LOCKED``.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import uuid

from marshmallow import RAISE
from prometheus_client import Counter, Gauge
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from . import amqp
from .db import Database
from .events import Event, InvalidEvent, contract_for, json_default, new_event
from .logs import current_correlation_id
from .messaging_tables import outbox
from .settings import Settings

log = logging.getLogger(__name__)

PUBLISHED = Counter("spplus_outbox_published_total", "Events published by the outbox relay", ["service"])
BACKLOG = Gauge("spplus_outbox_backlog", "Unsent events in the outbox", ["service"])
OLDEST_AGE = Gauge("spplus_outbox_oldest_unsent_seconds", "Age of the oldest unsent event", ["service"])


def record(session: Session, event_type: str, data: dict, producer: str, version: int = 1) -> Event:
    """Validate an event and store it in the outbox, inside the caller's transaction."""
    event, row = prepare(event_type, data, producer, version)
    session.execute(insert(outbox).values(**row))
    return event


def prepare(event_type: str, data: dict, producer: str, version: int = 1) -> tuple[Event, dict]:
    """A validated event and its outbox row, for a caller that writes the row in a statement of
    its own (e.g. one INSERT with the business rows, to save round trips on a hot path)."""
    event = new_event(event_type, data, producer=producer, version=version)
    return event, {"event_id": event.id, "type": event.type, "payload": event.to_json(),
                   "created_at": dt.datetime.now(dt.timezone.utc)}


def record_many(session: Session, event_type: str, datas: list[dict], producer: str, version: int = 1) -> int:
    """Many events of one type in one statement (imports, seeds): one contract check for the list."""
    if not datas:
        return 0
    datas = json.loads(json.dumps(datas, default=json_default))
    schema_cls = contract_for(event_type, version)
    if schema_cls is not None:
        errors = schema_cls(many=True, unknown=RAISE).validate(datas)
        if errors:
            raise InvalidEvent({"data": errors})
    now = dt.datetime.now(dt.timezone.utc)
    correlation_id = current_correlation_id()
    rows = []
    for data in datas:
        event = Event(id=str(uuid.uuid4()), type=event_type, version=version, occurred_at=now.isoformat(),
                      correlation_id=correlation_id, producer=producer, data=data)
        rows.append({"event_id": event.id, "type": event_type, "payload": event.to_json(), "created_at": now})
    session.execute(insert(outbox), rows)
    return len(rows)


def backlog(session: Session) -> tuple[int, float]:
    """(number of unsent events, age in seconds of the oldest one)."""
    count, oldest = session.execute(
        select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.sent_at.is_(None))
    ).one()
    if oldest is None:
        return count, 0.0
    if oldest.tzinfo is None:  # SQLite gives naive datetimes back
        oldest = oldest.replace(tzinfo=dt.timezone.utc)
    return count, (dt.datetime.now(dt.timezone.utc) - oldest).total_seconds()


class Relay:
    """Publishes unsent outbox rows, oldest first, in batches."""

    def __init__(self, settings: Settings, database: Database):
        self.settings = settings
        self.database = database
        self.connection = None
        self.publisher: amqp.PipelinedPublisher | None = None

    # -- connection -------------------------------------------------------------------------
    def _open(self) -> None:
        self.connection = amqp.connect(self.settings, "relay")
        amqp.declare_exchange(self.connection.channel(), self.settings)
        self.publisher = amqp.PipelinedPublisher(self.connection)

    def close(self) -> None:
        amqp.close_quietly(self.connection)
        self.connection = self.publisher = None

    # -- work -------------------------------------------------------------------------------
    def relay_once(self) -> int:
        """Publish one batch; return how many events went out."""
        if self.publisher is None:
            self._open()
        with self.database.unit_of_work() as session:
            rows = session.execute(
                select(outbox.c.position, outbox.c.event_id, outbox.c.type, outbox.c.payload)
                .where(outbox.c.sent_at.is_(None))
                .order_by(outbox.c.position)
                .limit(self.settings.relay_batch_size)
                .with_for_update(skip_locked=True)
            ).all()
            if rows:
                # Confirmed by the broker before the rows are marked: a crash in between
                # publishes them again, which consumers' inboxes turn into no-ops.
                self.publisher.publish_batch([self._message(row) for row in rows])
                self._mark_sent(session, [row.position for row in rows])
        if rows:
            PUBLISHED.labels(self.settings.service).inc(len(rows))
        return len(rows)

    def _message(self, row) -> tuple:
        envelope = json.loads(row.payload)
        properties = amqp.message_properties(row.event_id, envelope["correlation_id"], row.type,
                                             {"x-producer": envelope["producer"]})
        return self.settings.exchange, row.type, row.payload.encode("utf-8"), properties

    def _mark_sent(self, session: Session, positions: list[int]) -> None:
        session.execute(update(outbox).where(outbox.c.position.in_(positions))
                        .values(sent_at=dt.datetime.now(dt.timezone.utc)))

    def update_metrics(self) -> None:
        with self.database.unit_of_work() as session:
            count, age = backlog(session)
        BACKLOG.labels(self.settings.service).set(count)
        OLDEST_AGE.labels(self.settings.service).set(age)

    def run(self, stop: threading.Event) -> None:
        """Relay until ``stop`` is set; reconnect with capped backoff after broker or database errors."""
        backoff = amqp.Backoff()
        while not stop.is_set():
            try:
                sent = self.relay_once()
                backoff.reset()
                if sent < self.settings.relay_batch_size:
                    self.update_metrics()
                    # connection.sleep keeps heartbeats flowing while idle.
                    self.connection.sleep(self.settings.relay_poll_seconds)
            except Exception:  # noqa: BLE001 - the relay must outlive any single failure
                log.exception("outbox relay failed; retrying")
                self.close()
                backoff.wait(stop)
        self.close()


def purge_sent(session: Session, older_than: dt.timedelta = dt.timedelta(days=7)) -> int:
    """Delete rows sent long ago (a scheduled job of every worker)."""
    limit = dt.datetime.now(dt.timezone.utc) - older_than
    result = session.execute(delete(outbox).where(outbox.c.sent_at.is_not(None), outbox.c.sent_at < limit))
    return result.rowcount
