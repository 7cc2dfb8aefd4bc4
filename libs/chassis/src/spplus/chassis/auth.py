"""Token verification for every service: who is calling, with which roles and structures.

Identity signs short-lived JWTs (EdDSA) and publishes its public keys at
``/api/v1/auth/jwks``; each service verifies tokens itself (ARCHITECTURE.md section 5), from
``AUTH_PUBLIC_KEY`` (PEM) when given, else from identity's JWKS (fetched once, cached).
The token comes from the ``spplus_session`` cookie or an ``Authorization: Bearer`` header.

In a view: ``principal = require("moderator")`` or ``require("agent", structure=code,
ancestors=replica.ancestors(code))`` — 401 without a valid token, 403 without the right.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Iterable

import jwt
from flask import abort, current_app, g, request

SESSION_COOKIE = "spplus_session"
ISSUER = "spplus-identity"
AUDIENCE = "spplus"
ALGORITHMS = ["EdDSA"]
ROLES = ("admin", "moderator", "agent")


@dataclasses.dataclass(frozen=True)
class Principal:
    subject: str
    email: str
    roles: frozenset[str]
    # Scope roots: a scope on a structure covers its children.
    structures: frozenset[str]
    token_id: str
    name: str = ""

    def has_role(self, *roles: str) -> bool:
        return "admin" in self.roles or any(role in self.roles for role in roles)

    def covers(self, structure_code: str, ancestors: Iterable[str] = ()) -> bool:
        """True when the structure, or one of its ancestors, is in this principal's scope."""
        if "admin" in self.roles or "moderator" in self.roles:
            return True
        return structure_code in self.structures or any(code in self.structures for code in ancestors)


def sign_token(private_key, subject: str, email: str, roles: Iterable[str], structures: Iterable[str],
               ttl: dt.timedelta = dt.timedelta(minutes=15), key_id: str | None = None,
               name: str = "", token_id: str | None = None) -> str:
    now = dt.datetime.now(dt.timezone.utc)
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": subject, "email": email, "name": name,
              "roles": sorted(roles), "structures": sorted(structures),
              "iat": now, "nbf": now, "exp": now + ttl, "jti": token_id or str(uuid.uuid4())}
    return jwt.encode(claims, private_key, algorithm="EdDSA", headers={"kid": key_id} if key_id else None)


class TokenVerifier:
    def __init__(self, public_key_pem: str | None = None, jwks_url: str | None = None):
        self._static_key = None
        if public_key_pem:
            from cryptography.hazmat.primitives.serialization import load_pem_public_key

            self._static_key = load_pem_public_key(public_key_pem.encode())
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5) if jwks_url and not public_key_pem else None

    def _key_for(self, token: str):
        if self._static_key is not None:
            return self._static_key
        return self._jwks.get_signing_key_from_jwt(token).key

    def verify(self, token: str) -> Principal | None:
        try:
            claims = jwt.decode(token, self._key_for(token), algorithms=ALGORITHMS, audience=AUDIENCE,
                                issuer=ISSUER, options={"require": ["exp", "sub", "jti"]})
        except (jwt.PyJWTError, ValueError):
            return None
        roles = frozenset(role for role in claims.get("roles", []) if role in ROLES)
        return Principal(subject=str(claims["sub"]), email=claims.get("email", ""), roles=roles,
                         structures=frozenset(claims.get("structures", [])), token_id=claims["jti"],
                         name=claims.get("name", ""))


def init_auth(app, settings, public_key_pem: str | None = None) -> None:
    """``public_key_pem`` overrides the settings: identity verifies with its own key, not its JWKS."""
    app.extensions["spplus_auth"] = TokenVerifier(public_key_pem or settings.auth_public_key, settings.auth_jwks_url)


def token_from_request() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(SESSION_COOKIE) or None


def is_bearer_request() -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def current_principal() -> Principal | None:
    if "spplus_principal" not in g:
        token = token_from_request()
        verifier: TokenVerifier = current_app.extensions["spplus_auth"]
        g.spplus_principal = verifier.verify(token) if token else None
    return g.spplus_principal


def require(*roles: str, structure: str | None = None, ancestors: Iterable[str] = ()) -> Principal:
    """Return the caller, or abort 401 (not logged in) / 403 (missing role or scope)."""
    principal = current_principal()
    if principal is None:
        abort(401)
    if roles and not principal.has_role(*roles):
        abort(403)
    if structure is not None and not principal.covers(structure, ancestors):
        abort(403)
    return principal
