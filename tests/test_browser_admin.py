"""A manager's first administration in a real browser (Debian's Chromium, Playwright) against
`reemploi serve`: on an installation with a site and nothing else, the home page leads to the first
donor; a mistyped SIRET is refused with what was typed kept, then corrected; the site's price grid is
filled and shows again. By the pages alone; screenshots in test-artifacts/."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from tests.factories import make_site
from tests.support.server import LiveServer
from tests.test_browser import PASSWORD, _log_in, _shot


async def test_a_manager_creates_a_donor_after_a_mistyped_siret_and_a_site_s_price_grid(
    browser: object, live_server: LiveServer, session: AsyncSession, engine_name: str
) -> None:
    site = await make_site(session, "LYO", "Atelier Lyon 7e")
    await accounts.create_user(session, accounts.NewUser("rania", "Rania Responsable", Role.MANAGER, PASSWORD))
    context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")  # type: ignore[attr-defined]
    page = await context.new_page()
    await _log_in(page, live_server.url, "rania", "/")
    ui = texts.UI

    # The home page says what comes next on this installation: the first donor.
    steps = page.locator("section.first-steps")
    await steps.get_by_text(ui["first_donor"]).wait_for()
    await steps.get_by_role("link", name=ui["create_first_donor"]).click()
    await page.wait_for_url("**/partners/new")

    # A SIRET with one wrong digit: refused, the page says which, everything typed is still there.
    await page.get_by_label(ui["partner_kind"]).select_option("company")
    await page.get_by_label(ui["partner_name"], exact=True).fill("Transports Rhodaniens SA")
    await page.get_by_label(ui["siret"]).fill("732 829 320 00075")
    await page.get_by_label(ui["contact_name"]).fill("Claire Martin")
    await page.get_by_role("button", name=ui["save_partner"]).click()
    refusal = page.locator("p.error")
    await refusal.wait_for()
    assert "SIRET « 73282932000075 » invalide" in await refusal.inner_text()
    assert await page.get_by_label(ui["partner_name"], exact=True).input_value() == "Transports Rhodaniens SA"
    assert await page.get_by_label(ui["contact_name"]).input_value() == "Claire Martin"
    await _shot(page, "partner-refused", engine_name)

    # Corrected: saved, and the donor's next step is one click away.
    await page.get_by_label(ui["siret"]).fill("732 829 320 00074")
    await page.get_by_role("button", name=ui["save_partner"]).click()
    await page.locator("p.notice").filter(has_text=ui["partner_saved"]).wait_for()
    assert await page.get_by_label(ui["siren"]).input_value() == "732829320"
    assert await page.get_by_role("link", name=ui["collection_for_donor"]).is_visible()
    await page.get_by_role("link", name=ui["nav_partners"]).click()
    row = page.locator("table.partners tbody tr").filter(has_text="Transports Rhodaniens SA")
    assert "entreprise" in await row.inner_text() and "73282932000074" in await row.inner_text()
    await _shot(page, "partners", engine_name)

    # The site's price grid: two laptop grades and a screen, saved and shown again.
    await page.get_by_role("link", name=ui["nav_sites"]).click()
    await page.locator("table.sites tbody tr").filter(has_text="LYO").get_by_role("link", name=ui["price_grid"]).click()
    await page.wait_for_url(f"**/sites/{site.id}/prices")
    await page.get_by_label("ordinateur portable, Grade A").fill("150")
    await page.get_by_label("ordinateur portable, Grade B").fill("120,50")
    await page.get_by_label("écran, Grade A").fill("25")
    await page.get_by_role("button", name=texts.PRICE_GRID["save"]).click()
    await page.locator("p.notice").filter(has_text=texts.PRICE_GRID["saved"]).wait_for()
    assert await page.get_by_label("ordinateur portable, Grade A").input_value() == "150,00 €"
    assert await page.get_by_label("ordinateur portable, Grade B").input_value() == "120,50 €"
    assert await page.get_by_label("écran, Grade A").input_value() == "25,00 €"
    assert await page.get_by_label("écran, Grade B").input_value() == ""
    await _shot(page, "price-grid", engine_name)

    # Back home: the next step is the first collection.
    await page.get_by_role("link", name=ui["nav_home"]).click()
    await page.locator("section.first-steps").get_by_text(ui["first_collection"]).wait_for()
    await context.close()
