"""The moderators' workspace (``/moderation/...``) and the author's approval page (``/proposition/<token>``).

Server-rendered, French, usable without JavaScript: every action is a form that posts and
redirects back to the case with a message (post/redirect/get).
"""
from __future__ import annotations

import functools
import uuid
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from spplus.chassis.auth import current_principal
from spplus.chassis.web import error_response

from ..adapters.tables import structures
from ..domain import reasons as policy
from ..domain.edits import apply_suggestions, diff_segments, highlight_segments, is_minor_change
from ..domain.model import STATE_LABELS, Actor, ModerationError
from ..service_layer import views
from ..service_layer.services import Moderation

bp = Blueprint("pages", __name__, static_folder="../static", static_url_path="/static/moderation")
PARIS = ZoneInfo("Europe/Paris")
PAGE_SIZE = 50
ACTION_LABELS = {
    "open": "Dossier ouvert", "claim": "Prise en charge", "release": "Dossier rendu à la file",
    "publish": "Publication", "reject": "Refus", "propose_edit": "Modification proposée à l'auteur",
    "edit_accepted": "Modification acceptée par l'auteur", "edit_declined": "Modification refusée par l'auteur",
    "edit_expired": "Délai écoulé : version modifiée publiée", "withdraw": "Retrait",
    "reassign": "Changement de structure",
}


def service() -> Moderation:
    return current_app.extensions["moderation"]


def moderator_page(view):
    """Moderators only; someone not signed in is sent to the login page, then back here."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        principal = current_principal()
        if principal is None:
            return redirect(f"/connexion?suivant={quote(request.full_path.rstrip('?'), safe='/')}")
        if not principal.has_role("moderator"):
            abort(403)
        return view(Actor(principal.subject, principal.name or principal.email), *args, **kwargs)

    return wrapped


def checked_id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        abort(404)


def load_case(experience_id: str) -> dict:
    with service().database.unit_of_work() as session:
        case = views.case_detail(session, experience_id)
    if case is None:
        abort(404)
    return case


def active_structures() -> list:
    with service().database.unit_of_work() as session:
        return session.execute(select(structures.c.code, structures.c.name).where(structures.c.active)
                               .order_by(structures.c.name)).all()


def numbered_findings(case: dict, field: str) -> list[dict]:
    return [{**finding, "number": number} for number, finding in enumerate(case["findings"], start=1)
            if finding.get("field", "description") == field]


# -- the queue ---------------------------------------------------------------------------------
@bp.get("/moderation/")
@moderator_page
def queue(actor):
    filter_name = request.args.get("filtre", "a_traiter")
    if filter_name not in views.FILTERS:
        filter_name = "a_traiter"
    newest_first = request.args.get("tri") == "recents"
    page = max(1, request.args.get("page", 1, type=int) or 1)
    with service().database.unit_of_work() as session:
        items, total = views.list_cases(session, filter_name, newest_first=newest_first,
                                        limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        counts = views.filter_counts(session)
    return render_template("moderation/queue.html", items=items, total=total, counts=counts,
                           filters=views.FILTERS, current=filter_name, newest_first=newest_first, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)), actor=actor, now=service().clock())


# -- a case ------------------------------------------------------------------------------------
def render_case(actor: Actor, experience_id: str, errors: dict | None = None, form: dict | None = None,
                status: int = 200):
    case = load_case(experience_id)
    original_pieces = highlight_segments(case["original_description"], numbered_findings(case, "description"))
    title_pieces = highlight_segments(case["original_title"], numbered_findings(case, "title"))
    proposal = case["proposal"]
    return render_template(
        "moderation/case.html", case=case, actor=actor, reasons=policy.REASONS, errors=errors or {},
        form=form or {}, original_pieces=original_pieces, title_pieces=title_pieces,
        numbered=[{**f, "number": n} for n, f in enumerate(case["findings"], start=1)],
        description_diff=diff_segments(case["original_description"], case["description"]) if case["edited"] else None,
        title_diff=diff_segments(case["original_title"], case["title"]) if case["edited"] else None,
        proposal_diff=(diff_segments(proposal["original_description"], proposal["edited_description"])
                       if proposal else None),
        structures=active_structures(), holds_claim=case["claimed_by"] == actor.id and case["state"] == "in_review",
    ), status


@bp.get("/moderation/dossiers/<experience_id>")
@moderator_page
def case_page(actor, experience_id):
    return render_case(actor, checked_id(experience_id))


def act(experience_id: str, success: str, action, *args):
    try:
        action(experience_id, *args)
    except ModerationError as error:
        flash(error.message, "error")
    else:
        flash(success, "success")
    return redirect(url_for("pages.case_page", experience_id=experience_id))


@bp.post("/moderation/dossiers/<experience_id>/prendre")
@moderator_page
def claim(actor, experience_id):
    return act(checked_id(experience_id), "Vous avez pris ce dossier en charge pour 30 minutes.",
               service().claim, actor)


@bp.post("/moderation/dossiers/<experience_id>/rendre")
@moderator_page
def release(actor, experience_id):
    return act(checked_id(experience_id), "Le dossier est rendu à la file.", service().release, actor)


@bp.post("/moderation/dossiers/<experience_id>/publier")
@moderator_page
def publish(actor, experience_id):
    return act(checked_id(experience_id), "L'expérience est publiée.", service().publish, actor)


@bp.post("/moderation/dossiers/<experience_id>/refuser")
@moderator_page
def reject(actor, experience_id):
    experience_id = checked_id(experience_id)
    reason, message = request.form.get("reason", ""), request.form.get("message", "").strip()
    errors = {}
    if policy.get(reason) is None:
        errors["reason"] = "Choisissez un motif de refus."
    if len(message) > 2000:
        errors["message"] = "Le message ne doit pas dépasser 2 000 caractères."
    if errors:
        return render_case(actor, experience_id, errors, dict(request.form), 422)
    return act(experience_id, "L'expérience est refusée ; l'auteur en sera informé.", service().reject, actor,
               reason, message or None)


@bp.post("/moderation/dossiers/<experience_id>/retirer")
@moderator_page
def withdraw(actor, experience_id):
    experience_id = checked_id(experience_id)
    reason = request.form.get("withdraw_reason", "").strip()
    if not 3 <= len(reason) <= 1000:
        errors = {"withdraw_reason": "Indiquez le motif du retrait (3 à 1 000 caractères)."}
        return render_case(actor, experience_id, errors, dict(request.form), 422)
    return act(experience_id, "L'expérience est retirée du site public.", service().withdraw, actor, reason)


@bp.post("/moderation/dossiers/<experience_id>/structures")
@moderator_page
def reassign(actor, experience_id):
    experience_id = checked_id(experience_id)
    from_code, to_code = request.form.get("from_structure_code", ""), request.form.get("to_structure_code", "")
    if not from_code or not to_code:
        errors = {"to_structure_code": "Choisissez la structure à remplacer et la nouvelle."}
        return render_case(actor, experience_id, errors, dict(request.form), 422)
    return act(experience_id, "La structure a été changée.", service().reassign, actor, from_code, to_code)


# -- the editor --------------------------------------------------------------------------------
@bp.route("/moderation/dossiers/<experience_id>/modifier", methods=["GET", "POST"])
@moderator_page
def editor(actor, experience_id):
    experience_id = checked_id(experience_id)
    case = load_case(experience_id)
    errors: dict = {}
    if request.method == "GET":
        title, description, message = case["title"], case["description"], ""
        chosen = request.args.getlist("appliquer")
        if chosen:  # the one-click redaction: the suggestions replace the flagged passages
            picked = [f for n, f in enumerate(case["findings"], start=1) if "tous" in chosen or str(n) in chosen]
            description = apply_suggestions(case["original_description"],
                                            [f for f in picked if f.get("field", "description") == "description"])
            title = apply_suggestions(case["original_title"], [f for f in picked if f.get("field") == "title"])
    else:
        title = request.form.get("title", "").strip()
        description = request.form.get("description", "").strip()
        message = request.form.get("message", "").strip()
        decision = request.form.get("action", "apercu")
        if not 1 <= len(title) <= 150:
            errors["title"] = "Le titre doit contenir entre 1 et 150 caractères."
        if not 1 <= len(description) <= 1000:
            errors["description"] = "Le récit doit contenir entre 1 et 1 000 caractères."
        if len(message) > 2000:
            errors["message"] = "Le message ne doit pas dépasser 2 000 caractères."
        if not errors and decision in ("publier", "proposer"):
            try:
                if decision == "publier":
                    service().publish(experience_id, actor, title, description)
                    flash("L'expérience est publiée avec vos corrections.", "success")
                else:
                    service().propose_edit(experience_id, actor, title, description, message or None)
                    flash("La modification est proposée à l'auteur, qui a 72 heures pour répondre.", "success")
                return redirect(url_for("pages.case_page", experience_id=experience_id))
            except ModerationError as error:
                errors[error.field or "description"] = error.message
    minor = (is_minor_change(case["title"], title, case["findings"], "title")
             and is_minor_change(case["description"], description, case["findings"], "description"))
    return render_template(
        "moderation/editor.html", case=case, title=title, description=description, message=message,
        errors=errors, minor=minor, changed=(title, description) != (case["title"], case["description"]),
        title_diff=diff_segments(case["title"], title),
        description_diff=diff_segments(case["description"], description),
        holds_claim=case["claimed_by"] == actor.id and case["state"] == "in_review", actor=actor,
    ), 422 if errors else 200


# -- statistics --------------------------------------------------------------------------------
@bp.get("/moderation/statistiques")
@moderator_page
def statistics(actor):
    with service().database.unit_of_work() as session:
        stats = views.statistics_by_week(session, service().clock())
    return render_template("moderation/statistics.html", stats=stats, actor=actor)


# -- the author's approval page ----------------------------------------------------------------
@bp.get("/proposition/<token>")
def proposal_page(token):
    try:
        case, proposal = service().proposal(token)
    except ModerationError as error:
        return error_response(error.status, error.message)
    return render_proposal(case, proposal)


@bp.post("/proposition/<token>")
def proposal_answer(token):
    decision = request.form.get("decision")
    try:
        if decision not in ("accept", "decline"):
            case, proposal = service().proposal(token)
            return render_proposal(case, proposal, error="Choisissez d'accepter ou de refuser la modification."), 422
        case, proposal = service().answer(token, decision)
    except ModerationError as error:
        return error_response(error.status, error.message)
    return render_proposal(case, proposal, answered=True)


def render_proposal(case, proposal, error: str | None = None, answered: bool = False):
    overdue = proposal.status == "open" and service().clock() >= proposal.deadline
    return render_template(
        "moderation/proposal.html", case=case, proposal=proposal, error=error, answered=answered, overdue=overdue,
        title_diff=diff_segments(proposal.original_title, proposal.edited_title),
        description_diff=diff_segments(proposal.original_description, proposal.edited_description))


# -- template helpers --------------------------------------------------------------------------
CHANNELS = {
    "counter": "guichet", "phone": "téléphone", "letter": "courrier", "email": "courriel",
    "website": "site internet ou compte en ligne", "online_account": "compte en ligne",
    "mobile_app": "application mobile",
    "chat": "messagerie instantanée", "video": "visioconférence", "video_call": "visioconférence",
    "social_networks": "réseaux sociaux",
}


def french_datetime(value) -> str:
    if value is None:
        return ""
    local = value.astimezone(PARIS)
    return local.strftime("%d/%m/%Y à %H h %M")


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters["date_fr"] = french_datetime
    app.jinja_env.globals.update(STATE_LABELS=STATE_LABELS, ACTION_LABELS=ACTION_LABELS, CHANNELS=CHANNELS,
                                 reason_label=lambda code: policy.get(code).label if policy.get(code) else code)
