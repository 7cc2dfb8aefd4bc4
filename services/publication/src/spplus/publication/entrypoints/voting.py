"""What the API and the forms share to cast a vote: the browser's random id and the address hash."""
from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app, g, request
from flask_smorest import abort

from ..domain.votes import ip_hash, valid_voter_id
from ..service_layer import votes

CROSS_SITE_MESSAGE = "Un vote ne peut être envoyé que depuis le site Services Publics +."
VOTER_COOKIE = "spplus_voter"
VOTER_COOKIE_AGE = 365 * 24 * 3600


def voter_id() -> str:
    """The browser's random voter id (set as a cookie after the request when new)."""
    current = request.cookies.get(VOTER_COOKIE)
    if valid_voter_id(current):
        return current
    if "new_voter_id" not in g:
        g.new_voter_id = secrets.token_urlsafe(24)
    return g.new_voter_id


def existing_voter_id() -> str | None:
    current = request.cookies.get(VOTER_COOKIE)
    return current if valid_voter_id(current) else None


def set_voter_cookie(response):
    new = g.get("new_voter_id")
    if new:
        settings = current_app.config["SPPLUS_SETTINGS"]
        response.set_cookie(VOTER_COOKIE, new, max_age=VOTER_COOKIE_AGE, httponly=True, samesite="Lax",
                            secure=settings.cookie_secure, path="/")
    return response


def _limits() -> tuple[str, int, dt.timedelta]:
    settings = current_app.config["SPPLUS_SETTINGS"]
    return (ip_hash(settings.secret_key, request.remote_addr or "inconnue"),
            settings.extra["VOTES_PER_IP_PER_HOUR"], dt.timedelta(hours=1))


def refuse_cross_site() -> None:
    """A page of another site can make its visitors' browsers post votes here (a body-less POST
    needs no CORS preflight, and without our SameSite cookie each would count as a new browser);
    browsers say where a request comes from in ``Sec-Fetch-Site``."""
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        abort(403, message=CROSS_SITE_MESSAGE)


def cast_similar(experience_id: str):
    refuse_cross_site()
    address, limit, window = _limits()
    database = current_app.config["SPPLUS_DATABASE"]
    with database.unit_of_work() as session:
        return votes.vote_similar(session, experience_id, voter_id(), address, limit, window)


def cast_useful(response_id: str, useful: bool):
    refuse_cross_site()
    address, limit, window = _limits()
    database = current_app.config["SPPLUS_DATABASE"]
    with database.unit_of_work() as session:
        return votes.vote_useful(session, response_id, useful, voter_id(), address, limit, window)
