"""Stock API: locations, putting devices away by scanning, stock audits."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, post
from litestar.params import JSONBody

from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.devices.codes import MAX_CODES
from reemploi.errors import problem_responses
from reemploi.stock import service
from reemploi.stock.models import StockAudit, StockLocation
from reemploi.web import DbSession, Limit, Offset, PathId, QueryId, RowId, actor_of, out_of, page_of, scope_of

Scanned = Annotated[str, msgspec.Meta(max_length=100)]


class LocationIn(msgspec.Struct, forbid_unknown_fields=True):
    site_id: RowId
    code: Annotated[str, msgspec.Meta(max_length=40, description="Ce que porte l'étiquette de l'étagère, ex. A-03")]
    label: Annotated[str, msgspec.Meta(max_length=200)] = ""


class LocationOut(msgspec.Struct):
    id: int
    site_id: int
    code: str
    label: str
    devices: int  # devices in stock recorded there

    @classmethod
    def of(cls, loc: StockLocation, devices: int = 0) -> LocationOut:
        return out_of(cls, loc, devices=devices)


class CodesIn(msgspec.Struct, forbid_unknown_fields=True):
    codes: Annotated[list[Scanned], msgspec.Meta(max_length=MAX_CODES)]


class AuditIn(msgspec.Struct, forbid_unknown_fields=True):
    scanned: Annotated[
        list[Scanned], msgspec.Meta(max_length=5_000, description="Tout ce qui a été scanné sur l'emplacement")
    ]


class MovedOut(msgspec.Struct):
    location: str
    moved: list[str]
    already_there: list[str]


class AuditOut(msgspec.Struct):
    id: int
    location_id: int
    location: str
    at: datetime
    actor: str
    expected: list[str]
    found: list[str]
    missing: list[str]
    unexpected: list[dict[str, Any]]  # {code, location (where it is recorded), state}
    unknown: list[str]

    @classmethod
    def of(cls, a: StockAudit, loc: StockLocation) -> AuditOut:
        return out_of(cls, a, location=loc.code)


class StockController(Controller):
    path = "/api/v1/stock"
    tags = ["stock"]

    @get(
        "/locations",
        opt=permission(Permission.STOCK_WRITE),
        responses=problem_responses(),
        summary="Emplacements (étagères, bacs) et nombre d'appareils",
    )
    async def list_locations(
        self, db_session: DbSession, site_id: QueryId = None, limit: Limit = 50, offset: Offset = 0
    ) -> OffsetPagination[LocationOut]:
        found = await service.locations_page(db_session, LimitOffset(limit, offset), site_id)
        return page_of(found, lambda c: LocationOut.of(c.location, c.devices))

    @post(
        "/locations",
        opt=permission(Permission.STOCK_WRITE),
        responses=problem_responses(404, 409, 422),
        summary="Créer un emplacement",
    )
    async def add_location(self, db_session: DbSession, data: JSONBody[LocationIn]) -> LocationOut:
        return LocationOut.of(await service.add_location(db_session, data.site_id, data.code, data.label))

    @post(
        "/locations/{location_id:int}/devices",
        opt=permission(Permission.STOCK_WRITE),
        status_code=200,
        responses=problem_responses(404, 409, 422),
        summary="Ranger des appareils sur un emplacement (tout ou rien)",
        description="Chaque rangement est un événement de l'historique de l'appareil (son état ne change pas).",
    )
    async def put_away(
        self, request: Request[Any, Any, Any], db_session: DbSession, location_id: PathId, data: JSONBody[CodesIn]
    ) -> MovedOut:
        moved = await service.put_away(db_session, location_id, data.codes, actor_of(request), scope_of(request))
        return MovedOut(moved.location.code, moved.moved, moved.already_there)

    @post(
        "/locations/{location_id:int}/audits",
        opt=permission(Permission.STOCK_WRITE),
        responses=problem_responses(404, 422),
        summary="Inventaire d'un emplacement par scan (attendus, trouvés, manquants, inattendus)",
    )
    async def audit(
        self, request: Request[Any, Any, Any], db_session: DbSession, location_id: PathId, data: JSONBody[AuditIn]
    ) -> AuditOut:
        made = await service.audit(db_session, location_id, data.scanned, actor_of(request), scope_of(request))
        return AuditOut.of(made, await service.get_location(db_session, location_id))

    @get(
        "/audits", opt=permission(Permission.STOCK_WRITE), responses=problem_responses(), summary="Derniers inventaires"
    )
    async def list_audits(
        self, db_session: DbSession, location_id: QueryId = None, limit: Limit = 50, offset: Offset = 0
    ) -> OffsetPagination[AuditOut]:
        found = await service.audits_page(db_session, LimitOffset(limit, offset), location_id)
        return page_of(found, lambda row: AuditOut.of(*row))


# What this domain adds to the application (API); reemploi.app assembles every domain's.
ROUTES = [StockController]
