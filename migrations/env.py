"""Alembic environment: the same migrations on SQLite and PostgreSQL, run through the async engine."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from reemploi.db import create_engine
from reemploi.models import Base
from reemploi.settings import Settings

config = context.config
target_metadata = Base.metadata


def _settings() -> Settings:
    settings = Settings.from_env()
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url", None)
    if url:
        settings = Settings.from_env({"REEMPLOI_DATABASE_URL": url})
    return settings


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    is_sqlite = (connection.dialect.name if connection is not None else (url or "")).startswith("sqlite")
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        render_as_batch=is_sqlite,  # SQLite cannot ALTER most things: batch mode rebuilds the table
        compare_type=True,
        compare_server_default=True,
    )


def run_offline() -> None:
    _configure(url=_settings().database_url)
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(_settings(), pooled=False)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
            await connection.commit()
    finally:
        await engine.dispose()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_sync(connection)
    else:
        asyncio.run(_run_async())


if context.is_offline_mode():
    run_offline()
else:
    run_online()
