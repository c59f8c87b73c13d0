"""The recycling lots pages: open a lot, scan devices into it, close it at pickup."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.filters import LimitOffset
from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules, texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.errors import DomainError
from reemploi.recycling import service
from reemploi.sites import service as sites
from reemploi.web import (
    DbSession,
    Offset,
    PathId,
    actor_of,
    form_day,
    form_grams,
    form_id,
    form_number,
    page,
    scanned_lines,
    scope_of,
)

# Lots shown per page; past them, the page links to the next.
LOTS_PER_PAGE = 200


async def _lots_page(
    session: AsyncSession, request: Request[Any, Any, Any], status: int = 200, offset: int = 0, **context: Any
) -> Template:
    all_sites = await sites.list_all(session)
    found = await service.list_lots(session, LimitOffset(LOTS_PER_PAGE, offset))
    return page(
        request,
        "recycling_lots.html",
        status,
        lots=found.items,
        paging=found,
        sites=all_sites,
        site_names={s.id: s.name for s in all_sites},
        eco_organisms=rules.eco_organisms(),
        deee=rules.deee_categories(),
        **context,
    )


async def _lot_page(
    session: AsyncSession, request: Request[Any, Any, Any], lot_id: int, status: int = 200, **context: Any
) -> Template:
    return page(request, "recycling_lot.html", status, view=await service.lot_view(session, lot_id), **context)


class RecyclingPages(Controller):
    """The recycling lots, for the workshop's manager and technicians."""

    include_in_schema = False

    @get("/recycling-lots", opt=permission(Permission.WORKSHOP_WRITE))
    async def lots(self, request: Request[Any, Any, Any], db_session: DbSession, offset: Offset = 0) -> Template:
        return await _lots_page(db_session, request, offset=offset)

    @post("/recycling-lots", opt=permission(Permission.WORKSHOP_WRITE), status_code=303, media_type="text/html")
    async def open_lot(self, request: Request[Any, Any, Any], db_session: DbSession) -> Any:
        form = await request.form()
        try:
            deee = form_number(str(form.get("deee_category", "")))
            lot = await service.open_lot(
                db_session,
                form_id(form.get("site_id")),
                str(form.get("eco_organism", "")),
                actor_of(request),
                deee,
                str(form.get("note", "")),
            )
        except DomainError as refused:
            return await _lots_page(db_session, request, refused.status_code, error=refused.detail)
        return Redirect(f"/recycling-lots/{lot.id}", status_code=303)

    @get("/recycling-lots/{lot_id:int}", opt=permission(Permission.WORKSHOP_WRITE))
    async def lot(self, request: Request[Any, Any, Any], db_session: DbSession, lot_id: PathId) -> Template:
        return await _lot_page(db_session, request, lot_id)

    @post("/recycling-lots/{lot_id:int}/devices", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def add_to_lot(self, request: Request[Any, Any, Any], db_session: DbSession, lot_id: PathId) -> Template:
        form = await request.form()
        try:
            moved = await service.add_to_lot(
                db_session, lot_id, scanned_lines(str(form.get("codes", ""))), actor_of(request), scope_of(request)
            )
        except DomainError as refused:
            return await _lot_page(
                db_session, request, lot_id, refused.status_code, error=refused.detail, typed=str(form.get("codes", ""))
            )
        return await _lot_page(db_session, request, lot_id, notice=f"{len(moved)} {texts.STOCK['added_to_lot']}")

    @post("/recycling-lots/{lot_id:int}/close", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def close_lot(self, request: Request[Any, Any, Any], db_session: DbSession, lot_id: PathId) -> Template:
        form = await request.form()
        try:
            weight = form_grams(str(form.get("weight_kg", "")))
            shipped = form_day(str(form.get("shipped_on", "")))
            await service.close_lot(
                db_session, lot_id, str(form.get("slip_number", "")), weight, shipped, actor_of(request)
            )
        except DomainError as refused:
            return await _lot_page(db_session, request, lot_id, refused.status_code, error=refused.detail)
        return await _lot_page(db_session, request, lot_id, notice=texts.STOCK["lot_closed"])


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [RecyclingPages]
