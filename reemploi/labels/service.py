"""Which labels to print (a scanned list of codes, a collection, a filter), on which template, and
the record of each print: who printed which devices' labels, when, on what."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import formats, texts
from reemploi.accounts.models import User
from reemploi.actors import Actor
from reemploi.collections import service as collections
from reemploi.db import utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.models import Device
from reemploi.errors import Invalid
from reemploi.labels.models import LabelPrint, LabelPrintDevice
from reemploi.labels.render import FALLBACK_TEMPLATE, MAX_LABELS, LabelData, check_template
from reemploi.scope import EVERYTHING, Scope
from reemploi.sites import service as sites
from reemploi.sites.models import Site


@dataclass(frozen=True, slots=True)
class Selection:
    """What to print: `codes` in their order (a scanned list), then every device matching `where`
    (a collection, a state, a category, a site: all that are given), in registration order."""

    codes: list[str] = field(default_factory=list)
    where: devices.DeviceFilter | None = None


@dataclass(frozen=True, slots=True)
class Batch:
    devices: list[Device]
    labels: list[LabelData]


def split_codes(text: str) -> list[str]:
    """Codes as typed or scanned: separated by commas, semicolons, spaces or line breaks."""
    return [code for code in re.split(r"[\s,;]+", text) if code]


def device_url(public_url: str, code: str) -> str:
    """The page a phone opens from the label's QR code: the scan station, showing the device."""
    return f"{public_url.rstrip('/')}/scan?code={code}"


def _label(device: Device, site_names: dict[int, str], public_url: str) -> LabelData:
    identity = " ".join(part for part in (device.manufacturer, device.model) if part)
    first = " · ".join(part for part in (texts.CATEGORIES.get(device.category, device.category), identity) if part)
    lines = [first]
    if device.grade or device.price_cents is not None:
        grade = f"{texts.UI['grade']} {device.grade}" if device.grade else ""
        price = formats.euros(device.price_cents)
        lines.append(" · ".join(part for part in (grade, price) if part))
    lines.append(site_names.get(device.site_id, ""))
    return LabelData(device.code, lines, device_url(public_url, device.code))


async def select_devices(
    session: AsyncSession, selection: Selection, public_url: str, scope: Scope = EVERYTHING
) -> Batch:
    """The devices of `selection` and their labels; refused when empty or beyond MAX_LABELS."""
    if len(selection.codes) > MAX_LABELS:
        raise Invalid(texts.too_many_labels(len(selection.codes), MAX_LABELS))
    chosen = [await devices.get_by_code(session, code, scope) for code in selection.codes]
    if selection.where is not None:
        where = replace(selection.where, donor_id=scope.donor_id)
        if where.collection_id is not None:
            await collections.get(session, where.collection_id, scope)  # 404 if unknown or not visible
        matching, total = await devices.list_devices(session, where, MAX_LABELS, 0)
        if total + len(chosen) > MAX_LABELS:
            raise Invalid(texts.too_many_labels(total + len(chosen), MAX_LABELS))
        chosen += matching
    if not chosen:
        raise Invalid(texts.NO_LABEL)
    site_names = {site.id: site.name for site in await sites.list_all(session)}
    return Batch(chosen, [_label(device, site_names, public_url) for device in chosen])


async def default_template(session: AsyncSession, user_id: int | None, batch: Batch) -> str:
    """The template to print on when none is asked for: the person's own choice, else the site's
    default (the site of the batch's first device)."""
    if user_id is not None:
        chosen = (await session.execute(select(User.label_template).where(User.id == user_id))).scalar_one_or_none()
        if chosen:
            return chosen
    site_id = batch.devices[0].site_id if batch.devices else None
    if site_id is not None:
        site_default = (
            await session.execute(select(Site.label_template).where(Site.id == site_id))
        ).scalar_one_or_none()
        if site_default:
            return site_default
    return FALLBACK_TEMPLATE


async def set_user_template(session: AsyncSession, user_id: int, template: str | None) -> None:
    """Remember the template this person prints on (None: back to the site's default)."""
    if template is not None:
        check_template(template)
    async with write_transaction(session):
        await session.execute(update(User).where(User.id == user_id).values(label_template=template))


async def record_print(
    session: AsyncSession, actor: Actor, template: str, batch: Batch, skip: int = 0, qr: bool = False
) -> LabelPrint:
    """Record that `batch` was printed (or reprinted: a device whose label was printed before).
    Devices are not touched: their version, and so other people's work on them, is unaffected."""
    async with write_transaction(session):
        ids = [device.id for device in batch.devices]
        # Two prints of one label at once: the second waits here for the first to commit, then sees
        # it (PostgreSQL row locks, in id order so two batches never deadlock; SQLite's write lock
        # already serialises them). The rows are locked, not changed: their version stays.
        await session.execute(select(Device.id).where(Device.id.in_(set(ids))).order_by(Device.id).with_for_update())
        printed_before = set(
            (
                await session.execute(
                    select(LabelPrintDevice.device_id).where(LabelPrintDevice.device_id.in_(set(ids))).distinct()
                )
            ).scalars()
        )
        record = LabelPrint(
            at=utcnow(),
            **actor.columns(),
            template=template,
            labels=len(ids),
            skipped=skip,
            qr=qr,
        )
        session.add(record)
        await session.flush()
        seen: set[int] = set()
        rows = []
        for position, device_id in enumerate(ids):
            rows.append(
                {
                    "print_id": record.id,
                    "position": position,
                    "device_id": device_id,
                    "reprint": device_id in printed_before or device_id in seen,
                }
            )
            seen.add(device_id)
        await session.execute(insert(LabelPrintDevice), rows)
        return record


@dataclass(frozen=True, slots=True)
class PrintOfDevice:
    at: datetime
    actor: str
    template: str
    reprint: bool


async def prints_of(session: AsyncSession, device_id: int) -> list[PrintOfDevice]:
    """Every time this device's label was printed, oldest first."""
    rows = await session.execute(
        select(LabelPrint.at, LabelPrint.actor, LabelPrint.template, LabelPrintDevice.reprint)
        .join(LabelPrintDevice, LabelPrintDevice.print_id == LabelPrint.id)
        .where(LabelPrintDevice.device_id == device_id)
        .order_by(LabelPrint.id, LabelPrintDevice.position)
    )
    return [PrintOfDevice(*row) for row in rows]
