"""Server-rendered pages of the public site. Everything works without JavaScript: searching is a
GET form, voting a POST form (with its CSRF token) that redirects back to the story."""
from __future__ import annotations

import hmac
import threading
import time
import uuid
from functools import lru_cache
from importlib.resources import files

import markdown
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_smorest import abort
from marshmallow import ValidationError
from sqlalchemy import select

from spplus.chassis import csrf

from ..adapters.orm import responses
from ..domain import model
from ..domain.votes import NotVotable, VoteLimitReached
from ..service_layer import queries, votes
from . import schemas, voting
from .api import criteria_from, search_index, structure_directory

bp = Blueprint("pages", __name__, static_folder="../static", static_url_path="/static/publication")

FIELD_LABELS = {"q": "Mots recherchés", "from": "Publiée à partir du", "to": "Publiée jusqu'au",
                "feeling": "Ressenti", "sort": "Trier par", "page": "Page", "per_page": "Résultats par page",
                "network": "Réseau", "structure": "Structure", "answered": "Réponse"}
VOTE_MESSAGES = {
    "similaire": ("success", "Merci : votre expérience similaire a été comptée."),
    "similaire-deja": ("info", "Vous aviez déjà indiqué avoir vécu une expérience similaire : elle reste comptée une fois."),
    "utile": ("success", "Merci pour votre avis sur cette réponse."),
    "utile-deja": ("info", "Vous aviez déjà donné votre avis sur cette réponse : il reste compté une fois."),
    "limite": ("warning", "Vous avez voté de nombreuses fois en peu de temps. Merci de réessayer dans une heure."),
}
CONTENT_PAGES = {
    "programme": ("programme.md", "Le programme Services Publics +"),
    "engagements": ("engagements.md", "Nos huit engagements"),
    "conditions-generales-d-utilisation": ("cgu.md", "Conditions générales d'utilisation"),
    "politique-de-moderation": ("moderation.md", "Politique de modération"),
    "donnees-personnelles": ("donnees-personnelles.md", "Données personnelles"),
}


def _database():
    return current_app.config["SPPLUS_DATABASE"]


def _require_csrf() -> None:
    """The chassis checks form-encoded posts only; a cross-site form can also post text/plain,
    so the vote forms check their token whatever the content type."""
    secret = current_app.config["SPPLUS_SETTINGS"].secret_key
    cookie, sent = request.cookies.get(csrf.COOKIE), request.form.get(csrf.FIELD)
    if not (csrf.is_valid(secret, cookie) and sent and hmac.compare_digest(sent, cookie)):
        abort(403, message=csrf.MESSAGE)


class _Cached:
    """Site-wide figures cost a scan of the whole table: computed at most once per period."""

    def __init__(self):
        self.lock, self.values = threading.Lock(), {}

    def get(self, key, seconds, compute):
        with self.lock:
            stamp, value = self.values.get(key, (0.0, None))
        if time.monotonic() - stamp < seconds and value is not None:
            return value
        value = compute()
        with self.lock:
            self.values[key] = (time.monotonic(), value)
        return value


def _indicators():
    cache: _Cached = current_app.extensions.setdefault("publication_cache", _Cached())

    def compute():
        with _database().unit_of_work() as session:
            return queries.indicators(session)

    return cache.get("indicators", current_app.config["SPPLUS_SETTINGS"].extra["RESULTS_CACHE_SECONDS"], compute)


@bp.get("/")
def home():
    with _database().unit_of_work() as session:
        latest = queries.latest(session, limit=6)
    return render_template("home.html", latest=latest, figures=_indicators())


@bp.get("/experiences")
def experiences():
    errors, page, items = {}, None, []
    try:
        args = schemas.ExperienceQuerySchema().load(request.args.to_dict())
    except ValidationError as error:
        errors = {key: (value if isinstance(value, list) else [str(value)]) for key, value in error.messages.items()}
        args = None
    with _database().reading() as session:
        if args is not None:
            page, items = queries.search(session, criteria_from(args), search_index(), structure_directory())
        network_list = queries.networks(session)
        structure_list = queries.active_structures(session)
    return render_template("experiences.html", page=page, items=items, errors=errors, field_labels=FIELD_LABELS,
                           values=request.args, networks=network_list, structures=structure_list,
                           page_url=_page_url), 200 if not errors else 422


def _page_url(number: int) -> str:
    args = request.args.to_dict()
    args["page"] = str(number)
    return url_for("pages.experiences", **args)


@bp.get("/experiences/<uuid:experience_id>")
def experience(experience_id: uuid.UUID):
    with _database().unit_of_work() as session:
        detail = queries.experience_detail(session, str(experience_id))
        if detail is None:
            abort(404, message="Cette expérience n'existe pas ou n'est plus publiée.")
        my_votes = votes.votes_of(session, voting.existing_voter_id(), detail["id"],
                                  [answer["id"] for answer in detail["responses"]])
    message = VOTE_MESSAGES.get(request.args.get("vote", ""))
    return render_template("experience.html", experience=detail, my_votes=my_votes, message=message,
                           feelings=model.FEELING_LABELS)


@bp.post("/experiences/<uuid:experience_id>/similaire")
def vote_similar(experience_id: uuid.UUID):
    _require_csrf()
    try:
        outcome = voting.cast_similar(str(experience_id))
        status = "similaire" if outcome.counted else "similaire-deja"
    except NotVotable:
        abort(404, message="Cette expérience n'existe pas ou n'est plus publiée.")
    except VoteLimitReached:
        status = "limite"
    return redirect(url_for("pages.experience", experience_id=experience_id, vote=status, _anchor="similaire"), 303)


@bp.post("/reponses/<uuid:response_id>/utile")
def vote_useful(response_id: uuid.UUID):
    _require_csrf()
    choice = request.form.get("utile")
    if choice not in ("oui", "non"):
        abort(400, message="Choisissez « Oui » ou « Non ».")
    with _database().unit_of_work() as session:
        experience_id = session.execute(select(responses.c.experience_id)
                                        .where(responses.c.id == str(response_id))).scalar()
    if experience_id is None:
        abort(404, message="Cette réponse n'existe pas ou n'est plus publiée.")
    try:
        outcome = voting.cast_useful(str(response_id), choice == "oui")
        status = "utile" if outcome.counted else "utile-deja"
    except NotVotable:
        abort(404, message="Cette réponse n'existe pas ou n'est plus publiée.")
    except VoteLimitReached:
        status = "limite"
    return redirect(url_for("pages.experience", experience_id=experience_id, vote=status,
                            _anchor=f"reponse-{response_id}"), 303)


@bp.get("/resultats")
def results():
    return render_template("resultats.html", figures=_indicators(), format_delay=model.format_delay)


@lru_cache(maxsize=None)
def render_markdown(filename: str) -> str:
    source = files("spplus.publication").joinpath("content", filename).read_text(encoding="utf-8")
    # Our own files, not user text: their HTML is trusted.
    return markdown.markdown(source, extensions=["toc", "tables", "sane_lists"], output_format="html")


def _content_view(slug: str):
    filename, title = CONTENT_PAGES[slug]

    def view():
        return render_template("content.html", title=title, body=render_markdown(filename))

    view.__name__ = f"content_{slug.replace('-', '_')}"
    return view


for _slug in CONTENT_PAGES:
    bp.add_url_rule(f"/{_slug}", view_func=_content_view(_slug))
