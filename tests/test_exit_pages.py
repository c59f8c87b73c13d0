"""The pages for repairs, exits and stock: the device card's repair, dismantle and recycle forms, the
parts stock, recycling lots, locations with put-away and audit. Each form answers a page that says
what happened, or why not, and a refusal writes nothing."""

from __future__ import annotations

import html
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.roles import Role
from reemploi.actors import Actor
from reemploi.devices import service as devices
from reemploi.devices.lifecycle import Action
from reemploi.parts import service as parts_stock
from reemploi.recycling import service as recycling
from reemploi.stock import service as stock
from tests.factories import make_device, make_world
from tests.through_api import Client, logged_in


def said(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.text
    return html.unescape(response.text)


async def _walk(session: AsyncSession, code: str, *actions: Action) -> None:
    for action in actions:
        await devices.transition(session, code, action, Actor("test"))


async def test_from_the_card_a_technician_repairs_with_a_part_then_dismantles_and_recycles(
    anonymous: Client,
    session: AsyncSession,
) -> None:
    site, _, collection_id = await make_world(session)
    code, carcass = [await make_device(session, collection_id, serial=f"PF1CARD{n}") for n in range(2)]
    await _walk(session, code, Action.RECEIVE, Action.START_DIAGNOSIS, Action.SEND_TO_REPAIR)
    await _walk(session, carcass, Action.RECEIVE, Action.START_DIAGNOSIS)
    site_id = site.id
    part = await parts_stock.add_new_parts(
        session, site_id, parts_stock.NewPart("keyboard", "Clavier AZERTY T480", 1), Actor("test")
    )
    csrf = await logged_in(anonymous, session, "karim", Role.TECHNICIAN)

    card = said(await anonymous.get("/scan", params={"code": code}))
    assert "Clavier AZERTY T480" in card and 'action="/devices/' + code + '/repairs"' in card
    empty = said(
        await anonymous.post(f"/devices/{code}/repairs", data={"_csrf": csrf, "actions": " ", "minutes": "10"}), 422
    )
    assert "Décrivez ce qui a été fait" in empty
    repaired = said(
        await anonymous.post(
            f"/devices/{code}/repairs",
            data={
                "_csrf": csrf,
                "actions": "Clavier remplacé",
                "minutes": "20",
                "part_id": [str(part.id), ""],
                "part_quantity": ["1", "1"],
                "finished": "true",
            },
        )
    )
    assert "Réparation enregistrée" in repaired and "1 × Clavier AZERTY T480" in repaired
    assert (await devices.get_by_code(session, code)).state == "diagnosis"
    await session.rollback()  # the page wrote through its own session: read afresh
    assert [p.part.quantity for p in await parts_stock.parts_stock(session, available_only=False)] == [0]

    card = said(await anonymous.get("/scan", params={"code": carcass}))
    assert "Démonter pour pièces" in card and 'name="action" value="dismantle"' not in card, (
        "its own form, not a bare step"
    )
    refused = said(
        await anonymous.post(
            f"/devices/{carcass}/dismantle", data={"_csrf": csrf, "parts": "ram ; ; 1", "confirmed": "true"}
        ),
        422,
    )
    assert "Décrivez chaque pièce" in refused and (await devices.get_by_code(session, carcass)).state == "diagnosis"
    harvest = "ram ; DDR4 8 Go ; 2\nBatterie ; 48 Wh\nDalle 14 pouces"
    unconfirmed = said(
        await anonymous.post(f"/devices/{carcass}/dismantle", data={"_csrf": csrf, "parts": harvest}), 422
    )
    assert "cochez la case de confirmation" in unconfirmed and f">{harvest}</textarea>" in unconfirmed, "the parts stay"
    assert (await devices.get_by_code(session, carcass)).state == "diagnosis"
    dismantled = said(
        await anonymous.post(
            f"/devices/{carcass}/dismantle", data={"_csrf": csrf, "parts": harvest, "confirmed": "true"}
        )
    )
    assert (
        "pièces au stock : 4" in dismantled and "démonté pour pièces" in dismantled and "1,65 kg, estimé" in dismantled
    )
    assert "Créer" not in dismantled
    await session.rollback()
    stocked = {(p.part.kind, p.part.description, p.part.quantity) for p in await parts_stock.parts_stock(session)}
    assert stocked == {("ram", "DDR4 8 Go", 2), ("battery", "48 Wh", 1), ("other", "Dalle 14 pouces", 1)}

    lot = await recycling.open_lot(session, site_id, "ecosystem", Actor("test"))
    card = said(await anonymous.get("/scan", params={"code": carcass}))
    lot_id = lot.id
    assert f'<option value="{lot_id}">n° {lot_id} — ecosystem' in card
    recycle = {"_csrf": csrf, "lot_id": str(lot_id)}
    assert "cochez la case" in said(await anonymous.post(f"/devices/{carcass}/recycle", data=recycle), 422)
    recycled = said(await anonymous.post(f"/devices/{carcass}/recycle", data={**recycle, "confirmed": "true"}))
    assert f"recyclé : Lot n° {lot_id}" in recycled
    await session.rollback()
    assert [d.code for d in (await recycling.lot_view(session, lot_id)).devices] == [carcass]


async def test_a_manager_runs_recycling_lots_and_the_parts_stock_from_their_pages(
    anonymous: Client,
    session: AsyncSession,
) -> None:
    site, _, collection_id = await make_world(session)
    codes = [await make_device(session, collection_id, serial=f"PF1LOT{n}") for n in range(3)]
    for code in codes:
        await _walk(session, code, Action.RECEIVE)
    csrf = await logged_in(anonymous, session, "claire", Role.MANAGER)

    assert "ecosystem" in said(await anonymous.get("/recycling-lots"))
    no_name = said(
        await anonymous.post("/recycling-lots", data={"_csrf": csrf, "site_id": str(site.id), "eco_organism": " "}), 422
    )
    assert "Indiquez l'éco-organisme" in no_name
    opened = await anonymous.post(
        "/recycling-lots",
        data={"_csrf": csrf, "site_id": str(site.id), "eco_organism": "Ecologic", "deee_category": "2"},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    lot_page = opened.headers["location"]
    both = said(
        await anonymous.post(f"{lot_page}/devices", data={"_csrf": csrf, "codes": f"{codes[0]}\n{codes[0]}"}), 422
    )
    assert "scannés deux fois" in both and codes[0] in both
    added = said(
        await anonymous.post(f"{lot_page}/devices", data={"_csrf": csrf, "codes": f"{codes[0]}\n{codes[1].lower()}\n"})
    )
    assert "2 appareil(s) mis dans le lot" in added and "3,30 (estimé)" in added
    bad = said(
        await anonymous.post(
            f"{lot_page}/close",
            data={"_csrf": csrf, "slip_number": "BSD-1", "weight_kg": "sept", "shipped_on": "2026-11-20"},
        ),
        422,
    )
    assert "Poids illisible" in bad
    closed = said(
        await anonymous.post(
            f"{lot_page}/close",
            data={"_csrf": csrf, "slip_number": "BSD-1", "weight_kg": "3,4", "shipped_on": "2026-11-20"},
        )
    )
    assert "Lot clôturé" in closed and "BSD-1" in closed and "3,4 kg" in closed and "Ajouter au lot" not in closed

    parts = said(
        await anonymous.post(
            "/parts",
            data={
                "_csrf": csrf,
                "site_id": str(site.id),
                "kind": "charger",
                "description": "Chargeur USB-C 65 W",
                "quantity": "5",
            },
        )
    )
    assert "5 × Chargeur USB-C 65 W" in parts and "neuve" in parts
    assert "Décrivez chaque pièce" in said(
        await anonymous.post(
            "/parts", data={"_csrf": csrf, "site_id": str(site.id), "kind": "charger", "description": ""}
        ),
        422,
    )


async def test_putting_away_and_auditing_from_the_locations_page(anonymous: Client, session: AsyncSession) -> None:
    site, _, collection_id = await make_world(session)
    codes = [await make_device(session, collection_id, serial=f"PF1SHELF{n}") for n in range(3)]
    for code in codes:
        await _walk(session, code, Action.RECEIVE)
    csrf = await logged_in(anonymous, session, "accueil", Role.RECEPTION)

    created = said(
        await anonymous.post("/stock/locations", data={"_csrf": csrf, "site_id": str(site.id), "code": "a-1"})
    )
    assert "Nouvel emplacement : A-1" in created
    taken = said(
        await anonymous.post("/stock/locations", data={"_csrf": csrf, "site_id": str(site.id), "code": "A-1"}), 409
    )
    assert "existe déjà" in taken
    await session.rollback()
    (location,) = [c.location for c in await stock.locations(session)]
    moved = said(
        await anonymous.post(
            "/stock/put-away", data={"_csrf": csrf, "location_id": str(location.id), "codes": f"{codes[0]} {codes[1]}"}
        )
    )
    assert "2 appareil(s) rangé(s) en A-1" in moved
    card = said(await anonymous.get("/scan", params={"code": codes[0]}))
    assert "ranger : A-1" in card

    audited = said(
        await anonymous.post(
            "/stock/audit", data={"_csrf": csrf, "location_id": str(location.id), "codes": f"{codes[0]}\n{codes[2]}"}
        )
    )
    missing = audited.split('class="missing"', 1)[1].split("</ul>", 1)[0]
    unexpected = audited.split('class="unexpected"', 1)[1].split("</ul>", 1)[0]
    assert codes[1] in missing and codes[0] not in missing
    assert codes[2] in unexpected and "enregistré en —" in unexpected


async def test_a_final_exit_step_asks_its_confirmation_and_the_card_says_where_the_device_comes_from(
    anonymous: Client, session: AsyncSession
) -> None:
    _, donor, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="PF1FINAL")
    await _walk(session, code, Action.RECEIVE)
    csrf = await logged_in(anonymous, session, "karim", Role.TECHNICIAN)

    card = said(await anonymous.get("/scan", params={"code": code}))
    assert (
        f"<dd>{donor.name}</dd>" in card
        and f'href="/devices?collection_id={collection_id}">n° {collection_id}</a>' in card
    )
    assert "jamais imprimée" in card
    # The same action keeps its key; the final exits have none, and a box to tick.
    assert 'data-step="2" aria-keyshortcuts="Alt+2"' in card and 'data-step="1"' not in card
    form = card.split('value="return_to_donor"', 1)[1].split("</form>", 1)[0]
    assert 'name="confirmed" value="true" required' in form and "data-step" not in form

    step = {"_csrf": csrf, "action": "return_to_donor", "expected_version": "2"}
    refused = said(await anonymous.post(f"/devices/{code}/steps", data=step), 422)
    assert "cochez la case de confirmation" in refused
    await session.rollback()
    assert (await devices.get_by_code(session, code)).state == "received", "nothing moved"
    done = said(await anonymous.post(f"/devices/{code}/steps", data={**step, "confirmed": "true"}))
    assert "rendu au donateur" in done
    await session.rollback()
    assert (await devices.get_by_code(session, code)).state == "returned_to_donor"
