"""What the gateway stops: back-office without the right role, forged forms, oversized bodies;
and the headers every answer leaves with."""
import pytest
from spplus.chassis import csrf
from spplus.chassis.auth import SESSION_COOKIE


@pytest.fixture
def door(make_gateway, upstream_urls, auth_keys):
    return make_gateway(upstream_urls, AUTH_PUBLIC_KEY=auth_keys.public_pem)


def calls(upstreams, name):
    return upstreams[name][0].config["calls"]


# -- back-office routes ---------------------------------------------------------------------------

def test_a_back_office_page_without_login_redirects_to_the_login_page(door, upstreams):
    before = calls(upstreams, "moderation")
    response = door.test_client().get("/moderation/cas?etat=ouvert", headers={"Accept": "text/html"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/connexion?suivant=%2Fmoderation%2Fcas%3Fetat%3Douvert"
    assert calls(upstreams, "moderation") == before


def test_a_back_office_api_without_token_is_401_json_in_french(door, upstreams):
    before = calls(upstreams, "responses")
    response = door.test_client().get("/api/v1/agent/responses")
    assert response.status_code == 401
    assert response.get_json()["status"] == "Authentification requise"
    assert calls(upstreams, "responses") == before


def test_a_forged_or_expired_token_counts_as_no_login(door, auth_keys):
    import datetime as dt

    from spplus.chassis.testing import AuthKeys

    stranger = AuthKeys()  # signed with a key identity never had
    client = door.test_client()
    assert client.get("/api/v1/moderation/cases", headers=stranger.headers(roles=["moderator"])).status_code == 401
    expired = auth_keys.token(roles=["moderator"], ttl=dt.timedelta(seconds=-60))
    assert client.get("/api/v1/moderation/cases", headers={"Authorization": f"Bearer {expired}"}).status_code == 401


def test_the_wrong_role_is_403(door, auth_keys):
    client = door.test_client()
    response = client.get("/api/v1/moderation/cases", headers=auth_keys.headers(roles=["agent"]))
    assert response.status_code == 403 and response.get_json()["status"] == "Accès refusé"
    client.set_cookie(SESSION_COOKIE, auth_keys.token(roles=["agent"]))
    page = client.get("/admin/comptes", headers={"Accept": "text/html"})
    assert page.status_code == 403 and "Accès refusé" in page.get_data(as_text=True)


def test_the_right_role_goes_through_with_its_token_for_the_service_to_check_again(door, auth_keys):
    client = door.test_client()
    token = auth_keys.token(roles=["moderator"])
    response = client.get("/api/v1/moderation/cases", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["service"] == "moderation"
    assert response.get_json()["headers"]["Authorization"] == f"Bearer {token}"
    # An admin may go everywhere; an agent's cookie opens the agents' workspace.
    assert client.get("/espace-agent", headers=auth_keys.headers(roles=["admin"])).status_code == 200
    client.set_cookie(SESSION_COOKIE, auth_keys.token(roles=["agent"], structures=["CAF30"]))
    page = client.get("/espace-agent/reponses", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.get_json()["service"] == "responses"


def test_public_and_login_routes_need_no_token(door):
    client = door.test_client()
    assert client.get("/connexion", headers={"Accept": "text/html"}).status_code == 200
    assert client.post("/api/v1/auth/login", json={"email": "a@b.fr", "password": "x"}).status_code == 200
    assert client.get("/proposition/jeton").status_code == 200


# -- CSRF -----------------------------------------------------------------------------------------

def test_a_cookie_session_post_without_csrf_token_is_refused(door, auth_keys, upstreams):
    client = door.test_client()
    client.set_cookie(SESSION_COOKIE, auth_keys.token(roles=["moderator"]))
    before = calls(upstreams, "moderation")
    response = client.post("/api/v1/moderation/cases/1/decision", json={"decision": "publish"})
    assert response.status_code == 403 and response.get_json()["message"] == csrf.MESSAGE
    form = client.post("/moderation/cas/1", data={"decision": "publier"}, headers={"Accept": "text/html"})
    assert form.status_code == 403 and "jeton de sécurité" in form.get_data(as_text=True)
    assert calls(upstreams, "moderation") == before


def test_a_cookie_session_post_with_the_csrf_token_goes_through(door, auth_keys):
    client = door.test_client()
    token = csrf.make_token("test-secret")
    client.set_cookie(SESSION_COOKIE, auth_keys.token(roles=["moderator"]))
    client.set_cookie(csrf.COOKIE, token)
    by_header = client.post("/api/v1/moderation/cases/1/decision", json={"decision": "publish"},
                            headers={csrf.HEADER: token})
    assert by_header.status_code == 200
    by_form = client.post("/moderation/cas/1", data={"decision": "publier", csrf.FIELD: token})
    assert by_form.status_code == 200
    # The form read by the gateway reaches the service whole.
    assert by_form.get_json()["body_text"] == f"decision=publier&{csrf.FIELD}={token}"
    multipart = client.post("/moderation/cas/1", data={csrf.FIELD: token, "note": "ok"},
                            content_type="multipart/form-data")
    assert multipart.status_code == 200 and token in multipart.get_json()["body_text"]


def test_a_token_that_is_not_the_cookies_or_not_signed_is_refused(door, auth_keys):
    client = door.test_client()
    client.set_cookie(SESSION_COOKIE, auth_keys.token(roles=["moderator"]))
    client.set_cookie(csrf.COOKIE, csrf.make_token("test-secret"))
    other = csrf.make_token("test-secret")
    assert client.post("/moderation/cas/1", data={csrf.FIELD: other}).status_code == 403
    unsigned = "0" * 32 + "." + "0" * 64
    client.set_cookie(csrf.COOKIE, unsigned)
    assert client.post("/moderation/cas/1", data={csrf.FIELD: unsigned}).status_code == 403


def test_bearer_clients_and_cookieless_calls_need_no_csrf_token(door, auth_keys):
    client = door.test_client()
    response = client.post("/api/v1/moderation/cases/1/decision", json={"decision": "publish"},
                           headers=auth_keys.headers(roles=["moderator"]))
    assert response.status_code == 200
    # A citizen's public call carries no session: the service applies its own form check.
    assert client.post("/api/v1/experiences", json={"titre": "x"}).status_code == 200


# -- body size ------------------------------------------------------------------------------------

def test_json_over_64_kb_is_413_before_reaching_the_service(door, upstreams):
    before = calls(upstreams, "submission")
    response = door.test_client().post("/api/v1/experiences", data=b"{" + b" " * 70_000 + b"}",
                                       content_type="application/json")
    assert response.status_code == 413
    assert response.get_json() == {"code": 413, "status": "Requête trop volumineuse",
                                   "message": "Les données envoyées dépassent la taille autorisée."}
    assert calls(upstreams, "submission") == before
    page = door.test_client().post("/experiences/nouvelle", data={"description": "x" * 70_000},
                                   headers={"Accept": "text/html"})
    assert page.status_code == 413 and "Requête trop volumineuse" in page.get_data(as_text=True)


def test_document_uploads_may_reach_10_mb_and_not_more(door):
    client = door.test_client()
    five_mb = client.post("/api/v1/documents", data=b"a" * (5 * 1024 * 1024), content_type="application/pdf")
    assert five_mb.status_code == 200 and five_mb.get_json()["body_size"] == 5 * 1024 * 1024
    over = client.post("/documents/signaler", data=b"a" * (10 * 1024 * 1024 + 1), content_type="application/pdf")
    assert over.status_code == 413
    # A GET on the same prefix keeps the small limit.
    assert client.get("/api/v1/documents", data=b"a" * 70_000).status_code == 413


# -- headers --------------------------------------------------------------------------------------

def test_security_headers_on_every_answer(door):
    client = door.test_client()
    for response in (client.get("/experiences"), client.get("/healthz"), client.get("/static/spplus/spplus.css"),
                     client.get("/api/v1/agent/x")):
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS


def test_hsts_behind_tls_only_when_the_proxy_is_trusted(make_gateway, upstream_urls):
    tls = {"X-Forwarded-Proto": "https"}
    trusting = make_gateway(upstream_urls, GATEWAY_TRUSTED_PROXIES=1).test_client()
    assert trusting.get("/experiences", headers=tls).headers["Strict-Transport-Security"] == \
        "max-age=63072000; includeSubDomains"
    assert "Strict-Transport-Security" in trusting.get("/healthz", base_url="https://localhost").headers
    direct = make_gateway(upstream_urls, GATEWAY_TRUSTED_PROXIES=0).test_client()
    assert "Strict-Transport-Security" not in direct.get("/experiences", headers=tls).headers


def test_one_csrf_scheme_shared_with_a_chassis_service(make_gateway, upstream_urls, auth_keys, live_server, monkeypatch):
    """A real chassis service (create_base_app, init_csrf, init_auth) behind the gateway: the
    token the service puts in its form and cookie is the one the gateway checks."""
    from flask import render_template_string, request
    from spplus.chassis.auth import init_auth, require
    from spplus.chassis.csrf import init_csrf
    from spplus.chassis.db import Database
    from spplus.chassis.settings import load_settings
    from spplus.chassis.web import create_base_app

    monkeypatch.setenv("SPPLUS_SECRET_KEY", "test-secret")  # shared by the gateway and the services
    monkeypatch.setenv("AUTH_PUBLIC_KEY", auth_keys.public_pem)
    settings = load_settings("moderation")
    service, _api = create_base_app("moderation", settings, Database("sqlite://"), __name__, "moderation")
    init_auth(service, settings)
    init_csrf(service, settings)
    decisions = []

    @service.get("/moderation/cas/7")
    def form():
        require("moderator")
        return render_template_string('<form method="post"><input type="hidden" name="csrf_token" '
                                      'value="{{ csrf_token() }}"><button>Publier</button></form>')

    @service.post("/moderation/cas/7")
    def decide():
        require("moderator")
        decisions.append(request.form["decision"])
        return {"ok": True}

    door = make_gateway(upstream_urls | {"moderation": live_server(service).url})
    client = door.test_client()
    client.set_cookie(SESSION_COOKIE, auth_keys.token(roles=["moderator"]))
    page = client.get("/moderation/cas/7", headers={"Accept": "text/html"})
    assert page.status_code == 200
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    assert client.get_cookie(csrf.COOKIE).value == token  # the service's Set-Cookie came through

    accepted = client.post("/moderation/cas/7", data={"csrf_token": token, "decision": "publier"})
    assert accepted.status_code == 200 and decisions == ["publier"]
    forged = client.post("/moderation/cas/7", data={"csrf_token": csrf.make_token("other"), "decision": "rejeter"})
    assert forged.status_code == 403 and decisions == ["publier"]
