"""Reception: selling ready devices to beneficiaries. Every refusal says why and changes nothing;
receipt numbers run without gap or double, also when 50 sales of the same 10 devices arrive at once,
on SQLite and PostgreSQL; the till's expected and counted amounts; receipts as PDF."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
import pypdfium2
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.roles import Role
from tests.factories import make_beneficiary, make_device, make_ready, make_world
from tests.through_api import API, Client, logged_in, ok, problem


async def _desk(session: AsyncSession, devices: int = 2, price: str = "95") -> tuple[int, list[str], int]:
    """A site with ready laptops and an eligible person: (site id, codes, beneficiary id)."""
    site, _, collection_id = await make_world(session)
    site_id = site.id
    codes = [await make_ready(session, collection_id, f"PF1SALE{n}", price=price) for n in range(devices)]
    return site_id, codes, await make_beneficiary(session)


async def _open_till(client: Client, site_id: int, float_cents: int = 5000) -> dict[str, Any]:
    return ok(
        await client.post(f"{API}/till-sessions", json={"site_id": site_id, "opening_float_cents": float_cents}), 201
    )


def _sale(
    site_id: int, person: int, codes: list[str], cents: int, method: str = "cash", **extra: Any
) -> dict[str, Any]:
    return {
        "site_id": site_id,
        "beneficiary_id": person,
        "codes": codes,
        "payments": [{"method": method, "amount_cents": cents}] if cents else [],
        **extra,
    }


async def _state(client: Client, code: str) -> str:
    return str(ok(await client.get(f"{API}/devices/{code}"), 200)["state"])


async def test_a_sale_takes_the_next_receipt_number_and_a_failed_one_takes_none(
    client: Client, session: AsyncSession
) -> None:
    site_id, codes, person = await _desk(session, 3)
    other = await make_beneficiary(session, "Karim Benali")
    third = await make_beneficiary(session, "Inès Robert")
    await _open_till(client, site_id)
    first = ok(await client.post(f"{API}/sales", json=_sale(site_id, person, [codes[0]], 9500)), 201)
    year = date.today().year
    assert (first["receipt"], first["total_cents"], first["kind"]) == (f"{year}-000001", 9500, "sale")
    assert await _state(client, codes[0]) == "sold"

    # A payment that does not add up: refused, nothing moved, no number taken.
    body = problem(
        await client.post(f"{API}/sales", json=_sale(site_id, other, [codes[1]], 9000)), 422, "invalid-input"
    )
    assert "90,00 € pour un total de 95,00 €" in body["detail"]
    assert await _state(client, codes[1]) == "ready"
    split = {
        "site_id": site_id,
        "beneficiary_id": other,
        "codes": [codes[1]],
        "payments": [
            {"method": "cash", "amount_cents": 2000},
            {"method": "voucher", "amount_cents": 7500, "reference": "BON-CCAS-118"},
        ],
    }
    second = ok(await client.post(f"{API}/sales", json=split), 201)
    assert second["receipt"] == f"{year}-000002", "no gap after the failed payment"
    donation = ok(await client.post(f"{API}/sales", json=_sale(site_id, third, [codes[2]], 0, donation=True)), 201)
    assert (donation["receipt"], donation["total_cents"], await _state(client, codes[2])) == (
        f"{year}-000003",
        0,
        "donated",
    )


async def test_fifty_sales_of_the_same_ten_devices_at_once_make_ten_sales_numbered_one_to_ten(
    client: Client,
    at_once: httpx.AsyncClient,
    session: AsyncSession,
) -> None:
    site_id, codes, _ = await _desk(session, 10)
    people = [await make_beneficiary(session, f"Personne {n}") for n in range(50)]
    await _open_till(client, site_id)
    answers = await asyncio.gather(
        *(
            at_once.post(f"{API}/sales", json=_sale(site_id, person, [codes[n % 10]], 9500))
            for n, person in enumerate(people)
        )
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] * 10 + [409] * 40, [a.text for a in answers if a.status_code not in (201, 409)]
    sold = [a.json() for a in answers if a.status_code == 201]
    assert sorted(int(s["receipt"].split("-")[1]) for s in sold) == list(range(1, 11))
    assert sorted(s["devices"][0] for s in sold) == sorted(codes), "each device sold exactly once"
    assert all(
        a.headers["content-type"].startswith("application/problem+json") for a in answers if a.status_code == 409
    )
    assert {await _state(client, code) for code in codes} == {"sold"}
    count = (await session.execute(text("SELECT count(*), count(DISTINCT number) FROM sales"))).one()
    assert tuple(count) == (10, 10)


async def test_each_refusal_says_why_and_leaves_the_devices_as_they_were(client: Client, session: AsyncSession) -> None:
    site_id, codes, person = await _desk(session, 3)
    site = site_id
    expired = await make_beneficiary(session, "Paul Expiré", until=date.today() - timedelta(days=1))

    # Till closed (never opened).
    body = problem(await client.post(f"{API}/sales", json=_sale(site, person, [codes[0]], 9500)), 409, "no-till-open")
    assert "caisse de ce site est fermée" in body["detail"]
    till = await _open_till(client, site)

    # Not ready: a device still at the workshop.
    (collection,) = (await session.execute(text("SELECT collection_id FROM devices LIMIT 1"))).one()
    at_bench = await make_device(session, collection, serial="PF1BENCH")
    body = problem(
        await client.post(f"{API}/sales", json=_sale(site, person, [codes[0], at_bench], 9500 * 2)),
        409,
        "device-not-available",
    )
    assert at_bench in body["detail"] and "prêt à la vente" in body["detail"]
    assert await _state(client, codes[0]) == "ready", "all or nothing"

    # Eligibility expired.
    body = problem(await client.post(f"{API}/sales", json=_sale(site, expired, [codes[0]], 9500)), 422, "invalid-input")
    assert "Éligibilité" in body["detail"] and "a expiré le" in body["detail"]

    # Price above the legal cap (the device came from a collectivity; its price was set above 180 € since).
    await session.execute(text("UPDATE devices SET price_cents = 19900 WHERE code = :c"), {"c": codes[2]})
    await session.commit()
    body = problem(await client.post(f"{API}/sales", json=_sale(site, person, [codes[2]], 19900)), 422, "invalid-input")
    assert "plafond légal de 180,00 €" in body["detail"] and "2022-1413" in body["detail"]

    # Quota: one laptop per person per 12 months; a second is refused unless a reason is written.
    ok(await client.post(f"{API}/sales", json=_sale(site, person, [codes[0]], 9500)), 201)
    body = problem(await client.post(f"{API}/sales", json=_sale(site, person, [codes[1]], 9500)), 422, "invalid-input")
    assert "Quota atteint" in body["detail"] and "déjà 1" in body["detail"]
    assert await _state(client, codes[1]) == "ready"
    overridden = ok(
        await client.post(
            f"{API}/sales",
            json=_sale(site, person, [codes[1]], 9500, quota_override="Second ordinateur pour l'enfant lycéen (CCAS)"),
        ),
        201,
    )
    assert overridden["quota_override"].startswith("Second ordinateur")

    # Sold: a second sale of it is refused.
    other = await make_beneficiary(session, "Autre Personne")
    problem(await client.post(f"{API}/sales", json=_sale(site, other, [codes[0]], 9500)), 409, "device-not-available")

    # The till, closed, takes nothing more.
    ok(await client.post(f"{API}/till-sessions/{till['id']}/close", json={"counted": {"cash": 24000}}), 200)
    body = problem(
        await client.post(
            f"{API}/till-sessions/{till['id']}/movements",
            json={"direction": "in", "amount_cents": 100, "reason": "monnaie"},
        ),
        409,
        "till-closed",
    )
    assert "fermée" in body["detail"]
    problem(await client.post(f"{API}/sales", json=_sale(site, other, [codes[2]], 19900)), 409, "no-till-open")


async def test_the_till_closes_with_what_was_expected_and_what_was_counted(
    client: Client, session: AsyncSession
) -> None:
    site_id, codes, person = await _desk(session, 2)
    other = await make_beneficiary(session, "Karim Benali")
    till = await _open_till(client, site_id, 5000)
    problem(
        await client.post(f"{API}/till-sessions", json={"site_id": site_id, "opening_float_cents": 0}),
        409,
        "till-already-open",
    )
    ok(await client.post(f"{API}/sales", json=_sale(site_id, person, [codes[0]], 9500)), 201)
    ok(await client.post(f"{API}/sales", json=_sale(site_id, other, [codes[1]], 9500, method="card")), 201)
    ok(
        await client.post(
            f"{API}/till-sessions/{till['id']}/movements",
            json={"direction": "out", "amount_cents": 2000, "reason": "Dépôt à la banque"},
        ),
        201,
    )
    problem(
        await client.post(
            f"{API}/till-sessions/{till['id']}/movements", json={"direction": "out", "amount_cents": 100, "reason": " "}
        ),
        422,
        "invalid-input",
    )
    closed = ok(
        await client.post(f"{API}/till-sessions/{till['id']}/close", json={"counted": {"cash": 12400, "card": 9500}}),
        200,
    )
    assert closed["status"] == "closed"
    assert (closed["expected"]["cash"], closed["expected"]["card"]) == (5000 + 9500 - 2000, 9500)
    assert (closed["differences"]["cash"], closed["differences"]["card"]) == (-100, 0)
    problem(await client.post(f"{API}/till-sessions/{till['id']}/close", json={"counted": {}}), 409, "till-closed")


def _words(pdf: bytes) -> tuple[str, float]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        width = document[0].get_width()
        return " ".join(" ".join(p.get_textpage().get_text_range().split()) for p in document), width
    finally:
        document.close()


async def test_the_receipt_says_what_the_law_asks_on_a4_and_on_a_roll(client: Client, session: AsyncSession) -> None:
    site_id, codes, person = await _desk(session, 1)
    await _open_till(client, site_id)
    sale = ok(
        await client.post(
            f"{API}/sales",
            json={
                "site_id": site_id,
                "beneficiary_id": person,
                "codes": codes,
                "payments": [{"method": "cheque", "amount_cents": 9500, "reference": "0001234"}],
            },
        ),
        201,
    )
    for paper, width_mm in (("a4", 210), ("80mm", 80)):
        response = await client.get(f"{API}/sales/{sale['id']}/receipt", params={"paper": paper})
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        words, width = _words(response.content)
        assert abs(width / 72 * 25.4 - width_mm) < 1, (paper, width)
        for expected in (
            sale["receipt"],
            codes[0],
            "PF1SALE0",
            "95,00 €",
            "Chèque",
            "0001234",
            "B-000001",
            "TVA non applicable, art. 293 B du CGI",
            "Garantie légale de conformité : 2 ans",
            "12 mois",
            "L.217-3",
            "reconditionné",
        ):
            assert expected in words, (paper, expected, words)
        assert "Zoé" not in words, "the receipt names the person by number only"
    problem(await client.get(f"{API}/sales/{sale['id']}/receipt", params={"paper": "a3"}), 400, "bad-request")
    problem(await client.get(f"{API}/sales/999/receipt"), 404, "not-found")


async def test_beneficiaries_are_found_by_name_or_number_and_a_likely_duplicate_is_pointed_out(
    client: Client,
    anonymous: Client,
    session: AsyncSession,
) -> None:
    person = {
        "name": "Zoé Dupont-Martin",
        "eligibility_reason": "aah",
        "eligibility_verified_by": "Mission locale",
        "eligible_until": "2027-06-30",
        "commune_insee": "69266",
        "age_band": "18_25",
        "referrer": "Mission locale",
    }
    first = ok(await client.post(f"{API}/beneficiaries", json=person), 201)
    assert first["number"] == "B-000001" and first["likely_duplicates"] == []
    again = ok(await client.post(f"{API}/beneficiaries", json={**person, "name": "ZOE  dupont martin"}), 201)
    assert again["likely_duplicates"] == ["B-000001"]
    assert [
        b["number"] for b in ok(await client.get(f"{API}/beneficiaries", params={"q": "dupont"}), 200)["items"]
    ] == [
        "B-000001",
        "B-000002",
    ]
    assert [b["number"] for b in ok(await client.get(f"{API}/beneficiaries", params={"q": "2"}), 200)["items"]] == [
        "B-000002"
    ]
    for bad, says in (
        ({"eligibility_reason": "riche"}, "Motif"),
        ({"commune_insee": "6926"}, "INSEE"),
        (
            {"commune_insee": "69152"},
            "aucune commune actuelle",
        ),  # Pierre-Bénite, merged into Oullins-Pierre-Bénite (69149)
        ({"commune_insee": "99999"}, "« 99999 »"),
        ({"eligibility_verified_by": " "}, "qui a vérifié"),
        ({"name": ""}, "nom"),
    ):
        assert (
            says
            in problem(await client.post(f"{API}/beneficiaries", json={**person, **bad}), 422, "invalid-input")[
                "detail"
            ]
        )
    # Personal data: the bench does not see it.
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    problem(await anonymous.get(f"{API}/beneficiaries", params={"q": "dupont"}), 403, "forbidden")


async def test_a_person_is_exported_on_request_and_anonymised_on_request_or_after_three_idle_years(
    client: Client,
    session: AsyncSession,
) -> None:
    from datetime import UTC, datetime

    from reemploi.sales import beneficiaries

    site_id, codes, person = await _desk(session, 2)
    idle = await make_beneficiary(session, "Lucien Ancien", contact="06 11 22 33 44")
    await _open_till(client, site_id)
    sold = ok(await client.post(f"{API}/sales", json=_sale(site_id, person, [codes[0]], 9500)), 201)

    exported = ok(await client.get(f"{API}/beneficiaries/{person}/export"), 200)
    assert exported["beneficiary"]["name"] == "Zoé Martin"
    assert [s["receipt"] for s in exported["sales"]] == [sold["receipt"]]
    assert exported["sales"][0]["devices"][0]["serial"] == "PF1SALE0"

    erased = ok(await client.post(f"{API}/beneficiaries/{person}/anonymise"), 200)
    assert (erased["number"], erased["name"], erased["contact"], erased["eligibility_reason"]) == (
        "B-000001",
        None,
        None,
        "rsa",
    )
    assert ok(await client.get(f"{API}/beneficiaries", params={"q": "martin"}), 200)["items"] == []
    assert ok(await client.get(f"{API}/sales/{sold['id']}"), 200)["total_cents"] == 9500, "the figures stay"
    body = problem(
        await client.post(f"{API}/sales", json=_sale(site_id, person, [codes[1]], 9500)), 422, "invalid-input"
    )
    assert "anonymisé" in body["detail"]

    # The schedule: nobody is due today; four years on, the idle person is.
    assert await beneficiaries.anonymise_inactive(session, 3) == 0
    later = datetime.now(UTC) + timedelta(days=4 * 365)
    assert await beneficiaries.anonymise_inactive(session, 3, now=later) == 1
    gone = ok(await client.get(f"{API}/beneficiaries/{idle}"), 200)
    assert (gone["name"], gone["contact"]) == (None, None)


async def test_a_return_under_warranty_sends_the_device_back_and_refunds_by_a_credit_note(
    client: Client,
    session: AsyncSession,
) -> None:
    site_id, codes, person = await _desk(session, 3)
    till = await _open_till(client, site_id, 5000)
    sale = ok(
        await client.post(
            f"{API}/sales",
            json={
                "site_id": site_id,
                "beneficiary_id": person,
                "codes": codes[:2],
                "payments": [{"method": "cash", "amount_cents": 19000}],
                "quota_override": "Deux enfants scolarisés",
            },
        ),
        201,
    )
    year = date.today().year
    back = {
        "codes": [codes[0]],
        "outcome": "refund",
        "reason": "Écran qui s'éteint",
        "refunds": [{"method": "cash", "amount_cents": 9500}],
    }
    for bad, says in (
        ({"reason": " "}, "raison du retour"),
        ({"refunds": []}, "comment le remboursement"),
        ({"refunds": [{"method": "cash", "amount_cents": 9600}]}, "dépasse le prix payé"),
        ({"codes": [codes[2]]}, "ne fait pas partie de la vente"),
        ({"outcome": "exchange"}, "Un échange ne rembourse rien"),
    ):
        assert (
            says
            in problem(
                await client.post(f"{API}/sales/{sale['id']}/returns", json={**back, **bad}), 422, "invalid-input"
            )["detail"]
        )
    assert await _state(client, codes[0]) == "sold", "refusals change nothing"

    refunded = ok(await client.post(f"{API}/sales/{sale['id']}/returns", json=back), 201)
    assert (refunded["credit_note"], refunded["receipt"], refunded["refund_cents"]) == (
        f"AV-{year}-000001",
        sale["receipt"],
        9500,
    )
    assert await _state(client, codes[0]) == "returned"
    assert ok(await client.get(f"{API}/sales/{sale['id']}"), 200)["total_cents"] == 19000, "the receipt is untouched"
    problem(await client.post(f"{API}/sales/{sale['id']}/returns", json=back), 409, "already-returned")
    exchange = ok(
        await client.post(
            f"{API}/sales/{sale['id']}/returns",
            json={"codes": [codes[1]], "outcome": "exchange", "reason": "Clavier défectueux"},
        ),
        201,
    )
    assert exchange["credit_note"] == f"AV-{year}-000002" and exchange["refund_cents"] == 0

    # The returned devices no longer count in the quota: the exchange device sells without an override.
    ok(await client.post(f"{API}/sales", json=_sale(site_id, person, [codes[2]], 9500)), 201)
    assert (ok(await client.get(f"{API}/till-sessions/{till['id']}"), 200))["expected"][
        "cash"
    ] == 5000 + 19000 - 9500 + 9500


async def test_the_z_report_lists_the_days_sales_refunds_and_cash_with_the_differences(
    client: Client,
    session: AsyncSession,
) -> None:
    site_id, codes, person = await _desk(session, 2)
    other = await make_beneficiary(session, "Karim Benali")
    till = await _open_till(client, site_id, 5000)
    first = ok(await client.post(f"{API}/sales", json=_sale(site_id, person, [codes[0]], 9500)), 201)
    ok(await client.post(f"{API}/sales", json=_sale(site_id, other, [codes[1]], 9500, method="card")), 201)
    ok(
        await client.post(
            f"{API}/sales/{first['id']}/returns",
            json={
                "codes": [codes[0]],
                "outcome": "refund",
                "reason": "Batterie HS",
                "refunds": [{"method": "cash", "amount_cents": 9500}],
            },
        ),
        201,
    )
    ok(
        await client.post(
            f"{API}/till-sessions/{till['id']}/movements",
            json={"direction": "in", "amount_cents": 1000, "reason": "Monnaie de la banque"},
        ),
        201,
    )
    open_report = await client.get(f"{API}/till-sessions/{till['id']}/report")
    assert "Rapport X" in _words(open_report.content)[0]
    ok(
        await client.post(f"{API}/till-sessions/{till['id']}/close", json={"counted": {"cash": 5900, "card": 9500}}),
        200,
    )
    response = await client.get(f"{API}/till-sessions/{till['id']}/report")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    words = _words(response.content)[0]
    year = date.today().year
    for expected in (
        "Rapport Z",
        f"{year}-000001",
        f"{year}-000002",
        f"AV-{year}-000001",
        "−95,00 €",
        "Monnaie de la banque",
        "50,00 €",
        "60,00 €",
        "59,00 €",
        "-1,00 €",
        "Carte bancaire",
    ):
        assert expected in words, (expected, words)
    problem(await client.get(f"{API}/till-sessions/999/report"), 404, "not-found")


async def test_a_site_sets_its_own_quota_and_vat_status(client: Client, session: AsyncSession) -> None:
    site_id, codes, person = await _desk(session, 2)
    defaults = ok(await client.get(f"{API}/sites/{site_id}/sale-settings"), 200)
    assert (defaults["quota_devices"], defaults["quota_months"], defaults["vat_subject"]) == (1, 12, False)
    problem(
        await client.put(
            f"{API}/sites/{site_id}/sale-settings",
            json={"quota_devices": 2, "quota_months": 12, "siret": "12345678901234"},
        ),
        422,
        "invalid-input",
    )
    changed = ok(
        await client.put(
            f"{API}/sites/{site_id}/sale-settings",
            json={
                "quota_devices": 2,
                "quota_months": 6,
                "vat_subject": True,
                "legal_name": "Association Lien Numérique",
                "siret": "732 829 320 00074",
            },
        ),
        200,
    )
    assert (changed["quota_devices"], changed["siret"]) == (2, "73282932000074")
    await _open_till(client, site_id)
    sale = ok(await client.post(f"{API}/sales", json=_sale(site_id, person, codes, 19000)), 201)  # 2 laptops: within 2
    words = _words((await client.get(f"{API}/sales/{sale['id']}/receipt")).content)[0]
    assert "Association Lien Numérique" in words and "SIRET 73282932000074" in words
    assert "293 B" not in words, "subject to VAT: no exemption mention"
    assert "dont montant HT 158,33 €" in words and "dont TVA 20 % 31,67 €" in words


async def test_an_organisation_buys_on_a_quote_then_an_invoice_with_ht_vat_ttc_and_its_agec_product_type(
    client: Client,
    session: AsyncSession,
) -> None:
    from tests.factories import make_commune

    site_id, codes, person = await _desk(session, 3)
    buyer = (await make_commune(session, "Métropole de Lyon", "69123", seed=9)).id
    await _open_till(client, site_id)
    receipt = ok(await client.post(f"{API}/sales", json=_sale(site_id, person, [codes[2]], 9500)), 201)
    ok(
        await client.put(
            f"{API}/sites/{site_id}/sale-settings", json={"quota_devices": 1, "quota_months": 12, "vat_subject": True}
        ),
        200,
    )
    quote = await client.get(
        f"{API}/quotes", params={"site_id": site_id, "buyer_partner_id": buyer, "codes": ",".join(codes[:2])}
    )
    assert quote.status_code == 200, quote.text
    words = _words(quote.content)[0]
    for expected in (
        "Devis",
        "Métropole de Lyon",
        "Matériel informatique et téléphonie",
        "79,17 €",
        "158,34 €",
        "31,66 €",
        "190,00 €",
        "valable jusqu'au",
    ):
        assert expected in words, (expected, words)
    assert {await _state(client, c) for c in codes[:2]} == {"ready"}, "a quote reserves nothing"

    sold = ok(
        await client.post(
            f"{API}/invoices",
            json={"site_id": site_id, "buyer_partner_id": buyer, "codes": codes[:2], "order_reference": "BC-2026-118"},
        ),
        201,
    )
    year = date.today().year
    assert (sold["receipt"], sold["kind"], sold["total_cents"]) == (f"FA-{year}-000001", "organisation", 19000)
    assert receipt["receipt"] == f"{year}-000001", "receipts and invoices are two series"
    assert {await _state(client, c) for c in codes[:2]} == {"sold_to_organisation"}
    words = _words((await client.get(f"{API}/sales/{sold['id']}/receipt")).content)[0]
    for expected in (
        "Facture",
        f"FA-{year}-000001",
        "BC-2026-118",
        "HT",
        "TVA",
        "TTC",
        "Matériel informatique et téléphonie",
        "article 58",
        "Paiement à 30 jours",
    ):
        assert expected in words, (expected, words)
    problem(
        await client.post(f"{API}/invoices", json={"site_id": site_id, "buyer_partner_id": buyer, "codes": codes[:1]}),
        409,
        "device-not-available",
    )
    problem(
        await client.post(f"{API}/devices/{codes[2]}/transitions", json={"action": "sell_to_organisation"}),
        409,
        "transition-not-allowed",
    )
