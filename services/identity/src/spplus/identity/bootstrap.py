"""Composition root of identity: the app, the worker's jobs, the demo data and the commands."""
from __future__ import annotations

from spplus.chassis.auth import init_auth
from spplus.chassis.cli import main_for
from spplus.chassis.csrf import init_csrf
from spplus.chassis.service import ServiceSpec
from spplus.chassis.web import create_base_app

from .adapters.structure_index import IndexCache
from .config import DEFAULTS, load_config
from .entrypoints import admin_pages, auth_api, pages, structures_api
from .entrypoints.cli import COMMANDS
from .entrypoints.web import LoginNeeded, login_redirect
from .service_layer.demo import load_demo
from .service_layer.jobs import jobs

MAX_UPLOAD = 8 * 1024 * 1024  # a CSV of tens of thousands of structures


def create_app(settings, database):
    app, api = create_base_app("identity", settings, database, __name__, "spplus identity",
                               max_content_length=MAX_UPLOAD)
    config = load_config(settings)
    app.extensions["identity"] = config
    app.extensions["identity_structure_index"] = IndexCache()
    # Identity verifies its own tokens with its own key (no HTTP call to itself for the JWKS).
    init_auth(app, settings, public_key_pem=config.key.public_pem)
    init_csrf(app, settings)
    api.register_blueprint(structures_api.blp)
    api.register_blueprint(auth_api.blp)
    api.register_blueprint(auth_api.admin_blp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(admin_pages.bp)
    app.register_error_handler(LoginNeeded, login_redirect)
    return app


spec = ServiceSpec(
    name="identity",
    port=8001,
    create_app=create_app,
    jobs=lambda settings, database: jobs(settings, database),
    migrations="spplus.identity:migrations",
    settings_defaults=DEFAULTS,
    demo=load_demo,
    commands=COMMANDS,
)

main = main_for(spec)
