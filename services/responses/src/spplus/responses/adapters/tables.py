"""The responses database: its own tables, plus the structures replica (SQLAlchemy Core, portable)."""
from __future__ import annotations

from sqlalchemy import (JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint, literal_column)

from spplus.chassis.db import new_metadata
from spplus.chassis.referential import structures_table

metadata = new_metadata()
structures = structures_table(metadata)

# Published experiences, as moderation published them (text may be missing when a withdrawal
# or a reassignment arrived before the publication: events may come out of order).
experiences = Table(
    "experiences", metadata,
    Column("id", String(36), primary_key=True),
    Column("title", String(150)),
    Column("description", Text),
    Column("feeling", String(10)),
    Column("experienced_on", String(10)),
    Column("pseudonym", String(100)),
    Column("path", JSON),
    Column("submitted_at", DateTime(timezone=True)),
    Column("published_at", DateTime(timezone=True), index=True),
    Column("withdrawn_at", DateTime(timezone=True)),
    Column("withdrawn_reason", Text),
)

# Full-text search of the stories on PostgreSQL: the query uses this exact expression so the GIN
# index of the first migration (PostgreSQL only, hence not declared on the table) serves it.
SEARCH_VECTOR = ("to_tsvector('french'::regconfig, coalesce(experiences.title, '') || ' ' || "
                 "coalesce(experiences.description, ''))")


def search_vector():
    return literal_column(SEARCH_VECTOR)


# One structure's duty to answer one experience.
items = Table(
    "items", metadata,
    Column("id", String(36), primary_key=True),
    Column("experience_id", String(36), ForeignKey("experiences.id"), nullable=False, index=True),
    Column("structure_code", String(50), nullable=False),
    Column("structure_name", String(300), nullable=False),
    Column("state", String(20), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("first_answered_at", DateTime(timezone=True)),
    Column("actions_made", Integer, nullable=False, default=0),  # in the last published version
    Column("closed", Boolean, nullable=False, default=False),
    Column("reassigned_to", String(50)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("experience_id", "structure_code", name="uq_items_experience_structure"),
    # The inbox: counts per state and newest first within a scope, answered from the index alone.
    Index("ix_items_scope", "structure_code", "state", "received_at", "id", "experience_id"),
)

# The working copy of an item's answer (one per item); published versions live in response_versions.
responses = Table(
    "responses", metadata,
    Column("id", String(36), primary_key=True),
    Column("item_id", String(36), ForeignKey("items.id"), nullable=False, unique=True),
    Column("state", String(20), nullable=False),  # draft | pending_validation | published
    Column("content", JSON, nullable=False),
    Column("version", Integer, nullable=False, default=0),  # last published version, 0 before
    Column("has_changes", Boolean, nullable=False, default=True),  # working copy differs from it
    Column("submitted_by", String(320)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(320)),
    Column("first_published_at", DateTime(timezone=True)),
    Column("published_at", DateTime(timezone=True)),
)

response_versions = Table(
    "response_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("response_id", String(36), ForeignKey("responses.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("content", JSON, nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("published_by", String(320), nullable=False),
    # The moderation assistants' check of the body: {"ran": bool, "findings": [...], "note": str|None}
    Column("check", JSON, nullable=False),
    UniqueConstraint("response_id", "version", name="uq_response_versions_response_version"),
)

# Internal comments: moderators and agents of the structures concerned; never in an event.
comments = Table(
    "comments", metadata,
    Column("id", String(36), primary_key=True),
    Column("experience_id", String(36), ForeignKey("experiences.id"), nullable=False, index=True),
    Column("item_id", String(36), ForeignKey("items.id"), nullable=False),
    Column("author_email", String(320), nullable=False),
    Column("author_name", String(200)),
    Column("author_role", String(20), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

reassignments = Table(
    "reassignments", metadata,
    Column("id", String(36), primary_key=True),
    Column("experience_id", String(36), nullable=False, index=True),
    Column("from_structure_code", String(50), nullable=False),
    Column("to_structure_code", String(50), nullable=False),
    Column("to_structure_name", String(300)),
    Column("by", String(20), nullable=False),  # responses | moderation
    Column("by_email", String(320)),
    Column("reassigned_at", DateTime(timezone=True), nullable=False),
    # False while the experience is not known yet (the reassignment arrived first).
    Column("applied", Boolean, nullable=False),
)

transfer_requests = Table(
    "transfer_requests", metadata,
    Column("id", String(36), primary_key=True),
    Column("item_id", String(36), ForeignKey("items.id"), nullable=False, index=True),
    Column("experience_id", String(36), nullable=False),
    Column("structure_code", String(50), nullable=False),
    Column("suggested_structure", String(300)),
    Column("reason", Text, nullable=False),
    Column("requested_by", String(320), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
)

structure_settings = Table(
    "structure_settings", metadata,
    Column("structure_code", String(50), primary_key=True),
    Column("two_step_validation", Boolean, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(320), nullable=False),
)

# Tokens carry roles and structures only: who validates for a structure is kept here.
validators = Table(
    "validators", metadata,
    Column("structure_code", String(50), primary_key=True),
    Column("email", String(320), primary_key=True),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("added_by", String(320), nullable=False),
)
