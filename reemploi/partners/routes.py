"""Partner API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, post
from litestar.params import FromQuery, JSONBody

from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.errors import problem_responses
from reemploi.partners import service
from reemploi.partners.models import Partner, PartnerKind
from reemploi.web import DbSession, Limit, Offset, PathId, out_of, scope_of

Short = Annotated[str, msgspec.Meta(max_length=200)]


class PartnerIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: PartnerKind
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    siren: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    siret: Annotated[str, msgspec.Meta(max_length=25)] | None = None
    insee_code: Annotated[str, msgspec.Meta(max_length=5)] | None = None
    communes: Annotated[list[Annotated[str, msgspec.Meta(max_length=5)]], msgspec.Meta(max_length=5000)] = (
        msgspec.field(default_factory=list)
    )
    address: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    contact_name: Short = ""
    email: Short = ""
    phone: Annotated[str, msgspec.Meta(max_length=40)] = ""


class PartnerOut(msgspec.Struct):
    id: int
    kind: str
    name: str
    siren: str | None
    siret: str | None
    insee_code: str | None
    communes: list[str]
    address: str
    contact_name: str
    email: str
    phone: str
    created_at: datetime

    @classmethod
    def of(cls, p: Partner) -> PartnerOut:
        return out_of(cls, p, communes=[c.insee_code for c in p.communes])


class PartnerController(Controller):
    path = "/api/v1/partners"
    tags = ["partners"]

    @post(
        "/",
        opt=permission(Permission.PARTNERS_WRITE),
        responses=problem_responses(409, 422),
        summary="Créer un partenaire (collectivité, entreprise, association, particulier)",
    )
    async def create(self, db_session: DbSession, data: JSONBody[PartnerIn]) -> PartnerOut:
        new = service.NewPartner(
            kind=data.kind,
            name=data.name,
            siren=data.siren,
            siret=data.siret,
            insee_code=data.insee_code,
            communes=data.communes,
            address=data.address,
            contact_name=data.contact_name,
            email=data.email,
            phone=data.phone,
        )
        partner = await service.create(db_session, new)
        return PartnerOut.of(await service.get(db_session, partner.id))

    @get("/", opt=permission(Permission.PARTNERS_READ), responses=problem_responses(), summary="Lister les partenaires")
    async def list_partners(
        self,
        db_session: DbSession,
        request: Request[Any, Any, Any],
        kind: FromQuery[PartnerKind | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> OffsetPagination[PartnerOut]:
        items, total = await service.list_partners(db_session, kind, limit, offset, scope_of(request))
        return OffsetPagination(items=[PartnerOut.of(p) for p in items], limit=limit, offset=offset, total=total)

    @get(
        "/{partner_id:int}",
        opt=permission(Permission.PARTNERS_READ),
        responses=problem_responses(404),
        summary="Un partenaire",
    )
    async def get_partner(
        self, db_session: DbSession, request: Request[Any, Any, Any], partner_id: PathId
    ) -> PartnerOut:
        return PartnerOut.of(await service.get(db_session, partner_id, scope_of(request)))


# What this domain adds to the application (API); reemploi.app assembles every domain's.
ROUTES = [PartnerController]
