"""The workshop bench at the scan station, in a real browser (Debian's Chromium, driven by Playwright)
against `reemploi serve`: a technician scans a donated laptop, takes it through its steps with the
card's buttons, records its functional test, its hard disk and the disk's erasure with the card's
forms, grades and prices it, and puts it on sale. Putting it on sale before the erasure is refused,
with what is missing, and leaves the device where it was. Nothing but clicks and typing in the page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules, texts
from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from reemploi.partners import service as partners
from reemploi.partners.models import PartnerKind
from reemploi.settings import Settings
from reemploi.workshop import grading as price_grids
from tests.factories import make_collection, make_device, make_site, siren
from tests.support.server import LiveServer
from tests.test_browser import PASSWORD, _log_in, _scan, _shot

DISK_MODEL, DISK_SERIAL = "WDC WD5000LPCX-24VHAT0", "WX81A6XYZ123"
DISK_LABEL = f"{texts.DRIVE_KINDS['hdd']} {DISK_MODEL} (n° {DISK_SERIAL})"


def _local_minute(moment: datetime) -> str:
    """What a datetime-local field holds ("2026-11-26T14:30"), in the time zone of the server (same environment)."""
    return moment.astimezone(ZoneInfo(Settings.from_env().timezone)).strftime("%Y-%m-%dT%H:%M")


async def test_a_technician_takes_a_laptop_from_the_scan_to_the_shelf_with_the_card_alone(
    browser: object,
    live_server: LiveServer,
    session: AsyncSession,
    engine_name: str,
) -> None:
    site = await make_site(session)
    company = await partners.create(  # a company's gift: no legal price cap
        session, partners.NewPartner(kind=PartnerKind.COMPANY, name="Imprimerie Gerland SAS", siren=siren(7))
    )
    collection = await make_collection(session, site, company)
    code = await make_device(session, collection.collection.id, serial="PF1WORKB1")
    await price_grids.set_price_grid(session, site.id, {("laptop", "A"): 15000, ("laptop", "B"): 11000})
    await accounts.create_user(
        session, accounts.NewUser("karim", "Karim Banc", Role.TECHNICIAN, PASSWORD, site_ids=(site.id,))
    )

    context = await browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1366, "height": 900}, locale="fr-FR"
    )
    page = await context.new_page()
    await _log_in(page, live_server.url, "karim", "/scan")
    await _scan(page, code)
    card = page.locator("#result section.card")
    await card.get_by_role("heading", name=code).wait_for()
    state = card.locator(".state")
    notice = card.locator("p.notice[role=status]")
    gate = card.locator(".gate")

    async def step(button: str, reached: str) -> None:
        await card.get_by_role("button", name=button).click()
        await notice.filter(has_text=f"{texts.UI['moved']} : {texts.STATES[reached]}.").wait_for()
        assert await state.inner_text() == texts.STATES[reached]

    async def open_section(title: str) -> None:
        """Unfold a section of the card (a form answered keeps its own section open, a step does not)."""
        section = card.locator("details").filter(has=page.locator("summary", has_text=title))
        if not await section.evaluate("element => element.open"):
            await section.locator("summary").click()

    # The first steps, with the card's big buttons.
    await step(texts.ACTIONS["receive"], "received")
    await step(texts.ACTIONS["start_diagnosis"], "diagnosis")
    missing = await gate.locator("li").all_inner_texts()
    assert texts.GATE_NOT_TESTED in missing and texts.GATE_NO_MEDIUM in missing and texts.GATE_NOT_GRADED in missing

    # The functional test starts with nothing ticked: recorded as is, it is refused (nothing proven),
    # and what was typed stays.
    await open_section(texts.WORKBENCH["test"])
    checklist = card.locator("form.checklist")
    laptop = rules.checklist("laptop")
    assert await checklist.locator("input[type=radio]:checked").count() == 0, "nothing ticked in advance"
    await checklist.get_by_label(texts.WORKBENCH["battery_percent"]).fill("84")
    await checklist.get_by_role("button", name=texts.WORKBENCH["record_test"]).click()
    refused = card.locator("p.error[role=alert]")
    await refused.filter(has_text="Contrôles sans réponse").wait_for()
    assert texts.CHECKS[laptop[0]] in await refused.inner_text(), "the checks are named as the page names them"
    assert await checklist.get_by_label(texts.WORKBENCH["battery_percent"]).input_value() == "84"
    # A check "en panne" without a word on what fails: refused too, the answer kept.
    webcam = checklist.locator("input[name=check__webcam][value=fail]")
    await webcam.check()
    await checklist.get_by_role("button", name=texts.WORKBENCH["all_working"]).click()
    await refused.filter(has_text="Dites ce qui ne va pas").wait_for()
    assert await webcam.is_checked() and await checklist.locator("input[type=radio]:checked").count() == 1
    # The webcam was a wrong click: it works. "Tout fonctionne" answers the rest.
    await checklist.locator("input[name=check__webcam][value=pass]").check()
    await checklist.get_by_role("button", name=texts.WORKBENCH["all_working"]).click()
    await notice.filter(has_text=f"{texts.WORKBENCH['test_recorded']} : {texts.WORKBENCH['passed']}.").wait_for()
    assert texts.GATE_NOT_TESTED not in await gate.locator("li").all_inner_texts()
    assert await state.inner_text() == texts.STATES["diagnosis"], "a test does not move the device"

    # The hard disk, read off its sticker.
    await open_section(texts.WORKBENCH["storage"])
    medium_form = card.locator("form.medium-form")
    await medium_form.get_by_label(texts.UI["medium_kind"]).select_option("hdd")
    await medium_form.get_by_label(texts.WORKBENCH["model"], exact=True).fill(DISK_MODEL)
    await medium_form.get_by_label(texts.WORKBENCH["serial"], exact=True).fill(DISK_SERIAL)
    await medium_form.get_by_role("button", name=texts.WORKBENCH["add_medium"]).click()
    await notice.filter(has_text=texts.WORKBENCH["medium_added"]).wait_for()
    assert f"{DISK_LABEL} — {texts.WORKBENCH['to_erase']}" in await card.locator(".medium").inner_text()
    missing = await gate.locator("li").all_inner_texts()
    assert texts.gate_medium_not_erased(DISK_LABEL) in missing and texts.GATE_NO_MEDIUM not in missing

    # Erasure started, then graded A at a price typed in (the site's grid says 150 €: the typed one wins).
    await step(texts.ACTIONS["start_erasure"], "erasure")
    grading = card.locator("form").filter(has=page.get_by_role("button", name=texts.ACTIONS["grade"]))
    await grading.get_by_label(texts.WORKBENCH["grade"], exact=True).select_option("A")
    await grading.get_by_label(texts.WORKBENCH["cosmetic_notes"]).fill("légère rayure sur le capot")
    await grading.get_by_label(texts.WORKBENCH["price"]).fill("129,50")
    await step(texts.ACTIONS["grade"], "graded")
    on_sale = card.locator("form").filter(has=page.get_by_role("button", name=texts.ACTIONS["put_on_sale"]))
    assert await on_sale.get_by_label(texts.WORKBENCH["price"]).input_value() == "129,50"
    assert await gate.locator("li").all_inner_texts() == [texts.gate_medium_not_erased(DISK_LABEL)]

    # On sale before the disk is erased: refused, with what is missing; the device stays where it was.
    await on_sale.get_by_role("button", name=texts.ACTIONS["put_on_sale"]).click()
    refusal = card.locator("p.error[role=alert]")
    await refusal.wait_for()
    assert await refusal.inner_text() == texts.gate_refused(code, [texts.gate_medium_not_erased(DISK_LABEL)])
    assert await state.inner_text() == texts.STATES["graded"]
    assert await notice.count() == 0
    await _shot(page, "workbench-refused", engine_name)

    # The disk's erasure: nwipe overwrite, fully verified, a success, started 50 min ago, ended 10 min ago.
    await open_section(texts.WORKBENCH["storage"])
    erasure = card.locator("form.erasure")
    await erasure.get_by_label(texts.UI["erasure_level"]).select_option("clear")
    await erasure.get_by_label(texts.UI["erasure_technique"]).select_option("overwrite")
    await erasure.get_by_label(texts.WORKBENCH["tool"], exact=True).fill("nwipe")
    await erasure.get_by_label(texts.WORKBENCH["tool_version"], exact=True).fill("0.34")
    await erasure.get_by_label(texts.WORKBENCH["passes"], exact=True).fill("1")
    await erasure.get_by_label(texts.UI["erasure_verification"]).select_option("full")
    await erasure.get_by_label(texts.UI["erasure_result"]).select_option("success")
    now = datetime.now(UTC)
    await erasure.get_by_label(texts.WORKBENCH["started"], exact=True).fill(_local_minute(now - timedelta(minutes=50)))
    await erasure.get_by_label(texts.WORKBENCH["ended"], exact=True).fill(_local_minute(now - timedelta(minutes=10)))
    await erasure.get_by_role("button", name=texts.WORKBENCH["record_erasure"]).click()
    await notice.filter(has_text=texts.WORKBENCH["erasure_recorded"]).wait_for()
    assert await notice.inner_text() == texts.WORKBENCH["erasure_recorded"], "overwriting a hard disk: no warning"
    assert f"{DISK_LABEL} — {texts.WORKBENCH['erased']}" in await card.locator(".medium").inner_text()
    assert await card.locator("form.erasure").count() == 0
    assert await gate.count() == 0
    await card.get_by_text(texts.WORKBENCH["complete"]).wait_for()
    assert await card.get_by_role("link", name=texts.WORKBENCH["certificate"]).count() == 1
    assert await state.inner_text() == texts.STATES["graded"], "an erasure does not move the device"

    # Now it goes on sale, at the price it was graded at.
    await step(texts.ACTIONS["put_on_sale"], "ready")
    assert await state.inner_text() == "prêt à la vente"
    assert await gate.count() == 0 and await card.locator("p.error").count() == 0
    history = await card.locator("table.history tbody tr").all_inner_texts()
    assert len(history) == 6 and all("karim" in row for row in history[:5]), "the refused step left no trace"
    await _shot(page, "workbench-ready", engine_name)
    await context.close()
