"""Settings, logs, CSRF and tokens: the small parts, each on its own."""
import datetime as dt
import json
import logging

import pytest
from flask import Flask, render_template_string

from spplus.chassis import csrf
from spplus.chassis.auth import TokenVerifier, init_auth, require
from spplus.chassis.logs import configure_logging, correlation
from spplus.chassis.settings import load_settings
from spplus.chassis.testing import AuthKeys


def test_settings_come_from_prefixed_variables_with_local_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("SPPLUS_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("SUBMISSION_DATABASE_URL", raising=False)
    defaults = load_settings("submission", IP_RETENTION_DAYS=365)
    assert defaults.database_url == f"sqlite:///{tmp_path / 'submission.db'}"
    assert defaults.extra == {"IP_RETENTION_DAYS": 365}
    assert defaults.queue == "submission.events" and defaults.dead_letter_queue == "submission.events.dlq"
    monkeypatch.setenv("SUBMISSION_DATABASE_URL", "postgresql+psycopg://db/submission")
    monkeypatch.setenv("SUBMISSION_IP_RETENTION_DAYS", "30")
    monkeypatch.setenv("AMQP_RETRY_DELAYS_MS", "100,200,300")
    settings = load_settings("submission", IP_RETENTION_DAYS=365)
    assert settings.database_url == "postgresql+psycopg://db/submission"
    assert settings.extra["IP_RETENTION_DAYS"] == 30
    assert settings.retry_queue(settings.retry_delays_ms[-1]) == "submission.events.retry.300ms"


def test_logs_are_json_lines_with_the_correlation_id(capsys):
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        configure_logging("moderation", "worker", "INFO")
        with correlation("corr-7"):
            logging.getLogger("x").info("case opened")
    finally:
        root.handlers[:], root.level = saved_handlers, saved_level
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["message"] == "case opened" and line["correlation_id"] == "corr-7"
    assert line["service"] == "moderation" and line["role"] == "worker"


def make_app(settings_like):
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "x"
    csrf.init_csrf(app, settings_like)
    init_auth(app, settings_like)

    @app.route("/form", methods=["GET", "POST"])
    def form():
        return render_template_string("{{ csrf_token() }}")

    @app.get("/moderation")
    def moderation():
        principal = require("moderator")
        return principal.email

    @app.get("/structure/<code>")
    def structure(code):
        require("agent", structure=code, ancestors=["CAF-30"] if code == "CAF-30-NIM" else [])
        return "ok"

    return app


class FakeSettings:
    secret_key = "s3cret"
    cookie_secure = False
    auth_jwks_url = None

    def __init__(self, public_pem):
        self.auth_public_key = public_pem


@pytest.fixture
def keys():
    return AuthKeys()


@pytest.fixture
def client(keys):
    app = make_app(FakeSettings(keys.public_pem))
    app.config["TRAP_HTTP_EXCEPTIONS"] = False
    return app.test_client()


def test_csrf_forms_need_the_cookie_token(client):
    assert client.post("/form", data={"a": "b"}).status_code == 403
    token = client.get("/form").get_data(as_text=True)
    assert client.post("/form", data={"csrf_token": token}).status_code == 200
    assert client.post("/form", data={"csrf_token": token[:-1] + "0"}).status_code == 403
    assert not csrf.is_valid("other-secret", token)


def test_csrf_not_needed_for_bearer_or_cookieless_json(client, keys):
    assert client.post("/form", json={"a": 1}).status_code == 200
    assert client.post("/form", data={"a": 1}, headers=keys.headers(roles=["agent"])).status_code == 200


def test_tokens_roles_and_scopes(client, keys):
    assert client.get("/moderation").status_code == 401
    assert client.get("/moderation", headers=keys.headers(roles=["agent"])).status_code == 403
    assert client.get("/moderation", headers=keys.headers(roles=["moderator"], email="m@x.fr")).data == b"m@x.fr"
    agent = keys.headers(roles=["agent"], structures=["CAF-30"])
    assert client.get("/structure/CAF-30", headers=agent).status_code == 200
    assert client.get("/structure/CAF-30-NIM", headers=agent).status_code == 200  # a child structure
    assert client.get("/structure/CPAM-30", headers=agent).status_code == 403


def test_expired_or_foreign_tokens_are_refused(keys):
    verifier = TokenVerifier(keys.public_pem)
    assert verifier.verify(keys.token(ttl=dt.timedelta(seconds=-1))) is None
    assert verifier.verify(AuthKeys().token()) is None
    assert verifier.verify("not-a-token") is None
