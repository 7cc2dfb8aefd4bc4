"""Marshmallow schemas of identity's API (they generate its OpenAPI description)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from spplus.chassis.auth import ROLES


class StructureQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "Mots du nom, de la commune ou du code postal (sans accents ni casse)"})
    network = fields.String(load_default=None, validate=validate.Length(max=50))
    postal_code = fields.String(load_default=None, validate=validate.Regexp(r"^\d[0-9AB]{0,4}$",
                                error="Code postal invalide (de 1 à 5 caractères)."))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    include_retired = fields.Boolean(load_default=False)


class StructureSchema(Schema):
    code = fields.String()
    name = fields.String()
    network_code = fields.String()
    network_name = fields.String()
    parent_code = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    active = fields.Boolean()
    updated_at = fields.DateTime()


class StructureChildSchema(Schema):
    code = fields.String()
    name = fields.String()
    active = fields.Boolean()


class StructureDetailSchema(StructureSchema):
    children = fields.List(fields.Nested(StructureChildSchema))


class StructurePageSchema(Schema):
    items = fields.List(fields.Nested(StructureSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    pages = fields.Integer()


class StructureWriteSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    network = fields.String(required=True, validate=validate.Length(min=1, max=50))
    parent_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))
    postal_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10))
    city = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class NetworkSchema(Schema):
    code = fields.String()
    name = fields.String()


class ChannelSchema(Schema):
    code = fields.String()
    label = fields.String()


class ImportSchema(Schema):
    id = fields.String()
    filename = fields.String()
    status = fields.String(metadata={"description": "pending, running, done ou failed"})
    total = fields.Integer()
    processed = fields.Integer()
    inserted = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    rejected = fields.Integer()
    error = fields.String(allow_none=True)
    report = fields.List(fields.Dict(), metadata={"description": "Lignes refusées : line, code, errors"})


class ImportUploadSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class LoginSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))
    totp = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=12))


class TokenSchema(Schema):
    token = fields.String()
    roles = fields.List(fields.String())
    structures = fields.List(fields.String())
    expires_at = fields.DateTime()


class MeSchema(Schema):
    id = fields.String()
    email = fields.String()
    name = fields.String()
    roles = fields.List(fields.String())
    structures = fields.List(fields.String())
    totp_enabled = fields.Boolean()


class ResetRequestSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))


class ResetCompleteSchema(Schema):
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024))


class TotpSetupSchema(Schema):
    secret = fields.String()
    uri = fields.String()


class TotpCodeSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=6, max=12))


class MessageSchema(Schema):
    message = fields.String()


class AccountSchema(MeSchema):
    active = fields.Boolean()


class AccountQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))


class AccountPageSchema(Schema):
    items = fields.List(fields.Nested(AccountSchema))
    total = fields.Integer()
    page = fields.Integer()


class AccountCreateSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    name = fields.String(load_default="", validate=validate.Length(max=200))
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), required=True)
    structures = fields.List(fields.String(validate=validate.Length(max=50)), load_default=list)
    password = fields.String(load_default=None, allow_none=True)


class AccountUpdateSchema(Schema):
    name = fields.String(validate=validate.Length(max=200))
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)))
    structures = fields.List(fields.String(validate=validate.Length(max=50)))
    active = fields.Boolean()
