"""Labels that scan: each PDF page rasterised at the printer's resolution decodes to exactly its
device's code, in order; bad requests are refused with a message."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import pypdfium2
import pytest
import zxingcpp
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.roles import Role
from reemploi.actors import Actor
from reemploi.devices import service as devices
from reemploi.devices.codes import make_code, next_numbers
from reemploi.devices.lifecycle import Action
from reemploi.labels.render import STOCKS, LabelData, render_pdf
from reemploi.labels.symbols import QUIET_ZONE_MODULES, code128, module_mm
from tests.factories import make_collection, make_commune, make_device, make_world
from tests.through_api import API, Client, logged_in, ok, problem


@dataclass(frozen=True)
class Found:
    text: str
    x_mm: float  # the symbol's centre on its page
    y_mm: float


def _scanned(pdf: bytes, dpi: int, kind: zxingcpp.BarcodeFormat = zxingcpp.BarcodeFormat.Code128) -> list[list[Found]]:
    """Each page rasterised at `dpi` and read as a scanner would: its symbols, top to bottom, left to right."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72).to_pil()
            found = []
            for result in zxingcpp.read_barcodes(image, formats=kind):
                corners = (
                    result.position.top_left,
                    result.position.top_right,
                    result.position.bottom_left,
                    result.position.bottom_right,
                )
                x = sum(c.x for c in corners) / 4 * 25.4 / dpi
                y = sum(c.y for c in corners) / 4 * 25.4 / dpi
                found.append(Found(result.text, x, y))
            pages.append(sorted(found, key=lambda f: (round(f.y_mm), f.x_mm)))
        return pages
    finally:
        document.close()


def _decoded_pages(pdf: bytes, dpi: int) -> list[list[str]]:
    return [[found.text for found in page] for page in _scanned(pdf, dpi)]


def _page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [(round(w * 25.4 / 72, 1), round(h * 25.4 / 72, 1)) for w, h in (page.get_size() for page in document)]
    finally:
        document.close()


LINES = [
    "ordinateur portable · Lenovo ThinkPad T480 avec un nom de modèle beaucoup trop long pour tenir",
    "Grade B · 95,00 €",
    "Atelier Lyon 7e",
]
THERMAL = {name: stock for name, stock in STOCKS.items() if stock.sheet is None}
SHEETS = {name: stock for name, stock in STOCKS.items() if stock.sheet is not None}


def test_there_are_roll_and_sheet_templates() -> None:
    assert set(THERMAL) == {"brother-ql-62x29", "dymo-11354", "zebra-2.25x1.25in-203dpi", "zebra-2.25x1.25in-300dpi"}
    assert {name: stock.sheet.per_sheet for name, stock in SHEETS.items()} == {"avery-l7160": 21, "avery-l7163": 14}


@pytest.mark.parametrize("template", sorted(THERMAL))
def test_every_roll_template_prints_labels_that_decode_to_their_codes_in_order(template: str) -> None:
    codes = ["TST-000001-N", "LYO-000123-K", "VIL-999999-8", "A-000042-Q"]
    pdf = render_pdf(template, [LabelData(code, LINES) for code in codes])
    assert _decoded_pages(pdf, THERMAL[template].dpi) == [[code] for code in codes]


@pytest.mark.parametrize("template", sorted(SHEETS))
@pytest.mark.parametrize("skip", [0, 5])
def test_every_sheet_template_puts_each_label_in_its_cell_after_the_used_ones(template: str, skip: int) -> None:
    stock = SHEETS[template]
    sheet = stock.sheet
    assert sheet is not None
    codes = [make_code("LYO", n) for n in range(1, sheet.per_sheet + 5)]  # two sheets, the second partly
    pdf = render_pdf(template, [LabelData(code, LINES) for code in codes], skip=skip)
    assert all(size == (210.0, 297.0) for size in _page_sizes_mm(pdf))
    pages = _scanned(pdf, stock.dpi)
    assert len(pages) == 2
    assert [found.text for page in pages for found in page] == codes  # every label, in order, once
    for page_index, page in enumerate(pages):
        for found in page:
            expected_sheet, left, top = sheet.place(skip + codes.index(found.text))
            assert expected_sheet == page_index
            # the symbol's centre lies inside its label's cell on the sheet
            assert left < found.x_mm < left + stock.width_mm, (found, left)
            assert top < found.y_mm < top + sheet.pitch_y_mm, (found, top)


@pytest.mark.parametrize("template", sorted(STOCKS))
def test_the_optional_qr_code_leads_to_the_device_page_and_leaves_the_barcode_readable(template: str) -> None:
    stock = STOCKS[template]
    codes = ["TST-000001-N", "LYO-000123-K"]
    labels = [LabelData(code, LINES, f"https://atelier.example.org/scan?code={code}") for code in codes]
    pdf = render_pdf(template, labels, qr=True)
    qr_pages = _scanned(pdf, stock.dpi, zxingcpp.BarcodeFormat.QRCode)
    assert [f.text for page in qr_pages for f in page] == [label.url for label in labels]
    assert [f.text for page in _scanned(pdf, stock.dpi) for f in page] == codes
    without = render_pdf(template, labels)
    assert _scanned(without, stock.dpi, zxingcpp.BarcodeFormat.QRCode) == [[] for _ in _page_sizes_mm(without)]


def test_a_start_offset_is_refused_where_it_makes_no_sense() -> None:
    from reemploi.errors import Invalid

    with pytest.raises(Invalid, match="rouleau"):
        render_pdf("dymo-11354", [LabelData("TST-000001-N")], skip=1)
    with pytest.raises(Invalid, match="de 0 à 20"):
        render_pdf("avery-l7160", [LabelData("TST-000001-N")], skip=21)
    with pytest.raises(Invalid, match="de 0 à 13"):
        render_pdf("avery-l7163", [LabelData("TST-000001-N")], skip=-1)


def test_the_bars_are_whole_printer_dots_with_their_quiet_zones() -> None:
    for stock in STOCKS.values():
        module = module_mm(stock.dpi, stock.module_dots)
        symbol = code128("TST-000001-N", module, stock.bar_height_mm)
        dots = symbol.width_mm / 25.4 * stock.dpi
        assert (
            abs(dots - round(dots)) < 1e-6
            and round(dots) == (symbol.modules + 2 * QUIET_ZONE_MODULES) * stock.module_dots
        )
        assert symbol.svg.count("<path") == 1  # one path for every bar: small PDFs, fast rendering
        offset_dots = stock.symbol_offset_mm(symbol.width_mm) / 25.4 * stock.dpi
        assert abs(offset_dots - round(offset_dots)) < 1e-6, "the symbol starts on a whole printer dot"


async def test_the_labels_of_a_collection_come_from_the_api_as_a_pdf_that_scans(
    client: Client, session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    codes = [await make_device(session, collection_id, serial=f"SN{n}") for n in range(3)]
    response = await client.get(f"{API}/labels", params={"collection_id": collection_id})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert _decoded_pages(response.content, 300) == [[code] for code in codes]

    picked = await client.get(f"{API}/labels", params={"codes": f"{codes[2]},{codes[0]}"})
    assert _decoded_pages(picked.content, 300) == [[codes[2]], [codes[0]]]


async def test_bad_label_requests_are_refused_with_what_to_fix(client: Client, session: AsyncSession) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="SN1")
    unknown = problem(
        await client.get(f"{API}/labels", params={"codes": code, "template": "avery-l9999"}), 422, "invalid-input"
    )
    assert "brother-ql-62x29" in unknown["detail"]
    never_registered = make_code("TST", next_numbers("TST", 500, 1)[0])
    problem(await client.get(f"{API}/labels", params={"codes": never_registered}), 404, "not-found")
    wrong_check = code[:-1] + ("A" if code[-1] != "A" else "B")
    problem(await client.get(f"{API}/labels", params={"codes": wrong_check}), 422, "mistyped-code")
    problem(await client.get(f"{API}/labels"), 422, "invalid-input")
    problem(await client.get(f"{API}/labels", params={"codes": ",".join([code] * 300)}), 400, "bad-request")
    problem(await client.get(f"{API}/labels", params={"collection_id": 999_999}), 404, "not-found")


def test_a_batch_beyond_the_limit_is_refused_before_rendering() -> None:
    from reemploi.errors import Invalid
    from reemploi.labels.render import MAX_LABELS

    with pytest.raises(Invalid, match=f"{MAX_LABELS} au plus"):
        render_pdf("brother-ql-62x29", [LabelData("TST-000001-N")] * (MAX_LABELS + 1))


async def test_printing_is_recorded_per_device_as_print_then_reprint_without_touching_the_device(
    client: Client, session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    first, second = [await make_device(session, collection_id, serial=f"SN{n}") for n in range(2)]
    before = ok(await client.get(f"{API}/devices/{first}"), 200)
    assert (await client.get(f"{API}/labels", params={"codes": first})).status_code == 200
    assert (
        await client.get(f"{API}/labels", params={"codes": f"{second},{first}", "template": "avery-l7160", "skip": 3})
    ).status_code == 200
    history = ok(await client.get(f"{API}/devices/{first}/history"), 200)
    assert [(p["template"], p["reprint"]) for p in history["label_prints"]] == [
        ("brother-ql-62x29", False),
        ("avery-l7160", True),
    ]
    assert all(p["actor"].startswith("jeton:") for p in history["label_prints"])
    other = ok(await client.get(f"{API}/devices/{second}/history"), 200)
    assert [(p["template"], p["reprint"]) for p in other["label_prints"]] == [("avery-l7160", False)]
    after = ok(await client.get(f"{API}/devices/{first}"), 200)
    assert after["version"] == before["version"], "printing a label is not a change of the device"
    # a refused print records nothing
    problem(
        await client.get(f"{API}/labels", params={"codes": first, "template": "dymo-11354", "skip": 2}),
        422,
        "invalid-input",
    )
    again = ok(await client.get(f"{API}/devices/{first}/history"), 200)
    assert len(again["label_prints"]) == 2


async def test_labels_print_on_the_persons_choice_else_the_sites_default(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    site, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="SN1")

    async def page_size(who: Client, headers: dict[str, str] | None = None) -> tuple[float, float]:
        response = await who.get(f"{API}/labels", params={"codes": code}, headers=headers or {})
        assert response.status_code == 200, response.text
        return _page_sizes_mm(response.content)[0]

    assert await page_size(client) == (62.0, 29.0)  # a new site prints on the Brother QL
    changed = ok(await client.patch(f"{API}/sites/{site.id}", json={"label_template": "dymo-11354"}), 200)
    assert changed["label_template"] == "dymo-11354"
    assert await page_size(client) == (57.0, 32.0)
    problem(await client.patch(f"{API}/sites/{site.id}", json={"label_template": "avery-l9999"}), 422, "invalid-input")

    csrf = await logged_in(anonymous, session, "camille", Role.TECHNICIAN)
    headers = {"X-CSRF-Token": csrf}
    assert await page_size(anonymous) == (57.0, 32.0)
    chosen = ok(await anonymous.put(f"{API}/me/label-template", json={"template": "avery-l7163"}, headers=headers), 200)
    assert chosen["template"] == "avery-l7163"
    assert await page_size(anonymous) == (210.0, 297.0)
    assert await page_size(client) == (57.0, 32.0), "one person's choice is theirs only"
    ok(await anonymous.put(f"{API}/me/label-template", json={"template": None}, headers=headers), 200)
    assert await page_size(anonymous) == (57.0, 32.0)
    refused = problem(
        await anonymous.put(f"{API}/me/label-template", json={"template": "a4"}, headers=headers), 422, "invalid-input"
    )
    assert "avery-l7160" in refused["detail"]
    token = problem(await client.put(f"{API}/me/label-template", json={"template": "dymo-11354"}), 422, "invalid-input")
    assert "template=" in token["detail"]


async def test_labels_by_filter_print_the_matching_devices_of_what_one_may_see(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    site, commune, collection_id = await make_world(session)
    laptops = [await make_device(session, collection_id, serial=f"L{n}") for n in range(3)]
    phone = await make_device(session, collection_id, serial="P1", category="smartphone")
    await devices.transition(session, laptops[1], Action.RECEIVE, Actor("test"))
    other_donor = await make_commune(session, "Ville de Bron", "69029", seed=2)
    elsewhere = await make_collection(session, site, other_donor)
    foreign = await make_device(session, elsewhere.collection.id, serial="F1")

    def codes_of(response: Any) -> list[str]:
        assert response.status_code == 200, response.text
        return [code for page in _decoded_pages(response.content, 300) for code in page]

    assert codes_of(await client.get(f"{API}/labels", params={"category": "laptop"})) == [*laptops, foreign]
    assert codes_of(await client.get(f"{API}/labels", params={"category": "laptop", "state": "received"})) == [
        laptops[1]
    ]
    assert codes_of(
        await client.get(f"{API}/labels", params={"codes": phone, "collection_id": collection_id, "category": "laptop"})
    ) == [phone, *laptops]
    empty = problem(await client.get(f"{API}/labels", params={"state": "sold"}), 422, "invalid-input")
    assert "filtre" in empty["detail"]
    problem(await client.get(f"{API}/labels", params={"state": "nonsense"}), 400, "bad-request")

    # a collectivity reads what became of its devices; it prints no labels
    await logged_in(anonymous, session, "mairie", Role.COLLECTIVITY, partner_id=commune.id)
    problem(await anonymous.get(f"{API}/labels", params={"category": "laptop"}), 403, "forbidden")


async def test_a_filter_never_reaches_beyond_what_the_person_may_see(session: AsyncSession) -> None:
    from reemploi.labels import service as labels
    from reemploi.scope import Scope

    site, commune, collection_id = await make_world(session)
    mine = await make_device(session, collection_id, serial="M1")
    other_donor = await make_commune(session, "Ville de Bron", "69029", seed=2)
    elsewhere = await make_collection(session, site, other_donor)
    await make_device(session, elsewhere.collection.id, serial="F1")
    batch = await labels.select_devices(
        session, labels.Selection(where=devices.DeviceFilter(category="laptop")), "http://x", Scope(commune.id)
    )
    assert [d.code for d in batch.devices] == [mine]


async def test_the_labels_page_prints_a_scanned_list_and_remembers_the_persons_template(
    anonymous: Client, session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    codes = [await make_device(session, collection_id, serial=f"SN{n}") for n in range(3)]
    csrf = await logged_in(anonymous, session, "camille", Role.TECHNICIAN)
    form = await anonymous.get("/labels")
    assert form.status_code == 200 and "Avery L7160" in form.text and 'name="skip"' in form.text

    # codes as a scanner types them: one per line, in the order scanned
    printed = await anonymous.get(
        "/labels/print",
        params={"codes": f"{codes[2]}\n{codes[0]}\n", "template": "avery-l7163", "skip": "2", "qr": "true"},
    )
    assert printed.status_code == 200, printed.text
    assert printed.headers["content-type"] == "application/pdf"
    assert _decoded_pages(printed.content, 300) == [[codes[2], codes[0]]]

    refused = await anonymous.get("/labels/print", params={"codes": codes[0], "template": "avery-l7160", "skip": "30"})
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("text/html")
    assert "de 0 à 20" in html.unescape(refused.text) and codes[0] in refused.text, "the form keeps what was typed"
    unknown = await anonymous.get("/labels/print", params={"codes": "TST-999999-Z"})
    assert unknown.status_code in (404, 422) and unknown.headers["content-type"].startswith("text/html")
    not_a_number = await anonymous.get("/labels/print", params={"codes": codes[0], "collection_id": "douze"})
    assert not_a_number.status_code == 422 and "douze" in html.unescape(not_a_number.text)
    nothing = await anonymous.get("/labels/print", params={"collection_id": "", "site_id": "", "state": ""})
    assert nothing.status_code == 422 and "Aucune étiquette" in html.unescape(nothing.text)

    saved = await anonymous.post(
        "/labels/template", data={"template": "dymo-11354", "_csrf": csrf}, follow_redirects=False
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/labels?saved=true"
    again = await anonymous.get("/labels?saved=true")
    assert 'value="dymo-11354" selected' in again.text and "enregistré" in again.text
    by_default = await anonymous.get("/labels/print", params={"codes": codes[1]})
    assert _page_sizes_mm(by_default.content) == [(57.0, 32.0)]
    bad = await anonymous.post("/labels/template", data={"template": "nope", "_csrf": csrf})
    assert bad.status_code == 422 and "inconnu" in html.unescape(bad.text)
    assert (await anonymous.post("/labels/template", data={"template": "avery-l7160"})).status_code == 403  # no CSRF


async def test_the_device_list_offers_the_labels_of_what_it_shows(anonymous: Client, session: AsyncSession) -> None:
    _, _, collection_id = await make_world(session)
    phone = await make_device(session, collection_id, serial="P1", category="smartphone")
    await make_device(session, collection_id, serial="L1")
    await logged_in(anonymous, session, "camille", Role.TECHNICIAN)
    listed = await anonymous.get("/devices", params={"category": "smartphone"})
    link = html.unescape(listed.text).split('href="/labels/print?', 1)[1].split('"', 1)[0]
    assert link == "category=smartphone"
    printed = await anonymous.get(f"/labels/print?{link}")
    assert _decoded_pages(printed.content, 300) == [[phone]]
