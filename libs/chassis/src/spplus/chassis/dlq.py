"""Operator tools for a service's dead-letter queue: list what is there, put it back."""
from __future__ import annotations

import json
from dataclasses import dataclass

from . import amqp
from .consumer import RETRY_HEADER
from .settings import Settings


@dataclass
class DeadLetter:
    event_id: str
    type: str
    error: str | None
    failed_at: str | None
    body: bytes


def _describe(properties, body: bytes) -> DeadLetter:
    headers = properties.headers or {}
    error = headers.get("x-spplus-error")
    if error is None and headers.get("x-death"):
        error = "rejected: " + str(headers["x-death"][0].get("reason"))
    try:
        event_type = json.loads(body).get("type", "?")
    except ValueError:
        event_type = "?"
    return DeadLetter(event_id=properties.message_id or "?", type=properties.type or event_type,
                      error=error, failed_at=headers.get("x-spplus-failed-at"), body=body)


def list_dead_letters(settings: Settings, limit: int = 100) -> list[DeadLetter]:
    """Peek at the DLQ without consuming it (messages are taken then requeued)."""
    connection = amqp.connect(settings, "dlq")
    try:
        channel = connection.channel()
        seen = []
        tags = []
        for _ in range(limit):
            method, properties, body = channel.basic_get(settings.dead_letter_queue, auto_ack=False)
            if method is None:
                break
            tags.append(method.delivery_tag)
            seen.append(_describe(properties, body))
        if tags:
            channel.basic_nack(tags[-1], multiple=True, requeue=True)
        return seen
    finally:
        connection.close()


def replay(settings: Settings, event_ids: set[str] | None = None, limit: int = 10_000) -> int:
    """Send dead letters (all, or the given event ids) back to the service's queue, retries reset."""
    connection = amqp.connect(settings, "dlq")
    replayed = 0
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        kept = []
        for _ in range(limit):
            method, properties, body = channel.basic_get(settings.dead_letter_queue, auto_ack=False)
            if method is None:
                break
            if event_ids is not None and properties.message_id not in event_ids:
                kept.append(method.delivery_tag)
                continue
            headers = {k: v for k, v in (properties.headers or {}).items()
                       if k not in (RETRY_HEADER, "x-spplus-error", "x-spplus-failed-at", "x-death")}
            channel.basic_publish("", settings.queue, body, amqp.message_properties(
                properties.message_id or "", properties.correlation_id or "", properties.type or "", headers),
                mandatory=True)
            channel.basic_ack(method.delivery_tag)
            replayed += 1
        for tag in kept:
            channel.basic_nack(tag, requeue=True)
        return replayed
    finally:
        connection.close()
