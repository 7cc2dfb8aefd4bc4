"""One SQLAlchemy engine per service and process, and a unit of work around each transaction.

The engine is created lazily and disposed in forked children (gunicorn forks after the
app is built), so no connection is ever shared between processes.
"""
from __future__ import annotations

import contextlib
import os
import time
import weakref
from typing import Iterator

from sqlalchemy import MetaData, create_engine, event, exc, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    """Convenience base; each service usually declares its own with ``new_metadata()``."""

    metadata = new_metadata()


_all_databases: "weakref.WeakSet[Database]" = weakref.WeakSet()


def _dispose_after_fork() -> None:
    for database in list(_all_databases):
        database._after_fork()


os.register_at_fork(after_in_child=_dispose_after_fork)


# A pooled connection unused for longer than this is checked (one round trip) before it is lent;
# under steady traffic none is, which saves a round trip per transaction. A connection broken by a
# database restart while in steady use fails its first statement instead, and SQLAlchemy then
# replaces every connection of the pool.
PING_AFTER_IDLE_SECONDS = 2.0


def _ping_after_idle(engine: Engine, idle_seconds: float) -> None:
    """``pool_pre_ping``, but only for connections that sat idle (SQLAlchemy's custom pessimistic
    disconnect handling: raising ``DisconnectionError`` at checkout makes the pool retry with a
    fresh connection)."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):
        record.info["spplus_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):
        idle_since = record.info.get("spplus_idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(str(error)) from error
        if alive is False:
            raise exc.DisconnectionError("ping failed")


class Database:
    def __init__(self, url: str, **engine_options):
        self.url = url
        self._engine_options = engine_options
        self._engine: Engine | None = None
        self._sessionmaker: sessionmaker | None = None
        _all_databases.add(self)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._create_engine()
            self._sessionmaker = sessionmaker(self._engine, expire_on_commit=False)
        return self._engine

    def _create_engine(self) -> Engine:
        if self.is_sqlite:
            engine = create_engine(self.url, connect_args={"timeout": 30}, **self._engine_options)

            @event.listens_for(engine, "connect")
            def _sqlite_pragmas(dbapi_connection, _record):
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.execute("PRAGMA busy_timeout=30000")
                cursor.close()

            return engine
        options = {"pool_size": 10, "max_overflow": 10, **self._engine_options}
        engine = create_engine(self.url, **options)
        _ping_after_idle(engine, PING_AFTER_IDLE_SECONDS)
        return engine

    def _after_fork(self) -> None:
        if self._engine is not None:
            # close=False: leave the parent's connections alone, just forget them here.
            self._engine.dispose(close=False)

    def session(self) -> Session:
        self.engine  # noqa: B018 - creates the sessionmaker on first use
        return self._sessionmaker()

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session whose transaction commits when the block ends, and rolls back on error."""
        session = self.session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads alone, outside any transaction: each statement sees what is
        committed when it runs, and no BEGIN/COMMIT round trips are spent (a busy read path
        answered by one statement pays one round trip)."""
        with self.engine.connect() as connection:
            session = Session(bind=connection.execution_options(isolation_level="AUTOCOMMIT"))
            try:
                yield session
            finally:
                session.close()

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
