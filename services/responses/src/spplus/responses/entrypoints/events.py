"""Events this service consumes: the structures referential and moderation's decisions."""
from __future__ import annotations

from spplus.chassis.referential import replica_handlers

from ..adapters.tables import structures
from ..service_layer import experiences


def handlers(_settings, _database) -> dict:
    return {
        **replica_handlers(structures),
        "experience.published": experiences.on_published,
        "experience.withdrawn": experiences.on_withdrawn,
        "experience.reassigned": experiences.on_reassigned,
    }
