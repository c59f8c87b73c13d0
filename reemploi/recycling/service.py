"""Recycling lots: a DEEE lot opened for an eco-organism, devices recycled into it all or nothing
(each its lifecycle exit, carrying the kilograms that left: weighed, or estimated by reemploi.rules),
closed at pickup with the tracking slip, the weighed kilograms and the date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from sqlalchemy import Select, Subquery, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules, texts
from reemploi.actors import Actor
from reemploi.db import page_of, paginated, utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.codes import scanned_codes
from reemploi.devices.lifecycle import Action
from reemploi.devices.models import Device
from reemploi.errors import Invalid, LotClosed, NotFound
from reemploi.recycling.models import RecyclingLot, RecyclingLotDevice
from reemploi.scope import EVERYTHING, Scope
from reemploi.sites import service as sites
from reemploi.sites.models import Site


@dataclass(frozen=True, slots=True)
class LotView:
    lot: RecyclingLot
    devices: list[Device]
    estimated_g: int  # the devices' weights, weighed or estimated: to compare with the weighed lot
    any_estimated: bool


async def open_lot(
    session: AsyncSession,
    site_id: int,
    eco_organism: str,
    actor: Actor,
    deee_category: int | None = None,
    note: str = "",
    codes: Sequence[str] = (),
    scope: Scope = EVERYTHING,
) -> RecyclingLot:
    """Open a lot, with the devices scanned into it at once if any: the lot and its devices, or nothing."""
    name = " ".join(eco_organism.split())[:100]
    if not name:
        raise Invalid(texts.ECO_ORGANISM_NEEDED)
    if deee_category is not None and deee_category not in rules.deee_categories():
        raise Invalid(texts.unknown_choice(texts.DEEE_CATEGORY, str(deee_category), map(str, rules.deee_categories())))
    wanted = scanned_codes(codes) if codes else []
    async with write_transaction(session):
        await sites.get(session, site_id)
        lot = RecyclingLot(
            site_id=site_id,
            eco_organism=name,
            deee_category=deee_category,
            note=note.strip(),
            created_at=utcnow(),
            **actor.columns(),
        )
        session.add(lot)
        await session.flush()
        await _recycle_into(session, lot, wanted, actor, scope)
        return lot


async def _lock_open_lot(session: AsyncSession, lot_id: int) -> RecyclingLot:
    """The lot, locked for this transaction (PostgreSQL: its row; SQLite: the write lock is held), and open."""
    locked = (
        await session.execute(
            update(RecyclingLot).where(RecyclingLot.id == lot_id).values(id=RecyclingLot.id).returning(RecyclingLot.id)
        )
    ).scalar_one_or_none()
    if locked is None:
        raise NotFound(texts.lot_unknown(lot_id))
    lot = await session.get(RecyclingLot, lot_id, populate_existing=True)
    assert lot is not None
    if lot.closed_at is not None:
        raise LotClosed(texts.lot_closed(lot.id, lot.slip_number or ""))
    return lot


async def add_to_lot(
    session: AsyncSession,
    lot_id: int,
    codes: Sequence[str],
    actor: Actor,
    scope: Scope = EVERYTHING,
) -> list[Device]:
    """Recycle the scanned devices into an open lot: all of them, or none (the first refusal names
    the device and why)."""
    wanted = scanned_codes(codes)
    async with write_transaction(session):
        lot = await _lock_open_lot(session, lot_id)
        return await _recycle_into(session, lot, wanted, actor, scope)


async def _recycle_into(
    session: AsyncSession,
    lot: RecyclingLot,
    codes: Sequence[str],
    actor: Actor,
    scope: Scope,
) -> list[Device]:
    moved = []
    for code in codes:
        device = await devices.find_scanned(session, code, scope)
        if device.site_id != lot.site_id:
            raise Invalid(texts.lot_other_site(device.code, lot.id))
        deee = rules.deee_category(device.category)
        if lot.deee_category is not None and deee != lot.deee_category:
            raise Invalid(texts.deee_mismatch(device.code, deee, lot.deee_category))
        moved.append(
            await devices.move(
                session,
                device,
                Action.RECYCLE,
                actor,
                data={"lot_id": lot.id, "eco_organism": lot.eco_organism, "deee_category": deee},
            )
        )
        session.add(RecyclingLotDevice(lot_id=lot.id, device_id=device.id))
    await session.flush()
    return moved


async def close_lot(
    session: AsyncSession,
    lot_id: int,
    slip_number: str,
    weight_g: int | None,
    shipped_on: date | None,
    actor: Actor,
) -> RecyclingLot:
    """Close a lot as the eco-organism takes it: tracking slip, weighed kilograms, pickup date."""
    slip = " ".join(slip_number.split())[:60]
    if not slip or not weight_g or weight_g <= 0 or shipped_on is None:
        raise Invalid(texts.LOT_CLOSE_NEEDS)
    async with write_transaction(session):
        lot = await _lock_open_lot(session, lot_id)
        count = (
            await session.execute(
                select(func.count()).select_from(RecyclingLotDevice).where(RecyclingLotDevice.lot_id == lot.id)
            )
        ).scalar_one()
        if not count:
            raise Invalid(texts.LOT_EMPTY)
        lot.slip_number, lot.weight_g, lot.shipped_on, lot.closed_at = slip, weight_g, shipped_on, utcnow()
        await session.flush()
        return lot


async def lot_view(session: AsyncSession, lot_id: int) -> LotView:
    lot = await session.get(RecyclingLot, lot_id)
    if lot is None:
        raise NotFound(texts.lot_unknown(lot_id))
    in_lot = (
        (
            await session.execute(
                select(Device)
                .join(RecyclingLotDevice, RecyclingLotDevice.device_id == Device.id)
                .where(RecyclingLotDevice.lot_id == lot_id)
                .order_by(Device.code)
            )
        )
        .scalars()
        .all()
    )
    weights = [rules.weight_of(d.category, d.weight_g) for d in in_lot]
    return LotView(lot, list(in_lot), sum(w.grams for w in weights), any(w.estimated for w in weights))


def _device_counts() -> Subquery:
    """How many devices each lot holds (a lot without any has no row)."""
    return select(RecyclingLotDevice.lot_id, func.count().label("n")).group_by(RecyclingLotDevice.lot_id).subquery()


def listed() -> Select[*tuple[Any, ...]]:
    """Every lot with its site's name and how many devices it holds: the rows of the lots list (the
    pages' lists search, sort and page them, reemploi.web.lists)."""
    counted = _device_counts()
    return (
        select(RecyclingLot, Site.name.label("site"), func.coalesce(counted.c.n, 0).label("device_count"))
        .join(Site, Site.id == RecyclingLot.site_id)
        .outerjoin(counted, counted.c.lot_id == RecyclingLot.id)
    )


async def list_lots(
    session: AsyncSession, window: LimitOffset, site_id: int | None = None
) -> OffsetPagination[tuple[RecyclingLot, int]]:
    """Lots, newest first, with how many devices each holds: one page of them, and how many in all."""
    counted = _device_counts()
    query = (
        select(RecyclingLot, func.coalesce(counted.c.n, 0))
        .outerjoin(counted, counted.c.lot_id == RecyclingLot.id)
        .order_by(RecyclingLot.id.desc())
    )
    if site_id is not None:
        query = query.where(RecyclingLot.site_id == site_id)
    return page_of(await paginated(session, query, window), lambda row: (row[0], row[1]))


async def open_lots(session: AsyncSession, site_id: int) -> list[RecyclingLot]:
    return list(
        (
            await session.execute(
                select(RecyclingLot)
                .where(RecyclingLot.site_id == site_id, RecyclingLot.closed_at.is_(None))
                .order_by(RecyclingLot.id)
            )
        ).scalars()
    )
