"""The ``worker`` role: consumer, outbox relay and scheduled jobs of one service, in threads
of one process (each with its own broker connection: pika connections are not thread-safe).

SIGTERM or SIGINT sets the stop flag: the consumer finishes and acks the message in hand,
the relay its batch, then the process exits.
"""
from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import signal
import threading
import time

from prometheus_client import start_http_server

from . import outbox
from .consumer import Consumer
from .db import Database
from .service import Job, ServiceSpec
from .settings import Settings

log = logging.getLogger(__name__)


def _purge_outbox(settings: Settings, database: Database) -> None:
    with database.unit_of_work() as session:
        outbox.purge_sent(session, dt.timedelta(days=7))


def run_jobs(jobs: list[Job], settings: Settings, database: Database, stop: threading.Event) -> None:
    next_run = {job.name: time.monotonic() for job in jobs}
    while not stop.wait(0.5):
        for job in jobs:
            if time.monotonic() < next_run[job.name]:
                continue
            try:
                job.run(settings, database)
            except Exception:  # noqa: BLE001 - a failing job is retried at its next tick
                log.exception("scheduled job %s failed", job.name)
            next_run[job.name] = time.monotonic() + job.every_seconds


def _serve_metrics(spec: ServiceSpec) -> None:
    """The worker's own /metrics (outbox backlog, events handled): ``<SERVICE>_WORKER_METRICS_PORT``,
    by default the api port + 1000; 0 turns it off."""
    port = int(os.environ.get(f"{spec.name.upper()}_WORKER_METRICS_PORT", spec.port + 1000))
    if port:
        try:
            start_http_server(port, addr=os.environ.get("WORKER_METRICS_ADDR", "127.0.0.1"))
        except OSError as error:
            log.warning("worker metrics not served on port %s: %s", port, error)


def freeze_startup_objects() -> None:
    """Move everything allocated while starting (modules, the app, schemas, language models…) out
    of the cyclic garbage collector's sight. Otherwise each full collection walks those 100,000+
    objects again and stops the process for ~90 ms on a small machine: the slowest 1 % of
    requests. Called once a process is ready to serve (gunicorn worker, event worker)."""
    gc.collect()
    gc.freeze()


def run_worker(spec: ServiceSpec, settings: Settings, database: Database,
               stop: threading.Event | None = None, install_signals: bool = True) -> None:
    stop = stop or threading.Event()
    if install_signals:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    if spec.warm_up is not None:
        spec.warm_up(settings)
    handlers = spec.handlers(settings, database)
    if install_signals:  # a process of its own, not a thread in a test
        freeze_startup_objects()
    jobs = [*spec.jobs(settings, database), Job("outbox-purge", 3600, _purge_outbox)]
    targets = {"relay": outbox.Relay(settings, database).run,
               "jobs": lambda s: run_jobs(jobs, settings, database, s)}
    if handlers:
        targets["consumer"] = Consumer(settings, database, handlers).run
    threads = [threading.Thread(target=target, args=(stop,), name=name, daemon=True)
               for name, target in targets.items()]
    for thread in threads:
        thread.start()
    _serve_metrics(spec)
    log.info("worker started: %s", ", ".join(targets))
    while not stop.wait(0.5):
        pass
    for thread in threads:
        thread.join(timeout=60)
    log.info("worker stopped")
