"""The workshop's part of the device card: attaching hardware reports from the bench."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post
from litestar.response import Template

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.devices.pages import card_fragment
from reemploi.devices.routes import Code
from reemploi.errors import DomainError
from reemploi.web import DbSession, actor_of, scope_of
from reemploi.workshop import service
from reemploi.workshop.routes import uploads_of


class WorkshopPages(Controller):
    include_in_schema = False

    @post("/devices/{code:str}/reports", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def attach_reports(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        notice = error = ""
        try:
            # Read from the form itself: a browser sends an empty file input as a text part, which the
            # API's typed body would refuse with a technical message instead of "no report".
            uploads = await uploads_of((await request.form()).getall("files", []))
            stored = await service.attach(db_session, code, uploads, actor_of(request), scope_of(request))
            notice = f"{len(stored)} {texts.UI['reports_added']}"
        except DomainError as refused:
            error = refused.detail
        return await card_fragment(db_session, request, code, notice=notice, error=error)
