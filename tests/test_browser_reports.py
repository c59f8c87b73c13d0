"""A collectivity's officer, as a new user would, in a real browser: logs in, lands on the collectivity's
report for the year, reads it, and downloads the PDF and the CSV tables."""

from __future__ import annotations

import pypdfium2
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from tests.support.server import LiveServer
from tests.test_browser import PASSWORD, _shot
from tests.test_reports import _world
from tests.through_api import Client


async def test_a_collectivity_finds_and_downloads_its_yearly_report(
    browser: object,
    live_server: LiveServer,
    client: Client,
    session: AsyncSession,
    engine_name: str,
) -> None:
    world = await _world(client, session)
    await accounts.create_user(
        session,
        accounts.NewUser(
            "mairie", "Service numérique", Role.COLLECTIVITY, PASSWORD, partner_id=world["ids"]["villeurbanne"]
        ),
    )
    context = await browser.new_context(
        viewport={"width": 1366, "height": 900},
        locale="fr-FR",  # type: ignore[attr-defined]
        accept_downloads=True,
    )
    page = await context.new_page()
    await page.goto(f"{live_server.url}/")
    await page.get_by_label("Identifiant").fill("mairie")
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{live_server.url}/reports")

    r = texts.REPORT
    await page.get_by_role("heading", name=f"{r['title']} 2026 — Ville de Villeurbanne").wait_for()
    body = (
        await page.locator("main").inner_text() if await page.locator("main").count() else await page.inner_text("body")
    )
    assert "8 appareil(s)" in body and "42,9 %" in body, body
    assert await page.locator("svg.chart").count() >= 3
    await _shot(page, "collectivity-report", engine_name)

    async with page.expect_download() as pdf_download:
        await page.get_by_role("link", name=r["pdf"]).click()
    pdf_path = await (await pdf_download.value).path()
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        words = " ".join(" ".join(p.get_textpage().get_text_range().split()) for p in document)
    finally:
        document.close()
    assert "Ville de Villeurbanne" in words and "42,9 %" in words and "ADEME" in words

    async with page.expect_download() as csv_download:
        await page.get_by_role("link", name=f"{r['given']} ({r['table_csv']})").click()
    text = (await (await csv_download.value).path()).read_bytes().decode("utf-8-sig")
    assert text.startswith("Type;Catégorie DEEE;Appareils")

    # Each figure leads to its devices: the laptops it gave this year.
    await page.get_by_role("link", name=texts.CATEGORIES["laptop"]).first.click()
    await page.wait_for_url("**/devices?**")
    assert "L1" in await page.inner_text("body") and "L0" not in await page.inner_text("body")
    await context.close()
