"""A manager, in a real browser, logs in and lands on the dashboard: today's intake, the stock ready
for sale, the device waiting longest in diagnosis; one click opens that device's card."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from reemploi.db import utcnow
from reemploi.devices.lifecycle import Action
from tests.factories import make_world
from tests.support.server import LiveServer
from tests.test_browser import PASSWORD, _shot
from tests.test_dashboard import _device, in_words


async def test_a_manager_lands_on_the_dashboard_and_opens_the_longest_waiting_device(
    browser: object, live_server: LiveServer, session: AsyncSession, engine_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, _, collection_id = await make_world(session)
    now = utcnow()
    twelve_days_ago = now - timedelta(days=12)
    await _device(session, monkeypatch, collection_id, "NEW1", (now, (Action.RECEIVE,)), category="screen")
    stuck = await _device(
        session, monkeypatch, collection_id, "OLD1", (twelve_days_ago, (Action.RECEIVE, Action.START_DIAGNOSIS))
    )
    await accounts.create_user(
        session, accounts.NewUser("maud", "Maud Gérante", Role.MANAGER, PASSWORD, site_ids=(site.id,))
    )
    await session.commit()
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")  # type: ignore[attr-defined]
    page = await context.new_page()

    await page.goto(f"{live_server.url}/")
    await page.get_by_label("Identifiant").fill("maud")
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{live_server.url}/")

    today = page.locator("#dashboard-today")
    assert "écran" in await today.inner_text() and "Total : 1" in await today.inner_text()
    waiting = await page.locator("#dashboard-waiting").inner_text()
    assert f"{stuck} depuis le {in_words(twelve_days_ago)} (12 jours)" in waiting
    await _shot(page, "dashboard", engine_name)

    await page.locator("#dashboard-waiting").get_by_role("link", name=stuck).click()
    await page.wait_for_url(f"{live_server.url}/scan?code={stuck}")
    await page.get_by_role("heading", name=stuck).wait_for()
    await context.close()  # type: ignore[attr-defined]
