"""The public JSON API: search, one story, votes."""
from __future__ import annotations

import uuid

import orjson

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import EXCLUDE, ValidationError
from spplus.chassis.fastroute import FastRoute, first_values

from ..domain.search import SearchCriteria
from ..domain.votes import NotVotable, VoteLimitReached
from ..service_layer import queries
from . import schemas, voting

blp = Blueprint("experiences", __name__, url_prefix="/api/v1",
                description="Expériences publiées, réponses des administrations et votes")

LIMIT_MESSAGE = "Vous avez voté de nombreuses fois en peu de temps. Merci de réessayer dans une heure."
NOT_FOUND = "Cette expérience n'existe pas ou n'est plus publiée."


def _database():
    return current_app.config["SPPLUS_DATABASE"]


_SUMMARY_FIELDS = tuple(schemas.ExperienceSummarySchema().fields)
_PATH_STEP_FIELDS = tuple(schemas.PathStepSchema().fields)
_CHANNEL_FIELDS = tuple(schemas.ChannelUseSchema().fields)


def _summary(item: dict) -> dict:
    summary = {name: item.get(name) for name in _SUMMARY_FIELDS}
    summary["path"] = [{**{name: step.get(name) for name in _PATH_STEP_FIELDS},
                        "channels": [{name: use.get(name) for name in _CHANNEL_FIELDS} for use in step["channels"]]}
                       for step in item["path"]]
    return summary


def search_index(app=None):
    """The process's reader of the search index (PostgreSQL deployments), or None."""
    return (app or current_app).extensions.get("publication_search_index")


def structure_directory(app=None):
    """The process's in-memory copy of the structures (PostgreSQL deployments), or None."""
    return (app or current_app).extensions.get("publication_structure_directory")


def criteria_from(args: dict) -> SearchCriteria:
    return SearchCriteria(q=(args.get("q") or "").strip() or None, network=args.get("network") or None,
                          structure=args.get("structure") or None, feeling=args.get("feeling"),
                          answered=args.get("answered"), date_from=args.get("date_from"),
                          date_to=args.get("date_to"), sort=args["sort"], page=args["page"],
                          per_page=args["per_page"])


def list_body(app, args: dict) -> bytes:
    """The JSON of a page of stories. The busiest call of the platform: written out directly in
    the documented shape (ExperiencePageSchema; a test holds both to the same output) rather than
    through marshmallow, which costs more than the search itself."""
    with app.config["SPPLUS_DATABASE"].reading() as session:
        page, items = queries.search(session, criteria_from(args), search_index(app), structure_directory(app))
    return orjson.dumps({"items": [_summary(item) for item in items], "total": page.total,
                         "total_capped": page.total_capped, "page": page.page, "per_page": page.per_page})


_QUERY_SCHEMA = schemas.ExperienceQuerySchema()


def install_fast_list(app) -> None:
    """Answer ``GET /api/v1/experiences`` in front of Flask (see spplus.chassis.fastroute): the
    same validation and body as the view below, which still answers invalid arguments (422 with
    the French messages) and documents the route."""

    def handler(query_string: str) -> bytes | None:
        try:
            args = _QUERY_SCHEMA.load(first_values(query_string), unknown=EXCLUDE)
        except ValidationError:
            return None
        return list_body(app, args)

    app.wsgi_app = FastRoute(app.wsgi_app, "publication", "/api/v1/experiences", handler)


@blp.route("/experiences")
class Experiences(MethodView):
    @blp.arguments(schemas.ExperienceQuerySchema, location="query")
    @blp.response(200, schemas.ExperiencePageSchema)
    def get(self, args):
        """Rechercher parmi les expériences publiées"""
        return current_app.response_class(list_body(current_app, args), mimetype="application/json")


@blp.route("/experiences/<uuid:experience_id>")
class Experience(MethodView):
    @blp.response(200, schemas.ExperienceDetailSchema)
    @blp.alt_response(404, description="Expérience inconnue ou retirée")
    def get(self, experience_id: uuid.UUID):
        """Une expérience publiée, avec les réponses et le nombre d'expériences similaires"""
        with _database().unit_of_work() as session:
            detail = queries.experience_detail(session, str(experience_id))
        if detail is None:
            abort(404, message=NOT_FOUND)
        return detail


@blp.route("/experiences/<uuid:experience_id>/similar")
class SimilarVote(MethodView):
    @blp.response(200, schemas.SimilarVoteResultSchema)
    @blp.alt_response(404, description="Expérience inconnue ou retirée")
    @blp.alt_response(429, description="Trop de votes depuis cette adresse")
    def post(self, experience_id: uuid.UUID):
        """« J'ai vécu une expérience similaire » (une fois par navigateur ; un second vote renvoie le compte)"""
        try:
            outcome = voting.cast_similar(str(experience_id))
        except NotVotable:
            abort(404, message=NOT_FOUND)
        except VoteLimitReached:
            abort(429, message=LIMIT_MESSAGE)
        return {"counted": outcome.counted, **outcome.counts}


@blp.route("/responses/<uuid:response_id>/votes")
class UsefulVote(MethodView):
    @blp.arguments(schemas.UsefulVoteSchema)
    @blp.response(200, schemas.UsefulVoteResultSchema)
    @blp.alt_response(404, description="Réponse inconnue")
    @blp.alt_response(429, description="Trop de votes depuis cette adresse")
    def post(self, payload, response_id: uuid.UUID):
        """« Cette réponse vous a-t-elle été utile ? » (une fois par navigateur et par réponse)"""
        try:
            outcome = voting.cast_useful(str(response_id), payload["useful"])
        except NotVotable:
            abort(404, message="Cette réponse n'existe pas ou n'est plus publiée.")
        except VoteLimitReached:
            abort(429, message=LIMIT_MESSAGE)
        return {"counted": outcome.counted, **outcome.counts}
