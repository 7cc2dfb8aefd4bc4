"""Forwarding through real HTTP upstreams: routing, headers in and out, bodies streamed both ways."""
import hashlib
import http.server
import json
import threading
import time

import requests
from spplus.chassis.web import CSP

BLOCK = bytes(range(256)) * 256  # 64 KB
TEN_MB = 10 * 1024 * 1024


class GeneratedBody:
    """A large body produced block by block, so the client never holds it either; sent chunked."""

    def __init__(self, size: int):
        self.size = size

    def __iter__(self):
        sent = 0
        while sent < self.size:
            part = BLOCK[: min(len(BLOCK), self.size - sent)]
            sent += len(part)
            yield part

    def sha256(self) -> str:
        digest = hashlib.sha256()
        for part in self:
            digest.update(part)
        return digest.hexdigest()


class Sized(GeneratedBody):
    """The same, with its length known: sent with Content-Length."""

    def __len__(self):
        return self.size


def test_requests_reach_the_service_of_the_routing_table(gateway):
    client = gateway.test_client()
    cases = {
        ("GET", "/experiences/nouvelle"): "submission",
        ("GET", "/experiences/42"): "publication",
        ("POST", "/api/v1/experiences"): "submission",
        ("GET", "/api/v1/experiences"): "publication",
        ("POST", "/api/v1/experiences/42/similar"): "publication",
        ("GET", "/connexion"): "identity",
        ("GET", "/proposition/tok"): "moderation",
        ("GET", "/panel/inscription"): "panel",
        ("GET", "/documents/signaler"): "documents",
        ("GET", "/"): "publication",
    }
    for (method, path), service in cases.items():
        response = client.open(path, method=method, json={} if method == "POST" else None)
        assert response.status_code == 200, (method, path)
        body = response.get_json()
        assert (body["service"], body["method"], body["path"]) == (service, method, path)


def test_path_query_and_body_arrive_intact(gateway):
    response = gateway.test_client().post("/api/v1/experiences?source=web&q=caf%C3%A9%20cr%C3%A8me",
                                          json={"titre": "Accueil à la CAF"})
    body = response.get_json()
    assert body["query"] == "source=web&q=caf%C3%A9%20cr%C3%A8me"
    assert json.loads(body["body_text"]) == {"titre": "Accueil à la CAF"}
    assert body["headers"]["Content-Type"] == "application/json"


def test_identity_internal_and_hop_by_hop_headers_from_outside_are_stripped(gateway):
    response = gateway.test_client().get("/experiences", headers={
        "X-Spplus-User": "admin", "X-Spplus-Roles": "admin", "X-User-Email": "a@b.fr", "X-Remote-User": "root",
        "Remote-User": "root", "X-Auth-Request-User": "root", "X-Forwarded-For": "6.6.6.6",
        "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https", "Forwarded": "for=6.6.6.6",
        "X-Real-IP": "6.6.6.6", "Connection": "keep-alive, X-Secret-Hop", "X-Secret-Hop": "1",
        "Keep-Alive": "timeout=5", "Proxy-Authorization": "Basic eA==", "TE": "trailers",
        "Accept-Language": "fr-FR", "User-Agent": "essai/1.0", "Authorization": "Bearer abc",
    })
    received = {key.lower(): value for key, value in response.get_json()["headers"].items()}
    for name in ("x-spplus-user", "x-spplus-roles", "x-user-email", "x-remote-user", "remote-user",
                 "x-auth-request-user", "forwarded", "x-real-ip", "x-secret-hop", "keep-alive",
                 "proxy-authorization", "te"):
        assert name not in received, name
    assert received["x-forwarded-for"] == "127.0.0.1"
    assert received["x-forwarded-proto"] == "http"
    assert received["x-forwarded-host"] == "localhost"
    # What the service needs from the client goes through, including its token (the service checks it).
    assert received["accept-language"] == "fr-FR" and received["user-agent"] == "essai/1.0"
    assert received["authorization"] == "Bearer abc"


def test_request_id_is_passed_on_or_created(gateway):
    client = gateway.test_client()
    response = client.get("/experiences", headers={"X-Request-ID": "req-42"})
    assert response.headers["X-Request-ID"] == "req-42"
    assert response.get_json()["headers"]["X-Request-Id"] == "req-42"
    created = client.get("/experiences")
    assert len(created.headers["X-Request-ID"]) == 36
    assert created.get_json()["headers"]["X-Request-Id"] == created.headers["X-Request-ID"]
    bad = client.get("/experiences", headers={"X-Request-ID": "é" * 10})
    assert bad.headers["X-Request-ID"] != "é" * 10


def test_client_ip_comes_from_trusted_proxies_only(make_gateway, upstream_urls):
    urls = upstream_urls
    spoof = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    direct = make_gateway(urls).test_client().get("/experiences", headers=spoof).get_json()["headers"]
    assert direct["X-Forwarded-For"] == "127.0.0.1" and direct["X-Forwarded-Proto"] == "http"
    behind = make_gateway(urls, GATEWAY_TRUSTED_PROXIES=1).test_client().get("/experiences", headers=spoof)
    assert behind.get_json()["headers"]["X-Forwarded-For"] == "203.0.113.7"
    assert behind.get_json()["headers"]["X-Forwarded-Proto"] == "https"


def test_answers_keep_every_cookie_and_lose_internal_headers(gateway):
    response = gateway.test_client().get("/cookies")
    assert sorted(response.headers.getlist("Set-Cookie")) == ["a=1; Path=/", "b=2; Path=/"]
    assert "X-Spplus-Internal" not in response.headers
    # The platform's CSP wins over whatever the service sent.
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_pooled_session_never_passes_one_clients_cookies_to_the_next(gateway):
    client = gateway.test_client()
    client.get("/cookies")  # the service sets a=1, b=2 on that browser
    other = gateway.test_client()
    assert "Cookie" not in other.get("/experiences").get_json()["headers"]


def test_a_10_mb_upload_and_download_stream_through_without_being_held(gunicorn_gateway):
    """Under gunicorn, as deployed: the worker's peak resident memory (VmHWM) barely moves while
    10 MB go up to a service and 10 MB come back down."""
    door = gunicorn_gateway()
    with requests.Session() as client:
        # Warm-up: every code path has run once before the baseline is taken.
        client.post(door.url + "/api/v1/documents", data=Sized(1024 * 1024), timeout=30)
        for chunk in client.get(door.url + "/download/262144", stream=True, timeout=30).iter_content(65536):
            pass
        baseline = door.peak_rss_kb()
        body = Sized(TEN_MB)
        response = client.post(door.url + "/api/v1/documents", data=body,
                               headers={"Content-Type": "application/octet-stream"}, timeout=60)
        after_upload = door.peak_rss_kb()
        received = 0
        with client.get(door.url + f"/download/{TEN_MB}", stream=True, timeout=60) as download:
            assert download.headers["Content-Length"] == str(TEN_MB)
            for chunk in download.iter_content(65536):
                received += len(chunk)
        after_download = door.peak_rss_kb()
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["service"] == "documents" and answer["body_size"] == TEN_MB
    assert answer["body_sha256"] == body.sha256()
    assert answer["headers"]["Content-Length"] == str(TEN_MB)  # streamed with its length, not re-chunked
    assert received == TEN_MB
    # Held whole, either body would add 10 MB; streamed, the peak moves by buffers and allocator noise.
    assert after_upload - baseline < 5 * 1024, f"upload grew the peak by {after_upload - baseline} KB"
    assert after_download - baseline < 5 * 1024, f"download grew the peak by {after_download - baseline} KB"


def test_a_chunked_upload_streams_through_and_stops_at_the_limit(gateway, live_server):
    door = live_server(gateway)
    small = GeneratedBody(3 * 1024 * 1024)
    response = requests.post(door.url + "/api/v1/documents", data=iter(small),
                             headers={"Content-Type": "application/octet-stream"}, timeout=60)
    assert response.status_code == 200
    assert response.json()["body_size"] == small.size and response.json()["body_sha256"] == small.sha256()
    too_big = GeneratedBody(TEN_MB + 256 * 1024)
    try:
        response = requests.post(door.url + "/api/v1/documents", data=iter(too_big),
                                 headers={"Content-Type": "application/octet-stream"}, timeout=60)
    except requests.ConnectionError:
        return  # the gateway answered 413 and closed before the client finished sending
    assert response.status_code == 413
    assert response.json()["status"] == "Requête trop volumineuse"


class _KeepAliveService(http.server.BaseHTTPRequestHandler):
    """A service that keeps connections open (HTTP/1.1) and says which client port asked."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - http.server's naming
        body = json.dumps({"client_port": self.client_address[1]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_connections_to_a_service_are_kept_and_reused(make_gateway, upstream_urls, gateway, live_server):
    service = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _KeepAliveService)
    threading.Thread(target=service.serve_forever, daemon=True).start()
    try:
        # Public GETs: libcurl, one handle per thread and service (here, the test's one thread).
        client = make_gateway({**upstream_urls, "publication": f"http://127.0.0.1:{service.server_port}"}).test_client()
        ports = {client.get(f"/experiences/{index}").get_json()["client_port"] for index in range(20)}
        assert len(ports) == 1
    finally:
        service.shutdown()
    # Everything else: requests' pool (one connection object, reconnected when the service closed it).
    door = live_server(gateway)
    with requests.Session() as browser:
        for _ in range(20):
            assert browser.post(door.url + "/une-page", json={}, timeout=10).status_code == 200
    pool = gateway.extensions["spplus_gateway_upstreams"].sessions["publication"].get_adapter("http://x").poolmanager
    [connection_pool] = list(pool.pools._container.values())
    assert connection_pool.num_connections == 1 and connection_pool.num_requests == 20


def test_a_slow_answer_holds_back_no_other_request_to_the_same_service(gunicorn_gateway):
    door = gunicorn_gateway()  # one process, as deployed (gunicorn, threads)
    slow = []
    for method in ("GET", "POST"):   # the fast path (libcurl) and Flask's (requests)
        thread = threading.Thread(target=lambda m=method: slow.append(
            requests.request(m, door.url + "/lent/3000", json={} if m == "POST" else None, timeout=10).status_code))
        thread.start()
    time.sleep(0.3)                  # both slow requests are now waiting on the service
    for _ in range(5):
        started = time.monotonic()
        assert requests.get(door.url + "/lent/0", timeout=10).status_code == 200
        assert requests.post(door.url + "/lent/0", json={}, timeout=10).status_code == 200
        assert time.monotonic() - started < 1.5, "a request waited for another one to the same service"
    deadline = time.monotonic() + 10
    while len(slow) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert slow == [200, 200]


def test_concurrent_requests_are_all_answered(gateway, live_server):
    door = live_server(gateway)
    results = []

    def call(index):
        response = requests.get(door.url + f"/experiences/{index}", timeout=10)
        results.append((response.status_code, response.json()["path"]))

    threads = [threading.Thread(target=call, args=(index,)) for index in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted((200, f"/experiences/{index}") for index in range(30))


def test_public_gets_skip_flask_and_everything_else_goes_through_it(make_gateway, upstream_urls):
    app = make_gateway(upstream_urls)
    fast = app.wsgi_app  # the FastForward layer (no ProxyFix without trusted proxies)
    through_flask, flask_entry = [], fast.next
    fast.next = lambda environ, start_response: (through_flask.append(environ["PATH_INFO"])
                                                 or flask_entry(environ, start_response))
    client = app.test_client()
    page = client.get("/experiences?page=2", headers={"X-Request-ID": "req-7", "X-Spplus-User": "admin"})
    assert page.status_code == 200 and page.headers["X-Request-ID"] == "req-7"
    assert page.headers["Content-Security-Policy"] == CSP and page.headers["X-Frame-Options"] == "DENY"
    received = {key.lower(): value for key, value in page.get_json()["headers"].items()}
    assert "x-spplus-user" not in received and received["x-request-id"] == "req-7"
    assert page.get_json()["query"] == "page=2"
    assert client.head("/experiences").status_code == 200
    assert through_flask == []
    client.get("/healthz")                                   # the gateway's own page
    client.get("/moderation")                                # a back-office route (role checked)
    client.post("/api/v1/experiences", json={"titre": "x"})  # an unsafe method (CSRF, body limits)
    assert through_flask == ["/healthz", "/moderation", "/api/v1/experiences"]


def test_a_public_get_over_its_limit_gets_the_french_429_once_counted(make_gateway, upstream_urls, tmp_path):
    routes = tmp_path / "routes.toml"
    routes.write_text(f'[upstreams.publication]\nurl = "{upstream_urls["publication"]}"\n'
                      '[[routes]]\nprefix = "/"\nupstream = "publication"\nrate_limit = "2 per minute"\n')
    client = make_gateway(upstream_urls, GATEWAY_ROUTES_FILE=str(routes)).test_client()
    assert [client.get("/experiences").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/experiences", headers={"Accept": "text/html"})
    assert refused.status_code == 429 and "Trop de requêtes" in refused.get_data(as_text=True)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["Content-Security-Policy"] == CSP


def test_a_download_left_half_read_never_meets_the_next_request(gateway, live_server):
    door = live_server(gateway)
    with requests.Session() as client:
        with client.get(door.url + f"/download/{TEN_MB}", stream=True, timeout=30) as download:
            assert len(next(download.iter_content(65536))) > 0  # the client leaves after one chunk
        for _ in range(5):
            answer = client.get(door.url + "/experiences?after=download", timeout=10)
            assert answer.status_code == 200 and answer.json()["query"] == "after=download"
