"""Sign-in API: tokens other services verify through the JWKS, cookies, throttling, logout, refresh."""
import datetime as dt

import jwt
from spplus.chassis.auth import TokenVerifier
from spplus.identity.service_layer import auth

from identity_helpers import PASSWORD


def test_login_returns_a_token_every_service_verifies_with_the_jwks(seeded, live_server):
    seeded.account("agent.caf30@test.spplus.fr", scope=("CAF-30",))
    response = seeded.login(seeded.client, "Agent.CAF30@test.spplus.fr ")
    body = response.get_json()
    assert response.status_code == 200
    assert body["roles"] == ["agent"] and body["structures"] == ["CAF-30"]
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"spplus_session={body['token']}") and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie and "Secure" not in cookie  # plain-http local run
    server = live_server(seeded.app)
    principal = TokenVerifier(jwks_url=f"{server.url}/api/v1/auth/jwks").verify(body["token"])
    assert principal.email == "agent.caf30@test.spplus.fr" and principal.structures == {"CAF-30"}
    assert principal.covers("CAF-30") and not principal.covers("CPAM-30")
    assert jwt.get_unverified_header(body["token"])["alg"] == "EdDSA"


def test_secure_cookie_behind_https_malformed_logins_and_throttling_per_ip(make_harness):
    from spplus.identity.bootstrap import spec
    from spplus.identity.service_layer import accounts

    harness = make_harness(spec, PUBLIC_BASE_URL="https://spplus.example.fr", IDENTITY_ARGON2_PROFILE="CHEAPEST",
                           IDENTITY_LOGIN_MAX_FAILURES_PER_IP=4)
    with harness.database.unit_of_work() as session:
        accounts.create(session, "mod@test.spplus.fr", "", {"moderator"}, set(), PASSWORD)
    response = harness.client.post("/api/v1/auth/login", json={"email": "mod@test.spplus.fr", "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]
    for body in ({"email": "x"}, {"email": 3, "password": "p"}, [1], {"password": "x" * 2000}):
        malformed = harness.client.post("/api/v1/auth/login", json=body)
        assert malformed.status_code == 422 and malformed.get_json()["message"]
    # Per address: failures on many different accounts from one IP end up throttled too.
    for number in range(4):
        harness.client.post("/api/v1/auth/login", json={"email": f"guess{number}@test.spplus.fr", "password": "x"})
    from_same_ip = harness.client.post("/api/v1/auth/login", json={"email": "mod@test.spplus.fr", "password": PASSWORD})
    assert from_same_ip.status_code == 429 and "Trop de tentatives" in from_same_ip.get_json()["message"]
    # Behind the gateway (a trusted proxy), the forwarded address is the one counted.
    other_citizen = harness.client.post("/api/v1/auth/login", json={"email": "mod@test.spplus.fr", "password": PASSWORD},
                                        headers={"X-Forwarded-For": "203.0.113.9"})
    assert other_citizen.status_code == 200


def test_same_answer_for_unknown_accounts_and_throttling_per_account(seeded):
    seeded.account("agent@test.spplus.fr")
    unknown = seeded.login(seeded.client, "nobody@test.spplus.fr", "not the password!")
    wrong = seeded.login(seeded.client, "agent@test.spplus.fr", "not the password!")
    assert wrong.status_code == unknown.status_code == 401 and wrong.get_json() == unknown.get_json()
    assert wrong.get_json()["message"] == "Adresse e-mail ou mot de passe incorrect."
    for _ in range(2):  # the fixture allows 3 failures per account
        assert seeded.login(seeded.client, "agent@test.spplus.fr", "bad password 123").status_code == 401
    locked = seeded.login(seeded.client, "agent@test.spplus.fr")  # even the right password waits now
    assert locked.status_code == 429 and "réessayez dans 15 minutes" in locked.get_json()["message"]
    assert int(locked.headers["Retry-After"]) > 800
    # An unknown address is throttled just the same: locking tells nothing about accounts.
    for _ in range(3):
        seeded.login(seeded.client, "ghost@test.spplus.fr", "bad password 123")
    assert seeded.login(seeded.client, "ghost@test.spplus.fr", "x").status_code == 429


def test_me_logout_and_refresh(seeded):
    seeded.account("agent@test.spplus.fr", scope=("DGFIP-30",))
    client = seeded.client
    assert client.get("/api/v1/auth/me").status_code == 401
    token = seeded.login(client, "agent@test.spplus.fr").get_json()["token"]
    me = client.get("/api/v1/auth/me").get_json()
    assert me["email"] == "agent@test.spplus.fr" and me["structures"] == ["DGFIP-30"]
    refreshed = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {token}"})
    assert refreshed.status_code == 200 and refreshed.get_json()["token"] != token
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/auth/logout", headers=bearer).status_code == 200
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401
    assert client.post("/api/v1/auth/refresh", headers=bearer).status_code == 401
    # An expired token is renewed while its session is open.
    account = seeded.account("agent2@test.spplus.fr")
    config = seeded.app.extensions["identity"]
    with seeded.database.unit_of_work() as session:
        issued = auth.open_session(session, config, account)
    claims = jwt.decode(issued.token, options={"verify_signature": False})
    expired = jwt.encode({**claims, "exp": dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)},
                         config.key.private_key, algorithm="EdDSA", headers={"kid": config.key.key_id})
    client = seeded.client
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {expired}"}).status_code == 401
    renewed = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {expired}"})
    assert renewed.status_code == 200
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {renewed.get_json()['token']}"}).status_code == 200


def test_disabled_account_cannot_sign_in_and_loses_its_sessions(seeded):
    agent = seeded.account("agent@test.spplus.fr")
    agent_client = seeded.client
    seeded.login(agent_client, "agent@test.spplus.fr")
    admin = seeded.admin_client()
    response = admin.patch(f"/api/v1/admin/accounts/{agent.id}", json={"active": False},
                           headers={"X-CSRF-Token": _csrf(admin)})
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert agent_client.get("/api/v1/auth/me").status_code == 401
    assert seeded.login(seeded.client, "agent@test.spplus.fr").status_code == 401


def _csrf(client):
    client.get("/connexion/mot-de-passe-oublie")
    return client.get_cookie("spplus_csrf").value


def test_admin_accounts_api_validates(seeded):
    admin = seeded.admin_client()
    token = _csrf(admin)
    created = admin.post("/api/v1/admin/accounts", headers={"X-CSRF-Token": token},
                         json={"email": "New.Agent@test.spplus.fr", "roles": ["agent"], "structures": ["cpam-30"],
                               "password": "short"})
    assert created.status_code == 422
    assert created.get_json()["errors"]["json"]["password"] == ["Le mot de passe doit contenir au moins 12 caractères."]
    no_scope = admin.post("/api/v1/admin/accounts", headers={"X-CSRF-Token": token},
                          json={"email": "a@test.spplus.fr", "roles": ["agent"], "structures": ["NOPE"]})
    assert no_scope.get_json()["errors"]["json"]["structures"] == ["Structure inconnue : NOPE."]
    ok = admin.post("/api/v1/admin/accounts", headers={"X-CSRF-Token": token},
                    json={"email": "New.Agent@test.spplus.fr", "roles": ["agent"], "structures": ["cpam-30"]})
    assert ok.status_code == 201 and ok.get_json()["email"] == "new.agent@test.spplus.fr"
    again = admin.post("/api/v1/admin/accounts", headers={"X-CSRF-Token": token},
                       json={"email": "new.agent@test.spplus.fr", "roles": ["moderator"]})
    assert again.status_code == 409
    listing = admin.get("/api/v1/admin/accounts?q=new.agent").get_json()
    assert [item["structures"] for item in listing["items"]] == [["CPAM-30"]]
