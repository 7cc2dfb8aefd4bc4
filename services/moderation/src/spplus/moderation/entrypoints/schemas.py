"""Marshmallow schemas of the moderation API (OpenAPI names drop the ``Schema`` suffix)."""
from marshmallow import Schema, fields, validate

from spplus.chassis.contracts.common import PathStepSchema

from ..domain import reasons as policy
from ..domain.model import STATES

TITLE = validate.Length(min=1, max=150)
DESCRIPTION = validate.Length(min=1, max=1000)
MESSAGE = validate.Length(max=2000)


class FindingSchema(Schema):
    kind = fields.String()
    label = fields.String()
    start = fields.Integer()
    end = fields.Integer()
    excerpt = fields.String()
    score = fields.Float()
    suggestion = fields.String(allow_none=True)
    field = fields.String(metadata={"description": "title ou description"})


class AuditEntrySchema(Schema):
    action = fields.String()
    actor_name = fields.String()
    at = fields.AwareDateTime()
    before_title = fields.String(allow_none=True)
    before_description = fields.String(allow_none=True)
    after_title = fields.String(allow_none=True)
    after_description = fields.String(allow_none=True)
    reason_code = fields.String(allow_none=True)
    message = fields.String(allow_none=True)


class ProposalSummarySchema(Schema):
    status = fields.String()
    deadline = fields.AwareDateTime()
    edited_title = fields.String()
    edited_description = fields.String()
    message = fields.String(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)


class CaseSummarySchema(Schema):
    experience_id = fields.UUID()
    state = fields.String()
    title = fields.String()
    submitted_at = fields.AwareDateTime()
    finding_count = fields.Integer()
    pseudonym = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    structures = fields.List(fields.String())
    claimed_by_name = fields.String(allow_none=True)
    claim_expires_at = fields.AwareDateTime(allow_none=True)
    analysis_status = fields.String()


class CaseListSchema(Schema):
    total = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    items = fields.List(fields.Nested(CaseSummarySchema))


class CaseSchema(Schema):
    """A case: never the author's e-mail, only the pseudonym and the postal code."""

    experience_id = fields.UUID()
    state = fields.String()
    title = fields.String()
    description = fields.String()
    original_title = fields.String()
    original_description = fields.String()
    edited = fields.Boolean()
    feeling = fields.String(allow_none=True)
    experienced_on = fields.String(allow_none=True)
    path = fields.List(fields.Nested(PathStepSchema))
    pseudonym = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    city = fields.String(allow_none=True)
    findings = fields.List(fields.Nested(FindingSchema))
    analysis_status = fields.String()
    submitted_at = fields.AwareDateTime()
    claimed_by_name = fields.String(allow_none=True)
    claim_expires_at = fields.AwareDateTime(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)
    published_at = fields.AwareDateTime(allow_none=True)
    reason_code = fields.String(allow_none=True)
    proposal = fields.Nested(ProposalSummarySchema, allow_none=True)
    audit = fields.List(fields.Nested(AuditEntrySchema))


class CaseQuerySchema(Schema):
    state = fields.String(load_default=None, validate=validate.OneOf(STATES))
    flagged = fields.Boolean(load_default=None, allow_none=True)
    order = fields.String(load_default="oldest", validate=validate.OneOf(("oldest", "newest")))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class PublishSchema(Schema):
    title = fields.String(load_default=None, validate=TITLE)
    description = fields.String(load_default=None, validate=DESCRIPTION)


class ProposeEditSchema(Schema):
    title = fields.String(required=True, validate=TITLE)
    description = fields.String(required=True, validate=DESCRIPTION)
    message = fields.String(load_default=None, allow_none=True, validate=MESSAGE)


class RejectSchema(Schema):
    reason = fields.String(required=True, validate=validate.OneOf([r.code for r in policy.REASONS],
                           error="Choisissez un motif de la politique de modération."))
    message = fields.String(load_default=None, allow_none=True, validate=MESSAGE)


class WithdrawSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=1000))


class ReassignSchema(Schema):
    from_structure_code = fields.String(required=True, validate=validate.Length(min=1, max=50))
    to_structure_code = fields.String(required=True, validate=validate.Length(min=1, max=50))


class ReasonSchema(Schema):
    code = fields.String()
    label = fields.String()
    description = fields.String()


class AnalyzeSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    experienced_on = fields.String(load_default=None, allow_none=True,
                                   validate=validate.Regexp(r"^\d{4}-\d{2}$", error="Format attendu : AAAA-MM."))


class AnalysisSchema(Schema):
    findings = fields.List(fields.Nested(FindingSchema))


class DecisionSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(("accept", "decline"),
                             error="Répondez « accept » ou « decline »."))


class AuthorProposalSchema(Schema):
    experience_id = fields.UUID()
    original_title = fields.String()
    original_description = fields.String()
    edited_title = fields.String()
    edited_description = fields.String()
    message = fields.String(allow_none=True)
    deadline = fields.AwareDateTime()
    status = fields.String(metadata={"description": "open, accepted, declined ou expired"})
    decided_at = fields.AwareDateTime(allow_none=True)


class WeekStatsSchema(Schema):
    week = fields.String()
    decisions = fields.Integer()
    published = fields.Integer()
    rejected = fields.Integer()
    proposed = fields.Integer()
    median_hours = fields.Float(allow_none=True)
    substantial_share = fields.Float(allow_none=True)


class ReasonCountSchema(Schema):
    code = fields.String()
    label = fields.String()
    count = fields.Integer()


class StatisticsSchema(Schema):
    queue_size = fields.Integer()
    awaiting_author = fields.Integer()
    decisions = fields.Integer()
    median_hours = fields.Float(allow_none=True)
    substantial_share = fields.Float(allow_none=True)
    by_reason = fields.List(fields.Nested(ReasonCountSchema))
    weeks = fields.List(fields.Nested(WeekStatsSchema))
