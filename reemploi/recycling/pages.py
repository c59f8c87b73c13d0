"""The recycling lots pages: open a lot, scan devices into it, close it at pickup."""

from __future__ import annotations

from functools import partial
from typing import Any

from advanced_alchemy.filters import LimitOffset
from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules, texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.recycling import service
from reemploi.sites import service as sites
from reemploi.web import DbSession, Offset, PathId, actor_of, page, scope_of
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


# Lots shown per page; past them, the page links to the next.
LOTS_PER_PAGE = 200


async def _lots_page(
    session: AsyncSession, request: Request[Any, Any, Any], offset: int = 0, **context: Any
) -> Template:
    all_sites = await sites.list_all(session)
    found = await service.list_lots(session, LimitOffset(LOTS_PER_PAGE, offset))
    return page(
        request,
        "recycling_lots.html",
        lots=found.items,
        paging=found,
        sites=all_sites,
        site_names={s.id: s.name for s in all_sites},
        eco_organisms=rules.eco_organisms(),
        deee=rules.deee_categories(),
        **context,
    )


async def _lot_page(session: AsyncSession, request: Request[Any, Any, Any], lot_id: int, **context: Any) -> Template:
    return page(request, "recycling_lot.html", view=await service.lot_view(session, lot_id), **context)


class RecyclingPages(Controller):
    """The recycling lots, for the workshop's manager and technicians."""

    include_in_schema = False

    @get("/recycling-lots", opt=permission(Permission.WORKSHOP_WRITE))
    async def lots(self, request: Request[Any, Any, Any], db_session: DbSession, offset: Offset = 0) -> Template:
        return await _lots_page(db_session, request, offset=offset)

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
