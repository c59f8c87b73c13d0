"""The pages' lists (devices, collections, beneficiaries, recycling lots), one way (issue 16, item 6):
pages with the total and nothing cut, a search that ignores case and French accents on both engines,
a sort by the shown columns, and a French CSV of what is shown (every page, same search and sort),
with money and personal data only for the roles that see them. A query string that means nothing is
the default list or a French 4xx page, never a 500."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.roles import Role
from reemploi.actors import Actor
from reemploi.collections import service as collections
from reemploi.collections.models import Collection
from reemploi.db import write_transaction
from reemploi.devices import service as devices
from reemploi.devices.lifecycle import Action
from reemploi.recycling import service as recycling
from reemploi.sales import beneficiaries
from reemploi.web import lists
from tests.factories import make_beneficiary, make_commune, make_ready, make_site
from tests.through_api import Client, logged_in

TEST = Actor("test")


@dataclass(frozen=True)
class World:
    villeurbanne: int  # partner ids
    ecully: int
    villeurbanne_collections: tuple[int, int]
    ecully_collection: int


async def _register(session: AsyncSession, collection_id: int, new: list[devices.NewDevice]) -> None:
    async with write_transaction(session):
        collection = await session.get(Collection, collection_id)
        assert collection is not None
        await devices.add_to_collection(session, collection, new, TEST)


async def _world(session: AsyncSession) -> World:
    """Ville de Villeurbanne gave 120 ThinkPads (serials PF1L000 … PF1L119) on 2 November and nothing
    on 15 October; Ville d'Écully gave three Dell Latitude and one ThinkPad ready for sale at 95,50 €."""
    site = await make_site(session)
    villeurbanne = await make_commune(session)
    ecully = await make_commune(session, "Ville d'Écully", "69081", seed=2)
    given_on = [date(2026, 11, 2), date(2026, 10, 15)]
    made = [
        await collections.create(session, collections.NewCollection(villeurbanne.id, site.id, day)) for day in given_on
    ]
    from_ecully = await collections.create(session, collections.NewCollection(ecully.id, site.id, date(2026, 11, 2)))
    thinkpads = [devices.NewDevice("laptop", "Lenovo", "ThinkPad T480", serial=f"PF1L{n:03d}") for n in range(120)]
    await _register(session, made[0].collection.id, thinkpads)
    dells = [
        devices.NewDevice("laptop", "Dell", "Latitude 5490", serial=f"DL5490{letter}", asset_tag=tag)
        for letter, tag in (("A", "INV-77"), ("B", None), ("C", None))
    ]
    await _register(session, from_ecully.collection.id, dells)
    await make_ready(session, from_ecully.collection.id, "RDY1", price="95,50")
    ids = (made[0].collection.id, made[1].collection.id)
    return World(villeurbanne.id, ecully.id, ids, from_ecully.collection.id)


def _codes(page: str) -> list[str]:
    return re.findall(r'href="/scan\?code=([A-Z0-9-]+)"', page)


def _serials(page: str) -> list[str]:
    return re.findall(r"<td>((?:PF1L|DL5490|RDY)[0-9A-Z]*)</td>", page)


def _said(page: str) -> str:
    return html.unescape(page)


def _csv(answer: Any) -> list[list[str]]:
    assert answer.status_code == 200, answer.text[:600]
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM: Excel reads the accents"
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))


async def test_the_device_list_shows_124_devices_over_three_pages_with_the_total(
    anonymous: Client, session: AsyncSession
) -> None:
    await _world(session)
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)

    first = await anonymous.get("/devices")
    assert first.status_code == 200
    assert "1–50 sur 124" in _said(first.text)
    assert len(_codes(first.text)) == 50
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text

    third = _said((await anonymous.get("/devices", params={"offset": 100})).text)
    assert "101–124 sur 124" in third
    assert len(_codes(third)) == 24 and 'rel="next"' not in third and 'rel="prev"' in third

    # The pages put together are every device, once.
    seen = [c for offset in (0, 50, 100) for c in _codes((await anonymous.get(f"/devices?offset={offset}")).text)]
    assert len(seen) == len(set(seen)) == 124

    # A filter and a search stay in the links to the other pages, and in the CSV's.
    collected = _said((await anonymous.get("/devices", params={"state": "collected", "q": "pf1l"})).text)
    assert "1–50 sur 120" in collected
    following = re.search(r'href="([^"]+)" rel="next"', collected)
    assert following and "state=collected" in following.group(1) and "q=pf1l" in following.group(1)
    assert re.search(r'href="/devices\.csv\?[^"]*state=collected[^"]*"', collected)

    # The page size is capped: 200 at most, and 0, 201 or "beaucoup" is a French 400 page.
    assert len(_codes((await anonymous.get("/devices", params={"limit": 200})).text)) == 124
    for bad in ("0", "201", "beaucoup", "-1"):
        refused = await anonymous.get("/devices", params={"limit": bad})
        assert refused.status_code == 400 and refused.headers["content-type"].startswith("text/html")
        assert "Requête invalide" in _said(refused.text)
    past = _said((await anonymous.get("/devices", params={"offset": 500})).text)
    assert "0 sur 124" in past and 'rel="prev"' in past


async def test_the_device_search_finds_code_serial_asset_tag_model_and_donor_case_and_accents_aside(
    anonymous: Client, session: AsyncSession
) -> None:
    await _world(session)
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)

    async def found(q: str) -> list[str]:
        return _serials((await anonymous.get("/devices", params={"q": q, "limit": 200})).text)

    assert sorted(await found("latitude")) == ["DL5490A", "DL5490B", "DL5490C"]
    assert sorted(await found("LATITUDE 5490")) == ["DL5490A", "DL5490B", "DL5490C"]
    # The donor's name, typed with or without its accent, in any case.
    for typed in ("Écully", "ecully", "ÉCULLY", "d'écu"):
        assert sorted(await found(typed)) == ["DL5490A", "DL5490B", "DL5490C", "RDY1"], typed
    assert sorted(await found("pf1l11")) == [f"PF1L11{n}" for n in range(10)]
    assert await found("inv-77") == ["DL5490A"]  # the donor's asset tag
    # "%" and "_" are letters to search, not wildcards: nothing holds them.
    assert await found("%") == [] and await found("_") == []
    nothing = _said((await anonymous.get("/devices", params={"q": "grille-pain"})).text)
    assert "Aucune ligne ne correspond" in nothing

    # A device's own code finds it.
    code = _codes((await anonymous.get("/devices", params={"q": "RDY1"})).text)[0]
    assert _serials((await anonymous.get("/devices", params={"q": code.lower()})).text) == ["RDY1"]


async def test_the_device_list_sorts_by_its_shown_columns_and_ignores_an_unknown_sort(
    anonymous: Client, session: AsyncSession
) -> None:
    await _world(session)
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)

    async def serials(**query: Any) -> list[str]:
        return _serials((await anonymous.get("/devices", params={"limit": 200, **query})).text)

    assert (await serials(sort="serial"))[:4] == ["DL5490A", "DL5490B", "DL5490C", "PF1L000"]
    assert (await serials(sort="serial", order="desc"))[:3] == ["RDY1", "PF1L119", "PF1L118"]
    # Ville d'Écully before Ville de Villeurbanne ("'" before "e"), the accent aside.
    assert sorted((await serials(sort="donor"))[:4]) == ["DL5490A", "DL5490B", "DL5490C", "RDY1"]
    # By code, the default: the order of registration, the 120 ThinkPads first.
    by_code = await serials()
    assert by_code[:2] == ["PF1L000", "PF1L001"] and by_code[-1] == "RDY1"
    # The ready device is the only one not "collecté" ("collecté" < "prêt à la vente" by name).
    assert (await serials(sort="state", order="desc"))[0] == "RDY1"
    for unknown in ("prix; DROP TABLE devices", "id", "__class__", ""):
        answer = await anonymous.get("/devices", params={"sort": unknown, "limit": 200})
        assert answer.status_code == 200 and _serials(answer.text) == by_code, unknown
    assert await serials(sort="serial", order="sideways") == await serials(sort="serial")


async def test_the_device_csv_is_what_is_shown_every_page_in_french_with_prices_for_the_bench_only(
    anonymous: Client, session: AsyncSession
) -> None:
    world = await _world(session)
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)

    rows = _csv(await anonymous.get("/devices.csv"))
    header = ["Code", "Catégorie", "Marque et modèle", "N° de série", "Donateur", "État", "Prix"]
    assert rows[0] == header
    assert len(rows) == 1 + 124, "every page, not the first 50"

    shown = _csv(await anonymous.get("/devices.csv", params={"q": "écully", "sort": "serial", "order": "desc"}))
    assert [r[3] for r in shown[1:]] == ["RDY1", "DL5490C", "DL5490B", "DL5490A"]
    ready = shown[1]
    assert ready[1:3] == ["ordinateur portable", "Lenovo ThinkPad T480"]
    assert ready[4:] == ["Ville d'Écully", "prêt à la vente", "95,50"]
    assert shown[2][6] == ""  # not priced yet

    # A collectivity reads its own devices, without prices.
    anonymous.cookies.clear()
    await logged_in(anonymous, session, "mairie", Role.COLLECTIVITY, partner_id=world.villeurbanne)
    own = _csv(await anonymous.get("/devices.csv", params={"sort": "price"}))
    assert own[0] == header[:-1]
    assert len(own) == 1 + 120 and {r[4] for r in own[1:]} == {"Ville de Villeurbanne"}
    assert [r[3] for r in own[1:3]] == ["PF1L000", "PF1L001"], "a sort on a column it does not see is the default"
    page = _said((await anonymous.get("/devices", params={"q": "écully"})).text)
    assert "Aucune ligne ne correspond" in page


async def test_the_collection_list_pages_searches_sorts_and_exports(anonymous: Client, session: AsyncSession) -> None:
    world = await _world(session)
    await logged_in(anonymous, session, "responsable", Role.MANAGER)

    def numbers(page: str) -> list[int]:
        return [int(n) for n in re.findall(r"<tr>\s*<td>(\d+)</td>", page)]

    newest_first = numbers((await anonymous.get("/collections")).text)
    october = world.villeurbanne_collections[1]
    assert len(newest_first) == 3 and newest_first[-1] == october
    # One a page: three pages, each saying which of three.
    for offset in range(3):
        shown = _said((await anonymous.get("/collections", params={"limit": 1, "offset": offset})).text)
        assert f"{offset + 1}–{offset + 1} sur 3" in shown
        assert numbers(shown) == [newest_first[offset]]
    assert numbers((await anonymous.get("/collections", params={"q": "ECULLY"})).text) == [world.ecully_collection]
    assert numbers((await anonymous.get("/collections", params={"sort": "devices", "order": "desc"})).text) == [
        world.villeurbanne_collections[0],
        world.ecully_collection,
        october,
    ]

    rows = _csv(await anonymous.get("/collections.csv", params={"sort": "collected_on", "order": "asc"}))
    assert rows[0] == ["N°", "Date de la collecte", "Donateur", "Appareils"]
    assert rows[1] == [str(october), "15/10/2026", "Ville de Villeurbanne", "0"]
    assert sorted(rows[2:]) == sorted(
        [
            [str(world.villeurbanne_collections[0]), "02/11/2026", "Ville de Villeurbanne", "120"],
            [str(world.ecully_collection), "02/11/2026", "Ville d'Écully", "4"],
        ]
    )

    # A collectivity finds only its own collections.
    anonymous.cookies.clear()
    await logged_in(anonymous, session, "mairie", Role.COLLECTIVITY, partner_id=world.ecully)
    assert numbers((await anonymous.get("/collections")).text) == [world.ecully_collection]
    assert numbers((await anonymous.get("/collections", params={"q": "villeurbanne"})).text) == []
    assert len(_csv(await anonymous.get("/collections.csv"))) == 2


async def test_the_beneficiaries_list_is_the_desks_and_keeps_the_contact_out(
    anonymous: Client, session: AsyncSession
) -> None:
    await make_beneficiary(session, "Zoé Martin", contact="06 12 34 56 78", commune_insee="69266")
    await make_beneficiary(session, "ZOÉ DUPONT")
    await make_beneficiary(session, "Marc Dupont", age_band="26_44")
    gone = await make_beneficiary(session, "Jean Oublié")
    await beneficiaries.anonymise(session, gone)
    await logged_in(anonymous, session, "accueil", Role.RECEPTION)

    def names(page: str) -> list[str]:
        return re.findall(r"<td>B-\d{6}</td><td>([^<]+)</td>", _said(page))

    everyone = await anonymous.get("/reception/beneficiaries")
    assert everyone.status_code == 200
    assert names(everyone.text) == ["Marc Dupont", "ZOÉ DUPONT", "Zoé Martin"]  # by name, case aside
    assert "06 12 34 56 78" not in everyone.text and "Oublié" not in _said(everyone.text)
    assert names((await anonymous.get("/reception/beneficiaries", params={"q": "zoe"})).text) == [
        "ZOÉ DUPONT",
        "Zoé Martin",
    ]
    assert names((await anonymous.get("/reception/beneficiaries", params={"q": "DUPONT", "order": "desc"})).text) == [
        "ZOÉ DUPONT",
        "Marc Dupont",
    ]

    rows = _csv(await anonymous.get("/reception/beneficiaries.csv", params={"q": "martin"}))
    header = "N°;Nom et prénom;Commune (code INSEE);Tranche d'âge;Motif d'éligibilité;Valable jusqu'au;Structure prescriptrice"
    assert rows[0] == header.split(";")
    assert rows[1][1:] == ["Zoé Martin", "69266", "", "RSA", "01/01/2099", ""]
    assert len(rows) == 2 and not any("06 12" in cell for cell in rows[1])

    # Technicians do not see beneficiaries, as a page or as a CSV.
    anonymous.cookies.clear()
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    for path in ("/reception/beneficiaries", "/reception/beneficiaries.csv"):
        refused = await anonymous.get(path)
        assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")


async def test_the_recycling_lots_list_searches_by_slip_and_eco_organism_and_exports_weights_in_french(
    anonymous: Client, session: AsyncSession
) -> None:
    site = await make_site(session)
    commune = await make_commune(session)
    collection = await collections.create(session, collections.NewCollection(commune.id, site.id, date(2026, 11, 2)))
    await _register(session, collection.collection.id, [devices.NewDevice("screen", serial="ECR1")])
    (screen,) = _codes_of(await devices.list_devices(session, devices.DeviceFilter(), 10, 0))
    for action in (Action.RECEIVE, Action.START_DIAGNOSIS):
        await devices.transition(session, screen, action, TEST)
    shipped = await recycling.open_lot(session, site.id, "ecosystem", TEST, deee_category=2, codes=[screen])
    await recycling.close_lot(session, shipped.id, "BSD-2026-001", 7500, date(2026, 11, 20), TEST)
    ecologic = [await recycling.open_lot(session, site.id, "Ecologic", TEST) for _ in range(2)]
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)

    def lots(page: str) -> list[int]:
        return [int(n) for n in re.findall(r'href="/recycling-lots/(\d+)"', page)]

    assert lots((await anonymous.get("/recycling-lots")).text) == [ecologic[1].id, ecologic[0].id, shipped.id]
    assert lots((await anonymous.get("/recycling-lots", params={"q": "bsd-2026"})).text) == [shipped.id]
    assert lots((await anonymous.get("/recycling-lots", params={"q": "ÉCOLOGIC", "sort": "number"})).text) == [
        ecologic[1].id,
        ecologic[0].id,
    ]
    assert lots((await anonymous.get("/recycling-lots", params={"sort": "devices", "order": "desc"})).text)[0] == (
        shipped.id
    )

    rows = _csv(await anonymous.get("/recycling-lots.csv", params={"q": "ecosystem"}))
    header = (
        "Lot;État du lot;Site;Éco-organisme;Catégorie DEEE;Appareils;N° de bordereau;Poids pesé (kg);Date d'enlèvement"
    )
    assert rows[0] == header.split(";")
    assert rows[1:] == [
        [str(shipped.id), "clôturé", "Atelier de test", "ecosystem", "2", "1", "BSD-2026-001", "7,5", "20/11/2026"]
    ]


async def test_a_csv_past_the_export_cap_is_refused_in_french_not_cut(
    anonymous: Client, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _world(session)
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    monkeypatch.setattr(lists, "MAX_EXPORT", 100)

    refused = await anonymous.get("/devices.csv")
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("text/html")
    assert "compterait 124 lignes" in _said(refused.text) and "au plus 100" in _said(refused.text)
    # Narrowed by a search, it fits.
    assert len(_csv(await anonymous.get("/devices.csv", params={"q": "latitude"}))) == 1 + 3


def _codes_of(found: tuple[list[Any], int]) -> list[str]:
    return [d.code for d in found[0]]


# --- Whatever the query string says: the list, or a French 4xx page; never a 500 ------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=120)
_VALUE = st.one_of(_TEXT, st.integers(min_value=-(2**40), max_value=2**40).map(str), st.sampled_from(["asc", "desc"]))
_NAMES = ["q", "sort", "order", "offset", "limit", "state", "category", "site_id", "donor_id", "collected_from"]
_QUERIES = st.dictionaries(st.sampled_from(_NAMES), _VALUE, max_size=5)
_LISTS = ["/devices", "/devices.csv", "/collections", "/collections.csv", "/recycling-lots", "/recycling-lots.csv"]
_LISTS += ["/reception/beneficiaries", "/reception/beneficiaries.csv"]


async def test_any_query_string_answers_the_list_or_a_french_refusal_never_a_500(
    anonymous: Client, session: AsyncSession
) -> None:
    site = await make_site(session)
    commune = await make_commune(session)
    await collections.create(session, collections.NewCollection(commune.id, site.id, date(2026, 11, 2)))
    await make_beneficiary(session, "Zoé Martin")
    await logged_in(anonymous, session, "responsable", Role.MANAGER)

    cases: list[tuple[str, dict[str, str]]] = []

    @settings(max_examples=80, deadline=None, derandomize=True, database=None)
    @given(path=st.sampled_from(_LISTS), query=_QUERIES)
    def collect(path: str, query: dict[str, str]) -> None:
        cases.append((path, query))

    collect()
    cases += [("/devices", {"q": "\x00"}), ("/devices", {"offset": str(2**31 - 1)}), ("/collections", {"q": "x" * 101})]
    for path, query in cases:
        answer = await anonymous.get(path, params=query)
        assert answer.status_code in (200, 400), (path, query, answer.status_code, answer.text[:400])
        kind = answer.headers["content-type"]
        if answer.status_code == 400:
            assert kind.startswith("text/html") and "Requête invalide" in _said(answer.text), (path, query)
        else:
            assert kind.startswith("text/csv" if path.endswith(".csv") else "text/html"), (path, query, kind)
