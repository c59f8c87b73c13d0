"""The workshop's part of the device card, from the bench: hardware reports, the functional test,
storage media and their erasure, repairs, dismantling and recycling. Each form answers the card again, with what happened or why not."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from advanced_alchemy.filters import LimitOffset
from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import formats, rules, texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission
from reemploi.devices.categories import Category
from reemploi.devices.lifecycle import Action
from reemploi.devices.pages import card_fragment, card_refused
from reemploi.devices.schemas import Code
from reemploi.errors import Invalid, Unconfirmed
from reemploi.parts import service as parts
from reemploi.recycling import service as recycling
from reemploi.sites import service as sites
from reemploi.web import DbSession, PathId, actor_of, form_id, form_number, page, scope_of, settings_of
from reemploi.web.forms import (
    Cents,
    Checkbox,
    Form,
    LongText,
    OptionalNumber,
    Reference,
    ShortText,
    TextArea,
    form_page,
    read_form,
    read_value,
)
from reemploi.workshop import bench, gate, grading, hardware_reports, repairs, systems
from reemploi.workshop.models import PriceGridEntry
from reemploi.workshop.routes import uploads_of


class ChecklistForm(Form):
    """The checklist's other fields; its check__<name> and note__<name> are read as they come."""

    battery_percent: OptionalNumber = None
    note: LongText = ""
    all_working: Checkbox = False  # "Tout fonctionne": every check left unanswered passes


class MediumForm(Form):
    kind: ShortText = ""
    model: ShortText = ""
    serial: Reference = ""
    replacement: Checkbox = False


class ErasureForm(Form):
    medium_id: OptionalNumber = None
    level: ShortText = ""
    technique: ShortText = ""
    tool: Reference = ""
    tool_version: Annotated[str, msgspec.Meta(max_length=50)] = ""
    passes: OptionalNumber = None
    verification: ShortText = ""
    result: ShortText = ""
    started_at: ShortText = ""
    ended_at: ShortText = ""


class RepairForm(Form):
    """The parts used come as two lists, a part and its quantity a row; an empty row is no part."""

    part_id: list[str] = []
    part_quantity: list[str] = []
    actions: LongText = ""
    minutes: OptionalNumber = None
    finished: Checkbox = False


class DismantleForm(Form):
    parts: TextArea = ""
    confirmed: Checkbox = False


class SystemForm(Form):
    family: ShortText = ""
    name: ShortText = ""
    licence: ShortText = ""
    licence_key: ShortText = ""
    note: LongText = ""


class RecycleForm(Form):
    lot_id: OptionalNumber = None
    confirmed: Checkbox = False


class WorkshopPages(Controller):
    include_in_schema = False

    @post("/devices/{code:str}/reports", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def attach_reports(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        async def work() -> str:
            # Read from the form itself: a browser sends an empty file input as a text part, which the
            # API's typed body would refuse with a technical message instead of "no report".
            uploads = await uploads_of((await request.form()).getall("files", []))
            stored = await hardware_reports.attach(db_session, code, uploads, actor_of(request), scope_of(request))
            return f"{len(stored)} {texts.UI['reports_added']}"

        return await _card_after(request, db_session, code, "", work)

    @post("/devices/{code:str}/tests", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def record_test(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        """The checklist form: check__<name> = pass | fail | na, note__<name>, battery_percent, note."""

        async def work() -> str:
            form = await read_form(request, ChecklistForm)
            raw = await request.form()
            results = {
                key.removeprefix("check__"): bench.CheckResult(str(value), str(raw.get(f"note__{key[7:]}", "")))
                for key, value in raw.items()
                if key.startswith("check__")
            }
            test = await bench.record_test(
                db_session,
                code,
                results,
                actor_of(request),
                battery_percent=form.battery_percent,
                note=form.note,
                all_working=form.all_working,
                scope=scope_of(request),
            )
            return f"{texts.WORKBENCH['test_recorded']} : {texts.WORKBENCH['passed' if test.passed else 'failed']}."

        return await _card_after(request, db_session, code, "test", work)

    @post("/devices/{code:str}/media", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def add_medium(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        async def work() -> str:
            form = await read_form(request, MediumForm)
            new = bench.NewMedium(form.kind, form.model, form.serial or None, replacement=form.replacement)
            await bench.add_medium(db_session, code, new, scope_of(request))
            return texts.WORKBENCH["medium_added"]

        return await _card_after(request, db_session, code, "storage", work)

    @post("/devices/{code:str}/systems", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def record_system(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        async def work() -> str:
            form = await read_form(request, SystemForm)
            new = systems.NewSystem(form.family, form.name, form.licence, form.licence_key, form.note)
            await systems.record(db_session, code, new, actor_of(request), scope_of(request))
            return texts.INSTALLED_SYSTEM["saved"]

        return await _card_after(request, db_session, code, "system", work)

    @post("/devices/{code:str}/erasures", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def record_erasure(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        zone = ZoneInfo(settings_of(request).timezone)

        async def work() -> str:
            form = await read_form(request, ErasureForm)
            new = bench.NewErasure(
                medium_id=form.medium_id or 0,
                level=form.level,
                technique=form.technique,
                tool=form.tool,
                tool_version=form.tool_version,
                passes=form.passes,
                verification=form.verification,
                result=form.result,
                started_at=_local_time(form.started_at, zone),
                ended_at=_local_time(form.ended_at, zone),
            )
            erasure = await bench.record_erasure(db_session, code, new, actor_of(request), scope_of(request))
            return " ".join(part for part in (texts.WORKBENCH["erasure_recorded"], erasure.warning) if part)

        return await _card_after(request, db_session, code, "storage", work)

    @post("/devices/{code:str}/repairs", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def record_repair(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        async def work() -> str:
            form = await read_form(request, RepairForm)
            used = [
                repairs.UsedPart(form_id(part), form_number(quantity) or 1)
                for part, quantity in zip(form.part_id, form.part_quantity, strict=False)
                if part
            ]
            await repairs.record_repair(
                db_session,
                code,
                form.actions,
                form.minutes or 0,
                used,
                actor_of(request),
                finished=form.finished,
                scope=scope_of(request),
            )
            return texts.EXITS["repair_recorded"]

        return await _card_after(request, db_session, code, "repair", work)

    @post("/devices/{code:str}/dismantle", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def dismantle(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        async def work() -> str:
            form = await read_form(request, DismantleForm)
            harvested = parts.parse_parts(form.parts)
            _confirmed(form.confirmed, Action.DISMANTLE)
            _, stocked = await parts.dismantle(db_session, code, harvested, actor_of(request), scope=scope_of(request))
            return f"{texts.EXITS['dismantled']} : {sum(p.quantity for p in stocked)}."

        return await _card_after(request, db_session, code, "exits", work)

    @post("/devices/{code:str}/recycle", opt=permission(Permission.WORKSHOP_WRITE), status_code=200)
    async def recycle(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        async def work() -> str:
            form = await read_form(request, RecycleForm)
            _confirmed(form.confirmed, Action.RECYCLE)
            lot_id = form.lot_id or 0
            await recycling.add_to_lot(db_session, lot_id, [code], actor_of(request), scope_of(request))
            return f"{texts.STATES['recycled']} : {texts.EXITS['lot']} n° {lot_id}."

        return await _card_after(request, db_session, code, "exits", work)


async def _card_after(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    code: str,
    section: str,
    work: Callable[[], Awaitable[str]],
) -> Template:
    """Do what a card form asks, then answer the card again, with what happened (the notice `work`
    returns) or why not; `section` is the part of the card left open. The card is an htmx fragment."""

    async def done() -> Template:
        return await card_fragment(session, request, code, open_section=section, notice=await work())

    return await form_page(done, partial(card_refused, session, request, code, section))


def _confirmed(confirmed: bool, action: Action) -> None:
    """A final exit is taken only with its box ticked (the browser asks for it; this is for the others)."""
    if not confirmed:
        raise Unconfirmed(texts.final_exit_unconfirmed(action))


def _local_time(text: str, zone: ZoneInfo) -> datetime:
    """A datetime-local field ("2026-11-26T14:30"), in the workshop's time zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(texts.WORKBENCH["bad_date"]) from None
    return (
        bench.plausible_moment(moment).replace(tzinfo=zone) if moment.tzinfo is None else bench.plausible_moment(moment)
    )


def _price_rows(typed: Mapping[str, str]) -> list[dict[str, Any]]:
    """The grid as its form shows it: one row a category, its legal cap, the price typed for each grade."""
    rows = []
    for category in Category:
        cap = rules.price_cap(category.value)
        cells = {grade: typed.get(f"price_{category.value}_{grade}", "") for grade in gate.GRADES}
        rows.append({"category": category.value, "cap": cap.cents if cap else None, "cells": cells})
    return rows


def _typed_grid(entries: Iterable[PriceGridEntry]) -> dict[str, str]:
    return {f"price_{e.category}_{e.grade}": formats.euros_plain(e.price_cents) for e in entries}


def _read_grid(typed: Mapping[str, str]) -> dict[tuple[str, str], int]:
    """The prices typed (euros), by category and grade; a cell left empty has no price."""
    entries = {}
    for category in Category:
        for grade in gate.GRADES:
            text = str(typed.get(f"price_{category.value}_{grade}") or "").strip()
            if not text:
                continue
            try:
                entries[(category.value, grade)] = int(read_value(Cents, text))
            except Invalid as refused:
                raise Invalid(texts.grid_cell_refused(category.value, grade, text, refused.detail)) from None
    return entries


async def _grid_page(
    session: AsyncSession,
    request: Request[Any, Any, Any],
    site_id: int,
    typed: Mapping[str, str] | None = None,
    **context: Any,
) -> Template:
    """A site's grid: as saved, or as typed when refused."""
    site = await sites.get(session, site_id)
    if typed is None:
        typed = _typed_grid((await grading.price_grid(session, site_id, LimitOffset(500, 0))).items)
    return page(
        request,
        "site_prices.html",
        site=site,
        grades=gate.GRADES,
        rows=_price_rows(typed),
        cap_source=rules.figures()["price_caps"]["source"],
        **context,
    )


class PriceGridPages(Controller):
    """A site's price grid (category × grade), read and replaced as `PUT /api/v1/sites/{id}/prices` does."""

    include_in_schema = False

    @get("/sites/{site_id:int}/prices", opt=permission(Permission.PRICES_WRITE))
    async def prices(
        self, request: Request[Any, Any, Any], db_session: DbSession, site_id: PathId, saved: FromQuery[bool] = False
    ) -> Template:
        notice = texts.PRICE_GRID["saved"] if saved else ""
        return await _grid_page(db_session, request, site_id, notice=notice)

    @post(
        "/sites/{site_id:int}/prices", opt=permission(Permission.PRICES_WRITE), status_code=303, media_type="text/html"
    )
    async def save_prices(
        self, request: Request[Any, Any, Any], db_session: DbSession, site_id: PathId
    ) -> Redirect | Template:
        typed = {k: str(v) for k, v in (await request.form()).items()}

        async def work() -> Redirect:
            entries = _read_grid(typed)
            await sites.get(db_session, site_id)
            await grading.set_price_grid(db_session, site_id, entries)
            return Redirect(f"/sites/{site_id}/prices?saved=true", status_code=303)

        return await form_page(work, partial(_grid_page, db_session, request, site_id, typed=typed))


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [WorkshopPages, PriceGridPages]
