"""Benchmark: events per second from outbox commit to the consumer's committed effect, next to
raw pika publish-with-confirms on the same broker, in the same run. Target: ratio ≥ 0.5.

As in production, the producing side (outbox relay) and the consuming side (another service's
consumer) are separate processes; both use the sample service's tables, on PostgreSQL.

    .venv/bin/python bench/chassis_throughput.py [--events 5000]

Uses PostgreSQL at BENCH_DATABASE_URL (default: the local one) and RabbitMQ at AMQP_URL.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "libs" / "chassis" / "tests"))

import pika  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from spplus.chassis import outbox  # noqa: E402
from spplus.chassis.db import Database  # noqa: E402
from spplus.chassis.migrations import upgrade  # noqa: E402
from spplus.chassis.settings import load_settings  # noqa: E402
from spplus.chassis.testing import create_database, delete_topology, drop_database  # noqa: E402
from spplus.chassis.consumer import Consumer  # noqa: E402
from spplus.chassis.outbox import Relay  # noqa: E402

PG = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
AMQP = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")


def raw_pika(events: int) -> float:
    connection = pika.BlockingConnection(pika.URLParameters(AMQP))
    channel = connection.channel()
    channel.confirm_delivery()
    queue = f"bench.raw.{uuid.uuid4().hex[:8]}"
    channel.queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
    body = b'{"id":"x","type":"thing.created","data":{"name":"bench"}}' * 3
    properties = pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent, content_type="application/json")
    started = time.perf_counter()
    for _ in range(events):
        channel.basic_publish("", queue, body, properties, mandatory=True)
    elapsed = time.perf_counter() - started
    channel.queue_delete(queue)
    connection.close()
    return events / elapsed


def raw_pika_pipelined(events: int) -> float:
    """For reference: raw pika with the confirms of each batch of 200 awaited together."""
    from spplus.chassis.amqp import PipelinedPublisher

    connection = pika.BlockingConnection(pika.URLParameters(AMQP))
    queue = f"bench.raw.{uuid.uuid4().hex[:8]}"
    connection.channel().queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
    publisher = PipelinedPublisher(connection)
    body = b'{"id":"x","type":"thing.created","data":{"name":"bench"}}' * 3
    properties = pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent, content_type="application/json")
    started = time.perf_counter()
    for start in range(0, events, 200):
        publisher.publish_batch([("", queue, body, properties)] * min(200, events - start))
    elapsed = time.perf_counter() - started
    connection.channel().queue_delete(queue)
    connection.close()
    return events / elapsed


def _role(role: str, stop) -> None:
    """One side of the pipeline in its own process (spawned: nothing inherited)."""
    from sample.service import spec

    settings = spec.settings()
    database = Database(settings.database_url)
    if role == "relay":
        Relay(settings, database).run(stop)
    else:
        Consumer(settings, database, spec.handlers(settings, database)).run(stop)


def outbox_to_effect(events: int) -> float:
    from sample.service import effects, spec

    url = create_database(PG, "bench")
    namespace = f"bench{uuid.uuid4().hex[:6]}"
    os.environ.update({"SAMPLE_DATABASE_URL": url, "AMQP_URL": AMQP, "AMQP_EXCHANGE": f"{namespace}.events",
                       "AMQP_QUEUE_PREFIX": f"{namespace}.", "OUTBOX_POLL_SECONDS": "0.01",
                       "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "libs" / "chassis" / "tests")})
    settings = spec.settings()
    database = Database(url)
    upgrade(spec.migrations, url)
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    workers = [context.Process(target=_role, args=(role, stop)) for role in ("consumer", "relay")]
    for worker in workers:
        worker.start()
    time.sleep(3.0)  # queue declared, consumer ready
    try:
        started = time.perf_counter()
        for start in range(0, events, 100):
            with database.unit_of_work() as session:
                for i in range(start, min(start + 100, events)):
                    outbox.record(session, "thing.created", {"thing_id": str(i), "name": f"n{i}"}, producer="sample")
        while True:
            with database.unit_of_work() as session:
                done = session.scalar(select(func.count()).select_from(effects))
            if done >= events:
                break
            time.sleep(0.01)
        return events / (time.perf_counter() - started)
    finally:
        stop.set()
        for worker in workers:
            worker.join(30)
        database.dispose()
        delete_topology(settings)
        drop_database(PG, url)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    raw = raw_pika(args.events)
    pipelined = raw_pika_pipelined(args.events)
    ours = outbox_to_effect(args.events)
    ratio = ours / raw
    print(f"raw pika publish with confirms : {raw:8.0f} msg/s   (BlockingChannel, one confirm at a time)")
    print(f"  for reference, pipelined     : {pipelined:8.0f} msg/s   (confirms of 200 awaited together)")
    print(f"outbox commit -> handled effect: {ours:8.0f} events/s")
    print(f"ratio {ratio:.2f} (target >= 0.5): {'OK' if ratio >= 0.5 else 'BELOW TARGET'}")
    return 0 if ratio >= 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())
