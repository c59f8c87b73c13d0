"""Device API: thin routes over the device service."""

from __future__ import annotations

from typing import Annotated, Any

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from reemploi.accounts.auth import DRIVER_ONLY, permission
from reemploi.accounts.roles import Permission
from reemploi.devices import service, steps
from reemploi.devices.categories import Category
from reemploi.devices.lifecycle import State
from reemploi.devices.schemas import (
    CancelRegistrationIn,
    Code,
    DeviceIn,
    DeviceOut,
    EventOut,
    HistoryOut,
    LabelPrintOut,
    ScanOut,
    TransitionIn,
)
from reemploi.errors import problem_responses
from reemploi.labels import service as labels
from reemploi.web import DbSession, Limit, Offset, QueryId, actor_of, engine_of, kg_to_grams, scope_of


class DeviceController(Controller):
    path = "/api/v1"
    tags = ["devices"]

    @post(
        "/devices",
        opt=permission(Permission.DEVICES_REGISTER),
        responses=problem_responses(409, 422),
        summary="Enregistrer un appareil dans une collecte",
        description=(
            "Un n° de série déjà enregistré dans la même collecte (409 `serial-in-collection`) ou dans une "
            "autre (409 `serial-known`) est refusé, l'appareil existant nommé dans `errors`, sauf avec "
            "`confirm_known_serial: true` : il est alors enregistré avec un avertissement dans `warnings`."
        ),
    )
    async def register(
        self, db_session: DbSession, data: JSONBody[DeviceIn], request: Request[Any, Any, Any]
    ) -> DeviceOut:
        new = service.NewDevice(
            category=data.category.value,
            manufacturer=data.manufacturer,
            model=data.model,
            serial=data.serial,
            asset_tag=data.asset_tag,
            year=data.year,
            weight_g=kg_to_grams(data.weight_kg),
            specs=data.specs,
            location=data.location,
        )
        registered = await service.register(
            db_session, data.collection_id, new, actor_of(request), confirmed=data.confirm_known_serial
        )
        return DeviceOut.registered(registered)

    @get(
        "/devices",
        opt=permission(Permission.DEVICES_READ),
        responses=problem_responses(),
        summary="Lister les appareils",
    )
    async def list_devices(
        self,
        db_session: DbSession,
        request: Request[Any, Any, Any],
        device_state: Annotated[State | None, QueryParameter(name="state", description="État des appareils")] = None,
        category: FromQuery[Category | None] = None,
        site_id: QueryId = None,
        collection_id: QueryId = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> OffsetPagination[DeviceOut]:
        where = service.DeviceFilter(
            state=device_state.value if device_state else None,
            category=category.value if category else None,
            site_id=site_id,
            collection_id=collection_id,
            donor_id=scope_of(request).donor_id,
        )
        items, total = await service.list_devices(db_session, where, limit, offset)
        return OffsetPagination(items=[DeviceOut.of(d) for d in items], limit=limit, offset=offset, total=total)

    @get(
        "/scan",
        opt={**permission(Permission.DEVICES_READ), DRIVER_ONLY: True},
        responses=problem_responses(404, 422),
        summary="Retrouver un appareil par code, n° de série ou étiquette",
    )
    async def scan(
        self,
        request: Request[Any, Any, Any],
        code: Annotated[str, QueryParameter(min_length=1, max_length=100, description="Texte scanné ou saisi")],
    ) -> ScanOut:
        # No dependency to resolve: the bench's hottest request takes the engine from the app.
        found = await service.scan(engine_of(request), code, scope_of(request))
        return ScanOut(found.matched_by, [DeviceOut.of(d) for d in found.devices])

    @get(
        "/devices/{code:str}",
        opt=permission(Permission.DEVICES_READ),
        responses=problem_responses(404, 422),
        summary="Fiche d'un appareil",
    )
    async def get_device(self, db_session: DbSession, request: Request[Any, Any, Any], code: Code) -> DeviceOut:
        return DeviceOut.of(await service.get_by_code(db_session, code, scope_of(request)))

    @get(
        "/devices/{code:str}/history",
        opt=permission(Permission.DEVICES_READ),
        responses=problem_responses(404, 422),
        summary="Historique d'un appareil",
    )
    async def history(self, db_session: DbSession, request: Request[Any, Any, Any], code: Code) -> HistoryOut:
        device, events = await service.history(db_session, code, scope_of(request))
        prints = await labels.prints_of(db_session, device.id)
        return HistoryOut(
            DeviceOut.of(device),
            [EventOut.of(e) for e in events],
            [LabelPrintOut(p.at, p.actor, p.template, p.reprint) for p in prints],
        )

    @post(
        "/devices/{code:str}/transitions",
        status_code=200,
        opt=permission(Permission.DEVICES_MOVE),
        responses=problem_responses(404, 409, 422),
        summary="Faire passer un appareil à l'étape suivante",
        description="L'action doit être permise depuis l'état actuel ; sinon 409 avec l'état actuel et les actions possibles.",
    )
    async def transition(
        self, db_session: DbSession, code: Code, data: JSONBody[TransitionIn], request: Request[Any, Any, Any]
    ) -> DeviceOut:
        device = await steps.take_step(
            db_session,
            code,
            data.action,
            actor_of(request),
            expected_version=data.expected_version,
            data=data.data,
            note=data.note,
        )
        return DeviceOut.of(device)

    @post(
        "/devices/{code:str}/cancel-registration",
        status_code=200,
        opt=permission(Permission.DEVICES_REGISTER),
        responses=problem_responses(404, 409, 422),
        summary="Annuler l'enregistrement d'un appareil enregistré par erreur",
        description=(
            "Seulement tant que l'enregistrement est le seul événement de l'appareil, et avec `confirm: true` : "
            "l'annulation reste dans son historique et l'appareil ne compte plus nulle part (listes, comptes, "
            "attestation, rapports). Après une autre étape, 409 `registration-not-cancellable` : les sorties du "
            "cycle de vie restent possibles."
        ),
    )
    async def cancel_registration(
        self, db_session: DbSession, code: Code, data: JSONBody[CancelRegistrationIn], request: Request[Any, Any, Any]
    ) -> DeviceOut:
        device = await service.cancel_registration(
            db_session,
            code,
            actor_of(request),
            confirmed=data.confirm,
            expected_version=data.expected_version,
            note=data.note,
            scope=scope_of(request),
        )
        return DeviceOut.of(device)


# What this domain adds to the application (API); reemploi.app assembles every domain's.
ROUTES = [DeviceController]
