"""Labels as PDF, for the API, the scan station, intake and the labels page (one endpoint)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, put
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.devices.categories import Category
from reemploi.devices.lifecycle import State
from reemploi.devices.service import DeviceFilter
from reemploi.errors import Invalid, problem_responses
from reemploi.labels import service
from reemploi.labels.render import MAX_LABELS, check_template, render_pdf_async, template_names
from reemploi.web import DbSession, QueryId, actor_of, scope_of, settings_of

TemplateName = Annotated[
    str | None,
    QueryParameter(
        max_length=60,
        description=f"Modèle : {', '.join(template_names())}. Sans modèle : celui choisi par la personne, "
        "sinon celui du site de l'appareil.",
    ),
]
Codes = Annotated[
    str,
    QueryParameter(
        max_length=3_000,
        description="Codes séparés par des virgules, espaces ou retours à la ligne, imprimés dans cet ordre (200 environ ; au-delà, par collecte ou filtre).",
    ),
]
Skip = Annotated[
    int,
    QueryParameter(
        ge=0,
        le=99,
        description="Planches A4 : nombre d'étiquettes déjà utilisées sur la première planche (laissées vides).",
    ),
]


async def labels_pdf(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    selection: service.Selection,
    template: str | None,
    skip: int,
    qr: bool,
) -> tuple[bytes, str]:
    """Select, render and record a batch: the one path for the API and the pages."""
    batch = await service.select_devices(db_session, selection, settings_of(request).public_url, scope_of(request))
    actor = actor_of(request)
    template = template or await service.default_template(db_session, actor.user_id, batch)
    check_template(template, skip)
    await db_session.commit()  # no transaction held while rendering
    pdf = await render_pdf_async(template, batch.labels, skip, qr)
    await service.record_print(db_session, actor, template, batch, skip, qr)
    return pdf, template


class LabelTemplateIn(msgspec.Struct, forbid_unknown_fields=True):
    template: Annotated[str, msgspec.Meta(max_length=60, description=f"Un de : {', '.join(template_names())}")] | None


class LabelTemplateOut(msgspec.Struct):
    template: str | None  # None: the site's default
    templates: list[str]


class LabelController(Controller):
    path = "/api/v1"
    tags = ["labels"]

    @get(
        "/labels",
        opt=permission(Permission.LABELS_PRINT),
        summary="Étiquettes à code-barres (PDF)",
        description=(
            "Un PDF d'étiquettes : les appareils de `codes` dans leur ordre, puis ceux qui répondent aux filtres "
            f"(collecte, état, catégorie, site ; tous ceux donnés). {MAX_LABELS} étiquettes au plus par PDF. "
            "Chaque impression est enregistrée (qui, quand, quel modèle, réimpression ou non) sans modifier "
            "les appareils."
        ),
        media_type="application/pdf",
        responses={
            200: ResponseSpec(data_container=bytes, media_type="application/pdf", description="Le PDF"),
            **problem_responses(404, 422),
        },
    )
    async def labels(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        codes: Codes = "",
        collection_id: QueryId = None,
        device_state: Annotated[State | None, QueryParameter(name="state", description="État des appareils")] = None,
        category: Annotated[Category | None, QueryParameter(description="Catégorie des appareils")] = None,
        site_id: QueryId = None,
        template: TemplateName = None,
        skip: Skip = 0,
        qr: Annotated[bool, QueryParameter(description="Ajouter un QR code vers la fiche de l'appareil")] = False,
    ) -> Response[bytes]:
        wanted = service.split_codes(codes)
        filtered = any(value is not None for value in (collection_id, device_state, category, site_id))
        where = (
            DeviceFilter(
                state=device_state.value if device_state else None,
                category=category.value if category else None,
                site_id=site_id,
                collection_id=collection_id,
            )
            if filtered
            else None
        )
        pdf, _ = await labels_pdf(request, db_session, service.Selection(wanted, where), template, skip, qr)
        name = f"etiquettes-{collection_id}.pdf" if collection_id else "etiquettes.pdf"
        return Response(
            pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'}
        )

    @put(
        "/me/label-template",
        opt=permission(Permission.LABELS_PRINT),
        responses=problem_responses(422),
        summary="Choisir mon modèle d'étiquette (null : celui du site)",
    )
    async def choose_template(
        self, request: Request[Any, Any, Any], db_session: DbSession, data: JSONBody[LabelTemplateIn]
    ) -> LabelTemplateOut:
        user_id = actor_of(request).user_id
        if user_id is None:
            raise Invalid(texts.NO_PREFERENCE_FOR_TOKEN)
        await service.set_user_template(db_session, user_id, data.template)
        return LabelTemplateOut(data.template, template_names())


# What this domain adds to the application (API); reemploi.app assembles every domain's.
ROUTES = [LabelController]
