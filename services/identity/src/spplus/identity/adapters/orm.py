"""Identity's tables (SQLAlchemy Core): the referential, accounts and their sessions."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (BigInteger, Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text)

from spplus.chassis.db import new_metadata

metadata = new_metadata()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands datetimes back without their zone; every one we store is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.timezone.utc)


networks = Table(
    "networks", metadata,
    Column("code", String(50), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("position", Integer, nullable=False, default=0),
)

structures = Table(
    "structures", metadata,
    Column("code", String(50), primary_key=True),
    Column("name", String(300), nullable=False, index=True),
    Column("network_code", String(50), ForeignKey("networks.code"), nullable=False, index=True),
    Column("parent_code", String(50), index=True),
    Column("postal_code", String(10), index=True),
    Column("city", String(200)),
    Column("active", Boolean, nullable=False, default=True),
    # Folded words of the name, city and postal code (domain.structures.search_text).
    Column("search_text", String(600), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Incremented in the same transaction as every change of a structure or a network: processes
# that keep the referential in memory (adapters.structure_index) rebuild it when it moved.
referential_state = Table(
    "referential_state", metadata,
    Column("id", Integer, primary_key=True),
    Column("version", BigInteger, nullable=False, default=0),
)

accounts = Table(
    "accounts", metadata,
    Column("id", String(36), primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(200), nullable=False, default=""),
    Column("password_hash", String(200)),
    # Comma-separated subset of spplus.chassis.auth.ROLES.
    Column("roles", String(100), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("totp_secret", String(64)),
    Column("totp_enabled", Boolean, nullable=False, default=False),
    # Time step of the last code accepted: a code is never accepted twice.
    Column("totp_last_step", BigInteger),
    Column("password_changed_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

account_structures = Table(
    "account_structures", metadata,
    Column("account_id", String(36), ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("structure_code", String(50), ForeignKey("structures.code"), primary_key=True),
)

sessions = Table(
    "sessions", metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

login_failures = Table(
    "login_failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # "account:<hmac of e-mail>" or "ip:<hmac of address>": never the raw value.
    Column("key", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_key_at", "key", "at"),
)

password_resets = Table(
    "password_resets", metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)

structure_imports = Table(
    "structure_imports", metadata,
    Column("id", String(36), primary_key=True),
    Column("filename", String(255), nullable=False),
    # The uploaded file is kept whole until processed: nothing submitted is lost.
    Column("content", Text, nullable=False),
    Column("status", String(20), nullable=False, index=True),  # pending, running, done, failed
    Column("total", Integer, nullable=False, default=0),
    Column("processed", Integer, nullable=False, default=0),
    Column("inserted", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("rejected", Integer, nullable=False, default=0),
    Column("report", Text, nullable=False, default="[]"),  # JSON list of rejected rows
    Column("error", Text),
    Column("created_by", String(254)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    # While running, the worker extends this lease after each chunk; an import whose lease ran
    # out (its worker died) is taken up again by another worker (upserts are idempotent).
    Column("lease_until", DateTime(timezone=True)),
)
