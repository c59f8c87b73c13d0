"""The till's report as PDF (labels/rapport-z.html): Z once closed, X while open."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from reemploi.documents import render_document_async
from reemploi.sales.till import Report


async def render_report_async(report: Report, timezone: str) -> bytes:
    zone = ZoneInfo(timezone)

    def local(moment: object) -> str:
        return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M") if isinstance(moment, datetime) else ""

    return await render_document_async("rapport-z.html", r=report, local=local)
