"""The parts stock: parts bought new, parts harvested by dismantling a device (its exit event, and
the parts put in its site's stock, together or not at all), and taking parts for a repair: one
guarded UPDATE, so the last part goes to one repair only, also when two technicians take it at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.actors import Actor
from reemploi.db import affected_rows, page_of, paginated, utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.lifecycle import Action
from reemploi.devices.models import Device
from reemploi.errors import Invalid, NotFound, PartOutOfStock
from reemploi.parts.models import Part
from reemploi.scope import EVERYTHING, Scope
from reemploi.sites import service as sites


@dataclass(frozen=True, slots=True)
class NewPart:
    kind: str
    description: str
    quantity: int = 1


def check_parts(parts: Sequence[NewPart]) -> list[NewPart]:
    """Parts as typed, checked: a known kind, a description, a sensible quantity."""
    checked = []
    for part in parts:
        if part.kind not in texts.PART_KINDS:
            raise Invalid(texts.unknown_choice(texts.PART_KIND, part.kind, texts.PART_KINDS))
        if not part.description.strip():
            raise Invalid(texts.PART_NEEDS_DESCRIPTION)
        if not 1 <= part.quantity <= 10_000:
            raise Invalid(texts.BAD_PART_QUANTITY)
        checked.append(NewPart(part.kind, part.description.strip()[:200], part.quantity))
    return checked


def parse_parts(text: str) -> list[NewPart]:
    """Parts typed one per line, "kind ; description ; quantity" (kind and quantity optional):
    "ram ; DDR4 8 Go", "batterie ; 45 Wh ; 1", "Clavier AZERTY"."""
    by_label = {label.lower(): kind for kind, label in texts.PART_KINDS.items()}
    parts = []
    for line in text.splitlines():
        fields = [f.strip() for f in line.split(";")]
        if not any(fields):
            continue
        if len(fields) == 1:
            kind, description, quantity = "other", fields[0], "1"
        else:
            kind, description, quantity = fields[0], fields[1], (fields[2] if len(fields) > 2 else "") or "1"
            kind = by_label.get(kind.lower(), kind.lower())
        if not (quantity.isascii() and quantity.isdecimal()) or len(quantity) > 5:
            raise Invalid(texts.BAD_PART_QUANTITY)
        parts.append(NewPart(kind, description, int(quantity)))
    return parts


async def dismantle(
    session: AsyncSession,
    code: str,
    parts: Sequence[NewPart],
    actor: Actor,
    note: str = "",
    scope: Scope = EVERYTHING,
) -> tuple[Device, list[Part]]:
    """Dismantle a device: its exit event, and the parts harvested put in its site's parts stock,
    together or not at all."""
    harvested = check_parts(parts)
    async with write_transaction(session):
        device = await devices.get_by_code(session, code, scope)
        moved = await devices.move(
            session,
            device,
            Action.DISMANTLE,
            actor,
            note=note,
            data={"parts": [{"kind": p.kind, "description": p.description, "quantity": p.quantity} for p in harvested]},
        )
        now = utcnow()
        stocked = [
            Part(
                site_id=moved.site_id,
                kind=p.kind,
                description=p.description,
                origin="harvested",
                from_device_id=moved.id,
                quantity=p.quantity,
                created_at=now,
                **actor.columns(),
            )
            for p in harvested
        ]
        session.add_all(stocked)
        await session.flush()
        return moved, stocked


async def add_new_parts(session: AsyncSession, site_id: int, part: NewPart, actor: Actor) -> Part:
    """Parts bought new, put in a site's parts stock."""
    (checked,) = check_parts([part])
    async with write_transaction(session):
        await sites.get(session, site_id)
        stocked = Part(
            site_id=site_id,
            kind=checked.kind,
            description=checked.description,
            origin="new",
            from_device_id=None,
            quantity=checked.quantity,
            created_at=utcnow(),
            **actor.columns(),
        )
        session.add(stocked)
        await session.flush()
        return stocked


@dataclass(frozen=True, slots=True)
class StockedPart:
    part: Part
    from_device: str | None  # the code of the device it was harvested from


def _stock_query(site_id: int | None, available_only: bool) -> Select[Part, str | None]:
    query = (
        select(Part, Device.code)
        .outerjoin(Device, Device.id == Part.from_device_id)
        .order_by(Part.kind, Part.description, Part.id)
    )
    if site_id is not None:
        query = query.where(Part.site_id == site_id)
    if available_only:
        query = query.where(Part.quantity > 0)
    return query


async def parts_stock(
    session: AsyncSession, site_id: int | None = None, available_only: bool = True
) -> list[StockedPart]:
    """The whole stock (the parts page, a repair's choice of parts)."""
    rows = await session.execute(_stock_query(site_id, available_only))
    return [StockedPart(part, code) for part, code in rows.all()]


async def parts_page(
    session: AsyncSession, window: LimitOffset, site_id: int | None = None, available_only: bool = True
) -> OffsetPagination[StockedPart]:
    found = await paginated(session, _stock_query(site_id, available_only), window)
    return page_of(found, lambda row: StockedPart(row[0], row[1]))


async def get_part(session: AsyncSession, part_id: int) -> Part:
    part = await session.get(Part, part_id)
    if part is None:
        raise NotFound(texts.part_unknown(part_id))
    return part


async def take(session: AsyncSession, part_id: int, quantity: int, device: Device) -> None:
    """Take parts from the stock: one guarded UPDATE, so the last part goes to one repair only."""
    taken = await session.execute(
        update(Part)
        .where(Part.id == part_id, Part.site_id == device.site_id, Part.quantity >= quantity)
        .values(quantity=Part.quantity - quantity)
        .execution_options(synchronize_session=False)
    )
    if affected_rows(taken) == 1:
        return
    part = await session.get(Part, part_id, populate_existing=True)
    if part is None:
        raise Invalid(texts.part_unknown(part_id))
    if part.site_id != device.site_id:
        raise Invalid(texts.part_other_site(part_id, device.code))
    raise PartOutOfStock(texts.part_short(part_id, part.description, part.quantity, quantity))
