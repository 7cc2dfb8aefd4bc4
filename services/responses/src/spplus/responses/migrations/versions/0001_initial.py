"""responses tables, structures replica, outbox and inbox

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op
from spplus.chassis.migrations import create_messaging_tables, drop_messaging_tables
from spplus.chassis.referential import create_structures_table

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)
    create_structures_table(op)
    op.create_table('experiences',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=150), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('feeling', sa.String(length=10), nullable=True),
    sa.Column('experienced_on', sa.String(length=10), nullable=True),
    sa.Column('pseudonym', sa.String(length=100), nullable=True),
    sa.Column('path', sa.JSON(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_experiences'))
    )
    with op.batch_alter_table('experiences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_experiences_published_at'), ['published_at'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # Full-text search of the inbox (SQLite searches with LIKE instead).
        op.execute("CREATE INDEX ix_experiences_search ON experiences USING gin "
                   "(to_tsvector('french'::regconfig, coalesce(title, '') || ' ' || coalesce(description, '')))")

    op.create_table('reassignments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('experience_id', sa.String(length=36), nullable=False),
    sa.Column('from_structure_code', sa.String(length=50), nullable=False),
    sa.Column('to_structure_code', sa.String(length=50), nullable=False),
    sa.Column('to_structure_name', sa.String(length=300), nullable=True),
    sa.Column('by', sa.String(length=20), nullable=False),
    sa.Column('by_email', sa.String(length=320), nullable=True),
    sa.Column('reassigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reassignments'))
    )
    with op.batch_alter_table('reassignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reassignments_experience_id'), ['experience_id'], unique=False)

    op.create_table('structure_settings',
    sa.Column('structure_code', sa.String(length=50), nullable=False),
    sa.Column('two_step_validation', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=320), nullable=False),
    sa.PrimaryKeyConstraint('structure_code', name=op.f('pk_structure_settings'))
    )
    op.create_table('validators',
    sa.Column('structure_code', sa.String(length=50), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_by', sa.String(length=320), nullable=False),
    sa.PrimaryKeyConstraint('structure_code', 'email', name=op.f('pk_validators'))
    )
    op.create_table('items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('experience_id', sa.String(length=36), nullable=False),
    sa.Column('structure_code', sa.String(length=50), nullable=False),
    sa.Column('structure_name', sa.String(length=300), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actions_made', sa.Integer(), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('reassigned_to', sa.String(length=50), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['experience_id'], ['experiences.id'], name=op.f('fk_items_experience_id_experiences')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('experience_id', 'structure_code', name='uq_items_experience_structure')
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_experience_id'), ['experience_id'], unique=False)
        batch_op.create_index('ix_items_scope', ['structure_code', 'state', 'received_at', 'id', 'experience_id'],
                              unique=False)

    op.create_table('comments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('experience_id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('author_email', sa.String(length=320), nullable=False),
    sa.Column('author_name', sa.String(length=200), nullable=True),
    sa.Column('author_role', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['experience_id'], ['experiences.id'], name=op.f('fk_comments_experience_id_experiences')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_comments_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_experience_id'), ['experience_id'], unique=False)

    op.create_table('responses',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('has_changes', sa.Boolean(), nullable=False),
    sa.Column('submitted_by', sa.String(length=320), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=320), nullable=True),
    sa.Column('first_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_responses_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses')),
    sa.UniqueConstraint('item_id', name=op.f('uq_responses_item_id'))
    )
    op.create_table('transfer_requests',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('item_id', sa.String(length=36), nullable=False),
    sa.Column('experience_id', sa.String(length=36), nullable=False),
    sa.Column('structure_code', sa.String(length=50), nullable=False),
    sa.Column('suggested_structure', sa.String(length=300), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_by', sa.String(length=320), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_transfer_requests_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_requests'))
    )
    with op.batch_alter_table('transfer_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_requests_item_id'), ['item_id'], unique=False)

    op.create_table('response_versions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('response_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=320), nullable=False),
    sa.Column('check', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_response_versions_response_id_responses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_versions')),
    sa.UniqueConstraint('response_id', 'version', name='uq_response_versions_response_version')
    )
    with op.batch_alter_table('response_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_versions_response_id'), ['response_id'], unique=False)



def downgrade():
    for table in ("response_versions", "transfer_requests", "responses", "comments", "items", "validators",
                  "structure_settings", "reassignments", "experiences", "structures"):
        op.drop_table(table)
    drop_messaging_tables(op)
