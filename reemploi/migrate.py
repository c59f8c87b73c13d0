"""Running the Alembic migrations from the application (CLI, tests), on either engine."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

from reemploi.db import create_engine
from reemploi.settings import Settings


def migrations_dir() -> Path:
    """The migrations folder: inside the installed package, or at the top of a source checkout."""
    packaged = Path(__file__).parent / "_migrations"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["database_url"] = database_url
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema to `revision`. Synchronous: call it outside a running event loop (or in a thread)."""
    command.upgrade(alembic_config(database_url), revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())


def schema_is_current(settings: Settings) -> tuple[str | None, str | None]:
    """(revision of the database, revision of the code)."""

    async def read() -> str | None:
        engine = create_engine(settings, pooled=False)
        try:
            return await current_revision(engine)
        finally:
            await engine.dispose()

    return asyncio.run(read()), head_revision()
