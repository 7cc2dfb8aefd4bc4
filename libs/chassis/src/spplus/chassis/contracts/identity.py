"""Events produced by identity."""
from marshmallow import Schema, fields, validate

from ..events import contract


@contract("structure.upserted")
class StructureUpsertedSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=50))
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    network_code = fields.String(required=True, validate=validate.Length(min=1, max=50))
    network_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    parent_code = fields.String(load_default=None, allow_none=True)
    postal_code = fields.String(load_default=None, allow_none=True)
    city = fields.String(load_default=None, allow_none=True)
    active = fields.Boolean(required=True)
    # Consumers keep the newest version only: compare updated_at before applying.
    updated_at = fields.AwareDateTime(required=True)


@contract("structure.retired")
class StructureRetiredSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=50))
    updated_at = fields.AwareDateTime(required=True)


@contract("agent.password_reset_requested")
class PasswordResetRequestedSchema(Schema):
    email = fields.Email(required=True)
    reset_url = fields.String(required=True)
    expires_at = fields.AwareDateTime(required=True)
