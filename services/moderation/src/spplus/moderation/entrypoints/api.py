"""The moderation JSON API: ``/api/v1/moderation/...`` (moderators) and ``/api/v1/proposals/<token>``
(the author's answer, through the signed link)."""
from __future__ import annotations

import dataclasses
import uuid

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from spplus.chassis.auth import require

from ..adapters import findings as analysis
from ..domain import reasons as policy
from ..domain.model import Actor, ModerationError
from ..service_layer import views
from ..service_layer.services import Moderation
from . import schemas

blp = Blueprint("moderation", __name__, url_prefix="/api/v1/moderation",
                description="Dossiers de modération, décisions et motifs (rôle modérateur).")
proposals_blp = Blueprint("proposals", __name__, url_prefix="/api/v1/proposals",
                          description="Réponse de l'auteur à une modification proposée (lien signé).")


def service() -> Moderation:
    return current_app.extensions["moderation"]


def moderator() -> Actor:
    principal = require("moderator")
    return Actor(principal.subject, principal.name or principal.email)


def fail(error: ModerationError):
    errors = {"json": {error.field: [error.message]}} if error.field and error.status == 422 else None
    abort(error.status, message=error.message, **({"errors": errors} if errors else {}))


def checked_id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        abort(404, message="Ce dossier n'existe pas.")


def detail(experience_id: str) -> dict:
    with service().database.unit_of_work() as session:
        found = views.case_detail(session, experience_id)
    if found is None:
        abort(404, message="Ce dossier n'existe pas.")
    return found


def run(action, *args, **kwargs) -> dict:
    try:
        case = action(*args, **kwargs)
    except ModerationError as error:
        fail(error)
    case = case[0] if isinstance(case, tuple) else case
    return detail(case.experience_id)


DECISION_ERRORS = [(404, "Dossier introuvable"), (409, "Action impossible dans l'état du dossier"),
                   (422, "Données invalides")]


def responses(view):
    for code, description in DECISION_ERRORS:
        view = blp.alt_response(code, description=description)(view)
    return view


@blp.route("/cases")
class Cases(MethodView):
    @blp.arguments(schemas.CaseQuerySchema, location="query")
    @blp.response(200, schemas.CaseListSchema)
    def get(self, query):
        """Lister les dossiers : par défaut ceux à traiter (nouveaux et en cours d'examen), les plus anciens d'abord."""
        moderator()
        with service().database.unit_of_work() as session:
            items, total = views.list_cases(session, state=query["state"] or None,
                                            filter_name="a_traiter", flagged=query["flagged"],
                                            newest_first=query["order"] == "newest",
                                            limit=query["limit"], offset=query["offset"])
            counts = views.state_counts(session)
        return {"items": items, "total": total, "counts": counts}


@blp.route("/cases/<case_id>")
class CaseView(MethodView):
    @blp.response(200, schemas.CaseSchema)
    @blp.alt_response(404, description="Dossier introuvable")
    def get(self, case_id):
        """Un dossier : le récit, le parcours, les constats automatiques, la proposition et l'historique."""
        moderator()
        return detail(checked_id(case_id))


def _action(path: str, summary: str, schema=None):
    """Register ``POST /cases/<id>/<path>`` calling ``handler(id, actor, payload)``."""

    def register(handler):
        def view(*args, case_id):
            actor = moderator()
            return run(handler, checked_id(case_id), actor, args[0] if args else {})

        view.__name__ = f"case_{path.replace('-', '_')}"
        view.__doc__ = summary
        view = blp.response(200, schemas.CaseSchema)(view)
        view = responses(view)
        if schema is not None:
            view = blp.arguments(schema)(view)
        blp.route(f"/cases/<case_id>/{path}", methods=["POST"])(view)
        return handler

    return register


@_action("claim", "Prendre le dossier en charge (30 minutes, renouvelables).")
def _claim(case_id, actor, _payload):
    return service().claim(case_id, actor)


@_action("release", "Rendre le dossier à la file.")
def _release(case_id, actor, _payload):
    return service().release(case_id, actor)


@_action("publish", "Publier tel quel, ou avec des corrections mineures.", schemas.PublishSchema)
def _publish(case_id, actor, payload):
    return service().publish(case_id, actor, payload.get("title"), payload.get("description"))


@_action("propose-edit", "Proposer une modification substantielle à l'auteur (72 heures).", schemas.ProposeEditSchema)
def _propose(case_id, actor, payload):
    return service().propose_edit(case_id, actor, payload["title"], payload["description"], payload.get("message"))


@_action("reject", "Refuser avec un motif de la politique de modération.", schemas.RejectSchema)
def _reject(case_id, actor, payload):
    return service().reject(case_id, actor, payload["reason"], payload.get("message"))


@_action("structures", "Changer une structure du parcours.", schemas.ReassignSchema)
def _reassign(case_id, actor, payload):
    return service().reassign(case_id, actor, payload["from_structure_code"], payload["to_structure_code"])


@blp.route("/experiences/<experience_id>/withdraw", methods=["POST"])
@blp.arguments(schemas.WithdrawSchema)
@blp.response(200, schemas.CaseSchema)
@responses
def withdraw(payload, experience_id):
    """Retirer une expérience publiée (motif enregistré)."""
    actor = moderator()
    return run(service().withdraw, checked_id(experience_id), actor, payload["reason"])


@blp.route("/reasons")
@blp.response(200, schemas.ReasonSchema(many=True))
def reasons():
    """Les motifs de refus de la politique de modération."""
    moderator()
    return [dataclasses.asdict(reason) for reason in policy.REASONS]


@blp.route("/analyze", methods=["POST"])
@blp.arguments(schemas.AnalyzeSchema)
@blp.response(200, schemas.AnalysisSchema)
def analyze(payload):
    """Vérifications automatiques d'un texte (modérateurs et agents)."""
    require("moderator", "agent")
    return {"findings": analysis.analyze(payload["text"], payload.get("experienced_on"))}


@blp.route("/statistics")
@blp.response(200, schemas.StatisticsSchema)
def statistics():
    """File d'attente, délai médian de décision, motifs, part des modifications substantielles, par semaine."""
    moderator()
    with service().database.unit_of_work() as session:
        return views.statistics_by_week(session, service().clock())


@proposals_blp.route("/<token>")
class ProposalView(MethodView):
    @proposals_blp.response(200, schemas.AuthorProposalSchema)
    @proposals_blp.alt_response(404, description="Lien invalide")
    def get(self, token):
        """La proposition : texte d'origine et texte modifié."""
        try:
            case, proposal = service().proposal(token)
        except ModerationError as error:
            fail(error)
        return {**dataclasses.asdict(proposal), "experience_id": case.experience_id}

    @proposals_blp.arguments(schemas.DecisionSchema)
    @proposals_blp.response(200, schemas.AuthorProposalSchema)
    @proposals_blp.alt_response(404, description="Lien invalide")
    @proposals_blp.alt_response(409, description="Déjà répondu")
    @proposals_blp.alt_response(410, description="Délai dépassé")
    def post(self, payload, token):
        """Accepter ou refuser la proposition (une seule fois, avant la date limite)."""
        try:
            case, proposal = service().answer(token, payload["decision"])
        except ModerationError as error:
            fail(error)
        return {**dataclasses.asdict(proposal), "experience_id": case.experience_id}
