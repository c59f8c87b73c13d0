"""Alembic environment: the same migrations on SQLite and PostgreSQL, run through the async engine."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event
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
        on_version_apply=[_check_foreign_keys] if is_sqlite else [],
    )


def run_offline() -> None:
    _configure(url=_settings().database_url)
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


def _without_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """Batch mode rebuilds a SQLite table by dropping it, which fails while other tables' rows refer
    to it with foreign keys enforced (Alembic's documentation: turn the pragma off for batch mode).
    It can only be turned off outside a transaction, so on connecting; `_check_foreign_keys` then
    refuses to commit a migration that left a dangling reference."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.close()


def _check_foreign_keys(*, ctx: MigrationContext, step: Any, **_: Any) -> None:
    """After each migration on SQLite, before Alembic commits it (SQLite migrations are committed one
    by one): every foreign key must still point to a row, as if enforcement had been on."""
    if ctx.connection is None:
        return  # offline (--sql): nothing to read
    dangling = ctx.connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if dangling:
        raise RuntimeError(
            f"migration {step.up_revision_id} left rows referring to nothing "
            f"(table, rowid, referred table, foreign key number): {dangling}"
        )


async def _run_async() -> None:
    settings = _settings()
    engine = create_engine(settings, pooled=False)
    if settings.is_sqlite:
        event.listen(engine.sync_engine, "connect", _without_foreign_keys)  # after create_engine's own
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
