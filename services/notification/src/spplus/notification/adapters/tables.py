"""The notification database: the contact cache and the e-mail log."""
from spplus.chassis.db import new_metadata
from sqlalchemy import Column, DateTime, Index, Integer, String, Table, Text, UniqueConstraint

metadata = new_metadata()

# The only personal data this service keeps: which address to tell about which experience.
# After an erasure request the row stays with ``email`` NULL (a tombstone holding no personal
# data), so that later events about that experience send nothing.
contacts = Table(
    "contacts",
    metadata,
    Column("experience_id", String(36), primary_key=True),
    Column("email", String(320)),
    # The story's title (no personal data: authors are told never to write any), so mails name it.
    Column("title", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("erased_at", DateTime(timezone=True)),
    Index("ix_contacts_email", "email"),
)

mails = Table(
    "mails",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("event_id", String(36), nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("template", String(50), nullable=False),
    Column("experience_id", String(36)),
    # NULL while awaiting the contact, and once erased.
    Column("recipient", String(320)),
    Column("subject", Text, nullable=False),
    Column("text_body", Text, nullable=False),
    Column("html_body", Text, nullable=False),
    # What the templates were given (JSON, no address), to render again once the contact is known.
    Column("context", Text, nullable=False),
    # Chosen once, so a mail sent again after an uncertain failure carries the same id.
    Column("message_id", String(300), nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    # When the sender may take it: the retry time, or the end of a sender's lease on it.
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("event_id", "template", name="uq_mails_event_template"),
    Index("ix_mails_due", "status", "next_attempt_at"),
    Index("ix_mails_experience", "experience_id"),
    Index("ix_mails_recipient", "recipient"),
)
