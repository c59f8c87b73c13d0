"""The workshop's part of the device card, from the bench: hardware reports, the functional test,
storage media and their erasure. Each form answers the card again, with what happened or why not."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, post
from litestar.response import Template

from reemploi import texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.devices.pages import card_fragment
from reemploi.devices.routes import Code
from reemploi.errors import DomainError, Invalid
from reemploi.web import DbSession, actor_of, scope_of, settings_of
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

    @post("/devices/{code:str}/tests", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def record_test(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        """The checklist form: check__<name> = pass | fail | na, note__<name>, battery_percent, note."""
        form = await request.form()
        results = {
            key.removeprefix("check__"): service.CheckResult(str(value), str(form.get(f"note__{key[7:]}", "")))
            for key, value in form.items() if key.startswith("check__")
        }
        notice = error = ""
        try:
            battery = _whole_number(str(form.get("battery_percent", "")))
            test = await service.record_test(db_session, code, results, actor_of(request), battery_percent=battery,
                                             note=str(form.get("note", "")), scope=scope_of(request))
            notice = f"{texts.WORKBENCH['test_recorded']} : {texts.WORKBENCH['passed' if test.passed else 'failed']}."
        except DomainError as refused:
            error = refused.detail
        return await card_fragment(db_session, request, code, notice=notice, error=error, open_section="test")

    @post("/devices/{code:str}/media", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def add_medium(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        form = await request.form()
        notice = error = ""
        try:
            new = service.NewMedium(kind=str(form.get("kind", "")), model=str(form.get("model", ""))[:200],
                                    serial=str(form.get("serial", ""))[:100] or None,
                                    replacement=form.get("replacement") == "true")
            await service.add_medium(db_session, code, new, scope_of(request))
            notice = texts.WORKBENCH["medium_added"]
        except DomainError as refused:
            error = refused.detail
        return await card_fragment(db_session, request, code, notice=notice, error=error, open_section="storage")

    @post("/devices/{code:str}/erasures", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def record_erasure(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        form = await request.form()
        zone = ZoneInfo(settings_of(request).timezone)
        notice = error = ""
        try:
            new = service.NewErasure(
                medium_id=_whole_number(str(form.get("medium_id", ""))) or 0,
                level=str(form.get("level", "")), technique=str(form.get("technique", "")),
                tool=str(form.get("tool", ""))[:100], tool_version=str(form.get("tool_version", ""))[:50],
                passes=_whole_number(str(form.get("passes", ""))),
                verification=str(form.get("verification", "")), result=str(form.get("result", "")),
                started_at=_local_time(str(form.get("started_at", "")), zone),
                ended_at=_local_time(str(form.get("ended_at", "")), zone),
            )
            erasure = await service.record_erasure(db_session, code, new, actor_of(request), scope_of(request))
            notice = " ".join(part for part in (texts.WORKBENCH["erasure_recorded"], erasure.warning) if part)
        except DomainError as refused:
            error = refused.detail
        return await card_fragment(db_session, request, code, notice=notice, error=error, open_section="storage")


def _whole_number(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise Invalid(texts.NOT_A_WHOLE_NUMBER)
    return int(text)


def _local_time(text: str, zone: ZoneInfo) -> datetime:
    """A datetime-local field ("2026-11-26T14:30"), in the workshop's time zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(texts.WORKBENCH["bad_date"]) from None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment
