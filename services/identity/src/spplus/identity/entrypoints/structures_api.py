"""Public API of the referential, plus the admin's writes and imports."""
from __future__ import annotations

import json
import math

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from ..adapters import structures_repository as repo
from ..domain.channels import CHANNELS
from ..domain.structures import InvalidStructure, query_words
from ..service_layer import imports, structures as service
from . import schemas
from .web import database, require_account, structure_index

blp = Blueprint("structures", __name__, url_prefix="/api/v1", description="Référentiel des structures")


def _structure(row) -> dict:
    return {"code": row.code, "name": row.name, "network_code": row.network_code, "network_name": row.network_name,
            "parent_code": row.parent_code, "postal_code": row.postal_code, "city": row.city,
            "active": row.active, "updated_at": row.updated_at}


@blp.route("/structures")
class Structures(MethodView):
    @blp.arguments(schemas.StructureQuerySchema, location="query")
    @blp.response(200, schemas.StructurePageSchema)
    def get(self, args):
        """Search structures (autocomplete): every word must begin a word of the name, city or postal code."""
        network = (args["network"] or "").strip().upper() or None
        with database().unit_of_work() as session:
            rows, total = structure_index(session).search(query_words(args["q"]), network, args["postal_code"],
                                                          args["include_retired"], args["page"], args["per_page"])
        return {"items": [_structure(row) for row in rows], "total": total, "page": args["page"],
                "per_page": args["per_page"], "pages": math.ceil(total / args["per_page"])}


@blp.route("/structures/<code>")
class StructureDetail(MethodView):
    @blp.response(200, schemas.StructureDetailSchema)
    @blp.alt_response(404, description="Code inconnu")
    def get(self, code):
        with database().unit_of_work() as session:
            row = repo.detail(session, code.upper())
            if row is None:
                abort(404, message=f"Aucune structure n'a le code « {code} ».")
            children = [{"code": c.code, "name": c.name, "active": c.active} for c in repo.children(session, row.code)]
        return {**_structure(row), "children": children}

    @blp.arguments(schemas.StructureWriteSchema)
    @blp.response(200, schemas.StructureSchema)
    def put(self, payload, code):
        """Create or update a structure (administrators)."""
        require_account("admin")
        with database().unit_of_work() as session:
            try:
                structure, _created = service.save_one(session, {**payload, "code": code})
            except InvalidStructure as error:
                abort(422, message="Certaines informations sont invalides.", errors={"json": error.errors})
            row = repo.detail(session, structure.code)
        return _structure(row)

    @blp.response(204)
    def delete(self, code):
        """Retire a structure (administrators): it stays for history, inactive."""
        require_account("admin")
        with database().unit_of_work() as session:
            try:
                service.retire(session, code.upper())
            except LookupError:
                abort(404, message=f"Aucune structure n'a le code « {code} ».")


@blp.route("/networks")
class Networks(MethodView):
    @blp.response(200, schemas.NetworkSchema(many=True))
    def get(self):
        with database().unit_of_work() as session:
            return [{"code": n.code, "name": n.name} for n in repo.all_networks(session)]


@blp.route("/channels")
class Channels(MethodView):
    @blp.response(200, schemas.ChannelSchema(many=True))
    def get(self):
        return [{"code": channel.code, "label": channel.label} for channel in CHANNELS]


def import_view(row) -> dict:
    return {**{key: row[key] for key in ("id", "filename", "status", "total", "processed", "inserted",
                                         "updated", "unchanged", "rejected", "error")},
            "report": json.loads(row["report"] or "[]")}


@blp.route("/structures/imports")
class Imports(MethodView):
    @blp.arguments(schemas.ImportUploadSchema, location="files")
    @blp.response(202, schemas.ImportSchema)
    def post(self, files):
        """Upload a CSV file (administrators); the worker imports it, follow it with GET."""
        account = require_account("admin")
        upload = request.files["file"]
        with database().unit_of_work() as session:
            try:
                import_id = imports.submit(session, upload.filename or "import.csv", upload.read(), account.email)
            except imports.ImportFileError as error:
                abort(422, message=str(error), errors={"files": {"file": [str(error)]}})
            return import_view(imports.get(session, import_id))


@blp.route("/structures/imports/<import_id>")
class ImportStatus(MethodView):
    @blp.response(200, schemas.ImportSchema)
    def get(self, import_id):
        require_account("admin")
        with database().unit_of_work() as session:
            row = imports.get(session, import_id)
        if row is None:
            abort(404, message="Cet import n'existe pas.")
        return import_view(row)
