"""read model of published experiences, answers, votes, structures replica; full-text index

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

TZ = sa.DateTime(timezone=True)


def upgrade():
    create_messaging_tables(op)
    create_structures_table(op)
    op.create_table(
        "experiences",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("title", sa.String(150)),
        sa.Column("description", sa.Text),
        sa.Column("feeling", sa.String(10)),
        sa.Column("experienced_on", sa.String(20)),
        sa.Column("pseudonym", sa.String(100)),
        sa.Column("original_path", sa.JSON),
        sa.Column("path", sa.JSON),
        sa.Column("submitted_at", TZ),
        sa.Column("published_at", TZ),
        sa.Column("edited", sa.Boolean),
        sa.Column("withdrawn_at", TZ),
        sa.Column("similar_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("response_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("first_response_at", TZ),
        sa.Column("first_response_delay_seconds", sa.Integer),
    )
    op.create_index("ix_experiences_status_published_at", "experiences", ["status", "published_at"])
    op.create_index("ix_experiences_status_similar", "experiences", ["status", "similar_count"])
    op.create_table(
        "experience_structures",
        sa.Column("experience_id", sa.String(36), nullable=False),
        sa.Column("structure_code", sa.String(50), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("experience_id", "structure_code", name="pk_experience_structures"),
    )
    op.create_index("ix_experience_structures_structure_code", "experience_structures",
                    ["structure_code", "experience_id"])
    op.create_table(
        "reassignments",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("experience_id", sa.String(36), nullable=False),
        sa.Column("from_structure_code", sa.String(50), nullable=False),
        sa.Column("to_structure_code", sa.String(50), nullable=False),
        sa.Column("to_structure_name", sa.String(300)),
        sa.Column("reassigned_at", TZ, nullable=False),
    )
    op.create_index("ix_reassignments_experience_id", "reassignments", ["experience_id"])
    op.create_table(
        "responses",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("experience_id", sa.String(36), nullable=False),
        sa.Column("structure_code", sa.String(50), nullable=False),
        sa.Column("structure_name", sa.String(300), nullable=False),
        sa.Column("greeting", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("signature", sa.Text, nullable=False),
        sa.Column("status", sa.String(50), nullable=False),
        sa.Column("actions", sa.JSON, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("general_tags", sa.JSON, nullable=False),
        sa.Column("published_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("useful_yes", sa.Integer, nullable=False, server_default="0"),
        sa.Column("useful_no", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_responses_experience_id", "responses", ["experience_id"])
    op.create_table(
        "votes",
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("target_id", sa.String(36), nullable=False),
        sa.Column("voter_id", sa.String(64), nullable=False),
        sa.Column("useful", sa.Boolean),
        sa.Column("ip_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("kind", "target_id", "voter_id", name="pk_votes"),
    )
    op.create_index("ix_votes_ip_hash_created_at", "votes", ["ip_hash", "created_at"])
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_full_text()
    else:
        _sqlite_full_text()


def _postgresql_full_text():
    # unaccent is a trusted extension: the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    # unaccent() is only STABLE (its dictionary could change); pinning the dictionary in an
    # IMMUTABLE wrapper is the documented way to use it in an index or generated column.
    op.execute("""
        CREATE OR REPLACE FUNCTION spplus_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
    """)
    op.execute("""
        ALTER TABLE experiences ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('french'::regconfig, spplus_unaccent(coalesce(title, ''))), 'A') ||
            setweight(to_tsvector('french'::regconfig, spplus_unaccent(coalesce(description, ''))), 'B')
        ) STORED
    """)
    op.execute("CREATE INDEX ix_experiences_search_vector ON experiences USING gin (search_vector)")


def _sqlite_full_text():
    # The document is stemmed in Python (French Snowball) before indexing; see adapters/search.py.
    op.execute("CREATE VIRTUAL TABLE experiences_fts USING fts5("
               "experience_id UNINDEXED, document, tokenize = 'unicode61 remove_diacritics 2')")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS spplus_unaccent(text) CASCADE")
    else:
        op.execute("DROP TABLE IF EXISTS experiences_fts")
    for table in ("votes", "responses", "reassignments", "experience_structures", "experiences", "structures"):
        op.drop_table(table)
