"""The system installed on a device and its licence (issue 17, item 6): recorded once however often it
is sent, a refurbisher's key on one device only (also when two benches send it at the same moment),
the keys used in a period exported for the refurbisher programme, the key shown whole only to the bench."""

from __future__ import annotations

import csv
import html
import io
from collections import Counter

import httpx
from httpx import AsyncClient as Client
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.roles import Role
from reemploi.workshop.models import InstalledSystem
from tests.factories import make_device, make_world
from tests.test_concurrency import _together
from tests.through_api import logged_in

KEY = "BCDFG-HJKMP-QRTVW-XY234-6789B"  # the shape of a product key, in Microsoft's 24 signs


async def _systems(session: AsyncSession) -> int:
    await session.rollback()  # a fresh read: what the requests committed since
    return int((await session.execute(select(func.count()).select_from(InstalledSystem))).scalar_one())


async def test_a_linux_install_and_a_windows_one_with_a_refurbisher_key(client: Client, session: AsyncSession) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="SN-OS-1")
    linux = await client.post(
        f"/api/v1/devices/{code}/systems", json={"family": "linux", "name": "Linux  Mint 22.1 ", "licence": "free"}
    )
    assert linux.status_code == 201, linux.text
    assert (linux.json()["name"], linux.json()["licence_key"]) == ("Linux Mint 22.1", None)

    typed = KEY.replace("-", "").lower()  # typed without dashes, in lower case
    windows = {"family": "windows", "name": "Windows 11 Pro 24H2", "licence": "refurbisher", "licence_key": typed}
    first = await client.post(f"/api/v1/devices/{code}/systems", json=windows)
    assert first.status_code == 201 and first.json()["licence_key"] == KEY
    again = await client.post(f"/api/v1/devices/{code}/systems", json=windows)  # a retry
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    listed = (await client.get(f"/api/v1/devices/{code}/systems")).json()["items"]
    assert [s["name"] for s in listed] == ["Linux Mint 22.1", "Windows 11 Pro 24H2"]
    assert await _systems(session) == 2


async def test_a_refurbisher_key_goes_on_one_device_only(client: Client, session: AsyncSession) -> None:
    _, _, collection_id = await make_world(session)
    first = await make_device(session, collection_id, serial="SN-OS-2")
    second = await make_device(session, collection_id, serial="SN-OS-3")
    body = {"family": "windows", "name": "Windows 11 Famille", "licence": "refurbisher", "licence_key": KEY}
    assert (await client.post(f"/api/v1/devices/{first}/systems", json=body)).status_code == 201
    taken = await client.post(f"/api/v1/devices/{second}/systems", json=body)
    assert taken.status_code == 409 and taken.headers["content-type"].startswith("application/problem+json")
    assert taken.json()["type"] == "/problems/licence-key-already-used"
    assert first in taken.json()["detail"] and taken.json()["device_code"] == first
    assert await _systems(session) == 1


async def test_two_benches_sending_the_same_key_at_once_one_wins(
    at_once: httpx.AsyncClient, session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    codes = [await make_device(session, collection_id, serial=f"SN-RACE-OS-{n}") for n in range(2)]
    await session.commit()
    body = {"family": "windows", "name": "Windows 11 Pro", "licence": "refurbisher", "licence_key": KEY}
    answers = await _together([at_once.post(f"/api/v1/devices/{code}/systems", json=body) for code in codes])
    assert Counter(a.status_code for a in answers) == {201: 1, 409: 1}, [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 409)
    assert refused.json()["type"] == "/problems/licence-key-already-used"
    assert await _systems(session) == 1


async def test_what_cannot_be_recorded_is_refused_saying_what_to_do(client: Client, session: AsyncSession) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="SN-OS-4")
    cases = [
        ({"family": "windows", "name": "Windows 11", "licence": "refurbisher", "licence_key": "ABCDE-12345"}, "cinq groupes"),
        ({"family": "windows", "name": "Windows 11", "licence": "refurbisher", "licence_key": "BCDFG-HJKMP-QRTVW-XY234-6789O"}, "sans voyelles"),
        ({"family": "windows", "name": "Windows 11", "licence": "refurbisher"}, "clé de reconditionneur est demandée"),
        ({"family": "windows", "name": "Windows 11", "licence": "coa", "licence_key": KEY}, "videz le champ"),
        ({"family": "windows", "name": "Windows 11", "licence": "free"}, "impossible pour Windows"),
        ({"family": "linux", "name": "Debian 12", "licence": "coa"}, "impossible pour Linux"),
        ({"family": "linux", "name": "   ", "licence": "free"}, "Indiquez le système"),
    ]  # fmt: skip
    for body, says in cases:
        answer = await client.post(f"/api/v1/devices/{code}/systems", json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert says in answer.json()["detail"], (body, answer.json())
    unknown = await client.post(
        f"/api/v1/devices/{code}/systems", json={"family": "dos", "name": "x", "licence": "free"}
    )
    assert 400 <= unknown.status_code < 500
    assert await _systems(session) == 0


async def test_the_keys_used_in_a_period_for_the_refurbisher_programme(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="SN-OS-5")
    body = {"family": "windows", "name": "Windows 11 Pro", "licence": "refurbisher", "licence_key": KEY}
    assert (await client.post(f"/api/v1/devices/{code}/systems", json=body)).status_code == 201
    other = await make_device(session, collection_id, serial="SN-OS-6")
    linux = {"family": "linux", "name": "Linux Mint 22.1", "licence": "free"}
    assert (await client.post(f"/api/v1/devices/{other}/systems", json=linux)).status_code == 201

    answer = await client.get(
        "/api/v1/workshop/refurbisher-keys.csv", params={"from": "2000-01-01", "to": "2099-12-31"}
    )
    assert answer.status_code == 400 or answer.status_code == 422  # more than ten years at once
    this_year = await client.get("/api/v1/workshop/refurbisher-keys.csv")  # the current year by default
    assert this_year.status_code == 200 and this_year.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(this_year.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Installé le", "Appareil", "N° de série", "Catégorie", "Système", "Clé", "Par"]
    assert [(r[1], r[2], r[4], r[5]) for r in rows[1:]] == [(code, "SN-OS-5", "Windows 11 Pro", KEY)]
    before = await client.get(
        "/api/v1/workshop/refurbisher-keys.csv", params={"from": "2020-01-01", "to": "2020-12-31"}
    )
    assert len(list(csv.reader(io.StringIO(before.content.decode("utf-8-sig")), delimiter=";"))) == 1  # header only
    backwards = await client.get(
        "/api/v1/workshop/refurbisher-keys.csv", params={"from": "2026-12-31", "to": "2026-01-01"}
    )
    assert backwards.status_code == 422

    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    assert (await anonymous.get("/api/v1/workshop/refurbisher-keys.csv")).status_code == 403
    await logged_in(anonymous, session, "nadia", Role.RECEPTION)
    seen = (await anonymous.get(f"/api/v1/devices/{code}/systems")).json()["items"]
    assert seen[0]["licence_key"] == "XXXXX-XXXXX-XXXXX-XXXXX-6789B", "the desk sees the key's last group only"
    card = html.unescape((await anonymous.get("/scan", params={"code": code})).text)
    assert "Windows 11 Pro" in card and KEY not in card and "XXXXX-XXXXX-XXXXX-XXXXX-6789B" in card


async def test_the_card_form_records_the_system_and_keeps_what_was_typed_when_refused(
    anonymous: Client, session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="SN-OS-7")
    csrf = await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    form = {
        "_csrf": csrf,
        "family": "windows",
        "name": "Windows 11 Famille",
        "licence": "refurbisher",
        "licence_key": "QWERT",
    }
    refused = await anonymous.post(f"/devices/{code}/systems", data=form)
    page = html.unescape(refused.text)
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("text/html")
    assert "cinq groupes" in page and 'value="Windows 11 Famille"' in page and 'value="QWERT"' in page
    assert await _systems(session) == 0

    saved = await anonymous.post(f"/devices/{code}/systems", data={**form, "licence_key": KEY})
    page = html.unescape(saved.text)
    assert saved.status_code == 200 and "Système enregistré." in page and KEY in page
    assert await _systems(session) == 1
