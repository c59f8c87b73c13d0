"""Device work: register, look up, scan, list, and move through the lifecycle.

Every change is one transaction: the state change and its event are written together or not at
all, and a change only lands if the device is still at the version that was read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from reemploi import rules, texts
from reemploi.actors import Actor
from reemploi.collections.models import Collection
from reemploi.db import DriverStatement, affected_rows, utcnow, write_transaction
from reemploi.devices import lifecycle
from reemploi.devices.codes import SequenceExhausted, make_code, next_numbers, parse_code
from reemploi.devices.lifecycle import Action, State
from reemploi.devices.models import Device, DeviceEvent, counted
from reemploi.errors import (
    CodesExhausted,
    Conflict,
    Invalid,
    MistypedCode,
    NotFound,
    RegistrationNotCancellable,
    SerialInCollection,
    SerialKnown,
    TransitionRefused,
)
from reemploi.identifiers import identifier
from reemploi.labels.models import LabelPrint, LabelPrintDevice
from reemploi.partners.models import Partner
from reemploi.scope import EVERYTHING, Scope
from reemploi.sites.models import Site


@dataclass(frozen=True, slots=True)
class NewDevice:
    category: str
    manufacturer: str = ""
    model: str = ""
    serial: str | None = None
    asset_tag: str | None = None
    year: int | None = None
    weight_g: int | None = None
    specs: dict[str, Any] = field(default_factory=dict)
    location: str = ""


@dataclass(frozen=True, slots=True)
class Registered:
    device: Device
    warnings: list[str]


@dataclass(frozen=True, slots=True)
class DeviceFilter:
    state: str | None = None
    category: str | None = None
    site_id: int | None = None
    collection_id: int | None = None
    donor_id: int | None = None  # devices given by this partner
    collected_from: date | None = None  # in collections of these days (included)
    collected_to: date | None = None


async def register(
    session: AsyncSession, collection_id: int, new: NewDevice, actor: Actor, *, confirmed: bool = False
) -> Registered:
    """Register one device as it is scanned at intake. A serial the workshop already knows asks
    first (SerialInCollection, SerialKnown: nothing written) unless the person `confirmed` it: a
    scanner that reads the same label twice must not make two devices."""
    async with write_transaction(session):
        collection = await session.get(Collection, collection_id)
        if collection is None:
            raise Invalid(
                texts.unknown_reference("collection_id", texts.NAMES_IN_A_SENTENCE["collection"], collection_id)
            )
        (registered,) = await add_to_collection(session, collection, [new], actor, ask_first=not confirmed)
        return registered


async def add_to_collection(
    session: AsyncSession,
    collection: Collection,
    new_devices: Sequence[NewDevice],
    actor: Actor,
    *,
    ask_first: bool = False,
) -> list[Registered]:
    """Register devices of `collection` inside the caller's write transaction (no commit here).
    A serial already known is a warning on its device, or, when `ask_first`, a refusal."""
    if not new_devices:
        return []
    site = await session.get(Site, collection.site_id)
    assert site is not None  # foreign key
    # Lock the site's counter row (PostgreSQL: row lock until commit; SQLite: the write lock is
    # already held), then take the next numbers: concurrent registrations get distinct numbers.
    last = (
        await session.execute(
            update(Site)
            .where(Site.id == site.id)
            .values(last_device_number=Site.last_device_number)
            .returning(Site.last_device_number)
        )
    ).scalar_one()
    # Read under that lock: of two registrations of the same serial at once, the second sees the
    # first's device (every device of a collection is numbered by the collection's site).
    known = await _known_serials(session, [identifier(n.serial) for n in new_devices])
    if ask_first:
        _ask_about_known_serials(collection, new_devices, known)
    try:
        numbers = next_numbers(site.code, last, len(new_devices))
    except SequenceExhausted:
        raise CodesExhausted(texts.site_sequence_exhausted(site.code)) from None
    await session.execute(update(Site).where(Site.id == site.id).values(last_device_number=numbers[-1]))
    now = utcnow()
    results: list[Registered] = []
    for number, new in zip(numbers, new_devices, strict=True):
        code = make_code(site.code, number)
        serial = identifier(new.serial)
        device = Device(
            code=code,
            site_id=site.id,
            collection_id=collection.id,
            category=new.category,
            manufacturer=new.manufacturer.strip(),
            model=new.model.strip(),
            serial=serial,
            asset_tag=identifier(new.asset_tag),
            year=new.year,
            weight_g=new.weight_g,
            specs=new.specs,
            location=new.location.strip(),
            state=lifecycle.INITIAL_STATE.value,
            version=1,
            created_at=now,
            updated_at=now,
        )
        session.add(device)
        codes = [k.code for k in known.get(serial or "", [])]
        results.append(Registered(device, [texts.known_serial(serial, codes)] if serial and codes else []))
    await session.flush()
    session.add_all(
        DeviceEvent(
            device_id=r.device.id,
            version=1,
            at=now,
            **actor.columns(),
            action=lifecycle.REGISTER,
            from_state=None,
            to_state=lifecycle.INITIAL_STATE.value,
            data={"collection_id": collection.id},
        )
        for r in results
    )
    await session.flush()
    return results


class KnownDevice(NamedTuple):
    code: str
    collection_id: int


async def _known_serials(session: AsyncSession, serials: Sequence[str | None]) -> dict[str, list[KnownDevice]]:
    wanted = sorted({s for s in serials if s})
    known: dict[str, list[KnownDevice]] = {}
    for start in range(0, len(wanted), 500):
        rows = await session.execute(
            select(Device.serial, Device.code, Device.collection_id)
            .where(Device.serial.in_(wanted[start : start + 500]), counted())
            .order_by(Device.id)
        )
        for serial, code, collection_id in rows:
            if serial is not None:  # always, since it matched one of `wanted`
                known.setdefault(serial, []).append(KnownDevice(code, collection_id))
    return known


def _ask_about_known_serials(
    collection: Collection, new_devices: Sequence[NewDevice], known: dict[str, list[KnownDevice]]
) -> None:
    """Refuse a serial already known, saying which device has it: in this same collection (most
    often the same label scanned twice), or elsewhere (a device back from a donor, or a typo)."""
    for new in new_devices:
        serial = identifier(new.serial)
        if not serial or serial not in known:
            continue
        here = [k for k in known[serial] if k.collection_id == collection.id]
        refusal, shown = (
            (SerialInCollection, texts.serial_in_collection) if here else (SerialKnown, texts.serial_known_elsewhere)
        )
        devices = here or known[serial]
        raise refusal(
            shown(serial, [d.code for d in devices]),
            errors=[
                {"field": "serial", "serial": serial, "device": d.code, "collection_id": d.collection_id}
                for d in devices
            ],
        )


async def get_by_code(session: AsyncSession, code: str, scope: Scope = EVERYTHING) -> Device:
    parsed = parse_code(code)
    if parsed.looks_like_code and not parsed.valid:
        raise MistypedCode(texts.scan_mistyped(parsed.text))
    device = (
        await session.execute(select(Device).where(Device.code == (parsed.canonical or parsed.text)))
    ).scalar_one_or_none()
    if device is None or not await _in_scope(session, scope, device.collection_id):
        raise NotFound(texts.device_not_found(parsed.text))
    return device


async def find_scanned(session: AsyncSession, text: str, scope: Scope = EVERYTHING) -> Device:
    """The device a scanned text designates where lists are scanned (lots, shelves, the desk): our code,
    or else the manufacturer's serial when one device only has it."""
    try:
        return await get_by_code(session, text, scope)
    except NotFound:
        wanted = identifier(text)
        found = (
            (await session.execute(select(Device).where(Device.serial == wanted).limit(2))).scalars().all()
            if wanted
            else []
        )
        visible = [d for d in found if await _in_scope(session, scope, d.collection_id)]
        if len(visible) == 1:
            return visible[0]
        if len(visible) > 1:
            raise Invalid(texts.serial_ambiguous(text.strip()[:100])) from None
        raise


async def _in_scope(session: AsyncSession, scope: Scope, collection_id: int) -> bool:
    if scope.donor_id is None:
        return True
    donor_id = (await session.execute(select(Collection.donor_id).where(Collection.id == collection_id))).scalar_one()
    return scope.sees_donor(donor_id)


_DEVICES = Device.__table__


class DeviceRow(NamedTuple):
    """A device as the scan reads it: its table's columns, in the table's order (a test checks it),
    with the model's types (what DeviceOut reads)."""

    id: int
    code: str
    site_id: int
    collection_id: int
    category: str
    manufacturer: str
    model: str
    serial: str | None
    asset_tag: str | None
    year: int | None
    weight_g: int | None
    specs: dict[str, Any]
    grade: str | None
    price_cents: int | None
    location: str
    state: str
    version: int
    created_at: datetime
    updated_at: datetime


_BY_CODE = DriverStatement(select(*_DEVICES.c).where(_DEVICES.c.code == bindparam("code")))
_BY_IDENTIFIER = DriverStatement(
    select(*_DEVICES.c)
    .where(or_(_DEVICES.c.serial == bindparam("wanted"), _DEVICES.c.asset_tag == bindparam("wanted")))
    .order_by(_DEVICES.c.id)
    .limit(50)
)


@dataclass(frozen=True, slots=True)
class ScanResult:
    matched_by: str  # "code", "serial" or "asset_tag"
    devices: list[DeviceRow]


async def scan(engine: AsyncEngine, text: str, scope: Scope = EVERYTHING) -> ScanResult:
    """What a scanned or typed text designates: our code first, then the serial, then the donor's tag.

    The bench's hottest read: each step is one statement sent by the driver (reemploi.db.DriverStatement).
    """
    parsed = parse_code(text)
    if not parsed.text:
        raise Invalid(texts.scan_empty())
    visible = await _scan_visible(engine, scope)
    if parsed.valid:
        found = [d for d in map(DeviceRow._make, await _BY_CODE.rows(engine, code=parsed.canonical)) if visible(d)]
        if found:
            return ScanResult("code", found)
    wanted = identifier(text)
    if wanted:
        rows = [
            d
            for d in map(DeviceRow._make, await _BY_IDENTIFIER.rows(engine, wanted=wanted))
            if visible(d) and d.state not in lifecycle.NOT_COUNTED  # a cancelled one is found by its code only
        ]
        by_serial = [d for d in rows if d.serial == wanted]
        if by_serial:
            return ScanResult("serial", by_serial)
        if rows:
            return ScanResult("asset_tag", rows)
    if parsed.looks_like_code and not parsed.valid:
        raise MistypedCode(texts.scan_mistyped(parsed.text))
    raise NotFound(texts.scan_unknown(parsed.text))


_COLLECTIONS_OF_DONOR = DriverStatement(
    select(Collection.__table__.c.id).where(Collection.__table__.c.donor_id == bindparam("donor_id"))
)


async def _scan_visible(engine: AsyncEngine, scope: Scope) -> Callable[[DeviceRow], bool]:
    if scope.donor_id is None:
        return lambda _: True
    own = {row[0] for row in await _COLLECTIONS_OF_DONOR.rows(engine, donor_id=scope.donor_id)}
    return lambda device: device.collection_id in own


def _conditions(where: DeviceFilter) -> list[Any]:
    """What `where` asks; the devices that count only, unless it asks for a state that does not."""
    conditions: list[Any] = [] if where.state in lifecycle.NOT_COUNTED else [counted()]
    conditions += [
        column == value
        for column, value in (
            (Device.state, where.state),
            (Device.category, where.category),
            (Device.site_id, where.site_id),
            (Device.collection_id, where.collection_id),
        )
        if value is not None
    ]
    of_collection = [
        column_condition
        for column_condition in (
            Collection.donor_id == where.donor_id if where.donor_id is not None else None,
            Collection.collected_on >= where.collected_from if where.collected_from else None,
            Collection.collected_on <= where.collected_to if where.collected_to else None,
        )
        if column_condition is not None
    ]
    if of_collection:
        conditions.append(Device.collection_id.in_(select(Collection.id).where(*of_collection)))
    return conditions


async def list_devices(session: AsyncSession, where: DeviceFilter, limit: int, offset: int) -> tuple[list[Device], int]:
    conditions = _conditions(where)
    total = (await session.execute(select(func.count()).select_from(Device).where(*conditions))).scalar_one()
    items = (
        (await session.execute(select(Device).where(*conditions).order_by(Device.id).limit(limit).offset(offset)))
        .scalars()
        .all()
    )
    return list(items), total


def listed(where: DeviceFilter) -> Select[*tuple[Any, ...]]:
    """The devices matching `where`, each with its donor's name: the rows of the device list (the
    pages' lists search, sort and page them, reemploi.web.lists)."""
    return (
        select(Device, Partner.name.label("donor"))
        .join(Collection, Collection.id == Device.collection_id)
        .join(Partner, Partner.id == Collection.donor_id)
        .where(*_conditions(where))
    )


async def counts(session: AsyncSession, where: DeviceFilter, *columns: Any) -> dict[tuple[Any, ...], int]:
    """How many devices match `where`, grouped by `columns` (Device.state, Device.category …)."""
    conditions = _conditions(where)
    rows = await session.execute(select(*columns, func.count()).where(*conditions).group_by(*columns))
    return {tuple(row[:-1]): row[-1] for row in rows}


@dataclass(frozen=True, slots=True)
class Stock:
    by_category: dict[str, dict[str, int]]  # category → grade ("" when not graded) → devices
    grades: list[str]
    total: int


async def ready_stock(session: AsyncSession, scope: Scope = EVERYTHING) -> Stock:
    """What can be sold now: devices ready for sale, by category and grade."""
    where = DeviceFilter(state=State.READY.value, donor_id=scope.donor_id)
    counted = await counts(session, where, Device.category, Device.grade)
    by_category: dict[str, dict[str, int]] = {}
    for (category, grade), n in sorted(counted.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        by_category.setdefault(category, {})[grade or ""] = n
    return Stock(by_category, sorted({grade or "" for _, grade in counted}), sum(counted.values()))


class EventView(NamedTuple):
    """An event as a reader outside the workshop sees it (the attributes DeviceEvent has)."""

    version: int
    at: datetime
    actor: str
    action: str
    from_state: str | None
    to_state: str
    data: dict[str, Any]
    note: str


# What a donor reading its device's history may see of an event's facts (issue 18): where the
# device went and how, never to whom it was sold or given, at what price, or who at the workshop did it.
DONOR_VISIBLE_DATA = frozenset(
    {"collection_id", "lot_id", "eco_organism", "deee_category", "parts", "repair_id", "grade", "to"}
    | {"weight_kg", "weight_estimated", "cosmetic_notes"}
)


def for_donor(event: DeviceEvent) -> EventView:
    data = {k: v for k, v in event.data.items() if k in DONOR_VISIBLE_DATA}
    if event.action == Action.SELL_TO_ORGANISATION:
        data["buyer"] = texts.SOLD_TO_AN_ORGANISATION
    return EventView(
        event.version, event.at, texts.WORKSHOP_ACTOR, event.action, event.from_state, event.to_state, data, ""
    )


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a device came from and what its card recalls: its donor and collection, the grading's
    cosmetic notes, its last label print."""

    donor: str
    collection_id: int
    collected_on: date
    cosmetic_notes: str
    last_label_at: datetime | None


async def provenance(session: AsyncSession, device: Device, events: Sequence[Any]) -> Provenance:
    """The card's facts about `device` beyond its own row (`events`: its history, oldest first)."""
    donor, collected_on = (
        await session.execute(
            select(Partner.name, Collection.collected_on)
            .join(Partner, Partner.id == Collection.donor_id)
            .where(Collection.id == device.collection_id)
        )
    ).one()
    last_label_at = await session.scalar(
        select(func.max(LabelPrint.at))
        .join(LabelPrintDevice, LabelPrintDevice.print_id == LabelPrint.id)
        .where(LabelPrintDevice.device_id == device.id)
    )
    graded = [e for e in events if e.action == Action.GRADE]
    notes = str(graded[-1].data.get("cosmetic_notes") or "") if graded else ""
    return Provenance(donor, device.collection_id, collected_on, notes, last_label_at)


async def history(
    session: AsyncSession, code: str, scope: Scope = EVERYTHING
) -> tuple[Device, list[DeviceEvent] | list[EventView]]:
    """A device and its events; a donor (a scoped reader) reads them through `for_donor`."""
    device = await get_by_code(session, code, scope)
    events = list(
        (
            await session.execute(
                select(DeviceEvent).where(DeviceEvent.device_id == device.id).order_by(DeviceEvent.version)
            )
        )
        .scalars()
        .all()
    )
    if scope.donor_id is not None:
        return device, [for_donor(e) for e in events]
    return device, events


async def transition(
    session: AsyncSession,
    code: str,
    action: Action,
    actor: Actor,
    *,
    expected_version: int | None = None,
    data: dict[str, Any] | None = None,
    note: str = "",
    scope: Scope = EVERYTHING,
) -> Device:
    """Move a device one step; exactly one of several concurrent moves of the same device wins. Sales,
    donations and returns under warranty are refused here: they go through reemploi.sales; grading
    and putting on sale through reemploi.workshop.grading (reemploi.devices.steps dispatches)."""
    async with write_transaction(session):
        device = await get_by_code(session, code, scope)
        current = State(device.state)
        if action in lifecycle.ELSEWHERE and action in lifecycle.allowed_actions(current):
            plain = lifecycle.plain_actions(current)
            raise TransitionRefused(
                texts.step_done_elsewhere(device.code, action),
                current_state=current.value,
                allowed_actions=[a.value for a in plain],
                version=device.version,
            )
        return await move(session, device, action, actor, expected_version=expected_version, data=data, note=note)


async def cancel_registration(
    session: AsyncSession,
    code: str,
    actor: Actor,
    *,
    confirmed: bool,
    expected_version: int | None = None,
    note: str = "",
    scope: Scope = EVERYTHING,
) -> Device:
    """Cancel a registration made by mistake, while it is the device's only event: an event in its
    history, and the device counts nowhere any more. Afterwards, only the lifecycle's exits."""
    async with write_transaction(session):
        device = await get_by_code(session, code, scope)
        if not confirmed:
            raise Invalid(texts.cancel_needs_confirmation(device.code))
        current = State(device.state)
        if not lifecycle.may_cancel(current, device.version):
            plain = lifecycle.plain_actions(current)
            raise RegistrationNotCancellable(
                texts.registration_not_cancellable(device.code, current, _exits_of(current)),
                current_state=current.value,
                allowed_actions=[a.value for a in plain],
                version=device.version,
            )
        if expected_version is not None and expected_version != device.version:
            raise Conflict(
                texts.edit_conflict(device.code, device.state, device.version),
                current_state=device.state,
                version=device.version,
            )
        target = lifecycle.next_state(current, Action.CANCEL_REGISTRATION)
        return await _write_step(session, device, Action.CANCEL_REGISTRATION.value, target.value, actor, {}, note, {})


def _exits_of(state: State) -> list[Action]:
    exits = (Action.RETURN_TO_DONOR, Action.DECLARE_LOST, Action.DISMANTLE, Action.RECYCLE)
    return [a for a in exits if a in lifecycle.allowed_actions(state)]


# A domain's rules for what a step writes on the device besides its state (reemploi.workshop.grading).
StepRules = Callable[[AsyncSession, Device, dict[str, Any]], Awaitable[dict[str, Any]]]

# The exits that take a device out of the workshop for good: their event says how many kilograms left.
EXITS = frozenset({Action.DISMANTLE, Action.RECYCLE, Action.RETURN_TO_DONOR})


def exit_weight(device: Device) -> dict[str, Any]:
    """The kilograms an exit takes out, weighed or estimated from the unit weights (reemploi.rules)."""
    weight = rules.weight_of(device.category, device.weight_g)
    return {"weight_kg": weight.grams / 1000, "weight_estimated": weight.estimated}


async def move(
    session: AsyncSession,
    device: Device,
    action: Action,
    actor: Actor,
    *,
    expected_version: int | None = None,
    data: dict[str, Any] | None = None,
    note: str = "",
    changes_of: StepRules | None = None,
) -> Device:
    """One lifecycle step of `device`, inside the caller's write transaction (no commit here): the
    state, what the step writes on the device, and its event, or a refusal that writes nothing.
    `changes_of` is the owning domain's rules for what the step writes besides the state (grading's
    grade and price, the sale gate), applied once the step is allowed; the workshop's steps need it."""
    if expected_version is not None and expected_version != device.version:
        raise Conflict(
            texts.edit_conflict(device.code, device.state, device.version),
            current_state=device.state,
            version=device.version,
        )
    current = State(device.state)
    try:
        target = lifecycle.next_state(current, action)
    except lifecycle.TransitionNotAllowed:
        plain = lifecycle.plain_actions(current)  # what this device may do as a step, said in the refusal
        raise TransitionRefused(
            texts.transition_not_allowed(device.code, current, action, plain),
            current_state=current.value,
            allowed_actions=[a.value for a in plain],
            version=device.version,
        ) from None
    if changes_of is None and action in lifecycle.WORKSHOP_STEPS:
        raise TransitionRefused(
            texts.step_done_elsewhere(device.code, action),
            current_state=current.value,
            allowed_actions=[a.value for a in lifecycle.plain_actions(current)],
            version=device.version,
        )
    changes = await changes_of(session, device, data or {}) if changes_of else {}
    event_data = {**(data or {}), **(exit_weight(device) if action in EXITS else {})}
    return await _write_step(session, device, action.value, target.value, actor, event_data, note, changes)


async def relocate(session: AsyncSession, device: Device, location: str, actor: Actor, data: dict[str, Any]) -> Device:
    """Put a device on another shelf or bin, inside the caller's write transaction: an event in its
    history (the state does not change)."""
    return await _write_step(
        session,
        device,
        lifecycle.RELOCATE,
        device.state,
        actor,
        {"from": device.location, "to": location, **data},
        "",
        {"location": location},
    )


async def _write_step(
    session: AsyncSession,
    device: Device,
    action: str,
    target: str,
    actor: Actor,
    data: dict[str, Any],
    note: str,
    changes: dict[str, Any],
) -> Device:
    read_version = device.version
    now = utcnow()
    changed = await session.execute(
        update(Device)
        .where(Device.id == device.id, Device.version == read_version)
        .values(state=target, version=read_version + 1, updated_at=now, **changes)
        .execution_options(synchronize_session=False)
    )
    if affected_rows(changed) != 1:
        # Someone else moved it between our read and our write (PostgreSQL, READ COMMITTED).
        await session.refresh(device)
        raise Conflict(
            texts.edit_conflict(device.code, device.state, device.version),
            current_state=device.state,
            version=device.version,
        )
    session.add(
        DeviceEvent(
            device_id=device.id,
            version=read_version + 1,
            at=now,
            **actor.columns(),
            action=action,
            from_state=device.state,
            to_state=target,
            data=data,
            note=note,
        )
    )
    await session.flush()
    await session.refresh(device)
    return device
