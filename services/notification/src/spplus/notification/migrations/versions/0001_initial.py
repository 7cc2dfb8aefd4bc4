"""contacts, mails, outbox and inbox

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op
from spplus.chassis.migrations import create_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)
    op.create_table(
        "contacts",
        sa.Column("experience_id", sa.String(36), primary_key=True),
        sa.Column("email", sa.String(320)),
        sa.Column("title", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_contacts_email", "contacts", ["email"])
    op.create_table(
        "mails",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("template", sa.String(50), nullable=False),
        sa.Column("experience_id", sa.String(36)),
        sa.Column("recipient", sa.String(320)),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("text_body", sa.Text, nullable=False),
        sa.Column("html_body", sa.Text, nullable=False),
        sa.Column("context", sa.Text, nullable=False),
        sa.Column("message_id", sa.String(300), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("event_id", "template", name="uq_mails_event_template"),
    )
    op.create_index("ix_mails_due", "mails", ["status", "next_attempt_at"])
    op.create_index("ix_mails_experience", "mails", ["experience_id"])
    op.create_index("ix_mails_recipient", "mails", ["recipient"])


def downgrade():
    op.drop_table("mails")
    op.drop_table("contacts")
