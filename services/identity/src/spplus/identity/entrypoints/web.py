"""What identity's views share: its config, the signed-in account, the session cookie."""
from __future__ import annotations

import os
from urllib.parse import quote

from flask import current_app, g, redirect, request
from flask_smorest import abort

from spplus.chassis.auth import SESSION_COOKIE, token_from_request
from spplus.chassis.db import Database

from ..adapters.structure_index import StructureIndex
from ..config import IdentityConfig
from ..domain.accounts import Account
from ..service_layer import auth


def config() -> IdentityConfig:
    return current_app.extensions["identity"]


def database() -> Database:
    return current_app.config["SPPLUS_DATABASE"]


def structure_index(session) -> StructureIndex:
    """This process's in-memory referential, current as of ``session``'s transaction."""
    return current_app.extensions["identity_structure_index"].get(session)


def client_ip() -> str:
    """The caller's address for login throttling. Behind the gateway every request comes from the
    gateway, so its ``X-Forwarded-For`` is believed, but only from the proxies named in
    ``FORWARDED_ALLOW_IPS`` (the same variable gunicorn reads; default 127.0.0.1)."""
    remote = request.remote_addr or "unknown"
    trusted = {ip.strip() for ip in os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1").split(",")}
    forwarded = [ip.strip() for ip in request.headers.get("X-Forwarded-For", "").split(",") if ip.strip()]
    if remote in trusted and forwarded:
        return forwarded[-1][:64]  # the address the nearest trusted proxy saw
    return remote


def current_account() -> Account | None:
    """Unlike other services, identity also checks that the session is open and the account active."""
    if "identity_account" not in g:
        token = token_from_request()
        with database().unit_of_work() as session:
            g.identity_account = auth.account_for_token(session, config(), token) if token else None
    return g.identity_account


def require_account(*roles: str) -> Account:
    """API guard: 401 when not signed in, 403 without one of ``roles`` (admin passes everywhere)."""
    account = current_account()
    if account is None:
        abort(401)
    if roles and "admin" not in account.roles and not account.roles & set(roles):
        abort(403)
    return account


class LoginNeeded(Exception):
    def __init__(self, path: str):
        self.path = path


def require_page_account(*roles: str) -> Account:
    """Page guard: send the visitor to /connexion when not signed in."""
    account = current_account()
    if account is None:
        raise LoginNeeded(request.full_path.rstrip("?"))
    if roles and "admin" not in account.roles and not account.roles & set(roles):
        abort(403)
    return account


def login_redirect(error: LoginNeeded):
    return redirect(f"/connexion?suivant={quote(error.path, safe='/')}")


def set_session_cookie(response, issued: auth.Issued):
    response.set_cookie(SESSION_COOKIE, issued.token, httponly=True, samesite="Lax",
                        secure=config().settings.cookie_secure, path="/",
                        max_age=int(config().session_ttl.total_seconds()))
    return response


def clear_session_cookie(response):
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="Lax",
                           secure=config().settings.cookie_secure)
    return response


def safe_next(target: str | None, default: str) -> str:
    """Only local paths: never send a freshly signed-in user to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
