"""One CSRF scheme for every form and cookie-authenticated call: a signed double-submit token.

The ``spplus_csrf`` cookie holds ``<random>.<HMAC(secret, random)>``; a form sends the same
value in its ``csrf_token`` field, a script in the ``X-CSRF-Token`` header. It is stateless,
so every service behind the gateway checks it with the shared ``SPPLUS_SECRET_KEY``.
Checked on every unsafe request that is an HTML form or carries the session cookie; calls
authenticated with ``Authorization: Bearer`` and JSON calls without cookies need none
(a browser cannot send those cross-site without a CORS preflight, which we never grant).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import g, request
from flask_smorest import abort

from .auth import SESSION_COOKIE, is_bearer_request

COOKIE = "spplus_csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
MESSAGE = "Le formulaire a expiré ou son jeton de sécurité est invalide. Rechargez la page et réessayez."


def _sign(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()


def make_token(secret: str) -> str:
    nonce = secrets.token_hex(16)
    return f"{nonce}.{_sign(secret, nonce)}"


def is_valid(secret: str, token: str | None) -> bool:
    if not token or "." not in token:
        return False
    nonce, signature = token.split(".", 1)
    return hmac.compare_digest(signature, _sign(secret, nonce))


def init_csrf(app, settings, exempt_prefixes: tuple[str, ...] = ()) -> None:
    secret = settings.secret_key

    def csrf_token() -> str:
        token = request.cookies.get(COOKIE)
        if not is_valid(secret, token):
            token = g.get("new_csrf_token") or make_token(secret)
            g.new_csrf_token = token
        return token

    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def _check():
        if request.method in SAFE_METHODS or is_bearer_request():
            return None
        if any(request.path.startswith(prefix) for prefix in exempt_prefixes):
            return None
        is_form = request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
        if not is_form and SESSION_COOKIE not in request.cookies:
            return None
        cookie = request.cookies.get(COOKIE)
        sent = request.headers.get(HEADER) or (request.form.get(FIELD) if is_form else None)
        if not (is_valid(secret, cookie) and sent and hmac.compare_digest(sent, cookie)):
            abort(403, message=MESSAGE)
        return None

    @app.after_request
    def _set_cookie(response):
        token = g.get("new_csrf_token")
        if token:
            response.set_cookie(COOKIE, token, httponly=True, samesite="Lax", secure=settings.cookie_secure,
                                path="/", max_age=12 * 3600)
        return response
