"""The only API of this service: the failed mails, for administrators (addresses masked)."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from spplus.chassis.auth import require

from ..service_layer.failures import list_failures

blp = Blueprint("notification_failures", __name__, url_prefix="/api/v1/notification",
                description="Courriels qui n'ont pas pu être envoyés (administrateurs).")


class FailuresQuerySchema(Schema):
    retrying = fields.Boolean(load_default=False, metadata={
        "description": "Inclure les courriels encore en cours de nouvelle tentative."})


class FailedMailSchema(Schema):
    id = fields.String()
    status = fields.String()
    template = fields.String()
    event_type = fields.String()
    event_id = fields.String()
    experience_id = fields.String(allow_none=True)
    recipient = fields.String(metadata={"description": "Adresse masquée."})
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    updated_at = fields.String()


@blp.route("/failures")
class Failures(MethodView):
    @blp.arguments(FailuresQuerySchema, location="query")
    @blp.response(200, FailedMailSchema(many=True))
    def get(self, query):
        require("admin")
        database = current_app.config["SPPLUS_DATABASE"]
        with database.unit_of_work() as session:
            return [failure.to_dict() for failure in list_failures(session, include_retrying=query["retrying"])]
