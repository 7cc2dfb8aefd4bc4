"""Marshmallow schemas of the public API (names end in Schema; OpenAPI shows them without it)."""
from marshmallow import Schema, fields, validate, validates_schema, ValidationError

from spplus.chassis.contracts.common import FEELINGS

from ..domain.search import MAX_PER_PAGE, SORTS


class ExperienceQuerySchema(Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=200),
                      metadata={"description": "Mots recherchés (titre et récit), sans tenir compte des accents"})
    network = fields.String(load_default=None, validate=validate.Length(max=50),
                            metadata={"description": "Code du réseau (par exemple CAF)"})
    structure = fields.String(load_default=None, validate=validate.Length(max=50),
                              metadata={"description": "Code de la structure (ses structures filles incluses)"})
    feeling = fields.String(load_default=None, validate=validate.OneOf(FEELINGS))
    answered = fields.Boolean(load_default=None, metadata={"description": "Avec (true) ou sans (false) réponse"})
    date_from = fields.Date(load_default=None, data_key="from", metadata={"description": "Publiée à partir du (AAAA-MM-JJ)"})
    date_to = fields.Date(load_default=None, data_key="to", metadata={"description": "Publiée jusqu'au (AAAA-MM-JJ)"})
    sort = fields.String(load_default="recent", validate=validate.OneOf(SORTS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))

    @validates_schema
    def check_period(self, data, **kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("La date de début doit précéder la date de fin.", "to")


class ChannelUseSchema(Schema):
    channel = fields.String()
    channel_label = fields.String()
    feeling = fields.String(allow_none=True)


class PathStepSchema(Schema):
    structure_code = fields.String()
    structure_name = fields.String()
    network_code = fields.String(allow_none=True)
    network_name = fields.String(allow_none=True)
    channels = fields.List(fields.Nested(ChannelUseSchema))


class ExperienceSummarySchema(Schema):
    id = fields.String()
    title = fields.String()
    description = fields.String()
    feeling = fields.String(allow_none=True)
    pseudonym = fields.String(allow_none=True)
    path = fields.List(fields.Nested(PathStepSchema))
    published_at = fields.DateTime()
    similar_count = fields.Integer()
    response_count = fields.Integer()
    answered = fields.Boolean()
    first_response_at = fields.DateTime(allow_none=True)


class ExperiencePageSchema(Schema):
    items = fields.List(fields.Nested(ExperienceSummarySchema))
    total = fields.Integer(metadata={"description": "Nombre de résultats (plafonné, voir total_capped)"})
    total_capped = fields.Boolean(metadata={"description": "Vrai s'il y a plus de résultats que total"})
    page = fields.Integer()
    per_page = fields.Integer()


class ImprovementActionSchema(Schema):
    kind = fields.String(metadata={"description": "considered (envisagée) ou made (réalisée)"})
    kind_label = fields.String()
    description = fields.String()


class ResponseSchema(Schema):
    id = fields.String()
    structure_code = fields.String()
    structure_name = fields.String()
    greeting = fields.String()
    body = fields.String()
    signature = fields.String()
    status = fields.String()
    actions = fields.List(fields.Nested(ImprovementActionSchema))
    published_at = fields.DateTime()
    updated_at = fields.DateTime()
    useful_yes = fields.Integer()
    useful_no = fields.Integer()


class ExperienceDetailSchema(ExperienceSummarySchema):
    experienced_on = fields.String(allow_none=True)
    submitted_at = fields.DateTime()
    responses = fields.List(fields.Nested(ResponseSchema))


class SimilarVoteResultSchema(Schema):
    counted = fields.Boolean(metadata={"description": "Faux si ce navigateur avait déjà voté"})
    similar_count = fields.Integer()


class UsefulVoteSchema(Schema):
    useful = fields.Boolean(required=True)


class UsefulVoteResultSchema(Schema):
    counted = fields.Boolean()
    useful_yes = fields.Integer()
    useful_no = fields.Integer()
