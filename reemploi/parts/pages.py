"""The parts stock page: what each site has, parts bought new added by hand."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.errors import DomainError
from reemploi.parts import service
from reemploi.sites import service as sites
from reemploi.web import (
    DbSession,
    actor_of,
    form_id,
    form_number,
    page,
)


async def _parts_page(
    session: AsyncSession, request: Request[Any, Any, Any], status: int = 200, **context: Any
) -> Template:
    all_sites = await sites.list_all(session)
    return page(
        request,
        "parts.html",
        status,
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
        form = await request.form()
        try:
            new = service.NewPart(
                str(form.get("kind", "")),
                str(form.get("description", "")),
                form_number(str(form.get("quantity", ""))) or 1,
            )
            part = await service.add_new_parts(db_session, form_id(form.get("site_id")), new, actor_of(request))
        except DomainError as refused:
            return await _parts_page(db_session, request, refused.status_code, error=refused.detail)
        return await _parts_page(db_session, request, notice=f"{part.quantity} × {part.description}")


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [PartsPages]
