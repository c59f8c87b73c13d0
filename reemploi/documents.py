"""Every A4 or receipt document (labels/*.html: receipts, invoices, quotes, till reports, certificates,
attestations, the reports' PDF) rendered to PDF by WeasyPrint, here and only here; off the event loop
for requests."""

from __future__ import annotations

from functools import partial
from typing import Any

from reemploi import texts
from reemploi.labels.render import labels_dir, off_the_loop, templates


def render_document(template: str, **context: Any) -> bytes:
    """The document's PDF: its template rendered with the interface texts (`t`) and `context`. Values
    are shown by reemploi.formats' filters; moments in the context's `timezone` (Paris without one)."""
    from weasyprint import HTML

    page = templates().get_template(template).render(t=texts, **context)
    pdf: bytes = HTML(string=page, base_url=str(labels_dir())).write_pdf()
    return pdf


async def render_document_async(template: str, **context: Any) -> bytes:
    """render_document in a worker thread, a few at a time (reemploi.labels.render.off_the_loop)."""
    return await off_the_loop(partial(render_document, template, **context))
