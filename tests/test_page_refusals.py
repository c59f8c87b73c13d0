"""Every form of every page, refused (issue 16): the answer is a French HTML page (or the htmx
fragment the page swaps in) with the refusal's real 4xx status and a message that says what is
wrong; nothing is written. The table below must name every form route the application has, so a
new form cannot be added without its refusal being walked here."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.models import User
from reemploi.accounts.roles import Role
from reemploi.actors import Actor
from reemploi.db import Base
from reemploi.devices import service as devices
from reemploi.devices.lifecycle import Action
from reemploi.recycling import service as recycling
from reemploi.stock import service as stock
from tests.factories import make_device, make_world, siren
from tests.through_api import PASSWORD, Client, logged_in


@dataclass(frozen=True)
class Refusal:
    """A form route, what a real user might send it that must be refused, and what the page says."""

    path: str  # {repair}, {diagnosis}, {collection}, {lot}, {partner}, {site} are filled from the world below
    form: dict[str, str]
    says: str  # a piece of the French message
    kept: tuple[str, ...] = ()  # what was typed and must show again
    files: dict[str, Any] = field(default_factory=dict)


REFUSALS: dict[str, Refusal] = {
    "/login": Refusal("/login", {"login": "karim.b", "password": "pas le bon"}, "identifiant", kept=("karim.b",)),
    "/collections/new": Refusal(
        "/collections/new",
        {"donor_id": "abc", "site_id": "1", "pickup_address": "12 rue Émile Zola"},
        "",
    ),
    "/collections/{collection_id:int}/intake": Refusal(
        "/collections/{collection}/intake", {"serial": "PF1XYZ", "category": "grille-pain"}, "catégorie"
    ),
    "/collections/{collection_id:int}/manifest-upload": Refusal(
        "/collections/{collection}/manifest-upload", {}, "fichier"
    ),
    "/devices/{code:str}/cancel-registration": Refusal(
        "/devices/{diagnosis}/cancel-registration", {"confirm": "true"}, "ne peut plus être annulé"
    ),
    "/devices/{code:str}/steps": Refusal(
        "/devices/{diagnosis}/steps", {"action": "voler", "expected_version": "1"}, "voler"
    ),
    "/labels/template": Refusal("/labels/template", {"template": "étiquette-inconnue"}, ""),
    "/devices/{code:str}/media": Refusal(
        "/devices/{diagnosis}/media",
        {"kind": "disquette", "model": "Maxtor DiamondMax 21"},
        "",
        kept=("Maxtor DiamondMax 21",),
    ),
    "/devices/{code:str}/reports": Refusal("/devices/{diagnosis}/reports", {}, ""),
    "/devices/{code:str}/systems": Refusal(
        "/devices/{diagnosis}/systems",
        {"family": "windows", "name": "Windows 11 Famille", "licence": "refurbisher", "licence_key": "QWERT-12345"},
        "cinq groupes",
        kept=("Windows 11 Famille", "QWERT-12345"),
    ),
    "/devices/{code:str}/dismantle": Refusal(
        "/devices/{diagnosis}/dismantle",
        {"parts": "ram ; ; 1", "confirmed": "true"},
        "Décrivez chaque pièce",
        kept=("ram ; ; 1",),
    ),
    "/devices/{code:str}/erasures": Refusal(
        "/devices/{diagnosis}/erasures", {"level": "clear", "technique": "overwrite", "result": "success"}, ""
    ),
    "/devices/{code:str}/repairs": Refusal(
        "/devices/{repair}/repairs",
        {"actions": " ", "minutes": "4711"},
        "Décrivez ce qui a été fait",
        kept=('value="4711"',),
    ),
    "/devices/{code:str}/tests": Refusal(
        "/devices/{diagnosis}/tests",
        {"check__power": "pass", "note": "boîtier fêlé au coin"},
        "sans réponse",
        kept=("boîtier fêlé au coin",),
    ),
    "/devices/{code:str}/recycle": Refusal("/devices/{diagnosis}/recycle", {"lot_id": ""}, ""),
    "/parts": Refusal("/parts", {"site_id": "²", "kind": "ram", "description": "DDR4 8 Go"}, "nombre entier"),
    "/recycling-lots/{lot_id:int}/devices": Refusal(
        "/recycling-lots/{lot}/devices", {"codes": "ZZZ-999999-Q"}, "", kept=("ZZZ-999999-Q",)
    ),
    "/recycling-lots/{lot_id:int}/close": Refusal(
        "/recycling-lots/{lot}/close", {"slip_number": "BSD-1", "weight_kg": "beaucoup"}, "Poids"
    ),
    "/recycling-lots": Refusal(
        "/recycling-lots", {"site_id": "1", "eco_organism": "  ", "deee_category": "4"}, "éco-organisme"
    ),
    "/stock/locations": Refusal("/stock/locations", {"site_id": "1", "code": ""}, ""),
    "/stock/audit": Refusal(
        "/stock/audit", {"location_id": "trois", "codes": "TST-000001-N"}, "nombre entier", kept=("TST-000001-N",)
    ),
    "/stock/put-away": Refusal(
        "/stock/put-away", {"location_id": "trois", "codes": "TST-000001-N"}, "nombre entier", kept=("TST-000001-N",)
    ),
    "/reception/beneficiaries/new": Refusal(
        "/reception/beneficiaries/new",
        {"name": "", "eligibility_reason": "rsa", "referrer": "CCAS de Vaulx-en-Velin"},
        "",
        kept=("CCAS de Vaulx-en-Velin",),
    ),
    "/reception/returns": Refusal(
        "/reception/returns",
        {"receipt": "", "outcome": "refund", "reason": "écran qui clignote"},
        "",
    ),
    "/reception/sale": Refusal("/reception/sale", {"method": "cash", "amount": "12,50"}, ""),
    "/reception/till": Refusal("/reception/till", {"do": "open", "float": "cent euros"}, "", kept=("cent euros",)),
    "/users/new": Refusal(
        "/users/new", {"login": "karim", "name": "Karim Bis", "role": "technician"}, "déjà pris", kept=("Karim Bis",)
    ),
    # {me}: the admin logged in, the workshop's only one.
    "/users/{user_id:int}": Refusal("/users/{me}", {"role": "technician"}, "dernier compte d'administration"),
    "/users/{user_id:int}/active": Refusal("/users/{me}/active", {"active": "false"}, "votre propre compte"),
    "/users/{user_id:int}/reset": Refusal("/users/999999/reset", {}, "introuvable"),
    "/account/password": Refusal(
        "/account/password", {"current": "pas le bon du tout", "password": "x", "again": "x"}, "actuel incorrect"
    ),
    "/tokens": Refusal("/tokens", {"name": "diagnostic USB", "role": "chef"}, "rôle", kept=("diagnostic USB",)),
    "/tokens/{token_id:int}/revoke": Refusal("/tokens/999999/revoke", {}, "introuvable"),
    "/login/code": Refusal(
        "/login/code",
        {"login": "karim", "code": "AAAA-BBBB-CCCC-DDDD", "password": PASSWORD, "again": PASSWORD},
        "code incorrect",
        kept=("karim",),
    ),
    "/partners/new": Refusal(
        "/partners/new",
        {"kind": "company", "name": "Transports Rhodaniens SA", "siren": "732829321"},
        "SIREN « 732829321 » invalide",
        kept=("Transports Rhodaniens SA", "732829321"),
    ),
    "/partners/{partner_id:int}": Refusal(
        "/partners/{partner}",
        {
            "kind": "collectivity",
            "name": "Ville de Villeurbanne",
            "siren": siren(1),
            "insee_code": "69266",
            "communes": "69266",
            "pasted_communes": "69034 69152",
        },
        "69152",
        kept=("Caluire-et-Cuire", "69034 69152"),
    ),
    "/sites/new": Refusal(
        "/sites/new", {"code": "LYON7", "name": "Atelier Gerland"}, "1 à 4 lettres", kept=("Atelier Gerland",)
    ),
    "/sites/{site_id:int}": Refusal(
        "/sites/{site}",
        {"name": "Atelier Gerland", "label_template": "rouleau-inconnu"},
        "rouleau-inconnu",
        kept=("Atelier Gerland",),
    ),
    "/sites/{site_id:int}/prices": Refusal(
        "/sites/{site}/prices", {"price_laptop_A": "250", "price_laptop_B": "120"}, "plafond", kept=("250", "120")
    ),
    "/sites/{site_id:int}/sale-settings": Refusal(
        "/sites/{site}/sale-settings",
        {"quota_devices": "1", "quota_months": "12", "legal_name": "Les Ateliers du Rhône", "siret": "73282932000075"},
        "SIRET",
        kept=("Les Ateliers du Rhône", "73282932000075"),
    ),
}

NOT_FORMS = {"/logout"}  # leaves the session: nothing to refuse


def test_every_form_route_of_the_pages_is_walked(app: Litestar) -> None:
    forms = {
        route.path
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if not route.path.startswith("/api") and set(handler.http_methods) & {"POST", "PUT", "PATCH", "DELETE"}
    }
    assert forms - NOT_FORMS == set(REFUSALS)


async def _counts(session: AsyncSession) -> dict[str, int]:
    """The row count of every table but the accounts' sessions and their audit (a refused login is
    recorded there on purpose), read in a fresh transaction: a SQLite reader keeps its snapshot."""
    await session.commit()
    counts = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "auth_events" or any(word in table.name for word in ("session", "login", "attempt")):
            continue
        counts[table.name] = (await session.execute(select(func.count()).select_from(table))).scalar_one()
    return counts


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("route", sorted(REFUSALS))
async def test_a_refused_form_answers_a_french_page_with_its_status_and_writes_nothing(
    anonymous: Client, session: AsyncSession, route: str, htmx: bool
) -> None:
    refusal = REFUSALS[route]
    site, commune, collection_id = await make_world(session)
    in_repair, in_diagnosis = [await make_device(session, collection_id, serial=f"PF1REF{n}") for n in range(2)]
    for action in (Action.RECEIVE, Action.START_DIAGNOSIS, Action.SEND_TO_REPAIR):
        await devices.transition(session, in_repair, action, Actor("test"))
    for action in (Action.RECEIVE, Action.START_DIAGNOSIS):
        await devices.transition(session, in_diagnosis, action, Actor("test"))
    lot = await recycling.open_lot(session, site.id, "ecosystem", Actor("test"))
    await stock.add_location(session, site.id, "A-01", "étagère du fond")  # the stock forms show with one
    if route == "/login":
        csrf = ""
    else:
        csrf = await logged_in(anonymous, session, "karim", Role.ADMIN)
    me = (await session.execute(select(User.id).where(User.login == "karim"))).scalar()
    path = refusal.path.format(
        repair=in_repair,
        diagnosis=in_diagnosis,
        collection=collection_id,
        lot=lot.id,
        me=me,
        partner=commune.id,
        site=site.id,
    )
    before = await _counts(session)

    answer = await anonymous.post(
        path,
        data={**refusal.form, "_csrf": csrf} if csrf else refusal.form,
        files=refusal.files or None,
        headers={"HX-Request": "true"} if htmx else {},
        follow_redirects=False,
    )

    shown = html.unescape(answer.text)
    assert 400 <= answer.status_code < 500, (answer.status_code, shown[:600])
    assert answer.headers["content-type"].startswith("text/html"), answer.headers["content-type"]
    assert "<html" in shown if not htmx or route == "/login" else True
    message = re.search(r'class="(?:error|alert)[^"]*"[^>]*>(.*?)</', shown, re.S)
    assert message and message.group(1).strip(), shown[:1500]
    words = message.group(1)
    assert re.search(r"[a-zà-ÿ]{3,}", words) and not re.search(r"\b(the|is|must|invalid|error)\b", words), words
    assert refusal.says.lower() in shown.lower(), (refusal.says, words)
    for typed in refusal.kept:
        assert typed in shown, f"{typed!r} not kept"
    assert await _counts(session) == before
