"""The parts stock page: what each site has, parts bought new added by hand."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.parts import service
from reemploi.sites import service as sites
from reemploi.web import DbSession, actor_of, page
from reemploi.web.forms import Form, OptionalNumber, ShortText, WholeNumber, form_page, read_form


class NewPartsForm(Form):
    site_id: WholeNumber
    kind: ShortText = ""
    description: ShortText = ""
    quantity: OptionalNumber = None  # one when left empty


async def _parts_page(session: AsyncSession, request: Request[Any, Any, Any], **context: Any) -> Template:
    all_sites = await sites.list_all(session)
    return page(
        request,
        "parts.html",
        parts=await service.parts_stock(session),
        sites=all_sites,
        site_names={s.id: s.name for s in all_sites},
        kinds=texts.PART_KINDS,
        **context,
    )


class PartsPages(Controller):
    """The parts stock of every site, for the workshop's manager and technicians."""

    include_in_schema = False

    @get("/parts", opt=permission(Permission.WORKSHOP_WRITE))
    async def parts(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        return await _parts_page(db_session, request)

    @post("/parts", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def add_parts(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        async def work() -> Template:
            form = await read_form(request, NewPartsForm)
            new = service.NewPart(form.kind, form.description, form.quantity or 1)
            part = await service.add_new_parts(db_session, form.site_id, new, actor_of(request))
            return await _parts_page(db_session, request, notice=f"{part.quantity} × {part.description}")

        return await form_page(work, partial(_parts_page, db_session, request))


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [PartsPages]
