"""Events produced by moderation (``experience.reassigned`` may also come from responses)."""
from marshmallow import Schema, fields, validate

from ..events import contract
from .common import FEELINGS, PathStepSchema


@contract("experience.moderation_started")
class ExperienceModerationStartedSchema(Schema):
    """Moderation has opened the case (automated checks done): the story waits for a moderator."""

    experience_id = fields.UUID(required=True)
    opened_at = fields.AwareDateTime(required=True)


@contract("experience.published")
class ExperiencePublishedSchema(Schema):
    experience_id = fields.UUID(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=150))
    description = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    feeling = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(FEELINGS))
    experienced_on = fields.String(load_default=None, allow_none=True)
    path = fields.List(fields.Nested(PathStepSchema), required=True)
    pseudonym = fields.String(load_default=None, allow_none=True)
    submitted_at = fields.AwareDateTime(required=True)
    published_at = fields.AwareDateTime(required=True)
    # True when the published text differs from what the author sent.
    edited = fields.Boolean(required=True)


@contract("experience.rejected")
class ExperienceRejectedSchema(Schema):
    experience_id = fields.UUID(required=True)
    reason_code = fields.String(required=True)
    reason_label = fields.String(required=True)
    message = fields.String(load_default=None, allow_none=True)
    rejected_at = fields.AwareDateTime(required=True)


@contract("experience.edit_proposed")
class ExperienceEditProposedSchema(Schema):
    experience_id = fields.UUID(required=True)
    original_title = fields.String(required=True)
    original_description = fields.String(required=True)
    edited_title = fields.String(required=True)
    edited_description = fields.String(required=True)
    message = fields.String(load_default=None, allow_none=True)
    deadline = fields.AwareDateTime(required=True)
    # Path of the signed, single-use approval page, e.g. "/proposition/<token>".
    approval_path = fields.String(required=True)


class _EditOutcomeSchema(Schema):
    experience_id = fields.UUID(required=True)
    decided_at = fields.AwareDateTime(required=True)


@contract("experience.edit_accepted")
class ExperienceEditAcceptedSchema(_EditOutcomeSchema):
    pass


@contract("experience.edit_declined")
class ExperienceEditDeclinedSchema(_EditOutcomeSchema):
    pass


@contract("experience.edit_expired")
class ExperienceEditExpiredSchema(_EditOutcomeSchema):
    """No answer before the deadline: the edited version is published."""


@contract("experience.withdrawn")
class ExperienceWithdrawnSchema(Schema):
    experience_id = fields.UUID(required=True)
    reason = fields.String(required=True)
    withdrawn_at = fields.AwareDateTime(required=True)


@contract("experience.reassigned")
class ExperienceReassignedSchema(Schema):
    experience_id = fields.UUID(required=True)
    from_structure_code = fields.String(required=True)
    to_structure_code = fields.String(required=True)
    to_structure_name = fields.String(load_default=None, allow_none=True)
    # "moderation" (change of structures) or "responses" (handed to a child structure)
    by = fields.String(required=True, validate=validate.OneOf(("moderation", "responses")))
    reassigned_at = fields.AwareDateTime(required=True)


@contract("experience.edit_reminder")
class ExperienceEditReminderSchema(Schema):
    """Sent 24 hours before the deadline of an unanswered proposal."""

    experience_id = fields.UUID(required=True)
    deadline = fields.AwareDateTime(required=True)
    approval_path = fields.String(required=True)
