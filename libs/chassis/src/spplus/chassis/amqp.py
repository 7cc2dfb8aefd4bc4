"""RabbitMQ connections and topology (exchange, per-service queue, retry queues, DLQ).

Topology, for a service ``svc`` (all names get ``AMQP_QUEUE_PREFIX`` in front):
- ``spplus.events``: durable topic exchange, routing key = event type; unroutable messages go
  to its alternate exchange ``spplus.events.unrouted`` and queue of the same name, never lost.
- ``svc.events``: quorum queue bound to the keys ``svc`` handles; rejected messages and
  messages redelivered more than ``AMQP_DELIVERY_LIMIT`` times dead-letter to ``svc.events.dlq``.
- ``svc.events.retry.<N>ms``: one classic queue per retry delay, with a message TTL of N ms
  that dead-letters back into ``svc.events`` only (other services never see a retry).
- ``svc.events.dlq``: quorum queue an operator lists and replays (``<svc> dlq ...``).
"""
from __future__ import annotations

import logging
import time

import pika
import pika.exceptions
import pika.spec
from pika.adapters.blocking_connection import BlockingChannel

from .settings import Settings

log = logging.getLogger(__name__)


def connect(settings: Settings, purpose: str) -> pika.BlockingConnection:
    params = pika.URLParameters(settings.amqp_url)
    params.heartbeat = settings.heartbeat_seconds
    params.blocked_connection_timeout = 60
    params.connection_attempts = 1
    params.client_properties = {"connection_name": f"{settings.service}-{purpose}"}
    return pika.BlockingConnection(params)


def close_quietly(connection: pika.BlockingConnection | None) -> None:
    """Close a connection that may already be gone (broker restart, missed heartbeats)."""
    if connection is not None and connection.is_open:
        try:
            connection.close()
        except (pika.exceptions.AMQPError, OSError):
            pass


def declare_exchange(channel: BlockingChannel, settings: Settings) -> None:
    unrouted = f"{settings.exchange}.unrouted"
    channel.exchange_declare(unrouted, "fanout", durable=True)
    channel.queue_declare(unrouted, durable=True, arguments={"x-queue-type": "quorum"})
    channel.queue_bind(unrouted, unrouted)
    channel.exchange_declare(settings.exchange, "topic", durable=True,
                             arguments={"alternate-exchange": unrouted})


def declare_consumer_topology(channel: BlockingChannel, settings: Settings, routing_keys) -> None:
    declare_exchange(channel, settings)
    channel.queue_declare(settings.dead_letter_queue, durable=True, arguments={"x-queue-type": "quorum"})
    channel.queue_declare(settings.queue, durable=True, arguments={
        "x-queue-type": "quorum",
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": settings.dead_letter_queue,
        "x-delivery-limit": settings.delivery_limit,
    })
    for delay in settings.retry_delays_ms:
        channel.queue_declare(settings.retry_queue(delay), durable=True, arguments={
            "x-message-ttl": delay,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": settings.queue,
        })
    for key in routing_keys:
        channel.queue_bind(settings.queue, settings.exchange, routing_key=key)


def message_properties(message_id: str, correlation_id: str, event_type: str,
                       headers: dict | None = None) -> pika.BasicProperties:
    return pika.BasicProperties(
        content_type="application/json",
        delivery_mode=pika.DeliveryMode.Persistent,
        message_id=message_id,
        correlation_id=correlation_id,
        type=event_type,
        timestamp=int(time.time()),
        headers={"x-correlation-id": correlation_id, **(headers or {})},
    )


class PublishFailed(RuntimeError):
    """The broker refused (nack) or returned (unroutable) a message of the batch."""


class PipelinedPublisher:
    """Publishes a batch with publisher confirms and waits once for all of them.

    pika's BlockingChannel waits for each confirm in turn: one round trip per message. Here the
    messages of a batch go out back to back on the blocking channel's underlying asynchronous
    channel (``_impl``, stable across pika 1.x) and the batch is settled when the broker has
    confirmed every one of them: the same guarantee (persistent, mandatory, confirmed), at the
    broker's pace. Any nack or return fails the whole batch, which the caller then sends again.
    """

    def __init__(self, connection: pika.BlockingConnection, confirm_timeout: float = 30.0):
        self.connection = connection
        self.channel = connection.channel()
        self.confirm_timeout = confirm_timeout
        self._impl = self.channel._impl
        self._last_tag = 0
        self._pending: set[int] = set()
        self._failures: list[str] = []
        self._impl.confirm_delivery(self._on_confirm)
        self._impl.add_on_return_callback(self._on_return)

    def publish_batch(self, messages) -> None:
        """``messages``: (exchange, routing_key, body, properties) tuples."""
        self._failures.clear()
        for exchange, routing_key, body, properties in messages:
            self._impl.basic_publish(exchange, routing_key, body, properties, mandatory=True)
            self._last_tag += 1
            self._pending.add(self._last_tag)
        deadline = time.monotonic() + self.confirm_timeout
        while self._pending:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self._pending)} publish confirm(s) not received")
            self.connection.process_data_events(time_limit=0.05)
        if self._failures:
            raise PublishFailed("; ".join(self._failures[:5]))

    def _on_confirm(self, frame) -> None:
        method = frame.method
        if method.multiple:
            settled = {tag for tag in self._pending if tag <= method.delivery_tag}
        else:
            settled = {method.delivery_tag}
        self._pending -= settled
        if isinstance(method, pika.spec.Basic.Nack):
            self._failures.append(f"nack for {len(settled)} message(s)")

    def _on_return(self, _channel, method, _properties, _body) -> None:
        self._failures.append(f"returned: {method.reply_text} ({method.routing_key})")


class Backoff:
    """Capped exponential backoff for reconnections: 0.5 s, 1 s, 2 s … up to ``cap``."""

    def __init__(self, first: float = 0.5, cap: float = 30.0):
        self.first, self.cap, self.current = first, cap, first

    def reset(self) -> None:
        self.current = self.first

    def wait(self, stop_event) -> None:
        stop_event.wait(self.current)
        self.current = min(self.current * 2, self.cap)
