"""The gate to "ready for sale" (Code de la consommation R.122-4): every function tested, every
storage medium erased or destroyed and replaced, a grade, a price within the legal cap, a device under
ten years old. The rules alone first, then through the API, one missing condition at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from reemploi import rules
from reemploi.workshop import gate
from reemploi.workshop.gate import Medium, SaleFacts
from tests.through_api import API, Client, make_collection, make_donor, make_site, ok, problem, register

ERASED_SSD = Medium("SSD Samsung", "ssd", erased=True)
COMPLETE = SaleFacts(
    "laptop", test_passed=True, media=[ERASED_SSD], grade="A", price_cents=12000, price_cap_cents=18000, age_years=6
)


def _replace(facts: SaleFacts, **change: Any) -> SaleFacts:
    values = {name: getattr(facts, name) for name in SaleFacts.__slots__}  # type: ignore[attr-defined]
    return SaleFacts(**{**values, **change})


def test_a_complete_device_lacks_nothing() -> None:
    assert gate.missing_for_sale(COMPLETE) == []


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"test_passed": None}, "aucun enregistré"),
        ({"test_passed": False}, "a échoué"),
        ({"media": [Medium("SSD Samsung (n° S1)", "ssd")]}, "SSD Samsung (n° S1) n'est ni effacé ni détruit"),
        ({"media": []}, "aucun support"),
        ({"media": [Medium("HDD", "hdd", destroyed=True)]}, "disque de remplacement"),
        ({"grade": None}, "Grade"),
        ({"price_cents": None}, "Prix : aucun"),
        ({"price_cents": 18001}, "180,00 €"),
        ({"age_years": 11}, "11 ans"),
    ],
)
def test_each_condition_alone_keeps_it_from_sale_and_says_so(change: dict[str, Any], says: str) -> None:
    missing = gate.missing_for_sale(_replace(COMPLETE, **change))
    assert len(missing) == 1 and says in missing[0], missing


def test_what_counts_as_done_for_storage_and_age() -> None:
    destroyed_and_replaced = [Medium("HDD", "hdd", destroyed=True), Medium("SSD neuf", "ssd", replacement=True)]
    assert gate.missing_for_sale(_replace(COMPLETE, media=destroyed_and_replaced)) == []
    assert (
        gate.missing_for_sale(_replace(COMPLETE, category="screen", media=[], price_cents=2500, price_cap_cents=3000))
        == []
    ), "a screen has no storage to erase"
    assert gate.missing_for_sale(_replace(COMPLETE, age_years=rules.max_reuse_age_years())) == []
    assert gate.missing_for_sale(_replace(COMPLETE, price_cap_cents=None, price_cents=25000)) == [], (
        "no cap for a company's donation"
    )
    everything = gate.missing_for_sale(SaleFacts("laptop", test_passed=None))
    assert len(everything) == 4  # test, storage, grade, price: all listed at once


def test_overwriting_flash_is_recorded_with_a_warning_not_taken_for_a_purge() -> None:
    assert gate.erasure_warning("hdd", "overwrite") is None
    for kind in ("ssd", "nvme", "emmc"):
        warning = gate.erasure_warning(kind, "overwrite")
        assert warning and "NIST SP 800-88" in warning
    assert gate.erasure_warning("ssd", "ata_secure_erase") is None


def test_the_price_caps_come_from_the_data_file_with_their_source() -> None:
    cap = rules.price_cap("laptop")
    assert cap is not None and cap.cents == 18000 and "2022-1413" in cap.source
    assert rules.price_cap("peripheral") is None
    refusal = gate.price_refusal("smartphone", 10001, donated_by_public_body=True)
    assert refusal and "100,00 €" in refusal and "2022-1413" in refusal
    assert gate.price_refusal("smartphone", 10001, donated_by_public_body=False) is None


# --- Through the API ----------------------------------------------------------------------------------


async def _graded_laptop(client: Client, donor_kind: str = "collectivity", **device: Any) -> str:
    site = await make_site(client)
    if donor_kind == "collectivity":
        donor = await make_donor(client)
    else:
        donor = ok(await client.post(f"{API}/partners", json={"kind": "association", "name": "Asso Relais"}))
    collection = await make_collection(client, site["id"], donor["id"])
    code = (await register(client, collection["id"], serial="PF1GATE", **device))["code"]
    for action in ("receive", "start_diagnosis", "start_erasure"):
        ok(await client.post(f"{API}/devices/{code}/transitions", json={"action": action}), 200)
    ok(await client.post(f"{API}/devices/{code}/transitions", json={"action": "grade", "data": {"grade": "B"}}), 200)
    return str(code)


async def _put_on_sale(client: Client, code: str, **data: Any) -> Any:
    return await client.post(f"{API}/devices/{code}/transitions", json={"action": "put_on_sale", "data": data})


def _checks(bench: dict[str, Any], outcome: str = "pass", *, explained: bool = True, **special: str) -> dict[str, Any]:
    """Every check answered `outcome` (or as `special` says); a failed one says what fails, unless not `explained`."""
    answers = {check: {"outcome": special.get(check, outcome)} for check in bench["checklist"]}
    for answer in answers.values():
        if answer["outcome"] == "fail" and explained:
            answer["note"] = "ne s'allume pas"
    return answers


def _erasure(medium_id: int, **change: Any) -> dict[str, Any]:
    ended = datetime.now(UTC) - timedelta(minutes=3)
    return {
        "medium_id": medium_id,
        "level": "purge",
        "technique": "nvme_sanitize",
        "tool": "nvme-cli",
        "tool_version": "2.4",
        "verification": "full",
        "result": "success",
        "started_at": (ended - timedelta(minutes=20)).isoformat(),
        "ended_at": ended.isoformat(),
        **change,
    }


async def test_a_device_reaches_ready_for_sale_only_once_every_condition_holds(client: Client) -> None:
    code = await _graded_laptop(client)
    before = ok(await client.get(f"{API}/devices/{code}"), 200)

    refused = problem(await _put_on_sale(client, code), 409, "not-ready-for-sale")
    assert [m.split(" :")[0] for m in refused["missing"]] == ["Test fonctionnel", "Stockage", "Prix"]
    assert code in refused["detail"]
    assert ok(await client.get(f"{API}/devices/{code}"), 200)["version"] == before["version"], "nothing changed"

    bench = ok(await client.get(f"{API}/devices/{code}/workbench"), 200)
    assert bench["missing_for_sale"] == refused["missing"]
    silent = {"results": _checks(bench, webcam="fail", explained=False)}
    unexplained = problem(
        await client.post(f"{API}/devices/{code}/tests", json=silent), 422, "failed-check-without-note"
    )
    assert "Dites ce qui ne va pas" in unexplained["detail"] and "webcam" in unexplained["detail"].lower()
    failed = ok(await client.post(f"{API}/devices/{code}/tests", json={"results": _checks(bench, webcam="fail")}), 201)
    assert failed["passed"] is False
    still = problem(await _put_on_sale(client, code, price="120"), 409, "not-ready-for-sale")
    assert any("a échoué" in m for m in still["missing"])

    weak = ok(
        await client.post(f"{API}/devices/{code}/tests", json={"results": _checks(bench), "battery_percent": 41}), 201
    )
    assert weak["passed"] is False and weak["results"]["battery"]["outcome"] == "fail"
    ok(await client.post(f"{API}/devices/{code}/tests", json={"results": _checks(bench), "battery_percent": 83}), 201)

    medium = ok(
        await client.post(
            f"{API}/devices/{code}/media", json={"kind": "nvme", "model": "SAMSUNG MZVLB256", "serial": "S4 1234"}
        ),
        201,
    )
    not_erased = problem(await _put_on_sale(client, code, price="120"), 409, "not-ready-for-sale")
    assert not_erased["missing"] == ["Effacement : SSD NVMe SAMSUNG MZVLB256 (n° S41234) n'est ni effacé ni détruit."]
    failure = ok(
        await client.post(f"{API}/devices/{code}/erasures", json=_erasure(medium["id"], result="failure")), 201
    )
    assert failure["result"] == "failure"
    problem(await _put_on_sale(client, code, price="120"), 409, "not-ready-for-sale")
    ok(await client.post(f"{API}/devices/{code}/erasures", json=_erasure(medium["id"])), 201)

    above = problem(await _put_on_sale(client, code, price="180,01"), 409, "not-ready-for-sale")
    assert above["missing"] == [gate.price_refusal("laptop", 18001, True)]
    sold = ok(await _put_on_sale(client, code, price="179,99"), 200)
    assert (sold["state"], sold["price_cents"], sold["grade"]) == ("ready", 17999, "B")


async def test_a_destroyed_disk_counts_once_replaced_and_overwriting_an_ssd_warns(client: Client) -> None:
    code = await _graded_laptop(client, donor_kind="association")
    bench = ok(await client.get(f"{API}/devices/{code}/workbench"), 200)
    ok(await client.post(f"{API}/devices/{code}/tests", json={"results": _checks(bench)}), 201)
    disk = ok(await client.post(f"{API}/devices/{code}/media", json={"kind": "hdd", "model": "HGST HTS725050"}), 201)
    ok(
        await client.post(
            f"{API}/devices/{code}/erasures",
            json=_erasure(
                disk["id"], level="destroy", technique="physical_destruction", tool="broyeur", verification="full"
            ),
        ),
        201,
    )
    missing = problem(await _put_on_sale(client, code, price="250"), 409, "not-ready-for-sale")["missing"]
    assert len(missing) == 1 and "remplacement" in missing[0]
    new = ok(
        await client.post(
            f"{API}/devices/{code}/media", json={"kind": "ssd", "model": "Crucial MX500", "replacement": True}
        ),
        201,
    )
    assert new["origin"] == "replacement"
    warned = ok(
        await client.post(
            f"{API}/devices/{code}/erasures",
            json=_erasure(
                new["id"], level="clear", technique="overwrite", tool="nwipe", passes=1, verification="sampled"
            ),
        ),
        201,
    )
    assert "NIST SP 800-88" in warned["warning"]
    ready = ok(await _put_on_sale(client, code, price="250"), 200)
    assert ready["price_cents"] == 25000, "an association's gift has no legal cap"


async def test_grading_needs_a_grade_and_takes_the_site_grid_price_within_the_cap(client: Client) -> None:
    site = await make_site(client)
    donor = await make_donor(client)
    collection = await make_collection(client, site["id"], donor["id"])
    code = (await register(client, collection["id"], category="smartphone"))["code"]
    for action in ("receive", "start_diagnosis", "start_erasure"):
        ok(await client.post(f"{API}/devices/{code}/transitions", json={"action": action}), 200)
    problem(await client.post(f"{API}/devices/{code}/transitions", json={"action": "grade"}), 422, "invalid-input")
    over = problem(
        await client.put(
            f"{API}/sites/{site['id']}/prices",
            json={"prices": [{"category": "smartphone", "grade": "A", "price_cents": 12000}]},
        ),
        422,
        "invalid-input",
    )
    assert "100,00 €" in over["detail"] and "2022-1413" in over["detail"]
    grid = ok(
        await client.put(
            f"{API}/sites/{site['id']}/prices",
            json={
                "prices": [
                    {"category": "smartphone", "grade": "A", "price_cents": 9000},
                    {"category": "smartphone", "grade": "B", "price_cents": 7000},
                ]
            },
        ),
        200,
    )
    assert grid[0]["legal_cap_cents"] == 10000
    graded = ok(
        await client.post(
            f"{API}/devices/{code}/transitions",
            json={"action": "grade", "data": {"grade": "b", "cosmetic_notes": "rayure dos"}},
        ),
        200,
    )
    assert (graded["grade"], graded["price_cents"]) == ("B", 7000)


async def test_bad_workshop_records_are_refused_with_what_to_fix_and_write_nothing(client: Client) -> None:
    code = await _graded_laptop(client)
    bench = ok(await client.get(f"{API}/devices/{code}/workbench"), 200)
    unknown = problem(
        await client.post(
            f"{API}/devices/{code}/tests", json={"results": {**_checks(bench), "teleportation": {"outcome": "pass"}}}
        ),
        422,
        "invalid-input",
    )
    assert "teleportation" in unknown["detail"]
    partial = dict(list(_checks(bench).items())[:3])
    assert (
        "sans réponse"
        in problem(await client.post(f"{API}/devices/{code}/tests", json={"results": partial}), 422, "invalid-input")[
            "detail"
        ]
    )
    assert (
        "pass, fail, na"
        in problem(
            await client.post(f"{API}/devices/{code}/tests", json={"results": _checks(bench, outcome="ok")}),
            422,
            "invalid-input",
        )["detail"]
    )
    medium = ok(await client.post(f"{API}/devices/{code}/media", json={"kind": "ssd"}), 201)
    problem(await client.post(f"{API}/devices/{code}/media", json={"kind": "floppy"}), 422, "invalid-input")
    naive = _erasure(medium["id"], started_at="2026-11-20T10:00:00", ended_at="2026-11-20T11:00:00")
    assert (
        "fuseau"
        in problem(await client.post(f"{API}/devices/{code}/erasures", json=naive), 422, "invalid-input")["detail"]
    )
    backwards = _erasure(medium["id"], started_at="2026-11-20T12:00:00+01:00", ended_at="2026-11-20T11:00:00+01:00")
    problem(await client.post(f"{API}/devices/{code}/erasures", json=backwards), 422, "invalid-input")
    problem(
        await client.post(f"{API}/devices/{code}/erasures", json=_erasure(medium["id"], level="destroy")),
        422,
        "invalid-input",
    )
    problem(await client.post(f"{API}/devices/{code}/erasures", json=_erasure(999_999)), 404, "not-found")
    after = ok(await client.get(f"{API}/devices/{code}/workbench"), 200)
    assert after["tests"] == [] and after["erasures"] == []


# --- From the bench: the device card's forms ----------------------------------------------------------


async def test_a_technician_takes_a_device_to_sale_from_the_card(anonymous: Client, session: Any) -> None:
    import html

    from reemploi.accounts.roles import Role
    from reemploi.actors import Actor
    from reemploi.devices import service as devices
    from reemploi.devices.lifecycle import Action
    from tests.factories import make_device, make_world
    from tests.through_api import logged_in

    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="PF1BENCH")
    for action in (Action.RECEIVE, Action.START_DIAGNOSIS, Action.START_ERASURE):
        await devices.transition(session, code, action, Actor("test"))
    csrf = await logged_in(anonymous, session, "karim", Role.TECHNICIAN)

    def said(response: Any, status: int = 200) -> str:
        assert response.status_code == status, response.text
        return html.unescape(response.text)

    card = said(await anonymous.get("/scan", params={"code": code}))
    assert "Pour la mise en vente, il manque" in card and "aucun enregistré" in card
    checks = rules.checklist("laptop")
    form = {
        "_csrf": csrf,
        **{f"check__{c}": "pass" for c in checks},
        "check__webcam": "fail",
        "note__webcam": "image noire",
        "battery_percent": "80",
    }
    failed = said(await anonymous.post(f"/devices/{code}/tests", data=form))
    assert "Test enregistré : échoué" in failed and "le dernier a échoué" in failed
    passed = said(await anonymous.post(f"/devices/{code}/tests", data={**form, "check__webcam": "pass"}))
    assert "Test enregistré : réussi" in passed
    missing_check = said(
        await anonymous.post(f"/devices/{code}/tests", data={"_csrf": csrf, "check__power": "pass"}), 422
    )
    assert "sans réponse" in missing_check

    added = said(
        await anonymous.post(
            f"/devices/{code}/media",
            data={"_csrf": csrf, "kind": "ssd", "model": "Crucial MX500", "serial": "2021E2A1"},
        )
    )
    assert "Support ajouté" in added and "SSD Crucial MX500 (n° 2021E2A1)</strong> — à effacer" in added
    medium_id = added.split('name="medium_id" value="', 1)[1].split('"', 1)[0]
    erasure = {
        "_csrf": csrf,
        "medium_id": medium_id,
        "level": "clear",
        "technique": "overwrite",
        "tool": "nwipe",
        "tool_version": "0.35",
        "passes": "1",
        "verification": "sampled",
        "result": "success",
        "started_at": "2026-11-20T09:00",
        "ended_at": "2026-11-20T08:00",
    }
    backwards = said(await anonymous.post(f"/devices/{code}/erasures", data=erasure), 422)
    assert "se termine avant d'avoir commencé" in backwards
    warned = said(await anonymous.post(f"/devices/{code}/erasures", data={**erasure, "ended_at": "2026-11-20T10:30"}))
    assert "Effacement enregistré" in warned and "NIST SP 800-88" in warned and "</strong> — effacé" in warned
    assert f"/api/v1/devices/{code}/erasure-certificate" in warned

    version = int(warned.split('name="expected_version" value="', 1)[1].split('"', 1)[0])
    over = said(
        await anonymous.post(
            f"/devices/{code}/steps",
            data={"_csrf": csrf, "action": "grade", "expected_version": str(version), "grade": "A", "price": "199"},
        ),
        422,
    )
    assert "plafond légal de 180,00 €" in over
    graded = said(
        await anonymous.post(
            f"/devices/{code}/steps",
            data={
                "_csrf": csrf,
                "action": "grade",
                "expected_version": str(version),
                "grade": "A",
                "price": "149,90",
                "cosmetic_notes": "légère rayure capot",
            },
        )
    )
    assert "Étape enregistrée : testé et classé" in graded and "Tout y est pour la mise en vente" in graded
    on_sale = said(
        await anonymous.post(
            f"/devices/{code}/steps",
            data={"_csrf": csrf, "action": "put_on_sale", "expected_version": str(version + 1), "price": "149,90"},
        )
    )
    assert "prêt à la vente" in on_sale
    device = await devices.get_by_code(session, code)
    await session.refresh(device)
    assert (device.state, device.grade, device.price_cents) == ("ready", "A", 14990)
