"""The workshop's pages over HTTP (the browser tests drive the scan station and intake): device
lists with their counts, the stock, the manifest upload, and what each person may see."""

from __future__ import annotations

import html

from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.roles import Role
from reemploi.actors import Actor
from reemploi.devices import service as devices
from reemploi.devices import steps
from reemploi.devices.lifecycle import Action
from reemploi.devices.service import DeviceFilter
from tests.factories import make_collection, make_commune, make_device, make_world, prepare_for_sale
from tests.through_api import Client, logged_in


async def _walk(session: AsyncSession, code: str, *actions: Action) -> None:
    for action in actions:
        data = {}
        if action is Action.GRADE:
            await prepare_for_sale(session, code)
            data = {"grade": "B", "price": "25"}  # within every category's legal cap
        await steps.take_step(session, code, action, Actor("test"), data=data)


READY_PATH = (Action.RECEIVE, Action.START_DIAGNOSIS, Action.START_ERASURE, Action.GRADE, Action.PUT_ON_SALE)


async def test_the_device_list_filters_and_counts_by_state(anonymous: Client, session: AsyncSession) -> None:
    _, _, collection_id = await make_world(session)
    codes = [await make_device(session, collection_id, serial=f"SN{n}") for n in range(4)]
    await _walk(session, codes[0], Action.RECEIVE)
    await _walk(session, codes[1], Action.RECEIVE, Action.START_DIAGNOSIS)
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)

    everything = await anonymous.get("/devices")
    assert everything.status_code == 200
    assert all(code in everything.text for code in codes)
    assert "collecté : 2" in everything.text and "réceptionné : 1" in everything.text
    received = await anonymous.get("/devices", params={"state": "received"})
    assert codes[0] in received.text and codes[2] not in received.text
    # A filter that means nothing is no filter, not an error page.
    assert (await anonymous.get("/devices", params={"state": "n'importe quoi"})).status_code == 200


async def test_the_stock_counts_ready_devices_by_category(anonymous: Client, session: AsyncSession) -> None:
    _, _, collection_id = await make_world(session)
    laptops = [await make_device(session, collection_id, serial=f"PC{n}") for n in range(3)]
    screen = await make_device(session, collection_id, serial="SCREEN1", category="screen")
    for code in [*laptops[:2], screen]:
        await _walk(session, code, *READY_PATH)
    await logged_in(anonymous, session, "accueil", Role.RECEPTION)
    stock = await anonymous.get("/stock")
    assert stock.status_code == 200
    assert "ordinateur portable" in stock.text and "écran" in stock.text
    assert "Total : 3" in stock.text
    assert (await devices.counts(session, DeviceFilter(state="ready"), devices.Device.category)) == {
        ("laptop",): 2,
        ("screen",): 1,
    }


async def test_a_manifest_is_imported_from_the_intake_page_all_or_nothing(
    anonymous: Client, session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    csrf = await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    url = f"/collections/{collection_id}/manifest-upload"

    bad = "Numéro de série;Catégorie\nSN-1;portable\nSN-2;grille-pain\n".encode()
    refused = await anonymous.post(url, files={"file": ("don.csv", bad, "text/csv")}, data={"_csrf": csrf})
    assert refused.status_code == 422
    assert "grille-pain" in refused.text and "rien n'a été enregistré" in html.unescape(refused.text)
    assert (await devices.list_devices(session, DeviceFilter(collection_id=collection_id), 10, 0))[1] == 0

    good = "Numéro de série;Catégorie\nSN-1;portable\nSN-2;écran\nSN-3;tablette\n".encode()
    imported = await anonymous.post(url, files={"file": ("don.csv", good, "text/csv")}, data={"_csrf": csrf})
    assert imported.status_code == 200
    assert "3 appareil(s) importé(s)" in imported.text
    await session.rollback()  # end the test's own read (SQLite keeps a snapshot until then)
    assert (await devices.list_devices(session, DeviceFilter(collection_id=collection_id), 10, 0))[1] == 3

    without_csrf = await anonymous.post(url, files={"file": ("don.csv", good, "text/csv")})
    assert without_csrf.status_code == 403


async def test_a_collectivity_sees_only_its_own_devices_and_no_intake(anonymous: Client, session: AsyncSession) -> None:
    site, commune, collection_id = await make_world(session)
    own = await make_device(session, collection_id, serial="OWN1")
    other = await make_commune(session, "Ville de Vénissieux", "69259", seed=2)
    others = await make_collection(session, site, other)
    theirs = await make_device(session, others.collection.id, serial="THEIRS1")
    await logged_in(anonymous, session, "mairie", Role.COLLECTIVITY, partner_id=commune.id)

    listed = await anonymous.get("/devices")
    assert own in listed.text and theirs not in listed.text
    refused = await anonymous.get("/collections/new")
    assert refused.status_code == 403 and "ne permet pas" in refused.text
    # Another collectivity's device is not found, as the page and as the bench's htmx card, each
    # answering the page's French message with the real status (base.html tells htmx to swap it in).
    for path in (f"/scan?code={theirs}", f"/scan/card?code={theirs}"):
        answer = await anonymous.get(path, headers={"HX-Request": "true"} if "card" in path else {})
        assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
        assert "ne correspond à aucun appareil" in html.unescape(answer.text)


async def test_a_collection_form_with_a_bad_date_or_an_unknown_donor_answers_a_page_that_says_why(
    anonymous: Client, session: AsyncSession
) -> None:
    site, commune, _ = await make_world(session)
    csrf = await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    for fields, status, says in (
        ({"collected_on": "32/13/2026"}, 400, "Date ou poids illisible"),
        ({"donor_id": "999"}, 422, "n° 999"),
    ):
        form = {
            "donor_id": str(commune.id),
            "site_id": str(site.id),
            "collected_on": "2026-11-02",
            "_csrf": csrf,
            **fields,
        }
        refused = await anonymous.post("/collections/new", data=form, follow_redirects=False)
        assert refused.status_code == status
        assert refused.headers["content-type"].startswith("text/html"), refused.headers["content-type"]
        assert says in html.unescape(refused.text)
    await session.rollback()
    listed = (await anonymous.get("/collections")).text
    assert listed.count("<tr>") == 2  # the header and the world's one collection: nothing half-written
