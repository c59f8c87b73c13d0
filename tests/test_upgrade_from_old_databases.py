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
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

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


def _scratch_database(engine_name: str, request: pytest.FixtureRequest, path: Path) -> Iterator[str]:
    if engine_name == "sqlite":
        yield f"sqlite+aiosqlite:///{path}"
        return
    server: str = request.getfixturevalue("pg_server")
    name = f"reemploi_old_{uuid.uuid4().hex[:12]}"
    create_database(server, name)
    try:
        yield make_url(server).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)
    finally:
        drop_database(server, name)


@pytest.fixture
def empty_database_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from _scratch_database(engine_name, request, tmp_path / "old.sqlite3")


@pytest.fixture
def at_0008_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database made by today's migrations up to 0008: what the old ones should have made."""
    for url in _scratch_database(engine_name, request, tmp_path / "at-0008.sqlite3"):
        migrate.upgrade(url, "0008")
        yield url


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
    state: OldState, engine_name: str, empty_database_url: str, database_url: str, at_0008_url: str
) -> None:
    load(empty_database_url, state.fixture(engine_name).read_text())
    head = await describe_database(database_url)  # a fresh database made by the migrations
    at_0008 = await describe_database(at_0008_url)  # the same, stopped at 0008 (later migrations add more)
    before = await describe_database(empty_database_url)
    rows_before = await _rows(empty_database_url)
    engine = _engine(empty_database_url)
    try:
        assert await migrate.current_revision(engine) == state.revision
    finally:
        await engine.dispose()
    # Without 0009 this is what the upgrade would leave (it has nothing to run: the database says 0008).
    assert {key for key in at_0008.keys() | before.keys() if at_0008.get(key) != before.get(key)} == LACKING[state.name]

    await asyncio.to_thread(migrate.upgrade, empty_database_url)

    after = await describe_database(empty_database_url)
    assert compare(head, after) == []
    assert await _model_differences(empty_database_url) == []
    rows_after = await _rows(empty_database_url)
    # Every row kept, none added: the tables that later migrations create start empty.
    assert rows_after == rows_before | dict.fromkeys(rows_after.keys() - rows_before.keys(), 0)
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


async def test_the_actor_columns_link_old_records_to_the_account_their_label_names(
    engine_name: str, empty_database_url: str
) -> None:
    """0010: a part stocked by 'jdupont' is linked to jdupont's account, one stocked through the token
    'portique' to that token; a command's label, and a name two tokens share, stay unlinked."""
    await asyncio.to_thread(migrate.upgrade, empty_database_url, "0009")
    at = datetime(2026, 11, 30, 9, tzinfo=UTC)
    engine = _engine(empty_database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO users (id, login, name, role, password_hash, active, created_at) "
                    "VALUES (7, 'jdupont', 'Julie Dupont', 'technician', 'x', true, :at)"
                ),
                {"at": at},
            )
            for token_id, name in ((3, "portique"), (4, "double"), (5, "double")):
                await connection.execute(
                    text(
                        "INSERT INTO api_tokens (id, name, prefix, key_hash, role, created_at, last_used_address) "
                        "VALUES (:id, :name, :prefix, :prefix, 'technician', :at, '')"
                    ),
                    {"id": token_id, "name": name, "prefix": f"p{token_id}", "at": at},
                )
            await connection.execute(
                text(
                    "INSERT INTO sites (id, code, name, address, last_device_number, label_template, created_at) "
                    "VALUES (1, 'LYO', 'Lyon', '', 0, 'brother-62x29', :at)"
                ),
                {"at": at},
            )
            for part_id, actor in ((1, "jdupont"), (2, "jeton:portique"), (3, "cli:root"), (4, "jeton:double")):
                await connection.execute(
                    text(
                        "INSERT INTO parts (id, site_id, kind, description, origin, quantity, created_at, actor) "
                        "VALUES (:id, 1, 'ram', 'DDR4 8 Go', 'new', 1, :at, :actor)"
                    ),
                    {"id": part_id, "at": at, "actor": actor},
                )
    finally:
        await engine.dispose()

    await asyncio.to_thread(migrate.upgrade, empty_database_url)

    engine = _engine(empty_database_url)
    try:
        async with engine.connect() as connection:
            linked = (
                await connection.execute(text("SELECT id, actor_user_id, actor_token_id FROM parts ORDER BY id"))
            ).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in linked] == [(1, 7, None), (2, None, 3), (3, None, None), (4, None, None)]


async def test_0013_keeps_the_devices_lets_a_registration_be_cancelled_and_goes_down_only_without_one(
    engine_name: str, empty_database_url: str
) -> None:
    """0013: the devices of a database at 0012 stay as they were; 'cancelled' becomes a state the
    database accepts (and the manifests' tables start empty); going back down refuses while a device
    is cancelled, and goes once none is."""
    from alembic import command

    await asyncio.to_thread(migrate.upgrade, empty_database_url, "0012")
    at = datetime(2026, 12, 1, 9, tzinfo=UTC)
    async with _connected(empty_database_url) as connection:
        for statement in (
            "INSERT INTO sites (id, code, name, address, last_device_number, label_template, created_at) "
            "VALUES (1, 'LYO', 'Lyon', '', 2, 'brother-ql-62x29', :at)",
            "INSERT INTO partners (id, kind, name, siren, address, contact_name, email, phone, created_at) "
            "VALUES (1, 'company', 'Transports Rhodaniens SA', '732829320', '', '', '', '', :at)",
            "INSERT INTO collections (id, donor_id, site_id, collected_on, pickup_address, notes, created_at) "
            "VALUES (1, 1, 1, '2026-11-30', '', '', :at)",
        ):
            await connection.execute(text(statement), {"at": at})
        for device_id, state in ((1, "collected"), (2, "received")):
            await connection.execute(
                text(
                    "INSERT INTO devices (id, code, site_id, collection_id, category, manufacturer, model, "
                    "specs, location, state, version, created_at, updated_at) VALUES (:id, :code, 1, 1, "
                    "'laptop', '', '', '{}', '', :state, 1, :at, :at)"
                ),
                {"id": device_id, "code": f"LYO-00000{device_id}-X", "state": state, "at": at},
            )

    await asyncio.to_thread(migrate.upgrade, empty_database_url, "0013")

    async with _connected(empty_database_url) as connection:
        states = (await connection.execute(text("SELECT id, state FROM devices ORDER BY id"))).all()
        assert [tuple(row) for row in states] == [(1, "collected"), (2, "received")]
        assert (await connection.execute(text("SELECT count(*) FROM manifest_imports"))).scalar_one() == 0
        await connection.execute(text("UPDATE devices SET state = 'cancelled' WHERE id = 1"))
    with pytest.raises(DBAPIError, match=r"ck_devices_state|CHECK"):
        async with _connected(empty_database_url) as connection:
            await connection.execute(text("UPDATE devices SET state = 'vanished' WHERE id = 2"))

    config = migrate.alembic_config(empty_database_url)
    with pytest.raises(RuntimeError, match="cancelled"):
        await asyncio.to_thread(command.downgrade, config, "0012")
    async with _connected(empty_database_url) as connection:
        assert (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar_one() == "0013"
        await connection.execute(text("UPDATE devices SET state = 'collected' WHERE id = 1"))
    await asyncio.to_thread(command.downgrade, config, "0012")
    async with _connected(empty_database_url) as connection:
        assert (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar_one() == "0012"


@asynccontextmanager
async def _connected(database_url: str) -> AsyncIterator[AsyncConnection]:
    """One transaction on the database, committed at the end of the block."""
    engine = _engine(database_url)
    try:
        async with engine.begin() as connection:
            yield connection
    finally:
        await engine.dispose()
