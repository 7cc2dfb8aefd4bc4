"""The command line of every service: one code base, several roles (api, worker, migrate…)."""
from __future__ import annotations

import json
import os
import sys

import click
from gunicorn.app.base import BaseApplication

from . import amqp
from . import dlq as dlq_tools
from . import outbox
from .db import Database
from .logs import configure_logging
from .service import ServiceSpec
from .worker import freeze_startup_objects


class _Gunicorn(BaseApplication):
    def __init__(self, app_factory, options):
        self.app_factory, self.options = app_factory, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings:  # control_socket_disable exists from gunicorn 24 on
                self.cfg.set(key, value)

    def load(self):
        return self.app_factory()


def _worker_started(spec: ServiceSpec, worker) -> None:
    freeze_startup_objects()
    if spec.on_api_worker is not None:
        spec.on_api_worker(worker.wsgi)


def gunicorn_options(bind: str, workers: int, threads: int) -> dict:
    """How every service's (and the gateway's) HTTP processes are served."""
    return {
        "bind": bind, "workers": workers, "threads": threads, "worker_class": "gthread",
        # A worker takes a connection only when one of its threads is free, and closes it after
        # the answer: the kernel then hands each request to a worker that can serve it at once.
        # With kept-alive connections a worker keeps the clients it happened to accept first
        # (often all of them) while the others idle: measured on the publication API, 20
        # clients, 2 × 4: 640 → 880 requests/s, p95 40 → 31 ms. (As nginx talks to its
        # upstreams by default: one connection per request.)
        "worker_connections": threads, "keepalive": 0,
        "timeout": 30, "graceful_timeout": 20, "accesslog": None,
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        # Several services run side by side: no shared control socket in the home folder.
        "control_socket_disable": True,
    }


def make_cli(spec: ServiceSpec) -> click.Group:
    prefix = spec.name.upper()

    @click.group(help=f"spplus {spec.name} service")
    @click.pass_context
    def cli(ctx):
        ctx.obj = spec

    def _context(role: str):
        settings = spec.settings()
        configure_logging(spec.name, role, settings.log_level)
        return settings, Database(settings.database_url)

    @cli.command(help="Serve the HTTP API and pages with gunicorn.")
    @click.option("--bind", default=lambda: os.environ.get(f"{prefix}_BIND", f"127.0.0.1:{spec.port}"))
    @click.option("--workers", type=int, default=lambda: int(os.environ.get(f"{prefix}_WEB_WORKERS", "2")))
    @click.option("--threads", type=int, default=lambda: int(os.environ.get(f"{prefix}_WEB_THREADS", "4")))
    def api(bind, workers, threads):
        settings, database = _context("api")
        _Gunicorn(lambda: spec.create_app(settings, database), {
            **gunicorn_options(bind, workers, threads),
            "post_worker_init": lambda worker: _worker_started(spec, worker),
        }).run()

    @cli.command(help="Run the event consumer, the outbox relay and scheduled jobs.")
    def worker():
        from .worker import run_worker

        settings, database = _context("worker")
        run_worker(spec, settings, database)

    @cli.command(help="Apply database migrations and declare the service's queues and bindings.")
    def migrate():
        settings, database = _context("migrate")
        if spec.migrations:
            # Imported here: Alembic and Mako are ≈ 9 MB that API and worker processes never use.
            from . import migrations

            migrations.upgrade(spec.migrations, settings.database_url)
            click.echo(f"{spec.name}: database up to date")
        handlers = spec.handlers(settings, database)
        if handlers:
            # Declared before any worker runs, so no event published meanwhile goes unrouted.
            connection = amqp.connect(settings, "migrate")
            amqp.declare_consumer_topology(connection.channel(), settings, sorted(handlers))
            connection.close()
            click.echo(f"{spec.name}: queue {settings.queue} bound to {len(handlers)} event type(s)")

    @cli.command(help="Load demo data (local run only).")
    def demo():
        settings, database = _context("demo")
        if spec.demo is not None:
            spec.demo(settings, database)

    @cli.group(help="Dead-letter queue: list and replay.")
    def dlq():
        pass

    @dlq.command("list", help="Show the events waiting in the dead-letter queue.")
    @click.option("--json", "as_json", is_flag=True)
    def dlq_list(as_json):
        settings, _ = _context("dlq")
        letters = dlq_tools.list_dead_letters(settings)
        if as_json:
            click.echo(json.dumps([{"event_id": d.event_id, "type": d.type, "error": d.error,
                                    "failed_at": d.failed_at} for d in letters], ensure_ascii=False))
            return
        if not letters:
            click.echo("dead-letter queue is empty")
        for letter in letters:
            click.echo(f"{letter.event_id}  {letter.type}  {letter.failed_at or ''}  {letter.error or ''}")

    @dlq.command("replay", help="Put dead letters back in the service's queue (all, or --id ...).")
    @click.option("--id", "event_ids", multiple=True)
    def dlq_replay(event_ids):
        settings, _ = _context("dlq")
        count = dlq_tools.replay(settings, set(event_ids) or None)
        click.echo(f"{count} event(s) replayed")

    @cli.command("outbox-status", help="Show the outbox backlog.")
    def outbox_status():
        settings, database = _context("outbox")
        with database.unit_of_work() as session:
            count, age = outbox.backlog(session)
        click.echo(f"unsent: {count}, oldest: {age:.1f} s")

    for command in spec.commands:
        cli.add_command(command)
    return cli


def main_for(spec: ServiceSpec):
    """``[project.scripts] spplus-identity = "spplus.identity.bootstrap:main"`` with ``main = main_for(spec)``."""

    def main():
        sys.exit(make_cli(spec)(prog_name=f"spplus-{spec.name}"))

    return main
