"""The Flask app of the responses service: the agents' API and the agents' space pages."""
from __future__ import annotations

from flask import Blueprint
from spplus.chassis.auth import init_auth
from spplus.chassis.csrf import init_csrf
from spplus.chassis.web import create_base_app

from ..domain import model
from . import api, pages


def create_app(settings, database):
    app, smorest = create_base_app("responses", settings, database, "spplus.responses",
                                   "spplus responses : réponses des administrations")
    init_auth(app, settings)
    init_csrf(app, settings)
    smorest.register_blueprint(api.blp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(Blueprint("responses_static", "spplus.responses", static_folder="static",
                                     static_url_path="/static/responses"))
    app.jinja_env.globals.update(labels={"states": model.ITEM_STATES, "statuses": model.STATUSES,
                                         "general_tags": model.GENERAL_TAGS, "feelings": model.FEELINGS,
                                         "action_kinds": model.ACTION_KINDS}, greetings=model.GREETINGS)
    return app
