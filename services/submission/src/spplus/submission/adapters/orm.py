"""Tables of the submission database. The story and its author's contact data live apart:
``experiences`` holds nothing that identifies a person; ``author_contacts`` and ``author_ips``
hold the personal data, erased on request or purged after their retention."""
from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text

from spplus.chassis.db import new_metadata
from spplus.chassis.referential import structures_table

metadata = new_metadata()

structures = structures_table(metadata)

# Accent-free search text of each structure (name, network, code, postal code, city), kept
# next to the chassis replica by our structure.* handlers: a portable LIKE does the search.
structure_search = Table(
    "structure_search", metadata,
    Column("code", String(50), primary_key=True),
    Column("search_text", Text, nullable=False),
)

experiences = Table(
    "experiences", metadata,
    Column("id", String(36), primary_key=True),
    # SHA-256 of the private tracking token (the token itself is derived, never stored).
    Column("tracking_digest", String(64), nullable=False, unique=True),
    Column("title", String(150), nullable=False),
    Column("description", Text, nullable=False),
    Column("feeling", String(10)),
    Column("experienced_on", String(7)),
    Column("path", JSON, nullable=False),
    Column("pseudonym", String(50)),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("status_at", DateTime(timezone=True), nullable=False),
    Column("status_details", JSON, nullable=False),
)

author_contacts = Table(
    "author_contacts", metadata,
    Column("experience_id", String(36), ForeignKey("experiences.id"), primary_key=True),
    Column("email", String(254)),
    Column("postal_code", String(5)),
    Column("city", String(100)),
    Column("erased_at", DateTime(timezone=True)),
    Index("ix_author_contacts_email", "email"),
)

author_ips = Table(
    "author_ips", metadata,
    Column("experience_id", String(36), ForeignKey("experiences.id"), primary_key=True),
    # HMAC-SHA256 of the address with a secret key: never the address itself.
    Column("ip_hash", String(64), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, index=True),
)

# Keyed hash of (e-mail, description): the same story sent twice within 24 hours is one story.
fingerprints = Table(
    "submission_fingerprints", metadata,
    Column("fingerprint", String(64), primary_key=True),
    # No foreign key: the fingerprint is claimed first, before the story row exists.
    Column("experience_id", String(36), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
)

# Accepted submissions per keyed IP hash and fixed window: one atomic counter row, shared by
# every API process, so the limit holds however many replicas run.
rate_windows = Table(
    "rate_windows", metadata,
    Column("ip_hash", String(64), primary_key=True),
    Column("window_start", Integer, primary_key=True),
    Column("count", Integer, nullable=False),
)

# The multi-step form's work in progress (the browser only holds a signed id in a cookie).
drafts = Table(
    "drafts", metadata,
    Column("id", String(36), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
    # Set once the draft became a story: the confirmation page shows that story's tracking link.
    Column("experience_id", String(36)),
)
