"""Administration pages: accounts (create, scope, disable) and the referential (search, import, retire)."""
from __future__ import annotations

import json
import math
import re

from flask import Blueprint, abort, make_response, redirect, render_template, request
from sqlalchemy import func, select

from ..adapters import accounts_repository as accounts_repo, structures_repository as structures_repo
from ..adapters.orm import accounts as accounts_table, structures as structures_table
from ..domain.accounts import ROLE_LABELS, AccountError
from ..domain.structures import query_words
from ..service_layer import accounts as accounts_service, auth, imports, resets, structures as structures_service
from .web import config, database, require_page_account, structure_index

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(template: str, status: int = 200, **context):
    return make_response(render_template(template, roles=ROLE_LABELS, **context), status)


def _codes(text: str) -> set[str]:
    return {code.upper() for code in re.split(r"[\s,;]+", text or "") if code}


@bp.get("")
def index():
    account = require_page_account("admin")
    with database().unit_of_work() as session:
        counts = {"accounts": session.scalar(select(func.count()).select_from(accounts_table)),
                  "structures": session.scalar(select(func.count()).select_from(structures_table)
                                               .where(structures_table.c.active.is_(True)))}
    return _page("identity/admin/index.html", account=account, counts=counts)


@bp.get("/comptes")
def account_list():
    account = require_page_account("admin")
    query = request.args.get("q", "")[:200]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    with database().unit_of_work() as session:
        items, total = accounts_repo.listing(session, query, page)
    return _page("identity/admin/accounts.html", account=account, items=items, total=total, query=query,
                 page=page, pages=max(math.ceil(total / 50), 1))


def _form_values(form) -> dict:
    return {"email": form.get("email", "").strip()[:254], "name": form.get("name", "").strip()[:200],
            "roles": set(form.getlist("roles")), "structures": form.get("structures", "")[:2000],
            "active": form.get("active") == "1"}


@bp.route("/comptes/nouveau", methods=["GET", "POST"])
def account_new():
    account = require_page_account("admin")
    if request.method == "GET":
        return _page("identity/admin/account_form.html", account=account, target=None, errors={},
                     values={"email": "", "name": "", "roles": {"agent"}, "structures": "", "active": True})
    values = _form_values(request.form)
    try:
        with database().unit_of_work() as session:
            created = accounts_service.create(session, values["email"], values["name"], values["roles"],
                                              _codes(values["structures"]))
            # The new agent chooses a password from the link sent by e-mail.
            resets.request_reset(session, config(), created.email)
    except AccountError as error:
        return _page("identity/admin/account_form.html", error.status if error.status != 409 else 422,
                     account=account, target=None, errors=error.errors, values=values)
    return redirect(f"/admin/comptes/{created.id}?message=cree", code=303)


@bp.route("/comptes/<account_id>", methods=["GET", "POST"])
def account_edit(account_id):
    account = require_page_account("admin")
    with database().unit_of_work() as session:
        target = accounts_repo.get(session, account_id)
    if target is None:
        abort(404)
    notice = {"cree": "Le compte est créé : un lien pour choisir un mot de passe a été envoyé par e-mail.",
              "enregistre": "Les modifications sont enregistrées."}.get(request.args.get("message", ""))
    if request.method == "GET":
        values = {"email": target.email, "name": target.name, "roles": set(target.roles),
                  "structures": " ".join(sorted(target.structures)), "active": target.active}
        return _page("identity/admin/account_form.html", account=account, target=target, errors={},
                     values=values, notice=notice)
    values = {**_form_values(request.form), "email": target.email}
    if target.id == account.id and ("admin" not in values["roles"] or not values["active"]):
        return _page("identity/admin/account_form.html", 422, account=account, target=target, values=values,
                     errors={"roles": ["Vous ne pouvez pas retirer vos propres droits d'administration."]})
    try:
        with database().unit_of_work() as session:
            accounts_service.update_account(session, target.id, values["name"], values["roles"],
                                            _codes(values["structures"]), values["active"])
            if request.form.get("reset_totp") == "1":
                auth.disable_totp(session, target.id)
    except AccountError as error:
        return _page("identity/admin/account_form.html", 422, account=account, target=target, values=values,
                     errors=error.errors)
    return redirect(f"/admin/comptes/{target.id}?message=enregistre", code=303)


@bp.get("/structures")
def structure_list():
    account = require_page_account("admin")
    query = request.args.get("q", "")[:200]
    network = request.args.get("reseau", "")[:50].upper() or None
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    with database().unit_of_work() as session:
        rows, total = structure_index(session).search(query_words(query), network, None, True, page, 50)
        networks = structures_repo.all_networks(session)
    notice = {"retiree": "La structure est retirée du référentiel."}.get(request.args.get("message", ""))
    return _page("identity/admin/structures.html", account=account, rows=rows, total=total, query=query,
                 network=network, networks=networks, page=page, pages=max(math.ceil(total / 50), 1),
                 errors={}, notice=notice)


@bp.post("/structures/<code>/retirer")
def structure_retire(code):
    require_page_account("admin")
    with database().unit_of_work() as session:
        try:
            structures_service.retire(session, code.upper())
        except LookupError:
            abort(404)
    return redirect("/admin/structures?message=retiree", code=303)


@bp.post("/structures/import")
def structure_import():
    account = require_page_account("admin")
    upload = request.files.get("fichier")
    error = None
    if upload is None or not upload.filename:
        error = "Choisissez un fichier CSV à importer."
    else:
        try:
            with database().unit_of_work() as session:
                import_id = imports.submit(session, upload.filename, upload.read(), account.email)
        except imports.ImportFileError as problem:
            error = str(problem)
    if error:
        with database().unit_of_work() as session:
            networks = structures_repo.all_networks(session)
        return _page("identity/admin/structures.html", 422, account=account, rows=[], total=0, query="",
                     network=None, networks=networks, page=1, pages=1, errors={"fichier": [error]})
    return redirect(f"/admin/imports/{import_id}", code=303)


@bp.get("/imports/<import_id>")
def import_status(import_id):
    account = require_page_account("admin")
    with database().unit_of_work() as session:
        row = imports.get(session, import_id)
    if row is None:
        abort(404)
    return _page("identity/admin/import.html", account=account, item=row, report=json.loads(row["report"] or "[]"),
                 running=row["status"] in ("pending", "running"))
