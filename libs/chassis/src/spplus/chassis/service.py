"""What a service declares about itself, once, for the CLI, the worker, the launcher and the tests.

Each service exposes a ``ServiceSpec`` under the entry point group ``spplus.services``
(``[project.entry-points."spplus.services"] identity = "spplus.identity.bootstrap:spec"``);
that one line is how a service plugs into ``make run``.
"""
from __future__ import annotations

import dataclasses
from importlib.metadata import entry_points
from typing import Callable

import click
from flask import Flask

from .consumer import Handler
from .db import Database
from .settings import Settings, load_settings


@dataclasses.dataclass(frozen=True)
class Job:
    """A scheduled job of the worker. It must be safe to run on several replicas at once
    (use row locks or ``SKIP LOCKED``), since every worker replica runs it."""

    name: str
    every_seconds: float
    run: Callable[[Settings, Database], None]


@dataclasses.dataclass(frozen=True)
class ServiceSpec:
    name: str
    port: int
    # create_app(settings, database) -> Flask
    create_app: Callable[[Settings, Database], Flask]
    # handlers(settings, database) -> {"event.type": handler(session, event)}
    handlers: Callable[[Settings, Database], dict[str, Handler]] = lambda settings, database: {}
    jobs: Callable[[Settings, Database], list[Job]] = lambda settings, database: []
    # Alembic script location, e.g. "spplus.identity:migrations"
    migrations: str | None = None
    settings_defaults: dict = dataclasses.field(default_factory=dict)
    # demo(settings, database): loads demo data for ``make run`` (idempotent); prints accounts.
    demo: Callable[[Settings, Database], None] | None = None
    commands: tuple[click.Command, ...] = ()
    # A gateway or other process without a database or worker.
    has_worker: bool = True
    # warm_up(settings): slow one-time preparation of the worker (language models…), run before
    # any broker connection opens, so no heartbeat is missed while it runs.
    warm_up: Callable[[Settings], None] | None = None
    # on_api_worker(app): run in each API worker process once its app is loaded (background
    # threads that serve the requests of that process, such as a local index's upkeep).
    on_api_worker: Callable[[Flask], None] | None = None

    def settings(self) -> Settings:
        return load_settings(self.name, **self.settings_defaults)


def discover() -> dict[str, ServiceSpec]:
    """Every installed service, by name, ordered by port."""
    specs = [ep.load() for ep in entry_points(group="spplus.services")]
    return {spec.name: spec for spec in sorted(specs, key=lambda spec: spec.port)}


def installed_names() -> list[str]:
    return sorted(ep.name for ep in entry_points(group="spplus.services"))


def load(name: str) -> ServiceSpec:
    """One service's spec, without importing the others (a role starts faster)."""
    (entry_point,) = entry_points(group="spplus.services", name=name)
    return entry_point.load()
