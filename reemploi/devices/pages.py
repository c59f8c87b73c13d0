"""The scan station: one field that keeps the focus, the device card, its next steps as buttons.

Thin like the API routes: parse, call the device service, render. `GET /scan?code=` works without
JavaScript; with htmx the card alone is fetched (`/scan/card`) and steps are posted in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from enum import StrEnum
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.response import Response, Template
from sqlalchemy import case
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import formats, texts
from reemploi.accounts.auth import permission
from reemploi.accounts.roles import Permission, allows
from reemploi.db import folded
from reemploi.devices import lifecycle, service, steps
from reemploi.devices.categories import Category
from reemploi.devices.lifecycle import FINAL_EXITS, Action, State, plain_actions
from reemploi.devices.models import Device
from reemploi.devices.schemas import Code
from reemploi.errors import DomainError, Invalid, Unconfirmed
from reemploi.partners.models import Partner
from reemploi.sites import service as sites
from reemploi.web import DbSession, QueryId, actor_of, engine_of, lists, page, permissions_of, scope_of
from reemploi.web.forms import Checkbox, Form, OptionalNumber, form_page, read_form, typed_in
from reemploi.web.lists import AskedList
from reemploi.workshop import bench, hardware_reports, machine, repairs, systems

WITH_OWN_FORM = frozenset({Action.DISMANTLE, Action.RECYCLE})
# The card's keyboard shortcuts (Alt+n): an action keeps its key in every state, and no two actions
# offered in one state share a key. Final exits have none: they are clicked, and confirmed.
SHORTCUTS: Mapping[Action, int] = {
    Action.RECEIVE: 1,
    Action.START_DIAGNOSIS: 2,
    Action.SEND_TO_REPAIR: 3,
    Action.FINISH_REPAIR: 4,
    Action.START_ERASURE: 5,
    Action.GRADE: 6,
    Action.PUT_ON_SALE: 7,
    Action.WITHDRAW_FROM_SALE: 8,
    Action.RESERVE: 9,
    Action.RELEASE: 9,
}
ScanText = Annotated[str, QueryParameter(max_length=100)]


class CancelForm(Form):
    confirm: Checkbox = False
    expected_version: OptionalNumber = None


class StepForm(msgspec.Struct):
    action: str
    expected_version: int | None = None
    grade: str = ""  # grading
    cosmetic_notes: str = ""
    price: str = ""  # grading or putting on sale, in euros as typed ("95", "95,50")
    confirmed: str = ""  # the box a final exit asks to tick

    def data(self) -> dict[str, str]:
        given = {"grade": self.grade, "cosmetic_notes": self.cosmetic_notes.strip()[:500], "price": self.price.strip()}
        return {name: value for name, value in given.items() if value}


async def _card(
    session: AsyncSession, request: Request[Any, Any, Any], code: str, open_section: str = ""
) -> dict[str, Any]:
    """What the card shows: the device, its history (latest first), the steps this person may take."""
    device, events = await service.history(session, code, scope_of(request))
    may_move = allows(request.user.role, Permission.DEVICES_MOVE)
    # Dismantling and recycling have their own forms (parts harvested, the lot): not plain steps.
    actions = [a for a in plain_actions(State(device.state)) if a not in WITH_OWN_FORM] if may_move else []
    steps = [{"action": a.value, "key": SHORTCUTS.get(a), "final": a in FINAL_EXITS} for a in actions]
    _, reports = await hardware_reports.reports_of(session, code, scope_of(request))
    workbench = await bench.bench_view(session, device, open_section)
    exits = await repairs.exits_view(session, device, open_section)
    return {
        "device": device,
        "provenance": await service.provenance(session, device, events),
        "events": list(reversed(events)),
        "steps": steps,
        "reports": reports,
        "windows11": machine.verdict([r.extracted for r in reports]),
        # latest first, each with its key as this reader may see it
        "systems": [
            (x, systems.shown_key(x, allows(request.user.role, Permission.WORKSHOP_WRITE)))
            for x in reversed(await systems.history(session, device))
        ],
        "bench": workbench,
        "exits": exits,
        "may_cancel": lifecycle.may_cancel(State(device.state), device.version)
        and allows(request.user.role, Permission.DEVICES_REGISTER),
    }


async def _result(session: AsyncSession, request: Request[Any, Any, Any], text: str) -> dict[str, Any]:
    """The answer to a scan: one device's card, or a choice between several (what went wrong, the
    scan pages show with `form_page`)."""
    found = await service.scan(engine_of(request), text, scope_of(request))
    if len(found.devices) > 1:
        return {"choices": found.devices}
    return await _card(session, request, found.devices[0].code)


def _fragment(request: Request[Any, Any, Any], context: dict[str, Any]) -> Template:
    """The part of the scan page htmx swaps in (with the CSRF token its forms carry); without htmx (a
    card form posted by a browser without JavaScript), the whole scan page around it."""
    if not request.headers.get("hx-request"):
        return page(request, "scan.html", **context)
    return Template(
        "_scan_result.html",
        context={"csrf_token": request.user.csrf_token or "", "may": permissions_of(request), **context},
    )


def _day(value: str) -> date | None:
    """A date filter from a query string (2026-01-31), or no filter."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _choice(value: str, allowed: type[StrEnum]) -> str | None:
    """A filter from a query string: one of the enum's values, or no filter."""
    return value if value in {m.value for m in allowed} else None


async def card_fragment(
    session: AsyncSession,
    request: Request[Any, Any, Any],
    code: str,
    notice: str = "",
    error: str = "",
    open_section: str = "",
    typed: Mapping[str, str] | None = None,
) -> Template:
    """The device card after something was done on it, with what happened (or why not); `typed`, what
    a refused form carried (`typed_in`), fills that form again."""
    try:
        card = await _card(session, request, code, open_section)
    except DomainError as gone:
        return _fragment(request, {"message": gone.detail})
    return _fragment(request, {**card, "notice": notice, "error": error, "typed": typed or {}})


async def card_refused(
    session: AsyncSession, request: Request[Any, Any, Any], code: str, open_section: str = "", **refusal: Any
) -> Template:
    """The card again after a refused form, that form filled with what was typed."""
    return await card_fragment(
        session, request, code, open_section=open_section, typed=await typed_in(request), **refusal
    )


def _where(
    request: Request[Any, Any, Any],
    device_state: Annotated[str, QueryParameter(name="state", max_length=40)] = "",
    category: ScanText = "",
    site_id: QueryId = None,
    collection_id: QueryId = None,
    donor_id: QueryId = None,
    collected_from: ScanText = "",
    collected_to: ScanText = "",
) -> service.DeviceFilter:
    """The device list's filters from the query string; a value that means nothing is no filter."""
    return service.DeviceFilter(
        state=_choice(device_state, State),
        category=_choice(category, Category),
        site_id=site_id,
        collection_id=collection_id,
        donor_id=scope_of(request).donor_filter(donor_id),
        collected_from=_day(collected_from),
        collected_to=_day(collected_to),
    )


_DEVICE_LIST = {"where": Provide(_where, sync_to_thread=False), **lists.LIST_QUERY}
DeviceWhere = NamedDependency[service.DeviceFilter]


def _kept(where: service.DeviceFilter) -> dict[str, Any]:
    """The filters the list's links and its search keep, as the query string names them."""
    return {
        "state": where.state,
        "category": where.category,
        "site_id": where.site_id,
        "collection_id": where.collection_id,
        "donor_id": where.donor_id,
        "collected_from": where.collected_from,
        "collected_to": where.collected_to,
    }


def _device_listing(request: Request[Any, Any, Any]) -> lists.Listing:
    """The device list's columns; the price only for the roles that set or take it."""
    role = request.user.role
    with_prices = allows(role, Permission.WORKSHOP_WRITE) or allows(role, Permission.SALES)

    def label_of(names: dict[str, str], column: Any) -> Any:
        return folded(case(names, value=column, else_=column))

    price = lists.Column(
        "price", texts.LISTS["price"], Device.price_cents, lambda row: formats.amount(row[0].price_cents)
    )
    return lists.Listing(
        columns=lists.columns_of(
            lists.Column("code", texts.UI["code"], Device.code, lambda row: row[0].code),
            lists.Column(
                "category",
                texts.UI["category"],
                label_of(texts.CATEGORIES, Device.category),
                lambda row: texts.CATEGORIES.get(row[0].category, row[0].category),
            ),
            lists.Column(
                "model",
                texts.UI["manufacturer_model"],
                folded(Device.manufacturer + " " + Device.model),
                lambda row: f"{row[0].manufacturer} {row[0].model}".strip(),
            ),
            lists.Column("serial", texts.UI["serial"], Device.serial, lambda row: row[0].serial),
            lists.Column("donor", texts.UI["donor"], folded(Partner.name), lambda row: row.donor),
            lists.Column(
                "state",
                texts.UI["state"],
                label_of(texts.STATES, Device.state),
                lambda row: texts.STATES.get(row[0].state, row[0].state),
            ),
            price if with_prices else None,
        ),
        searched=(Device.code, Device.serial, Device.asset_tag, Device.manufacturer, Device.model, Partner.name),
        unique=Device.id,
        default="code",
    )


class DevicePages(Controller):
    include_in_schema = False

    @get("/devices", opt=permission(Permission.DEVICES_READ), dependencies=_DEVICE_LIST)
    async def device_list(
        self, request: Request[Any, Any, Any], db_session: DbSession, where: DeviceWhere, asked: AskedList
    ) -> Template:
        listing = _device_listing(request)
        listed = await lists.shown(db_session, service.listed(where), listing, asked, "/devices", _kept(where))
        unfiltered_state = replace(where, state=None)
        by_state = {k[0]: n for k, n in (await service.counts(db_session, unfiltered_state, Device.state)).items()}
        shown = {
            "state": where.state,
            "category": where.category,
            "site_id": where.site_id,
            "collection_id": where.collection_id,
        }
        # The labels of what is shown: only with the filters the label printer knows (not a search).
        printable = not (
            where.collected_from
            or where.collected_to
            or (where.donor_id and not scope_of(request).donor_id)
            or listed.asked.q
        )
        print_query = (
            urlencode({name: value for name, value in shown.items() if value is not None}) if printable else None
        )
        return page(
            request,
            "devices.html",
            listed=listed,
            by_state=by_state,
            where=where,
            print_query=print_query,
            sites=await sites.list_all(db_session),
            categories=list(Category),
            states=list(State),
        )

    @get("/devices.csv", opt=permission(Permission.DEVICES_READ), dependencies=_DEVICE_LIST)
    async def device_list_csv(
        self, request: Request[Any, Any, Any], db_session: DbSession, where: DeviceWhere, asked: AskedList
    ) -> Response[bytes]:
        """The device list as shown (filters, search, sort), every page, for a spreadsheet."""
        return await lists.exported(db_session, service.listed(where), _device_listing(request), asked, "appareils.csv")

    @get("/stock", opt=permission(Permission.DEVICES_READ))
    async def stock(self, request: Request[Any, Any, Any], db_session: DbSession) -> Template:
        """What can be sold now: ready devices by category and grade."""
        stock = await service.ready_stock(db_session, scope_of(request))
        return page(request, "stock.html", table=stock.by_category, grades=stock.grades, total=stock.total)

    @get("/scan", opt=permission(Permission.DEVICES_READ))
    async def scan_station(
        self, request: Request[Any, Any, Any], db_session: DbSession, code: ScanText = ""
    ) -> Template:
        async def work() -> Template:
            return page(request, "scan.html", **(await _result(db_session, request, code) if code.strip() else {}))

        return await form_page(work, partial(page, request, "scan.html"), say="message")

    @get("/scan/card", opt=permission(Permission.DEVICES_READ))
    async def scan_card(self, request: Request[Any, Any, Any], db_session: DbSession, code: ScanText = "") -> Template:
        async def work() -> Template:
            return _fragment(request, await _result(db_session, request, code))

        return await form_page(work, lambda **refusal: _fragment(request, refusal), say="message")

    @post("/devices/{code:str}/steps", opt=permission(Permission.DEVICES_MOVE), status_code=200)
    async def take_step(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        code: Code,
        data: Annotated[StepForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template:
        async def work() -> Template:
            if data.action not in {a.value for a in Action}:
                raise Invalid(texts.unknown_step(data.action))
            if Action(data.action) in FINAL_EXITS and not data.confirmed:
                raise Unconfirmed(texts.final_exit_unconfirmed(data.action))
            moved = await steps.take_step(
                db_session,
                code,
                Action(data.action),
                actor_of(request),
                expected_version=data.expected_version,
                data=data.data(),
            )
            notice = f"{texts.UI['moved']} : {texts.STATES.get(moved.state, moved.state)}."
            return await card_fragment(db_session, request, code, notice=notice)

        return await form_page(work, partial(card_refused, db_session, request, code))

    @post("/devices/{code:str}/cancel-registration", opt=permission(Permission.DEVICES_REGISTER), status_code=200)
    async def cancel_registration(self, request: Request[Any, Any, Any], db_session: DbSession, code: Code) -> Template:
        async def work() -> Template:
            form = await read_form(request, CancelForm)
            cancelled = await service.cancel_registration(
                db_session,
                code,
                actor_of(request),
                confirmed=form.confirm,
                expected_version=form.expected_version,
                scope=scope_of(request),
            )
            return await card_fragment(db_session, request, code, notice=texts.registration_cancelled(cancelled.code))

        return await form_page(work, partial(card_fragment, db_session, request, code))


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [DevicePages]
