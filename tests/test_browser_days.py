"""A day at the desk with its mistakes (issue 16, Done when): in Debian's Chromium against `reemploi
serve`, the receptionist mistypes a commune's INSEE code twice, a payment amount twice, and scans a
device just sold; each is refused in French where it happened, with what was typed and the basket
kept, and the day's sales still go through. (The bench's and the manager's days with mistakes are
tests/test_browser_intake.py, test_browser_workbench.py, test_browser_session.py, test_browser_admin.py
and test_browser_accounts.py.)"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from tests.factories import make_ready, make_world
from tests.support.server import LiveServer
from tests.test_browser import PASSWORD, _log_in, _shot


async def test_a_receptionist_s_day_with_mistakes_keeps_the_basket_and_what_was_typed(
    browser: object,
    live_server: LiveServer,
    session: AsyncSession,
    engine_name: str,
) -> None:
    site, _, collection_id = await make_world(session)
    site_id = site.id
    laptop = await make_ready(session, collection_id, "PF1DAY01", price="95")
    tablet = await make_ready(session, collection_id, "PF1DAY02", price="40")
    await accounts.create_user(
        session, accounts.NewUser("accueil", "Awa Accueil", Role.RECEPTION, PASSWORD, site_ids=(site_id,))
    )
    context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")  # type: ignore[attr-defined]
    page = await context.new_page()
    await _log_in(page, live_server.url, "accueil", "/reception")
    r = texts.RECEPTION
    await page.get_by_label(r["float"]).fill("50")
    await page.get_by_role("button", name=r["open_till"]).click()
    await page.get_by_text(r["till_open"]).wait_for()
    basket = page.locator("table.basket")

    await page.get_by_label(r["scan"]).fill(laptop)
    await page.keyboard.press("Enter")
    await basket.get_by_text(laptop).wait_for()

    # The person's record: a commune code of four digits, then one that is no commune, then the right one.
    await page.get_by_role("link", name=r["new_beneficiary"]).click()
    await page.get_by_label(r["name"]).fill("Awa Diallo")
    await page.get_by_label(r["reason_label"]).select_option("rsa")
    await page.get_by_label(r["verified_by"]).fill("CCAS de Villeurbanne")
    await page.get_by_label(r["until"]).fill("2099-06-30")
    for wrong, says in (("6926", "5 caractères"), ("69999", "aucune commune actuelle")):
        await page.get_by_label(r["commune"]).fill(wrong)
        async with page.expect_response(lambda answer: answer.request.method == "POST") as answered:
            await page.get_by_role("button", name=r["create"]).click()
        assert (await answered.value).status == 422
        await page.get_by_text(says).first.wait_for()
        assert await page.get_by_label(r["name"]).input_value() == "Awa Diallo"
        assert await page.get_by_label(r["verified_by"]).input_value() == "CCAS de Villeurbanne"
        assert await page.get_by_label(r["commune"]).input_value() == wrong
    await _shot(page, "day-reception-commune-refused", engine_name)
    await page.get_by_label(r["commune"]).fill("69266")
    await page.get_by_role("button", name=r["create"]).click()
    await page.get_by_text("B-000001").wait_for()
    await basket.get_by_text(laptop).wait_for()  # back at the desk, the basket as it was

    # The amount: unreadable, then short of the total; the basket and the amount typed stay.
    payment = page.get_by_role("region", name=r["pay"])
    amount = payment.get_by_label(r["amount"], exact=True)
    for typed, says in (("12,5,0", ""), ("50", "pour un total de 95,00 €")):
        await amount.fill(typed)
        async with page.expect_response(lambda answer: answer.request.method == "POST") as answered:
            await payment.get_by_role("button", name=r["sell"]).click()
        status = (await answered.value).status
        assert 400 <= status < 500, (typed, status)
        await page.locator(".error, [role=alert]").first.wait_for()
        if says:
            await page.get_by_text(says).first.wait_for()
        await basket.get_by_text(laptop).wait_for()
        assert await payment.get_by_label(r["amount"], exact=True).input_value() == typed
        body = await page.locator("body").inner_text()
        assert "Traceback" not in body and "Internal" not in body
    await _shot(page, "day-reception-amount-refused", engine_name)
    await payment.get_by_label(r["amount"], exact=True).fill("95")
    await payment.get_by_role("button", name=r["sell"]).click()
    await page.get_by_role("heading", name=f"{r['done']} —").wait_for()

    # Next sale: the tablet in the basket, then the laptop just sold scanned by mistake.
    await page.get_by_role("link", name=r["next_sale"]).click()
    await page.get_by_label(r["scan"]).fill(tablet)
    await page.keyboard.press("Enter")
    await basket.get_by_text(tablet).wait_for()
    await page.get_by_label(r["scan"]).fill(laptop)
    await page.keyboard.press("Enter")
    await page.get_by_text(f"{laptop} est « {texts.STATES['sold']} »").first.wait_for()
    await basket.get_by_text(tablet).wait_for()
    assert laptop not in await basket.inner_text()
    await _shot(page, "day-reception-sold-device-refused", engine_name)
    await context.close()


async def test_a_manager_opens_an_account_from_the_pages_after_a_login_already_taken(
    browser: object, live_server: LiveServer, session: AsyncSession, engine_name: str
) -> None:
    """The manager's day (its donor and price grid with their mistakes: tests/test_browser_admin.py): a
    manager, not an admin, opens a technician's account; a login already taken is refused first."""
    site, _, _ = await make_world(session)
    await accounts.create_user(
        session, accounts.NewUser("samia", "Samia Responsable", Role.MANAGER, PASSWORD, site_ids=(site.id,))
    )
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")  # type: ignore[attr-defined]
    page = await context.new_page()
    await _log_in(page, live_server.url, "samia", "/")
    await page.get_by_role("link", name="Comptes", exact=True).click()
    await page.get_by_role("link", name="Nouveau compte").click()
    await page.get_by_label("Identifiant").fill("samia")
    await page.get_by_label("Nom affiché").fill("Théo Martin")
    await page.get_by_label("Rôle").select_option(label="technicien·ne")
    await page.get_by_role("checkbox", name=site.code, exact=False).check()
    async with page.expect_response(lambda answer: answer.request.method == "POST") as answered:
        await page.get_by_role("button", name="Créer le compte et son code").click()
    assert (await answered.value).status == 409
    await page.locator(".error").filter(has_text="déjà pris").wait_for()
    assert await page.get_by_label("Nom affiché").input_value() == "Théo Martin"
    await page.get_by_label("Identifiant").fill("theo.martin")
    await page.get_by_role("button", name="Créer le compte et son code").click()
    code = (await page.locator("#one-time-code").inner_text()).strip()
    assert len(code) == 19, code
    await _shot(page, "day-manager-user-created", engine_name)
    await page.get_by_role("link", name="Retour aux comptes").click()
    assert "theo.martin" in await page.locator("table").inner_text()
    await context.close()
