"""The proof list a donor keeps for REEN (law art. 16, décret n° 2023-266): every serial it gave in a
period, with what became of it and when. Computed by the database in one statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import Exists, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules, texts
from reemploi.collections.models import Collection
from reemploi.devices.lifecycle import IN_PLACE, OUTCOME_OF, State
from reemploi.devices.models import Device, DeviceEvent, counted
from reemploi.errors import Invalid
from reemploi.partners import service as partners
from reemploi.partners.models import Partner
from reemploi.recycling.models import RecyclingLot, RecyclingLotDevice
from reemploi.scope import EVERYTHING, Scope
from reemploi.workshop.models import Erasure, StorageMedium


@dataclass(frozen=True, slots=True)
class ProofRow:
    code: str
    serial: str | None
    asset_tag: str | None
    category: str
    manufacturer: str
    model: str
    collection_id: int
    collected_on: date
    outcome: str  # reemploi.devices.lifecycle.OUTCOME_OF
    outcome_on: date | None  # when it reached its outcome (None: still in progress)
    recycler: str | None  # the eco-organism of its recycling lot
    over_10_years: bool  # excluded from the REEN reuse share
    erasure: str  # erased, destroyed, none, not_needed
    weight_kg: float
    weight_estimated: bool

    def values(self) -> list[object]:
        return [
            self.code,
            self.serial,
            self.asset_tag,
            texts.CATEGORIES.get(self.category, self.category),
            self.manufacturer,
            self.model,
            self.collection_id,
            self.collected_on,
            texts.OUTCOMES[self.outcome],
            self.outcome_on,
            self.recycler,
            self.over_10_years,
            texts.ERASURE_STATUS[self.erasure],
            self.weight_kg,
            self.weight_estimated,
        ]


@dataclass(frozen=True, slots=True)
class ProofList:
    donor: Partner
    start: date
    end: date
    rows: list[ProofRow]


def period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The period asked, the current calendar year by default; both days included."""
    start = start or date(today.year, 1, 1)
    end = end or date(start.year, 12, 31)
    if end < start:
        raise Invalid(texts.BAD_PERIOD)
    if start.year < 2000 or end.year > 2100:  # a year-1 date overflows once turned into Paris midnight
        raise Invalid(texts.PERIOD_OUT_OF_RANGE)
    if (end - start).days > 3660:
        raise Invalid(texts.PERIOD_TOO_LONG)
    return start, end


async def proof_list(
    session: AsyncSession,
    donor_id: int,
    start: date,
    end: date,
    scope: Scope = EVERYTHING,
    timezone: str = "Europe/Paris",
) -> ProofList:
    zone = ZoneInfo(timezone)
    donor = await partners.get(session, donor_id, scope)
    reached = (
        select(func.max(DeviceEvent.at))
        .where(
            DeviceEvent.device_id == Device.id,
            DeviceEvent.to_state == Device.state,
            DeviceEvent.action.not_in(list(IN_PLACE)),
        )
        .scalar_subquery()
    )
    recycler = (
        select(RecyclingLot.eco_organism)
        .join(RecyclingLotDevice, RecyclingLotDevice.lot_id == RecyclingLot.id)
        .where(RecyclingLotDevice.device_id == Device.id)
        .scalar_subquery()
    )
    # A recycled device left the workshop when the eco-organism took its lot (the lot's pickup date).
    shipped = (
        select(RecyclingLot.shipped_on)
        .join(RecyclingLotDevice, RecyclingLotDevice.lot_id == RecyclingLot.id)
        .where(RecyclingLotDevice.device_id == Device.id)
        .scalar_subquery()
    )

    def erased(level_destroy: bool) -> Exists:  # a successful erasure (or destruction) on one of its media
        condition = Erasure.level == "destroy" if level_destroy else Erasure.level != "destroy"
        return exists().where(Erasure.device_id == Device.id, Erasure.result == "success", condition)

    has_media = exists().where(StorageMedium.device_id == Device.id)
    left = exists().where(
        StorageMedium.device_id == Device.id,
        StorageMedium.origin == "original",
        ~exists().where(Erasure.medium_id == StorageMedium.id, Erasure.result == "success"),
    )
    erasure = case(
        (left, "none"), (erased(False), "erased"), (erased(True), "destroyed"), (has_media, "none"), else_="not_needed"
    )
    rows = (
        await session.execute(
            select(
                Device,
                Collection.collected_on,
                reached.label("reached"),
                recycler.label("recycler"),
                erasure.label("erasure"),
                shipped.label("shipped"),
            )
            .join(Collection, Collection.id == Device.collection_id)
            .where(
                Collection.donor_id == donor.id,
                Collection.collected_on >= start,
                Collection.collected_on <= end,
                counted(),  # a registration cancelled was never given: not on the donor's proof
            )
            .order_by(Collection.collected_on, Device.code)
        )
    ).all()
    proof = []
    for device, collected_on, reached_at, eco_organism, erasure_status, shipped_on in rows:
        outcome = OUTCOME_OF[State(device.state)]
        weight = rules.weight_of(device.category, device.weight_g)
        if erasure_status == "not_needed" and rules.storage_required(device.category):
            erasure_status = "none"
        proof.append(
            ProofRow(
                device.code,
                device.serial,
                device.asset_tag,
                device.category,
                device.manufacturer,
                device.model,
                device.collection_id,
                collected_on,
                outcome,
                shipped_on
                or (
                    reached_at.astimezone(zone).date() if reached_at is not None and outcome != "in_progress" else None
                ),
                eco_organism,
                bool(device.year and collected_on.year - device.year > rules.max_reuse_age_years()),
                erasure_status,
                weight.grams / 1000,
                weight.estimated,
            )
        )
    return ProofList(donor, start, end, proof)
