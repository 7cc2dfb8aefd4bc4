"""referential, accounts, sessions, login throttling, password resets, imports; outbox and inbox

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

from spplus.chassis.migrations import create_messaging_tables, drop_messaging_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)
    op.create_table('accounts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('roles', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('totp_enabled', sa.Boolean(), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('email', name=op.f('uq_accounts_email'))
    )
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    op.create_index(op.f('ix_login_failures_key_at'), 'login_failures', ['key', 'at'])

    op.create_table('networks',
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_networks'))
    )
    op.create_table('structure_imports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('inserted', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_by', sa.String(length=254), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_structure_imports'))
    )
    op.create_index(op.f('ix_structure_imports_status'), 'structure_imports', ['status'])

    op.create_table('password_resets',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_password_resets_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_resets'))
    )
    op.create_index(op.f('ix_password_resets_account_id'), 'password_resets', ['account_id'])

    op.create_table('sessions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_sessions_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sessions'))
    )
    op.create_index(op.f('ix_sessions_account_id'), 'sessions', ['account_id'])

    op.create_table('structures',
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('network_code', sa.String(length=50), nullable=False),
    sa.Column('parent_code', sa.String(length=50), nullable=True),
    sa.Column('postal_code', sa.String(length=10), nullable=True),
    sa.Column('city', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('search_text', sa.String(length=600), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['network_code'], ['networks.code'], name=op.f('fk_structures_network_code_networks')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_structures'))
    )
    op.create_index(op.f('ix_structures_name'), 'structures', ['name'])
    op.create_index(op.f('ix_structures_network_code'), 'structures', ['network_code'])
    op.create_index(op.f('ix_structures_parent_code'), 'structures', ['parent_code'])
    op.create_index(op.f('ix_structures_postal_code'), 'structures', ['postal_code'])

    op.create_table('structure_words',
    sa.Column('word', sa.String(length=100).with_variant(sa.String(length=100, collation='C'), 'postgresql'),
              nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['code'], ['structures.code'], name=op.f('fk_structure_words_code_structures'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('word', 'code', name=op.f('pk_structure_words'))
    )
    op.create_index(op.f('ix_structure_words_code'), 'structure_words', ['code'])
    op.create_table('account_structures',
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('structure_code', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_structures_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['structure_code'], ['structures.code'], name=op.f('fk_account_structures_structure_code_structures')),
    sa.PrimaryKeyConstraint('account_id', 'structure_code', name=op.f('pk_account_structures'))
    )


def downgrade():
    for table in ("account_structures", "structure_words", "structures", "sessions", "password_resets", "structure_imports",
                  "networks", "login_failures", "accounts"):
        op.drop_table(table)
    drop_messaging_tables(op)
