"""The till's report as PDF (labels/rapport-z.html): Z once closed, X while open."""

from __future__ import annotations

from reemploi.documents import render_document_async
from reemploi.sales.till import Report


async def render_report_async(report: Report, timezone: str) -> bytes:
    return await render_document_async("rapport-z.html", r=report, timezone=timezone)
