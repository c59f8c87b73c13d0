"""The scan station in a real browser (Debian's Chromium, driven by Playwright) against `reemploi
serve`: a technician logs in, scans as a USB keyboard-wedge scanner does (the code typed, then
Enter), moves a device two steps, and is told why a step is refused. Screenshots of each page are
kept in test-artifacts/ (the latest run)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from reemploi.devices.codes import make_code
from tests.factories import make_device, make_world
from tests.support.server import LiveServer

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORD = "tournevis vert établi 42"


async def _scan(page: object, text: str) -> None:
    """What a keyboard-wedge scanner does: types fast into the focused field, then Enter. Like the
    technician, it waits for the field to have the focus back before the next label."""
    await page.wait_for_function("document.activeElement && document.activeElement.id === 'code'")  # type: ignore[attr-defined]
    await page.keyboard.type(text, delay=5)  # type: ignore[attr-defined]
    await page.keyboard.press("Enter")  # type: ignore[attr-defined]


async def _record_card_times(page: object, code: str, other: str, engine_name: str, rounds: int = 10) -> None:
    """Enter pressed → card on screen, measured in the page itself, alternating two devices."""
    times = []
    for n in range(rounds):
        target = other if n % 2 == 0 else code
        await page.wait_for_function("document.activeElement && document.activeElement.id === 'code'")  # type: ignore[attr-defined]
        await page.keyboard.type(target)  # type: ignore[attr-defined]
        elapsed = await page.evaluate(
            """(target) => new Promise((resolve) => {
            const started = performance.now();
            const watch = new MutationObserver(() => {
                const heading = document.querySelector('#result section.card h2');
                if (heading && heading.textContent.trim() === target) {
                    watch.disconnect();
                    resolve(performance.now() - started);
                }
            });
            watch.observe(document.getElementById('result'), { childList: true, subtree: true });
            document.getElementById('code').form.requestSubmit();
        })""",
            target,
        )  # type: ignore[attr-defined]
        times.append(elapsed)
    times.sort()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{engine_name}-scan-card-times.txt").write_text(
        f"Enter -> device card on screen, {rounds} scans, ms: median {times[len(times) // 2]:.0f}, "
        f"max {times[-1]:.0f}; all: {', '.join(f'{t:.0f}' for t in times)}\n"
    )


async def _shot(page: object, name: str, engine_name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{engine_name}-{name}.png"), full_page=True)  # type: ignore[attr-defined]


async def test_a_technician_scans_and_moves_a_device_at_the_bench(
    browser: object, live_server: LiveServer, session: AsyncSession, engine_name: str
) -> None:
    site, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="PF1BENCH1")
    second = await make_device(session, collection_id, serial="PF1BENCH2")
    await accounts.create_user(
        session, accounts.NewUser("karim", "Karim Banc", Role.TECHNICIAN, PASSWORD, site_ids=(site.id,))
    )

    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")  # type: ignore[attr-defined]
    page = await context.new_page()

    # Not logged in: the login page, then back to the scan station.
    await page.goto(f"{live_server.url}/scan")
    assert "/login?next=%2Fscan" in page.url
    await _shot(page, "login", engine_name)
    await page.get_by_label("Identifiant").fill("karim")
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url(f"{live_server.url}/scan")
    field = page.get_by_label("Code, n° de série ou étiquette")
    assert await field.evaluate("element => element === document.activeElement"), "the scan field has the focus"

    # The scanner types the code, then Enter; how long until the card shows is written down (not
    # asserted: these machines are noisy), with the other measures, in test-artifacts/.
    await _scan(page, code.lower().replace("-", ""))
    card = page.locator("#result section.card")
    await card.get_by_role("heading", name=code).wait_for()
    await _record_card_times(page, code, second, engine_name)
    assert await card.locator(".state").inner_text() == "collecté"
    assert await field.evaluate("element => element === document.activeElement"), "focus back on the field"
    await _shot(page, "scan-card", engine_name)

    # Two steps: a click, then the keyboard shortcut Alt+2 (diagnosing keeps Alt+2 in every state;
    # Alt+1 is receiving, which a received device no longer offers).
    await card.get_by_role("button", name="réceptionner").click()
    await page.locator("#result .notice").filter(has_text="réceptionné").wait_for()
    assert await page.locator("#result .state").inner_text() == "réceptionné"
    assert await page.locator('#result button[data-step="1"]').count() == 0
    assert await page.locator('#result button[data-step="2"]').inner_text() == "Alt+2diagnostiquer"
    await page.keyboard.press("Alt+2")
    await page.locator("#result .notice").filter(has_text="en diagnostic").wait_for()
    assert await page.locator("#result .state").inner_text() == "en diagnostic"
    history = await page.locator("#result table.history tbody tr").all_inner_texts()
    assert len(history) == 3 and "karim" in history[0]
    await _shot(page, "moved", engine_name)

    # Someone else moved it meanwhile: the step shown on an older card is refused, and says why.
    other = await context.new_page()
    await other.goto(f"{live_server.url}/scan?code={code}")
    stale_button = other.locator("#result section.card button").first
    await stale_button.wait_for()
    await page.locator("#result section.card button").first.click()
    await page.locator("#result .notice").wait_for()
    await stale_button.click()
    refusal = other.locator("#result .error")
    await refusal.wait_for()
    assert code in await refusal.inner_text()
    await _shot(other, "refused", engine_name)

    # The manufacturer's serial finds it too; an unknown text and a mistyped code are told apart.
    await _scan(page, "pf1bench2")
    await page.locator("#result section.card").get_by_role("heading", name=second).wait_for()
    await _scan(page, "INCONNU-42")
    await page.locator("#result .error").filter(has_text="Enregistrez").wait_for()
    mistyped = code[:-1] + ("A" if code[-1] != "A" else "B")
    await _scan(page, mistyped)
    await page.locator("#result .error").filter(has_text="mal saisi").wait_for()
    await _shot(page, "mistyped", engine_name)
    assert make_code("TST", 1) == code  # the first device of the site, as registered above
    await context.close()


async def _log_in(page: object, base_url: str, login: str, then: str) -> None:
    await page.goto(f"{base_url}{then}")  # type: ignore[attr-defined]
    await page.get_by_label("Identifiant").fill(login)  # type: ignore[attr-defined]
    await page.get_by_label("Mot de passe").fill(PASSWORD)  # type: ignore[attr-defined]
    await page.get_by_role("button", name="Se connecter").click()  # type: ignore[attr-defined]
    await page.wait_for_url(f"{base_url}{then}")  # type: ignore[attr-defined]


async def test_a_newcomer_records_a_collection_of_ten_scanned_devices_and_sends_one_to_diagnosis(
    browser: object, live_server: LiveServer, session: AsyncSession, engine_name: str
) -> None:
    """The issue's yardstick, by the pages alone: nothing typed but what a scanner types, and clicks."""
    site, commune, _ = await make_world(session)
    await accounts.create_user(
        session, accounts.NewUser("karim", "Karim Banc", Role.TECHNICIAN, PASSWORD, site_ids=(site.id,))
    )
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")  # type: ignore[attr-defined]
    page = await context.new_page()
    await _log_in(page, live_server.url, "karim", "/scan")  # the bench lands on the scan station

    # A new collection, from the navigation.
    await page.get_by_role("link", name="Nouvelle collecte").click()
    await page.get_by_label("Donateur").select_option(label=f"{commune.name} (collectivité)")
    await page.get_by_label("Poids annoncé (kg, facultatif)").fill("42,5")
    await page.get_by_role("button", name="Créer la collecte et enregistrer ses appareils").click()
    await page.wait_for_url("**/intake")

    # Ten devices, as fast as the scanner goes: serial + Enter; Alt+3 switches to screens halfway.
    rows = page.locator("#registered tbody tr")
    for n in range(10):
        if n == 5:
            await page.keyboard.press("Alt+3")
        await page.wait_for_function("document.activeElement && document.activeElement.id === 'serial'")
        await page.keyboard.type(f"SN-BROWSER-{n:02d}", delay=3)
        await page.keyboard.press("Enter")
        await page.wait_for_function(f"document.querySelectorAll('#registered tbody tr').length === {n + 1}")
    assert await rows.count() == 10
    categories = await page.locator("#registered tbody tr td:nth-child(2)").all_inner_texts()
    assert categories.count("écran") == 5 and categories.count("ordinateur portable") == 5
    first_code = (await rows.last.locator("td").first.inner_text()).strip()
    await _shot(page, "intake", engine_name)

    # The collections list shows its ten devices.
    await page.get_by_role("link", name="Collectes", exact=True).click()
    assert "10" in await page.locator("table").inner_text()

    # At the scan station: the first one goes to diagnosis.
    await page.get_by_role("link", name="Poste de scan").click()
    await _scan(page, first_code)
    card = page.locator("#result section.card")
    await card.get_by_role("heading", name=first_code).wait_for()
    await card.get_by_role("button", name="réceptionner").click()
    await page.locator("#result .notice").filter(has_text="réceptionné").wait_for()
    await page.locator("#result section.card").get_by_role("button", name="diagnostiquer").click()
    await page.locator("#result .notice").filter(has_text="en diagnostic").wait_for()
    assert await page.locator("#result .state").inner_text() == "en diagnostic"
    await _shot(page, "diagnosis", engine_name)
    await context.close()


async def test_a_technician_prints_the_labels_of_scanned_devices_on_a_partly_used_sheet(
    browser: object, live_server: LiveServer, session: AsyncSession, engine_name: str
) -> None:
    """The labels page as a technician uses it: scan the devices one after another, pick the A4 sheet,
    say how many labels are already used, print; the PDF that opens scans to those codes, in order."""
    import pypdfium2
    import zxingcpp

    _, _, collection_id = await make_world(session)
    codes = [await make_device(session, collection_id, serial=f"SN-SHEET-{n}") for n in range(3)]
    await accounts.create_user(session, accounts.NewUser("karim", "Karim Banc", Role.TECHNICIAN, PASSWORD))
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="fr-FR")  # type: ignore[attr-defined]
    page = await context.new_page()
    await _log_in(page, live_server.url, "karim", "/scan")  # the bench lands on the scan station
    await page.get_by_role("link", name="Étiquettes").click()
    await page.wait_for_url("**/labels")
    await page.wait_for_function("document.activeElement && document.activeElement.name === 'codes'")
    for code in reversed(codes):
        await page.keyboard.type(code, delay=3)
        await page.keyboard.press("Enter")  # a scanner's Enter: a new line, not a submission
    await page.get_by_label("Modèle d'étiquette").select_option("avery-l7160")
    await page.get_by_label("Planche A4 entamée").fill("5")
    await page.get_by_label("Ajouter un QR code").check()
    await _shot(page, "labels-form", engine_name)
    async with context.expect_event(  # type: ignore[attr-defined]
        "response", predicate=lambda r: "/labels/print" in r.url
    ) as answered:
        await page.get_by_role("button", name="Imprimer (PDF)").click()
    response = await answered.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    # The tab opens Chromium's PDF viewer; the same address, fetched with the same login, gives the file.
    fetched = await context.request.get(response.url)  # type: ignore[attr-defined]
    assert fetched.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(await fetched.body())
    try:
        image = document[0].render(scale=300 / 72).to_pil()
    finally:
        document.close()
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)
    in_reading_order = sorted(found, key=lambda r: (round(r.position.top_left.y / 100), r.position.top_left.x))
    assert [r.text for r in in_reading_order] == list(reversed(codes))
    image.convert("L").resize((image.width // 4, image.height // 4)).save(ARTIFACTS / f"{engine_name}-labels-sheet.png")
    await context.close()


FAKE_CAMERA = """
// What a phone offers: a camera and a BarcodeDetector that reads the label in front of it.
window.BarcodeDetector = class {
  constructor(options) { this.options = options; }
  async detect(source) { return source.srcObject ? [{ rawValue: window.__labelInFrontOfTheCamera }] : []; }
};
navigator.mediaDevices.getUserMedia = async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 48;
  canvas.getContext("2d").fillRect(0, 0, 64, 48);
  return canvas.captureStream(5);
};
"""


async def test_on_a_phone_the_camera_reads_the_label(
    browser: object, live_server: LiveServer, session: AsyncSession, engine_name: str
) -> None:
    site, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="PF1PHONE1")
    await accounts.create_user(
        session, accounts.NewUser("karim", "Karim Banc", Role.TECHNICIAN, PASSWORD, site_ids=(site.id,))
    )
    # Without a BarcodeDetector (desktop Chromium), no camera button.
    desk = await browser.new_context()  # type: ignore[attr-defined]
    desk_page = await desk.new_page()
    await _log_in(desk_page, live_server.url, "karim", "/scan")
    assert not await desk_page.get_by_role("button", name="Caméra").is_visible()
    await desk.close()

    phone = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)  # type: ignore[attr-defined]
    await phone.add_init_script(FAKE_CAMERA)
    page = await phone.new_page()
    await _log_in(page, live_server.url, "karim", "/scan")
    await page.evaluate(f"window.__labelInFrontOfTheCamera = {code!r}")
    await page.get_by_role("button", name="Caméra").click()
    await page.locator("#result section.card").get_by_role("heading", name=code).wait_for()
    assert await page.locator("#camera-view").is_hidden(), "the camera stops once the label is read"
    await _shot(page, "phone-camera", engine_name)
    await phone.close()
