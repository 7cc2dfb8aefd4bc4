"""Notification throughput: mails per second from event on the broker to the SMTP server.

Real worker processes of the notification service (``spplus-notification worker``: consumer +
sender job) run on a fresh PostgreSQL database and a private exchange; N ``experience.submitted``
events are published as submission would; an aiosmtpd server, in a process of its own, counts
the mails it receives. The clock runs from the first event published to the last mail received.

    .venv/bin/python bench/notification_throughput.py [--events 1000] [--workers 2]

Servers: BENCH_DATABASE_URL / TEST_DATABASE_URL (PostgreSQL) and TEST_AMQP_URL (RabbitMQ),
defaulting to the local ones.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

TARGET_MAILS_PER_SECOND = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_sink(port: int, counter, ready) -> None:
    """The SMTP server, in its own process so it does not compete with the workers for the GIL."""
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()


def wait_for_consumers(channel, queue: str, count: int, timeout: float = 120.0) -> None:
    """The clock starts once every worker consumes, not while their processes start."""
    deadline = time.monotonic() + timeout
    while channel.queue_declare(queue, passive=True).method.consumer_count < count:
        if time.monotonic() > deadline:
            raise SystemExit("the workers did not start")
        time.sleep(0.1)


def cpu_time(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (replicas)")
    args = parser.parse_args()
    pg_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
        "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    amqp_url = os.environ.get("TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")

    from spplus.chassis import amqp
    from spplus.chassis.db import Database
    from spplus.chassis.events import new_event
    from spplus.chassis.migrations import upgrade
    from spplus.chassis.testing import create_database, delete_topology, drop_database
    from spplus.notification.bootstrap import spec

    counter, ready = multiprocessing.Value("i", 0), multiprocessing.Event()
    port = free_port()
    sink = multiprocessing.Process(target=run_sink, args=(port, counter, ready), daemon=True)
    sink.start()
    ready.wait(30)
    namespace = f"bench{uuid.uuid4().hex[:8]}"
    database_url = create_database(pg_url, "notification_bench")
    os.environ.update({
        "NOTIFICATION_DATABASE_URL": database_url, "AMQP_URL": amqp_url,
        "AMQP_EXCHANGE": f"{namespace}.events", "AMQP_QUEUE_PREFIX": f"{namespace}.",
        "NOTIFICATION_SMTP_URL": f"smtp://127.0.0.1:{port}", "NOTIFICATION_SEND_EVERY_SECONDS": "0.2",
        "NOTIFICATION_WORKER_METRICS_PORT": "0", "SPPLUS_LOG_LEVEL": "WARNING",
        "PUBLIC_BASE_URL": "https://servicespublics.example",
    })
    settings = spec.settings()
    database = Database(settings.database_url)
    workers: list[subprocess.Popen] = []
    connection = None
    try:
        upgrade(spec.migrations, database_url)
        connection = amqp.connect(settings, "bench")
        channel = connection.channel()
        amqp.declare_consumer_topology(channel, settings, sorted(spec.handlers(settings, database)))
        channel.confirm_delivery()
        events = [new_event("experience.submitted", {
            "experience_id": str(uuid.uuid4()), "title": f"Témoignage numéro {number}",
            "description": "Un accueil attentionné et des explications claires à chaque étape. " * 3,
            "path": [{"structure_code": "CAF30", "channels": [{"channel": "counter"}]}],
            "email": f"auteur{number}@example.org", "tracking_path": f"/suivi/{uuid.uuid4().hex}",
            "submitted_at": "2026-11-30T09:15:00+00:00"}, producer="submission") for number in range(args.events)]
        command = [sys.executable, "-c", "from spplus.notification.bootstrap import main; main()", "worker"]
        workers = [subprocess.Popen(command, stderr=subprocess.DEVNULL) for _ in range(args.workers)]
        wait_for_consumers(channel, settings.queue, len(workers))
        started = time.perf_counter()
        for event in events:
            channel.basic_publish(settings.exchange, event.type, event.to_json().encode(),
                                  amqp.message_properties(event.id, event.correlation_id, event.type), mandatory=True)
        connection.close()
        deadline = time.monotonic() + 600
        while counter.value < args.events and time.monotonic() < deadline:
            time.sleep(0.01)
        elapsed = time.perf_counter() - started
        delivered = counter.value
        cpu_seconds = sum(cpu_time(worker.pid) for worker in workers)
    finally:
        if connection is not None and connection.is_open:
            connection.close()
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(60)
        sink.terminate()
        database.dispose()
        delete_topology(settings)
        drop_database(pg_url, database_url)
    rate = delivered / elapsed
    print(f"notification: {delivered}/{args.events} mails delivered in {elapsed:.2f} s by {args.workers} worker(s) "
          f"= {rate:.0f} mails/s (event published -> SMTP server); target >= {TARGET_MAILS_PER_SECOND:.0f} mails/s")
    print(f"notification: worker CPU {1000 * cpu_seconds / max(delivered, 1):.1f} ms per mail "
          f"(event handled + mail rendered, sent and recorded) = {delivered / cpu_seconds:.0f} mails/s per busy core")
    ok = delivered == args.events and rate >= TARGET_MAILS_PER_SECOND
    print("OK" if ok else "BELOW TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
