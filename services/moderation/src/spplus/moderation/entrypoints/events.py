"""Event handlers: ``experience.submitted`` opens a case; the structures replica; GDPR erasure."""
from __future__ import annotations

from spplus.chassis.referential import replica_handlers

from ..adapters.tables import structures
from ..service_layer.services import Moderation


def handlers(moderation: Moderation) -> dict:
    def on_submitted(session, event):
        # A redelivered event is stopped by the inbox; a second event for the same experience
        # (a replay by the producer) finds the case already open and changes nothing.
        moderation.open_case(session, event.data)

    def on_erasure(session, event):
        moderation.erase_contact(session, event.data.get("experience_id"), event.data["requested_at"])

    return {**replica_handlers(structures), "experience.submitted": on_submitted,
            "erasure.requested": on_erasure}
