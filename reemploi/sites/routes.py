"""Site API."""

from __future__ import annotations

from typing import Annotated

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, get, patch, post
from litestar.params import JSONBody

from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.errors import problem_responses
from reemploi.labels.render import FALLBACK_TEMPLATE, template_names
from reemploi.sites import service
from reemploi.sites.models import Site
from reemploi.web import DbSession, Limit, Offset, PathId, out_of, page_of

TEMPLATE_HELP = f"Modèle d'étiquette imprimé par défaut : {', '.join(template_names())}"


class SiteIn(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[
        str,
        msgspec.Meta(
            pattern=r"^[A-Za-z][A-Za-z0-9]{0,3}$",
            description="1 à 4 lettres ou chiffres, préfixe des codes d'appareils",
        ),
    ]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    address: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    label_template: Annotated[str, msgspec.Meta(max_length=60, description=TEMPLATE_HELP)] = FALLBACK_TEMPLATE


class SiteChange(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    address: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    label_template: Annotated[str, msgspec.Meta(max_length=60, description=TEMPLATE_HELP)] | None = None


class SiteOut(msgspec.Struct):
    id: int
    code: str
    name: str
    address: str
    last_device_number: int
    label_template: str

    @classmethod
    def of(cls, s: Site) -> SiteOut:
        return out_of(cls, s)


class SiteController(Controller):
    path = "/api/v1/sites"
    tags = ["sites"]

    @post("/", opt=permission(Permission.SITES_WRITE), responses=problem_responses(409, 422), summary="Créer un site")
    async def create(self, db_session: DbSession, data: JSONBody[SiteIn]) -> SiteOut:
        return SiteOut.of(await service.create(db_session, data.code, data.name, data.address, data.label_template))

    @get("/", opt=permission(Permission.SITES_READ), responses=problem_responses(), summary="Lister les sites")
    async def list_sites(
        self, db_session: DbSession, limit: Limit = 50, offset: Offset = 0
    ) -> OffsetPagination[SiteOut]:
        return page_of(await service.list_page(db_session, LimitOffset(limit, offset)), SiteOut.of)

    @get("/{site_id:int}", opt=permission(Permission.SITES_READ), responses=problem_responses(404), summary="Un site")
    async def get_site(self, db_session: DbSession, site_id: PathId) -> SiteOut:
        return SiteOut.of(await service.get(db_session, site_id))

    @patch(
        "/{site_id:int}",
        opt=permission(Permission.SITES_WRITE),
        responses=problem_responses(404, 422),
        summary="Modifier un site (nom, adresse, modèle d'étiquette par défaut)",
    )
    async def change_site(self, db_session: DbSession, site_id: PathId, data: JSONBody[SiteChange]) -> SiteOut:
        return SiteOut.of(await service.change(db_session, site_id, data.name, data.address, data.label_template))


# What this domain adds to the application (API); reemploi.app assembles every domain's.
ROUTES = [SiteController]
