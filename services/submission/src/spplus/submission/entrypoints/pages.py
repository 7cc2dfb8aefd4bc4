"""The citizen's pages: the multi-step form (works without JavaScript) and the tracking page.

Every step posts to itself: what was typed is saved in the server-side draft first, whatever
button was pressed, then the step is checked and the next page shown (post/redirect/get).
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.exceptions import NotFound

from ..domain.rules import InvalidSubmission
from ..domain.tracking import LABELS
from ..domain.vocabulary import CHANNELS, FEELING_LABELS, MONTHS, PATH_MAX, month_label
from ..service_layer import drafts, structures, submissions
from . import forms

blueprint = Blueprint("submission_pages", __name__)
DRAFT_COOKIE = "spplus_submission_draft"
PREVIOUS = {"parcours": "submission_pages.story", "coordonnees": "submission_pages.path",
            "recapitulatif": "submission_pages.about"}


def _database():
    return current_app.config["SPPLUS_DATABASE"]


def _config():
    return current_app.extensions["submission_config"]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="submission-draft")


def _draft_id() -> str | None:
    value = request.cookies.get(DRAFT_COOKIE)
    if not value:
        return None
    try:
        return _serializer().loads(value)
    except BadSignature:
        return None


def _load() -> tuple[str | None, dict]:
    """The draft in progress; a sent draft is not reopened (a new story starts)."""
    draft_id = _draft_id()
    data, sent_as = drafts.load(_database(), draft_id)
    if sent_as is not None:
        return None, dict(drafts.EMPTY)
    return draft_id, data


def _save(draft_id: str | None, data: dict) -> str:
    if draft_id is None:
        draft_id = drafts.new_id()
        g.new_draft_id = draft_id
    drafts.save(_database(), draft_id, data)
    return draft_id


@blueprint.after_app_request
def _draft_cookie(response):
    new_id = g.pop("new_draft_id", None)
    if new_id:
        settings = current_app.config["SPPLUS_SETTINGS"]
        response.set_cookie(DRAFT_COOKIE, _serializer().dumps(new_id), httponly=True, samesite="Lax",
                            secure=settings.cookie_secure, path="/experiences/nouvelle",
                            max_age=_config().draft_retention_hours * 3600)
    return response


def _render(template: str, step: str | None, data: dict, errors: dict | None = None, status: int = 200, **extra):
    flat = forms.flatten(errors or {})
    summary = [(forms.anchor(key), message) for key, messages in flat.items() for message in messages]
    names = structures.names(_database(), [s.get("structure") for s in data.get("path") or []])
    years = list(range(dt.date.today().year, dt.date.today().year - 11, -1))
    html = render_template(template, step=step, data=data, errors=flat, summary=summary, names=names,
                           channels=CHANNELS, feelings=FEELING_LABELS, months=MONTHS, years=years,
                           path_max=PATH_MAX, month_label=month_label, **extra)
    return html, status


def _step_errors(data: dict, step: str) -> dict:
    errors = forms.for_step(submissions.validate(_database(), data), step)
    if step == "recit":
        errors.update(forms.story_errors(data))
    return errors


def _check_on_get(data: dict, step: str) -> dict:
    return _step_errors(data, step) if request.args.get("verifier") else {}


# -- step 1: the story --------------------------------------------------------------------------

@blueprint.route("/experiences/nouvelle", methods=["GET", "POST"])
def story():
    draft_id, data = _load()
    if request.method == "GET":
        return _render("submission/step_story.html", "recit", data, _check_on_get(data, "recit"))
    data = forms.read_story(request.form, data)
    _save(draft_id, data)
    errors = _step_errors(data, "recit")
    if errors:
        return _render("submission/step_story.html", "recit", data, errors)
    return redirect(url_for("submission_pages.path"), 303)


# -- step 2: the administrative path ------------------------------------------------------------

@blueprint.route("/experiences/nouvelle/parcours", methods=["GET", "POST"])
def path():
    draft_id, data = _load()
    query = (request.values.get("q") or "").strip()[:100]
    if request.method == "GET":
        return _path_page(data, query, _check_on_get(data, "parcours"))
    data = forms.read_channels(request.form, data)
    action = request.form.get("action", "next")
    notice = None
    if action.startswith("add:"):
        code = action[4:]
        if structures.is_available(_database(), code):
            data, notice = forms.add_structure(data, code)
        else:
            notice = "Cette structure n'est pas disponible : choisissez-en une autre dans la liste."
    elif action.startswith("remove:") and action[7:].isdigit():
        data = forms.remove_structure(data, int(action[7:]))
    _save(draft_id, data)
    if notice:
        return _path_page(data, query, {"path": [notice]})
    if action == "search":
        return redirect(url_for("submission_pages.path", q=query, _anchor="resultats"), 303)
    if action.startswith("add:"):
        return redirect(url_for("submission_pages.path", _anchor=f"step-{len(data['path']) - 1}"), 303)
    if action == "back":
        return redirect(url_for("submission_pages.story"), 303)
    if action == "next":
        errors = _step_errors(data, "parcours")
        if errors:
            return _path_page(data, query, errors)
        return redirect(url_for("submission_pages.about"), 303)
    return redirect(url_for("submission_pages.path"), 303)


def _path_page(data: dict, query: str, errors: dict):
    results = structures.search(_database(), query) if query else None
    return _render("submission/step_path.html", "parcours", data, errors, query=query, results=results)


@blueprint.get("/experiences/nouvelle/structures.json")
def structure_search():
    """For the form's script: the same results as the search button, as you type."""
    query = (request.args.get("q") or "").strip()[:100]
    results = structures.search(_database(), query) if len(query) >= 2 else []
    return jsonify({"results": results})


# -- step 3: about you ----------------------------------------------------------------------------

@blueprint.route("/experiences/nouvelle/coordonnees", methods=["GET", "POST"])
def about():
    draft_id, data = _load()
    if request.method == "GET":
        return _render("submission/step_about.html", "coordonnees", data, _check_on_get(data, "coordonnees"))
    data = forms.read_about(request.form, data)
    _save(draft_id, data)
    if request.form.get("action") == "back":
        return redirect(url_for("submission_pages.path"), 303)
    errors = _step_errors(data, "coordonnees")
    if errors:
        return _render("submission/step_about.html", "coordonnees", data, errors)
    return redirect(url_for("submission_pages.summary"), 303)


# -- step 4: summary, sending, confirmation -----------------------------------------------------------

STEP_ENDPOINTS = {"recit": "submission_pages.story", "parcours": "submission_pages.path",
                  "coordonnees": "submission_pages.about"}


@blueprint.route("/experiences/nouvelle/recapitulatif", methods=["GET", "POST"])
def summary():
    draft_id, data = _load()
    if request.method == "GET" or draft_id is None:
        if draft_id is None:
            return redirect(url_for("submission_pages.story"), 303)
        return _render("submission/summary.html", "recapitulatif", data)
    try:
        submissions.submit(_database(), _config(), data, request.remote_addr or "", draft_id=draft_id)
    except InvalidSubmission as invalid:
        step = forms.first_step_with_errors(invalid.errors) or "recit"
        return redirect(url_for(STEP_ENDPOINTS[step], verifier=1), 303)
    except submissions.RateLimited:
        from .api import RATE_LIMIT_MESSAGE
        return _render("submission/summary.html", "recapitulatif", data, status=429, blocked=RATE_LIMIT_MESSAGE)
    return redirect(url_for("submission_pages.confirmation"), 303)


@blueprint.get("/experiences/nouvelle/confirmation")
def confirmation():
    _data, experience_id = drafts.load(_database(), _draft_id())
    if experience_id is None:
        return redirect(url_for("submission_pages.story"), 303)
    tracking = submissions.tracking_path(_config(), experience_id)
    response = current_app.make_response(render_template("submission/confirmation.html", tracking_path=tracking))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# -- the private tracking page --------------------------------------------------------------------

@blueprint.route("/suivi/<token>", methods=["GET"])
def tracking(token: str):
    return _tracking_page(token)


def _tracking_page(token: str, errors: dict | None = None, status: int = 200):
    view = submissions.track(_database(), token) if len(token) <= 100 else None
    if view is None:
        raise NotFound()
    flat = forms.flatten(errors or {})
    response = current_app.make_response((render_template(
        "submission/tracking.html", view=view, token=token, labels=LABELS, errors=flat,
        summary=[(key, message) for key, messages in flat.items() for message in messages],
        erased=request.args.get("effacement") == "ok", month_label=month_label,
        feelings=FEELING_LABELS, channels=CHANNELS), status))
    # The token is the key to this page: keep it out of referrers, caches and search engines.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@blueprint.post("/suivi/<token>/effacement")
def erase(token: str):
    if request.form.get("confirm") != "oui":
        return _tracking_page(token, {"confirm": ["Cochez la case pour confirmer l'effacement de vos coordonnées."]})
    if submissions.request_erasure(_database(), token) is None:
        raise NotFound()
    return redirect(url_for("submission_pages.tracking", token=token, effacement="ok"), 303)
