"""a TOTP code is accepted once; an import whose worker died is taken up again

Revision ID: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('accounts') as batch:
        batch.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('structure_imports') as batch:
        batch.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('structure_imports') as batch:
        batch.drop_column('lease_until')
    with op.batch_alter_table('accounts') as batch:
        batch.drop_column('totp_last_step')
