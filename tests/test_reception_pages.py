"""The reception desk over HTTP: bad input answers the desk again with what is wrong (and writes
nothing), the basket and the person travel in the address, a likely duplicate is said."""

from __future__ import annotations

import html
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.roles import Role
from tests.factories import make_beneficiary, make_ready, make_world
from tests.through_api import Client, logged_in


def said(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.text
    return html.unescape(response.text)


async def test_the_desk_refuses_bad_input_with_a_message_and_sells_nothing(
    anonymous: Client, session: AsyncSession
) -> None:
    site, _, collection_id = await make_world(session)
    site_id = site.id
    code = await make_ready(session, collection_id, "PF1PAGE1")
    person = await make_beneficiary(session, "Awa Diallo")
    csrf = await logged_in(anonymous, session, "accueil", Role.RECEPTION)

    bad_float = said(
        await anonymous.post(
            "/reception/till", data={"_csrf": csrf, "do": "open", "site_id": str(site_id), "float": "cinquante"}
        ),
        422,
    )
    assert "Montant illisible" in bad_float
    said(
        await anonymous.post(
            "/reception/till",
            data={"_csrf": csrf, "do": "open", "site_id": str(site_id), "float": "50"},
            follow_redirects=False,
        ),
        303,
    )
    assert "Caisse ouverte depuis" in said(await anonymous.get("/reception", params={"site_id": str(site_id)}))

    desk = said(await anonymous.get("/reception", params={"site_id": str(site_id), "add": code.lower(), "q": "diallo"}))
    assert code in desk and "B-000001" in desk and "Encaisser" in desk, "one match is chosen at once"
    sale = {"_csrf": csrf, "site_id": str(site_id), "codes": code, "beneficiary_id": str(person), "method": "cash"}
    short = said(await anonymous.post("/reception/sale", data={**sale, "amount": "90"}), 422)
    assert "90,00 € pour un total de 95,00 €" in short and 'value="90"' in short, "what was typed is kept"
    unreadable = said(await anonymous.post("/reception/sale", data={**sale, "amount": "9O"}), 422)
    assert "Montant illisible" in unreadable
    unknown = said(await anonymous.post("/reception/sale", data={**sale, "amount": "95", "method": "bitcoin"}), 422)
    assert "Moyen de paiement « bitcoin » inconnu" in unknown
    assert (await session.execute(text("SELECT count(*) FROM sales"))).scalar_one() == 0

    done = await anonymous.post("/reception/sale", data={**sale, "amount": "95,00"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/reception/sales/")
    receipt = said(await anonymous.get(done.headers["location"]))
    assert "Vente enregistrée" in receipt and "receipt?paper=80mm" in receipt
    desk_page = said(await anonymous.get("/reception", params={"site_id": str(site_id)}))
    assert "/api/v1/till-sessions/" in desk_page, "the desk lists its tills and their reports"
    assert "<title>Accueil — vente solidaire — reemploi</title>" in desk_page

    again = said(await anonymous.post("/reception/sale", data={**sale, "amount": "95,00"}), 409)
    assert "seul un appareil prêt à la vente" in again


async def test_a_new_beneficiary_form_keeps_what_was_typed_and_says_when_the_name_is_known(
    anonymous: Client,
    session: AsyncSession,
) -> None:
    await make_world(session)
    await make_beneficiary(session, "Zoé Dupont")
    csrf = await logged_in(anonymous, session, "accueil", Role.RECEPTION)
    form = {
        "_csrf": csrf,
        "name": "Zoe DUPONT",
        "eligibility_reason": "css",
        "eligibility_verified_by": "CCAS",
        "eligible_until": "2099-01-01",
        "commune_insee": "6926",
    }
    refused = said(await anonymous.post("/reception/beneficiaries/new", data=form), 422)
    assert "Code INSEE" in refused and 'value="Zoe DUPONT"' in refused
    bad_day = said(
        await anonymous.post(
            "/reception/beneficiaries/new", data={**form, "commune_insee": "69266", "eligible_until": "31/12/2099"}
        ),
        422,
    )
    assert "Date illisible" in bad_day
    created = said(await anonymous.post("/reception/beneficiaries/new", data={**form, "commune_insee": "69266"}))
    assert "B-000001" in created and "même nom" in created and "B-000002" in created

    # The bench does not reach the desk.
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    refused = await anonymous.get("/reception", follow_redirects=False)
    assert refused.status_code == 403 and "ne permet pas" in refused.text


async def test_a_return_is_recorded_from_its_receipt_number(
    anonymous: Client, session: AsyncSession, client: Client
) -> None:
    site, _, collection_id = await make_world(session)
    site_id = site.id
    code = await make_ready(session, collection_id, "PF1RET1")
    person = await make_beneficiary(session, "Awa Diallo")
    csrf = await logged_in(anonymous, session, "accueil", Role.RECEPTION)
    await anonymous.post("/reception/till", data={"_csrf": csrf, "do": "open", "site_id": str(site_id), "float": "50"})
    done = await anonymous.post(
        "/reception/sale",
        data={
            "_csrf": csrf,
            "site_id": str(site_id),
            "codes": code,
            "beneficiary_id": str(person),
            "method": "cash",
            "amount": "95",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    receipt = said(await anonymous.get(done.headers["location"])).split("Vente enregistrée — ", 1)[1][:11]

    assert "n'est pas un n° de ticket" in said(
        await anonymous.get("/reception/returns", params={"receipt": "abc"}), 422
    )
    assert "Aucune vente" in said(await anonymous.get("/reception/returns", params={"receipt": "2001-000009"}), 404)
    found = said(await anonymous.get("/reception/returns", params={"receipt": receipt}))
    assert code in found and "Enregistrer le retour" in found
    no_reason = said(
        await anonymous.post(
            "/reception/returns",
            data={
                "_csrf": csrf,
                "receipt": receipt,
                "codes": code,
                "outcome": "refund",
                "amount": "95",
                "method": "cash",
                "reason": "",
            },
        ),
        422,
    )
    assert "raison du retour" in no_reason
    recorded = said(
        await anonymous.post(
            "/reception/returns",
            data={
                "_csrf": csrf,
                "receipt": receipt,
                "codes": code,
                "outcome": "refund",
                "amount": "95",
                "method": "cash",
                "reason": "Écran noir",
            },
        )
    )
    assert "Retour enregistré : Avoir AV-" in recorded and "95,00 €" in recorded
    assert (
        await session.execute(text("SELECT state FROM devices WHERE code = :c"), {"c": code})
    ).scalar_one() == "returned"
