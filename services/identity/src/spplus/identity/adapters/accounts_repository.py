"""Queries on accounts and their scopes."""
from __future__ import annotations

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from ..domain.accounts import Account
from .orm import account_structures, accounts


def _structures_of(session: Session, account_ids: list[str]) -> dict[str, set[str]]:
    scopes: dict[str, set[str]] = {account_id: set() for account_id in account_ids}
    if account_ids:
        rows = session.execute(select(account_structures.c.account_id, account_structures.c.structure_code)
                               .where(account_structures.c.account_id.in_(account_ids)))
        for account_id, code in rows:
            scopes[account_id].add(code)
    return scopes


def _to_account(row, structures: set[str]) -> Account:
    return Account(id=row.id, email=row.email, name=row.name,
                   roles=frozenset(role for role in row.roles.split(",") if role),
                   structures=frozenset(structures), active=row.active, totp_enabled=row.totp_enabled)


def get(session: Session, account_id: str) -> Account | None:
    row = session.execute(select(accounts).where(accounts.c.id == account_id)).first()
    return _to_account(row, _structures_of(session, [row.id])[row.id]) if row else None


def row_by_email(session: Session, email: str):
    return session.execute(select(accounts).where(accounts.c.email == email)).first()


def row_by_id(session: Session, account_id: str):
    return session.execute(select(accounts).where(accounts.c.id == account_id)).first()


def listing(session: Session, query: str = "", page: int = 1, per_page: int = 50) -> tuple[list[Account], int]:
    conditions = []
    if query:
        pattern = f"%{query.lower()}%"
        conditions.append(or_(accounts.c.email.like(pattern), func.lower(accounts.c.name).like(pattern)))
    total = session.scalar(select(func.count()).select_from(accounts).where(*conditions))
    rows = session.execute(select(accounts).where(*conditions).order_by(accounts.c.email)
                           .limit(per_page).offset((page - 1) * per_page)).all()
    scopes = _structures_of(session, [row.id for row in rows])
    return [_to_account(row, scopes[row.id]) for row in rows], total


def set_structures(session: Session, account_id: str, codes: set[str]) -> None:
    session.execute(delete(account_structures).where(account_structures.c.account_id == account_id))
    if codes:
        session.execute(insert(account_structures),
                        [{"account_id": account_id, "structure_code": code} for code in sorted(codes)])
