"""Password reset by e-mail: a signed link that expires and works once.

The link carries the reset id signed with the platform secret (itsdangerous); the row says when
it expires and whether it was used. The e-mail itself is notification's job, from the
``agent.password_reset_requested`` event.
"""
from __future__ import annotations

import datetime as dt
import uuid

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from spplus.chassis import outbox

from ..adapters import accounts_repository as repo
from ..adapters.orm import aware, password_resets, utcnow
from ..config import IdentityConfig
from ..domain.accounts import AccountError, normalize_email
from . import accounts as accounts_service

LINK_INVALID = "Ce lien de réinitialisation n'est plus valable. Demandez-en un nouveau."
MAX_PER_HOUR = 3


def _serializer(config: IdentityConfig) -> URLSafeSerializer:
    return URLSafeSerializer(config.secret, salt="spplus-identity-password-reset")


def request_reset(session: Session, config: IdentityConfig, email: str) -> None:
    """Always silent about whether the account exists; at most a few links per hour and account."""
    row = repo.row_by_email(session, normalize_email(email))
    if row is None or not row.active:
        return
    now = utcnow()
    recent = session.scalar(select(func.count()).select_from(password_resets).where(
        password_resets.c.account_id == row.id, password_resets.c.created_at > now - dt.timedelta(hours=1)))
    if recent >= MAX_PER_HOUR:
        return
    reset_id = str(uuid.uuid4())
    expires_at = now + config.reset_ttl
    session.execute(insert(password_resets).values(id=reset_id, account_id=row.id, created_at=now,
                                                   expires_at=expires_at))
    token = _serializer(config).dumps(reset_id)
    outbox.record(session, "agent.password_reset_requested", {
        "email": row.email, "reset_url": f"{config.settings.public_base_url}/connexion/reinitialisation/{token}",
        "expires_at": expires_at}, producer="identity")


def _valid_reset(session: Session, config: IdentityConfig, token: str):
    try:
        reset_id = _serializer(config).loads(token)
    except BadSignature:
        return None
    row = session.execute(select(password_resets).where(password_resets.c.id == str(reset_id))).first()
    if row is None or row.used_at is not None or aware(row.expires_at) <= utcnow():
        return None
    return row


def check(session: Session, config: IdentityConfig, token: str) -> bool:
    return _valid_reset(session, config, token) is not None


def complete(session: Session, config: IdentityConfig, token: str, password: str) -> None:
    row = _valid_reset(session, config, token)
    if row is None:
        raise AccountError(LINK_INVALID, status=410)
    accounts_service.set_password(session, row.account_id, password)
    # Single use, and every other pending link of the account dies with it.
    session.execute(update(password_resets).where(password_resets.c.account_id == row.account_id,
                                                  password_resets.c.used_at.is_(None)).values(used_at=utcnow()))
    accounts_service.revoke_all_sessions(session, row.account_id)
