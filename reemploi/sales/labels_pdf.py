"""Rendering the reception's documents (labels/*.html) to PDF with WeasyPrint, off the event loop."""

from __future__ import annotations

from functools import partial
from typing import Any

from reemploi import texts
from reemploi.labels.render import labels_dir, off_the_loop, templates


def render_document(template: str, **context: Any) -> bytes:
    from weasyprint import HTML

    page = templates().get_template(template).render(t=texts, euros=texts.euros, **context)
    return HTML(string=page, base_url=str(labels_dir())).write_pdf()


async def render_document_async(template: str, **context: Any) -> bytes:
    return await off_the_loop(partial(render_document, template, **context))
