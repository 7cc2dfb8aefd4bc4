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

import pika
import pika.exceptions
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


__all__ = ["EventSpy", "Harness", "create_database", "drop_database", "json_body", "pika"]


# -- pages in a real browser ----------------------------------------------------------------------

class LiveServer:
    """A Flask app served over real HTTP on a free local port, in a thread."""

    def __init__(self, app):
        import threading

        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture
def live_server():
    """``live_server(app)`` → LiveServer with ``.url``; stopped after the test."""
    servers: list[LiveServer] = []

    def start(app) -> LiveServer:
        server = LiveServer(app)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (``CHROMIUM_PATH``, default /usr/bin/chromium)."""
    import shutil

    from playwright.sync_api import sync_playwright

    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail("Chromium is needed for page tests: apt-get install chromium (or set CHROMIUM_PATH).",
                    pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser page (own cookies), with JavaScript on; ``chromium.new_context(java_script_enabled=False)``
    gives a page without JavaScript."""
    context = chromium.new_context(locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


# -- tokens ---------------------------------------------------------------------------------------

class AuthKeys:
    """A throw-away Ed25519 key pair: give ``public_pem`` to a service as ``AUTH_PUBLIC_KEY`` and
    call ``token(...)`` to act as an agent, a moderator or an admin signed in through identity."""

    def __init__(self):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        self.private_key = Ed25519PrivateKey.generate()
        self.public_pem = self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def token(self, roles=("agent",), structures=(), email="agent@test.spplus.fr", subject=None, **kwargs) -> str:
        from .auth import sign_token

        return sign_token(self.private_key, subject or str(uuid.uuid4()), email, roles, structures, **kwargs)

    def headers(self, *args, **kwargs) -> dict:
        return {"Authorization": f"Bearer {self.token(*args, **kwargs)}"}


@pytest.fixture
def auth_keys() -> AuthKeys:
    return AuthKeys()


# -- a real SMTP server ---------------------------------------------------------------------------

class SmtpSink:
    """aiosmtpd on a free local port, keeping every message it accepts (as ``email.message``)."""

    def __init__(self):
        import email
        import email.policy
        import socket

        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
                message = email.message_from_bytes(envelope.original_content or envelope.content,
                                                   policy=email.policy.default)
                sink.messages.append((list(envelope.rcpt_tos), message))
                return "250 OK"

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages: list = []
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.url = f"smtp://127.0.0.1:{self.port}"

    def wait_for(self, count: int, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    yield sink
    sink.stop()
