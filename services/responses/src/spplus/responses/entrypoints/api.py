"""The agents' JSON API under /api/v1/agent/ (role agent; scope checked on every item and structure)."""
from __future__ import annotations

import contextlib

from flask import current_app, g
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from spplus.chassis.auth import require, token_from_request

from ..adapters.moderation_client import ModerationChecker
from ..domain import model
from ..domain.model import ResponseError
from ..service_layer import admin, answers, queries
from . import schemas as s

blp = Blueprint("agent", __name__, url_prefix="/api/v1/agent",
                description="Espace agents : répondre aux expériences publiées des structures de son périmètre.")


def database():
    return current_app.config["SPPLUS_DATABASE"]


def target_days() -> int:
    return current_app.config["SPPLUS_SETTINGS"].extra["TARGET_DELAY_DAYS"]


def checker() -> ModerationChecker:
    extra = current_app.config["SPPLUS_SETTINGS"].extra
    return ModerationChecker(extra["MODERATION_URL"], extra["MODERATION_TIMEOUT_SECONDS"], token_from_request(),
                             g.get("request_id"))


@contextlib.contextmanager
def domain_errors():
    """Domain refusals become the platform's French JSON errors."""
    try:
        yield
    except ResponseError as error:
        abort(error.code, message=error.message, **({"errors": error.errors} if error.errors else {}))


AGENT = ("agent",)
READERS = ("agent", "moderator")  # moderators read stories and internal comments too


@blp.route("/options")
class Options(MethodView):
    @blp.response(200, s.OptionsSchema)
    def get(self):
        """Lists of the editor: greetings, statuses, general tags, feelings, action kinds, inbox states."""
        require(*READERS)
        return {"greetings": list(model.GREETINGS), "statuses": model.STATUSES, "general_tags": model.GENERAL_TAGS,
                "feelings": model.FEELINGS, "action_kinds": model.ACTION_KINDS, "item_states": model.ITEM_STATES}


@blp.route("/items")
class Items(MethodView):
    @blp.arguments(s.ItemListArgsSchema, location="query")
    @blp.response(200, s.ItemPageSchema)
    def get(self, args):
        """The inbox: items of the caller's structures and of the structures below them."""
        principal = require(*READERS)
        with domain_errors():
            return queries.list_items(database(), principal, queries.Filters(**args), target_days())


@blp.route("/items/<item_id>")
class Item(MethodView):
    @blp.response(200, s.ItemDetailSchema)
    def get(self, item_id):
        """The story, its answer (working copy and published history), comments, reassignments."""
        principal = require(*READERS)
        with domain_errors():
            return queries.item_detail(database(), principal, item_id, target_days())


@blp.route("/items/<item_id>/response")
class ResponseDraft(MethodView):
    @blp.arguments(s.ResponseContentSchema)
    @blp.response(200, s.ResponseStateSchema)
    def put(self, content, item_id):
        """Save the answer as a draft (a published answer keeps its public version until republished)."""
        principal = require(*AGENT)
        with domain_errors():
            return answers.save_draft(database(), item_id, principal, content)


@blp.route("/items/<item_id>/response/submit")
class SubmitForValidation(MethodView):
    @blp.arguments(s.ResponseContentSchema)
    @blp.response(200, s.ResponseStateSchema)
    def post(self, content, item_id):
        """Send the answer to the structure's validators (two-step validation)."""
        principal = require(*AGENT)
        with domain_errors():
            return answers.submit_for_validation(database(), item_id, principal, content)


@blp.route("/items/<item_id>/response/check")
class CheckBody(MethodView):
    @blp.arguments(s.CheckRequestSchema)
    @blp.response(200, s.CheckSchema)
    def post(self, args, item_id):
        """Have the moderation assistants read a body (the saved one when none is given)."""
        principal = require(*AGENT)
        with domain_errors():
            saved = answers.working_body(database(), item_id, principal)
        return checker()(saved if args["body"] is None else args["body"]).to_dict()


@blp.route("/items/<item_id>/response/publish")
class Publish(MethodView):
    @blp.arguments(s.ResponseContentSchema)
    @blp.response(200, s.PublishResultSchema)
    def post(self, content, item_id):
        """Publish the answer, or its update (new version, history kept). The moderation assistants'
        findings come back as warnings; they never block the publication."""
        principal = require(*AGENT)
        with domain_errors():
            return answers.publish(database(), item_id, principal, content, checker())


@blp.route("/items/<item_id>/comments")
class Comments(MethodView):
    @blp.response(200, s.CommentSchema(many=True))
    def get(self, item_id):
        """Internal comments on the experience (never public, never in an event)."""
        principal = require(*READERS)
        with domain_errors():
            return queries.item_comments(database(), principal, item_id)

    @blp.arguments(s.CommentInSchema)
    @blp.response(201, s.CommentSchema)
    def post(self, payload, item_id):
        principal = require(*READERS)
        with domain_errors():
            return answers.add_comment(database(), item_id, principal, payload["body"])


@blp.route("/items/<item_id>/reassign")
class Reassign(MethodView):
    @blp.arguments(s.ReassignSchema)
    @blp.response(200, s.ReassignResultSchema)
    def post(self, payload, item_id):
        """Hand the experience to a structure below the item's structure."""
        principal = require(*AGENT)
        with domain_errors():
            return answers.reassign(database(), item_id, principal, payload["structure_code"])


@blp.route("/items/<item_id>/transfer-requests")
class TransferRequests(MethodView):
    @blp.arguments(s.TransferRequestInSchema)
    @blp.response(201, s.TransferRequestSchema)
    def post(self, payload, item_id):
        """Ask the moderation team to send the experience to another structure."""
        principal = require(*AGENT)
        with domain_errors():
            return answers.request_transfer(database(), item_id, principal, payload["reason"],
                                            payload["suggested_structure"])


@blp.route("/dashboard")
class Dashboard(MethodView):
    @blp.arguments(s.DashboardArgsSchema, location="query")
    @blp.response(200, s.DashboardSchema)
    def get(self, args):
        """Response rate, median delay to the first answer, overdue items, improvements made;
        in total, per structure and per network, within the caller's scope."""
        principal = require(*READERS)
        with domain_errors():
            return queries.dashboard(database(), principal, args["structure"], target_days())


@blp.route("/structures/<code>/settings")
class StructureSettings(MethodView):
    @blp.response(200, s.StructureSettingsSchema)
    def get(self, code):
        """Two-step validation and validators of a structure (agents of its scope, admins)."""
        principal = require(*AGENT)
        with domain_errors():
            with database().unit_of_work() as session:
                queries.scoped_codes(session, principal, code)
            return admin.get_settings(database(), code)

    @blp.arguments(s.TwoStepSchema)
    @blp.response(200, s.StructureSettingsSchema)
    def put(self, payload, code):
        """Turn two-step validation on or off (admins)."""
        principal = require("admin")
        with domain_errors():
            return admin.set_two_step(database(), principal, code, payload["two_step_validation"])


@blp.route("/structures/<code>/validators")
class Validators(MethodView):
    @blp.arguments(s.ValidatorInSchema)
    @blp.response(200, s.StructureSettingsSchema)
    def post(self, payload, code):
        """Make an agent (by e-mail) a validator of the structure and of the structures below (admins)."""
        principal = require("admin")
        with domain_errors():
            return admin.add_validator(database(), principal, code, payload["email"])


@blp.route("/structures/<code>/validators/<email>")
class Validator(MethodView):
    @blp.response(200, s.StructureSettingsSchema)
    def delete(self, code, email):
        require("admin")
        with domain_errors():
            return admin.remove_validator(database(), code, email)
