"""Events produced by submission."""
from marshmallow import Schema, fields, validate

from ..events import contract
from .common import FEELINGS, PathStepSchema


@contract("experience.submitted")
class ExperienceSubmittedSchema(Schema):
    experience_id = fields.UUID(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=150))
    description = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    feeling = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(FEELINGS))
    experienced_on = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^\d{4}-\d{2}$"))
    path = fields.List(fields.Nested(PathStepSchema), required=True, validate=validate.Length(min=1, max=5))
    pseudonym = fields.String(load_default=None, allow_none=True)
    postal_code = fields.String(load_default=None, allow_none=True)
    city = fields.String(load_default=None, allow_none=True)
    email = fields.Email(required=True)
    # Path of the author's private tracking page, e.g. "/suivi/<token>" (made absolute by notification).
    tracking_path = fields.String(required=True)
    submitted_at = fields.AwareDateTime(required=True)


@contract("erasure.requested")
class ErasureRequestedSchema(Schema):
    """GDPR: every service holding this author's contact data erases it."""

    email = fields.Email(required=True)
    experience_id = fields.UUID(load_default=None, allow_none=True)
    requested_at = fields.AwareDateTime(required=True)
