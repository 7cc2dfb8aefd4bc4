"""Turning the second factor on from its page, without JavaScript."""
import re

import pyotp

from identity_helpers import csrf_from, wrong_code


def test_enable_totp_from_the_page(seeded):
    seeded.account("agent@test.spplus.fr")
    client = seeded.client
    seeded.login(client, "agent@test.spplus.fr")
    token = csrf_from(client, "/compte/double-authentification")
    page = client.post("/compte/double-authentification", data={"csrf_token": token}).get_data(as_text=True)
    secret = re.search(r'<code class="secret" id="cle">([A-Z2-7]+)</code>', page).group(1)
    wrong = client.post("/compte/double-authentification/confirmer", data={"csrf_token": token, "code": wrong_code(secret)})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "incorrect" in html and secret in html  # same key, try again
    ok = client.post("/compte/double-authentification/confirmer",
                     data={"csrf_token": token, "code": pyotp.TOTP(secret).now()})
    assert "La double authentification est activée." in ok.get_data(as_text=True)
    assert client.get("/api/v1/auth/me").get_json()["totp_enabled"] is True
    assert client.get("/compte/double-authentification").status_code == 200
    assert seeded.client.get("/compte/double-authentification").status_code == 302
