"""The submission web app: the API, the multi-step form and the tracking page."""
from __future__ import annotations

from flask import Blueprint
from werkzeug.middleware.proxy_fix import ProxyFix

from spplus.chassis.csrf import init_csrf
from spplus.chassis.db import Database
from spplus.chassis.settings import Settings
from spplus.chassis.web import create_base_app

from ..config import Config
from . import api, pages


def create_app(settings: Settings, database: Database):
    config = Config.from_settings(settings)
    app, smorest = create_base_app("submission", settings, database, "spplus.submission",
                                   "spplus submission", max_content_length=config.max_body_bytes)
    app.extensions["submission_config"] = config
    if config.proxy_hops > 0:
        # Behind the gateway: the citizen's address is the last hop it appends to X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.proxy_hops)
    init_csrf(app, settings)
    app.register_blueprint(Blueprint("submission_static", __name__, static_folder="../static/submission",
                                     static_url_path="/static/submission"))
    smorest.register_blueprint(api.blp)
    app.register_blueprint(pages.blueprint)
    return app
