"""An admin opens an account from the pages (issue 16), in Debian's Chromium against `reemploi serve`:
a login already taken first (the page says so and keeps what was typed), then the right one; the
one-time code shown once is what the new person uses, on the login page, to choose their password
(a too short one refused first) and arrive logged in; then an API token, its secret shown once,
revoked. Screenshots in test-artifacts/."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from tests.factories import make_world
from tests.support.server import LiveServer
from tests.test_browser import PASSWORD, _log_in, _shot

NEW_PASSWORD = "Velo orange sous la pluie 42"


async def test_an_admin_opens_an_account_and_its_person_sets_a_password_with_the_one_time_code(
    browser: object, live_server: LiveServer, session: AsyncSession, engine_name: str
) -> None:
    site, _, _ = await make_world(session)
    await accounts.create_user(session, accounts.NewUser("karim", "Karim Admin", Role.ADMIN, PASSWORD))
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")  # type: ignore[attr-defined]
    page = await context.new_page()
    await _log_in(page, live_server.url, "karim", "/")

    await page.get_by_role("link", name="Comptes", exact=True).click()
    await page.get_by_role("link", name="Nouveau compte").click()
    # A mistake first: a login someone already has.
    await page.get_by_label("Identifiant").fill("karim")
    await page.get_by_label("Nom affiché").fill("Julie Dupont")
    await page.get_by_label("Rôle").select_option(label="technicien·ne")
    await page.get_by_role("checkbox", name=site.code, exact=False).check()
    await page.get_by_role("button", name="Créer le compte et son code").click()
    await page.locator(".error").filter(has_text="déjà pris").wait_for()
    assert await page.get_by_label("Nom affiché").input_value() == "Julie Dupont"
    assert await page.get_by_label("Rôle").input_value() == "technician"
    assert await page.get_by_role("checkbox", name=site.code, exact=False).is_checked()
    await _shot(page, "user-new-refused", engine_name)

    await page.get_by_label("Identifiant").fill("julie.dupont")
    await page.get_by_role("button", name="Créer le compte et son code").click()
    code = (await page.locator("#one-time-code").inner_text()).strip()
    assert len(code) == 19, code
    await _shot(page, "user-one-time-code", engine_name)
    await page.get_by_role("link", name="Retour aux comptes").click()
    assert "julie.dupont" in await page.locator("table").inner_text()
    assert code not in await page.content()

    # Julie, on her phone: the code from the login page, then her own password.
    phone = await browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")  # type: ignore[attr-defined]
    hers = await phone.new_page()
    await hers.goto(f"{live_server.url}/login")
    await hers.get_by_role("link", name="J'ai un code à usage unique").click()
    await hers.get_by_label("Identifiant").fill("julie.dupont")
    await hers.get_by_label("Code à usage unique").fill(code.lower())
    await hers.get_by_label("Nouveau mot de passe", exact=True).fill("julie2026")
    await hers.get_by_label("Nouveau mot de passe, encore").fill("julie2026")
    await hers.get_by_role("button", name="Enregistrer et me connecter").click()
    await hers.locator(".error").filter(has_text="trop court").wait_for()
    assert await hers.get_by_label("Identifiant").input_value() == "julie.dupont"
    assert await hers.get_by_label("Nouveau mot de passe", exact=True).input_value() == ""
    wide = await hers.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wide, "the page is wider than the phone"
    await _shot(hers, "login-code-refused-390", engine_name)

    await hers.get_by_label("Code à usage unique").fill(code)
    await hers.get_by_label("Nouveau mot de passe", exact=True).fill(NEW_PASSWORD)
    await hers.get_by_label("Nouveau mot de passe, encore").fill(NEW_PASSWORD)
    await hers.get_by_role("button", name="Enregistrer et me connecter").click()
    await hers.wait_for_url(lambda url: "/login" not in url)
    assert "Julie Dupont" in await hers.locator("header").inner_text()
    assert await hers.get_by_role("link", name="Comptes", exact=True).count() == 0
    await _shot(hers, "login-code-done-390", engine_name)
    await phone.close()

    # The admin's other page of keys: an API token for the probe, its secret once, then revoked.
    await page.get_by_role("link", name="Jetons d'API").click()
    await page.get_by_label("Nom (à quoi il sert)").fill("diagnostic USB")
    await page.get_by_label("Rôle").select_option(label="technicien·ne")
    await page.get_by_role("button", name="Créer le jeton").click()
    secret = (await page.locator("#token-secret").inner_text()).strip()
    assert secret.startswith("rmp_")
    await _shot(page, "tokens-secret", engine_name)
    await page.get_by_role("button", name="Révoquer").click()
    await page.locator("table").filter(has_text="Révoqué le").wait_for()
    assert secret not in await page.content()
    await context.close()
