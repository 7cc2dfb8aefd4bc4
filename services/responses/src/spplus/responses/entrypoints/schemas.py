"""Marshmallow schemas of the agents' API (they are its OpenAPI documentation)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..domain.model import (
    ACTION_KINDS,
    ACTION_MAX,
    BODY_MAX,
    FEELINGS,
    GENERAL_TAGS,
    GREETINGS,
    ITEM_STATES,
    SIGNATURE_MAX,
    STATUSES,
    TAG_MAX,
    TAGS_MAX,
)


class ActionSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(tuple(ACTION_KINDS)),
                         metadata={"description": "considered (envisagée) or made (réalisée)"})
    description = fields.String(required=True, validate=validate.Length(min=1, max=ACTION_MAX))


class ResponseContentSchema(Schema):
    """Fields left out keep their saved value; publishing requires them all."""

    greeting = fields.String(load_default=None, validate=validate.OneOf(GREETINGS))
    body = fields.String(load_default=None, validate=validate.Length(max=BODY_MAX),
                         metadata={"description": "20 to 3,000 characters to publish"})
    signature = fields.String(load_default=None, validate=validate.Length(max=SIGNATURE_MAX),
                              metadata={"description": "service and function; no personal name needed"})
    status = fields.String(load_default=None, validate=validate.OneOf(tuple(STATUSES)))
    actions = fields.List(fields.Nested(ActionSchema), load_default=None, validate=validate.Length(max=20))
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=TAG_MAX)), load_default=None,
                       validate=validate.Length(max=TAGS_MAX), metadata={"description": "business tags"})
    general_tags = fields.Dict(keys=fields.String(validate=validate.OneOf(tuple(GENERAL_TAGS))),
                               values=fields.String(validate=validate.OneOf(tuple(FEELINGS))), load_default=None)


class ResponseStateSchema(Schema):
    state = fields.String(required=True)


class CheckSchema(Schema):
    ran = fields.Boolean(required=True)
    findings = fields.List(fields.Dict(), required=True)
    note = fields.String(allow_none=True)


class CheckRequestSchema(Schema):
    body = fields.String(load_default=None, validate=validate.Length(max=BODY_MAX))


class PublishResultSchema(Schema):
    version = fields.Integer(required=True)
    published_at = fields.DateTime(required=True)
    check = fields.Nested(CheckSchema, required=True)


class ItemListArgsSchema(Schema):
    state = fields.String(load_default=None, validate=validate.OneOf(tuple(ITEM_STATES)))
    structure = fields.String(load_default=None, validate=validate.Length(min=1, max=50))
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    overdue = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ItemSummarySchema(Schema):
    id = fields.String()
    experience_id = fields.String()
    title = fields.String(allow_none=True)
    structure_code = fields.String()
    structure_name = fields.String()
    state = fields.String()
    received_at = fields.DateTime()
    due_at = fields.DateTime()
    overdue = fields.Boolean()
    first_answered_at = fields.DateTime(allow_none=True)


class ItemPageSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "items per state for the same search"})
    items = fields.List(fields.Nested(ItemSummarySchema))


class CommentInSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class CommentSchema(Schema):
    id = fields.String()
    author_email = fields.String()
    author_name = fields.String(allow_none=True)
    author_role = fields.String()
    body = fields.String()
    created_at = fields.DateTime()


class ItemDetailSchema(ItemSummarySchema):
    experience = fields.Dict()
    response = fields.Dict(allow_none=True)
    history = fields.List(fields.Dict())
    comments = fields.List(fields.Nested(CommentSchema))
    reassignments = fields.List(fields.Dict())
    transfer_requests = fields.List(fields.Dict())
    other_structures = fields.List(fields.Dict())
    child_structures = fields.List(fields.Dict())
    can_answer = fields.Boolean(metadata={"description": "false for moderators: they read and comment only"})
    two_step_validation = fields.Boolean()
    can_publish = fields.Boolean()


class ReassignSchema(Schema):
    structure_code = fields.String(required=True, validate=validate.Length(min=1, max=50))


class ReassignResultSchema(Schema):
    item_id = fields.String()
    structure_code = fields.String()
    structure_name = fields.String()


class TransferRequestInSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    suggested_structure = fields.String(load_default=None, validate=validate.Length(max=300))


class TransferRequestSchema(Schema):
    id = fields.String()
    experience_id = fields.String()
    structure_code = fields.String()
    suggested_structure = fields.String(allow_none=True)
    reason = fields.String()
    requested_at = fields.DateTime()


class DashboardArgsSchema(Schema):
    structure = fields.String(load_default=None, validate=validate.Length(min=1, max=50))


class FiguresSchema(Schema):
    code = fields.String()
    name = fields.String()
    items = fields.Integer()
    answered = fields.Integer()
    response_rate = fields.Float(allow_none=True)
    median_delay_days = fields.Float(allow_none=True)
    overdue = fields.Integer()
    actions_made = fields.Integer()


class DashboardSchema(Schema):
    target_delay_days = fields.Integer()
    total = fields.Nested(FiguresSchema)
    structures = fields.List(fields.Nested(FiguresSchema))
    networks = fields.List(fields.Nested(FiguresSchema))


class OptionsSchema(Schema):
    greetings = fields.List(fields.String())
    statuses = fields.Dict(keys=fields.String(), values=fields.String())
    general_tags = fields.Dict(keys=fields.String(), values=fields.String())
    feelings = fields.Dict(keys=fields.String(), values=fields.String())
    action_kinds = fields.Dict(keys=fields.String(), values=fields.String())
    item_states = fields.Dict(keys=fields.String(), values=fields.String())


class TwoStepSchema(Schema):
    two_step_validation = fields.Boolean(required=True)


class ValidatorInSchema(Schema):
    email = fields.Email(required=True)


class StructureSettingsSchema(Schema):
    structure_code = fields.String()
    two_step_validation = fields.Boolean()
    inherited = fields.Boolean(metadata={"description": "true when the setting comes from a parent structure"})
    validators = fields.List(fields.String())
