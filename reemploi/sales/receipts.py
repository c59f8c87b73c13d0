"""Receipts as PDF, from what the sale kept as issued (Sale.facts): A4, or an 80 mm thermal roll whose
page is as long as the receipt."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from reemploi import texts
from reemploi.labels.render import labels_dir, off_the_loop, templates
from reemploi.sales.models import Sale

FORMATS = {"a4": "recu-a4.html", "80mm": "recu-80mm.html"}


def render_pdf(sale: Sale, paper: str, timezone: str = "Europe/Paris") -> bytes:
    from weasyprint import HTML

    facts = sale.facts
    at = datetime.fromisoformat(facts["at"]).astimezone(ZoneInfo(timezone))
    # A roll is cut where the receipt ends: about 6 mm a device, 5 a payment, 120 for the rest.
    roll_mm = 120 + 9 * len(facts["lines"]) + 5 * len(facts["payments"])
    page = templates().get_template(FORMATS[paper]).render(
        sale=sale, facts=facts, t=texts, when=at.strftime("%d/%m/%Y %H:%M"), roll_mm=roll_mm,
        euros=texts.euros,
    )
    return HTML(string=page, base_url=str(labels_dir())).write_pdf()


async def render_pdf_async(sale: Sale, paper: str, timezone: str) -> bytes:
    return await off_the_loop(render_pdf, sale, paper, timezone)
