"""Real upstreams for the gateway's tests: small Flask apps served over HTTP by ``live_server``.

Each upstream answers with what it received (method, path, query, headers, body size and hash,
read in chunks so it never holds a large body), can stream a large answer, and serves its own
``/openapi.json``. The gateway under test is the real app, routed to these servers through
``GATEWAY_UPSTREAM_<NAME>`` like in production.
"""
from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from flask import Flask, Response, jsonify, request
from spplus.chassis.settings import load_settings
from spplus.chassis.testing import LiveServer
from spplus.gateway.app import DEFAULTS, create_app
from spplus.gateway.config import load_routing

SERVICES = ("identity", "submission", "moderation", "publication", "responses", "documents", "panel")
# What each fake service documents in its /openapi.json. Identity also claims a path the
# gateway sends to publication: the combined document must not show it under identity.
OPERATIONS = {
    "identity": [("get", "/api/v1/structures"), ("post", "/api/v1/auth/login"), ("get", "/api/v1/experiences")],
    "submission": [("post", "/api/v1/experiences")],
    "moderation": [("get", "/api/v1/moderation/cases"), ("post", "/api/v1/proposals/{token}")],
    "publication": [("get", "/api/v1/experiences"), ("get", "/api/v1/experiences/{id}"),
                    ("post", "/api/v1/responses/{id}/votes")],
    "responses": [("get", "/api/v1/agent/responses")],
    "documents": [("post", "/api/v1/documents")],
    "panel": [("post", "/api/v1/panel/members")],
}


def make_upstream(name: str) -> Flask:
    app = Flask(f"upstream_{name}")
    app.config["calls"] = 0
    lock = threading.Lock()

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/openapi.json")
    def openapi():
        if app.config.get("openapi_broken"):
            return "not json", 200
        paths = {}
        for method, path in OPERATIONS[name]:
            paths.setdefault(path, {})[method] = {
                "tags": [name], "summary": f"{method} {path} ({name})",
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"}}}},
                              "422": {"description": "invalid", "content": {"application/json": {
                                  "schema": {"$ref": "#/components/schemas/Error"}}}}}}
        return {
            "openapi": "3.0.3", "info": {"title": name, "version": "v1"},
            "tags": [{"name": name, "description": f"service {name}"}],
            "paths": paths,
            "components": {"schemas": {"Thing": {"type": "object", "properties": {name: {"type": "string"}}},
                                       "Error": {"type": "object", "properties": {"code": {"type": "integer"}}}}},
        }

    @app.get("/download/<int:size>")
    def download(size):
        def chunks():
            block = b"x" * 65536
            sent = 0
            while sent < size:
                part = block[: min(len(block), size - sent)]
                sent += len(part)
                yield part
        return Response(chunks(), mimetype="application/octet-stream", headers={"Content-Length": str(size)})

    @app.route("/lent/<int:milliseconds>", methods=["GET", "POST"])
    def slow(milliseconds):
        time.sleep(milliseconds / 1000)
        return {"service": name, "slept_ms": milliseconds}

    @app.get("/cookies")
    def cookies():
        response = jsonify(ok=True)
        response.set_cookie("a", "1")
        response.set_cookie("b", "2")
        response.headers["X-Spplus-Internal"] = "secret"
        response.headers["Content-Security-Policy"] = "default-src *; script-src 'unsafe-inline'"
        return response

    @app.route("/", defaults={"path": ""}, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
    @app.route("/<path:path>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
    def echo(path):
        with lock:
            app.config["calls"] += 1
        digest, size, head = hashlib.sha256(), 0, b""
        stream = request.stream
        while chunk := stream.read(65536):
            digest.update(chunk)
            size += len(chunk)
            if len(head) < 4096:
                head += chunk[: 4096 - len(head)]
        return jsonify(service=name, method=request.method, path=request.path,
                       query=request.query_string.decode(), headers=dict(request.headers),
                       body_size=size, body_sha256=digest.hexdigest(),
                       body_text=head.decode("utf-8", "replace") if 0 < size <= 4096 else None)

    return app


@pytest.fixture(scope="session")
def upstreams():
    """{service name: (Flask app, base URL)} for every upstream of the default routing table.

    Started once per test process (the ``live_server`` fixture's ``LiveServer``, session-wide:
    stopping seven servers after every test would cost seconds)."""
    servers, running = {}, []
    for name in SERVICES:
        app = make_upstream(name)
        server = LiveServer(app)
        running.append(server)
        servers[name] = (app, server.url)
    yield servers
    for server in running:
        server.stop()


@pytest.fixture
def upstream_urls(upstreams):
    return {name: url for name, (_app, url) in upstreams.items()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GunicornGateway:
    """The gateway as deployed: ``spplus-service gateway api`` (gunicorn, gthread), one worker."""

    def __init__(self, urls: dict[str, str], env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, **env, "SPPLUS_SECRET_KEY": "test-secret",
                       **{f"GATEWAY_UPSTREAM_{name.upper()}": url for name, url in urls.items()}}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "spplus.gateway", "api", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--threads", "8"], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the gateway did not start: " + self.process.stderr.read().decode()[-2000:])

    def worker_pid(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return int(children[0])

    def peak_rss_kb(self) -> int:
        """VmHWM: the highest resident memory the worker ever had."""
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise RuntimeError("no VmHWM")

    def stop(self) -> None:
        if self.process.poll() is None:
            # Nothing to finish gracefully in a test: both processes go at once.
            for pid in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split():
                os.kill(int(pid), signal.SIGKILL)
            self.process.kill()
            self.process.wait()


@pytest.fixture
def gunicorn_gateway(upstream_urls, tmp_path):
    started: list[GunicornGateway] = []

    def start(urls: dict[str, str] | None = None, **env) -> GunicornGateway:
        gateway = GunicornGateway(urls or upstream_urls, {"SPPLUS_VAR_DIR": str(tmp_path / "var"),
                                                         **{key: str(value) for key, value in env.items()}})
        started.append(gateway)
        return gateway

    yield start
    for gateway in started:
        gateway.stop()


@pytest.fixture
def make_gateway(monkeypatch, tmp_path):
    """``make_gateway(urls, **GATEWAY_env)`` → the gateway Flask app routed to ``urls``."""

    def make(urls: dict[str, str], **env):
        monkeypatch.setenv("SPPLUS_VAR_DIR", str(tmp_path / "var"))
        monkeypatch.setenv("SPPLUS_SECRET_KEY", "test-secret")
        for key, value in env.items():
            monkeypatch.setenv(key, str(value))
        environ = {**os.environ, **{f"GATEWAY_UPSTREAM_{name.upper()}": url for name, url in urls.items()}}
        settings = load_settings("gateway", **DEFAULTS)
        app = create_app(settings, None, routing=load_routing(settings.extra["ROUTES_FILE"] or None, environ=environ))
        app.testing = True
        return app

    return make


@pytest.fixture
def gateway(make_gateway, upstream_urls):
    return make_gateway(upstream_urls)


@pytest.fixture
def port_factory():
    """``port_factory()`` → a local port nothing listens on (a service that is down)."""
    return free_port


@pytest.fixture
def upstream_factory():
    """``upstream_factory(name)`` → a fresh fake service app."""
    return make_upstream
