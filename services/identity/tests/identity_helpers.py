"""Helpers shared by identity's tests (imported by name: this folder is put on sys.path by conftest)."""
import re

PASSWORD = "correct horse battery staple"


def csrf_from(client, path):
    """GET a page, return the CSRF token its form carries."""
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def with_csrf(client):
    """Send the CSRF header on every later call, as the pages' scripts would (cookie-authenticated API)."""
    client.get("/connexion/mot-de-passe-oublie")
    client.environ_base["HTTP_X_CSRF_TOKEN"] = client.get_cookie("spplus_csrf").value
    return client


def wrong_code(secret: str) -> str:
    """A 6-digit code sure to be refused (not valid in the accepted window around now)."""
    import time

    import pyotp

    totp = pyotp.TOTP(secret)
    valid = {totp.at(time.time() + offset) for offset in (-60, -30, 0, 30, 60)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in valid)
