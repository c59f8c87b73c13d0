"""The operating system installed on a device and its licence (issue 17, item 6): Linux (free software),
Windows with its original licence (the COA sticker or the key in the firmware), with a refurbisher's
key (Microsoft's refurbisher programmes: one key per device, reported per period), or without licence.

Each installation is recorded (the latest is the device's system). The same installation sent again
(a retry) records nothing more; a refurbisher key already on another device is refused (409), also
when two benches send it at the same moment (the database's unique key decides)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import formats, texts
from reemploi.actors import Actor
from reemploi.db import paginated_scalars, utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.models import Device
from reemploi.errors import Invalid, LicenceKeyUsed
from reemploi.scope import EVERYTHING, Scope
from reemploi.spreadsheets import french_csv
from reemploi.workshop.bench import not_on_sale
from reemploi.workshop.models import InstalledSystem

FAMILIES = ("linux", "windows", "chromeos", "android", "ios", "other")
LICENCES = ("free", "coa", "refurbisher", "none")
# Which licences each family may carry: Windows is never "free software"; the others have no COA or key.
LICENCES_OF = {
    family: ("coa", "refurbisher", "none") if family == "windows" else ("free", "none") for family in FAMILIES
}
# A Windows product key: five groups of five signs of the 24 Microsoft uses (no vowel, no L, N, S, Z,
# no 0, 1 or 5, which read alike), typed with or without dashes.
_KEY = re.compile(r"[BCDFGHJKMPQRTVWXY2346789]{25}")


@dataclass(frozen=True, slots=True)
class NewSystem:
    family: str
    name: str
    licence: str
    licence_key: str = ""
    note: str = ""


def product_key(typed: str) -> str:
    """A product key written the one way (upper case, five groups of five), or Invalid saying how."""
    letters = re.sub(r"[\s-]", "", typed).upper()
    if not _KEY.fullmatch(letters):
        raise Invalid(texts.BAD_PRODUCT_KEY)
    return "-".join(letters[i : i + 5] for i in range(0, 25, 5))


def masked_key(key: str | None) -> str | None:
    """A key as those who do not install systems see it: its last group only."""
    return None if key is None else "XXXXX-XXXXX-XXXXX-XXXXX-" + key[-5:]


def _checked(new: NewSystem) -> NewSystem:
    if new.family not in FAMILIES:
        raise Invalid(texts.unknown_os_family(new.family))
    name = " ".join(new.name.split())
    if not name:
        raise Invalid(texts.OS_NAME_NEEDED)
    if len(name) > 120:
        raise Invalid(texts.OS_NAME_TOO_LONG)
    if new.licence not in LICENCES_OF[new.family]:
        raise Invalid(texts.licence_not_for(new.licence, new.family, LICENCES_OF[new.family]))
    key = ""
    if new.licence == "refurbisher":
        if not new.licence_key.strip():
            raise Invalid(texts.PRODUCT_KEY_NEEDED)
        key = product_key(new.licence_key)
    elif new.licence_key.strip():
        raise Invalid(texts.PRODUCT_KEY_ONLY_FOR_REFURBISHER)
    return NewSystem(new.family, name, new.licence, key, new.note.strip()[:2000])


async def _same_key(session: AsyncSession, key: str) -> InstalledSystem | None:
    return (await session.execute(select(InstalledSystem).where(InstalledSystem.licence_key == key))).scalar()


async def record(
    session: AsyncSession, code: str, new: NewSystem, actor: Actor, scope: Scope = EVERYTHING
) -> InstalledSystem:
    """Record the system installed on the device `code`."""
    new = _checked(new)
    try:
        async with write_transaction(session):
            device = await devices.get_by_code(session, code, scope)
            not_on_sale(device)
            if new.licence_key:
                holder = await _same_key(session, new.licence_key)
                if holder is not None:
                    if holder.device_id == device.id and (holder.family, holder.name) == (new.family, new.name):
                        return holder  # the same installation sent again
                    raise await _key_used(session, holder)
            latest = await current(session, device)
            if latest is not None and not new.licence_key and _same(latest, new):
                return latest  # sent again: nothing more to record
            system = InstalledSystem(
                device_id=device.id,
                installed_at=utcnow(),
                family=new.family,
                name=new.name,
                licence=new.licence,
                licence_key=new.licence_key or None,
                note=new.note,
                **actor.columns(),
            )
            session.add(system)
            await session.flush()
            return system
    except IntegrityError:  # another bench recorded the same key a moment before: the unique key decided
        await session.rollback()
        holder = await _same_key(session, new.licence_key)
        if holder is None:
            raise
        raise await _key_used(session, holder) from None


def _same(latest: InstalledSystem, new: NewSystem) -> bool:
    return (latest.family, latest.name, latest.licence, latest.note) == (new.family, new.name, new.licence, new.note)


async def _key_used(session: AsyncSession, holder: InstalledSystem) -> LicenceKeyUsed:
    code = (await session.execute(select(Device.code).where(Device.id == holder.device_id))).scalar_one()
    return LicenceKeyUsed(texts.licence_key_used(code), device_code=code)


async def current(session: AsyncSession, device: Device) -> InstalledSystem | None:
    return (
        await session.execute(
            select(InstalledSystem).where(InstalledSystem.device_id == device.id).order_by(InstalledSystem.id.desc())
        )
    ).scalar()


def _history_query(device: Device) -> Select[InstalledSystem]:
    return select(InstalledSystem).where(InstalledSystem.device_id == device.id).order_by(InstalledSystem.id)


async def history(session: AsyncSession, device: Device) -> list[InstalledSystem]:
    return list((await session.execute(_history_query(device))).scalars())


async def history_page(session: AsyncSession, device: Device, window: LimitOffset) -> OffsetPagination[InstalledSystem]:
    return await paginated_scalars(session, _history_query(device), window)


async def refurbisher_keys(
    session: AsyncSession, start: date, end: date, timezone: str = "Europe/Paris"
) -> list[tuple[datetime, str, str | None, str, str, str | None, str]]:
    """The refurbisher keys used from `start` to `end` (both included, the workshop's days; a period
    checked by reemploi.partners.proof.period), in order."""
    zone = ZoneInfo(timezone)
    statement = (
        select(
            InstalledSystem.installed_at,
            Device.code,
            Device.serial,
            Device.category,
            InstalledSystem.name,
            InstalledSystem.licence_key,
            InstalledSystem.actor,
        )
        .join(Device, Device.id == InstalledSystem.device_id)
        .where(
            InstalledSystem.licence == "refurbisher",
            InstalledSystem.installed_at >= datetime.combine(start, time.min, zone),
            InstalledSystem.installed_at < datetime.combine(end + timedelta(days=1), time.min, zone),
        )
        .order_by(InstalledSystem.installed_at, InstalledSystem.id)
    )
    return [(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in (await session.execute(statement)).all()]


async def refurbisher_keys_csv(session: AsyncSession, start: date, end: date, timezone: str = "Europe/Paris") -> bytes:
    """The refurbisher keys used in the period as the French CSV the programme's report is made from."""
    zone = ZoneInfo(timezone)
    rows = await refurbisher_keys(session, start, end, timezone)
    return french_csv(
        texts.LICENCE_EXPORT_HEADER,
        [
            [formats.moment(at, zone), code, serial, texts.CATEGORIES.get(category, category), name, key, actor]
            for at, code, serial, category, name, key, actor in rows
        ],
    )


def shown_key(system: InstalledSystem, whole: bool) -> str | None:
    """The key as the reader may see it: whole for those who install systems, its last group otherwise."""
    return system.licence_key if whole else masked_key(system.licence_key)
