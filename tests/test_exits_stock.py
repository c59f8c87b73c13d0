"""Exits (dismantling into parts, recycling lots, return to donor), repairs with the parts stock, stock
locations and audits, and the donor's documents (attestation de prise en charge, REEN proof list).
Through the API, on both engines; all-or-nothing and concurrency checked where they matter."""

from __future__ import annotations

import asyncio
import html
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules
from reemploi.devices import lifecycle
from tests.test_certificates import _pdf_text_and_qr
from tests.through_api import API, Client, make_collection, make_donor, make_site, ok, problem, register


async def _workshop(client: Client, count: int = 3, **device: Any) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    site = await make_site(client)
    donor = await make_donor(client, name="Ville de Bron")
    collection = await make_collection(client, site["id"], donor["id"], collected_on="2026-03-02")
    codes = [
        (
            await register(
                client, collection["id"], serial=f"PF1EXIT{n}", manufacturer="Lenovo", model="ThinkPad T470", **device
            )
        )["code"]
        for n in range(count)
    ]
    return site, collection, codes


async def _step(client: Client, code: str, *actions: str) -> dict[str, Any]:
    moved: dict[str, Any] = {}
    for action in actions:
        moved = ok(await client.post(f"{API}/devices/{code}/transitions", json={"action": action}), 200)
    return moved


async def _history(client: Client, code: str) -> list[dict[str, Any]]:
    return list(ok(await client.get(f"{API}/devices/{code}/history"), 200)["events"])


async def test_dismantling_puts_the_parts_in_stock_and_says_how_many_kilograms_left(client: Client) -> None:
    site, _, codes = await _workshop(client, 2)
    await _step(client, codes[0], "receive", "start_diagnosis")
    out = ok(
        await client.post(
            f"{API}/devices/{codes[0]}/dismantle",
            json={
                "parts": [
                    {"kind": "ram", "description": "DDR4 8 Go SO-DIMM", "quantity": 2},
                    {"kind": "battery", "description": "Batterie 48 Wh 01AV490"},
                ]
            },
        ),
        200,
    )
    assert out["device"]["state"] == "dismantled"
    assert [(p["kind"], p["origin"], p["from_device"], p["quantity"]) for p in out["parts"]] == [
        ("ram", "harvested", codes[0], 2),
        ("battery", "harvested", codes[0], 1),
    ]
    last = (await _history(client, codes[0]))[-1]
    assert last["action"] == "dismantle" and last["data"]["weight_kg"] == 1.65 and last["data"]["weight_estimated"]
    stock = ok(await client.get(f"{API}/parts", params={"site_id": site["id"]}), 200)["items"]
    assert sorted(p["description"] for p in stock) == ["Batterie 48 Wh 01AV490", "DDR4 8 Go SO-DIMM"]

    # A refusal writes nothing: an unknown part kind, or a device that already left.
    problem(
        await client.post(
            f"{API}/devices/{codes[1]}/dismantle", json={"parts": [{"kind": "moteur", "description": "x"}]}
        ),
        422,
        "invalid-input",
    )
    assert ok(await client.get(f"{API}/devices/{codes[1]}"), 200)["state"] == "collected"
    problem(await client.post(f"{API}/devices/{codes[0]}/dismantle", json={}), 409, "transition-not-allowed")
    assert len(ok(await client.get(f"{API}/parts"), 200)["items"]) == 2

    # Returned to the donor: its weight, weighed this time, goes with the event.
    weighed = (await register(client, out["device"]["collection_id"], weight_kg=2.1))["code"]
    await _step(client, weighed, "receive", "return_to_donor")
    last = (await _history(client, weighed))[-1]
    assert (last["to_state"], last["data"]["weight_kg"], last["data"]["weight_estimated"]) == (
        "returned_to_donor",
        2.1,
        False,
    )


async def test_a_repair_takes_its_parts_from_the_stock_and_loops_back_to_the_test(client: Client) -> None:
    site, _, codes = await _workshop(client, 2)
    ram = ok(
        await client.post(
            f"{API}/parts", json={"site_id": site["id"], "kind": "ram", "description": "DDR4 8 Go", "quantity": 3}
        ),
        201,
    )
    repair = {
        "actions": "Barrette défectueuse remplacée",
        "minutes": 25,
        "parts": [{"part_id": ram["id"], "quantity": 2}],
    }
    # Not in repair yet: refused, nothing taken.
    await _step(client, codes[0], "receive", "start_diagnosis")
    body = problem(await client.post(f"{API}/devices/{codes[0]}/repairs", json=repair), 409, "device-not-in-repair")
    assert "en réparation" in body["detail"]
    await _step(client, codes[0], "send_to_repair")
    # More than the stock holds: refused with what is left, nothing written.
    short = {**repair, "parts": [{"part_id": ram["id"], "quantity": 4}]}
    body = problem(await client.post(f"{API}/devices/{codes[0]}/repairs", json=short), 409, "part-out-of-stock")
    assert "il en reste 3, il en faut 4" in body["detail"]
    assert ok(await client.get(f"{API}/devices/{codes[0]}/repairs"), 200)["items"] == []

    done = ok(await client.post(f"{API}/devices/{codes[0]}/repairs", json={**repair, "finished": True}), 201)
    assert (done["minutes"], done["parts"][0]["quantity"]) == (25, 2)
    assert ok(await client.get(f"{API}/devices/{codes[0]}"), 200)["state"] == "diagnosis", "back to the test"
    (left,) = ok(await client.get(f"{API}/parts"), 200)["items"]
    assert left["quantity"] == 1
    await _step(client, codes[0], "send_to_repair")
    for bad, status, slug in (
        ({**repair, "actions": " "}, 422, "invalid-input"),
        ({**repair, "minutes": -1}, 400, "bad-request"),
        ({**repair, "parts": [{"part_id": 999, "quantity": 1}]}, 422, "invalid-input"),
    ):
        problem(await client.post(f"{API}/devices/{codes[0]}/repairs", json=bad), status, slug)
    assert len(ok(await client.get(f"{API}/devices/{codes[0]}/repairs"), 200)["items"]) == 1


async def test_two_repairs_taking_the_last_part_at_once_get_it_once(client: Client, at_once: httpx.AsyncClient) -> None:
    site, _, codes = await _workshop(client, 2)
    battery = ok(
        await client.post(
            f"{API}/parts", json={"site_id": site["id"], "kind": "battery", "description": "45 Wh", "quantity": 1}
        ),
        201,
    )
    for code in codes:
        await _step(client, code, "receive", "start_diagnosis", "send_to_repair")
    answers = await asyncio.gather(
        *(
            at_once.post(
                f"{API}/devices/{code}/repairs",
                json={"actions": "Batterie remplacée", "minutes": 10, "parts": [{"part_id": battery["id"]}]},
            )
            for code in codes
        )
    )
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    (left,) = ok(await client.get(f"{API}/parts", params={"include_used_up": True}), 200)["items"]
    assert left["quantity"] == 0
    recorded = [len(ok(await client.get(f"{API}/devices/{code}/repairs"), 200)["items"]) for code in codes]
    assert sorted(recorded) == [0, 1], "the refused repair left no trace"


async def test_a_recycling_lot_takes_its_devices_all_or_nothing_and_closes_with_slip_and_weight(client: Client) -> None:
    site, _, codes = await _workshop(client, 4)
    for code in codes:
        await _step(client, code, "receive")
    screen = (
        await register(
            client, (ok(await client.get(f"{API}/devices/{codes[0]}"), 200))["collection_id"], category="desktop"
        )
    )["code"]
    await _step(client, screen, "receive")
    await _step(client, codes[3], "start_diagnosis")
    ok(await client.post(f"{API}/devices/{codes[3]}/dismantle", json={}), 200)  # a carcass still goes to recycling

    lot = ok(
        await client.post(
            f"{API}/recycling-lots",
            json={"site_id": site["id"], "eco_organism": "ecosystem", "deee_category": 2, "codes": codes[:2]},
        ),
        201,
    )
    assert (lot["status"], lot["devices"], lot["device_codes"]) == ("open", 2, sorted(codes[:2]))
    assert lot["devices_weight_kg"] == 3.3 and lot["devices_weight_estimated"] is True
    last = (await _history(client, codes[0]))[-1]
    assert (last["to_state"], last["data"]["lot_id"], last["data"]["eco_organism"]) == (
        "recycled",
        lot["id"],
        "ecosystem",
    )

    # All or nothing: a desktop (DEEE 6) in a category-2 lot refuses the whole scan.
    body = problem(
        await client.post(f"{API}/recycling-lots/{lot['id']}/devices", json={"codes": [codes[2], screen]}),
        422,
        "invalid-input",
    )
    assert "catégorie DEEE 6" in body["detail"]
    assert ok(await client.get(f"{API}/devices/{codes[2]}"), 200)["state"] == "received"
    problem(
        await client.post(f"{API}/recycling-lots/{lot['id']}/devices", json={"codes": [codes[2], codes[2]]}),
        422,
        "invalid-input",
    )
    problem(
        await client.post(f"{API}/recycling-lots/{lot['id']}/devices", json={"codes": [codes[0]]}),
        409,
        "transition-not-allowed",
    )
    ok(await client.post(f"{API}/recycling-lots/{lot['id']}/devices", json={"codes": [codes[2], codes[3]]}), 200)

    problem(
        await client.post(
            f"{API}/recycling-lots/{lot['id']}/close",
            json={"slip_number": " ", "weight_kg": 7.2, "shipped_on": "2026-11-20"},
        ),
        422,
        "invalid-input",
    )
    closed = ok(
        await client.post(
            f"{API}/recycling-lots/{lot['id']}/close",
            json={"slip_number": "BSD-2026-0042", "weight_kg": 7.2, "shipped_on": "2026-11-20"},
        ),
        200,
    )
    assert (closed["status"], closed["weight_kg"], closed["devices"]) == ("closed", 7.2, 4)
    problem(await client.post(f"{API}/recycling-lots/{lot['id']}/devices", json={"codes": [screen]}), 409, "lot-closed")

    empty = ok(
        await client.post(f"{API}/recycling-lots", json={"site_id": site["id"], "eco_organism": "Ecologic"}), 201
    )
    problem(
        await client.post(
            f"{API}/recycling-lots/{empty['id']}/close",
            json={"slip_number": "X1", "weight_kg": 1, "shipped_on": "2026-11-20"},
        ),
        422,
        "invalid-input",
    )
    problem(await client.get(f"{API}/recycling-lots/99999"), 404, "not-found")
    listed = ok(await client.get(f"{API}/recycling-lots"), 200)["items"]
    assert [(x["id"], x["devices"]) for x in listed] == [(empty["id"], 0), (lot["id"], 4)]


async def test_putting_away_and_auditing_a_shelf(client: Client) -> None:
    site, _, codes = await _workshop(client, 4)
    shelf = ok(
        await client.post(
            f"{API}/stock/locations", json={"site_id": site["id"], "code": " a-03 ", "label": "Étagère A, niveau 3"}
        ),
        201,
    )
    other = ok(await client.post(f"{API}/stock/locations", json={"site_id": site["id"], "code": "B-01"}), 201)
    assert shelf["code"] == "A-03"
    problem(await client.post(f"{API}/stock/locations", json={"site_id": site["id"], "code": "A-03"}), 409, "duplicate")
    problem(
        await client.post(f"{API}/stock/locations", json={"site_id": site["id"], "code": "A 03"}), 422, "invalid-input"
    )
    for code in codes:
        await _step(client, code, "receive")

    # All or nothing: one device already gone refuses the whole scan.
    await _step(client, codes[3], "declare_lost")
    body = problem(
        await client.post(f"{API}/stock/locations/{shelf['id']}/devices", json={"codes": codes}), 422, "invalid-input"
    )
    assert codes[3] in body["detail"] and "perdu" in body["detail"]
    assert ok(await client.get(f"{API}/devices/{codes[0]}"), 200)["location"] == ""

    moved = ok(await client.post(f"{API}/stock/locations/{shelf['id']}/devices", json={"codes": codes[:3]}), 200)
    assert moved == {"location": "A-03", "moved": codes[:3], "already_there": []}
    ok(await client.post(f"{API}/stock/locations/{other['id']}/devices", json={"codes": [codes[2]]}), 200)
    events = await _history(client, codes[2])
    assert [e["data"].get("to") for e in events if e["action"] == "relocate"] == ["A-03", "B-01"]
    assert lifecycle.replay((e["action"], e["from_state"], e["to_state"]) for e in events).value == "received"
    counts = {loc["code"]: loc["devices"] for loc in ok(await client.get(f"{API}/stock/locations"), 200)["items"]}
    assert counts == {"A-03": 2, "B-01": 1}

    # The audit: codes[0] found, codes[1] missing, codes[2] found here but recorded on B-01, a stray text.
    audit = ok(
        await client.post(
            f"{API}/stock/locations/{shelf['id']}/audits",
            json={"scanned": [codes[0], codes[2], "PAS-UN-CODE", codes[0]]},
        ),
        201,
    )
    assert (audit["expected"], audit["found"], audit["missing"]) == (codes[:2], [codes[0]], [codes[1]])
    assert audit["unexpected"] == [{"code": codes[2], "location": "B-01", "state": "received"}]
    assert audit["unknown"] == ["PAS-UN-CODE"]
    kept = ok(await client.get(f"{API}/stock/audits"), 200)["items"]
    assert [a["id"] for a in kept] == [audit["id"]] and kept[0]["missing"] == [codes[1]]
    problem(await client.post(f"{API}/stock/locations/9999/audits", json={"scanned": []}), 404, "not-found")


async def test_the_attestation_de_prise_en_charge_lists_the_devices_and_the_commitments_and_checks_out(
    client: Client,
    anonymous: Client,
    session: AsyncSession,
) -> None:
    _, collection, codes = await _workshop(client, 3)
    response = await client.get(f"{API}/collections/{collection['id']}/attestation")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf", response.text
    words, (url,) = _pdf_text_and_qr(response.content)
    for expected in (
        "Attestation de prise en charge",
        "Ville de Bron",
        "Atelier TST",
        *codes,
        "PF1EXIT2",
        "ThinkPad T470",
        "2023-266",
        "réemploi",
        "NIST SP 800-88",
        "02/03/2026",
    ):
        assert expected in words, (expected, words)
    for line in rules.attestation_commitments():
        assert " ".join(line.split()[:6]) in words
    code = url.split("code=", 1)[1]
    assert code.startswith("ATT-") and code in words
    again = await client.get(f"{API}/collections/{collection['id']}/attestation")
    assert _pdf_text_and_qr(again.content)[1] == [url], "the same devices: the same attestation"

    checked = ok(await anonymous.get(f"{API}/certificates/{code}"), 200)
    assert checked["kind"] == "attestation" and checked["intact"] is True
    assert [d["serial"] for d in checked["content"]["devices"]] == ["PF1EXIT0", "PF1EXIT1", "PF1EXIT2"]
    page = html.unescape((await anonymous.get("/verifier", params={"code": code})).text)
    assert "authentique" in page and "PF1EXIT1" in page and "Attestation de prise en charge" in page
    problem(
        await anonymous.get(f"{API}/certificates/{code[:-1]}{'A' if code[-1] != 'A' else 'B'}"), 422, "mistyped-code"
    )

    await session.execute(
        text("UPDATE certificates SET content = :c WHERE code = :code"),
        {"c": '{"devices": [], "kind": "attestation"}', "code": code},
    )
    await session.commit()
    assert ok(await anonymous.get(f"{API}/certificates/{code}"), 200)["intact"] is False

    empty = await make_collection(client, collection["site_id"], collection["donor_id"])
    problem(await client.get(f"{API}/collections/{empty['id']}/attestation"), 422, "invalid-input")


async def test_the_proof_list_gives_every_serial_its_outcome_and_date_in_json_and_french_csv(client: Client) -> None:
    site, collection, codes = await _workshop(client, 4, year=2019)
    old = (await register(client, collection["id"], serial="OLD1", year=2012, weight_kg=2.25))["code"]
    await _step(client, codes[0], "receive", "start_diagnosis")
    ok(await client.post(f"{API}/devices/{codes[0]}/dismantle", json={}), 200)
    ok(
        await client.post(
            f"{API}/recycling-lots", json={"site_id": site["id"], "eco_organism": "Ecologic", "codes": [codes[0]]}
        ),
        201,
    )
    await _step(client, codes[1], "receive", "return_to_donor")
    await _step(client, old, "receive")
    outside = await make_collection(client, site["id"], collection["donor_id"], collected_on="2025-12-31")
    await register(client, outside["id"], serial="LASTYEAR")
    mistake = (await register(client, collection["id"], serial="MISTAKE1"))["code"]  # scanned in the wrong collection
    ok(await client.post(f"{API}/devices/{mistake}/cancel-registration", json={"confirm": True}), 200)

    body = ok(
        await client.get(
            f"{API}/partners/{collection['donor_id']}/proof", params={"from": "2026-01-01", "to": "2026-12-31"}
        ),
        200,
    )
    rows = {r["serial"]: r for r in body["devices"]}
    assert set(rows) == {"PF1EXIT0", "PF1EXIT1", "PF1EXIT2", "PF1EXIT3", "OLD1"}, "the period is the collection date"
    assert (rows["PF1EXIT0"]["outcome"], rows["PF1EXIT0"]["recycler"]) == ("recycled", "Ecologic")
    assert rows["PF1EXIT0"]["outcome_on"] is not None
    assert rows["PF1EXIT1"]["outcome"] == "returned_to_donor"
    assert (rows["PF1EXIT2"]["outcome"], rows["PF1EXIT2"]["outcome_on"]) == ("in_progress", None)
    assert (rows["OLD1"]["over_10_years"], rows["OLD1"]["weight_kg"], rows["OLD1"]["weight_estimated"]) == (
        True,
        2.25,
        False,
    )
    assert rows["PF1EXIT2"]["erasure"] == "none" and rows["PF1EXIT2"]["over_10_years"] is False

    csv = await client.get(
        f"{API}/partners/{collection['donor_id']}/proof.csv", params={"from": "2026-01-01", "to": "2026-12-31"}
    )
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.content.startswith("\ufeff".encode())
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:2] == ["Code atelier", "N° de série"] and len(lines) == 6
    old_line = next(line for line in lines if "OLD1" in line)
    assert ";2,25;non" in old_line and ";oui;" in old_line, old_line

    problem(
        await client.get(
            f"{API}/partners/{collection['donor_id']}/proof", params={"from": "2026-12-31", "to": "2026-01-01"}
        ),
        422,
        "invalid-input",
    )
    problem(await client.get(f"{API}/partners/9999/proof"), 404, "not-found")
