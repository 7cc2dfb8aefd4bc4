"""Event consumer: idempotent handlers, acks after commit, retries with growing delays, then the DLQ.

A handler is ``handler(session, event)``; it runs inside a transaction that also records
``(consumer, event id)`` in the inbox, so a redelivered event is acknowledged and does nothing.
The message is acknowledged only after that transaction commits.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import traceback
from typing import Callable

from prometheus_client import Counter
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from . import amqp
from .db import Database
from .events import Event, InvalidEvent, parse_event
from .logs import correlation
from .messaging_tables import inbox
from .settings import Settings

log = logging.getLogger(__name__)

Handler = Callable[[Session, Event], None]

HANDLED = Counter("spplus_events_handled_total", "Events handled", ["service", "type", "outcome"])

RETRY_HEADER = "x-spplus-retries"


class Consumer:
    def __init__(self, settings: Settings, database: Database, handlers: dict[str, Handler],
                 name: str | None = None):
        self.settings = settings
        self.database = database
        self.handlers = handlers
        self.name = name or settings.service
        self.connection = None
        self.channel = None

    # -- connection -------------------------------------------------------------------------
    def open(self) -> None:
        self.connection = amqp.connect(self.settings, "consumer")
        self.channel = self.connection.channel()
        self.channel.confirm_delivery()
        amqp.declare_consumer_topology(self.channel, self.settings, sorted(self.handlers))
        self.channel.basic_qos(prefetch_count=self.settings.prefetch)

    def close(self) -> None:
        amqp.close_quietly(self.connection)
        self.connection = self.channel = None

    # -- deliveries -------------------------------------------------------------------------
    def handle_message(self, method, properties, body: bytes) -> str:
        """Handle one delivery and settle it (ack, retry or dead-letter). Returns the outcome."""
        return self.handle_batch([(method, properties, body)])[0]

    def handle_batch(self, deliveries: list) -> list[str]:
        """Handle deliveries in one database transaction, then settle them.

        One commit for many events is what keeps the consumer close to the broker's speed.
        If anything in the batch fails, the transaction is rolled back and each event is
        handled again in a transaction of its own, so one failing handler costs the others
        nothing; the failing one goes to the retry path.
        """
        outcomes: list[str | None] = [None] * len(deliveries)
        failures: list[tuple[int, Event, Exception]] = []
        work: list[tuple[int, Event, Handler]] = []
        rejected: set[int] = set()
        for index, (method, _properties, body) in enumerate(deliveries):
            try:
                event = parse_event(body)
            except InvalidEvent as error:
                log.error("invalid event dead-lettered: %s", error.errors)
                self.channel.basic_reject(method.delivery_tag, requeue=False)
                outcomes[index] = "dead-lettered"
                rejected.add(index)
                HANDLED.labels(self.settings.service, "invalid", "dead-lettered").inc()
                continue
            handler = self.handlers.get(event.type)
            if handler is None:
                outcomes[index] = "ignored"
            else:
                work.append((index, event, handler))
        if work:
            try:
                self._apply_together(work, outcomes)
            except Exception:  # noqa: BLE001 - fall back to one transaction per event
                for item in work:
                    try:
                        self._apply_together([item], outcomes)
                    except Exception as error:  # noqa: BLE001 - retried, then dead-lettered
                        index, event, _handler = item
                        log.warning("handler for %s failed: %s", event.type, error, exc_info=True)
                        failures.append((index, event, error))
        for index, event, error in failures:
            _method, properties, body = deliveries[index]
            with correlation(event.correlation_id):
                outcomes[index] = self._retry_or_dead_letter(event, properties, body, error)
        settled = [method.delivery_tag for index, (method, _p, _b) in enumerate(deliveries) if index not in rejected]
        if settled and len(settled) == len(deliveries):
            # One frame for the batch: every earlier delivery of this channel is already settled.
            self.channel.basic_ack(max(settled), multiple=True)
        else:
            for tag in settled:
                self.channel.basic_ack(tag)
        for index, event, _handler in work:
            HANDLED.labels(self.settings.service, event.type, outcomes[index]).inc()
        return outcomes

    def _apply_together(self, work, outcomes) -> None:
        """Record the events in the inbox and run the handlers of the new ones, in one transaction.

        One INSERT … ON CONFLICT DO NOTHING RETURNING for the whole batch tells which events
        are new; a redelivery (even one racing on another consumer: PostgreSQL waits for the
        twin's transaction, then skips) comes back as a duplicate and runs nothing.
        """
        results = {}
        with self.database.unit_of_work() as session:
            new_ids = self._record_in_inbox(session, {event.id for _index, event, _handler in work})
            for index, event, handler in work:
                if event.id not in new_ids:
                    results[index] = "duplicate"
                    continue
                new_ids.discard(event.id)  # the same event twice in one batch runs once
                with correlation(event.correlation_id):
                    handler(session, event)
                results[index] = "handled"
        for index, outcome in results.items():  # only once the transaction has committed
            outcomes[index] = outcome

    def _record_in_inbox(self, session: Session, event_ids: set[str]) -> set[str]:
        dialect_insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
        now = dt.datetime.now(dt.timezone.utc)
        statement = (dialect_insert(inbox)
                     .values([{"consumer": self.name, "event_id": event_id, "processed_at": now}
                              for event_id in sorted(event_ids)])
                     .on_conflict_do_nothing(index_elements=["consumer", "event_id"])
                     .returning(inbox.c.event_id))
        return set(session.execute(statement).scalars())

    def _retry_or_dead_letter(self, event: Event, properties, body: bytes, error: Exception) -> str:
        headers = dict(properties.headers or {})
        attempt = int(headers.get(RETRY_HEADER, 0))
        delays = self.settings.retry_delays_ms
        if attempt < len(delays):
            headers[RETRY_HEADER] = attempt + 1
            target, outcome = self.settings.retry_queue(delays[attempt]), "retried"
        else:
            headers["x-spplus-error"] = "".join(traceback.format_exception_only(error)).strip()[:1000]
            headers["x-spplus-failed-at"] = dt.datetime.now(dt.timezone.utc).isoformat()
            target, outcome = self.settings.dead_letter_queue, "dead-lettered"
            log.error("event %s (%s) dead-lettered after %d retries", event.id, event.type, attempt)
        # Published with confirms before the original is acked: at worst a duplicate, never a loss.
        self.channel.basic_publish("", target, body, amqp.message_properties(
            event.id, event.correlation_id, event.type, headers), mandatory=True)
        return outcome

    # -- loop -------------------------------------------------------------------------------
    def _gather(self, batch: list, messages) -> list:
        """Add to ``batch`` what arrives within the batch window (a few milliseconds): one
        commit for many events is what keeps the consumer at the broker's pace."""
        deadline = time.monotonic() + self.settings.batch_window_ms / 1000
        while len(batch) < self.settings.prefetch:
            if self.channel.get_waiting_message_count():
                batch.append(next(messages))
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self.connection.process_data_events(time_limit=remaining)
        return batch

    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set; finish the message in hand, then leave."""
        backoff = amqp.Backoff()
        while not stop.is_set():
            try:
                self.open()
                backoff.reset()
                messages = self.channel.consume(self.settings.queue, inactivity_timeout=0.5)
                for method, properties, body in messages:
                    if method is not None:
                        self.handle_batch(self._gather([(method, properties, body)], messages))
                    if stop.is_set():
                        break
                # cancel() requeues what was prefetched but not handled.
                self.channel.cancel()
            except Exception:  # noqa: BLE001 - reconnect after broker or database failures
                log.exception("consumer failed; reconnecting")
                backoff.wait(stop)
            finally:
                self.close()


def process_available(consumer: Consumer, max_messages: int | None = None, idle_seconds: float = 0.5) -> int:
    """Drain the queue in the calling thread (tests and replays); returns messages handled."""
    count = 0
    if consumer.channel is None:
        consumer.open()
    for method, properties, body in consumer.channel.consume(consumer.settings.queue, inactivity_timeout=idle_seconds):
        if method is None:
            break
        consumer.handle_message(method, properties, body)
        count += 1
        if max_messages is not None and count >= max_messages:
            break
    consumer.channel.cancel()
    return count
