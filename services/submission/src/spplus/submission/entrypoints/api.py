"""``POST /api/v1/experiences``: a story sent by a program (the form uses the same use case)."""
from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, ValidationError, fields

from ..domain.rules import InvalidSubmission
from ..service_layer import submissions

blp = Blueprint("experiences", __name__, url_prefix="/api/v1/experiences",
                description="Envoi d'une expérience par un citoyen.")

RATE_LIMIT_MESSAGE = ("Vous avez envoyé plusieurs expériences depuis cette connexion en peu de temps. "
                      "Merci de réessayer dans une heure.")


class Text(fields.String):
    """A string that is valid Unicode: JSON can carry lone surrogates ("\\ud800") no database stores."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValidationError("Texte mal encodé : caractère Unicode invalide.") from error
        return text


class _Strict(Schema):
    class Meta:
        unknown = RAISE


# Types only: the content rules (lengths, lists, referential…) are the domain's, so that every
# invalid field gets its own French message in one answer; "required" below is documentation.
class ChannelUseInSchema(_Strict):
    channel = Text(load_default=None, metadata={"description": "obligatoire : code du canal (accueil, "
                                                                          "telephone, courrier, email, …)"})
    feeling = Text(load_default=None, allow_none=True, metadata={"description": "positive, neutral, negative"})


class PathStepInSchema(_Strict):
    structure = Text(load_default=None, metadata={"description": "obligatoire : code de la structure"})
    channels = fields.List(fields.Nested(ChannelUseInSchema), load_default=list,
                           metadata={"description": "au moins un canal"})


class ExperienceCreateSchema(_Strict):
    title = Text(load_default=None, metadata={"description": "obligatoire, 5 à 150 caractères"})
    description = Text(load_default=None, metadata={"description": "obligatoire, 100 à 1 000 caractères"})
    feeling = Text(load_default=None, allow_none=True, metadata={"description": "positive, neutral, negative"})
    experienced_on = Text(load_default=None, allow_none=True, metadata={"description": "AAAA-MM, pas dans le futur"})
    path = fields.List(fields.Nested(PathStepInSchema), load_default=list,
                       metadata={"description": "obligatoire : 1 à 5 structures"})
    email = Text(load_default=None, metadata={"description": "obligatoire"})
    postal_code = Text(load_default=None, allow_none=True,
                                metadata={"description": "code postal ou ville obligatoire"})
    city = Text(load_default=None, allow_none=True)
    pseudonym = Text(load_default=None, allow_none=True, metadata={"description": "50 caractères au plus"})
    accept_terms = fields.Boolean(load_default=None, metadata={"description": "obligatoire : true"})
    website = Text(load_default=None, allow_none=True,
                            metadata={"description": "piège à robots : à laisser vide"})


class ExperienceReceiptSchema(Schema):
    id = fields.UUID()
    status = fields.String()
    tracking_url = fields.String(metadata={"description": "adresse privée de suivi, /suivi/<jeton>"})


def stringify_keys(errors):
    if isinstance(errors, dict):
        return {str(key): stringify_keys(value) for key, value in errors.items()}
    return errors


@blp.route("")
class Experiences(MethodView):
    @blp.arguments(ExperienceCreateSchema())  # one instance: no schema copy per request
    @blp.response(201, ExperienceReceiptSchema(), description="Expérience reçue")
    @blp.alt_response(200, schema=ExperienceReceiptSchema, description="Déjà reçue (même e-mail et même "
                                                                         "description dans les 24 heures)")
    @blp.alt_response(422, description="Données invalides (un message par champ)")
    @blp.alt_response(429, description="Trop d'envois depuis cette adresse")
    def post(self, payload):
        """Envoyer une expérience"""
        config = current_app.extensions["submission_config"]
        database = current_app.config["SPPLUS_DATABASE"]
        try:
            receipt = submissions.submit(database, config, payload, request.remote_addr or "")
        except InvalidSubmission as invalid:
            abort(422, errors={"json": stringify_keys(invalid.errors)})
        except submissions.RateLimited:
            abort(429, message=RATE_LIMIT_MESSAGE, headers={"Retry-After": str(config.rate_window_seconds)})
        body = {"id": receipt.experience_id, "status": "submitted", "tracking_url": receipt.tracking_path}
        return body, 201 if receipt.created else 200
