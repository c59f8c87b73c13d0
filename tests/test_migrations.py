"""The schema exists only through Alembic: the migrations build exactly what the models describe,
on both engines, and the database itself keeps device history append-only."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from reemploi import migrate
from reemploi.models import Base
from tests.factories import make_device, make_world


async def _differences(engine: AsyncEngine) -> list[object]:
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"compare_type": True, "compare_server_default": True}),
                Base.metadata,
            )
        )


async def test_models_and_migrations_describe_the_same_schema(engine: AsyncEngine) -> None:
    assert await _differences(engine) == []
    assert await migrate.current_revision(engine) == migrate.head_revision()


def test_a_model_change_without_migration_is_detected(database_url: str) -> None:
    # The check above must be able to fail: add a column to the models only, and see it reported.
    import asyncio

    from sqlalchemy import Column, String

    from reemploi.db import create_engine
    from reemploi.settings import Settings

    column = Column("colour", String(20))
    Base.metadata.tables["devices"].append_column(column)
    try:
        engine = create_engine(Settings.from_env({"REEMPLOI_DATABASE_URL": database_url}), pooled=False)
        differences = asyncio.run(_differences(engine))
        asyncio.run(engine.dispose())
    finally:
        Base.metadata.tables["devices"]._columns.remove(column)  # type: ignore[attr-defined]
    assert any("colour" in repr(d) for d in differences)


def test_migrations_go_down_and_up_again(database_url: str) -> None:
    migrate.upgrade(database_url, "head")
    from alembic import command

    command.downgrade(migrate.alembic_config(database_url), "base")
    command.upgrade(migrate.alembic_config(database_url), "head")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE device_events SET actor = 'someone else'",
        "DELETE FROM device_events",
    ],
)
async def test_the_database_refuses_to_rewrite_device_history(session: AsyncSession, statement: str) -> None:
    _, _, collection_id = await make_world(session)
    await make_device(session, collection_id, serial="PF1ABCDE")
    with pytest.raises((DBAPIError, IntegrityError)) as refused:
        await session.execute(text(statement))
    assert "append-only" in str(refused.value)
    await session.rollback()
    count = (await session.execute(text("SELECT count(*) FROM device_events"))).scalar_one()
    assert count == 1


@pytest.mark.parametrize(
    "statement",
    [
        "REPLACE INTO device_events SELECT * FROM device_events",
        "INSERT OR REPLACE INTO device_events SELECT * FROM device_events",
    ],
)
async def test_sqlite_refuses_to_replace_device_history(
    session: AsyncSession, engine_name: str, statement: str
) -> None:
    """SQLite's REPLACE deletes the row it replaces without firing DELETE triggers unless recursive
    triggers are on (issue 18): the application's connections turn them on."""
    if engine_name != "sqlite":
        pytest.skip("REPLACE is SQLite's (PostgreSQL's ON CONFLICT DO UPDATE fires the UPDATE trigger)")
    _, _, collection_id = await make_world(session)
    await make_device(session, collection_id, serial="PF1ABCDE")
    before = (await session.execute(text("SELECT actor, at FROM device_events"))).all()
    with pytest.raises((DBAPIError, IntegrityError)) as refused:
        await session.execute(text(statement))
    assert "append-only" in str(refused.value)
    await session.rollback()
    assert (await session.execute(text("SELECT actor, at FROM device_events"))).all() == before


async def test_sqlite_connections_are_durable(session: AsyncSession, engine_name: str) -> None:
    if engine_name != "sqlite":
        pytest.skip("a SQLite pragma")
    assert (await session.execute(text("PRAGMA synchronous"))).scalar_one() == 2  # FULL
    assert (await session.execute(text("PRAGMA recursive_triggers"))).scalar_one() == 1
