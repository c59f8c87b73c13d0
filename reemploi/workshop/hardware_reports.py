"""Attaching hardware reports to a device: all files read first, then stored in one transaction
(a file that cannot be read stores none of them; a dmidecode of a machine without SMBIOS is read as
nothing, with a notice saying so); the same file twice is kept once. The drives a report names
become the device's storage media to erase, one medium per physical drive (see `_media_from_reports`),
except the probe's boot medium (boot_medium.py: the live USB stick it names is kept as a report,
never as a medium)."""

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
        inserted: list[int] = []
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
                .returning(table.c.id)
            )
            inserted += (await session.execute(statement)).scalars().all()
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
        # Only the reports stored now: a file sent again (kept once) does not name its drives twice.
        await _media_from_reports(session, device, sorted((r for r in stored if r.id in inserted), key=lambda r: r.id))
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


# Which tool's word counts when several reports describe the same drive: smartctl asks the drive itself
# (its kind from the rotation rate, its full model, its capacity, its health), lshw reads what the kernel
# shows (a truncated model, no kind). A medium typed by hand is the technician's word: reports only fill
# what it leaves empty.
SOURCE_RANK = {"smartctl": 2, "smartctl-json": 2, "lshw-json": 1}
BY_HAND = 3


@dataclass(frozen=True, slots=True)
class _Sighting:
    """One drive as one report names it."""

    report: HardwareReport
    rank: int
    serial: str | None
    wwn: str | None
    kind: str | None
    model: str
    capacity_bytes: int | None


def _sightings(reports: Sequence[HardwareReport], boot: Sequence[Mapping[str, Any]] = ()) -> list[_Sighting]:
    """Every drive the reports name, the most trusted tool first, then in the order the reports were
    stored: the order of the files in an upload changes nothing. The probe's boot medium (its live
    USB stick, named in `boot`) is not the machine's and is left out."""
    found = [
        _Sighting(
            report,
            SOURCE_RANK.get(report.kind, 0),
            identifier(drive.get("serial")),
            drive.get("wwn") or None,
            drive.get("kind") or None,
            (drive.get("model") or "")[:200],
            drive.get("capacity_bytes"),
        )
        for report in reports
        if report.kind != boot_medium.KIND
        for drive in report.extracted.get("drives") or []
        if not boot_medium.is_boot_medium(drive, boot)
    ]
    return sorted(found, key=lambda s: (-s.rank, s.report.id))


def _same_drive(medium: StorageMedium, seen: _Sighting) -> bool:
    """Identity by serial, then by world-wide name; a drive with neither is nobody's twin."""
    if seen.serial and medium.serial and _same_serial(seen.serial, medium.serial):
        return True
    return bool(seen.wwn and medium.wwn and seen.wwn == medium.wwn)


def _merge(medium: StorageMedium, seen: _Sighting, rank: int) -> int:
    """What `seen` adds to `medium`, field by field: a more trusted tool replaces kind, model and
    capacity; a less trusted one only fills what is missing. Answers the medium's rank now."""
    if seen.rank > rank:
        medium.kind = seen.kind or medium.kind
        medium.model = seen.model or medium.model
        medium.capacity_bytes = seen.capacity_bytes or medium.capacity_bytes
        medium.report_id = seen.report.id
    else:
        medium.kind = medium.kind if medium.kind != "other" else seen.kind or "other"
        medium.model = medium.model or seen.model
        medium.capacity_bytes = medium.capacity_bytes or seen.capacity_bytes
    medium.serial = medium.serial or seen.serial
    medium.wwn = medium.wwn or seen.wwn
    medium.needs_identification = not (medium.serial or medium.wwn)
    return max(rank, seen.rank)


async def _media_from_reports(session: AsyncSession, device: Device, new: Sequence[HardwareReport]) -> None:
    """One medium per physical drive the newly stored reports name: a drive already known (same serial,
    else same world-wide name) is completed, not added again; a drive with neither is always a medium of
    its own, marked `needs_identification` (two identical disks are two erasures, never one)."""
    existing = list(
        (
            await session.execute(
                select(StorageMedium).where(StorageMedium.device_id == device.id).order_by(StorageMedium.id)
            )
        )
        .scalars()
        .all()
    )
    rows = await session.execute(
        select(HardwareReport.id, HardwareReport.kind).where(HardwareReport.device_id == device.id)
    )
    sources: dict[int, str] = {row[0]: row[1] for row in rows.all()}
    ranks = {id(m): SOURCE_RANK.get(sources.get(m.report_id, ""), 0) if m.report_id else BY_HAND for m in existing}
    for seen in _sightings(new, await _boot_media(session, device)):
        match = next((m for m in existing if _same_drive(m, seen)), None)
        if match is not None:
            ranks[id(match)] = _merge(match, seen, ranks[id(match)])
            continue
        medium = StorageMedium(
            device_id=device.id,
            kind=seen.kind or "other",
            model=seen.model,
            serial=seen.serial,
            wwn=seen.wwn,
            capacity_bytes=seen.capacity_bytes,
            origin="original",
            report_id=seen.report.id,
            needs_identification=not (seen.serial or seen.wwn),
            created_at=utcnow(),
        )
        session.add(medium)
        existing.append(medium)
        ranks[id(medium)] = seen.rank


async def _boot_media(session: AsyncSession, device: Device) -> list[Mapping[str, Any]]:
    """The boot media the probe named on this device, in this upload or an earlier one."""
    rows = await session.execute(
        select(HardwareReport.extracted).where(
            HardwareReport.device_id == device.id, HardwareReport.kind == boot_medium.KIND
        )
    )
    return boot_medium.boot_drives(list(rows.scalars()))
