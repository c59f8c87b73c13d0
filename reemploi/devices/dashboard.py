"""A manager's morning figures: what came in today, what is ready for sale, and which devices have
waited longest in each stage of the lifecycle. Aggregates and short lists only (one query each,
bounded by LIMIT-like ranks), on both engines; limited to the sites a person works at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.models import UserSite
from reemploi.accounts.roles import Role
from reemploi.accounts.service import Principal
from reemploi.devices.lifecycle import WORKSHOP_STAGES, Action, State
from reemploi.devices.models import Device, DeviceEvent

# The stages where a device waits for someone's work (the workshop's, plus collected and reserved), in
# the lifecycle's order; sold and final states wait for nobody.
WAITING = tuple(s for s in State if s in WORKSHOP_STAGES | {State.COLLECTED, State.RESERVED})
OLDEST_SHOWN = 5  # devices named per stage


@dataclass(frozen=True, slots=True)
class Waiting:
    code: str
    since: datetime  # when it entered its current state
    days: int  # whole days since then, on the workshop's calendar


@dataclass(frozen=True, slots=True)
class Stage:
    state: str
    count: int
    oldest: list[Waiting]


@dataclass(frozen=True, slots=True)
class Dashboard:
    today: date
    received_today: dict[str, int]  # category → devices received today
    ready: dict[str, int]  # category → devices ready for sale
    stages: list[Stage]  # only the stages where something waits

    @property
    def received_total(self) -> int:
        return sum(self.received_today.values())

    @property
    def ready_total(self) -> int:
        return sum(self.ready.values())


async def sites_seen(session: AsyncSession, principal: Principal) -> list[int] | None:
    """The sites a person's figures cover: those their account lists, or every site (None) for an
    admin, a token, or an account that lists none (a single-site workshop)."""
    user_id = principal.actor.user_id
    if principal.role is Role.ADMIN or user_id is None:
        return None
    found = (await session.scalars(select(UserSite.site_id).where(UserSite.user_id == user_id))).all()
    return list(found) or None


def _on_sites(site_ids: list[int] | None) -> ColumnElement[bool]:
    return Device.site_id.in_(site_ids) if site_ids is not None else true()


async def dashboard(session: AsyncSession, site_ids: list[int] | None, now: datetime, zone: ZoneInfo) -> Dashboard:
    today = now.astimezone(zone).date()
    start = datetime.combine(today, time(), zone)
    end = datetime.combine(today + timedelta(days=1), time(), zone)
    received = await session.execute(
        select(Device.category, func.count(func.distinct(Device.id)))
        .join(DeviceEvent, DeviceEvent.device_id == Device.id)
        .where(DeviceEvent.action == Action.RECEIVE, DeviceEvent.at >= start, DeviceEvent.at < end, _on_sites(site_ids))
        .group_by(Device.category)
    )
    ready = await session.execute(
        select(Device.category, func.count())
        .where(Device.state == State.READY, _on_sites(site_ids))
        .group_by(Device.category)
    )
    counts = await session.execute(
        select(Device.state, func.count()).where(Device.state.in_(WAITING), _on_sites(site_ids)).group_by(Device.state)
    )
    by_state = {row[0]: row[1] for row in counts}
    oldest = await _oldest(session, site_ids)
    stages = [
        Stage(
            state,
            by_state[state],
            [
                Waiting(code, since, (today - since.astimezone(zone).date()).days)
                for code, since in oldest.get(state, [])
            ],
        )
        for state in WAITING
        if by_state.get(state)
    ]
    return Dashboard(
        today,
        dict(sorted((row[0], row[1]) for row in received)),
        dict(sorted((row[0], row[1]) for row in ready)),
        stages,
    )


async def _oldest(session: AsyncSession, site_ids: list[int] | None) -> dict[str, list[tuple[str, datetime]]]:
    """For each waiting stage, its devices that entered it first: the moment of the last event that
    moved each device into its state (a relocation or another in-place record does not restart the wait)."""
    entered = (
        select(DeviceEvent.device_id, func.max(DeviceEvent.at).label("since"))
        .join(Device, Device.id == DeviceEvent.device_id)
        .where(
            Device.state.in_(WAITING),
            _on_sites(site_ids),
            DeviceEvent.to_state == Device.state,
            or_(DeviceEvent.from_state.is_(None), DeviceEvent.from_state != DeviceEvent.to_state),
        )
        .group_by(DeviceEvent.device_id)
        .subquery()
    )
    ranked = (
        select(
            Device.state,
            Device.code,
            entered.c.since,
            func.row_number().over(partition_by=Device.state, order_by=(entered.c.since, Device.id)).label("rank"),
        )
        .join(entered, entered.c.device_id == Device.id)
        .subquery()
    )
    rows = await session.execute(
        select(ranked.c.state, ranked.c.code, ranked.c.since)
        .where(ranked.c.rank <= OLDEST_SHOWN)
        .order_by(ranked.c.state, ranked.c.rank)
    )
    found: dict[str, list[tuple[str, datetime]]] = {}
    for state, code, since in rows:
        found.setdefault(state, []).append((code, since))
    return found
