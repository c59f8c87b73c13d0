"""Intake on a bad day, in a real browser (issue 16, item 3): the scanner reads the same label twice and
the page asks instead of making a second device; a device registered by mistake is cancelled from its
card, and leaves the collection's attestation and the collectivity's report."""

from __future__ import annotations

import pypdfium2
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from tests.factories import make_world
from tests.support.server import LiveServer
from tests.test_browser import PASSWORD, _log_in, _scan, _shot


async def _scan_at_intake(page: object, serial: str) -> None:
    await page.wait_for_function("document.activeElement && document.activeElement.id === 'serial'")  # type: ignore[attr-defined]
    await page.keyboard.type(serial, delay=3)  # type: ignore[attr-defined]
    await page.keyboard.press("Enter")  # type: ignore[attr-defined]


async def test_a_double_scan_gives_one_device_and_a_mistake_is_cancelled_out_of_attestation_and_report(
    browser: object, live_server: LiveServer, session: AsyncSession, engine_name: str
) -> None:
    site, commune, collection_id = await make_world(session)
    for person in (
        accounts.NewUser("karim", "Karim Banc", Role.TECHNICIAN, PASSWORD, site_ids=(site.id,)),
        accounts.NewUser("mairie", "Service numérique", Role.COLLECTIVITY, PASSWORD, partner_id=commune.id),
    ):
        await accounts.create_user(session, person)
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")  # type: ignore[attr-defined]
    page = await context.new_page()
    intake = f"/collections/{collection_id}/intake"
    await _log_in(page, live_server.url, "karim", intake)

    # The scanner reads the first label twice: one device, and the page names it.
    rows = page.locator("#registered tbody tr")
    await _scan_at_intake(page, "SN-DOUBLE-01")
    await page.wait_for_function("document.querySelectorAll('#registered tbody tr').length === 1")
    first = (await rows.first.locator("td").first.inner_text()).strip()
    await _scan_at_intake(page, "SN-DOUBLE-01")
    question = page.locator("#registered .error").filter(has_text="déjà enregistré dans cette collecte")
    await question.wait_for()
    assert first in await question.inner_text()
    assert await page.get_by_role("button", name="Enregistrer quand même un second appareil").is_visible()
    assert await rows.count() == 1
    await _shot(page, "intake-double-scan", engine_name)

    # Then a label of another pickup, scanned here by mistake, and the pickup's next device.
    await _scan_at_intake(page, "SN-WRONG-02")
    await page.wait_for_function("document.querySelectorAll('#registered tbody tr').length === 2")
    mistake = (await rows.first.locator("td").first.inner_text()).strip()
    await _scan_at_intake(page, "SN-KEEP-03")
    await page.wait_for_function("document.querySelectorAll('#registered tbody tr').length === 3")

    # At the scan station, its card cancels the registration once the box is ticked.
    await page.get_by_role("link", name="Poste de scan").click()
    await _scan(page, mistake)
    card = page.locator("#result section.card")
    await card.get_by_role("heading", name=mistake).wait_for()
    await card.locator("summary", has_text="Annuler l'enregistrement").click()
    confirm = card.get_by_label("Je confirme : cet appareil a été enregistré par erreur")
    await confirm.check()
    await card.get_by_role("button", name="Annuler l'enregistrement").click()
    await page.locator("#result .notice").filter(has_text="annulé").wait_for()
    assert await page.locator("#result .state").inner_text() == "enregistrement annulé"
    await _shot(page, "registration-cancelled", engine_name)

    await page.goto(f"{live_server.url}{intake}")
    listed = await page.locator("#registered tbody tr td:first-child").all_inner_texts()
    assert mistake not in [c.strip() for c in listed] and len(listed) == 2
    await context.close()

    # The town's officer: the attestation lists the two devices kept, the report counts two.
    context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")  # type: ignore[attr-defined]
    page = await context.new_page()
    await _log_in(page, live_server.url, "mairie", "/reports?from=2026-01-01&to=2026-12-31")
    body = await page.inner_text("body")
    assert "2 appareil(s)" in body and "3 appareil(s)" not in body, body
    attestation = await context.request.get(f"{live_server.url}/api/v1/collections/{collection_id}/attestation")  # type: ignore[attr-defined]
    assert attestation.status == 200 and attestation.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(await attestation.body())
    try:
        words = " ".join(" ".join(p.get_textpage().get_text_range().split()) for p in document)
    finally:
        document.close()
    assert first in words and "SN-KEEP-03" in words
    assert mistake not in words and "SN-WRONG-02" not in words
    await context.close()
