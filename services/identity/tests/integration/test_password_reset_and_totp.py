"""Password reset by a signed, expiring, single-use link (an event for notification), and TOTP."""
import re
import time

import pyotp

from spplus.chassis.events import contract_for

from identity_helpers import PASSWORD, wrong_code

NEW_PASSWORD = "a brand new passphrase"


def _reset_link(harness, email):
    [event] = harness.published(1, types=("agent.password_reset_requested",))
    assert event.data["email"] == email and not contract_for("agent.password_reset_requested")().validate(event.data)
    return event.data["reset_url"].split("/connexion/reinitialisation/")[1]


def test_reset_link_works_once_and_closes_open_sessions(seeded):
    seeded.account("agent@test.spplus.fr")
    old_session = seeded.client
    seeded.login(old_session, "agent@test.spplus.fr")
    unknown = seeded.client.post("/api/v1/auth/password-reset", json={"email": "nobody@test.spplus.fr"})
    known = seeded.client.post("/api/v1/auth/password-reset", json={"email": "agent@test.spplus.fr"})
    assert unknown.status_code == known.status_code == 202 and unknown.get_json() == known.get_json()
    token = _reset_link(seeded, "agent@test.spplus.fr")
    short = seeded.client.post(f"/api/v1/auth/password-reset/{token}", json={"password": "short"})
    assert short.status_code == 422 and "12 caractères" in short.get_json()["errors"]["json"]["password"][0]
    assert seeded.client.post(f"/api/v1/auth/password-reset/{token}", json={"password": NEW_PASSWORD}).status_code == 200
    again = seeded.client.post(f"/api/v1/auth/password-reset/{token}", json={"password": NEW_PASSWORD + "!"})
    assert again.status_code == 410
    assert old_session.get("/api/v1/auth/me").status_code == 401
    assert seeded.login(seeded.client, "agent@test.spplus.fr", NEW_PASSWORD).status_code == 200
    forged = seeded.client.post(f"/api/v1/auth/password-reset/{token[:-2]}xx", json={"password": NEW_PASSWORD})
    assert forged.status_code == 410


def test_expired_link_is_refused(make_harness):
    from spplus.identity.bootstrap import spec
    from spplus.identity.service_layer import accounts

    harness = make_harness(spec, IDENTITY_RESET_TTL_SECONDS=0, IDENTITY_ARGON2_PROFILE="CHEAPEST")
    with harness.database.unit_of_work() as session:
        accounts.create(session, "mod@test.spplus.fr", "", {"moderator"}, set(), PASSWORD)
    harness.client.post("/api/v1/auth/password-reset", json={"email": "mod@test.spplus.fr"})
    token = _reset_link(harness, "mod@test.spplus.fr")
    page = harness.client.get(f"/connexion/reinitialisation/{token}")
    assert page.status_code == 410 and "plus valable" in page.get_data(as_text=True)


def test_totp_second_factor(seeded):
    seeded.account("agent@test.spplus.fr")
    client = seeded.client
    seeded.login(client, "agent@test.spplus.fr")
    client.get("/connexion/mot-de-passe-oublie")
    csrf = {"X-CSRF-Token": client.get_cookie("spplus_csrf").value}
    setup = client.post("/api/v1/auth/totp", headers=csrf).get_json()
    assert setup["uri"].startswith("otpauth://totp/")
    wrong = wrong_code(setup["secret"])
    assert client.post("/api/v1/auth/totp/confirm", json={"code": wrong}, headers=csrf).status_code == 422
    totp = pyotp.TOTP(setup["secret"])
    # Codes of three successive 30-s steps (one step of drift is accepted either way): each once.
    confirm_code = totp.at(time.time() - 30)
    assert client.post("/api/v1/auth/totp/confirm", json={"code": confirm_code}, headers=csrf).status_code == 200
    fresh = seeded.client
    missing = seeded.login(fresh, "agent@test.spplus.fr")
    assert missing.status_code == 401 and "totp" in missing.get_json()["errors"]["json"]
    assert seeded.login(fresh, "agent@test.spplus.fr", totp=wrong).status_code == 401
    login_code = totp.now()
    assert seeded.login(fresh, "agent@test.spplus.fr", totp=login_code).status_code == 200
    reused = seeded.login(seeded.client, "agent@test.spplus.fr", totp=login_code)
    assert reused.status_code == 401 and "déjà servi" in reused.get_json()["errors"]["json"]["totp"][0]
    # Pages: password first, then the code on a second step that never carries the password.
    browser = seeded.client
    form = browser.get("/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    step = browser.post("/connexion", data={"csrf_token": token, "email": "agent@test.spplus.fr",
                                            "password": PASSWORD, "suivant": "/espace-agent/x"})
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and "Code à 6 chiffres" in html and PASSWORD not in html
    ticket = re.search(r'name="ticket" value="([^"]+)"', html).group(1)
    done = browser.post("/connexion/verification", data={"csrf_token": token, "ticket": ticket,
                                                         "totp": totp.at(time.time() + 30),
                                                         "suivant": "/espace-agent/x"})
    assert done.status_code == 303 and done.headers["Location"] == "/espace-agent/x"
