"""Alembic per service: the ``migrate`` role, and the shared body of every ``env.py``."""
from __future__ import annotations

from alembic import command, context
from alembic.config import Config
from alembic.operations import Operations
from sqlalchemy import MetaData, engine_from_config, pool

from . import messaging_tables


def alembic_config(script_location: str, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", script_location)
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(script_location: str, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(script_location, database_url), revision)


def create_messaging_tables(op: Operations) -> None:
    """Call from a service's first revision: creates the outbox and inbox tables."""
    bind = op.get_bind()
    messaging_tables.metadata.create_all(bind)


def drop_messaging_tables(op: Operations) -> None:
    messaging_tables.metadata.drop_all(op.get_bind())


def run_env(target_metadata: MetaData) -> None:
    """The whole body of a service's ``migrations/env.py``."""
    config = context.config
    metadatas = [target_metadata, messaging_tables.metadata]
    url = config.get_main_option("sqlalchemy.url")
    batch = url.startswith("sqlite")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadatas, literal_binds=True, render_as_batch=batch)
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = engine_from_config(config.get_section(config.config_ini_section, {}),
                                     prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=metadatas, render_as_batch=batch)
        with context.begin_transaction():
            context.run_migrations()
