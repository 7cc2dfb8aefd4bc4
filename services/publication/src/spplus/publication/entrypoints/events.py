"""Event handlers: thin adapters from events to the read-model use cases."""
from __future__ import annotations

from spplus.chassis.events import Event
from spplus.chassis.referential import replica_handlers

from ..adapters.orm import structures
from ..service_layer import read_model


def on_experience_published(session, event: Event) -> None:
    read_model.publish_experience(session, event.data)


def on_experience_withdrawn(session, event: Event) -> None:
    read_model.withdraw_experience(session, event.data)


def on_experience_reassigned(session, event: Event) -> None:
    read_model.reassign_experience(session, event.id, event.data)


def on_response_changed(session, event: Event) -> None:
    read_model.upsert_response(session, event.data)


def handlers(settings, database) -> dict:
    return {
        **replica_handlers(structures),
        "experience.published": on_experience_published,
        "experience.withdrawn": on_experience_withdrawn,
        "experience.reassigned": on_experience_reassigned,
        "response.published": on_response_changed,
        "response.updated": on_response_changed,
    }
