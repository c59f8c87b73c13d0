"""Labels that scan: each PDF page rasterised at the printer's resolution decodes to exactly its
device's code, in order; bad requests are refused with a message."""

from __future__ import annotations

import pypdfium2
import pytest
import zxingcpp
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.devices.codes import make_code, next_numbers
from reemploi.labels.render import STOCKS, LabelData, render_pdf
from reemploi.labels.symbols import QUIET_ZONE_MODULES, code128, module_mm
from tests.factories import make_device, make_world
from tests.through_api import API, Client, problem


def _decoded_pages(pdf: bytes, dpi: int) -> list[list[str]]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72).to_pil()
            pages.append([r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.Code128])
        return pages
    finally:
        document.close()


def test_every_template_prints_labels_that_decode_to_their_codes_in_order() -> None:
    codes = ["TST-000001-N", "LYO-000123-K", "VIL-999999-8", "A-000042-Q"]
    lines = ["ordinateur portable · Lenovo ThinkPad T480 avec un nom de modèle beaucoup trop long pour tenir",
             "Atelier Lyon 7e"]
    for template, stock in STOCKS.items():
        pdf = render_pdf(template, [LabelData(code, lines) for code in codes])
        assert _decoded_pages(pdf, stock.dpi) == [[code] for code in codes], template


def test_the_bars_are_whole_printer_dots_with_their_quiet_zones() -> None:
    for stock in STOCKS.values():
        module = module_mm(stock.dpi, stock.module_dots)
        symbol = code128("TST-000001-N", module, stock.bar_height_mm)
        dots = symbol.width_mm / 25.4 * stock.dpi
        assert abs(dots - round(dots)) < 1e-6 and round(dots) == (symbol.modules + 2 * QUIET_ZONE_MODULES) * stock.module_dots
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
    unknown = problem(await client.get(f"{API}/labels", params={"codes": code, "template": "avery-l9999"}),
                      422, "invalid-input")
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
