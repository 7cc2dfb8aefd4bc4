"""cases, proposals, audit trail (append-only), erasures, structures replica, outbox and inbox

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

POSTGRES_GUARD = """
CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_entries is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
"""
SQLITE_GUARDS = [
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END",
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries "
    "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END",
]


def upgrade():
    create_messaging_tables(op)
    create_structures_table(op)
    when = sa.DateTime(timezone=True)
    op.create_table(
        "cases",
        sa.Column("experience_id", sa.String(36), primary_key=True),
        sa.Column("state", sa.String(30), nullable=False),
        sa.Column("title", sa.String(150), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("original_title", sa.String(150), nullable=False),
        sa.Column("original_description", sa.Text, nullable=False),
        sa.Column("feeling", sa.String(20)),
        sa.Column("experienced_on", sa.String(7)),
        sa.Column("path", sa.JSON, nullable=False),
        sa.Column("pseudonym", sa.String(100)),
        sa.Column("postal_code", sa.String(10)),
        sa.Column("city", sa.String(200)),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("finding_count", sa.Integer, nullable=False),
        sa.Column("analysis_status", sa.String(20), nullable=False),
        sa.Column("submitted_at", when, nullable=False),
        sa.Column("opened_at", when, nullable=False),
        sa.Column("claimed_by", sa.String(100)),
        sa.Column("claimed_by_name", sa.String(200)),
        sa.Column("claim_expires_at", when),
        sa.Column("decided_at", when),
        sa.Column("published_at", when),
        sa.Column("reason_code", sa.String(50)),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_cases_state_submitted_at", "cases", ["state", "submitted_at"])
    op.create_table(
        "proposals",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("experience_id", sa.String(36), sa.ForeignKey("cases.experience_id",
                  name="fk_proposals_experience_id_cases"), nullable=False),
        sa.Column("original_title", sa.String(150), nullable=False),
        sa.Column("original_description", sa.Text, nullable=False),
        sa.Column("edited_title", sa.String(150), nullable=False),
        sa.Column("edited_description", sa.Text, nullable=False),
        sa.Column("message", sa.Text),
        sa.Column("created_at", when, nullable=False),
        sa.Column("deadline", when, nullable=False),
        sa.Column("remind_at", when),
        sa.Column("reminded_at", when),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decided_at", when),
    )
    op.create_index("ix_proposals_experience_id", "proposals", ["experience_id"])
    op.create_index("ix_proposals_status_deadline", "proposals", ["status", "deadline"])
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("experience_id", sa.String(36), sa.ForeignKey("cases.experience_id",
                  name="fk_audit_entries_experience_id_cases"), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("at", when, nullable=False),
        sa.Column("before_title", sa.String(150)),
        sa.Column("before_description", sa.Text),
        sa.Column("after_title", sa.String(150)),
        sa.Column("after_description", sa.Text),
        sa.Column("reason_code", sa.String(50)),
        sa.Column("message", sa.Text),
    )
    op.create_index("ix_audit_entries_experience_id", "audit_entries", ["experience_id"])
    op.create_index("ix_audit_entries_at", "audit_entries", ["at"])
    op.create_table("erasures", sa.Column("experience_id", sa.String(36), primary_key=True),
                    sa.Column("requested_at", when, nullable=False))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(POSTGRES_GUARD)
    elif bind.dialect.name == "sqlite":
        for statement in SQLITE_GUARDS:
            op.execute(statement)


def downgrade():
    op.drop_table("erasures")
    op.drop_table("audit_entries")
    op.drop_table("proposals")
    op.drop_table("cases")
    op.drop_table("structures")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_entries_append_only()")
