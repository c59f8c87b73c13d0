"""Administration in the pages (issue 16, item 2): partners with their communes by name, sites, a
site's price grid and sale rules, for managers and admins only; the first-run path of a new
installation (site → donor → collection); the commune list shipped in reemploi/rules."""

from __future__ import annotations

import html

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.roles import Role
from reemploi.partners import pages as partner_pages
from reemploi.partners import service as partners
from reemploi.partners.models import PartnerKind
from reemploi.rules.communes import commune_name, communes, find_communes
from reemploi.sales import service as sales
from reemploi.workshop import grading
from tests.factories import make_collection, make_commune, make_site, siren
from tests.through_api import API, Client, logged_in, problem


def shown(answer: object) -> str:
    return html.unescape(answer.text)  # type: ignore[attr-defined]


# --- The communes ---------------------------------------------------------------------------------------


def test_the_commune_list_is_the_2026_one_with_names_and_without_merged_communes() -> None:
    listed = communes()
    assert 34_000 < len(listed) < 36_000  # INSEE's COG 2026 counts 34,969 communes (France and overseas)
    assert commune_name("69266") == "Villeurbanne"
    assert commune_name("2a004") == "Ajaccio"  # Corsica's letters, typed in lower case
    assert commune_name("97411") == "Saint-Denis"  # La Réunion
    assert commune_name("69152") is None  # Pierre-Bénite, merged into Oullins-Pierre-Bénite (69149) in 2024
    assert commune_name("69149") == "Oullins-Pierre-Bénite"


def test_a_commune_is_found_by_a_piece_of_its_name_without_accents_or_by_its_code() -> None:
    assert find_communes("villeurb") == [("69266", "Villeurbanne")]
    assert ("69259", "Vénissieux") in find_communes("venissieux")
    assert find_communes("lyon")[0] == ("69123", "Lyon")  # the name that starts with it first
    assert all(code.startswith("6926") for code, _ in find_communes("6926"))
    assert find_communes("  ") == []


async def test_the_api_refuses_an_unknown_commune_naming_it(client: Client) -> None:
    answer = await client.post(
        f"{API}/partners",
        json={
            "kind": "collectivity",
            "name": "Métropole de Lyon",
            "siren": siren(7),
            "insee_code": "69",
            "communes": ["69123", "69152"],
        },
    )
    assert "69152" in problem(answer, 422, "invalid-input")["detail"]


# --- Partners -------------------------------------------------------------------------------------------


async def test_a_manager_creates_a_company_then_finds_it_by_name_and_by_siren(
    anonymous: Client, session: AsyncSession
) -> None:
    csrf = await logged_in(anonymous, session, "rania", Role.MANAGER)
    form = {"_csrf": csrf, "kind": "company", "name": "Transports Rhodaniens SA", "siret": "732 829 320 00074"}

    created = await anonymous.post("/partners/new", data=form, follow_redirects=False)
    assert created.status_code == 303
    page = await anonymous.get(created.headers["location"])
    assert page.status_code == 200
    assert "Partenaire enregistré" in shown(page) and 'value="732829320"' in page.text  # the SIREN, from the SIRET
    await make_commune(session)

    listed = await anonymous.get("/partners")
    assert "Transports Rhodaniens SA" in listed.text and "Ville de Villeurbanne" in listed.text
    assert "2 partenaire(s)" in listed.text
    by_name = await anonymous.get("/partners", params={"q": "rhodan"})
    assert "Transports Rhodaniens SA" in by_name.text and "Villeurbanne" not in by_name.text
    by_siren = await anonymous.get("/partners", params={"q": "732 829"})
    assert "Transports Rhodaniens SA" in by_siren.text and "Villeurbanne" not in by_siren.text
    nothing = await anonymous.get("/partners", params={"q": "Zzz"})
    assert "Aucun partenaire ne correspond" in shown(nothing)


async def test_the_partner_list_goes_page_by_page_keeping_the_search(
    anonymous: Client, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partner_pages, "PARTNERS_PER_PAGE", 2)
    for n, name in enumerate(("Atelier A", "Atelier B", "Atelier C", "Garage D")):
        await partners.create(session, partners.NewPartner(kind=PartnerKind.COMPANY, name=name, siren=siren(n + 20)))
    await logged_in(anonymous, session, "rania", Role.MANAGER)

    first = await anonymous.get("/partners", params={"q": "atelier"})
    assert "Atelier A" in first.text and "Atelier B" in first.text and "Atelier C" not in first.text
    assert "1–2 sur 3" in first.text and 'href="?q=atelier&amp;offset=2"' in first.text
    second = await anonymous.get("/partners", params={"q": "atelier", "offset": "2"})
    assert "Atelier C" in second.text and "Garage D" not in second.text


async def test_a_collectivity_s_communes_are_ticked_or_pasted_and_shown_by_name(
    anonymous: Client, session: AsyncSession
) -> None:
    csrf = await logged_in(anonymous, session, "rania", Role.MANAGER)
    form = {
        "_csrf": csrf,
        "kind": "collectivity",
        "name": "Département du Rhône",
        "siren": siren(3),
        "insee_code": "69",
        "communes": ["69266", "69123"],
        "pasted_communes": "69034, 69029\n69259",
    }
    created = await anonymous.post("/partners/new", data=form, follow_redirects=False)
    assert created.status_code == 303, shown(created)
    partner_id = int(created.headers["location"].split("/")[2].split("?")[0])
    page = shown(await anonymous.get(f"/partners/{partner_id}"))
    for name, code in (("Villeurbanne", "69266"), ("Lyon", "69123"), ("Caluire-et-Cuire", "69034"), ("Bron", "69029")):
        assert f"{name} ({code})" in page
    saved = await partners.get(session, partner_id)
    assert [c.insee_code for c in saved.communes] == ["69029", "69034", "69123", "69259", "69266"]

    # Lyon untouched, Villeurbanne untick, Vaulx-en-Velin pasted: the territory is replaced.
    change = {**form, "communes": ["69123", "69029", "69034", "69259"], "pasted_communes": "69256"}
    changed = await anonymous.post(f"/partners/{partner_id}", data=change, follow_redirects=False)
    assert changed.status_code == 303, shown(changed)
    await session.commit()  # a fresh read: a SQLite reader keeps its snapshot
    session.expire_all()
    saved = await partners.get(session, partner_id)
    assert [c.insee_code for c in saved.communes] == ["69029", "69034", "69123", "69256", "69259"]

    # A merged commune's old code is refused, named; what was typed stays; nothing changes.
    refused = await anonymous.post(
        f"/partners/{partner_id}", data={**change, "pasted_communes": "69152"}, follow_redirects=False
    )
    assert refused.status_code == 422
    assert "69152" in shown(refused) and "aucune commune actuelle" in shown(refused)
    assert "Vaulx-en-Velin" not in shown(refused) and "Lyon (69123)" in shown(refused)
    await session.commit()  # a fresh read: a SQLite reader keeps its snapshot
    session.expire_all()
    assert len((await partners.get(session, partner_id)).communes) == 5


async def test_a_commune_is_picked_from_the_list_found_by_its_name(anonymous: Client, session: AsyncSession) -> None:
    await logged_in(anonymous, session, "rania", Role.MANAGER)
    found = await anonymous.get("/partners/communes", params={"q": "villeurb"}, headers={"HX-Request": "true"})
    assert found.status_code == 200
    assert 'name="communes" value="69266"' in found.text and "Villeurbanne (69266)" in found.text
    none = await anonymous.get("/partners/communes", params={"q": "qwxz"})
    assert "Aucune commune" in none.text


async def test_partners_are_managed_by_managers_and_admins_only(anonymous: Client, session: AsyncSession) -> None:
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    assert (await anonymous.get("/partners")).status_code == 403
    assert (await anonymous.get("/sites")).status_code == 403
    home = await anonymous.get("/")
    assert 'href="/partners"' not in home.text and 'href="/sites"' not in home.text
    assert "/first-steps" not in home.text


# --- Sites, prices, sale rules ------------------------------------------------------------------------


async def test_an_admin_creates_a_site_from_the_pages(anonymous: Client, session: AsyncSession) -> None:
    csrf = await logged_in(anonymous, session, "camille", Role.ADMIN)
    created = await anonymous.post(
        "/sites/new",
        data={"_csrf": csrf, "code": "lyo", "name": "Atelier Lyon 7e", "label_template": "dymo-11354"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    page = await anonymous.get(created.headers["location"])
    assert "Site enregistré" in shown(page) and 'value="LYO"' in page.text
    assert 'value="dymo-11354" selected' in page.text
    listed = await anonymous.get("/sites")
    assert "Atelier Lyon 7e" in listed.text and 'href="/sites/new"' in listed.text

    site_id = created.headers["location"].split("/")[2].split("?")[0]
    renamed = await anonymous.post(
        f"/sites/{site_id}",
        data={"_csrf": csrf, "name": "Atelier Gerland", "address": "", "label_template": "dymo-11354"},
        follow_redirects=False,
    )
    assert renamed.status_code == 303
    assert "Atelier Gerland" in (await anonymous.get("/sites")).text


async def test_a_manager_sets_a_site_s_price_grid_within_the_legal_caps(
    anonymous: Client, session: AsyncSession
) -> None:
    site = await make_site(session)
    csrf = await logged_in(anonymous, session, "rania", Role.MANAGER)
    assert (await anonymous.get("/sites/new")).status_code == 403  # a site is an admin's
    site_page = await anonymous.get(f"/sites/{site.id}")
    assert site_page.status_code == 200 and "readonly" in site_page.text and "Enregistrer le site" not in site_page.text

    grid = {"_csrf": csrf, "price_laptop_A": "150", "price_laptop_B": "120,50", "price_screen_A": "25"}
    saved = await anonymous.post(f"/sites/{site.id}/prices", data=grid, follow_redirects=False)
    assert saved.status_code == 303, shown(saved)
    page = shown(await anonymous.get(saved.headers["location"]))
    assert "Grille de prix enregistrée" in page
    assert 'value="150,00 €"' in page and 'value="120,50 €"' in page and 'value="25,00 €"' in page
    entries = (await grading.price_grid(session, site.id, grading.LimitOffset(50, 0))).items
    assert {(e.category, e.grade, e.price_cents) for e in entries} == {
        ("laptop", "A", 15000),
        ("laptop", "B", 12050),
        ("screen", "A", 2500),
    }

    # A screen's cap is 30 €: refused with the cap named, the typed grid kept, the saved one unchanged.
    above = await anonymous.post(
        f"/sites/{site.id}/prices", data={**grid, "price_screen_A": "45"}, follow_redirects=False
    )
    assert above.status_code == 422
    assert "30,00 €" in shown(above) and 'value="45"' in above.text
    unreadable = await anonymous.post(
        f"/sites/{site.id}/prices", data={**grid, "price_laptop_C": "beaucoup"}, follow_redirects=False
    )
    assert unreadable.status_code == 422 and "beaucoup" in shown(unreadable) and "grade C" in shown(unreadable)
    assert len((await grading.price_grid(session, site.id, grading.LimitOffset(50, 0))).items) == 3


async def test_a_manager_sets_a_site_s_sale_rules(anonymous: Client, session: AsyncSession) -> None:
    site = await make_site(session)
    csrf = await logged_in(anonymous, session, "rania", Role.MANAGER)
    first = shown(await anonymous.get(f"/sites/{site.id}/sale-settings"))
    assert "TVA non applicable, art. 293 B du CGI" in first
    assert 'name="quota_devices" inputmode="numeric" value="1"' in first  # figures.toml's default

    form = {
        "_csrf": csrf,
        "quota_devices": "2",
        "quota_months": "24",
        "vat_subject": "true",
        "legal_name": "Les Ateliers du Rhône",
        "siret": "732 829 320 00074",
    }
    saved = await anonymous.post(f"/sites/{site.id}/sale-settings", data=form, follow_redirects=False)
    assert saved.status_code == 303, shown(saved)
    page = shown(await anonymous.get(saved.headers["location"]))
    assert "Règles de vente enregistrées" in page and "Les Ateliers du Rhône" in page
    rule, row = await sales.site_rules(session, site.id)
    assert (rule.quota_devices, rule.quota_months, rule.eligibility_required) == (2, 24, False)
    assert row is not None and row.vat_subject and row.siret == "73282932000074"

    refused = await anonymous.post(
        f"/sites/{site.id}/sale-settings", data={**form, "quota_months": "douze"}, follow_redirects=False
    )
    assert refused.status_code == 422 and 'value="douze"' in refused.text


# --- The first run ------------------------------------------------------------------------------------


async def test_a_new_installation_leads_its_admin_from_site_to_donor_to_first_collection(
    anonymous: Client, session: AsyncSession
) -> None:
    await logged_in(anonymous, session, "camille", Role.ADMIN)
    home = await anonymous.get("/")
    assert 'hx-get="/first-steps"' in home.text
    assert 'href="/partners"' in home.text and 'href="/sites"' in home.text

    step = shown(await anonymous.get("/first-steps"))
    assert "Première étape" in step and 'href="/sites/new"' in step
    no_site = shown(await anonymous.get("/collections/new"))
    assert "Aucun site" in no_site and 'href="/sites/new"' in no_site and 'name="donor_id"' not in no_site

    site = await make_site(session)
    step = shown(await anonymous.get("/first-steps"))
    assert "Deuxième étape" in step and 'href="/partners/new"' in step
    no_donor = shown(await anonymous.get("/collections/new"))
    assert "Aucun donateur" in no_donor and 'href="/partners/new"' in no_donor

    donor = await make_commune(session)
    step = shown(await anonymous.get("/first-steps"))
    assert "Troisième étape" in step and 'href="/collections/new"' in step
    chosen = await anonymous.get("/collections/new", params={"donor_id": str(donor.id)})
    assert f'<option value="{donor.id}" selected>' in chosen.text

    await make_collection(session, site, donor)
    assert "étape" not in shown(await anonymous.get("/first-steps"))


async def test_a_manager_without_a_site_is_told_to_ask_an_admin(anonymous: Client, session: AsyncSession) -> None:
    await logged_in(anonymous, session, "rania", Role.MANAGER)
    step = shown(await anonymous.get("/first-steps"))
    assert "Première étape" in step and "Demandez à un administrateur" in step and "/sites/new" not in step
