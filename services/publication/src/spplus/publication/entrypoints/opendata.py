"""Open data: every published story (and the structures referential) as CSV or JSON, streamed."""
from __future__ import annotations

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from ..adapters import opendata

blp = Blueprint("opendata", __name__, url_prefix="/api/v1/opendata",
                description="Données ouvertes (licence ouverte) : expériences publiées et référentiel des structures")


def _stream(chunks, mimetype: str, filename: str) -> Response:
    return Response(chunks, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "public, max-age=300",
        "X-Accel-Buffering": "no"})


def _database():
    return current_app.config["SPPLUS_DATABASE"]


@blp.route("/experiences.csv")
class ExperiencesCsv(MethodView):
    @blp.doc(responses={200: {"description": "CSV (UTF-8, séparateur virgule), une ligne par expérience publiée",
                              "content": {"text/csv": {}}}})
    def get(self):
        """Expériences publiées et réponses, au format CSV de l'export national"""
        return _stream(opendata.as_csv(opendata.experience_rows(_database()), opendata.COLUMNS),
                       "text/csv", "experiences.csv")


@blp.route("/experiences.json")
class ExperiencesJson(MethodView):
    @blp.doc(responses={200: {"description": "Tableau JSON, mêmes champs que le CSV",
                              "content": {"application/json": {}}}})
    def get(self):
        """Expériences publiées et réponses, au format JSON"""
        return _stream(opendata.as_json(opendata.experience_rows(_database())), "application/json", "experiences.json")


@blp.route("/structures.csv")
class StructuresCsv(MethodView):
    @blp.doc(responses={200: {"description": "Référentiel des structures", "content": {"text/csv": {}}}})
    def get(self):
        """Référentiel des structures, au format CSV"""
        return _stream(opendata.as_csv(opendata.structure_rows(_database()), opendata.STRUCTURE_COLUMNS),
                       "text/csv", "structures.csv")


@blp.route("/structures.json")
class StructuresJson(MethodView):
    @blp.doc(responses={200: {"description": "Référentiel des structures", "content": {"application/json": {}}}})
    def get(self):
        """Référentiel des structures, au format JSON"""
        return _stream(opendata.as_json(opendata.structure_rows(_database())), "application/json", "structures.json")
