"""things, effects, outbox and inbox

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
    op.create_table("things", sa.Column("id", sa.String(36), primary_key=True),
                    sa.Column("name", sa.String(100), nullable=False))
    op.create_table("effects", sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                    sa.Column("event_id", sa.String(36), nullable=False),
                    sa.Column("name", sa.String(100), nullable=False),
                    sa.Column("handled_at", sa.DateTime(timezone=True), server_default=sa.func.now()))


def downgrade():
    op.drop_table("effects")
    op.drop_table("things")
