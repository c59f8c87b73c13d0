"""Stock: a site's shelves and bins, devices put on them by scanning, and audits by scanning a shelf
(expected vs found: missing and unexpected devices), each audit kept as made."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.actors import Actor
from reemploi.db import page_of, paginated, utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.codes import parse_code, scanned_codes
from reemploi.devices.lifecycle import FOR_SALE, WORKSHOP_STAGES, State
from reemploi.devices.models import Device
from reemploi.errors import DomainError, Duplicate, Invalid, NotFound
from reemploi.scope import EVERYTHING, Scope
from reemploi.sites import service as sites
from reemploi.stock.models import StockAudit, StockLocation

LOCATION_CODE = re.compile(r"[A-Z0-9][A-Z0-9.\-_/]{0,39}")
# Where a device may be on a shelf: held by the workshop, on sale or set aside for a buyer.
IN_STOCK = frozenset(WORKSHOP_STAGES | FOR_SALE | {State.DISMANTLED})


def location_code(text: str) -> str:
    code = text.strip().upper()
    if not LOCATION_CODE.fullmatch(code):
        raise Invalid(texts.LOCATION_CODE_SHAPE)
    return code


async def add_location(session: AsyncSession, site_id: int, code: str, label: str = "") -> StockLocation:
    wanted = location_code(code)
    try:
        async with write_transaction(session):
            await sites.get(session, site_id)
            location = StockLocation(site_id=site_id, code=wanted, label=label.strip()[:200], created_at=utcnow())
            session.add(location)
            await session.flush()
            return location
    except IntegrityError:
        raise Duplicate(texts.location_taken(wanted)) from None


@dataclass(frozen=True, slots=True)
class LocationCount:
    location: StockLocation
    devices: int


def _locations_query(site_id: int | None) -> Select[StockLocation, int]:
    """A site's locations (or every site's) with how many devices in stock each holds."""
    held = (
        select(Device.site_id, Device.location, func.count().label("n"))
        .where(Device.state.in_([s.value for s in IN_STOCK]))
        .group_by(Device.site_id, Device.location)
        .subquery()
    )
    query = (
        select(StockLocation, func.coalesce(held.c.n, 0))
        .outerjoin(held, (held.c.site_id == StockLocation.site_id) & (held.c.location == StockLocation.code))
        .order_by(StockLocation.site_id, StockLocation.code, StockLocation.id)
    )
    if site_id is not None:
        query = query.where(StockLocation.site_id == site_id)
    return query


async def locations(session: AsyncSession, site_id: int | None = None) -> list[LocationCount]:
    return [LocationCount(loc, n) for loc, n in (await session.execute(_locations_query(site_id))).all()]


async def locations_page(
    session: AsyncSession, window: LimitOffset, site_id: int | None = None
) -> OffsetPagination[LocationCount]:
    return page_of(
        await paginated(session, _locations_query(site_id), window), lambda row: LocationCount(row[0], row[1])
    )


async def get_location(session: AsyncSession, location_id: int) -> StockLocation:
    location = await session.get(StockLocation, location_id)
    if location is None:
        raise NotFound(texts.location_id_unknown(location_id))
    return location


async def find_location(session: AsyncSession, site_id: int, code: str) -> StockLocation:
    wanted = location_code(code)
    location = (
        await session.execute(
            select(StockLocation).where(StockLocation.site_id == site_id, StockLocation.code == wanted)
        )
    ).scalar_one_or_none()
    if location is None:
        raise NotFound(texts.location_unknown(wanted))
    return location


@dataclass(frozen=True, slots=True)
class Moved:
    location: StockLocation
    moved: list[str]  # device codes put there
    already_there: list[str]


async def put_away(
    session: AsyncSession,
    location_id: int,
    codes: Sequence[str],
    actor: Actor,
    scope: Scope = EVERYTHING,
) -> Moved:
    """Put the scanned devices on a location: every one of them, or none (the refusal names the device)."""
    wanted = scanned_codes(codes)
    async with write_transaction(session):
        location = await get_location(session, location_id)
        moved, already = [], []
        for code in wanted:
            device = await devices.find_scanned(session, code, scope)
            if device.state not in IN_STOCK:
                raise Invalid(texts.not_in_stock(device.code, device.state))
            if device.site_id != location.site_id:
                raise Invalid(texts.location_other_site(device.code, location.code))
            if device.location == location.code:
                already.append(device.code)
                continue
            await devices.relocate(session, device, location.code, actor, {"location_id": location.id})
            moved.append(device.code)
        return Moved(location, moved, already)


async def audit(
    session: AsyncSession,
    location_id: int,
    scanned: Sequence[str],
    actor: Actor,
    scope: Scope = EVERYTHING,
) -> StockAudit:
    """Compare what was scanned on a location with what the stock says it holds; keep the result."""
    texts_scanned = list(dict.fromkeys(c.strip() for c in scanned if c.strip()))  # a shelf may be scanned empty
    if len(texts_scanned) > 5_000:
        raise Invalid(texts.too_many_codes(len(texts_scanned), 5_000))
    async with write_transaction(session):
        location = await get_location(session, location_id)
        expected = list(
            (
                await session.execute(
                    select(Device.code)
                    .where(
                        Device.site_id == location.site_id,
                        Device.location == location.code,
                        Device.state.in_([s.value for s in IN_STOCK]),
                    )
                    .order_by(Device.code)
                )
            ).scalars()
        )
        seen: dict[str, Device] = {}
        unknown: list[str] = []
        for text in texts_scanned:
            try:
                device = await devices.find_scanned(session, text, scope)
            except DomainError:
                parsed = parse_code(text)
                unknown.append(parsed.canonical or parsed.text)
                continue
            seen[device.code] = device
        expected_set = set(expected)
        record = StockAudit(
            location_id=location.id,
            at=utcnow(),
            **actor.columns(),
            expected=expected,
            found=[c for c in expected if c in seen],
            missing=[c for c in expected if c not in seen],
            unexpected=[
                {"code": d.code, "location": d.location, "state": d.state}
                for c, d in sorted(seen.items())
                if c not in expected_set
            ],
            unknown=unknown,
        )
        session.add(record)
        await session.flush()
        return record


async def audits(
    session: AsyncSession, location_id: int | None = None, limit: int = 50
) -> list[tuple[StockAudit, StockLocation]]:
    """The latest audits (the stock page shows the last few)."""
    return list((await audits_page(session, LimitOffset(limit, 0), location_id)).items)


async def audits_page(
    session: AsyncSession, window: LimitOffset, location_id: int | None = None
) -> OffsetPagination[tuple[StockAudit, StockLocation]]:
    """Audits, newest first: one page of them, and how many in all."""
    query = (
        select(StockAudit, StockLocation)
        .join(StockLocation, StockLocation.id == StockAudit.location_id)
        .order_by(StockAudit.id.desc())
    )
    if location_id is not None:
        query = query.where(StockAudit.location_id == location_id)
    return page_of(await paginated(session, query, window), lambda row: (row[0], row[1]))
