"""Grading and putting on sale, the workshop's two named steps: a grade (A, B, C) with its price
(given, or the site's price grid) within the legal cap, then the sale gate (reemploi.workshop.gate)
before a device goes on the shelf. Both move the device through reemploi.devices.service.move."""

from __future__ import annotations

from typing import Any

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import formats, rules, texts
from reemploi.actors import Actor
from reemploi.amounts import MAX_CENTS, euros_to_cents
from reemploi.db import paginated_scalars, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.lifecycle import Action
from reemploi.devices.models import Device
from reemploi.errors import Invalid, SaleRefused
from reemploi.scope import EVERYTHING, Scope
from reemploi.workshop import bench, gate
from reemploi.workshop.models import PriceGridEntry


async def grid_price(session: AsyncSession, site_id: int, category: str, grade: str) -> int | None:
    return (
        await session.execute(
            select(PriceGridEntry.price_cents).where(
                PriceGridEntry.site_id == site_id,
                PriceGridEntry.category == category,
                PriceGridEntry.grade == grade,
            )
        )
    ).scalar_one_or_none()


def _price_cents(data: dict[str, Any]) -> int | None:
    """A price from a step's data: `price_cents` (integer) or `price` in euros ("95", "95,50", 95.5)."""
    if data.get("price_cents") is not None:
        value = data["price_cents"]
        if isinstance(value, bool) or not isinstance(value, int) or value > MAX_CENTS:
            raise Invalid(texts.BAD_PRICE)
        if value < 0:
            raise Invalid(texts.NEGATIVE_PRICE)
        return value
    if data.get("price") is not None:
        try:
            cents = euros_to_cents(data["price"])
        except ValueError:
            raise Invalid(texts.BAD_PRICE) from None
        if cents < 0:
            raise Invalid(texts.NEGATIVE_PRICE)
        return cents
    return None


async def _grade_changes(session: AsyncSession, device: Device, data: dict[str, Any]) -> dict[str, Any]:
    """Grading writes a grade (A, B, C) and a price (given, or the site's grid price) within the legal cap."""
    grade = str(data.get("grade") or "").strip().upper()
    if grade not in gate.GRADES:
        raise Invalid(texts.GRADE_NEEDED)
    price = _price_cents(data)
    if price is None:
        price = await grid_price(session, device.site_id, device.category, grade)
    changes: dict[str, Any] = {"grade": grade}
    if price is not None:
        refusal = gate.price_refusal(device.category, price, await bench.donated_by_public_body(session, device))
        if refusal:
            raise Invalid(refusal)
        changes["price_cents"] = price
    return changes


async def _sale_changes(session: AsyncSession, device: Device, data: dict[str, Any]) -> dict[str, Any]:
    """Putting on sale needs everything the gate asks, and a price (given, or the device's)."""
    given = _price_cents(data)
    price = given if given is not None else device.price_cents
    missing = gate.missing_for_sale(await bench.sale_facts(session, device, price))
    if missing:
        raise SaleRefused(texts.gate_refused(device.code, missing), missing=missing)
    return {"price_cents": price}


# The workshop's own steps, and what each one changes on the device besides its state.
STEPS: dict[Action, devices.StepRules] = {
    Action.GRADE: _grade_changes,
    Action.PUT_ON_SALE: _sale_changes,
}


async def take_step(
    session: AsyncSession,
    code: str,
    action: Action,
    data: dict[str, Any],
    actor: Actor,
    *,
    expected_version: int | None = None,
    note: str = "",
    scope: Scope = EVERYTHING,
) -> Device:
    """Grade a device or put it on sale (`action`, one of STEPS), in one write transaction.

    Grading: a tested, erased device; `data` holds the grade and, optionally, its price (`price` in
    euros or `price_cents`); without a price, the site's grid price for that category and grade.
    Putting on sale: a graded device, once the sale gate lets it (R.122-4: every function tested,
    every medium erased), at its price or the one given in `data`."""
    async with write_transaction(session):
        device = await devices.get_by_code(session, code, scope)
        return await devices.move(
            session,
            device,
            action,
            actor,
            expected_version=expected_version,
            data=data,
            note=note,
            changes_of=STEPS[action],
        )


async def price_grid(session: AsyncSession, site_id: int, window: LimitOffset) -> OffsetPagination[PriceGridEntry]:
    query = (
        select(PriceGridEntry)
        .where(PriceGridEntry.site_id == site_id)
        .order_by(PriceGridEntry.category, PriceGridEntry.grade)  # the key of a site's grid
    )
    return await paginated_scalars(session, query, window)


async def set_price_grid(session: AsyncSession, site_id: int, entries: dict[tuple[str, str], int]) -> None:
    """Replace a site's price grid (category × grade → price)."""
    for (category, grade), cents in entries.items():
        if grade not in gate.GRADES:
            raise Invalid(texts.GRADE_NEEDED)
        if cents < 0:
            raise Invalid(texts.NEGATIVE_PRICE)
        cap = rules.price_cap(category)
        if cap is not None and cents > cap.cents:
            raise Invalid(
                texts.grid_above_cap(
                    category, grade, formats.euros_plain(cents), formats.euros_plain(cap.cents), cap.source
                )
            )
    async with write_transaction(session):
        await session.execute(delete(PriceGridEntry).where(PriceGridEntry.site_id == site_id))
        session.add_all(
            PriceGridEntry(site_id=site_id, category=c, grade=g, price_cents=p) for (c, g), p in entries.items()
        )
