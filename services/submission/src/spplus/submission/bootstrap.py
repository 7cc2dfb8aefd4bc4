"""Composition root: what the chassis needs to run the submission service in every role."""
from __future__ import annotations

from spplus.chassis.cli import main_for
from spplus.chassis.service import Job, ServiceSpec

from .config import DEFAULTS
from .entrypoints.app import create_app
from .entrypoints.events import handlers
from .service_layer.housekeeping import purge_job


def jobs(settings, database) -> list[Job]:
    every = float(settings.extra.get("PURGE_EVERY_SECONDS", DEFAULTS["PURGE_EVERY_SECONDS"]))
    return [Job("submission-purge", every, purge_job)]


spec = ServiceSpec(
    name="submission",
    port=8002,
    create_app=create_app,
    handlers=handlers,
    jobs=jobs,
    migrations="spplus.submission:migrations",
    settings_defaults=dict(DEFAULTS),
)

main = main_for(spec)
