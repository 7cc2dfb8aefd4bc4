"""The engine's pooled connections: checked after sitting idle, not before every transaction."""
import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from spplus.chassis import db as chassis_db
from spplus.chassis.db import Database


def _backend_pid(database: Database) -> int:
    with database.unit_of_work() as session:
        return session.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_an_idle_connection_broken_meanwhile_is_replaced_before_use(pg_url, monkeypatch):
    monkeypatch.setattr(chassis_db, "PING_AFTER_IDLE_SECONDS", 0.0)  # every checkout counts as idle
    database = Database(pg_url)
    first = _backend_pid(database)
    assert _backend_pid(database) == first  # the same pooled connection is lent again
    # The server ends that session (as a database restart would).
    url = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (first,))
    assert _backend_pid(database) != first  # pinged at checkout, found dead, replaced: no error
    database.dispose()


def test_a_connection_in_steady_use_is_not_pinged(pg_url, monkeypatch):
    monkeypatch.setattr(chassis_db, "PING_AFTER_IDLE_SECONDS", 3600.0)
    database = Database(pg_url)
    pings = []
    original = database.engine.dialect.do_ping
    monkeypatch.setattr(database.engine.dialect, "do_ping", lambda connection: pings.append(1) or original(connection))
    for _ in range(5):
        _backend_pid(database)
    assert pings == []
    database.dispose()
