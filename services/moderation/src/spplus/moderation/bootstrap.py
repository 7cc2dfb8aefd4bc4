"""Composition root of moderation: settings, the service object, the app, the handlers, the jobs."""
from __future__ import annotations

import datetime as dt

from spplus.chassis.auth import init_auth
from spplus.chassis.cli import main_for
from spplus.chassis.csrf import init_csrf
from spplus.chassis.db import Database
from spplus.chassis.service import Job, ServiceSpec
from spplus.chassis.settings import Settings
from spplus.chassis.web import create_base_app

from .service_layer.services import Config, Moderation
from .service_layer.tokens import ProposalTokens

DEFAULTS = {
    "APPROVAL_WINDOW_SECONDS": 259200,
    "REMINDER_BEFORE_SECONDS": 86400,
    "DEADLINE_JOB_SECONDS": 30.0,
}


def moderation_for(settings: Settings, database: Database) -> Moderation:
    extra = settings.extra
    config = Config(approval_window=dt.timedelta(seconds=extra["APPROVAL_WINDOW_SECONDS"]),
                    remind_before=dt.timedelta(seconds=extra["REMINDER_BEFORE_SECONDS"]))
    return Moderation(database, ProposalTokens(settings.secret_key), config)


def create_app(settings: Settings, database: Database):
    from .entrypoints import api, pages

    app, smorest = create_base_app("moderation", settings, database, __name__, "spplus moderation")
    init_auth(app, settings)
    init_csrf(app, settings)
    app.extensions["moderation"] = moderation_for(settings, database)
    smorest.register_blueprint(api.blp)
    smorest.register_blueprint(api.proposals_blp)
    pages.register(app)
    return app


def handlers(settings: Settings, database: Database) -> dict:
    from .entrypoints.events import handlers as event_handlers

    return event_handlers(moderation_for(settings, database))


def warm_up(settings: Settings) -> None:
    """Run by the worker before it connects: building the language models takes seconds, longer
    than a heartbeat, and must not happen inside the first event's handler."""
    from .adapters.findings import warm_up as build_engines

    build_engines()


def jobs(settings: Settings, database: Database) -> list[Job]:
    moderation = moderation_for(settings, database)
    every = settings.extra["DEADLINE_JOB_SECONDS"]
    return [Job("proposal-deadlines", every, lambda _settings, _database: moderation.process_deadlines()),
            Job("proposal-reminders", every, lambda _settings, _database: moderation.send_reminders()),
            Job("analysis-retry", 300, lambda _settings, _database: moderation.retry_failed_analyses())]


def demo(settings: Settings, database: Database) -> None:
    from .demo import load

    load(moderation_for(settings, database))


spec = ServiceSpec(
    name="moderation",
    port=8003,
    create_app=create_app,
    handlers=handlers,
    jobs=jobs,
    migrations="spplus.moderation:migrations",
    settings_defaults=DEFAULTS,
    demo=demo,
    warm_up=warm_up,
)

main = main_for(spec)
