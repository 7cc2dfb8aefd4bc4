"""The moderation database: cases, proposals, the append-only audit trail, the structures replica."""
from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from spplus.chassis.db import new_metadata
from spplus.chassis.referential import structures_table

metadata = new_metadata()

structures = structures_table(metadata)

# One case per experience: the case is keyed by the experience id it came with.
cases = Table(
    "cases", metadata,
    Column("experience_id", String(36), primary_key=True),
    Column("state", String(30), nullable=False),
    Column("title", String(150), nullable=False),
    Column("description", Text, nullable=False),
    Column("original_title", String(150), nullable=False),
    Column("original_description", Text, nullable=False),
    Column("feeling", String(20)),
    Column("experienced_on", String(7)),
    Column("path", JSON, nullable=False),
    Column("pseudonym", String(100)),
    Column("postal_code", String(10)),
    Column("city", String(200)),
    Column("findings", JSON, nullable=False),
    Column("finding_count", Integer, nullable=False, default=0),
    Column("analysis_status", String(20), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("claimed_by", String(100)),
    Column("claimed_by_name", String(200)),
    Column("claim_expires_at", DateTime(timezone=True)),
    Column("decided_at", DateTime(timezone=True)),
    Column("published_at", DateTime(timezone=True)),
    Column("reason_code", String(50)),
    # Optimistic lock: every change is a conditional update on the version read.
    Column("version", Integer, nullable=False),
    Index("ix_cases_state_submitted_at", "state", "submitted_at"),
)

proposals = Table(
    "proposals", metadata,
    Column("id", String(36), primary_key=True),
    Column("experience_id", String(36), ForeignKey("cases.experience_id"), nullable=False, index=True),
    Column("original_title", String(150), nullable=False),
    Column("original_description", Text, nullable=False),
    Column("edited_title", String(150), nullable=False),
    Column("edited_description", Text, nullable=False),
    Column("message", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("deadline", DateTime(timezone=True), nullable=False),
    Column("remind_at", DateTime(timezone=True)),
    Column("reminded_at", DateTime(timezone=True)),
    Column("status", String(20), nullable=False),
    Column("decided_at", DateTime(timezone=True)),
    Index("ix_proposals_status_deadline", "status", "deadline"),
)

# Append-only: the code only inserts, and database triggers refuse UPDATE and DELETE.
audit_entries = Table(
    "audit_entries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("experience_id", String(36), ForeignKey("cases.experience_id"), nullable=False, index=True),
    Column("action", String(30), nullable=False),
    Column("actor_id", String(100), nullable=False),
    Column("actor_name", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("before_title", String(150)),
    Column("before_description", Text),
    Column("after_title", String(150)),
    Column("after_description", Text),
    Column("reason_code", String(50)),
    Column("message", Text),
)

# GDPR erasures seen for an experience, kept so that a case opened afterwards (events may
# arrive out of order) never stores the erased contact data.
erasures = Table(
    "erasures", metadata,
    Column("experience_id", String(36), primary_key=True),
    Column("requested_at", DateTime(timezone=True), nullable=False),
)
