"""One SQLAlchemy engine per service and process, and a unit of work around each transaction.

The engine is created lazily and disposed in forked children (gunicorn forks after the
app is built), so no connection is ever shared between processes.
"""
from __future__ import annotations

import contextlib
import os
import weakref
from typing import Iterator

from sqlalchemy import MetaData, create_engine, event, text
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
        options = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10, **self._engine_options}
        return create_engine(self.url, **options)

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

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
