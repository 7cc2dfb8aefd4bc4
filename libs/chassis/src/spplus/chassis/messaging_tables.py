"""The outbox and inbox tables every service carries in its own database.

Each service's first Alembic revision creates them with ``create_messaging_tables()``
(see ``spplus.chassis.migrations``).
"""
from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table, Text, text

from .db import NAMING_CONVENTION

metadata = MetaData(naming_convention=NAMING_CONVENTION)

outbox = Table(
    "outbox",
    metadata,
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("type", String(100), nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    # Only unsent rows are indexed, so the relay's scan stays small however long the history.
    Index("ix_outbox_unsent", "position",
          postgresql_where=text("sent_at IS NULL"), sqlite_where=text("sent_at IS NULL")),
)

inbox = Table(
    "inbox",
    metadata,
    Column("consumer", String(100), primary_key=True),
    Column("event_id", String(36), primary_key=True),
    Column("processed_at", DateTime(timezone=True), nullable=False),
)
