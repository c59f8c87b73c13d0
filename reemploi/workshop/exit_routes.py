"""Workshop API, second part: repairs and the parts stock, dismantling, recycling lots."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromQuery, JSONBody

from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.devices import service as devices
from reemploi.devices.codes import MAX_CODES
from reemploi.devices.routes import Code
from reemploi.devices.schemas import DeviceOut
from reemploi.errors import problem_responses
from reemploi.web import DbSession, PathId, QueryId, RowId, actor_of, grams_to_kg, kg_to_grams, scope_of
from reemploi.workshop import exits, repairs
from reemploi.workshop.models import Part, RecyclingLot

Text200 = Annotated[str, msgspec.Meta(max_length=200)]
Quantity = Annotated[int, msgspec.Meta(ge=1, le=10_000)]
Codes = Annotated[list[Annotated[str, msgspec.Meta(max_length=40)]], msgspec.Meta(max_length=MAX_CODES)]


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
        return cls(p.id, p.site_id, p.kind, p.description, p.origin, from_device, p.quantity)


class UsedPartIn(msgspec.Struct, forbid_unknown_fields=True):
    part_id: RowId
    quantity: Quantity = 1


class RepairIn(msgspec.Struct, forbid_unknown_fields=True):
    actions: Annotated[str, msgspec.Meta(max_length=4000, description="Ce qui a été fait")]
    minutes: Annotated[int, msgspec.Meta(ge=0, le=repairs.MAX_MINUTES, description="Temps passé")]
    parts: Annotated[list[UsedPartIn], msgspec.Meta(max_length=50)] = []
    finished: bool = False  # the device goes back to its functional test


class UsedPartOut(msgspec.Struct):
    part_id: int
    description: str
    origin: str
    quantity: int


class RepairOut(msgspec.Struct):
    id: int
    at: datetime
    actor: str
    actions: str
    minutes: int
    parts: list[UsedPartOut]

    @classmethod
    def of(cls, view: repairs.RepairView) -> RepairOut:
        r = view.repair
        return cls(
            r.id,
            r.at,
            r.actor,
            r.actions,
            r.minutes,
            [UsedPartOut(p.id, p.description, p.origin, n) for p, n in view.parts],
        )


class DismantleIn(msgspec.Struct, forbid_unknown_fields=True):
    parts: Annotated[list[PartIn], msgspec.Meta(max_length=100)] = []
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class DismantledOut(msgspec.Struct):
    device: DeviceOut
    parts: list[PartOut]


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
        return cls(
            lot.id,
            lot.site_id,
            lot.eco_organism,
            lot.deee_category,
            "closed" if lot.closed_at else "open",
            lot.slip_number,
            grams_to_kg(lot.weight_g),
            lot.shipped_on,
            count,
        )

    @classmethod
    def view(cls, v: exits.LotView) -> LotOut:
        out = cls.of(v.lot, len(v.devices))
        out.device_codes = [d.code for d in v.devices]
        out.devices_weight_kg = v.estimated_g / 1000
        out.devices_weight_estimated = v.any_estimated
        return out


class RepairController(Controller):
    path = "/api/v1"
    tags = ["workshop"]

    @get("/parts", opt=permission(Permission.WORKSHOP_WRITE), responses=problem_responses(), summary="Stock de pièces")
    async def list_parts(
        self, db_session: DbSession, site_id: QueryId = None, include_used_up: FromQuery[bool] = False
    ) -> list[PartOut]:
        stocked = await repairs.parts_stock(db_session, site_id, available_only=not include_used_up)
        return [PartOut.of(s.part, s.from_device) for s in stocked]

    @post(
        "/parts",
        opt=permission(Permission.WORKSHOP_WRITE),
        responses=problem_responses(404, 422),
        summary="Ajouter des pièces neuves au stock d'un site",
    )
    async def add_parts(
        self, request: Request[Any, Any, Any], db_session: DbSession, data: JSONBody[NewPartsIn]
    ) -> PartOut:
        part = await repairs.add_new_parts(
            db_session, data.site_id, exits.NewPart(data.kind, data.description, data.quantity), actor_of(request)
        )
        return PartOut.of(part)

    @get(
        "/devices/{code:str}/repairs",
        opt=permission(Permission.DEVICES_READ),
        responses=problem_responses(404, 422),
        summary="Réparations d'un appareil",
    )
    async def list_repairs(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> list[RepairOut]:
        device = await devices.get_by_code(db_session, code, scope_of(request))
        return [RepairOut.of(v) for v in await repairs.repairs_of(db_session, device.id)]

    @post(
        "/devices/{code:str}/repairs",
        opt=permission(Permission.WORKSHOP_WRITE),
        responses=problem_responses(404, 409, 422),
        summary="Enregistrer une réparation (actions, pièces prises au stock, temps)",
        description="L'appareil doit être « en réparation ». `finished` le renvoie au test fonctionnel dans la même "
        "transaction. Une pièce épuisée (même prise au même moment par un autre) : 409.",
    )
    async def record_repair(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: Code, data: JSONBody[RepairIn]
    ) -> RepairOut:
        repair = await repairs.record_repair(
            db_session,
            code,
            data.actions,
            data.minutes,
            [repairs.UsedPart(p.part_id, p.quantity) for p in data.parts],
            actor_of(request),
            finished=data.finished,
            scope=scope_of(request),
        )
        (view,) = [v for v in await repairs.repairs_of(db_session, repair.device_id) if v.repair.id == repair.id]
        return RepairOut.of(view)

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
        parts = [exits.NewPart(p.kind, p.description, p.quantity) for p in data.parts]
        device, stocked = await exits.dismantle(
            db_session, code, parts, actor_of(request), data.note, scope_of(request)
        )
        return DismantledOut(DeviceOut.of(device), [PartOut.of(p, device.code) for p in stocked])


class RecyclingLotController(Controller):
    path = "/api/v1/recycling-lots"
    tags = ["workshop"]

    @get("/", opt=permission(Permission.WORKSHOP_WRITE), responses=problem_responses(), summary="Lots de recyclage")
    async def list_lots(self, db_session: DbSession, site_id: QueryId = None) -> list[LotOut]:
        return [LotOut.of(lot, n) for lot, n in await exits.list_lots(db_session, site_id)]

    @post(
        "/",
        opt=permission(Permission.WORKSHOP_WRITE),
        responses=problem_responses(404, 409, 422),
        summary="Ouvrir un lot de recyclage (et y mettre des appareils)",
        description="Les appareils passent à « recyclé », avec leur poids (pesé ou estimé) dans leur historique.",
    )
    async def open_lot(self, request: Request[Any, Any, Any], db_session: DbSession, data: JSONBody[LotIn]) -> LotOut:
        lot = await exits.open_lot(
            db_session,
            data.site_id,
            data.eco_organism,
            actor_of(request),
            data.deee_category,
            data.note,
            data.codes,
            scope_of(request),
        )
        return LotOut.view(await exits.lot_view(db_session, lot.id))

    @get("/{lot_id:int}", opt=permission(Permission.WORKSHOP_WRITE), responses=problem_responses(404), summary="Un lot")
    async def get_lot(self, db_session: DbSession, lot_id: PathId) -> LotOut:
        return LotOut.view(await exits.lot_view(db_session, lot_id))

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
        await exits.add_to_lot(db_session, lot_id, data.codes, actor_of(request), scope_of(request))
        return LotOut.view(await exits.lot_view(db_session, lot_id))

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
        await exits.close_lot(
            db_session, lot_id, data.slip_number, kg_to_grams(data.weight_kg), data.shipped_on, actor_of(request)
        )
        return LotOut.view(await exits.lot_view(db_session, lot_id))
