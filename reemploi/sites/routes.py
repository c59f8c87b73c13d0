"""Site API."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.params import JSONBody

from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.errors import problem_responses
from reemploi.sites import service
from reemploi.sites.models import Site
from reemploi.web import DbSession, PathId


class SiteIn(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z][A-Za-z0-9]{0,3}$", description="1 à 4 lettres ou chiffres, préfixe des codes d'appareils")]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    address: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class SiteOut(msgspec.Struct):
    id: int
    code: str
    name: str
    address: str
    last_device_number: int

    @classmethod
    def of(cls, s: Site) -> SiteOut:
        return cls(s.id, s.code, s.name, s.address, s.last_device_number)


class SiteController(Controller):
    path = "/api/v1/sites"
    tags = ["sites"]

    @post("/", opt=permission(Permission.SITES_WRITE), responses=problem_responses(409), summary="Créer un site")
    async def create(self, db_session: DbSession, data: JSONBody[SiteIn]) -> SiteOut:
        return SiteOut.of(await service.create(db_session, data.code, data.name, data.address))

    @get("/", opt=permission(Permission.SITES_READ), responses=problem_responses(), summary="Lister les sites")
    async def list_sites(self, db_session: DbSession) -> list[SiteOut]:
        return [SiteOut.of(s) for s in await service.list_all(db_session)]

    @get("/{site_id:int}", opt=permission(Permission.SITES_READ), responses=problem_responses(404), summary="Un site")
    async def get_site(self, db_session: DbSession, site_id: PathId) -> SiteOut:
        return SiteOut.of(await service.get(db_session, site_id))
