"""The agents' space: server-rendered French pages, usable without JavaScript."""
from __future__ import annotations

import contextlib
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError
from spplus.chassis.auth import current_principal, token_from_request

from ..adapters.moderation_client import ModerationChecker
from ..domain.model import ITEM_STATES, ResponseError
from ..service_layer import answers, queries
from . import schemas as s

bp = Blueprint("pages", __name__, url_prefix="/espace-agent")

FIELD_LABELS = {"greeting": "Formule de politesse", "body": "Réponse", "signature": "Signature",
                "status": "Statut", "actions": "Actions d'amélioration", "tags": "Étiquettes métier",
                "general_tags": "Étiquettes générales", "structure_code": "Structure",
                "reason": "Motif", "suggested_structure": "Structure suggérée"}


def database():
    return current_app.config["SPPLUS_DATABASE"]


def target_days() -> int:
    return current_app.config["SPPLUS_SETTINGS"].extra["TARGET_DELAY_DAYS"]


@bp.before_request
def _signed_in_agent():
    """No token: to the login page, coming back here after. Wrong role: 403."""
    principal = current_principal()
    if principal is None:
        return redirect("/connexion?" + urlencode({"suivant": request.full_path.rstrip("?")}))
    if not principal.has_role("agent", "moderator"):
        abort(403)
    g.principal = principal
    return None


@contextlib.contextmanager
def refused():
    try:
        yield
    except ResponseError as error:
        if error.code in (403, 404):
            abort(error.code)
        raise


@bp.app_template_filter("date_fr")
def date_fr(value, with_time: bool = False) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y à %H:%M" if with_time else "%d/%m/%Y")


@bp.get("/")
def inbox():
    args, errors = _load(s.ItemListArgsSchema(), request.args)
    if errors:
        args = s.ItemListArgsSchema().load({})
    with refused():
        page = queries.list_items(database(), g.principal, queries.Filters(**args), target_days())
    return render_template("responses/inbox.html", page=page, args=args, errors=errors,
                           structures=queries.structure_choices(database(), g.principal), states=ITEM_STATES)


@bp.get("/elements/<item_id>")
def item(item_id):
    return _item_page(item_id)


def _item_page(item_id, status: int = 200, form: dict | None = None, errors: dict | None = None,
               check: dict | None = None, section: str = "reponse"):
    with refused():
        detail = queries.item_detail(database(), g.principal, item_id, target_days())
    content = form if form is not None else (detail["response"] or {})
    latest_check = detail["history"][0]["check"] if detail["history"] else None
    return render_template("responses/item.html", item=detail, content=content, errors=errors or {},
                           section=section, check=check, latest_check=latest_check,
                           field_labels=FIELD_LABELS), status


def _load(schema, data):
    try:
        return schema.load(data), {}
    except ValidationError as error:
        return None, error.messages


def _editor_form() -> dict:
    """The editor's fields as the JSON API takes them (the same schema validates both)."""
    form = request.form
    actions = []
    for index in range(int(form.get("action_rows", "0") or 0)):
        description = form.get(f"action-{index}-description", "").strip()
        if description:
            actions.append({"kind": form.get(f"action-{index}-kind", ""), "description": description})
    general = {key: form[f"general-{key}"] for key in s.GENERAL_TAGS if form.get(f"general-{key}")}
    return {"greeting": form.get("greeting") or None, "body": form.get("body", ""),
            "signature": form.get("signature", ""), "status": form.get("status") or None, "actions": actions,
            "tags": [tag.strip() for tag in form.get("tags", "").split(",") if tag.strip()], "general_tags": general}


@bp.post("/elements/<item_id>/reponse")
def save_response(item_id):
    raw = _editor_form()
    action = request.form.get("action", "save")
    content, errors = _load(s.ResponseContentSchema(), raw)
    if errors:
        return _item_page(item_id, 422, form=raw, errors=_flat_errors(errors))
    checker = ModerationChecker(current_app.config["SPPLUS_SETTINGS"].extra["MODERATION_URL"],
                                current_app.config["SPPLUS_SETTINGS"].extra["MODERATION_TIMEOUT_SECONDS"],
                                token_from_request(), g.get("request_id"))
    try:
        with refused():
            if action == "check":
                answers.save_draft(database(), item_id, g.principal, content)
                return _item_page(item_id, check=checker(content["body"]).to_dict())
            if action == "submit":
                answers.submit_for_validation(database(), item_id, g.principal, content)
                flash("La réponse a été envoyée en validation.", "success")
            elif action == "publish":
                result = answers.publish(database(), item_id, g.principal, content, checker)
                flash("La réponse est publiée." if result["version"] == 1
                      else f"La mise à jour est publiée (version {result['version']}).", "success")
            else:
                answers.save_draft(database(), item_id, g.principal, content)
                flash("Le brouillon est enregistré.", "success")
    except ResponseError as error:
        return _item_page(item_id, error.code if error.code < 500 else 409, form=raw,
                          errors=_flat_errors(error.errors or {"_": [error.message]}))
    return redirect(url_for("pages.item", item_id=item_id) + "#reponse", 303)


def _flat_errors(errors: dict) -> dict[str, str]:
    """Marshmallow's nested messages as one French sentence per form field."""
    flat = {}
    for field, messages in errors.items():
        if isinstance(messages, dict):
            parts = [m for value in messages.values() for m in (value if isinstance(value, list) else [str(value)])]
            flat[field] = " ".join(str(part) for part in parts if not isinstance(part, dict)) or "Valeur invalide."
        else:
            flat[field] = " ".join(str(m) for m in messages)
    return flat


@bp.post("/elements/<item_id>/commentaires")
def comment(item_id):
    payload, errors = _load(s.CommentInSchema(), {"body": request.form.get("body", "").strip()})
    if errors:
        return _item_page(item_id, 422, errors={"comment": "Écrivez un commentaire (2 000 caractères au plus)."},
                          section="commentaires")
    with refused():
        answers.add_comment(database(), item_id, g.principal, payload["body"])
    flash("Le commentaire est ajouté.", "success")
    return redirect(url_for("pages.item", item_id=item_id) + "#commentaires", 303)


@bp.post("/elements/<item_id>/reaffectation")
def reassign(item_id):
    code = request.form.get("structure_code", "")
    try:
        with refused():
            result = answers.reassign(database(), item_id, g.principal, code)
    except ResponseError as error:
        return _item_page(item_id, 422 if error.code == 422 else 409,
                          errors={"structure_code": error.message}, section="reaffectation")
    flash(f"L'expérience est réaffectée à {result['structure_name']}.", "success")
    return redirect(url_for("pages.item", item_id=item_id), 303)


@bp.post("/elements/<item_id>/transfert")
def transfer(item_id):
    payload, errors = _load(s.TransferRequestInSchema(), {
        "reason": request.form.get("reason", "").strip(),
        "suggested_structure": request.form.get("suggested_structure", "").strip() or None})
    if errors:
        return _item_page(item_id, 422, errors={"reason": "Indiquez le motif de la demande (1 000 caractères au plus)."},
                          section="transfert")
    try:
        with refused():
            answers.request_transfer(database(), item_id, g.principal, payload["reason"],
                                     payload["suggested_structure"])
    except ResponseError as error:
        return _item_page(item_id, 409, errors={"reason": error.message}, section="transfert")
    flash("La demande de transfert est transmise à l'équipe de modération.", "success")
    return redirect(url_for("pages.item", item_id=item_id) + "#transfert", 303)


@bp.get("/tableau-de-bord")
def dashboard():
    structure = request.args.get("structure") or None
    with refused():
        figures = queries.dashboard(database(), g.principal, structure, target_days())
    return render_template("responses/dashboard.html", figures=figures, structure=structure,
                           structures=queries.structure_choices(database(), g.principal))

