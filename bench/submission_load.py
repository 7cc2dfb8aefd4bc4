"""Load test of the submission service: sustained POST /api/v1/experiences, and not one event lost.

Starts the real service on a fresh PostgreSQL database: the ``api`` role under gunicorn and the
``worker`` role (outbox relay), on their own exchange. Before the load, a private queue is bound
to that exchange for ``experience.submitted``. Then, open loop, a new request is due every
1/RATE seconds for DURATION seconds (each a different story, e-mail and X-Forwarded-For address,
as the gateway would send), answered by a pool of keep-alive connections.

    .venv/bin/python bench/submission_load.py [--rate 200] [--duration 60]

Targets (issue 4): at least 200 requests per second for 60 s, p99 <= 100 ms, and every 201 became
exactly one ``experience.submitted`` on the broker (zero lost, zero duplicated).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pika
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
DESCRIPTION = ("Je me suis rendu à l'accueil pour mettre à jour mon dossier. L'attente a été courte et "
               "l'agent m'a expliqué chaque étape avec patience. Récit de charge numéro {n}.")
STRUCTURES = [("CAF75", "CAF de Paris", "CAF", "Caisse d'allocations familiales", "75019", "Paris"),
              ("CPAM94", "CPAM du Val-de-Marne", "CPAM", "Assurance maladie", "94000", "Créteil"),
              ("FT45", "France Travail Orléans", "FT", "France Travail", "45000", "Orléans")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Platform:
    """A throw-away database and exchange, and the service's processes (killed by their group id)."""

    def __init__(self, admin_url: str, amqp_url: str):
        self.admin_url, self.amqp_url = admin_url, amqp_url
        self.name = f"bench_submission_{uuid.uuid4().hex[:8]}"
        self.database_url = make_url(admin_url).set(database=self.name).render_as_string(hide_password=False)
        self.exchange = f"{self.name}.events"
        self.processes: list[subprocess.Popen] = []
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        admin.dispose()
        self.env = {**os.environ, "SUBMISSION_DATABASE_URL": self.database_url, "AMQP_URL": amqp_url,
                    "AMQP_EXCHANGE": self.exchange, "AMQP_QUEUE_PREFIX": f"{self.name}.",
                    "SUBMISSION_LOG_LEVEL": "WARNING", "SPPLUS_VAR_DIR": "/tmp/spplus-bench-var",
                    "SPPLUS_SECRET_KEY": uuid.uuid4().hex}
        os.environ.update({key: value for key, value in self.env.items() if key != "PATH"})

    def run(self, *args: str, wait: bool = True) -> subprocess.Popen:
        # Long-running roles log to a file (a pipe nobody reads would block them when full).
        log = subprocess.PIPE if wait else open(f"/tmp/{self.name}-{args[0]}.log", "wb")
        process = subprocess.Popen([sys.executable, "-m", "spplus.chassis.service_cli", "submission", *args],
                                   env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log,
                                   start_new_session=True)
        if wait:
            _, err = process.communicate(timeout=120)
            if process.returncode:
                raise SystemExit(f"submission {' '.join(args)} failed: {err.decode()[-2000:]}")
        else:
            self.processes.append(process)
        return process

    def seed_structures(self) -> None:
        """Through the service's own structure.* handlers, as the consumer would run them."""
        from spplus.chassis.db import Database
        from spplus.chassis.events import new_event
        from spplus.submission.service_layer import structures

        handlers, database = structures.handlers(), Database(self.database_url)
        now = dt.datetime.now(dt.timezone.utc).isoformat()
        with database.unit_of_work() as session:
            for code, name, network_code, network_name, postal_code, city in STRUCTURES:
                event = new_event("structure.upserted", {
                    "code": code, "name": name, "network_code": network_code, "network_name": network_name,
                    "parent_code": None, "postal_code": postal_code, "city": city, "active": True,
                    "updated_at": now}, producer="identity")
                handlers["structure.upserted"](session, event)
        database.dispose()

    def outbox_unsent(self) -> int:
        from spplus.chassis.messaging_tables import outbox

        engine = create_engine(self.database_url)
        with engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(outbox)
                                       .where(outbox.c.sent_at.is_(None))).scalar_one()
        engine.dispose()
        return count

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def drop(self) -> None:
        for role in ("api", "worker"):
            Path(f"/tmp/{self.name}-{role}.log").unlink(missing_ok=True)
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        admin.dispose()
        connection = pika.BlockingConnection(pika.URLParameters(self.amqp_url))
        channel = connection.channel()
        for name in (f"{self.name}.submission.events", f"{self.name}.submission.events.dlq",
                     f"{self.exchange}.unrouted"):
            channel.queue_delete(name)
        for delay in (1000, 10000, 60000, 600000):
            channel.queue_delete(f"{self.name}.submission.events.retry.{delay}ms")
        channel.exchange_delete(self.exchange)
        channel.exchange_delete(f"{self.exchange}.unrouted")
        connection.close()


class Counter:
    """The private queue bound to the exchange: what really reached the broker."""

    def __init__(self, amqp_url: str, exchange: str):
        self.connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
        self.channel = self.connection.channel()
        self.queue = f"{exchange}.bench-count"
        self.channel.queue_declare(self.queue, durable=True, arguments={"x-queue-type": "quorum"})
        self.channel.queue_bind(self.queue, exchange, routing_key="experience.submitted")
        self.connection.close()  # messages wait in the queue during the load
        self.amqp_url = amqp_url

    def drain(self) -> list[str]:
        connection = pika.BlockingConnection(pika.URLParameters(self.amqp_url))
        channel = connection.channel()
        ids = []
        while True:
            method, _properties, body = channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                break
            ids.append(json.loads(body)["data"]["experience_id"])
        channel.queue_delete(self.queue)
        connection.close()
        return ids


def body_for(n: int) -> bytes:
    code = STRUCTURES[n % len(STRUCTURES)][0]
    return json.dumps({
        "title": f"Une démarche simple, récit {n}", "description": DESCRIPTION.format(n=n), "feeling": "positive",
        "experienced_on": "2026-01",
        "path": [{"structure": code, "channels": [{"channel": "accueil", "feeling": "positive"}]}],
        "email": f"charge{n}@example.fr", "postal_code": "75019", "accept_terms": True,
    }).encode()


def load(port: int, rate: float, duration: float, connections: int, first: int = 0):
    due: queue.Queue = queue.Queue()
    results: list[tuple[int, float, float, str | None]] = []
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            item = due.get()
            if item is None:
                return
            n, scheduled = item
            headers = {"Content-Type": "application/json",
                       "X-Forwarded-For": f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"}
            started = time.perf_counter()
            try:
                connection.request("POST", "/api/v1/experiences", body=body_for(n), headers=headers)
                response = connection.getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, payload = 0, b"{}"
            finished = time.perf_counter()
            experience_id = json.loads(payload).get("id") if status == 201 else None
            with lock:
                results.append((status, finished - started, finished - scheduled, experience_id))

    threads = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    total = int(rate * duration)
    for i in range(total):
        n = first + i
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        if due.qsize() > rate * 5:
            # More than 5 s of requests waiting: the service cannot keep up; stop rather than queue for ever.
            print(f"overloaded: {due.qsize()} requests waiting after {time.perf_counter() - start:.1f} s; stopping",
                  file=sys.stderr)
            break
        due.put((n, scheduled))
    for _ in threads:
        due.put(None)
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - start


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {what}")


def healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    connection.request("GET", "/healthz")
    ok = connection.getresponse().status == 200
    connection.close()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--connections", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--amqp-url", default=os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"))
    args = parser.parse_args()

    platform = Platform(args.database_url, args.amqp_url)
    try:
        platform.run("migrate")
        platform.seed_structures()
        counter = Counter(args.amqp_url, platform.exchange)
        port = free_port()
        platform.run("api", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                     "--threads", str(args.threads), wait=False)
        platform.run("worker", wait=False)
        wait_until(lambda: healthy(port), 60, "the submission api")
        warm_up, _ = load(port, rate=20, duration=1, connections=4, first=10**7)  # connections, imports, caches
        # The load generator must not measure its own pauses: its full garbage collections (a
        # heap of SQLAlchemy, pika… ~100 ms each here) would stall every client thread at once.
        gc.collect()
        gc.freeze()
        gc.disable()
        try:
            results, elapsed = load(port, args.rate, args.duration, args.connections)
        finally:
            gc.enable()
        wait_until(lambda: platform.outbox_unsent() == 0, 300, "the outbox relay to publish everything")
        published = counter.drain()
    finally:
        platform.stop()
        platform.drop()

    statuses: dict[int, int] = {}
    for status, *_ in results:
        statuses[status] = statuses.get(status, 0) + 1
    created = [experience_id for status, _, _, experience_id in results if status == 201]
    service_times = [seconds * 1000 for _, seconds, _, _ in results]
    since_due = [seconds * 1000 for _, _, seconds, _ in results]
    warm_ids = {experience_id for status, _, _, experience_id in warm_up if status == 201}
    warm_count = len(warm_ids)
    unexpected = set(published) - set(created) - warm_ids
    rate_achieved = len(created) / elapsed
    p50, p99 = percentile(service_times, 0.50), percentile(service_times, 0.99)
    lost = set(created) - set(published)
    duplicated = len(published) - len(set(published))

    print(f"requests: {len(results)} in {elapsed:.1f} s, statuses {dict(sorted(statuses.items()))}")
    print(f"rate of 201: {rate_achieved:.1f} req/s (target >= {args.rate:.0f} for {args.duration:.0f} s)")
    print(f"latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {max(service_times):.1f} ms (target p99 <= 100 ms); "
          f"from due time p99 {percentile(since_due, 0.99):.1f} ms")
    print(f"broker: {len(published) - warm_count} experience.submitted for {len(created)} answers 201 "
          f"(+{warm_count} from the warm-up); lost {len(lost)}, duplicated {duplicated}, unexpected {len(unexpected)} "
          f"(target 0, 0 and 0)")
    ok = (statuses.get(201, 0) == len(results) == int(args.rate * args.duration) and rate_achieved >= args.rate * 0.99
          and p99 <= 100 and not lost and duplicated == 0 and not unexpected
          and len(published) - warm_count == len(created))
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
