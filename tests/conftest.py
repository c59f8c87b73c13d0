"""Test fixtures: every database test runs on SQLite and on a real PostgreSQL, each test on a fresh
database built by the real Alembic migrations (copied from a migrated template for speed)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from reemploi import migrate
from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from reemploi.app import create_app
from reemploi.db import create_engine
from reemploi.settings import Settings
from tests.support.pg_cluster import NoPostgres, create_database, drop_database, resolve_test_server
from tests.support.server import LiveServer

pytest_plugins = ["tests.support.browser"]

ENGINES = ("sqlite", "postgresql")


def pytest_report_header(config: pytest.Config) -> str:
    from tests.support.pg_cluster import TEST_URL_ENV, PostgresCluster

    if os.environ.get(TEST_URL_ENV):
        return f"PostgreSQL: the server of {TEST_URL_ENV}"
    bindir = PostgresCluster.find_binaries()
    if bindir is not None:
        return f"PostgreSQL: a throwaway cluster from {bindir}"
    return (
        "PostgreSQL: NONE FOUND: PostgreSQL tests will be skipped (a failure under CI=true). "
        f"Install the server (apt-get install postgresql) or set {TEST_URL_ENV}."
    )


def _with_database(server_url: str, name: str) -> str:
    return (
        make_url(server_url).set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)
    )


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of a PostgreSQL server: REEMPLOI_TEST_DATABASE_URL, or a throwaway cluster from the
    machine's binaries. With neither, PostgreSQL tests are skipped, except under CI=true where
    that is a failure: CI must test the production engine."""
    try:
        url, cluster = resolve_test_server()
    except NoPostgres as missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but no PostgreSQL to test on: {missing}", pytrace=False)
        pytest.skip(str(missing))
    if cluster is not None:
        cluster.start()
    try:
        yield url
    finally:
        if cluster is not None:
            cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> Iterator[str]:
    name = f"reemploi_template_{uuid.uuid4().hex[:8]}"
    create_database(pg_server, name)
    migrate.upgrade(_with_database(pg_server, name))  # disposes its engine: the template is free to copy
    try:
        yield name
    finally:
        drop_database(pg_server, name)


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, fully migrated database for one test."""
    if engine_name == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "reemploi.sqlite3"
        shutil.copyfile(template, target)
        yield f"sqlite+aiosqlite:///{target}"
        return
    server: str = request.getfixturevalue("pg_server")
    template_name: str = request.getfixturevalue("pg_template")
    name = f"reemploi_test_{uuid.uuid4().hex[:12]}"
    create_database(server, name, template=template_name, strategy="FILE_COPY")
    try:
        yield _with_database(server, name)
    finally:
        drop_database(server, name)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings.from_env({"REEMPLOI_DATABASE_URL": database_url, "REEMPLOI_DATA_DIR": str(tmp_path)})


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    # One connection per checkout: nothing crosses event loops between tests.
    engine = create_engine(settings, pooled=False)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        yield session


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Independent sessions, for tests that act as several people at once."""
    return async_sessionmaker(engine, expire_on_commit=False)


@pytest.fixture
def app(settings: Settings, engine: AsyncEngine) -> Litestar:
    return create_app(settings, engine)


@pytest.fixture
async def admin_token(session: AsyncSession) -> str:
    """The secret of an admin API token, created as `reemploi token create` would."""
    _, secret = await accounts.create_token(session, accounts.NewToken("tests", Role.ADMIN), by=None)
    return secret


@pytest.fixture
async def client(app: Litestar, admin_token: str) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """The API as an admin's integration sees it (bearer token)."""
    async with AsyncTestClient(app) as client:
        client.headers["Authorization"] = f"Bearer {admin_token}"
        yield client


@pytest.fixture
async def at_once(
    app: Litestar, client: AsyncTestClient[Litestar], admin_token: str
) -> AsyncIterator[httpx.AsyncClient]:
    """The admin's API for requests that must really be in flight together.

    AsyncTestClient runs each request to its end through a blocking portal, one at a time; this
    client runs them in the test's event loop, so `asyncio.gather` interleaves them (the app is
    started by `client`)."""
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {admin_token}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local", headers=headers) as http:
        yield http


@pytest.fixture
async def anonymous(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """Someone who has not logged in."""
    async with AsyncTestClient(app) as client:
        yield client


@pytest.fixture
def live_server(database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """A real `reemploi serve` on this test's database, for the browser and the probe script."""
    server = LiveServer(database_url, tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
