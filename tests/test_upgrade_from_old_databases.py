"""A database made while 0005 and 0007 were edited in place (issue 15), with a workshop in it, ends after
the real upgrade exactly like a database created at head — every table, column, index, constraint
(CHECK included) and trigger, compared as each engine describes itself — and keeps its rows.

The fixtures are SQL dumps of such databases (tests/support/old_databases.py says how they were
made); each says it is at 0008, which was head, so without 0009 the upgrade changes nothing and the
comparison lists what the database lacks.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from reemploi import migrate
from reemploi.db import create_engine
from reemploi.models import Base
from reemploi.settings import Settings
from tests.support.old_databases import STATES, OldState, load
from tests.support.pg_cluster import create_database, drop_database
from tests.support.schema import compare, describe_database

# What each old database lacks, or has otherwise, against head (the same objects on both engines).
SALES_BEFORE_ORGANISATIONS = {
    "sales: check ck_sales_kind",
    "sales: check ck_sales_one_buyer",
    "sales: check ck_sales_series",
    "sales: column beneficiary_id",
    "sales: column buyer_partner_id",
    "sales: column series",
    "sales: foreign key fk_sales_buyer_partner_id_partners",
    "sales: index ix_sales_buyer_partner_id",
    "sales: unique uq_sales_series_year_number",
    "sales: unique uq_sales_year_number",
}
LACKING = {
    "0e3ed3d-c063b01": {
        "certificates: check ck_certificates_kind",
        *SALES_BEFORE_ORGANISATIONS,
        "sale_lines: column ht_cents",
    },
    "60a053b": {"sale_lines: column ht_cents"},
}

# Each line's price before VAT: site 2 is subject to VAT at 20 % (Python's rounding, as the code's).
HT_CENTS = {1: 12000, 2: 0, 3: 3500, 4: round(14990 * 100 / 120), 5: 15000}


@pytest.fixture
def empty_database_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if engine_name == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
        return
    server: str = request.getfixturevalue("pg_server")
    name = f"reemploi_old_{uuid.uuid4().hex[:12]}"
    create_database(server, name)
    try:
        yield make_url(server).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)
    finally:
        drop_database(server, name)


def _engine(database_url: str) -> AsyncEngine:
    return create_engine(Settings.from_env({"REEMPLOI_DATABASE_URL": database_url}), pooled=False)


async def _rows(database_url: str) -> dict[str, object]:
    """Every table's row count, and the rows the upgrade fills in."""
    engine = _engine(database_url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
            found: dict[str, object] = {}
            for table in tables:
                found[table] = (await connection.execute(text(f'SELECT count(*) FROM "{table}"'))).scalar_one()
            sales = await connection.execute(
                text("SELECT id, kind, beneficiary_id, total_cents FROM sales ORDER BY id")
            )
            found["sales rows"] = [tuple(row) for row in sales]
            return found
    finally:
        await engine.dispose()


async def _filled_in(database_url: str) -> tuple[dict[int, str], dict[int, int]]:
    engine = _engine(database_url)
    try:
        async with engine.connect() as connection:
            series = dict((await connection.execute(text("SELECT id, series FROM sales"))).all())
            ht = dict((await connection.execute(text("SELECT id, ht_cents FROM sale_lines"))).all())
            return series, ht
    finally:
        await engine.dispose()


async def _model_differences(database_url: str) -> list[object]:
    engine = _engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda c: compare_metadata(
                    MigrationContext.configure(c, opts={"compare_type": True, "compare_server_default": True}),
                    Base.metadata,
                )
            )
    finally:
        await engine.dispose()


async def _record_an_attestation(database_url: str) -> None:
    """What a database from 0005's first text refused: ck_certificates_kind had no 'attestation'."""
    engine = _engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO certificates (code, kind, collection_id, issued_at, actor, content, content_sha256) "
                    "VALUES ('ATT-TEST-0000-0000-0000-X', 'attestation', 1, :at, 'test', '{}', :sha)"
                ),
                {"at": datetime(2026, 12, 1, tzinfo=UTC), "sha": "0" * 64},
            )
    finally:
        await engine.dispose()


@pytest.mark.parametrize("state", STATES, ids=[s.name for s in STATES])
async def test_a_database_from_edited_migrations_ends_like_one_created_at_head(
    state: OldState, engine_name: str, empty_database_url: str, database_url: str
) -> None:
    load(empty_database_url, state.fixture(engine_name).read_text())
    head = await describe_database(database_url)  # a fresh database made by the migrations
    before = await describe_database(empty_database_url)
    rows_before = await _rows(empty_database_url)
    engine = _engine(empty_database_url)
    try:
        assert await migrate.current_revision(engine) == state.revision
    finally:
        await engine.dispose()
    # Without 0009 this is what the upgrade would leave (it has nothing to run: the database says 0008).
    assert {key for key in head.keys() | before.keys() if head.get(key) != before.get(key)} == LACKING[state.name]

    await asyncio.to_thread(migrate.upgrade, empty_database_url)

    after = await describe_database(empty_database_url)
    assert compare(head, after) == []
    assert await _model_differences(empty_database_url) == []
    rows_after = await _rows(empty_database_url)
    assert rows_after == rows_before
    series, ht = await _filled_in(empty_database_url)
    assert series == {id_: "invoice" if id_ == 5 else "receipt" for id_ in series}
    assert ht == {id_: HT_CENTS[id_] for id_ in ht}
    await _record_an_attestation(empty_database_url)


def test_on_sqlite_an_upgrade_that_would_leave_a_dangling_reference_is_refused(tmp_path: Path) -> None:
    # The migrations run with SQLite's foreign keys off (batch mode drops tables others refer to), so
    # env.py checks them all before committing: a line of a sale that does not exist stops the upgrade.
    state = STATES[0]
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
    load(url, state.fixture("sqlite").read_text() + "INSERT INTO sale_lines VALUES (99, 999, 1, 'laptop', 100);")
    with pytest.raises(RuntimeError, match=r"referring to nothing.*sale_lines"):
        migrate.upgrade(url)
    engine = _engine(url)
    try:
        assert asyncio.run(migrate.current_revision(engine)) == state.revision  # nothing of 0009 was kept
    finally:
        asyncio.run(engine.dispose())
