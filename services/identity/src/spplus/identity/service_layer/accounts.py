"""Use cases on accounts: create, change roles and scopes, disable, set a password."""
from __future__ import annotations

import uuid

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from ..adapters import accounts_repository as repo
from ..adapters.orm import accounts, sessions, utcnow
from ..adapters.passwords import hash_password
from ..domain.accounts import (EMAIL_PATTERN, Account, AccountError, normalize_email, password_problems,
                               role_problems)
from .structures import known_codes


def _check(session: Session, email: str | None, roles: set[str], structures: set[str]) -> None:
    errors = role_problems(roles, structures)
    if email is not None and not EMAIL_PATTERN.match(email):
        errors["email"] = ["Adresse e-mail invalide."]
    unknown = structures - known_codes(session) if structures else set()
    if unknown:
        errors["structures"] = [f"Structure inconnue : {', '.join(sorted(unknown))}."]
    if errors:
        raise AccountError("Certaines informations sont invalides.", errors)


def create(session: Session, email: str, name: str, roles: set[str], structures: set[str] = frozenset(),
           password: str | None = None) -> Account:
    email = normalize_email(email)
    _check(session, email, set(roles), set(structures))
    if repo.row_by_email(session, email) is not None:
        raise AccountError("Un compte existe déjà avec cette adresse e-mail.",
                           {"email": ["Un compte existe déjà avec cette adresse e-mail."]}, status=409)
    if password is not None and (problems := password_problems(password, email)):
        raise AccountError("Le mot de passe ne convient pas.", {"password": problems})
    now = utcnow()
    account_id = str(uuid.uuid4())
    session.execute(insert(accounts).values(
        id=account_id, email=email, name=name.strip()[:200], roles=",".join(sorted(roles)), active=True,
        password_hash=hash_password(password) if password else None, totp_enabled=False,
        password_changed_at=now if password else None, created_at=now, updated_at=now))
    repo.set_structures(session, account_id, set(structures))
    return repo.get(session, account_id)


def update_account(session: Session, account_id: str, name: str | None = None, roles: set[str] | None = None,
                   structures: set[str] | None = None, active: bool | None = None) -> Account:
    account = repo.get(session, account_id)
    if account is None:
        raise AccountError("Ce compte n'existe pas.", status=404)
    new_roles = set(roles) if roles is not None else set(account.roles)
    new_structures = set(structures) if structures is not None else set(account.structures)
    _check(session, None, new_roles, new_structures)
    values = {"roles": ",".join(sorted(new_roles)), "updated_at": utcnow()}
    if name is not None:
        values["name"] = name.strip()[:200]
    if active is not None:
        values["active"] = active
    session.execute(update(accounts).where(accounts.c.id == account_id).values(**values))
    if structures is not None:
        repo.set_structures(session, account_id, new_structures)
    if active is False:
        revoke_all_sessions(session, account_id)
    return repo.get(session, account_id)


def set_password(session: Session, account_id: str, password: str) -> None:
    row = repo.row_by_id(session, account_id)
    if row is None:
        raise AccountError("Ce compte n'existe pas.", status=404)
    if problems := password_problems(password, row.email):
        raise AccountError("Le mot de passe ne convient pas.", {"password": problems})
    session.execute(update(accounts).where(accounts.c.id == account_id).values(
        password_hash=hash_password(password), password_changed_at=utcnow(), updated_at=utcnow()))


def revoke_all_sessions(session: Session, account_id: str) -> None:
    session.execute(update(sessions).where(sessions.c.account_id == account_id, sessions.c.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))
