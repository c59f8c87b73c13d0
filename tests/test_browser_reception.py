"""The reception desk in a real browser (Debian's Chromium, Playwright) against `reemploi serve`: the
receptionist opens the till, scans a ready laptop, records the person referred by the CCAS, takes the
payment and opens the receipt — by typing and clicking in the pages alone."""

from __future__ import annotations

import pypdfium2
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from tests.factories import make_ready, make_world
from tests.support.server import LiveServer
from tests.test_browser import PASSWORD, _log_in, _shot


async def test_a_receptionist_sells_a_laptop_end_to_end_and_opens_the_receipt(
    browser: object,
    live_server: LiveServer,
    session: AsyncSession,
    engine_name: str,
) -> None:
    site, _, collection_id = await make_world(session)
    site_id = site.id
    code = await make_ready(session, collection_id, "PF1DESK1", price="95")
    await accounts.create_user(
        session, accounts.NewUser("accueil", "Awa Accueil", Role.RECEPTION, PASSWORD, site_ids=(site_id,))
    )
    context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")  # type: ignore[attr-defined]
    page = await context.new_page()
    await _log_in(page, live_server.url, "accueil", "/reception")
    r = texts.RECEPTION

    # The till opens with the counted float.
    await page.get_by_label(r["float"]).fill("50")
    await page.get_by_role("button", name=r["open_till"]).click()
    await page.get_by_text(r["till_open"]).wait_for()

    # A device not for sale is refused where it is scanned; the ready one goes in the basket.
    await page.get_by_label(r["scan"]).fill("PAS-UN-CODE")
    await page.keyboard.press("Enter")
    await page.locator("p.error").wait_for()
    await page.get_by_label(r["scan"]).fill(code)
    await page.keyboard.press("Enter")
    basket = page.locator("table.basket")
    await basket.get_by_text(code).wait_for()
    assert "95,00 €" in await basket.inner_text()

    # The person is new: their record, then back to the desk with the basket kept.
    await page.get_by_role("link", name=r["new_beneficiary"]).click()
    await page.get_by_label(r["name"]).fill("Awa Diallo")
    await page.get_by_label(r["reason_label"]).select_option("rsa")
    await page.get_by_label(r["verified_by"]).fill("CCAS de Villeurbanne")
    await page.get_by_label(r["until"]).fill("2099-06-30")
    await page.get_by_label(r["commune"]).fill("69266")
    await page.get_by_role("button", name=r["create"]).click()
    await page.get_by_text("B-000001").wait_for()
    await basket.get_by_text(code).wait_for()

    # The amount is the total; cash; the sale.
    payment = page.get_by_role("region", name=r["pay"])
    assert await payment.get_by_label(r["amount"], exact=True).input_value() == "95,00"
    await _shot(page, "reception-desk", engine_name)
    await payment.get_by_role("button", name=r["sell"]).click()
    await page.get_by_role("heading", name=f"{r['done']} —").wait_for()
    await _shot(page, "reception-sold", engine_name)
    heading = await page.get_by_role("heading").first.inner_text()
    receipt = heading.split("—", 1)[1].strip()

    # The receipt opens as a PDF, with the receipt number and the device's serial.
    link = page.get_by_role("link", name=r["receipt_a4"])
    href = await link.get_attribute("href")
    async with page.expect_popup() as popup:
        await link.click()
    opened = await popup.value
    assert opened.url.endswith(href)
    answer = await context.request.get(f"{live_server.url}{href}")
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(await answer.body())
    try:
        words = " ".join(document[0].get_textpage().get_text_range().split())
    finally:
        document.close()
    assert receipt in words and "PF1DESK1" in words and "95,00 €" in words and "Espèces" in words

    # Back at the desk: the till expects the float and the cash taken.
    await page.get_by_role("link", name=r["next_sale"]).click()
    await page.get_by_text(f"{texts.PAYMENT_METHODS['cash']} 145,00 €").wait_for()
    await context.close()
