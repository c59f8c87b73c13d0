"""A session that lasts the working day (issue 16): when it expires in the middle of a scan, the
page goes to the login form — never a login form inside the device card — and after logging in
the technician is back at the scan station, where the next scan works. Real `reemploi serve`,
Debian's Chromium."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts import service as accounts
from reemploi.accounts.models import WebSession
from reemploi.accounts.roles import Role
from tests.factories import make_device, make_world
from tests.support.server import LiveServer
from tests.test_browser import _scan  # what a keyboard-wedge scanner does

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORD = "tournevis vert établi 42"


async def _log_in(page: object) -> None:
    await page.get_by_label("Identifiant").fill("karim")  # type: ignore[attr-defined]
    await page.get_by_label("Mot de passe").fill(PASSWORD)  # type: ignore[attr-defined]
    await page.get_by_role("button", name="Se connecter").click()  # type: ignore[attr-defined]


async def test_a_session_expiring_mid_scan_leads_to_the_login_and_back_to_the_scan_station(
    browser: object, live_server: LiveServer, session: AsyncSession, engine_name: str
) -> None:
    site, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="PF1SESSION")
    await accounts.create_user(
        session, accounts.NewUser("karim", "Karim Banc", Role.TECHNICIAN, PASSWORD, site_ids=(site.id,))
    )
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")  # type: ignore[attr-defined]
    page = await context.new_page()
    await page.goto(f"{live_server.url}/scan")
    await _log_in(page)
    await page.wait_for_url(f"{live_server.url}/scan")
    await _scan(page, code)
    await page.locator("#result section.card").get_by_role("heading", name=code).wait_for()

    # The session ends (expired, or closed from another computer) while the card is on screen.
    await session.execute(delete(WebSession))
    await session.commit()
    await _scan(page, code)

    await page.wait_for_url(f"{live_server.url}/login?next=%2Fscan")
    assert await page.locator("#result").count() == 0, "the whole page went to the login form"
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{engine_name}-session-expired-login.png"), full_page=True)
    await _log_in(page)
    await page.wait_for_url(f"{live_server.url}/scan")
    await _scan(page, code)
    await page.locator("#result section.card").get_by_role("heading", name=code).wait_for()
    await context.close()
