"""Parts API: the parts stock of each site, parts bought new, and dismantling a device for parts."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, post
from litestar.params import FromQuery, JSONBody

from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.devices.schemas import Code, DeviceOut
from reemploi.errors import problem_responses
from reemploi.parts import service
from reemploi.parts.models import Part
from reemploi.web import DbSession, Limit, Offset, QueryId, RowId, actor_of, out_of, page_of, scope_of

Text200 = Annotated[str, msgspec.Meta(max_length=200)]
Quantity = Annotated[int, msgspec.Meta(ge=1, le=10_000)]


class PartIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: Annotated[
        str,
        msgspec.Meta(
            max_length=30,
            description="ram, storage, battery, charger, screen, keyboard, "
            "motherboard, power_supply, fan, case, cable, other",
        ),
    ]
    description: Text200
    quantity: Quantity = 1


class NewPartsIn(msgspec.Struct, forbid_unknown_fields=True):
    site_id: RowId
    kind: Annotated[str, msgspec.Meta(max_length=30)]
    description: Text200
    quantity: Quantity = 1


class PartOut(msgspec.Struct):
    id: int
    site_id: int
    kind: str
    description: str
    origin: str  # new or harvested
    from_device: str | None  # the code of the dismantled device it came from
    quantity: int

    @classmethod
    def of(cls, p: Part, from_device: str | None = None) -> PartOut:
        return out_of(cls, p, from_device=from_device)


class DismantleIn(msgspec.Struct, forbid_unknown_fields=True):
    parts: Annotated[list[PartIn], msgspec.Meta(max_length=100)] = []
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class DismantledOut(msgspec.Struct):
    device: DeviceOut
    parts: list[PartOut]


class PartsController(Controller):
    path = "/api/v1"
    tags = ["workshop"]

    @get("/parts", opt=permission(Permission.WORKSHOP_WRITE), responses=problem_responses(), summary="Stock de pièces")
    async def list_parts(
        self,
        db_session: DbSession,
        site_id: QueryId = None,
        include_used_up: FromQuery[bool] = False,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> OffsetPagination[PartOut]:
        window = LimitOffset(limit, offset)
        stocked = await service.parts_page(db_session, window, site_id, available_only=not include_used_up)
        return page_of(stocked, lambda s: PartOut.of(s.part, s.from_device))

    @post(
        "/parts",
        opt=permission(Permission.WORKSHOP_WRITE),
        responses=problem_responses(404, 422),
        summary="Ajouter des pièces neuves au stock d'un site",
    )
    async def add_parts(
        self, request: Request[Any, Any, Any], db_session: DbSession, data: JSONBody[NewPartsIn]
    ) -> PartOut:
        part = await service.add_new_parts(
            db_session, data.site_id, service.NewPart(data.kind, data.description, data.quantity), actor_of(request)
        )
        return PartOut.of(part)

    @post(
        "/devices/{code:str}/dismantle",
        opt=permission(Permission.WORKSHOP_WRITE),
        status_code=200,
        responses=problem_responses(404, 409, 422),
        summary="Démonter un appareil pour pièces (les pièces récupérées vont au stock)",
    )
    async def dismantle(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, data: JSONBody[DismantleIn]
    ) -> DismantledOut:
        parts = [service.NewPart(p.kind, p.description, p.quantity) for p in data.parts]
        device, stocked = await service.dismantle(
            db_session, code, parts, actor_of(request), data.note, scope_of(request)
        )
        return DismantledOut(DeviceOut.of(device), [PartOut.of(p, device.code) for p in stocked])


# What this domain adds to the application (API); reemploi.app assembles every domain's.
ROUTES = [PartsController]
