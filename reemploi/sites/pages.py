"""The workshop's sites in the pages: the list, for the people who set their prices and sale rules,
and, for an admin, a new site and a site's name, address and default labels. Thin: the site
service checks everything; a site's price grid and sale rules have their own pages (workshop, sales)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from advanced_alchemy.filters import LimitOffset
from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.labels.render import FALLBACK_TEMPLATE, template_names
from reemploi.sites import service
from reemploi.web import DbSession, Offset, PathId, page
from reemploi.web.forms import Form, LongText, ShortText, form_page, read_form

SITES_PER_PAGE = 50


class SiteForm(Form):
    code: ShortText = ""  # only when the site is created: it prefixes every device code, for good
    name: ShortText = ""
    address: LongText = ""
    label_template: ShortText = FALLBACK_TEMPLATE


def _site_page(
    request: Request[Any, Any, Any], site_id: int | None, typed: Mapping[str, Any], error: str = "", notice: str = ""
) -> Template:
    return page(
        request, "site.html", site_id=site_id, typed=typed, templates=template_names(), error=error, notice=notice
    )


class SitePages(Controller):
    include_in_schema = False

    @get("/sites", opt=permission(Permission.PRICES_WRITE))
    async def sites(self, request: Request[Any, Any, Any], db_session: DbSession, offset: Offset = 0) -> Template:
        paging = await service.list_page(db_session, LimitOffset(SITES_PER_PAGE, offset))
        return page(request, "sites.html", sites=paging.items, paging=paging)

    @get("/sites/new", opt=permission(Permission.SITES_WRITE))
    async def new_site(self, request: Request[Any, Any, Any]) -> Template:
        return _site_page(request, None, {"label_template": FALLBACK_TEMPLATE})

    @post("/sites/new", opt=permission(Permission.SITES_WRITE), status_code=303, media_type="text/html")
    async def create_site(self, request: Request[Any, Any, Any], db_session: DbSession) -> Redirect | Template:
        async def work() -> Redirect:
            form = await read_form(request, SiteForm)
            created = await service.create(db_session, form.code, form.name, form.address, form.label_template)
            return Redirect(f"/sites/{created.id}?saved=true", status_code=303)

        typed = dict((await request.form()).items())
        return await form_page(work, partial(_site_page, request, None, typed))

    @get("/sites/{site_id:int}", opt=permission(Permission.PRICES_WRITE))
    async def site(
        self, request: Request[Any, Any, Any], db_session: DbSession, site_id: PathId, saved: FromQuery[bool] = False
    ) -> Template:
        found = await service.get(db_session, site_id)
        typed = {
            "code": found.code,
            "name": found.name,
            "address": found.address,
            "label_template": found.label_template,
        }
        return _site_page(request, site_id, typed, notice=texts.UI["site_saved"] if saved else "")

    @post("/sites/{site_id:int}", opt=permission(Permission.SITES_WRITE), status_code=303, media_type="text/html")
    async def change_site(
        self, request: Request[Any, Any, Any], db_session: DbSession, site_id: PathId
    ) -> Redirect | Template:
        async def work() -> Redirect:
            form = await read_form(request, SiteForm)
            await service.change(db_session, site_id, form.name, form.address, form.label_template)
            return Redirect(f"/sites/{site_id}?saved=true", status_code=303)

        found = await service.get(db_session, site_id)
        typed = {**dict((await request.form()).items()), "code": found.code}
        return await form_page(work, partial(_site_page, request, site_id, typed))


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [SitePages]
