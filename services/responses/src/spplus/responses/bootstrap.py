"""Composition root of the responses service."""
from __future__ import annotations

from spplus.chassis.cli import main_for
from spplus.chassis.service import ServiceSpec

from .entrypoints.app import create_app
from .entrypoints.events import handlers

SETTINGS_DEFAULTS = {
    # Days an agent has to answer before the inbox marks the item overdue.
    "TARGET_DELAY_DAYS": 15,
    "MODERATION_URL": "http://127.0.0.1:8003",
    "MODERATION_TIMEOUT_SECONDS": 2.0,
}

spec = ServiceSpec(
    name="responses",
    port=8006,
    create_app=create_app,
    handlers=handlers,
    migrations="spplus.responses:migrations",
    settings_defaults=SETTINGS_DEFAULTS,
)

main = main_for(spec)
