"""Nothing lost, nothing doubled: several people acting on the same device or site at the same
moment, with real concurrency against the real databases (one connection each)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Coroutine
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reemploi.actors import Actor
from reemploi.devices import service as devices
from reemploi.devices.codes import next_numbers
from reemploi.devices.lifecycle import Action
from reemploi.devices.models import Device, DeviceEvent
from reemploi.sites.models import Site
from tests.factories import make_device, make_world


async def _events(session: AsyncSession, code: str) -> list[DeviceEvent]:
    session.expire_all()
    device = (await session.execute(select(Device).where(Device.code == code))).scalar_one()
    return list(
        (
            await session.execute(
                select(DeviceEvent).where(DeviceEvent.device_id == device.id).order_by(DeviceEvent.version)
            )
        ).scalars()
    )


async def _together(requests: list[Coroutine[Any, Any, httpx.Response]]) -> list[httpx.Response]:
    """Send the requests at once; fail if they did not really overlap (a client that serialises)."""
    spans: list[tuple[float, float]] = []

    async def timed(request: Coroutine[Any, Any, httpx.Response]) -> httpx.Response:
        started = time.monotonic()
        try:
            return await request
        finally:
            spans.append((started, time.monotonic()))

    responses = await asyncio.gather(*(timed(r) for r in requests))
    first_end = min(end for _, end in spans)
    in_flight_together = sum(start < first_end for start, _ in spans)
    assert in_flight_together == len(requests), f"only {in_flight_together} requests were in flight together"
    return list(responses)


async def test_twenty_people_receive_the_same_device_at_once_exactly_one_wins(
    at_once: httpx.AsyncClient, session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="PF1RACE01")
    await session.commit()

    responses = await _together(
        [at_once.post(f"/api/v1/devices/{code}/transitions", json={"action": "receive"}) for _ in range(20)]
    )

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: 19}, statuses
    for refused in (r for r in responses if r.status_code == 409):
        assert refused.headers["content-type"].startswith("application/problem+json")
        body = refused.json()
        # Refused because it is now received, or because it changed under them: either way they are told.
        assert body["type"] in ("/problems/transition-not-allowed", "/problems/edit-conflict"), body
        assert body["current_state"] == "received"
        assert "réceptionné" in body["detail"]
    events = await _events(session, code)
    assert [(e.version, e.action) for e in events] == [(1, "register"), (2, "receive")]


async def test_concurrent_final_exits_of_one_device_only_one_happens(
    sessions: async_sessionmaker[AsyncSession], session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="PF1RACE02")
    await devices.transition(session, code, Action.RECEIVE, Actor("test"))

    async def act(action: Action) -> str:
        async with sessions() as own:
            try:
                device = await devices.transition(own, code, action, Actor("test"))
            except Exception as exc:  # noqa: BLE001 - the loser's error is what we check
                return type(exc).__name__
            return device.state

    outcomes = await asyncio.gather(*(act(a) for a in [Action.RETURN_TO_DONOR, Action.DECLARE_LOST] * 8))

    winners = [o for o in outcomes if o in {"returned_to_donor", "lost"}]
    assert len(winners) == 1, outcomes
    # Losers get a refusal (the state changed) or a conflict (it changed under them), never a crash.
    assert set(outcomes) - set(winners) <= {"TransitionRefused", "Conflict"}
    events = await _events(session, code)
    assert [e.version for e in events] == [1, 2, 3]
    assert events[-1].to_state == winners[0]


async def test_concurrent_registrations_get_distinct_sequential_codes(
    at_once: httpx.AsyncClient, session: AsyncSession
) -> None:
    site, _, collection_id = await make_world(session)
    site_id, site_code = site.id, site.code
    await session.commit()

    responses = await _together(
        [
            at_once.post(
                "/api/v1/devices", json={"collection_id": collection_id, "category": "laptop", "serial": f"SN{n:04d}"}
            )
            for n in range(20)
        ]
    )

    assert [r.status_code for r in responses] == [201] * 20
    codes = {r.json()["code"] for r in responses}
    expected_numbers = next_numbers(site_code, 0, 20)
    assert sorted(int(c.split("-")[1]) for c in codes) == expected_numbers
    session.expire_all()
    assert (
        await session.execute(select(Site.last_device_number).where(Site.id == site_id))
    ).scalar_one() == expected_numbers[-1]
    assert (await session.execute(select(func.count()).select_from(DeviceEvent))).scalar_one() == 20


async def test_a_stale_version_is_refused_and_changes_nothing(
    client: AsyncTestClient[Litestar], session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="PF1RACE03")
    await session.commit()
    first = await client.post(f"/api/v1/devices/{code}/transitions", json={"action": "receive", "expected_version": 1})
    assert first.status_code == 200 and first.json()["version"] == 2

    stale = await client.post(
        f"/api/v1/devices/{code}/transitions", json={"action": "start_diagnosis", "expected_version": 1}
    )

    assert stale.status_code == 409
    assert stale.json()["version"] == 2 and stale.json()["current_state"] == "received"
    assert [e.version for e in await _events(session, code)] == [1, 2]
