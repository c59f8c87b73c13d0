"""Stock pages: a site's shelves and bins, putting devices away by scanning, auditing a shelf."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.errors import DomainError
from reemploi.sites import service as sites
from reemploi.stock import service
from reemploi.web import DbSession, QueryId, actor_of, form_id, page, scanned_lines, scope_of


async def _locations_page(
    session: AsyncSession, request: Request[Any, Any, Any], site_id: int | None, status: int = 200, **context: Any
) -> Template:
    all_sites = await sites.list_all(session)
    return page(
        request,
        "locations.html",
        status,
        locations=await service.locations(session, site_id),
        audits=await service.audits(session, limit=10),
        sites=all_sites,
        site_names={s.id: s.name for s in all_sites},
        site_id=site_id,
        **context,
    )


class StockPages(Controller):
    include_in_schema = False

    @get("/stock/locations", opt=permission(Permission.STOCK_WRITE))
    async def locations(
        self, request: Request[Any, Any, Any], db_session: DbSession, site_id: QueryId = None
    ) -> Template:
        return await _locations_page(db_session, request, site_id)

    @post("/stock/locations", opt=permission(Permission.STOCK_WRITE), status_code=200)
    async def add_location(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        form = await request.form()
        try:
            created = await service.add_location(
                db_session, form_id(form.get("site_id")), str(form.get("code", "")), str(form.get("label", ""))
            )
        except DomainError as refused:
            return await _locations_page(db_session, request, None, refused.status_code, error=refused.detail)
        return await _locations_page(
            db_session, request, created.site_id, notice=f"{texts.STOCK['new_location']} : {created.code}"
        )

    @post("/stock/put-away", opt=permission(Permission.STOCK_WRITE), status_code=200)
    async def put_away(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        form = await request.form()
        try:
            moved = await service.put_away(
                db_session,
                form_id(form.get("location_id")),
                scanned_lines(str(form.get("codes", ""))),
                actor_of(request),
                scope_of(request),
            )
        except DomainError as refused:
            return await _locations_page(
                db_session, request, None, refused.status_code, error=refused.detail, typed=str(form.get("codes", ""))
            )
        notice = f"{len(moved.moved)} {texts.STOCK['moved']} {moved.location.code}."
        return await _locations_page(db_session, request, moved.location.site_id, notice=notice)

    @post("/stock/audit", opt=permission(Permission.STOCK_WRITE), status_code=200)
    async def audit(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        form = await request.form()
        try:
            location_id = form_id(form.get("location_id"))
            made = await service.audit(
                db_session, location_id, scanned_lines(str(form.get("codes", ""))), actor_of(request), scope_of(request)
            )
            location = await service.get_location(db_session, location_id)
        except DomainError as refused:
            return await _locations_page(db_session, request, None, refused.status_code, error=refused.detail)
        return await _locations_page(db_session, request, location.site_id, audit=made, audited=location)


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [StockPages]
