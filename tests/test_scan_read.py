"""The scan's driver-level read (reemploi.db.DriverStatement) gives what the ORM gives, on the pooled
engine the server runs with, including when more requests than connections arrive at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts import service as accounts
from reemploi.accounts.models import ApiToken
from reemploi.accounts.roles import Role
from reemploi.app import create_app
from reemploi.db import create_engine
from reemploi.settings import Settings
from tests.factories import make_device, make_world
from tests.through_api import API, Client, make_collection, make_donor, make_site, ok, register


@pytest.fixture
async def pooled_app(database_url: str, tmp_path: Any) -> AsyncIterator[Litestar]:
    """The app on the production engine: a pool of 2 connections, so that requests queue for them."""
    settings = Settings.from_env(
        {
            "REEMPLOI_DATABASE_URL": database_url,
            "REEMPLOI_DATA_DIR": str(tmp_path),
            "REEMPLOI_DB_POOL_SIZE": "2",
            "REEMPLOI_LOG_LEVEL": "warning",
        }
    )
    engine = create_engine(settings)
    try:
        yield create_app(settings, engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def pooled_client(pooled_app: Litestar, admin_token: str) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=pooled_app) as client:
        client.headers["Authorization"] = f"Bearer {admin_token}"
        yield client


async def test_a_scanned_device_reads_exactly_as_its_record(pooled_client: Client) -> None:
    site = await make_site(pooled_client)
    donor = await make_donor(pooled_client)
    collection = (await make_collection(pooled_client, site["id"], donor["id"]))["id"]
    registered = [
        await register(
            pooled_client,
            collection,
            serial="PF1ABCDE",
            asset_tag="MAIRIE-7",
            weight_kg=1.65,
            year=2019,
            manufacturer="Lenovo",
            model="ThinkPad T480",
            specs={"cpu": "i5-8350U", "ram_gb": 8, "disks": [{"kind": "SSD", "gb": 256}], "note": "é ü"},
        ),
        await register(pooled_client, collection, category="screen", asset_tag="MAIRIE-8"),
        await register(pooled_client, collection, category="smartphone", serial="35-209900-176148-1"),
    ]
    moved = await pooled_client.post(f"{API}/devices/{registered[0]['code']}/transitions", json={"action": "receive"})
    ok(moved, 200)
    for device, typed, matched_by in (
        (registered[0], registered[0]["code"], "code"),
        (registered[0], "pf1 abcde", "serial"),
        (registered[1], "mairie-8", "asset_tag"),
        (registered[2], "35-209900-176148-1", "serial"),
    ):
        record = ok(await pooled_client.get(f"{API}/devices/{device['code']}"), 200)
        scanned = ok(await pooled_client.get(f"{API}/scan", params={"code": typed}), 200)
        assert scanned["matched_by"] == matched_by, typed
        assert scanned["devices"] == [record], typed


async def test_more_scans_and_moves_than_connections_all_get_their_answer(
    pooled_app: Litestar, session: AsyncSession, admin_token: str
) -> None:
    """Scans hold one connection from the token check to the answer; moves use a session. Sent all
    at once on a pool of 2, with tokens whose last use must be written: each gets its answer."""
    _, _, collection_id = await make_world(session)
    codes = [await make_device(session, collection_id, serial=f"SN{i:04d}") for i in range(6)]
    secrets = [
        (await accounts.create_token(session, accounts.NewToken(f"banc {n}", Role.TECHNICIAN), by=None))[1]
        for n in range(6)
    ]  # never used yet: their first use is written
    transport = httpx.ASGITransport(app=pooled_app)  # in this loop: the requests really overlap
    async with (
        pooled_app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as at_once,
    ):

        async def scan(n: int, code: str) -> int:
            headers = {"Authorization": f"Bearer {secrets[n % 6]}"}
            return (await at_once.get(f"{API}/scan", params={"code": code}, headers=headers)).status_code

        async def receive(code: str) -> int:
            headers = {"Authorization": f"Bearer {admin_token}"}
            response = await at_once.post(
                f"{API}/devices/{code}/transitions", json={"action": "receive"}, headers=headers
            )
            return response.status_code

        answers = await asyncio.wait_for(
            asyncio.gather(*(scan(n, c) for n, c in enumerate(codes * 5)), *(receive(c) for c in codes)), timeout=25
        )
        assert answers == [200] * 30 + [200] * 6
        for code in codes:
            device = await at_once.get(f"{API}/devices/{code}", headers={"Authorization": f"Bearer {admin_token}"})
            assert ok(device, 200)["state"] == "received"
    used = await session.execute(select(func.count()).select_from(ApiToken).where(ApiToken.last_used_at.is_not(None)))
    assert used.scalar_one() == 7  # the six bench tokens and the admin's: each use written
