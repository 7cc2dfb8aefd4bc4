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


class Backoff:
    """Capped exponential backoff for reconnections: 0.5 s, 1 s, 2 s … up to ``cap``."""

    def __init__(self, first: float = 0.5, cap: float = 30.0):
        self.first, self.cap, self.current = first, cap, first

    def reset(self) -> None:
        self.current = self.first

    def wait(self, stop_event) -> None:
        stop_event.wait(self.current)
        self.current = min(self.current * 2, self.cap)
