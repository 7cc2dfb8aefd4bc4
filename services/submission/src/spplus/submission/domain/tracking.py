"""Where a story stands, as its author sees it on the private tracking page.

Moderation's events move it; they may arrive twice or out of order, so a change is applied only
when it happened after the one already shown (``Tracking.apply`` returns False otherwise).
"""
from __future__ import annotations

import dataclasses
import datetime as dt

SUBMITTED = "submitted"
IN_MODERATION = "in_moderation"
EVENT_STATUS = {
    "experience.moderation_started": IN_MODERATION,
    "experience.published": "published",
    "experience.rejected": "rejected",
    "experience.edit_proposed": "edit_proposed",
    "experience.edit_accepted": "edit_accepted",
    "experience.edit_declined": "edit_declined",
    "experience.edit_expired": "edit_expired",
    "experience.withdrawn": "withdrawn",
}

LABELS = {
    SUBMITTED: "Reçue",
    IN_MODERATION: "En cours de modération",
    "published": "Publiée",
    "rejected": "Non publiée",
    "edit_proposed": "En attente de votre accord",
    "edit_accepted": "Modifications acceptées, publication en cours",
    "edit_declined": "Modifications refusées, non publiée",
    "edit_expired": "Version modifiée publiée faute de réponse",
    "withdrawn": "Retirée du site",
}


@dataclasses.dataclass
class Tracking:
    status: str
    status_at: dt.datetime
    details: dict

    @property
    def label(self) -> str:
        return LABELS[self.status]

    def apply(self, event_type: str, occurred_at: dt.datetime, data: dict) -> bool:
        """Move to the state the event describes, unless a later change is already shown."""
        if event_type not in EVENT_STATUS or occurred_at <= self.status_at:
            return False
        self.status = EVENT_STATUS[event_type]
        self.status_at = occurred_at
        self.details = _details(event_type, data)
        return True


def _details(event_type: str, data: dict) -> dict:
    if event_type == "experience.published":
        return {"public_path": f"/experiences/{data['experience_id']}", "edited": data.get("edited", False)}
    if event_type == "experience.rejected":
        return {"reason_label": data.get("reason_label"), "message": data.get("message")}
    if event_type == "experience.edit_proposed":
        return {"approval_path": data.get("approval_path"), "deadline": data.get("deadline"),
                "message": data.get("message")}
    if event_type == "experience.withdrawn":
        return {"reason": data.get("reason")}
    if event_type == "experience.edit_expired":
        return {"public_path": f"/experiences/{data['experience_id']}"}
    return {}
