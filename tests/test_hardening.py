"""Loopholes a review found, each closed and kept closed: a collectivity reading the workshop's lots and
shelves, a lot half-opened, a device recycled outside any lot, a returned device sold again without new
tests and erasure, a certificate over a disk left unerased, prices and dates out of any sense, digits
that are not ASCII, spreadsheet formulas in donors' texts."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.roles import Role
from reemploi.spreadsheets import cell
from tests.factories import make_beneficiary, make_ready, make_world
from tests.through_api import API, Client, logged_in, make_collection, make_donor, make_site, ok, problem, register


async def _received(client: Client, n: int = 2) -> tuple[dict[str, Any], list[str]]:
    site = await make_site(client)
    donor = await make_donor(client)
    collection = await make_collection(client, site["id"], donor["id"])
    codes = []
    for k in range(n):
        code = (await register(client, collection["id"], serial=f"PF1HARD{k}"))["code"]
        ok(await client.post(f"{API}/devices/{code}/transitions", json={"action": "receive"}), 200)
        codes.append(code)
    return site, codes


async def test_a_collectivity_does_not_read_the_workshops_lots_parts_shelves_or_audits(
    client: Client,
    anonymous: Client,
    session: AsyncSession,
) -> None:
    site, codes = await _received(client)
    ok(
        await client.post(
            f"{API}/recycling-lots", json={"site_id": site["id"], "eco_organism": "ecosystem", "codes": [codes[0]]}
        ),
        201,
    )
    donor = ok(await client.get(f"{API}/partners"), 200)["items"][0]["id"]
    await logged_in(anonymous, session, "mairie", Role.COLLECTIVITY, partner_id=donor)
    for path in ("/recycling-lots", "/recycling-lots/1", "/parts", "/stock/locations", "/stock/audits"):
        problem(await anonymous.get(f"{API}{path}"), 403, "forbidden")
    assert (await anonymous.get("/recycling-lots/1", follow_redirects=False)).status_code == 403


async def test_a_lot_opened_with_a_refused_device_is_not_left_behind_and_recycling_needs_a_lot(client: Client) -> None:
    _site, codes = await _received(client)
    other = await make_site(client, "OTH")
    problem(
        await client.post(
            f"{API}/recycling-lots", json={"site_id": other["id"], "eco_organism": "Ecologic", "codes": [codes[0]]}
        ),
        422,
        "invalid-input",
    )
    assert ok(await client.get(f"{API}/recycling-lots"), 200)["items"] == [], "no empty lot left by the refusal"
    body = problem(
        await client.post(
            f"{API}/devices/{codes[0]}/transitions",
            json={"action": "recycle", "data": {"lot_id": 999, "eco_organism": "Fake"}},
        ),
        409,
        "transition-not-allowed",
    )
    assert "lot de recyclage" in body["detail"]
    assert ok(await client.get(f"{API}/devices/{codes[0]}"), 200)["state"] == "received"


async def test_a_device_back_under_warranty_is_tested_and_erased_again_before_its_next_sale(
    client: Client,
    session: AsyncSession,
) -> None:
    site, _, collection_id = await make_world(session)
    site_id = site.id
    code = await make_ready(session, collection_id, "PF1BACK")
    person = await make_beneficiary(session)
    ok(await client.post(f"{API}/till-sessions", json={"site_id": site_id, "opening_float_cents": 0}), 201)
    sale = ok(
        await client.post(
            f"{API}/sales",
            json={
                "site_id": site_id,
                "beneficiary_id": person,
                "codes": [code],
                "payments": [{"method": "card", "amount_cents": 9500}],
            },
        ),
        201,
    )
    ok(
        await client.post(
            f"{API}/sales/{sale['id']}/returns",
            json={"codes": [code], "outcome": "exchange", "reason": "Wi-Fi en panne"},
        ),
        201,
    )
    for step, data in (("start_diagnosis", {}), ("start_erasure", {}), ("grade", {"grade": "B", "price": "95"})):
        ok(await client.post(f"{API}/devices/{code}/transitions", json={"action": step, "data": data}), 200)
    refused = problem(
        await client.post(f"{API}/devices/{code}/transitions", json={"action": "put_on_sale"}),
        409,
        "not-ready-for-sale",
    )
    missing = " ".join(refused["missing"])
    assert "Test fonctionnel : aucun" in missing and "ni effacé ni détruit" in missing, missing


async def test_no_certificate_over_a_disk_left_unerased(client: Client) -> None:
    _, codes = await _received(client)
    ended = datetime.now(UTC) - timedelta(minutes=5)
    ssd = ok(await client.post(f"{API}/devices/{codes[0]}/media", json={"kind": "ssd", "model": "Crucial MX500"}), 201)
    ok(
        await client.post(
            f"{API}/devices/{codes[0]}/erasures",
            json={
                "medium_id": ssd["id"],
                "level": "purge",
                "technique": "ata_secure_erase",
                "tool": "hdparm",
                "verification": "full",
                "result": "success",
                "started_at": (ended - timedelta(minutes=20)).isoformat(),
                "ended_at": ended.isoformat(),
            },
        ),
        201,
    )
    ok(await client.post(f"{API}/devices/{codes[0]}/media", json={"kind": "hdd", "model": "WDC WD5000"}), 201)
    body = problem(await client.get(f"{API}/devices/{codes[0]}/erasure-certificate"), 422, "invalid-input")
    assert "WDC WD5000" in body["detail"] and "non effacé" in body["detail"]


async def test_prices_dates_and_digits_out_of_any_sense_are_refused_clearly(
    client: Client,
    anonymous: Client,
    session: AsyncSession,
) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_ready(session, collection_id, "PF1ODD")
    await session.execute(text("UPDATE devices SET state = 'graded', version = version WHERE code = :c"), {"c": code})
    await session.commit()
    for price, says in ((2**40, "Prix illisible"), (2**70, "Prix illisible"), (-1, "négatif")):
        body = problem(
            await client.post(
                f"{API}/devices/{code}/transitions", json={"action": "put_on_sale", "data": {"price_cents": price}}
            ),
            422,
            "invalid-input",
        )
        assert says in body["detail"]
    medium = ok(await client.get(f"{API}/devices/{code}/workbench"), 200)["media"][0]["id"]
    body = problem(
        await client.post(
            f"{API}/devices/{code}/erasures",
            json={
                "medium_id": medium,
                "level": "clear",
                "technique": "overwrite",
                "tool": "nwipe",
                "verification": "full",
                "result": "success",
                "started_at": "0001-01-01T00:00:00+01:00",
                "ended_at": "0001-01-01T01:00:00+01:00",
            },
        ),
        422,
        "invalid-input",
    )
    assert "entre 2000 et 2100" in body["detail"]

    csrf = await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    answered = await anonymous.post(
        f"/devices/{code}/tests", data={"_csrf": csrf, "check__power": "pass", "battery_percent": "³"}
    )
    assert answered.status_code == 422 and "nombre entier" in html.unescape(answered.text)
    page = await anonymous.post("/parts", data={"_csrf": csrf, "site_id": "²", "kind": "ram", "description": "x"})
    assert page.status_code == 422 and "nombre entier" in html.unescape(page.text)


def test_a_donors_text_never_runs_as_a_spreadsheet_formula() -> None:
    assert cell('=HYPERLINK("http://x")').startswith("'=")
    assert cell("+33 6 00") == "'+33 6 00" and cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell("Lenovo T480") == "Lenovo T480" and cell(-1.5) == "-1,5"


async def test_a_device_on_sale_is_withdrawn_before_a_new_test_or_disk(client: Client, session: AsyncSession) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_ready(session, collection_id, "PF1ONSALE")
    body = problem(
        await client.post(f"{API}/devices/{code}/media", json={"kind": "hdd", "model": "WDC"}), 409, "device-on-sale"
    )
    assert "retirez-le de la vente" in body["detail"]
    bench = ok(await client.get(f"{API}/devices/{code}/workbench"), 200)
    failed = {check: {"outcome": "fail" if n == 0 else "pass"} for n, check in enumerate(bench["checklist"])}
    problem(await client.post(f"{API}/devices/{code}/tests", json={"results": failed}), 409, "device-on-sale")
    report = Path(__file__).parent / "fixtures" / "hardware" / "hdd-wdc-wd140edfz.smartctl-a.json"
    problem(
        await client.post(f"{API}/devices/{code}/reports", files={"files": (report.name, report.read_bytes())}),
        409,
        "device-on-sale",
    )
    ok(await client.post(f"{API}/devices/{code}/transitions", json={"action": "withdraw_from_sale"}), 200)
    ok(await client.post(f"{API}/devices/{code}/media", json={"kind": "hdd", "model": "WDC"}), 201)


async def test_shelves_lots_and_the_desk_take_the_manufacturers_serial_too(client: Client) -> None:
    site, codes = await _received(client, 2)
    shelf = ok(await client.post(f"{API}/stock/locations", json={"site_id": site["id"], "code": "A-01"}), 201)
    moved = ok(await client.post(f"{API}/stock/locations/{shelf['id']}/devices", json={"codes": ["pf1hard0"]}), 200)
    assert moved["moved"] == [codes[0]]
    audit = ok(await client.post(f"{API}/stock/locations/{shelf['id']}/audits", json={"scanned": ["PF1HARD0"]}), 201)
    assert audit["found"] == [codes[0]] and audit["unknown"] == []
    lot = ok(
        await client.post(
            f"{API}/recycling-lots", json={"site_id": site["id"], "eco_organism": "ecosystem", "codes": ["PF1HARD1"]}
        ),
        201,
    )
    assert lot["device_codes"] == [codes[1]]
