"""A service down: French 503 at once (circuit open), the rest of the site keeps working, and
the circuit closes again by itself when the service is back."""
import socket
import threading
import time

import pytest
import requests

from werkzeug.serving import make_server


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_service_down_opens_its_circuit_while_others_keep_working(make_gateway, upstream_urls, port_factory,
                                                                   upstream_factory):
    port = port_factory()  # nothing listens there yet: the moderation service is down
    urls = {**upstream_urls, "moderation": f"http://127.0.0.1:{port}"}
    app = make_gateway(urls, GATEWAY_BREAKER_FAIL_MAX=2, GATEWAY_BREAKER_RESET_SECONDS=1)
    client = app.test_client()
    breaker = app.extensions["spplus_gateway_upstreams"].breakers["moderation"]

    first = client.get("/proposition/jeton", headers={"Accept": "text/html"})
    assert first.status_code == 503
    html = first.get_data(as_text=True)
    assert '<html lang="fr">' in html and "Service indisponible" in html and "momentanément indisponible" in html
    assert first.headers["Retry-After"]
    api = client.get("/api/v1/proposals/jeton")
    assert api.status_code == 503 and api.get_json()["status"] == "Service indisponible"
    assert breaker.current_state == "open"

    # The rest of the site does not notice.
    assert client.get("/experiences").status_code == 200
    assert client.post("/api/v1/experiences", json={"titre": "x"}).status_code == 200

    # The service comes back; while the circuit is open nobody is sent to it...
    service = upstream_factory("moderation")
    server = make_server("127.0.0.1", port, service, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        open_answer = client.get("/api/v1/proposals/jeton")
        if breaker.current_state == "open":
            assert open_answer.status_code == 503 and service.config["calls"] == 0
        # ...then one trial request closes it and traffic flows again.
        assert wait_for(lambda: client.get("/api/v1/proposals/jeton").status_code == 200)
        assert breaker.current_state == "closed" and service.config["calls"] >= 1
    finally:
        server.shutdown()


def test_a_timeout_counts_as_a_failure_and_answers_503(make_gateway, upstream_urls, tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # accepts connections, never answers
    routes = tmp_path / "routes.toml"
    routes.write_text(f'[upstreams.slow]\nurl = "http://127.0.0.1:{listener.getsockname()[1]}"\n'
                      'read_timeout = 0.3\n'
                      f'[upstreams.publication]\nurl = "{upstream_urls["publication"]}"\n'
                      '[[routes]]\nprefix = "/"\nupstream = "publication"\n'
                      '[[routes]]\nprefix = "/lent"\nupstream = "slow"\n')
    client = make_gateway({}, GATEWAY_ROUTES_FILE=routes).test_client()
    started = time.monotonic()
    response = client.get("/lent/page")
    assert response.status_code == 503 and time.monotonic() - started < 3
    assert client.get("/experiences").status_code == 200
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'spplus_gateway_upstream_errors_total{kind="timeout",upstream="slow"}' in metrics
    listener.close()


def test_readiness_reports_each_service(make_gateway, upstream_urls, port_factory):
    client = make_gateway(upstream_urls).test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["status"] == "ok"
    assert set(ready.get_json()["checks"].values()) == {"ok"}
    down = make_gateway({**upstream_urls, "panel": f"http://127.0.0.1:{port_factory()}"}).test_client()
    degraded = down.get("/readyz")
    # One service down must not take the gateway out of the load balancer.
    assert degraded.status_code == 200 and degraded.get_json()["status"] == "degraded"
    assert degraded.get_json()["checks"]["panel"].startswith("injoignable")
    nobody = make_gateway({name: f"http://127.0.0.1:{port_factory()}" for name in upstream_urls}).test_client()
    assert nobody.get("/readyz").status_code == 503


def test_a_service_that_breaks_off_mid_answer_cuts_the_answer_short_and_nothing_else(gunicorn_gateway, upstream_urls):
    """The status line has left: the client must see a cut answer (never a complete-looking one),
    the circuit is not opened by it, and the next requests are served."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def serve():
        while True:
            try:
                connection, _address = listener.accept()
            except OSError:
                return
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"
                               + b"x" * 10)
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    door = gunicorn_gateway({**upstream_urls, "moderation": f"http://127.0.0.1:{listener.getsockname()[1]}"})
    try:
        for _ in range(6):  # more than the breaker's 5 failures
            with pytest.raises(requests.exceptions.RequestException):
                response = requests.get(door.url + "/proposition/jeton", timeout=10)
                assert len(response.content) == 100000  # requests raises first: the answer is short
        assert requests.get(door.url + "/experiences", timeout=10).status_code == 200
        with requests.get(door.url + "/proposition/jeton", timeout=10, stream=True) as still_sent:
            assert still_sent.status_code == 200  # not the 503 of an open circuit
    finally:
        listener.close()
