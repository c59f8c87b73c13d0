"""The recycling lots pages: open a lot, scan devices into it, close it at pickup."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Response, Template
from sqlalchemy import String, cast, literal_column
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules, texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.db import folded
from reemploi.recycling import service
from reemploi.recycling.models import RecyclingLot
from reemploi.sites import service as sites
from reemploi.sites.models import Site
from reemploi.web import DbSession, PathId, actor_of, lists, page, scope_of
from reemploi.web.forms import (
    Day,
    Form,
    Grams,
    LongText,
    OptionalNumber,
    Reference,
    ScannedCodes,
    WholeNumber,
    form_page,
    read_form,
)
from reemploi.web.lists import AskedList


class OpenLotForm(Form):
    site_id: WholeNumber
    eco_organism: Reference = ""
    deee_category: OptionalNumber = None
    note: LongText = ""


class LotDevicesForm(Form):
    codes: ScannedCodes = ScannedCodes("")


class CloseLotForm(Form):
    slip_number: Reference = ""
    weight_kg: Grams | None = None
    shipped_on: Day | None = None


def _state_of(lot: RecyclingLot) -> str:
    return texts.STOCK["closed"] if lot.closed_at else texts.STOCK["open"]


# The lots list: its columns, what its search looks in (the lot's n°, slip, eco-organism, DEEE category).
LISTING = lists.Listing(
    columns=(
        lists.Column("number", texts.EXITS["lot"], RecyclingLot.id, lambda row: row[0].id),
        lists.Column("state", texts.LISTS["state_of_lot"], RecyclingLot.closed_at, lambda row: _state_of(row[0])),
        lists.Column("site", texts.UI["site"], folded(Site.name), lambda row: row.site),
        lists.Column(
            "eco_organism",
            texts.STOCK["eco_organism"],
            folded(RecyclingLot.eco_organism),
            lambda row: row[0].eco_organism,
        ),
        lists.Column("deee", texts.LISTS["deee"], RecyclingLot.deee_category, lambda row: row[0].deee_category),
        lists.Column("devices", texts.STOCK["devices"], literal_column("device_count"), lambda row: row.device_count),
        lists.Column("slip", texts.STOCK["slip"], folded(RecyclingLot.slip_number), lambda row: row[0].slip_number),
        lists.Column(
            "weight",
            texts.STOCK["weight_kg"],
            RecyclingLot.weight_g,
            lambda row: None if row[0].weight_g is None else Decimal(row[0].weight_g).scaleb(-3),
        ),
        lists.Column("shipped_on", texts.STOCK["shipped_on"], RecyclingLot.shipped_on, lambda row: row[0].shipped_on),
    ),
    searched=(
        cast(RecyclingLot.id, String),
        RecyclingLot.slip_number,
        RecyclingLot.eco_organism,
        cast(RecyclingLot.deee_category, String),
    ),
    unique=RecyclingLot.id,
    default="number",
    default_direction="desc",
)


async def _lots_page(
    session: AsyncSession, request: Request[Any, Any, Any], asked: lists.Asked | None = None, **context: Any
) -> Template:
    return page(
        request,
        "recycling_lots.html",
        listed=await lists.shown(session, service.listed(), LISTING, asked or lists.Asked(), "/recycling-lots"),
        sites=await sites.list_all(session),
        eco_organisms=rules.eco_organisms(),
        deee=rules.deee_categories(),
        **context,
    )


async def _lot_page(session: AsyncSession, request: Request[Any, Any, Any], lot_id: int, **context: Any) -> Template:
    return page(request, "recycling_lot.html", view=await service.lot_view(session, lot_id), **context)


class RecyclingPages(Controller):
    """The recycling lots, for the workshop's manager and technicians."""

    include_in_schema = False

    @get("/recycling-lots", opt=permission(Permission.WORKSHOP_WRITE), dependencies=lists.LIST_QUERY)
    async def lots(self, request: Request[Any, Any, Any], db_session: DbSession, asked: AskedList) -> Template:
        return await _lots_page(db_session, request, asked)

    @get("/recycling-lots.csv", opt=permission(Permission.WORKSHOP_WRITE), dependencies=lists.LIST_QUERY)
    async def lots_csv(self, db_session: DbSession, asked: AskedList) -> Response[bytes]:
        """The lots list as shown (search, sort), every page, for a spreadsheet."""
        return await lists.exported(db_session, service.listed(), LISTING, asked, "lots-recyclage.csv")

    @post("/recycling-lots", opt=permission(Permission.WORKSHOP_WRITE), status_code=303, media_type="text/html")
    async def open_lot(self, request: Request[Any, Any, Any], db_session: DbSession) -> Redirect | Template:
        async def work() -> Redirect:
            form = await read_form(request, OpenLotForm)
            lot = await service.open_lot(
                db_session, form.site_id, form.eco_organism, actor_of(request), form.deee_category, form.note
            )
            return Redirect(f"/recycling-lots/{lot.id}", status_code=303)

        return await form_page(work, partial(_lots_page, db_session, request))

    @get("/recycling-lots/{lot_id:int}", opt=permission(Permission.WORKSHOP_WRITE))
    async def lot(self, request: Request[Any, Any, Any], db_session: DbSession, lot_id: PathId) -> Template:
        return await _lot_page(db_session, request, lot_id)

    @post("/recycling-lots/{lot_id:int}/devices", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def add_to_lot(self, request: Request[Any, Any, Any], db_session: DbSession, lot_id: PathId) -> Template:
        async def work() -> Template:
            form = await read_form(request, LotDevicesForm)
            moved = await service.add_to_lot(db_session, lot_id, form.codes.codes, actor_of(request), scope_of(request))
            return await _lot_page(db_session, request, lot_id, notice=f"{len(moved)} {texts.STOCK['added_to_lot']}")

        typed = str((await request.form()).get("codes", ""))
        return await form_page(work, partial(_lot_page, db_session, request, lot_id), typed=typed)

    @post("/recycling-lots/{lot_id:int}/close", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def close_lot(self, request: Request[Any, Any, Any], db_session: DbSession, lot_id: PathId) -> Template:
        async def work() -> Template:
            form = await read_form(request, CloseLotForm)
            await service.close_lot(
                db_session, lot_id, form.slip_number, form.weight_kg, form.shipped_on, actor_of(request)
            )
            return await _lot_page(db_session, request, lot_id, notice=texts.STOCK["lot_closed"])

        return await form_page(work, partial(_lot_page, db_session, request, lot_id))


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [RecyclingPages]
