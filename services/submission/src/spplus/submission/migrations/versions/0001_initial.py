"""submission: structures replica and search, experiences, author contact data, counters, drafts

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

from spplus.chassis.migrations import create_messaging_tables
from spplus.chassis.referential import create_structures_table

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)
    create_structures_table(op)
    op.create_table("structure_search",
                    sa.Column("code", sa.String(50), primary_key=True),
                    sa.Column("search_text", sa.Text, nullable=False))
    op.create_table("experiences",
                    sa.Column("id", sa.String(36), primary_key=True),
                    sa.Column("tracking_digest", sa.String(64), nullable=False, unique=True),
                    sa.Column("title", sa.String(150), nullable=False),
                    sa.Column("description", sa.Text, nullable=False),
                    sa.Column("feeling", sa.String(10)),
                    sa.Column("experienced_on", sa.String(7)),
                    sa.Column("path", sa.JSON, nullable=False),
                    sa.Column("pseudonym", sa.String(50)),
                    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("status", sa.String(20), nullable=False),
                    sa.Column("status_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("status_details", sa.JSON, nullable=False))
    op.create_table("author_contacts",
                    sa.Column("experience_id", sa.String(36), sa.ForeignKey("experiences.id"), primary_key=True),
                    sa.Column("email", sa.String(254)),
                    sa.Column("postal_code", sa.String(5)),
                    sa.Column("city", sa.String(100)),
                    sa.Column("erased_at", sa.DateTime(timezone=True)))
    op.create_index("ix_author_contacts_email", "author_contacts", ["email"])
    op.create_table("author_ips",
                    sa.Column("experience_id", sa.String(36), sa.ForeignKey("experiences.id"), primary_key=True),
                    sa.Column("ip_hash", sa.String(64), nullable=False),
                    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False))
    op.create_index("ix_author_ips_recorded_at", "author_ips", ["recorded_at"])
    op.create_table("submission_fingerprints",
                    sa.Column("fingerprint", sa.String(64), primary_key=True),
                    sa.Column("experience_id", sa.String(36), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))
    op.create_index("ix_submission_fingerprints_experience_id", "submission_fingerprints", ["experience_id"])
    op.create_index("ix_submission_fingerprints_created_at", "submission_fingerprints", ["created_at"])
    op.create_table("rate_windows",
                    sa.Column("ip_hash", sa.String(64), primary_key=True),
                    sa.Column("window_start", sa.Integer, primary_key=True),
                    sa.Column("count", sa.Integer, nullable=False))
    op.create_table("drafts",
                    sa.Column("id", sa.String(36), primary_key=True),
                    sa.Column("data", sa.JSON, nullable=False),
                    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("experience_id", sa.String(36)))
    op.create_index("ix_drafts_updated_at", "drafts", ["updated_at"])


def downgrade():
    for table in ("drafts", "rate_windows", "submission_fingerprints", "author_ips", "author_contacts",
                  "experiences", "structure_search", "structures"):
        op.drop_table(table)
