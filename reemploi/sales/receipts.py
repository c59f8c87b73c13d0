"""Receipts as PDF, from what the sale kept as issued (Sale.facts): A4, or an 80 mm thermal roll whose
page is as long as the receipt. A sale to an organisation prints as its invoice."""

from __future__ import annotations

from functools import partial

from reemploi.documents import render_document
from reemploi.labels.render import off_the_loop
from reemploi.sales.models import Sale

FORMATS = {"a4": "recu-a4.html", "80mm": "recu-80mm.html"}


def render_pdf(sale: Sale, paper: str, timezone: str = "Europe/Paris") -> bytes:
    if sale.kind == "organisation":
        from reemploi.sales.organisations import render_pdf as render_invoice

        return render_invoice(sale.facts, timezone)
    facts = sale.facts
    # A roll is cut where the receipt ends: about 9 mm a device, 5 a payment, 120 for the rest.
    roll_mm = 120 + 9 * len(facts["lines"]) + 5 * len(facts["payments"])
    return render_document(FORMATS[paper], sale=sale, facts=facts, timezone=timezone, roll_mm=roll_mm)


async def render_pdf_async(sale: Sale, paper: str, timezone: str) -> bytes:
    return await off_the_loop(partial(render_pdf, sale, paper, timezone))
