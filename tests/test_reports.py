"""A collectivity's report, with figures worked out by hand from a small world: what it gave (weighed and
estimated kilograms), what became of it (REEN share, devices over ten years apart), erasures, what another
collectivity bought (AGEC, data.gouv rows), residents equipped, CO2 avoided; the period's boundaries at
midnight Paris time. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules
from reemploi.actors import Actor
from reemploi.collections import service as collections
from reemploi.devices import service as devices
from reemploi.devices import steps
from reemploi.devices.lifecycle import Action
from reemploi.parts import service as parts
from reemploi.sales.models import Sale
from reemploi.workshop import bench as workbench
from tests.factories import make_beneficiary, make_commune, make_device, make_ready, make_site, prepare_for_sale
from tests.through_api import API, Client, ok, problem

YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


async def _world(client: Client, session: AsyncSession) -> dict[str, Any]:
    site = await make_site(session)
    site_id = site.id
    villeurbanne = await make_commune(session)  # INSEE 69266, its residents count
    metropole = await make_commune(session, "Métropole de Lyon", "69123", seed=5)
    ids = {"site": site_id, "villeurbanne": villeurbanne.id, "metropole": metropole.id}
    given = await collections.create(
        session, collections.NewCollection(donor_id=ids["villeurbanne"], site_id=site_id, collected_on=date(2026, 3, 2))
    )
    before = await collections.create(
        session,
        collections.NewCollection(donor_id=ids["villeurbanne"], site_id=site_id, collected_on=date(2025, 12, 31)),
    )
    cid = given.collection.id
    codes = {
        "L1": await make_ready(session, cid, "L1", price="95", weight_g=2000),  # sold to a resident
        "D1": await make_ready(
            session, cid, "D1", price="150", category="desktop", weight_g=6000, year=2020
        ),  # invoiced
        "L2": await make_device(session, cid, serial="L2"),  # recycled, estimated 1.65 kg
        "S1": await make_device(session, cid, serial="S1", category="smartphone", year=2012),  # over ten years: parts
        "T1": await make_device(session, cid, serial="T1", category="tablet"),  # still at the workshop
        "L0": await make_device(session, before.collection.id, serial="L0"),  # collected the year before
        "R1": await make_ready(session, cid, "R1", price="95", weight_g=1800),  # sold, returned, sold again
        "G1": await make_device(session, cid, serial="G1", category="desktop"),  # returned to the donor
        "X1": await make_device(session, cid, serial="X1", category="screen"),  # lost
    }
    for code in (codes["L2"], codes["S1"], codes["T1"], codes["G1"], codes["X1"]):
        await devices.transition(session, code, Action.RECEIVE, Actor("test"))
    await parts.dismantle(session, codes["S1"], [], Actor("test"))
    await devices.transition(session, codes["G1"], Action.RETURN_TO_DONOR, Actor("test"))
    await devices.transition(session, codes["X1"], Action.DECLARE_LOST, Actor("test"))
    person = await make_beneficiary(session, "Awa Diallo", commune_insee="69266", age_band="26_44")
    outsider = await make_beneficiary(session, "Paul Ailleurs", commune_insee="75056", age_band="45_64")
    ids["people"] = [person, outsider]
    ok(
        await client.post(
            f"{API}/recycling-lots", json={"site_id": site_id, "eco_organism": "Ecologic", "codes": [codes["L2"]]}
        ),
        201,
    )
    ok(await client.post(f"{API}/till-sessions", json={"site_id": site_id, "opening_float_cents": 0}), 201)
    ok(
        await client.post(
            f"{API}/sales",
            json={
                "site_id": site_id,
                "beneficiary_id": person,
                "codes": [codes["L1"]],
                "payments": [{"method": "cash", "amount_cents": 9500}],
            },
        ),
        201,
    )
    ok(
        await client.post(
            f"{API}/invoices", json={"site_id": site_id, "buyer_partner_id": ids["metropole"], "codes": [codes["D1"]]}
        ),
        201,
    )
    # R1: sold to someone from elsewhere, brought back under warranty, tested and erased again, sold to
    # a resident (a second laptop for her: the quota is overridden in writing).
    first = ok(
        await client.post(
            f"{API}/sales",
            json={
                "site_id": site_id,
                "beneficiary_id": outsider,
                "codes": [codes["R1"]],
                "payments": [{"method": "card", "amount_cents": 9500}],
            },
        ),
        201,
    )
    ok(
        await client.post(
            f"{API}/sales/{first['id']}/returns",
            json={
                "codes": [codes["R1"]],
                "outcome": "refund",
                "reason": "Charnière cassée",
                "refunds": [{"method": "card", "amount_cents": 9500}],
            },
        ),
        201,
    )
    await devices.transition(session, codes["R1"], Action.START_DIAGNOSIS, Actor("test"))
    await prepare_for_sale(session, codes["R1"])  # a new test, a new disk erased…
    bench = await workbench.workbench(session, await devices.get_by_code(session, codes["R1"]))
    ended = datetime.now(UTC) - timedelta(minutes=1)
    await workbench.record_erasure(
        session,
        codes["R1"],
        workbench.NewErasure(  # … and the first disk erased again
            medium_id=bench.media[0].id,
            level="purge",
            technique="ata_secure_erase",
            tool="hdparm",
            started_at=ended - timedelta(minutes=20),
            ended_at=ended,
            verification="full",
            result="success",
        ),
        Actor("test"),
    )
    for step, data in (
        (Action.START_ERASURE, {}),
        (Action.GRADE, {"grade": "B", "price": "95"}),
        (Action.PUT_ON_SALE, {}),
    ):
        await steps.take_step(session, codes["R1"], step, Actor("test"), data=data)
    ok(
        await client.post(
            f"{API}/sales",
            json={
                "site_id": site_id,
                "beneficiary_id": person,
                "codes": [codes["R1"]],
                "payments": [{"method": "cash", "amount_cents": 9500}],
                "quota_override": "Second ordinateur pour un enfant",
            },
        ),
        201,
    )
    certificate = await client.get(f"{API}/devices/{codes['L1']}/erasure-certificate")
    assert certificate.status_code == 200
    return {"ids": ids, "codes": codes}


async def test_the_report_of_a_collectivity_gives_the_figures_worked_out_by_hand(
    client: Client, session: AsyncSession
) -> None:
    world = await _world(client, session)
    ids = world["ids"]
    report = ok(await client.get(f"{API}/reports/partners/{ids['villeurbanne']}", params=YEAR), 200)

    given = report["given"]
    assert (given["collections"], given["devices"]) == (1, 8), "the collection of 31 December 2025 is not in 2026"
    # Weighed: L1 2 + D1 6 + R1 1.8; estimated (median unit weights): L2 1.65 + S1 0.17 + T1 0.73 + G1 5.26 + X1 5.73.
    assert (given["weighed_kg"], given["estimated_kg"]) == (9.8, 13.54)
    by_category = {r["category"]: (r["devices"], r["weighed_kg"], r["estimated_kg"]) for r in given["by_category"]}
    assert by_category == {
        "desktop": (2, 6.0, 5.26),
        "laptop": (3, 3.8, 1.65),
        "smartphone": (1, 0.0, 0.17),
        "tablet": (1, 0.0, 0.73),
        "screen": (1, 0.0, 5.73),
    }
    assert {r["deee"]: r["devices"] for r in given["by_deee"]} == {2: 5, 6: 3}

    outcomes = report["outcomes"]
    assert {r["outcome"]: r["devices"] for r in outcomes["by_outcome"]} == {
        "reused": 3,
        "recycled": 1,
        "dismantled": 1,
        "in_progress": 1,
        "returned_to_donor": 1,
        "lost": 1,
    }
    assert {r["state"]: r["devices"] for r in outcomes["reused_by_state"]} == {"sold": 2, "sold_to_organisation": 1}
    assert outcomes["recycled_by_eco_organism"] == [{"eco_organism": "Ecologic", "devices": 1}]
    # REEN: the smartphone of 2012 is left out; 3 of the 7 others went to reuse.
    assert outcomes["reen"] | {"source": ""} == {
        "units": 7,
        "reused": 3,
        "share": 0.4286,
        "over_10_years": 1,
        "source": "",
    }

    # L1 and D1 one disk each; R1 its first disk (erased twice, counted once) and the one added after its return.
    assert report["erasure"] == {"media_erased": 4, "media_destroyed": 0, "certificates": 1}
    assert report["purchases"]["by_product_type"] == [], "Villeurbanne bought nothing"
    residents = report["residents"]
    # Her two laptops (L1, and R1 once resold); R1's first sale, to someone from elsewhere, was given back.
    assert (residents["people"], residents["devices"], residents["average_price_cents"]) == (1, 2, 9500)
    assert residents["by_age_band"] == [{"key": "26_44", "devices": 2}]
    assert residents["by_eligibility"] == [{"key": "rsa", "devices": 2}]
    environment = report["environment"]
    assert environment["kg_kept_from_waste"] == 9.8  # L1 2 + D1 6 + R1 1.8
    assert environment["kg_co2e_avoided"] == round(2 * 170.3 + 202.6, 1)
    assert environment["source"] == rules.co2_source()

    bought = ok(await client.get(f"{API}/reports/partners/{ids['metropole']}", params=YEAR), 200)
    assert bought["purchases"]["by_product_type"] == [
        {"type_produit_acquis": "Matériel informatique et téléphonie", "devices": 1, "ht_cents": 15000}
    ]
    assert bought["given"]["devices"] == 0


async def test_the_data_gouv_rows_have_the_schemas_columns_and_types(client: Client, session: AsyncSession) -> None:
    world = await _world(client, session)
    response = await client.get(f"{API}/reports/partners/{world['ids']['metropole']}/datagouv.csv", params=YEAR)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert list(rows[0]) == rules.datagouv_columns()
    (row,) = rows
    assert row["annee"] == "2026" and row["raison_sociale"] == "Métropole de Lyon"
    assert row["type_produit_acquis"] in (
        "Matériel informatique et téléphonie",
        "Matériel de reprographie et d'impression",
    )
    assert float(row["montant_reemploi_et_reutilisation"]) == 150.0 and float(row["montant_total"]) >= 150.0
    for number in (
        "montant_total",
        "montant_reemploi_et_reutilisation",
        "montant_produits_issus_don",
        "montant_produits_recycles",
    ):
        float(row[number])  # a number with a decimal point, as the schema's type "number"

    french = await client.get(f"{API}/reports/partners/{world['ids']['villeurbanne']}/tables/given.csv", params=YEAR)
    lines = french.content.decode("utf-8-sig").splitlines()
    assert french.content.startswith("\ufeff".encode()) and lines[0].startswith("Type;Catégorie DEEE;Appareils")
    assert "ordinateur portable;2;3;2;3,8;1;1,65" in lines
    problem(
        await client.get(f"{API}/reports/partners/{world['ids']['villeurbanne']}/tables/secret.csv"),
        422,
        "invalid-input",
    )


async def test_the_period_starts_and_ends_at_midnight_paris_time(client: Client, session: AsyncSession) -> None:
    world = await _world(client, session)
    # The resident's purchase moved to 31 December 2026, 23:30 in Paris (22:30 UTC): in 2026.
    await session.execute(update(Sale).where(Sale.kind == "sale").values(at=datetime(2026, 12, 31, 22, 30, tzinfo=UTC)))
    await session.commit()
    in_2026 = ok(await client.get(f"{API}/reports/partners/{world['ids']['villeurbanne']}", params=YEAR), 200)
    assert in_2026["residents"]["devices"] == 2
    # At 00:30 on 1 January 2027 in Paris it is still 31 December in UTC: not in 2026 any more.
    await session.execute(update(Sale).where(Sale.kind == "sale").values(at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC)))
    await session.commit()
    out = ok(await client.get(f"{API}/reports/partners/{world['ids']['villeurbanne']}", params=YEAR), 200)
    assert out["residents"]["devices"] == 0
    in_2027 = ok(
        await client.get(
            f"{API}/reports/partners/{world['ids']['villeurbanne']}", params={"from": "2027-01-01", "to": "2027-12-31"}
        ),
        200,
    )
    assert in_2027["residents"]["devices"] == 2


async def test_a_collectivity_reads_its_own_report_and_no_other(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    from reemploi.accounts.roles import Role
    from tests.through_api import logged_in

    world = await _world(client, session)
    ids = world["ids"]
    await logged_in(anonymous, session, "mairie", Role.COLLECTIVITY, partner_id=ids["villeurbanne"])
    own = ok(await anonymous.get(f"{API}/reports/partners/{ids['villeurbanne']}", params=YEAR), 200)
    assert own["given"]["devices"] == 8
    problem(await anonymous.get(f"{API}/reports/partners/{ids['metropole']}", params=YEAR), 404, "not-found")
    problem(await anonymous.get(f"{API}/reports/partners/{ids['metropole']}/datagouv.csv"), 404, "not-found")
    problem(
        await anonymous.get(
            f"{API}/reports/partners/{ids['villeurbanne']}", params={"from": "2026-12-31", "to": "2026-01-01"}
        ),
        422,
        "invalid-input",
    )


async def test_the_workshop_wide_report_adds_up_every_donor_buyer_and_resident(
    client: Client,
    anonymous: Client,
    session: AsyncSession,
) -> None:
    from reemploi.accounts.roles import Role
    from tests.through_api import logged_in

    world = await _world(client, session)
    whole = ok(await client.get(f"{API}/reports/workshop", params=YEAR), 200)
    assert (whole["given"]["devices"], whole["given"]["collections"]) == (8, 1)
    assert whole["purchases"]["by_product_type"] == [
        {"type_produit_acquis": "Matériel informatique et téléphonie", "devices": 1, "ht_cents": 15000}
    ]
    assert whole["residents"]["devices"] == 2, "every resident, whatever the commune (R1's first sale was returned)"
    assert (
        ok(await client.get(f"{API}/reports/workshop", params={**YEAR, "site_id": world["ids"]["site"]}), 200)["given"][
            "devices"
        ]
        == 8
    )
    problem(await client.get(f"{API}/reports/workshop", params={**YEAR, "site_id": 999}), 404, "not-found")
    pdf = await client.get(f"{API}/reports/workshop/report.pdf", params=YEAR)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    table = await client.get(f"{API}/reports/workshop/tables/outcomes.csv", params=YEAR)
    assert "réemployé;3" in table.content.decode("utf-8-sig").splitlines()
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    problem(await anonymous.get(f"{API}/reports/workshop"), 403, "forbidden")


async def test_a_manager_reads_the_whole_workshop_then_one_partner_on_the_reports_page(
    client: Client,
    anonymous: Client,
    session: AsyncSession,
) -> None:
    import html

    from reemploi.accounts.roles import Role
    from tests.through_api import logged_in

    world = await _world(client, session)
    await logged_in(anonymous, session, "claire", Role.MANAGER)
    whole = html.unescape((await anonymous.get("/reports", params={"year": 2026})).text)
    assert "Bilan 2026 — Tout l'atelier" in whole and "<strong>8</strong> appareil(s)" in whole
    own = html.unescape(
        (await anonymous.get("/reports", params={"year": 2026, "partner_id": world["ids"]["metropole"]})).text
    )
    assert "Bilan 2026 — Métropole de Lyon" in own and "Matériel informatique et téléphonie" in own
    assert "datagouv.csv" in own and "datagouv.csv" not in whole and "/reports/workshop/report.pdf" in whole
