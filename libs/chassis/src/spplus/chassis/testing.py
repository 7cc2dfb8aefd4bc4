"""pytest plugin of the platform: real PostgreSQL and RabbitMQ for every test, isolated.

Servers come from ``TEST_DATABASE_URL`` / ``TEST_AMQP_URL`` when set, else from testcontainers
when a Docker engine answers, else the run fails with a clear message (never a silent skip).
Each test gets its own database and its own exchange and queue names, so tests run in
parallel under pytest-xdist.

Fixtures: ``pg_url``, ``amqp_url`` (servers), ``make_env`` (isolated environment for a
service), ``harness`` (a migrated service with app, client, relay, consumer and event spy).
"""
from __future__ import annotations

import json
import os
import time
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from . import amqp
from .consumer import Consumer, process_available
from .db import Database
from .events import Event, new_event, parse_event
from .migrations import upgrade
from .outbox import Relay
from .service import ServiceSpec
from .settings import Settings, load_settings
from .testing_surroundings import (  # fixtures of this plugin too
    AuthKeys, LiveServer, SmtpSink, auth_keys, chromium, live_server, page, smtp_sink,
)


def _docker_available() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:  # noqa: BLE001
        return False


NO_SERVER = ("{what} is needed for the tests: set {var} (e.g. {example}) or start a Docker engine "
             "so testcontainers can run one. Tests never skip for a missing server.")


@pytest.fixture(scope="session")
def pg_url():
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    if not _docker_available():
        pytest.fail(NO_SERVER.format(what="PostgreSQL", var="TEST_DATABASE_URL",
                                     example="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"), pytrace=False)
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:16-alpine", driver="psycopg") as container:
        yield container.get_connection_url()


@pytest.fixture(scope="session")
def amqp_url():
    url = os.environ.get("TEST_AMQP_URL")
    if url:
        yield url
        return
    if not _docker_available():
        pytest.fail(NO_SERVER.format(what="RabbitMQ", var="TEST_AMQP_URL",
                                     example="amqp://guest:guest@127.0.0.1:5672/%2F"), pytrace=False)
    from testcontainers.rabbitmq import RabbitMqContainer

    with RabbitMqContainer("rabbitmq:3.13-alpine") as container:
        params = container.get_connection_params()
        yield f"amqp://guest:guest@{params.host}:{params.port}/%2F"


def create_database(pg_url: str, label: str) -> str:
    name = f"t_{label}_{uuid.uuid4().hex[:10]}".lower()
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(pg_url).set(database=name).render_as_string(hide_password=False)


def drop_database(pg_url: str, url: str) -> None:
    name = make_url(url).database
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def delete_topology(settings: Settings) -> None:
    try:
        connection = amqp.connect(settings, "cleanup")
    except Exception:  # noqa: BLE001 - the broker may be down on purpose in a test
        return
    channel = connection.channel()
    names = [settings.queue, settings.dead_letter_queue, f"{settings.exchange}.unrouted",
             *(settings.retry_queue(delay) for delay in settings.retry_delays_ms)]
    for queue in names:
        channel.queue_delete(queue)
    channel.exchange_delete(settings.exchange)
    channel.exchange_delete(f"{settings.exchange}.unrouted")
    connection.close()


@pytest.fixture
def make_env(pg_url, amqp_url, monkeypatch, tmp_path):
    """``make_env("moderation", **extra)`` → isolated env vars set, returns its Settings."""
    namespace = f"t{uuid.uuid4().hex[:8]}"
    created: list[str] = []
    settings_made: list[Settings] = []
    monkeypatch.setenv("AMQP_URL", amqp_url)
    monkeypatch.setenv("AMQP_EXCHANGE", f"{namespace}.events")
    monkeypatch.setenv("AMQP_QUEUE_PREFIX", f"{namespace}.")
    monkeypatch.setenv("AMQP_RETRY_DELAYS_MS", "200,400")
    monkeypatch.setenv("OUTBOX_POLL_SECONDS", "0.05")
    monkeypatch.setenv("SPPLUS_VAR_DIR", str(tmp_path / "var"))

    def make(service: str, defaults: dict | None = None, **extra_env) -> Settings:
        prefix = service.upper() + "_"
        if prefix + "DATABASE_URL" not in extra_env:
            url = create_database(pg_url, service)
            created.append(url)
            monkeypatch.setenv(prefix + "DATABASE_URL", url)
        for key, value in extra_env.items():
            monkeypatch.setenv(key, str(value))
        settings = load_settings(service, **(defaults or {}))
        settings_made.append(settings)
        return settings

    yield make
    for settings in settings_made:
        delete_topology(settings)
    for url in created:
        drop_database(pg_url, url)


class EventSpy:
    """A private queue bound to the exchange: what was really published, for assertions."""

    def __init__(self, settings: Settings, routing_keys=("#",)):
        self.connection = amqp.connect(settings, "spy")
        self.channel = self.connection.channel()
        amqp.declare_exchange(self.channel, settings)
        self.queue = self.channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
        for key in routing_keys:
            self.channel.queue_bind(self.queue, settings.exchange, routing_key=key)
        self.events: list[Event] = []

    def collect(self, expected: int = 1, timeout: float = 10.0) -> list[Event]:
        deadline = time.monotonic() + timeout
        while len(self.events) < expected and time.monotonic() < deadline:
            method, _props, body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                self.connection.sleep(0.05)
                continue
            self.events.append(parse_event(body))
        return self.events

    def close(self) -> None:
        amqp.close_quietly(self.connection)  # an idle spy may have missed its heartbeats


class Harness:
    """A real service for a test: migrated database, Flask test client, relay, consumer, spy."""

    def __init__(self, spec: ServiceSpec, settings: Settings):
        self.spec = spec
        self.settings = settings
        self.database = Database(settings.database_url)
        if spec.migrations:
            upgrade(spec.migrations, settings.database_url)
        self._app = None
        self._consumer = None
        self.spy = EventSpy(settings)

    @property
    def app(self):
        if self._app is None:
            self._app = self.spec.create_app(self.settings, self.database)
            self._app.testing = True
        return self._app

    @property
    def client(self):
        return self.app.test_client()

    @property
    def consumer(self) -> Consumer:
        if self._consumer is None:
            self._consumer = Consumer(self.settings, self.database, self.spec.handlers(self.settings, self.database))
            self._consumer.open()
        return self._consumer

    def relay(self) -> int:
        """Publish everything in the outbox; returns how many events went out."""
        relay, total = Relay(self.settings, self.database), 0
        try:
            while sent := relay.relay_once():
                total += sent
        finally:
            relay.close()
        return total

    def publish(self, event_type: str, data: dict, producer: str = "test", event: Event | None = None) -> Event:
        """Publish an event as another service would (through the real exchange)."""
        event = event or new_event(event_type, data, producer=producer)
        self.consumer  # noqa: B018 - declares the queue and its bindings first
        connection = amqp.connect(self.settings, "test-publisher")
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(self.settings.exchange, event.type, event.to_json().encode(),
                              amqp.message_properties(event.id, event.correlation_id, event.type), mandatory=True)
        connection.close()
        return event

    def consume(self, max_messages: int | None = None, idle_seconds: float = 0.5) -> int:
        return process_available(self.consumer, max_messages, idle_seconds)

    def deliver(self, event_type: str, data: dict, producer: str = "test") -> Event:
        """Publish then consume: the event has been handled when this returns."""
        event = self.publish(event_type, data, producer)
        self.consume()
        return event

    def published(self, expected: int = 1, timeout: float = 10.0, types: tuple[str, ...] | None = None) -> list[Event]:
        """Relay the outbox, then return the events seen on the exchange."""
        self.relay()
        events = self.spy.collect(expected, timeout)
        return [event for event in events if types is None or event.type in types]

    def close(self) -> None:
        if self._consumer is not None:
            self._consumer.close()
        self.spy.close()
        self.database.dispose()


@pytest.fixture
def make_harness(make_env):
    """``make_harness(spec, **env)`` → a Harness on its own database and exchange."""
    harnesses: list[Harness] = []

    def make(spec: ServiceSpec, **extra_env) -> Harness:
        settings = make_env(spec.name, spec.settings_defaults, **extra_env)
        harness = Harness(spec, settings)
        harnesses.append(harness)
        return harness

    yield make
    for harness in harnesses:
        harness.close()


def json_body(response) -> dict:
    return json.loads(response.get_data(as_text=True))


__all__ = ["AuthKeys", "EventSpy", "Harness", "LiveServer", "SmtpSink", "auth_keys", "chromium", "create_database",
           "drop_database", "json_body", "live_server", "page", "smtp_sink"]
