"""Events this service consumes: identity's structures and moderation's decisions."""
from __future__ import annotations

from ..domain.tracking import EVENT_STATUS
from ..service_layer import structures, submissions


def handlers(settings, database) -> dict:
    return {**structures.handlers(),
            **{event_type: submissions.apply_moderation_event for event_type in EVENT_STATUS}}
