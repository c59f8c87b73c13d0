"""Label sheets: a template of labels/ (HTML + CSS, editable without Python) filled with devices and
rendered to PDF by WeasyPrint, off the event loop so the server keeps answering scans meanwhile."""

from __future__ import annotations

import asyncio
import gc
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, TemplateNotFound

from reemploi import texts
from reemploi.errors import Invalid
from reemploi.labels.symbols import MM_PER_INCH, code128, module_mm

MAX_LABELS = 1_000  # per PDF (about 280 MB at the peak); a larger batch is split into several PDFs
TEMPLATE_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{0,60}")
_rendering = asyncio.Semaphore(2)  # WeasyPrint is CPU-heavy: at most two batches at once


def labels_dir() -> Path:
    """The label templates: inside the installed package, or at the top of a source checkout."""
    packaged = Path(__file__).resolve().parent.parent / "_labels"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent.parent / "labels"


@dataclass(frozen=True, slots=True)
class Stock:
    """The printing geometry of a template: its printer's resolution and the bars' size."""

    dpi: int
    module_dots: int
    bar_height_mm: float
    width_mm: float  # the label's width: the symbol is centred on a whole printer dot

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
    "zebra-2.25x1.25in-203dpi": Stock(dpi=203, module_dots=2, bar_height_mm=12.0, width_mm=57.15),
    "zebra-2.25x1.25in-300dpi": Stock(dpi=300, module_dots=3, bar_height_mm=12.0, width_mm=57.15),
}


@dataclass(frozen=True, slots=True)
class LabelData:
    code: str
    lines: list[str] = field(default_factory=list)


def template_names() -> list[str]:
    return sorted(STOCKS)


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(labels_dir()), autoescape=True)


def render_pdf(template: str, labels: list[LabelData]) -> bytes:
    """The PDF of `labels` on `template` (synchronous and CPU-bound: see render_pdf_async)."""
    from weasyprint import HTML

    if not TEMPLATE_NAME.fullmatch(template) or template not in STOCKS:
        raise Invalid(texts.unknown_label_template(template, template_names()))
    if not labels:
        raise Invalid(texts.NO_LABEL)
    if len(labels) > MAX_LABELS:
        raise Invalid(texts.too_many_labels(len(labels), MAX_LABELS))
    stock = STOCKS[template]
    module = module_mm(stock.dpi, stock.module_dots)
    try:
        page = _environment().get_template(f"{template}.html")
    except TemplateNotFound:
        raise Invalid(texts.unknown_label_template(template, template_names())) from None
    filled = []
    for label in labels:
        symbol = code128(label.code, module, stock.bar_height_mm)
        filled.append({"code": label.code, "symbol": symbol.svg, "lines": label.lines,
                       "offset_mm": f"{stock.symbol_offset_mm(symbol.width_mm):.4f}"})
    pdf = HTML(string=page.render(labels=filled), base_url=str(labels_dir())).write_pdf()
    # WeasyPrint leaves its layout tree in reference cycles: collected now, a batch's memory is
    # given back before the next one (5,000 labels: 282 MB peak instead of 514 MB).
    del filled
    gc.collect()
    return pdf


async def render_pdf_async(template: str, labels: list[LabelData]) -> bytes:
    async with _rendering:
        return await asyncio.to_thread(render_pdf, template, labels)
