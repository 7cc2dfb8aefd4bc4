"""structures searched in memory: a referential version instead of the word table

Revision ID: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('referential_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referential_state'))
    )
    op.execute("INSERT INTO referential_state (id, version) VALUES (1, 1)")
    op.drop_index(op.f('ix_structure_words_code'), table_name='structure_words')
    op.drop_table('structure_words')


def downgrade():
    op.create_table('structure_words',
    sa.Column('word', sa.String(length=100).with_variant(sa.String(length=100, collation='C'), 'postgresql'),
              nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['code'], ['structures.code'], name=op.f('fk_structure_words_code_structures'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('word', 'code', name=op.f('pk_structure_words'))
    )
    op.create_index(op.f('ix_structure_words_code'), 'structure_words', ['code'])
    op.execute("INSERT INTO structure_words (word, code) SELECT DISTINCT w.word, s.code FROM structures s, "
               "LATERAL unnest(string_to_array(trim(s.search_text), ' ')) AS w(word) WHERE w.word <> ''"
               if op.get_bind().dialect.name == "postgresql" else "SELECT 1")
    op.drop_table('referential_state')
