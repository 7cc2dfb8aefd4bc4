"""Atom feeds of newly published stories: the whole site, and one per structure."""
from __future__ import annotations

from feedgen.feed import FeedGenerator
from flask import Blueprint, Response, current_app
from flask_smorest import abort

from ..service_layer import queries

bp = Blueprint("feeds", __name__)
FEED_SIZE = 50


def _feed(feed_id: str, title: str, self_path: str, items: list[dict]) -> Response:
    base = current_app.config["SPPLUS_SETTINGS"].public_base_url
    generator = FeedGenerator()
    generator.id(f"{base}{feed_id}")
    generator.title(title)
    generator.language("fr")
    generator.link(href=f"{base}{self_path}", rel="self")
    generator.link(href=f"{base}/experiences", rel="alternate")
    generator.subtitle("Les dernières expériences publiées sur Services Publics +")
    generator.updated(items[0]["published_at"] if items else None)
    for item in reversed(items):  # feedgen puts the last added first
        entry = generator.add_entry()
        entry.id(f"{base}/experiences/{item['id']}")
        entry.title(item["title"])
        entry.link(href=f"{base}/experiences/{item['id']}")
        entry.published(item["published_at"])
        entry.updated(item["published_at"])
        entry.author(name=item["pseudonym"] or "Usager anonyme")
        entry.summary(item["description"])
        for step in item["path"]:
            entry.category(term=step["structure_code"], label=step["structure_name"])
    if not items:
        generator.updated(None)
    return Response(generator.atom_str(pretty=True), mimetype="application/atom+xml")


@bp.get("/experiences/flux.atom")
def all_experiences():
    database = current_app.config["SPPLUS_DATABASE"]
    with database.unit_of_work() as session:
        items = queries.latest(session, FEED_SIZE)
    return _feed("/experiences/flux.atom", "Services Publics + : dernières expériences", "/experiences/flux.atom", items)


@bp.get("/structures/<code>/flux.atom")
def structure_experiences(code: str):
    database = current_app.config["SPPLUS_DATABASE"]
    with database.unit_of_work() as session:
        structure = queries.structure(session, code)
        if structure is None:
            abort(404, message="Cette structure n'existe pas dans le référentiel.")
        items = queries.latest(session, FEED_SIZE, structure_code=code)
    path = f"/structures/{code}/flux.atom"
    return _feed(path, f"Services Publics + : expériences concernant {structure['name']}", path, items)
