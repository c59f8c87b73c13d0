"""Labels as PDF, for the API, the scan station and intake (one endpoint: codes and/or a collection)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import QueryParameter

from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.errors import problem_responses
from reemploi.labels import service
from reemploi.labels.render import render_pdf_async, template_names
from reemploi.web import DbSession, QueryId, scope_of

DEFAULT_TEMPLATE = "brother-ql-62x29"


class LabelController(Controller):
    path = "/api/v1"
    tags = ["labels"]

    @get(
        "/labels", opt=permission(Permission.DEVICES_READ), summary="Étiquettes à code-barres (PDF)",
        media_type="application/pdf",
        responses={200: ResponseSpec(data_container=bytes, media_type="application/pdf", description="Le PDF"),
                   **problem_responses(404, 422)},
    )
    async def labels(
        self, request: Request[Any, Any, Any], db_session: DbSession,
        codes: Annotated[str, QueryParameter(
            max_length=3_000, description="Codes séparés par des virgules (200 environ ; au-delà, par collecte)",
        )] = "",
        collection_id: QueryId = None,
        template: Annotated[str, QueryParameter(max_length=60, description=f"Modèle : {', '.join(template_names())}")]
        = DEFAULT_TEMPLATE,
    ) -> Response[bytes]:
        wanted = [c for c in (part.strip() for part in codes.split(",")) if c]
        labels = await service.select(db_session, wanted, collection_id, scope_of(request))
        await db_session.commit()  # no transaction held while rendering
        pdf = await render_pdf_async(template, labels)
        name = f"etiquettes-{collection_id}.pdf" if collection_id else "etiquettes.pdf"
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{name}"'})
