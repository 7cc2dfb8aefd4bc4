"""Vocabulary shared by several contracts."""
from marshmallow import Schema, fields, validate

FEELINGS = ("positive", "neutral", "negative")


class ChannelUseSchema(Schema):
    channel = fields.String(required=True, validate=validate.Length(min=1, max=50))
    feeling = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(FEELINGS))


class PathStepSchema(Schema):
    structure_code = fields.String(required=True, validate=validate.Length(min=1, max=50))
    structure_name = fields.String(load_default=None, allow_none=True)
    channels = fields.List(fields.Nested(ChannelUseSchema), load_default=list)
