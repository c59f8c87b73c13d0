"""Label sheets: a template of labels/ (HTML + CSS, editable without Python) filled with devices and
rendered to PDF by WeasyPrint, off the event loop so the server keeps answering scans meanwhile."""

from __future__ import annotations

import asyncio
import gc
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader, TemplateNotFound

from reemploi import formats, texts
from reemploi.errors import Invalid
from reemploi.labels.symbols import MM_PER_INCH, code128, module_mm

FALLBACK_TEMPLATE = "brother-ql-62x29"  # a site's default until its manager picks another
MAX_LABELS = 1_000  # per PDF (about 280 MB at the peak); a larger batch is split into several PDFs
TEMPLATE_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{0,60}")
_rendering = asyncio.Semaphore(2)  # WeasyPrint is CPU-heavy: at most two batches at once


def labels_dir() -> Path:
    """The label templates: inside the installed package, or at the top of a source checkout."""
    packaged = Path(__file__).resolve().parent.parent / "_labels"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent.parent / "labels"


@dataclass(frozen=True, slots=True)
class Sheet:
    """Labels laid out on an A4 sheet, row after row; `left_mm`/`top_mm` place the first label."""

    columns: int
    rows: int
    left_mm: float
    top_mm: float
    pitch_x_mm: float  # from one label's left edge to the next one's
    pitch_y_mm: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def place(self, index: int) -> tuple[int, float, float]:
        """The sheet (from 0) and the left and top edges (mm) of the `index`-th label position."""
        sheet, cell = divmod(index, self.per_sheet)
        row, column = divmod(cell, self.columns)
        return sheet, self.left_mm + column * self.pitch_x_mm, self.top_mm + row * self.pitch_y_mm


@dataclass(frozen=True, slots=True)
class Stock:
    """The printing geometry of a template: its printer's resolution and the bars' size."""

    dpi: int
    module_dots: int
    bar_height_mm: float
    width_mm: float  # the label's width: the symbol is centred on a whole printer dot
    qr_module_dots: int = 4  # a QR module of about 0.35 mm: read by phones from 10 cm
    sheet: Sheet | None = None  # None: a roll printer, one label a page

    def symbol_offset_mm(self, symbol_width_mm: float) -> float:
        """Where the symbol starts, from the label's left edge: whole dots, so every bar edge falls
        between two dots (a bar starting mid-dot prints one dot too wide or too narrow)."""
        dot = MM_PER_INCH / self.dpi
        free_dots = round(self.width_mm / dot) - round(symbol_width_mm / dot)
        return max(free_dots // 2, 0) * dot


# The geometry of each template (its layout is in its HTML). Thermal printers print whole dots.
STOCKS = {
    "brother-ql-62x29": Stock(dpi=300, module_dots=3, bar_height_mm=11.0, width_mm=62.0),
    "dymo-11354": Stock(dpi=300, module_dots=3, bar_height_mm=12.0, width_mm=57.0),
    "zebra-2.25x1.25in-203dpi": Stock(dpi=203, module_dots=2, bar_height_mm=12.0, width_mm=57.15, qr_module_dots=3),
    "zebra-2.25x1.25in-300dpi": Stock(dpi=300, module_dots=3, bar_height_mm=12.0, width_mm=57.15),
    # A4 sheets for office laser printers (600 dpi: a 300-dpi dot is two of theirs). Avery's
    # dimensions: L7160 21 labels 63.5 × 38.1 mm, 3 × 7, 2.54 mm between columns; L7163 14 labels
    # 99.1 × 38.1 mm, 2 × 7, 2.5 mm between columns; no gap between rows, 15.15 mm top margin.
    "avery-l7160": Stock(
        dpi=300,
        module_dots=3,
        bar_height_mm=12.0,
        width_mm=63.5,
        sheet=Sheet(columns=3, rows=7, left_mm=7.21, top_mm=15.15, pitch_x_mm=66.04, pitch_y_mm=38.1),
    ),
    "avery-l7163": Stock(
        dpi=300,
        module_dots=4,
        bar_height_mm=14.0,
        width_mm=99.1,
        sheet=Sheet(columns=2, rows=7, left_mm=4.65, top_mm=15.15, pitch_x_mm=101.6, pitch_y_mm=38.1),
    ),
}


@dataclass(frozen=True, slots=True)
class LabelData:
    code: str
    lines: list[str] = field(default_factory=list)
    url: str = ""  # the device's page, printed as a QR code when asked for


def qr_svg(url: str, module_mm: float) -> str:
    """A QR code of `url` as SVG (segno: one path), each module `module_mm` wide, 2-module margin."""
    symbol = segno.make_qr(url, error="l")  # segno raises the level when it fits in the same size
    size_mm = symbol.symbol_size(border=2)[0] * module_mm
    return symbol.svg_inline(border=2, omitsize=True).replace(
        "<svg ", f'<svg width="{size_mm:.4f}mm" height="{size_mm:.4f}mm" shape-rendering="crispEdges" ', 1
    )


def template_names() -> list[str]:
    return sorted(STOCKS)


def templates() -> Environment:
    """The templates of labels/ (label stocks and documents: certificates, attestations)."""
    return formats.register(Environment(loader=FileSystemLoader(labels_dir()), autoescape=True))


def check_template(template: str, skip: int = 0) -> Stock:
    """The stock of `template`, refusing an unknown name or a start offset it cannot take."""
    if not TEMPLATE_NAME.fullmatch(template) or template not in STOCKS:
        raise Invalid(texts.unknown_label_template(template, template_names()))
    stock = STOCKS[template]
    room = stock.sheet.per_sheet if stock.sheet else 1
    if not 0 <= skip < room:
        raise Invalid(texts.bad_label_skip(template, skip, room))
    return stock


def render_pdf(template: str, labels: list[LabelData], skip: int = 0, qr: bool = False) -> bytes:
    """The PDF of `labels` on `template` (synchronous and CPU-bound: see render_pdf_async).

    `skip`: on a sheet, how many labels of the first sheet are already used (they stay blank).
    `qr`: add each label's QR code to its device's page."""
    from weasyprint import HTML

    stock = check_template(template, skip)
    if not labels:
        raise Invalid(texts.NO_LABEL)
    if len(labels) > MAX_LABELS:
        raise Invalid(texts.too_many_labels(len(labels), MAX_LABELS))
    module = module_mm(stock.dpi, stock.module_dots)
    qr_module = module_mm(stock.dpi, stock.qr_module_dots)
    try:
        page = templates().get_template(f"{template}.html")
    except TemplateNotFound:
        raise Invalid(texts.unknown_label_template(template, template_names())) from None
    filled = []
    for index, label in enumerate(labels, start=skip):
        symbol = code128(label.code, module, stock.bar_height_mm)
        placed: dict[str, Any] = {
            "code": label.code,
            "symbol": symbol.svg,
            "lines": label.lines,
            "offset_mm": f"{stock.symbol_offset_mm(symbol.width_mm):.4f}",
            "qr": qr_svg(label.url, qr_module) if qr and label.url else "",
        }
        if stock.sheet:
            sheet, left, top = stock.sheet.place(index)
            placed.update(sheet=sheet, left_mm=f"{left:.3f}", top_mm=f"{top:.3f}")
        filled.append(placed)
    pdf: bytes = HTML(string=page.render(labels=filled), base_url=str(labels_dir())).write_pdf()
    # WeasyPrint leaves its layout tree in reference cycles: collected now, a batch's memory is
    # given back before the next one (5,000 labels: 282 MB peak instead of 514 MB).
    del filled
    gc.collect()
    return pdf


async def off_the_loop(render: Callable[..., bytes], *args: Any) -> bytes:
    """Run a WeasyPrint rendering in a thread, two at most at once: scans keep being answered."""
    async with _rendering:
        return await asyncio.to_thread(render, *args)


async def render_pdf_async(template: str, labels: list[LabelData], skip: int = 0, qr: bool = False) -> bytes:
    return await off_the_loop(render_pdf, template, labels, skip, qr)
