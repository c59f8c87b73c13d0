"""Repairs: what was done on a device, the parts it took from the parts stock (reemploi.parts), the
time spent. A finished repair sends the device back to its functional test (the lifecycle's repair
loop)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.actors import Actor
from reemploi.db import paginated_scalars, utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.lifecycle import Action, State, allowed_actions
from reemploi.devices.models import Device
from reemploi.errors import Invalid, NotInRepair
from reemploi.parts import service as parts
from reemploi.parts.models import Part
from reemploi.recycling import service as recycling
from reemploi.scope import EVERYTHING, Scope
from reemploi.workshop.models import Repair, RepairPart, StorageMedium

MAX_MINUTES = 6_000


@dataclass(frozen=True, slots=True)
class UsedPart:
    part_id: int
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class RepairView:
    repair: Repair
    parts: list[tuple[Part, int]]  # the part and how many were used


async def record_repair(
    session: AsyncSession,
    code: str,
    actions: str,
    minutes: int,
    used: Sequence[UsedPart],
    actor: Actor,
    *,
    finished: bool = False,
    scope: Scope = EVERYTHING,
) -> Repair:
    """Record a repair on a device in repair, taking its parts from the stock; with `finished`, the
    device goes back to its functional test in the same transaction."""
    described = actions.strip()
    if not described:
        raise Invalid(texts.REPAIR_NEEDS_ACTIONS)
    if not 0 <= minutes <= MAX_MINUTES:
        raise Invalid(texts.BAD_MINUTES)
    wanted: dict[int, int] = {}
    for use in used:
        if not 1 <= use.quantity <= 10_000:
            raise Invalid(texts.BAD_PART_QUANTITY)
        wanted[use.part_id] = wanted.get(use.part_id, 0) + use.quantity
    async with write_transaction(session):
        device = await devices.get_by_code(session, code, scope)
        # Hold the device until commit (PostgreSQL: its row; SQLite: the write lock), still in repair: an
        # exit (dismantling, recycling) at the same moment waits, then finds it changed or not.
        held = (
            await session.execute(
                update(Device)
                .where(Device.id == device.id, Device.state == State.REPAIR.value)
                .values(version=Device.version)
                .returning(Device.id)
            )
        ).scalar_one_or_none()
        if held is None:
            await session.refresh(device)
            raise NotInRepair(texts.repair_needs_repair_state(device.code, device.state), current_state=device.state)
        repair = Repair(
            device_id=device.id,
            at=utcnow(),
            **actor.columns(),
            actions=described[:4000],
            minutes=minutes,
        )
        session.add(repair)
        await session.flush()
        for part_id, quantity in sorted(wanted.items()):
            await parts.take(session, part_id, quantity, device)
            session.add(RepairPart(repair_id=repair.id, part_id=part_id, quantity=quantity))
            await _fit_harvested_storage(session, device, part_id, quantity)
        if finished:
            await devices.move(
                session, device, Action.FINISH_REPAIR, actor, data={"repair_id": repair.id}, note=described[:500]
            )
        await session.flush()
        return repair


async def _fit_harvested_storage(session: AsyncSession, device: Device, part_id: int, quantity: int) -> None:
    """A harvested storage part still holds its first owner's data: each one fitted becomes a medium
    of the receiving device, linked to the part, that the sale gate asks to see erased."""
    part = await session.get(Part, part_id)
    if part is None or part.kind != "storage" or part.origin != "harvested":
        return
    for _ in range(quantity):
        session.add(
            StorageMedium(
                device_id=device.id,
                kind="other",
                model=part.description,
                serial=None,
                origin="original",
                part_id=part.id,
                created_at=utcnow(),
            )
        )


async def repairs_of(session: AsyncSession, device_id: int) -> list[RepairView]:
    """Every repair of the device (its card), with the parts each took."""
    repairs = (
        (await session.execute(select(Repair).where(Repair.device_id == device_id).order_by(Repair.id))).scalars().all()
    )
    return await _with_parts(session, repairs)


async def repairs_page(session: AsyncSession, device_id: int, window: LimitOffset) -> OffsetPagination[RepairView]:
    query = select(Repair).where(Repair.device_id == device_id).order_by(Repair.id)
    found = await paginated_scalars(session, query, window)
    return OffsetPagination(await _with_parts(session, found.items), found.limit, found.offset, found.total)


async def _with_parts(session: AsyncSession, repairs: Sequence[Repair]) -> list[RepairView]:
    if not repairs:
        return []
    rows = (
        await session.execute(
            select(RepairPart.repair_id, Part, RepairPart.quantity)
            .join(Part, Part.id == RepairPart.part_id)
            .where(RepairPart.repair_id.in_([r.id for r in repairs]))
            .order_by(Part.id)
        )
    ).all()
    used: dict[int, list[tuple[Part, int]]] = {}
    for repair_id, part, quantity in rows:
        used.setdefault(repair_id, []).append((part, quantity))
    return [RepairView(r, used.get(r.id, [])) for r in repairs]


async def exits_view(session: AsyncSession, device: Device, open_section: str = "") -> dict[str, Any]:
    """What the device card shows of repairs and exits: past repairs, the parts its site has, the open
    recycling lots it may go into."""
    allowed = {a.value for a in allowed_actions(State(device.state))}
    return {
        "repairs": await repairs_of(session, device.id),
        "parts": await parts.parts_stock(session, device.site_id) if device.state == State.REPAIR else [],
        "lots": await recycling.open_lots(session, device.site_id) if "recycle" in allowed else [],
        "may_dismantle": "dismantle" in allowed,
        "may_recycle": "recycle" in allowed,
        "in_repair": device.state == State.REPAIR,
        "open": open_section,
    }
