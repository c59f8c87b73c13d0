"""Intake that cannot double (issue 16, item 3): the same serial scanned twice gives one device, a
serial known elsewhere asks first, and two registrations of one serial at the same moment give one."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.roles import Role
from reemploi.actors import Actor
from reemploi.certificates.models import Certificate
from reemploi.devices import steps
from reemploi.devices.lifecycle import Action
from reemploi.devices.models import Device
from tests.factories import make_collection, make_commune, make_device, make_world
from tests.test_concurrency import _together
from tests.through_api import API, Client, logged_in, make_donor, ok, problem, register
from tests.through_api import make_collection as make_collection_through_api
from tests.through_api import make_site as make_site_through_api

YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


async def _serials(session: AsyncSession, serial: str) -> list[tuple[str, int]]:
    await session.rollback()  # end the test's own read (SQLite keeps a snapshot until then)
    rows = await session.execute(
        select(Device.code, Device.collection_id).where(Device.serial == serial).order_by(Device.id)
    )
    return [(code, collection_id) for code, collection_id in rows]


async def test_the_same_serial_scanned_twice_at_intake_gives_one_device_and_the_page_names_it(
    anonymous: Client, session: AsyncSession
) -> None:
    collection_id = (await make_world(session))[2]
    scan = {
        "serial": "PF1SCAN2X",
        "category": "laptop",
        "_csrf": await logged_in(anonymous, session, "karim", Role.TECHNICIAN),
    }
    url = f"/collections/{collection_id}/intake"

    first = await anonymous.post(url, data=scan, headers={"HX-Request": "true"})
    assert first.status_code == 200
    [(code, _)] = await _serials(session, "PF1SCAN2X")
    assert f"Appareil {code} enregistré" in html.unescape(first.text)

    second = await anonymous.post(url, data=scan, headers={"HX-Request": "true"})
    assert second.status_code == 409
    assert second.headers["content-type"].startswith("text/html")
    said = html.unescape(second.text)
    assert "déjà enregistré dans cette collecte" in said and code in said
    # The question keeps what was scanned, for a deliberate second device.
    assert 'name="confirm_known_serial" value="true"' in second.text
    assert 'name="serial" value="PF1SCAN2X"' in second.text
    assert "Enregistrer quand même" in said
    assert await _serials(session, "PF1SCAN2X") == [(code, collection_id)]

    anyway = await anonymous.post(url, data={**scan, "confirm_known_serial": "true"}, headers={"HX-Request": "true"})
    assert anyway.status_code == 200
    assert len(await _serials(session, "PF1SCAN2X")) == 2


async def test_a_serial_known_in_another_collection_asks_at_intake_and_registers_when_confirmed(
    anonymous: Client, session: AsyncSession
) -> None:
    site, _, collection_id = await make_world(session)
    earlier = await make_device(session, collection_id, serial="PF1BACK01")
    other_donor = await make_commune(session, "Ville de Vénissieux", "69259", seed=2)
    other = (await make_collection(session, site, other_donor)).collection.id
    csrf = await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    scan = {"serial": "pf1back01", "category": "laptop", "_csrf": csrf}

    asked = await anonymous.post(f"/collections/{other}/intake", data=scan)  # no JavaScript: the whole page
    assert asked.status_code == 409
    said = html.unescape(asked.text)
    assert "autre collecte" in said and earlier in said
    assert "<h1>" in asked.text  # the intake page again, around the question
    assert await _serials(session, "PF1BACK01") == [(earlier, collection_id)]

    confirmed = await anonymous.post(f"/collections/{other}/intake", data={**scan, "confirm_known_serial": "true"})
    assert confirmed.status_code == 200
    assert [c for _, c in await _serials(session, "PF1BACK01")] == [collection_id, other]


async def test_two_registrations_of_one_serial_at_the_same_moment_give_one_device(
    at_once: httpx.AsyncClient, session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    await session.commit()
    body = {"collection_id": collection_id, "category": "laptop", "serial": "PF1RACE99"}

    responses = await _together([at_once.post(f"{API}/devices", json=body) for _ in range(6)])

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409, 409, 409], [r.text for r in responses]
    [(code, _)] = await _serials(session, "PF1RACE99")
    for refused in (r for r in responses if r.status_code == 409):
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"] == "/problems/serial-in-collection"
        assert code in refused.json()["detail"]
    total = (await session.execute(select(func.count()).select_from(Device))).scalar_one()
    assert total == 1


# --- A manifest imported twice -------------------------------------------------------------------

COLLECTIONS = f"{API}/collections"
MANIFEST = "Numéro de série;Catégorie;Marque;Modèle\nPF1MAN001;portable;Lenovo;T480\nPF1MAN002;écran;Dell;P2419H\n"


async def _workshop(client: Client) -> tuple[dict[str, Any], int]:
    site = await make_site_through_api(client, "TST")
    donor = await make_donor(client)
    return site, (await make_collection_through_api(client, site["id"], donor["id"]))["id"]


async def _upload(client: Client, collection_id: int, text: str, name: str = "don.csv", **params: Any) -> Response:
    return await client.post(
        f"{COLLECTIONS}/{collection_id}/manifest",
        files={"file": (name, text.encode(), "text/csv")},
        params=params,
    )


async def test_the_same_manifest_imported_twice_is_refused_naming_the_earlier_import(client: Client) -> None:
    site, collection_id = await _workshop(client)
    ok(await _upload(client, collection_id, MANIFEST, "don-mairie.csv"), 201)

    for params in ({}, {"dry_run": "true"}):  # a dry run says it too
        body = problem(await _upload(client, collection_id, MANIFEST, **params), 409, "manifest-already-imported")
        assert "déjà été importé" in body["detail"]
        assert "2 appareil(s)" in body["detail"]  # how many
        assert "par jeton:" in body["detail"] or "par admin" in body["detail"], body["detail"]  # by whom
        assert f"collecte n° {collection_id}" in body["detail"] and "don-mairie.csv" in body["detail"]
        assert re.search(r"le \d{2}/\d{2}/\d{4}", body["detail"]), body["detail"]  # when
    # Into another collection too: the same file is the same devices.
    donor = await make_donor(client, seed=3)
    other = (await make_collection_through_api(client, site["id"], donor["id"]))["id"]
    problem(await _upload(client, other, MANIFEST), 409, "manifest-already-imported")
    assert ok(await client.get(f"{API}/devices"), 200)["total"] == 2


async def test_a_manifest_bringing_serials_an_earlier_import_brought_is_refused_line_by_line(client: Client) -> None:
    _, collection_id = await _workshop(client)
    first = ok(await _upload(client, collection_id, MANIFEST), 201)
    re_exported = "N° de série;Catégorie\nNEW0001;tablette\npf1man002;écran\n"  # another file, one serial again

    body = problem(await _upload(client, collection_id, re_exported), 409, "manifest-already-imported")
    screen = first["devices"][1]["code"]
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(3, "numéro de série")]
    assert "PF1MAN002" in body["errors"][0]["reason"] and screen in body["errors"][0]["reason"]
    assert "2 appareil(s)" in body["detail"] and "rien n'a été enregistré" in body["detail"]
    assert ok(await client.get(f"{API}/devices"), 200)["total"] == 2


async def test_once_an_imports_devices_are_all_cancelled_the_file_can_be_imported_again(client: Client) -> None:
    _, collection_id = await _workshop(client)
    first = ok(await _upload(client, collection_id, MANIFEST), 201)
    for device in first["devices"]:
        ok(await client.post(f"{API}/devices/{device['code']}/cancel-registration", json={"confirm": True}), 200)
    again = ok(await _upload(client, collection_id, MANIFEST), 201)
    assert again["created"] == 2
    assert again["warnings"] == []  # cancelled devices are not "already known"


# --- Cancelling a registration made by mistake ----------------------------------------------------


async def test_a_mistaken_registration_is_cancelled_and_counts_nowhere_but_keeps_its_history(
    client: Client, session: AsyncSession
) -> None:
    _, collection_id = await _workshop(client)
    kept = await register(client, collection_id, serial="PF1KEEP01", weight_kg=2.0)
    mistake = await register(client, collection_id, serial="PF1OOPS01", weight_kg=3.0)

    unconfirmed = await client.post(f"{API}/devices/{mistake['code']}/cancel-registration", json={})
    assert "Cochez la case" in problem(unconfirmed, 422, "invalid-input")["detail"]
    cancelled = ok(
        await client.post(
            f"{API}/devices/{mistake['code']}/cancel-registration", json={"confirm": True, "expected_version": 1}
        ),
        200,
    )
    assert (cancelled["state"], cancelled["version"], cancelled["allowed_actions"]) == ("cancelled", 2, [])

    history = ok(await client.get(f"{API}/devices/{mistake['code']}/history"), 200)
    assert [(e["action"], e["to_state"]) for e in history["events"]] == [
        ("register", "collected"),
        ("cancel_registration", "cancelled"),
    ]
    # Gone from the lists, the counts, the collection's progress …
    listed = ok(await client.get(f"{API}/devices", params={"collection_id": collection_id}), 200)
    assert [d["code"] for d in listed["items"]] == [kept["code"]] and listed["total"] == 1
    progress = ok(await client.get(f"{COLLECTIONS}/{collection_id}"), 200)
    assert (progress["device_count"], progress["devices_by_state"]) == (1, {"collected": 1})
    problem(await client.get(f"{API}/scan", params={"code": "PF1OOPS01"}), 404, "not-found")  # by serial: gone
    assert ok(await client.get(f"{API}/scan", params={"code": mistake["code"]}), 200)["devices"][0]["state"] == (
        "cancelled"
    )  # by its code: found, with its history
    # … the attestation …
    attestation = await client.get(f"{COLLECTIONS}/{collection_id}/attestation")
    assert attestation.status_code == 200
    await session.rollback()
    content = (await session.execute(select(Certificate.content).where(Certificate.kind == "attestation"))).scalar_one()
    assert [d["code"] for d in content["devices"]] == [kept["code"]]
    # … and the donor's report: one laptop of 2 kg given.
    donor_id = progress["donor_id"]
    report = ok(await client.get(f"{API}/reports/partners/{donor_id}", params=YEAR), 200)
    assert (report["given"]["devices"], report["given"]["weighed_kg"]) == (1, 2.0)
    assert report["outcomes"]["by_outcome"] == [{"outcome": "in_progress", "devices": 1}]
    # The serial can be scanned in again without a question: the cancelled device is no longer known.
    again = await register(client, collection_id, serial="PF1OOPS01")
    assert again["warnings"] == []


async def test_after_any_other_event_a_registration_cannot_be_cancelled_only_an_exit_remains(client: Client) -> None:
    _, collection_id = await _workshop(client)
    device = await register(client, collection_id, serial="PF1REAL01")
    ok(await client.post(f"{API}/devices/{device['code']}/transitions", json={"action": "receive"}), 200)

    refused = await client.post(f"{API}/devices/{device['code']}/cancel-registration", json={"confirm": True})
    body = problem(refused, 409, "registration-not-cancellable")
    assert "ne peut plus être annulé" in body["detail"] and "réceptionné" in body["detail"]
    assert "rendre au donateur" in body["detail"] and "déclarer perdu" in body["detail"]
    assert body["current_state"] == "received"
    # The generic step route does not cancel either: cancelling asks its confirmation.
    sneaky = await client.post(
        f"{API}/devices/{(await register(client, collection_id, serial='PF1NEW001'))['code']}/transitions",
        json={"action": "cancel_registration"},
    )
    problem(sneaky, 409, "transition-not-allowed")
    ok(await client.post(f"{API}/devices/{device['code']}/transitions", json={"action": "return_to_donor"}), 200)


async def test_the_card_offers_the_cancellation_with_a_box_to_tick_while_it_is_possible(
    anonymous: Client, session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    mistake = await make_device(session, collection_id, serial="PF1CARD01")
    received = await make_device(session, collection_id, serial="PF1CARD02")
    await steps.take_step(session, received, Action.RECEIVE, Actor("test"))
    csrf = await logged_in(anonymous, session, "karim", Role.TECHNICIAN)

    card = await anonymous.get("/scan/card", params={"code": mistake}, headers={"HX-Request": "true"})
    assert f'action="/devices/{mistake}/cancel-registration"' in card.text
    assert 'name="confirm" value="true" required' in card.text
    later = await anonymous.get("/scan/card", params={"code": received}, headers={"HX-Request": "true"})
    assert "cancel-registration" not in later.text

    url = f"/devices/{mistake}/cancel-registration"
    unticked = await anonymous.post(url, data={"_csrf": csrf, "expected_version": "1"}, headers={"HX-Request": "true"})
    assert unticked.status_code == 422 and unticked.headers["content-type"].startswith("text/html")
    assert "Cochez la case" in html.unescape(unticked.text)
    ticked = await anonymous.post(
        url, data={"_csrf": csrf, "expected_version": "1", "confirm": "true"}, headers={"HX-Request": "true"}
    )
    assert ticked.status_code == 200
    assert "enregistrement annulé" in html.unescape(ticked.text)
    await session.rollback()
    state = (await session.execute(select(Device.state).where(Device.code == mistake))).scalar_one()
    assert state == "cancelled"
    too_late = await anonymous.post(
        f"/devices/{received}/cancel-registration",
        data={"_csrf": csrf, "confirm": "true"},
        headers={"HX-Request": "true"},
    )
    assert too_late.status_code == 409 and "ne peut plus être annulé" in html.unescape(too_late.text)
