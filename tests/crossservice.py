"""Helpers of the cross-service tests: the real services, each on its own PostgreSQL database, their workers
running in threads, all talking through one RabbitMQ exchange, e-mails to a real SMTP server."""
import threading
import time

import pytest

from spplus.chassis.service import discover
from spplus.chassis.worker import run_worker

DEMO_PASSWORD = "demo-password-for-tests-2026"


def eventually(check, timeout=60.0, interval=0.2, message="condition never met"):
    """Poll ``check`` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} (after {timeout:.0f} s)")
        time.sleep(interval)


class Platform:
    """Every service of the platform, migrated, with its worker running."""

    def __init__(self, make_harness, live_server, monkeypatch, smtp_sink):
        self.specs = discover()
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.harness = {}
        monkeypatch.setenv("PUBLIC_BASE_URL", "http://spplus.test")
        monkeypatch.setenv("SPPLUS_DEMO", "1")
        monkeypatch.setenv("SPPLUS_DEMO_PASSWORD", DEMO_PASSWORD)
        monkeypatch.setenv("NOTIFICATION_SMTP_URL", smtp_sink.url)
        monkeypatch.setenv("AMQP_RETRY_DELAYS_MS", "200,1000,3000")
        for name in self.specs:
            monkeypatch.setenv(f"{name.upper()}_WORKER_METRICS_PORT", "0")
        # identity first: the others verify tokens with its JWKS, over HTTP as in production.
        identity = self._add("identity", make_harness)
        self.identity_url = live_server(identity.app).url
        monkeypatch.setenv("AUTH_JWKS_URL", f"{self.identity_url}/api/v1/auth/jwks")
        moderation = self._add("moderation", make_harness)
        monkeypatch.setenv("RESPONSES_MODERATION_URL", live_server(moderation.app).url)
        for name in ("submission", "notification", "publication", "responses"):
            self._add(name, make_harness)
        for harness in self.harness.values():
            harness.consumer.close()  # queues declared; the workers consume from now on
            thread = threading.Thread(target=run_worker, args=(harness.spec, harness.settings, harness.database,
                                                               self.stop), kwargs={"install_signals": False},
                                      daemon=True)
            thread.start()
            self.threads.append(thread)
        # Demo data goes in the way `make run` puts it: identity's referential and accounts.
        identity.spec.demo(identity.settings, identity.database)

    def _add(self, name, make_harness):
        harness = make_harness(self.specs[name])
        harness.consumer  # declares the service's queue and bindings before anything is published
        self.harness[name] = harness
        return harness

    def client(self, name):
        return self.harness[name].client

    def login(self, email):
        response = self.client("identity").post("/api/v1/auth/login",
                                                json={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 200, response.get_data(as_text=True)
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    def close(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(30)
