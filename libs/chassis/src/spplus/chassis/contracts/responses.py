"""Events produced by responses."""
from marshmallow import Schema, fields, validate

from ..events import contract
from .common import FEELINGS

GENERAL_TAGS = ("accessibilite", "information", "relation", "reactivite", "simplicite")


class ImprovementActionSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("considered", "made")))
    description = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class _ResponseSchema(Schema):
    response_id = fields.UUID(required=True)
    experience_id = fields.UUID(required=True)
    structure_code = fields.String(required=True)
    structure_name = fields.String(required=True)
    greeting = fields.String(required=True)
    body = fields.String(required=True)
    signature = fields.String(required=True)
    status = fields.String(required=True)
    actions = fields.List(fields.Nested(ImprovementActionSchema), load_default=list)
    tags = fields.List(fields.String(), load_default=list)
    general_tags = fields.Dict(keys=fields.String(validate=validate.OneOf(GENERAL_TAGS)),
                               values=fields.String(validate=validate.OneOf(FEELINGS)), load_default=dict)
    published_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)
    # Increases at every update; consumers keep the highest version only.
    version = fields.Integer(required=True, validate=validate.Range(min=1))


@contract("response.published")
class ResponsePublishedSchema(_ResponseSchema):
    pass


@contract("response.updated")
class ResponseUpdatedSchema(_ResponseSchema):
    pass


@contract("experience.transfer_requested")
class ExperienceTransferRequestedSchema(Schema):
    """An agent asks the moderation team to send the experience to another structure, outside
    their own tree (handing it to a child structure is ``experience.reassigned`` instead)."""

    request_id = fields.UUID(required=True)
    experience_id = fields.UUID(required=True)
    structure_code = fields.String(required=True)
    structure_name = fields.String(required=True)
    # Free text: the agent may not know the target's code.
    suggested_structure = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    requested_at = fields.AwareDateTime(required=True)
