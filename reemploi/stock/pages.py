"""Stock pages: a site's shelves and bins, putting devices away by scanning, auditing a shelf."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.sites import service as sites
from reemploi.stock import service
from reemploi.web import DbSession, QueryId, actor_of, page, scope_of
from reemploi.web.forms import Form, Reference, ScannedCodes, ShortText, WholeNumber, form_page, read_form


class LocationForm(Form):
    site_id: WholeNumber
    code: Reference = ""
    label: ShortText = ""


class ScannedAtLocationForm(Form):
    """Putting devices away, or auditing a shelf: the location and the codes scanned."""

    location_id: WholeNumber
    codes: ScannedCodes = ScannedCodes("")


async def _locations_page(
    session: AsyncSession, request: Request[Any, Any, Any], site_id: int | None, **context: Any
) -> Template:
    all_sites = await sites.list_all(session)
    return page(
        request,
        "locations.html",
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
        async def work() -> Template:
            form = await read_form(request, LocationForm)
            created = await service.add_location(db_session, form.site_id, form.code, form.label)
            notice = f"{texts.STOCK['new_location']} : {created.code}"
            return await _locations_page(db_session, request, created.site_id, notice=notice)

        return await form_page(work, partial(_locations_page, db_session, request, None))

    @post("/stock/put-away", opt=permission(Permission.STOCK_WRITE), status_code=200)
    async def put_away(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        async def work() -> Template:
            form = await read_form(request, ScannedAtLocationForm)
            moved = await service.put_away(
                db_session, form.location_id, form.codes.codes, actor_of(request), scope_of(request)
            )
            notice = f"{len(moved.moved)} {texts.STOCK['moved']} {moved.location.code}."
            return await _locations_page(db_session, request, moved.location.site_id, notice=notice)

        typed = str((await request.form()).get("codes", ""))
        return await form_page(work, partial(_locations_page, db_session, request, None), typed=typed)

    @post("/stock/audit", opt=permission(Permission.STOCK_WRITE), status_code=200)
    async def audit(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        async def work() -> Template:
            form = await read_form(request, ScannedAtLocationForm)
            made = await service.audit(
                db_session, form.location_id, form.codes.codes, actor_of(request), scope_of(request)
            )
            location = await service.get_location(db_session, form.location_id)
            return await _locations_page(db_session, request, location.site_id, audit=made, audited=location)

        typed = str((await request.form()).get("codes", ""))
        return await form_page(work, partial(_locations_page, db_session, request, None), audit_typed=typed)


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [StockPages]
