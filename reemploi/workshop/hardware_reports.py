"""Attaching hardware reports to a device: all files read first, then stored in one transaction
(a file that cannot be read stores none of them); the same file twice is kept once. The drives a
report names become the device's storage media to erase, except the probe's boot medium
(boot_medium.py: the live USB stick it names is kept as a report, never as a medium)."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from reemploi import texts
from reemploi.actors import Actor
from reemploi.db import dialect_insert, paginated_scalars, utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.models import Device
from reemploi.errors import Invalid, NotFound
from reemploi.identifiers import identifier
from reemploi.scope import EVERYTHING, Scope
from reemploi.workshop import bench, boot_medium
from reemploi.workshop.hardware import Report, read_report
from reemploi.workshop.models import HardwareReport, StorageMedium

MAX_REPORT_BYTES = 5 * 1024 * 1024  # a smartctl -x of a busy drive is ~60 kB, an lshw -json ~200 kB


MAX_REPORTS_PER_UPLOAD = 20


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    content: bytes


def _same_serial(a: str, b: str) -> bool:
    """Serials as the workshop compares them (reemploi.identifiers), dashes and dots aside: a label
    printed "PF-1ABCDE" is the BIOS's "PF1ABCDE"."""

    def canonical(serial: str) -> str:
        return (identifier(serial) or "").replace("-", "").replace(".", "").replace("_", "")

    return canonical(a) == canonical(b)


def serial_mismatch(report: Report, device: Device) -> bool:
    """The report's system serial is known and is not the device's (a drive report has none)."""
    serial = report.system.serial if report.system else None
    return bool(serial and device.serial and not _same_serial(serial, device.serial))


def read_uploads(uploads: Sequence[Upload]) -> list[Report]:
    """Every upload read, or a refusal naming the first file that cannot be (nothing is stored)."""
    if not uploads:
        raise Invalid(texts.NO_REPORT)
    if len(uploads) > MAX_REPORTS_PER_UPLOAD:
        raise Invalid(texts.too_many_reports(len(uploads), MAX_REPORTS_PER_UPLOAD))
    for upload in uploads:
        if len(upload.content) > MAX_REPORT_BYTES:
            raise Invalid(texts.report_too_large(upload.filename, MAX_REPORT_BYTES))
    return [boot_medium.read_marker(u.content) or read_report(u.filename, u.content) for u in uploads]


async def attach(
    session: AsyncSession, code: str, uploads: Sequence[Upload], actor: Actor, scope: Scope = EVERYTHING
) -> list[HardwareReport]:
    """Store `uploads` on the device `code`; returns the stored reports (those already there too)."""
    reports = read_uploads(uploads)
    async with write_transaction(session):
        device = await devices.get_by_code(session, code, scope)
        bench.not_on_sale(device)  # its drives would become media the gate did not see erased
        now = utcnow()
        table = HardwareReport.__table__
        digests = []
        for upload, report in zip(uploads, reports, strict=True):
            digest = hashlib.sha256(upload.content).hexdigest()
            digests.append(digest)
            statement = (
                dialect_insert(session, table)
                .values(
                    device_id=device.id,
                    kind=report.kind,
                    filename=upload.filename[:200] or "rapport",
                    content=upload.content,
                    size=len(upload.content),
                    sha256=digest,
                    uploaded_at=now,
                    **actor.columns(),
                    extracted=dataclasses.asdict(report),
                    serial_mismatch=serial_mismatch(report, device),
                )
                .on_conflict_do_nothing(index_elements=[table.c.device_id, table.c.sha256])
            )
            await session.execute(statement)
        stored = (
            (
                await session.execute(
                    select(HardwareReport).where(
                        HardwareReport.device_id == device.id, HardwareReport.sha256.in_(digests)
                    )
                )
            )
            .scalars()
            .all()
        )
        by_digest = {report.sha256: report for report in stored}
        await _media_from_reports(session, device, stored)
        return [by_digest[digest] for digest in dict.fromkeys(digests)]


def _reports_query(device: Device) -> Select[HardwareReport]:
    return (
        select(HardwareReport)
        .options(defer(HardwareReport.content))  # the files themselves only on demand
        .where(HardwareReport.device_id == device.id)
        .order_by(HardwareReport.id)
    )


async def reports_of(
    session: AsyncSession, code: str, scope: Scope = EVERYTHING
) -> tuple[Device, list[HardwareReport]]:
    device = await devices.get_by_code(session, code, scope)
    rows = await session.execute(_reports_query(device))
    return device, list(rows.scalars())


async def reports_page(
    session: AsyncSession, code: str, window: LimitOffset, scope: Scope = EVERYTHING
) -> OffsetPagination[HardwareReport]:
    device = await devices.get_by_code(session, code, scope)
    return await paginated_scalars(session, _reports_query(device), window)


async def raw_report(session: AsyncSession, code: str, report_id: int, scope: Scope = EVERYTHING) -> HardwareReport:
    device = await devices.get_by_code(session, code, scope)
    report = await session.get(HardwareReport, report_id)
    if report is None or report.device_id != device.id:
        raise NotFound(texts.not_found("Rapport", report_id))
    return report


async def _media_from_reports(session: AsyncSession, device: Device, stored: Sequence[HardwareReport]) -> None:
    """Each drive a report names becomes one of the device's media, once (same serial, or same model
    and capacity when the serial is unknown): what must be erased before sale."""
    existing = (
        (await session.execute(select(StorageMedium).where(StorageMedium.device_id == device.id))).scalars().all()
    )
    known = {(m.serial or "", m.model, m.capacity_bytes) for m in existing}
    known_serials = {m.serial for m in existing if m.serial}
    boot = await _boot_media(session, device)
    for report in stored:
        for drive in report.extracted.get("drives") or []:
            if report.kind == boot_medium.KIND or boot_medium.is_boot_medium(drive, boot):
                continue  # the probe's live USB stick, not the machine's
            serial = identifier(drive.get("serial"))
            key = (serial or "", drive.get("model") or "", drive.get("capacity_bytes"))
            if (serial and serial in known_serials) or key in known:
                continue
            session.add(
                StorageMedium(
                    device_id=device.id,
                    kind=drive.get("kind") or "other",
                    model=(drive.get("model") or "")[:200],
                    serial=serial,
                    capacity_bytes=drive.get("capacity_bytes"),
                    origin="original",
                    report_id=report.id,
                    created_at=utcnow(),
                )
            )
            known.add(key)
            if serial:
                known_serials.add(serial)


async def _boot_media(session: AsyncSession, device: Device) -> list[Mapping[str, Any]]:
    """The boot media the probe named on this device, in this upload or an earlier one."""
    rows = await session.execute(
        select(HardwareReport.extracted).where(
            HardwareReport.device_id == device.id, HardwareReport.kind == boot_medium.KIND
        )
    )
    return boot_medium.boot_drives(list(rows.scalars()))
