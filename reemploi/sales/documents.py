"""The till's report as PDF (labels/rapport-z.html): Z once closed, X while open."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from reemploi import texts
from reemploi.labels.render import labels_dir, off_the_loop, templates
from reemploi.sales.till import Report


def render_report(report: Report, timezone: str) -> bytes:
    from weasyprint import HTML

    zone = ZoneInfo(timezone)
    page = templates().get_template("rapport-z.html").render(
        r=report, t=texts, euros=texts.euros,
        local=lambda moment: moment.astimezone(zone).strftime("%d/%m/%Y %H:%M") if isinstance(moment, datetime) else "",
    )
    return HTML(string=page, base_url=str(labels_dir())).write_pdf()


async def render_report_async(report: Report, timezone: str) -> bytes:
    return await off_the_loop(render_report, report, timezone)
