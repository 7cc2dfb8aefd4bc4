"""FastRoute: a busy GET answered in front of Flask with the same request id, headers, metric
and log line as Flask's hooks; everything it declines goes to Flask unchanged."""
import logging

import pytest
from flask import Flask
from werkzeug.test import Client

from spplus.chassis.fastroute import FastRoute, first_values
from spplus.chassis.logs import current_correlation_id
from spplus.chassis.web import SECURITY_HEADERS


@pytest.fixture
def served():
    app = Flask(__name__)
    seen = []

    @app.get("/api/v1/things")
    def things():
        return {"from": "flask"}

    @app.post("/api/v1/things")
    def create():
        return {"from": "flask"}, 201

    def handler(query_string):
        arguments = first_values(query_string)
        seen.append((arguments, current_correlation_id()))
        if arguments.get("fail"):
            raise RuntimeError("boom")
        return None if arguments.get("bad") else b'{"from": "fast"}'

    app.wsgi_app = FastRoute(app.wsgi_app, "sample", "/api/v1/things", handler)
    return Client(app), seen


def test_the_route_is_answered_with_flask_s_request_id_and_headers(served):
    client, seen = served
    response = client.get("/api/v1/things?q=caf%C3%A9&q=second&empty=", headers={"X-Request-ID": "req-7"})
    assert response.status_code == 200 and response.get_data() == b'{"from": "fast"}'
    assert response.headers["X-Request-ID"] == "req-7" and response.mimetype == "application/json"
    assert response.headers["Content-Length"] == str(len(b'{"from": "fast"}'))
    for name, value in SECURITY_HEADERS:
        assert response.headers[name] == value
    # First value of each name, UTF-8 decoded, blanks kept; the request id is the logs' correlation id.
    assert seen == [({"q": "café", "empty": ""}, "req-7")]
    created = client.get("/api/v1/things").headers["X-Request-ID"]
    assert len(created) == 36 and seen[-1][1] == created


def test_head_has_the_headers_and_no_body(served):
    client, _ = served
    response = client.head("/api/v1/things")
    assert response.status_code == 200 and response.get_data() == b""
    assert response.headers["Content-Length"] == str(len(b'{"from": "fast"}'))


def test_declined_failed_and_other_requests_go_to_flask(served, caplog):
    client, seen = served
    assert client.get("/api/v1/things?bad=1").get_json() == {"from": "flask"}
    with caplog.at_level(logging.ERROR, logger="spplus.chassis.fastroute"):
        assert client.get("/api/v1/things?fail=1").get_json() == {"from": "flask"}
    assert "fast route failed" in caplog.text
    assert client.post("/api/v1/things").status_code == 201
    assert client.get("/api/v1/things/").status_code == 404
    assert len(seen) == 2  # the POST and the other path never reached the handler


def test_an_undecodable_query_string_is_read_not_refused():
    assert first_values("q=%FF%FE&n=1") == {"q": "\ufffd\ufffd", "n": "1"}
