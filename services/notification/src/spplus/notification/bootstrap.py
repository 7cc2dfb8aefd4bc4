"""Composition root of the notification service."""
from __future__ import annotations

import datetime as dt

from spplus.chassis.auth import init_auth
from spplus.chassis.cli import main_for
from spplus.chassis.db import Database
from spplus.chassis.service import Job, ServiceSpec
from spplus.chassis.settings import Settings
from spplus.chassis.web import create_base_app

from .config import DEFAULTS, NotificationConfig
from .entrypoints import api
from .entrypoints.cli import COMMANDS
from .entrypoints.events import handlers
from .service_layer.retention import scrub_old_mails
from .service_layer.sending import send_due


def create_app(settings: Settings, database: Database):
    app, flask_api = create_base_app("notification", settings, database, __name__, "spplus notification")
    init_auth(app, settings)
    flask_api.register_blueprint(api.blp)
    return app


def jobs(settings: Settings, database: Database) -> list[Job]:
    config = NotificationConfig.from_settings(settings)

    def scrub(_settings, _database) -> None:
        with database.unit_of_work() as session:
            scrub_old_mails(session, dt.timedelta(days=config.log_retention_days))

    return [Job("send-mails", config.send_every_seconds, lambda _settings, _database: send_due(config, database)),
            Job("scrub-mail-log", 3600, scrub)]


spec = ServiceSpec(
    name="notification",
    port=8004,
    create_app=create_app,
    handlers=handlers,
    jobs=jobs,
    migrations="spplus.notification:migrations",
    settings_defaults=DEFAULTS,
    commands=COMMANDS,
)

main = main_for(spec)
