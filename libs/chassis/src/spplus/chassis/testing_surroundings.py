"""Fixtures of the pytest plugin for what surrounds a service: pages in a real browser, a real
SMTP server, identity's tokens. Registered through ``spplus.chassis.testing``."""
from __future__ import annotations

import os
import time
import uuid

import pytest


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
