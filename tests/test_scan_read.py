"""The scan's driver-level read (reemploi.db.DriverSelect) gives what the ORM gives, on the pooled
engine the server runs with, including when more requests than connections arrive at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from reemploi.app import create_app
from reemploi.db import create_engine
from reemploi.settings import Settings
from tests.through_api import API, Client, make_collection, make_donor, make_site, ok, register


@pytest.fixture
async def pooled_client(database_url: str, tmp_path: Any, admin_token: str) -> AsyncIterator[Client]:
    """The app on the production engine: a pool of 2 connections, so that requests queue for them."""
    settings = Settings.from_env({
        "REEMPLOI_DATABASE_URL": database_url, "REEMPLOI_DATA_DIR": str(tmp_path), "REEMPLOI_DB_POOL_SIZE": "2",
    })
    engine = create_engine(settings)
    try:
        async with AsyncTestClient(app=create_app(settings, engine)) as client:
            client.headers["Authorization"] = f"Bearer {admin_token}"
            yield client
    finally:
        await engine.dispose()


async def test_a_scanned_device_reads_exactly_as_its_record(pooled_client: Client) -> None:
    site = await make_site(pooled_client)
    donor = await make_donor(pooled_client)
    collection = (await make_collection(pooled_client, site["id"], donor["id"]))["id"]
    registered = [
        await register(pooled_client, collection, serial="PF1ABCDE", asset_tag="MAIRIE-7", weight_kg=1.65, year=2019,
                       manufacturer="Lenovo", model="ThinkPad T480",
                       specs={"cpu": "i5-8350U", "ram_gb": 8, "disks": [{"kind": "SSD", "gb": 256}], "note": "é ü"}),
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


async def test_more_scans_and_moves_than_connections_all_get_their_answer(pooled_client: Client) -> None:
    site = await make_site(pooled_client)
    donor = await make_donor(pooled_client)
    collection = (await make_collection(pooled_client, site["id"], donor["id"]))["id"]
    codes = [(await register(pooled_client, collection, serial=f"SN{i:04d}"))["code"] for i in range(6)]

    async def scan(code: str) -> int:
        return (await pooled_client.get(f"{API}/scan", params={"code": code})).status_code

    async def receive(code: str) -> int:
        return (await pooled_client.post(f"{API}/devices/{code}/transitions", json={"action": "receive"})).status_code

    answers = await asyncio.gather(*(scan(c) for c in codes * 5), *(receive(c) for c in codes))
    assert answers == [200] * 30 + [200] * 6
    states = {ok(await pooled_client.get(f"{API}/devices/{c}"), 200)["state"] for c in codes}
    assert states == {"received"}
