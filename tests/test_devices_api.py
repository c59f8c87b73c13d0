"""The device API as the workshop uses it: register at intake, scan at the bench, follow the list,
read the history, and move devices through the lifecycle, on both engines."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from httpx import Response

from reemploi.devices import lifecycle
from reemploi.devices.codes import ALPHABET, make_code, next_numbers
from reemploi.devices.lifecycle import State
from tests.through_api import API, Client, make_collection, make_donor, make_site, prepare_for_sale, register
from tests.through_api import ok as _ok
from tests.through_api import problem as _problem

# --- Building a workshop through the API ----------------------------------------------------------


async def workshop(client: Client, site_code: str = "TST", seed: int = 1) -> tuple[dict[str, Any], int]:
    """A site, a commune that gives, and one collection brought to that site."""
    site = await make_site(client, site_code)
    donor = await make_donor(client, seed=seed)
    collection = await make_collection(client, site["id"], donor["id"])
    return site, collection["id"]


async def move(client: Client, code: str, action: str, **body: Any) -> Response:
    return await client.post(f"{API}/devices/{code}/transitions", json={"action": action, **body})


async def history(client: Client, code: str) -> dict[str, Any]:
    return _ok(await client.get(f"{API}/devices/{code}/history"), 200)


def expected_codes(site_code: str, count: int) -> list[str]:
    """The codes a fresh site hands out, in order (numbers whose check would be '*' are skipped)."""
    return [make_code(site_code, n) for n in next_numbers(site_code, 0, count)]


def allowed(state: str) -> list[str]:
    """The steps a device may take through …/transitions (sales and returns go through the reception)."""
    return [a.value for a in lifecycle.plain_actions(State(state))]


# --- Registering ------------------------------------------------------------------------------------


async def test_a_laptop_registered_at_intake_gets_a_checked_code_and_starts_collected(client: Client) -> None:
    site, collection_id = await workshop(client)
    response = await client.post(
        f"{API}/devices",
        json={
            "collection_id": collection_id,
            "category": "laptop",
            "manufacturer": " Lenovo ",
            "model": "ThinkPad T480",
            "serial": " pf1 abc de ",
            "asset_tag": "inv 00042",
            "year": 2018,
            "weight_kg": 1.65,
            "specs": {"ram_gb": 8, "cpu": "i5-8350U"},
            "location": "Étagère B3",
        },
    )
    device = _ok(response, 201)
    assert re.fullmatch(r"TST-\d{6}-[0-9A-Z]", device["code"])
    assert device["code"] == expected_codes("TST", 1)[0]
    assert device["site_id"] == site["id"]
    assert device["collection_id"] == collection_id
    assert device["state"] == "collected"
    assert device["version"] == 1
    assert device["allowed_actions"] == ["receive", "return_to_donor", "declare_lost"]
    assert device["allowed_actions"] == allowed("collected")
    assert device["serial"] == "PF1ABCDE"
    assert device["asset_tag"] == "INV00042"
    assert device["manufacturer"] == "Lenovo"
    assert device["weight_kg"] == 1.65
    assert device["year"] == 2018
    assert device["specs"] == {"ram_gb": 8, "cpu": "i5-8350U"}
    assert device["location"] == "Étagère B3"
    assert device["grade"] is None and device["price_cents"] is None
    assert device["warnings"] == []

    again = _ok(await client.get(f"{API}/devices/{device['code']}"), 200)
    assert again["serial"] == "PF1ABCDE"
    assert again["weight_kg"] == 1.65
    assert again["state"] == "collected"
    assert again["version"] == 1


async def test_the_weight_in_kilograms_comes_back_exactly_as_typed(client: Client) -> None:
    _, collection_id = await workshop(client)
    for weight_kg in (0.17, 1.65, 5.26, 7.9, 0.001, 120.5):
        device = await register(client, collection_id, weight_kg=weight_kg)
        assert device["weight_kg"] == weight_kg
        assert _ok(await client.get(f"{API}/devices/{device['code']}"), 200)["weight_kg"] == weight_kg


async def test_each_site_numbers_its_devices_in_its_own_sequence(client: Client) -> None:
    tst, tst_collection = await workshop(client, "TST", seed=1)
    oth, oth_collection = await workshop(client, "OTH", seed=2)

    first = await register(client, tst_collection)
    other = await register(client, oth_collection)
    second = await register(client, tst_collection)

    tst_codes = expected_codes("TST", 2)
    assert tst_codes[:2] == [make_code("TST", 1), make_code("TST", 2)]
    assert [first["code"], second["code"]] == tst_codes
    assert first["code"].startswith("TST-000001-") and second["code"].startswith("TST-000002-")
    assert other["code"] == make_code("OTH", 1)
    assert other["code"].startswith("OTH-000001-")
    assert (first["site_id"], other["site_id"]) == (tst["id"], oth["id"])
    by_site = _ok(await client.get(f"{API}/devices", params={"site_id": tst["id"]}), 200)
    assert [d["code"] for d in by_site["items"]] == tst_codes
    assert make_code("TST", 3) == (await register(client, tst_collection))["code"]


async def test_a_placeholder_serial_from_the_bios_is_stored_as_no_serial(client: Client) -> None:
    _, collection_id = await workshop(client)
    for placeholder in ("To Be Filled By O.E.M.", "Default string", "System Serial Number", "N/A", "0123456789", "  "):
        first = await register(client, collection_id, serial=placeholder)
        second = await register(client, collection_id, serial=placeholder)
        assert (first["serial"], second["serial"]) == (None, None), placeholder
        # Two machines without a serial are not "the same serial".
        assert second["warnings"] == [], placeholder
    _problem(await _scan(client, "To Be Filled By O.E.M."), 404, "not-found")


async def test_registering_into_an_unknown_collection_is_refused_naming_the_collection(client: Client) -> None:
    await workshop(client)
    body = _problem(
        await client.post(f"{API}/devices", json={"collection_id": 4242, "category": "laptop"}), 422, "invalid-input"
    )
    assert "collection_id" in body["detail"]
    assert "4242" in body["detail"]
    assert "collecte" in body["detail"]
    assert _ok(await client.get(f"{API}/devices"), 200)["total"] == 0


async def test_an_unknown_category_is_refused_as_a_bad_request(client: Client) -> None:
    _, collection_id = await workshop(client)
    body = _problem(
        await client.post(f"{API}/devices", json={"collection_id": collection_id, "category": "toaster"}),
        400,
        "bad-request",
    )
    assert "category" in body["detail"]
    assert [e["key"] for e in body["errors"]] == ["category"]
    assert _ok(await client.get(f"{API}/devices"), 200)["total"] == 0


async def test_an_unknown_field_is_refused_rather_than_silently_dropped(client: Client) -> None:
    _, collection_id = await workshop(client)
    response = await client.post(
        f"{API}/devices", json={"collection_id": collection_id, "category": "laptop", "colour": "red"}
    )
    body = _problem(response, 400, "bad-request")
    assert "colour" in body["detail"]
    assert _ok(await client.get(f"{API}/devices"), 200)["total"] == 0


async def test_scanning_the_same_serial_twice_in_a_collection_registers_one_device_and_names_it(
    client: Client,
) -> None:
    _, collection_id = await workshop(client)
    first = await register(client, collection_id, serial="PF1ABCDE")
    again = await client.post(
        f"{API}/devices", json={"collection_id": collection_id, "category": "laptop", "serial": "pf1 abcde"}
    )
    body = _problem(again, 409, "serial-in-collection")
    assert first["code"] in body["detail"]
    assert "PF1ABCDE" in body["detail"]
    assert "cette collecte" in body["detail"]
    assert body["errors"] == [
        {"field": "serial", "serial": "PF1ABCDE", "device": first["code"], "collection_id": collection_id}
    ]
    assert _ok(await client.get(f"{API}/devices"), 200)["total"] == 1


async def test_a_second_device_with_the_same_serial_is_registered_when_the_person_confirms(client: Client) -> None:
    _, collection_id = await workshop(client)
    first = await register(client, collection_id, serial="PF1ABCDE")
    second = await register(client, collection_id, serial="PF1ABCDE", confirm_known_serial=True)
    assert second["code"] != first["code"]
    assert second["serial"] == "PF1ABCDE"
    assert len(second["warnings"]) == 1
    assert first["code"] in second["warnings"][0]
    assert "déjà connu" in second["warnings"][0]
    assert _ok(await client.get(f"{API}/devices"), 200)["total"] == 2


async def test_a_serial_known_in_another_collection_asks_before_registering(client: Client) -> None:
    site, collection_id = await workshop(client)
    donor = await make_donor(client, seed=7)
    other = (await make_collection(client, site["id"], donor["id"]))["id"]
    first = await register(client, collection_id, serial="PF1ABCDE")

    body = _problem(
        await client.post(f"{API}/devices", json={"collection_id": other, "category": "laptop", "serial": "PF1ABCDE"}),
        409,
        "serial-known",
    )
    assert first["code"] in body["detail"] and "autre collecte" in body["detail"]
    assert [e["device"] for e in body["errors"]] == [first["code"]]
    assert _ok(await client.get(f"{API}/devices", params={"collection_id": other}), 200)["total"] == 0

    confirmed = await register(client, other, serial="PF1ABCDE", confirm_known_serial=True)
    assert confirmed["collection_id"] == other
    assert first["code"] in confirmed["warnings"][0]


async def test_a_weight_too_small_to_be_real_is_refused_as_a_weight_problem_not_a_conflict(client: Client) -> None:
    _, collection_id = await workshop(client)
    response = await client.post(
        f"{API}/devices", json={"collection_id": collection_id, "category": "smartphone", "weight_kg": 0.0004}
    )
    assert response.status_code in (400, 422), response.text
    assert "poids" in response.json()["detail"].lower() or "weight_kg" in response.json()["detail"]


# --- Scanning at the bench ----------------------------------------------------------------------------


async def _scan(client: Client, text: str) -> Response:
    return await client.get(f"{API}/scan", params={"code": text})


async def test_scanning_the_label_finds_the_device_by_its_code_however_it_is_typed(client: Client) -> None:
    _, collection_id = await workshop(client)
    await register(client, collection_id, serial="OTHER1")
    device = await register(client, collection_id, serial="PF1ABCDE")
    code = device["code"]
    site, number, check = code.split("-")
    for typed in (
        code,
        code.lower(),
        f"{site}{number}{check}",
        f"{site}{number}{check}".lower(),
        f"{site}-{number}{check}",
        f" {code}\n",
        f"{site} {number} {check}",
    ):
        found = _ok(await _scan(client, typed), 200)
        assert found["matched_by"] == "code", typed
        assert [d["code"] for d in found["devices"]] == [code], typed


async def test_scanning_the_manufacturer_serial_finds_the_device(client: Client) -> None:
    _, collection_id = await workshop(client)
    await register(client, collection_id, serial="R90ABCDE")
    device = await register(client, collection_id, serial="PF1ABCDE")
    for typed in ("PF1ABCDE", "pf1abcde", " PF1 ABCDE "):
        found = _ok(await _scan(client, typed), 200)
        assert found["matched_by"] == "serial"
        assert [d["code"] for d in found["devices"]] == [device["code"]]
        assert found["devices"][0]["allowed_actions"] == allowed("collected")


async def test_scanning_the_donor_asset_tag_finds_the_device(client: Client) -> None:
    _, collection_id = await workshop(client)
    await register(client, collection_id, serial="SN0001", asset_tag="MAIRIE-0001")
    device = await register(client, collection_id, serial="SN0002", asset_tag="MAIRIE-0002")
    found = _ok(await _scan(client, "mairie-0002"), 200)
    assert found["matched_by"] == "asset_tag"
    assert [d["code"] for d in found["devices"]] == [device["code"]]


async def test_a_serial_shared_by_two_devices_returns_both_for_the_technician_to_choose(client: Client) -> None:
    _, collection_id = await workshop(client)
    first = await register(client, collection_id, serial="SAMESERIAL")
    await register(client, collection_id, serial="DIFFERENT")
    second = await register(client, collection_id, serial="SAMESERIAL", confirm_known_serial=True)
    found = _ok(await _scan(client, "sameserial"), 200)
    assert found["matched_by"] == "serial"
    assert [d["code"] for d in found["devices"]] == [first["code"], second["code"]]


async def _ten_devices(client: Client) -> list[str]:
    _, collection_id = await workshop(client)
    codes = [(await register(client, collection_id, serial=f"SN{n:04d}"))["code"] for n in range(1, 11)]
    assert codes == expected_codes("TST", 10)
    return codes


def _swap_last_two_digits(code: str) -> str:
    site, number, check = code.split("-")
    assert number[-1] != number[-2]
    return f"{site}-{number[:-2]}{number[-1]}{number[-2]}-{check}"


async def test_a_code_with_a_wrong_check_character_is_refused_never_matched_to_another_device(client: Client) -> None:
    codes = await _ten_devices(client)
    code = codes[0]
    for wrong in (c for c in ALPHABET if c != code[-1]):
        mistyped = code[:-1] + wrong
        body = _problem(await _scan(client, mistyped), 422, "mistyped-code")
        assert "devices" not in body
        assert "mal saisi" in body["detail"]
        assert mistyped in body["detail"]


async def test_two_swapped_digits_are_refused_even_when_the_swapped_number_is_another_device(client: Client) -> None:
    codes = await _ten_devices(client)
    first, tenth = codes[0], codes[9]
    mistyped = _swap_last_two_digits(first)  # TST-000010-<check of 000001>
    assert mistyped.split("-")[:2] == tenth.split("-")[:2]
    for typed in (mistyped, mistyped.replace("-", "").lower()):
        body = _problem(await _scan(client, typed), 422, "mistyped-code")
        assert "devices" not in body
        assert tenth not in body["detail"]
        _problem(await client.get(f"{API}/devices/{typed}"), 422, "mistyped-code")
        _problem(await move(client, typed, "receive"), 422, "mistyped-code")
    # Nothing moved by the refused mistyped code.
    assert _ok(await client.get(f"{API}/devices/{tenth}"), 200)["version"] == 1


async def test_a_check_letter_swapped_into_the_digits_never_finds_a_device(client: Client) -> None:
    codes = await _ten_devices(client)
    code = codes[1]  # TST-000002-<letter>
    site, number, check = code.split("-")
    assert check != number[-1]
    mistyped = f"{site}{number[:-1]}{check}{number[-1]}"
    # Does not even look like a code once the check letter sits among the digits: unknown text.
    response = await _scan(client, mistyped)
    assert response.status_code in (404, 422)
    assert "devices" not in response.json()


async def test_scanning_unknown_text_says_nothing_matched_and_suggests_registering(client: Client) -> None:
    _, collection_id = await workshop(client)
    await register(client, collection_id, serial="PF1ABCDE", asset_tag="INV-1")
    body = _problem(await _scan(client, "NOPE12345"), 404, "not-found")
    assert "NOPE12345" in body["detail"]
    assert "Enregistrez" in body["detail"]


async def test_a_scan_of_nothing_but_blanks_is_refused_as_empty_not_as_an_unknown_device(client: Client) -> None:
    _, collection_id = await workshop(client)
    await register(client, collection_id, serial="PF1ABCDE")
    response = await _scan(client, "   ")
    assert response.status_code in (400, 422), response.text
    assert "Enregistrez" not in response.json()["detail"]


async def test_a_valid_code_of_a_device_that_does_not_exist_is_not_found(client: Client) -> None:
    _, collection_id = await workshop(client)
    await register(client, collection_id)
    unknown = make_code("TST", next_numbers("TST", 500, 1)[0])
    body = _problem(await client.get(f"{API}/devices/{unknown}"), 404, "not-found")
    assert unknown in body["detail"]
    _problem(await client.get(f"{API}/devices/{unknown}/history"), 404, "not-found")
    _problem(await move(client, unknown, "receive"), 404, "not-found")
    scanned = _problem(await _scan(client, unknown), 404, "not-found")
    assert "Enregistrez" in scanned["detail"]


# --- The list -----------------------------------------------------------------------------------------


async def test_the_device_list_filters_by_state_category_collection_and_site(client: Client) -> None:
    tst, tst_collection = await workshop(client, "TST", seed=1)
    oth, oth_collection = await workshop(client, "OTH", seed=2)
    laptop = await register(client, tst_collection, category="laptop")
    screen = await register(client, tst_collection, category="screen")
    phone = await register(client, oth_collection, category="smartphone")
    other_laptop = await register(client, oth_collection, category="laptop")
    _ok(await move(client, screen["code"], "receive"), 200)
    _ok(await move(client, other_laptop["code"], "receive"), 200)

    async def codes(**params: Any) -> tuple[list[str], int]:
        page = _ok(await client.get(f"{API}/devices", params=params), 200)
        return [d["code"] for d in page["items"]], page["total"]

    assert await codes() == ([laptop["code"], screen["code"], phone["code"], other_laptop["code"]], 4)
    assert await codes(state="received") == ([screen["code"], other_laptop["code"]], 2)
    assert await codes(state="collected") == ([laptop["code"], phone["code"]], 2)
    assert await codes(state="sold") == ([], 0)
    assert await codes(category="laptop") == ([laptop["code"], other_laptop["code"]], 2)
    assert await codes(collection_id=oth_collection) == ([phone["code"], other_laptop["code"]], 2)
    assert await codes(site_id=tst["id"]) == ([laptop["code"], screen["code"]], 2)
    assert await codes(site_id=oth["id"], state="received", category="laptop") == ([other_laptop["code"]], 1)
    _problem(await client.get(f"{API}/devices", params={"state": "broken"}), 400, "bad-request")
    _problem(await client.get(f"{API}/devices", params={"category": "toaster"}), 400, "bad-request")


async def test_the_device_list_is_paginated_with_the_total(client: Client) -> None:
    _, collection_id = await workshop(client)
    codes = [(await register(client, collection_id))["code"] for _ in range(5)]

    first = _ok(await client.get(f"{API}/devices", params={"limit": 2}), 200)
    assert ([d["code"] for d in first["items"]], first["total"], first["limit"], first["offset"]) == (
        codes[:2],
        5,
        2,
        0,
    )
    middle = _ok(await client.get(f"{API}/devices", params={"limit": 2, "offset": 2}), 200)
    assert [d["code"] for d in middle["items"]] == codes[2:4]
    last = _ok(await client.get(f"{API}/devices", params={"limit": 2, "offset": 4}), 200)
    assert ([d["code"] for d in last["items"]], last["total"]) == (codes[4:], 5)
    beyond = _ok(await client.get(f"{API}/devices", params={"offset": 50}), 200)
    assert (beyond["items"], beyond["total"]) == ([], 5)
    default = _ok(await client.get(f"{API}/devices"), 200)
    assert (default["limit"], default["offset"]) == (50, 0)
    assert _ok(await client.get(f"{API}/devices", params={"limit": 500}), 200)["limit"] == 500


async def test_a_page_size_out_of_bounds_is_refused(client: Client) -> None:
    for params in ({"limit": 0}, {"limit": 501}, {"limit": -1}, {"offset": -1}, {"limit": "ten"}):
        body = _problem(await client.get(f"{API}/devices", params=params), 400, "bad-request")
        assert next(iter(params)) in body["detail"], params


# --- History and lifecycle ----------------------------------------------------------------------------


async def test_a_device_goes_from_the_donor_to_the_sale_shelf_one_step_at_a_time(client: Client) -> None:
    _, collection_id = await workshop(client)
    code = (await register(client, collection_id, serial="PF1ABCDE"))["code"]
    steps = [
        ("receive", "received"),
        ("start_diagnosis", "diagnosis"),
        ("send_to_repair", "repair"),
        ("finish_repair", "diagnosis"),
        ("start_erasure", "erasure"),
        ("grade", "graded"),
        ("put_on_sale", "ready"),
        ("reserve", "reserved"),
    ]
    await prepare_for_sale(client, code)
    for version, (action, state) in enumerate(steps, start=2):
        data = {"grade": "A", "price_cents": 12000} if action == "grade" else {}
        device = _ok(await move(client, code, action, expected_version=version - 1, data=data), 200)
        assert (device["code"], device["state"], device["version"]) == (code, state, version)
        assert device["allowed_actions"] == allowed(state)
    assert _ok(await client.get(f"{API}/devices", params={"state": "reserved"}), 200)["total"] == 1
    # Selling is not a bare step: it needs a beneficiary, a payment and a receipt (POST /api/v1/sales).
    refused = _problem(await move(client, code, "sell"), 409, "transition-not-allowed")
    assert "à l'accueil" in refused["detail"] and "sell" not in refused["allowed_actions"]
    assert _ok(await client.get(f"{API}/devices/{code}"), 200)["state"] == "reserved"


async def test_the_history_lists_every_event_in_order_with_who_what_and_why(client: Client) -> None:
    _, collection_id = await workshop(client)
    code = (await register(client, collection_id))["code"]
    _ok(await move(client, code, "receive", note="arrivé sur palette 3"), 200)
    _ok(await move(client, code, "start_diagnosis", data={"smart": "PASSED", "ram_gb": 8}), 200)
    _ok(await move(client, code, "send_to_repair", data={"fault": "clavier"}, note="touche Entrée morte"), 200)

    got = await history(client, code)
    assert got["device"]["code"] == code
    assert got["device"]["state"] == "repair"
    assert got["device"]["version"] == 4
    events = [
        (e["version"], e["actor"], e["action"], e["from_state"], e["to_state"], e["data"], e["note"])
        for e in got["events"]
    ]
    assert events == [
        (1, "jeton:tests", "register", None, "collected", {"collection_id": collection_id}, ""),
        (2, "jeton:tests", "receive", "collected", "received", {}, "arrivé sur palette 3"),
        (3, "jeton:tests", "start_diagnosis", "received", "diagnosis", {"smart": "PASSED", "ram_gb": 8}, ""),
        (4, "jeton:tests", "send_to_repair", "diagnosis", "repair", {"fault": "clavier"}, "touche Entrée morte"),
    ]
    times = [e["at"] for e in got["events"]]
    assert times == sorted(times)
    assert got["events"][-1]["at"] == got["device"]["updated_at"]


@pytest.mark.parametrize(
    ("path", "refused_action", "french_state", "french_action"),
    [
        ([], "sell", "collecté", "vendre"),
        (
            ["receive", "start_diagnosis", "start_erasure", "grade", "put_on_sale"],
            "receive",
            "prêt à la vente",
            "réceptionner",
        ),
        (["receive", "start_diagnosis"], "put_on_sale", "en diagnostic", "mettre en vente"),
    ],
)
async def test_a_step_not_allowed_from_the_current_state_is_refused_with_what_is_possible(
    client: Client, path: list[str], refused_action: str, french_state: str, french_action: str
) -> None:
    _, collection_id = await workshop(client)
    code = (await register(client, collection_id))["code"]
    if "grade" in path:
        await prepare_for_sale(client, code)
    for action in path:
        _ok(await move(client, code, action, data={"grade": "C", "price": "60"} if action == "grade" else {}), 200)
    before = _ok(await client.get(f"{API}/devices/{code}"), 200)

    body = _problem(await move(client, code, refused_action), 409, "transition-not-allowed")
    assert body["current_state"] == before["state"]
    assert body["allowed_actions"] == allowed(before["state"])
    assert body["allowed_actions"] == before["allowed_actions"]
    assert body["version"] == before["version"]
    assert f"« {french_state} »" in body["detail"]
    assert f"« {french_action} »" in body["detail"]
    assert code in body["detail"]

    after = await history(client, code)
    assert (after["device"]["state"], after["device"]["version"]) == (before["state"], before["version"])
    assert len(after["events"]) == len(path) + 1


async def test_nothing_leads_out_of_a_lost_device_and_the_refusal_says_so(client: Client) -> None:
    _, collection_id = await workshop(client)
    code = (await register(client, collection_id))["code"]
    lost = _ok(await move(client, code, "declare_lost"), 200)
    assert (lost["state"], lost["allowed_actions"]) == ("lost", [])
    body = _problem(await move(client, code, "receive"), 409, "transition-not-allowed")
    assert body["allowed_actions"] == []
    assert body["current_state"] == "lost"
    assert "« perdu »" in body["detail"]
    assert "aucune étape" in body["detail"]


async def test_an_unknown_action_is_refused_as_a_bad_request(client: Client) -> None:
    _, collection_id = await workshop(client)
    code = (await register(client, collection_id))["code"]
    _problem(await move(client, code, "teleport"), 400, "bad-request")
    assert len((await history(client, code))["events"]) == 1


async def test_a_step_based_on_a_stale_version_is_refused_and_nothing_is_written(client: Client) -> None:
    _, collection_id = await workshop(client)
    code = (await register(client, collection_id))["code"]
    _ok(await move(client, code, "receive", expected_version=1), 200)
    before = await history(client, code)

    # A second technician still looking at version 1 tries to move the device too.
    body = _problem(await move(client, code, "declare_lost", expected_version=1, note="?"), 409, "edit-conflict")
    assert body["current_state"] == "received"
    assert body["version"] == 2
    assert "« réceptionné »" in body["detail"]

    after = await history(client, code)
    assert after["events"] == before["events"]
    assert (after["device"]["state"], after["device"]["version"]) == ("received", 2)
    # The right version still works.
    assert _ok(await move(client, code, "declare_lost", expected_version=2), 200)["version"] == 3


@pytest.mark.parametrize("seed", [1, 7, 2026])
async def test_replaying_the_history_of_a_random_walk_gives_back_the_current_state(client: Client, seed: int) -> None:
    rng = random.Random(seed)
    _, collection_id = await workshop(client)
    codes = [(await register(client, collection_id, serial=f"WALK{seed}-0"))["code"]]
    device = _ok(await client.get(f"{API}/devices/{codes[-1]}"), 200)
    steps = refusals = 0
    while steps < 25:
        if not device["allowed_actions"]:  # final state: the walk goes on with the next device
            codes.append((await register(client, collection_id, serial=f"WALK{seed}-{len(codes)}"))["code"])
            device = _ok(await client.get(f"{API}/devices/{codes[-1]}"), 200)
            continue
        if rng.random() < 0.2:  # now and then, someone tries a step that is not allowed
            refused = rng.choice([a.value for a in lifecycle.Action if a.value not in device["allowed_actions"]])
            before_events = len((await history(client, device["code"]))["events"])
            _problem(await move(client, device["code"], refused), 409, "transition-not-allowed")
            unchanged = await history(client, device["code"])
            assert (unchanged["device"]["state"], unchanged["device"]["version"]) == (
                device["state"],
                device["version"],
            )
            assert len(unchanged["events"]) == before_events
            refusals += 1
            continue
        # Grading and putting on sale need the bench's records (tests/test_sale_gate.py): not walked at random.
        action = rng.choice([a for a in device["allowed_actions"] if a not in ("grade", "put_on_sale")])
        moved = _ok(await move(client, device["code"], action, expected_version=device["version"]), 200)
        assert moved["version"] == device["version"] + 1
        assert moved["state"] == lifecycle.next_state(State(device["state"]), lifecycle.Action(action)).value
        device = moved
        steps += 1

    assert refusals > 0
    for code in codes:
        got = await history(client, code)
        events = got["events"]
        assert [e["version"] for e in events] == list(range(1, got["device"]["version"] + 1))
        replayed = lifecycle.replay((e["action"], e["from_state"], e["to_state"]) for e in events)
        assert replayed.value == got["device"]["state"]
        assert got["device"]["allowed_actions"] == allowed(got["device"]["state"])
