"""Signing in and out: credentials, throttling, second factor, sessions and tokens."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hmac
import time
import uuid

import jwt
import pyotp
from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from spplus.chassis.auth import ALGORITHMS, AUDIENCE, ISSUER, sign_token

from ..adapters import accounts_repository as repo
from ..adapters.orm import accounts, aware, sessions, utcnow
from ..adapters.passwords import hash_password, needs_rehash, verify_password
from ..config import IdentityConfig
from ..domain.accounts import Account, AccountError, normalize_email
from . import throttle

BAD_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect."
TOTP_REQUIRED = "Saisissez le code à 6 chiffres de votre application d'authentification."
TOTP_WRONG = "Le code de vérification est incorrect ou a expiré."
TOTP_REUSED = ("Ce code de vérification a déjà servi. Attendez que votre application en affiche un nouveau "
               "(30 secondes au plus).")


class LoginRefused(Exception):
    def __init__(self, message: str, status: int = 401, errors: dict | None = None, retry_after: int = 0,
                 second_factor_for: str | None = None):
        super().__init__(message)
        self.message, self.status, self.errors, self.retry_after = message, status, errors or {}, retry_after
        # Set when the password was right and only the TOTP code is missing: the account to ask it for.
        self.second_factor_for = second_factor_for


def throttled_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return (f"Trop de tentatives de connexion. Pour protéger les comptes, réessayez dans {minutes} minute"
            f"{'s' if minutes > 1 else ''}.")


def authenticate(session: Session, config: IdentityConfig, email: str, password: str, ip: str,
                 totp_code: str | None = None) -> Account:
    """The account for these credentials, or LoginRefused: the same message whether the account
    exists, is disabled or the password is wrong, so nobody learns which addresses have accounts."""
    email = normalize_email(email)
    account_key = throttle.key(config.secret, "account", email)
    ip_key = throttle.key(config.secret, "ip", ip or "unknown")
    wait = throttle.wait_seconds(session, {account_key: config.max_failures_per_account,
                                           ip_key: config.max_failures_per_ip}, config.login_window)
    if wait:
        raise LoginRefused(throttled_message(wait), status=429, retry_after=wait)
    row = repo.row_by_email(session, email)
    valid = verify_password(row.password_hash if row else None, password)
    if not valid or not row.active:
        throttle.record_failure(session, [account_key, ip_key])
        raise LoginRefused(BAD_CREDENTIALS)
    if row.totp_enabled:
        if not totp_code:
            raise LoginRefused(TOTP_REQUIRED, errors={"totp": [TOTP_REQUIRED]}, second_factor_for=row.id)
        refused = _use_totp(session, row, totp_code)
        if refused:
            throttle.record_failure(session, [account_key, ip_key])
            raise LoginRefused(refused, errors={"totp": [refused]}, second_factor_for=row.id)
    throttle.clear(session, account_key)
    if needs_rehash(row.password_hash):
        session.execute(update(accounts).where(accounts.c.id == row.id)
                        .values(password_hash=hash_password(password)))
    return repo.get(session, row.id)


def _totp_step(secret: str | None, code: str | None) -> int | None:
    """The time step (30-s window) whose code this is, accepting one step of clock drift either way."""
    code = (code or "").strip().replace(" ", "")
    if not secret or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(time.time()) // totp.interval
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_totp(session: Session, row, code: str | None) -> str | None:
    """None when the code is right and was never used (RFC 6238 §5.2: a code is accepted once);
    otherwise the French message to show."""
    step = _totp_step(row.totp_secret, code)
    if step is None:
        return TOTP_WRONG
    # Conditional update: of two requests racing with the same code, one only succeeds.
    used = session.execute(update(accounts).where(
        accounts.c.id == row.id, or_(accounts.c.totp_last_step.is_(None), accounts.c.totp_last_step < step))
        .values(totp_last_step=step))
    return None if used.rowcount == 1 else TOTP_REUSED


def second_factor(session: Session, config: IdentityConfig, account_id: str, code: str, ip: str) -> Account:
    """Second step of a page sign-in: the password was checked, the TOTP code comes now."""
    row = repo.row_by_id(session, account_id)
    if row is None or not row.active:
        raise LoginRefused(BAD_CREDENTIALS)
    account_key = throttle.key(config.secret, "account", row.email)
    ip_key = throttle.key(config.secret, "ip", ip or "unknown")
    wait = throttle.wait_seconds(session, {account_key: config.max_failures_per_account,
                                           ip_key: config.max_failures_per_ip}, config.login_window)
    if wait:
        raise LoginRefused(throttled_message(wait), status=429, retry_after=wait)
    refused = _use_totp(session, row, code)
    if refused:
        throttle.record_failure(session, [account_key, ip_key])
        raise LoginRefused(refused, errors={"totp": [refused]}, second_factor_for=row.id)
    throttle.clear(session, account_key)
    return repo.get(session, row.id)


@dataclasses.dataclass(frozen=True)
class Issued:
    token: str
    account: Account
    session_id: str
    expires_at: dt.datetime


def _sign(config: IdentityConfig, account: Account, session_id: str) -> str:
    # The token id names its session, so logout (which revokes the session) ends every token of it.
    return sign_token(config.key.private_key, account.id, account.email, account.roles, account.structures,
                      ttl=config.token_ttl, key_id=config.key.key_id, name=account.name,
                      token_id=f"{session_id}.{uuid.uuid4().hex[:12]}")


def open_session(session: Session, config: IdentityConfig, account: Account) -> Issued:
    session_id, now = str(uuid.uuid4()), utcnow()
    session.execute(insert(sessions).values(id=session_id, account_id=account.id, created_at=now,
                                            expires_at=now + config.session_ttl))
    return Issued(_sign(config, account, session_id), account, session_id, now + config.token_ttl)


def decode(config: IdentityConfig, token: str, allow_expired: bool = False) -> dict | None:
    try:
        return jwt.decode(token, config.key.public_key, algorithms=ALGORITHMS, audience=AUDIENCE, issuer=ISSUER,
                          options={"require": ["exp", "sub", "jti"], "verify_exp": not allow_expired})
    except (jwt.PyJWTError, ValueError):
        return None


def _live_session(session: Session, claims: dict):
    session_id = str(claims.get("jti", "")).split(".")[0]
    row = session.execute(select(sessions).where(sessions.c.id == session_id)).first()
    if row is None or row.revoked_at is not None or aware(row.expires_at) <= utcnow():
        return None
    if row.account_id != claims.get("sub"):
        return None
    return row


def account_for_token(session: Session, config: IdentityConfig, token: str | None) -> Account | None:
    """The active account behind a valid, unexpired token whose session is still open."""
    claims = decode(config, token) if token else None
    if claims is None or _live_session(session, claims) is None:
        return None
    account = repo.get(session, claims["sub"])
    return account if account is not None and account.active else None


def refresh(session: Session, config: IdentityConfig, token: str | None) -> Issued | None:
    """A new short-lived token for an open session, even when the old token has expired.
    Roles and scopes are read again, so an admin's change applies at the next refresh."""
    claims = decode(config, token, allow_expired=True) if token else None
    row = _live_session(session, claims) if claims else None
    if row is None:
        return None
    account = repo.get(session, row.account_id)
    if account is None or not account.active:
        return None
    return Issued(_sign(config, account, row.id), account, row.id, utcnow() + config.token_ttl)


def logout(session: Session, config: IdentityConfig, token: str | None) -> bool:
    claims = decode(config, token, allow_expired=True) if token else None
    row = _live_session(session, claims) if claims else None
    if row is None:
        return False
    session.execute(update(sessions).where(sessions.c.id == row.id).values(revoked_at=utcnow()))
    return True


# -- second factor (TOTP) -----------------------------------------------------------------------

def start_totp(session: Session, account: Account) -> tuple[str, str]:
    """A new secret, not active until confirmed with a code; returns (secret, otpauth URI)."""
    secret = pyotp.random_base32()
    session.execute(update(accounts).where(accounts.c.id == account.id).values(
        totp_secret=secret, totp_enabled=False, totp_last_step=None))
    uri = pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name="Services Publics +")
    return secret, uri


def pending_totp(session: Session, account: Account) -> tuple[str | None, str | None]:
    """The secret generated but not confirmed yet, and its URI (None, None when there is none)."""
    row = repo.row_by_id(session, account.id)
    if not row.totp_secret or row.totp_enabled:
        return None, None
    return row.totp_secret, pyotp.TOTP(row.totp_secret).provisioning_uri(name=account.email,
                                                                         issuer_name="Services Publics +")


def confirm_totp(session: Session, account: Account, code: str) -> None:
    row = repo.row_by_id(session, account.id)
    if not row.totp_secret:
        raise AccountError("Commencez par générer une clé.", {"code": ["Commencez par générer une clé."]}, 409)
    refused = _use_totp(session, row, code)
    if refused:
        raise AccountError(refused, {"code": [refused]})
    session.execute(update(accounts).where(accounts.c.id == account.id).values(totp_enabled=True))


def disable_totp(session: Session, account_id: str) -> None:
    session.execute(update(accounts).where(accounts.c.id == account_id)
                    .values(totp_enabled=False, totp_secret=None, totp_last_step=None))
