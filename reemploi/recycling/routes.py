"""Recycling lots API: open a lot, scan devices into it (all or nothing), close it at pickup."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, post
from litestar.params import JSONBody

from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.devices.schemas import Codes
from reemploi.errors import problem_responses
from reemploi.recycling import service
from reemploi.recycling.models import RecyclingLot
from reemploi.web import (
    DbSession,
    Limit,
    Offset,
    PathId,
    QueryId,
    RowId,
    actor_of,
    grams_to_kg,
    kg_to_grams,
    out_of,
    page_of,
    scope_of,
)


class LotIn(msgspec.Struct, forbid_unknown_fields=True):
    site_id: RowId
    eco_organism: Annotated[
        str, msgspec.Meta(max_length=100, description="ecosystem, Ecologic, ou un autre prestataire agréé")
    ]
    deee_category: Annotated[int, msgspec.Meta(ge=1, le=7)] | None = None
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    codes: Codes = []  # devices to put in it at once


class LotCodesIn(msgspec.Struct, forbid_unknown_fields=True):
    codes: Codes


class LotCloseIn(msgspec.Struct, forbid_unknown_fields=True):
    slip_number: Annotated[str, msgspec.Meta(min_length=1, max_length=60, description="N° du bordereau de suivi")]
    weight_kg: Annotated[float, msgspec.Meta(gt=0, lt=100_000, description="Poids pesé du lot")]
    shipped_on: date


class LotOut(msgspec.Struct):
    id: int
    site_id: int
    eco_organism: str
    deee_category: int | None
    status: str  # open or closed
    slip_number: str | None
    weight_kg: float | None  # weighed at pickup
    shipped_on: date | None
    devices: int
    device_codes: list[str] | None = None
    devices_weight_kg: float | None = None  # the devices' own weights, weighed or estimated
    devices_weight_estimated: bool | None = None

    @classmethod
    def of(cls, lot: RecyclingLot, count: int) -> LotOut:
        return out_of(
            cls, lot, status="closed" if lot.closed_at else "open", weight_kg=grams_to_kg(lot.weight_g), devices=count
        )

    @classmethod
    def view(cls, v: service.LotView) -> LotOut:
        return msgspec.structs.replace(
            cls.of(v.lot, len(v.devices)),
            device_codes=[d.code for d in v.devices],
            devices_weight_kg=v.estimated_g / 1000,
            devices_weight_estimated=v.any_estimated,
        )


class RecyclingLotController(Controller):
    path = "/api/v1/recycling-lots"
    tags = ["workshop"]

    @get("/", opt=permission(Permission.WORKSHOP_WRITE), responses=problem_responses(), summary="Lots de recyclage")
    async def list_lots(
        self, db_session: DbSession, site_id: QueryId = None, limit: Limit = 50, offset: Offset = 0
    ) -> OffsetPagination[LotOut]:
        found = await service.list_lots(db_session, LimitOffset(limit, offset), site_id)
        return page_of(found, lambda row: LotOut.of(*row))

    @post(
        "/",
        opt=permission(Permission.WORKSHOP_WRITE),
        responses=problem_responses(404, 409, 422),
        summary="Ouvrir un lot de recyclage (et y mettre des appareils)",
        description="Les appareils passent à « recyclé », avec leur poids (pesé ou estimé) dans leur historique.",
    )
    async def open_lot(self, request: Request[Any, Any, Any], db_session: DbSession, data: JSONBody[LotIn]) -> LotOut:
        lot = await service.open_lot(
            db_session,
            data.site_id,
            data.eco_organism,
            actor_of(request),
            data.deee_category,
            data.note,
            data.codes,
            scope_of(request),
        )
        return LotOut.view(await service.lot_view(db_session, lot.id))

    @get("/{lot_id:int}", opt=permission(Permission.WORKSHOP_WRITE), responses=problem_responses(404), summary="Un lot")
    async def get_lot(self, db_session: DbSession, lot_id: PathId) -> LotOut:
        return LotOut.view(await service.lot_view(db_session, lot_id))

    @post(
        "/{lot_id:int}/devices",
        opt=permission(Permission.WORKSHOP_WRITE),
        status_code=200,
        responses=problem_responses(404, 409, 422),
        summary="Mettre des appareils dans un lot ouvert (tout ou rien)",
    )
    async def add_devices(
        self, request: Request[Any, Any, Any], db_session: DbSession, lot_id: PathId, data: JSONBody[LotCodesIn]
    ) -> LotOut:
        await service.add_to_lot(db_session, lot_id, data.codes, actor_of(request), scope_of(request))
        return LotOut.view(await service.lot_view(db_session, lot_id))

    @post(
        "/{lot_id:int}/close",
        opt=permission(Permission.WORKSHOP_WRITE),
        status_code=200,
        responses=problem_responses(404, 409, 422),
        summary="Clôturer un lot à l'enlèvement (bordereau, poids pesé, date)",
    )
    async def close(
        self, request: Request[Any, Any, Any], db_session: DbSession, lot_id: PathId, data: JSONBody[LotCloseIn]
    ) -> LotOut:
        await service.close_lot(
            db_session, lot_id, data.slip_number, kg_to_grams(data.weight_kg), data.shipped_on, actor_of(request)
        )
        return LotOut.view(await service.lot_view(db_session, lot_id))


# What this domain adds to the application (API); reemploi.app assembles every domain's.
ROUTES = [RecyclingLotController]
