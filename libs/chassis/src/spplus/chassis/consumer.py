"""Event consumer: idempotent handlers, acks after commit, retries with growing delays, then the DLQ.

A handler is ``handler(session, event)``; it runs inside a transaction that also records
``(consumer, event id)`` in the inbox, so a redelivered event is acknowledged and does nothing.
The message is acknowledged only after that transaction commits.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import traceback
from typing import Callable

import pika
import pika.exceptions
from prometheus_client import Counter
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
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
        if self.connection is not None and self.connection.is_open:
            try:
                self.connection.close()
            except pika.exceptions.AMQPError:
                pass
        self.connection = self.channel = None

    # -- one message ------------------------------------------------------------------------
    def handle_message(self, method, properties, body: bytes) -> str:
        """Handle one delivery and settle it (ack, retry or dead-letter). Returns the outcome."""
        try:
            event = parse_event(body)
        except InvalidEvent as error:
            log.error("invalid event dead-lettered: %s", error.errors)
            self.channel.basic_reject(method.delivery_tag, requeue=False)
            HANDLED.labels(self.settings.service, "invalid", "dead-lettered").inc()
            return "dead-lettered"
        with correlation(event.correlation_id):
            outcome = self._handle_event(event, method, properties, body)
        HANDLED.labels(self.settings.service, event.type, outcome).inc()
        return outcome

    def _handle_event(self, event: Event, method, properties, body: bytes) -> str:
        handler = self.handlers.get(event.type)
        if handler is None:
            self.channel.basic_ack(method.delivery_tag)
            return "ignored"
        try:
            outcome = self.apply(event, handler)
        except Exception as error:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
            log.warning("handler for %s failed: %s", event.type, error, exc_info=True)
            outcome = self._retry_or_dead_letter(event, properties, body, error)
        self.channel.basic_ack(method.delivery_tag)
        return outcome

    def apply(self, event: Event, handler: Handler) -> str:
        """Run the handler and record the event in the inbox, in one transaction."""
        try:
            with self.database.unit_of_work() as session:
                seen = session.execute(select(inbox.c.event_id).where(
                    inbox.c.consumer == self.name, inbox.c.event_id == event.id)).first()
                if seen:
                    return "duplicate"
                session.execute(insert(inbox).values(
                    consumer=self.name, event_id=event.id, processed_at=dt.datetime.now(dt.timezone.utc)))
                handler(session, event)
        except IntegrityError as error:
            if self._already_processed(event):  # a concurrent delivery of the same event won the race
                return "duplicate"
            raise error
        return "handled"

    def _already_processed(self, event: Event) -> bool:
        with self.database.unit_of_work() as session:
            return session.execute(select(inbox.c.event_id).where(
                inbox.c.consumer == self.name, inbox.c.event_id == event.id)).first() is not None

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
    def run(self, stop: threading.Event) -> None:
        """Consume until ``stop`` is set; finish the message in hand, then leave."""
        backoff = amqp.Backoff()
        while not stop.is_set():
            try:
                self.open()
                backoff.reset()
                for method, properties, body in self.channel.consume(self.settings.queue, inactivity_timeout=0.5):
                    if method is not None:
                        self.handle_message(method, properties, body)
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
