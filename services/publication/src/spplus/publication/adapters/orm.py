"""Tables of the public read model. Portable SQLAlchemy Core; the full-text index differs by
dialect and is created by the migration (see ``adapters/search.py``)."""
from sqlalchemy import (JSON, Boolean, Column, DateTime, Index, Integer, PrimaryKeyConstraint, String, Table, Text)

from spplus.chassis.db import new_metadata
from spplus.chassis.referential import structures_table

metadata = new_metadata()

structures = structures_table(metadata)

# One row per experience ever published (or withdrawn before we saw it published).
experiences = Table(
    "experiences", metadata,
    Column("id", String(36), primary_key=True),
    # "published" or "withdrawn"; only published rows are ever shown.
    Column("status", String(20), nullable=False),
    Column("title", String(150)),
    Column("description", Text),
    Column("feeling", String(10)),
    Column("experienced_on", String(20)),
    Column("pseudonym", String(100)),
    # The path as published, and as it stands after reassignments (what the site shows).
    Column("original_path", JSON),
    Column("path", JSON),
    Column("submitted_at", DateTime(timezone=True)),
    Column("published_at", DateTime(timezone=True)),
    Column("edited", Boolean),
    Column("withdrawn_at", DateTime(timezone=True)),
    Column("similar_count", Integer, nullable=False, default=0),
    Column("response_count", Integer, nullable=False, default=0),
    Column("first_response_at", DateTime(timezone=True)),
    Column("first_response_delay_seconds", Integer),
    Index("ix_experiences_status_published_at", "status", "published_at"),
    Index("ix_experiences_status_similar", "status", "similar_count"),
)

# Structures concerned by each experience (after reassignments), for filters and feeds.
experience_structures = Table(
    "experience_structures", metadata,
    Column("experience_id", String(36), nullable=False),
    Column("structure_code", String(50), nullable=False),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint("experience_id", "structure_code"),
    Index("ix_experience_structures_structure_code", "structure_code", "experience_id"),
)

# Reassignments are kept (even before the story arrives) and replayed in date order.
reassignments = Table(
    "reassignments", metadata,
    Column("event_id", String(36), primary_key=True),
    Column("experience_id", String(36), nullable=False, index=True),
    Column("from_structure_code", String(50), nullable=False),
    Column("to_structure_code", String(50), nullable=False),
    Column("to_structure_name", String(300)),
    Column("reassigned_at", DateTime(timezone=True), nullable=False),
)

# Answers are kept even when their story has not arrived yet; highest version wins.
responses = Table(
    "responses", metadata,
    Column("id", String(36), primary_key=True),
    Column("experience_id", String(36), nullable=False, index=True),
    Column("structure_code", String(50), nullable=False),
    Column("structure_name", String(300), nullable=False),
    Column("greeting", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("signature", Text, nullable=False),
    Column("status", String(50), nullable=False),
    Column("actions", JSON, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("general_tags", JSON, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    Column("useful_yes", Integer, nullable=False, default=0),
    Column("useful_no", Integer, nullable=False, default=0),
)

# One vote per browser and item: (kind, target, voter) is the key. No personal data:
# the voter is a random cookie id, the IP only a keyed hash, used for the rate limit.
votes = Table(
    "votes", metadata,
    Column("kind", String(10), nullable=False),
    Column("target_id", String(36), nullable=False),
    Column("voter_id", String(64), nullable=False),
    Column("useful", Boolean),
    Column("ip_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("kind", "target_id", "voter_id"),
    Index("ix_votes_ip_hash_created_at", "ip_hash", "created_at"),
)
