"""changes for the search index kept beside each API process (PostgreSQL only)

Every row version of ``experiences`` records the transaction that changed what the index
holds: ``search_xid`` for what a search filters on (text, status, feeling, answers, path),
``rank_xid`` for the "similar" votes it sorts on. The indexer asks for the rows whose change is
visible now but was not in the snapshot it last indexed (see adapters/search_index.py), which
misses nothing, whatever order concurrent transactions commit in. ``search_instance`` names
this database, so an index built from another database is never used.

Revision ID: 0002
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite (the local default) searches its FTS5 table directly.
    # Rows already there carry no xid: the first build of an index reads every row anyway.
    op.execute("ALTER TABLE experiences ADD COLUMN search_xid xid8, ADD COLUMN rank_xid xid8")
    op.execute("""
        CREATE FUNCTION spplus_mark_search_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' OR (NEW.status, NEW.title, NEW.description, NEW.feeling, NEW.published_at,
                                    NEW.response_count, NEW.path::text)
                    IS DISTINCT FROM (OLD.status, OLD.title, OLD.description, OLD.feeling, OLD.published_at,
                                      OLD.response_count, OLD.path::text) THEN
                NEW.search_xid := pg_current_xact_id();
            END IF;
            IF TG_OP = 'INSERT' OR NEW.similar_count IS DISTINCT FROM OLD.similar_count THEN
                NEW.rank_xid := pg_current_xact_id();
            END IF;
            RETURN NEW;
        END $$
    """)
    # Has anything a search filters on changed since this snapshot (the one an index holds)?
    op.execute("""
        CREATE FUNCTION spplus_search_stale(snapshot text) RETURNS boolean LANGUAGE sql STABLE AS $$
            SELECT EXISTS (SELECT 1 FROM experiences
                           WHERE search_xid >= pg_snapshot_xmin(CAST(snapshot AS pg_snapshot))
                             AND NOT pg_visible_in_snapshot(search_xid, CAST(snapshot AS pg_snapshot)))
        $$
    """)
    op.execute("CREATE TRIGGER experiences_search_change BEFORE INSERT OR UPDATE ON experiences "
               "FOR EACH ROW EXECUTE FUNCTION spplus_mark_search_change()")
    op.execute("CREATE INDEX ix_experiences_search_xid ON experiences (search_xid)")
    op.execute("CREATE INDEX ix_experiences_rank_xid ON experiences (rank_xid)")
    op.execute("CREATE TABLE search_instance (instance_id uuid PRIMARY KEY DEFAULT gen_random_uuid())")
    op.execute("INSERT INTO search_instance DEFAULT VALUES")
    # Statistics for the new columns now, so "changed since" uses its index from the start.
    op.execute("ANALYZE experiences")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE search_instance")
    op.execute("DROP TRIGGER experiences_search_change ON experiences")
    op.execute("DROP FUNCTION spplus_mark_search_change()")
    op.execute("DROP FUNCTION spplus_search_stale(text)")
    op.execute("ALTER TABLE experiences DROP COLUMN search_xid, DROP COLUMN rank_xid")
