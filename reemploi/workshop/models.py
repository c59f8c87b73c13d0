"""The workshop's records on a device: hardware reports (kept unchanged), functional tests, storage
media and their erasures, the sites' price grids, repairs. None of them bumps the
device's version: only lifecycle transitions (and the grade and price they carry) do."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import ActorColumns, Base, BigId, JSONType, Timestamp


class HardwareReport(ActorColumns, Base):
    """One file of dmidecode, smartctl or lshw output attached to a device. The same file attached
    twice to the same device is kept once (its SHA-256 is unique per device)."""

    __tablename__ = "hardware_reports"
    __table_args__ = (UniqueConstraint("device_id", "sha256"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # dmidecode, smartctl, smartctl-json, lshw-json
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)  # the file as uploaded, byte for byte
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(Timestamp)
    extracted: Mapped[dict[str, Any]] = mapped_column(JSONType)  # hardware.Report, as JSON
    # The report's system serial differs from the device's: shown, never merged silently.
    serial_mismatch: Mapped[bool] = mapped_column(Boolean, default=False)


class FunctionalTest(ActorColumns, Base):
    """One run of a category's checklist on a device; the latest one counts for the sale gate."""

    __tablename__ = "functional_tests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    at: Mapped[datetime] = mapped_column(Timestamp)
    passed: Mapped[bool] = mapped_column(Boolean)  # no check failed (not applicable counts as passed)
    # check → {"outcome": "pass" | "fail" | "na", "note": "..."}, every check of the category's list
    results: Mapped[dict[str, Any]] = mapped_column(JSONType)
    battery_percent: Mapped[int | None] = mapped_column(Integer)  # full charge vs design capacity, measured
    note: Mapped[str] = mapped_column(Text, default="")


class StorageMedium(Base):
    """A disk, SSD or built-in flash of a device: what must be erased (or destroyed) before sale."""

    __tablename__ = "storage_media"
    __table_args__ = (
        CheckConstraint("kind IN ('hdd', 'ssd', 'nvme', 'emmc', 'other')", name="kind"),
        CheckConstraint("origin IN ('original', 'replacement')", name="origin"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    model: Mapped[str] = mapped_column(String(200), default="")
    serial: Mapped[str | None] = mapped_column(String(100))
    # "naa.5000cca25c244870", "eui.0026b72826f6bb15" (hardware.Drive.wwn): the identity when the serial is not read
    wwn: Mapped[str | None] = mapped_column(String(64))
    capacity_bytes: Mapped[int | None] = mapped_column(BigInteger)
    # Read from a report with neither serial nor WWN: it cannot be told from a look-alike drive (two identical
    # SAS disks of a server are two media, two erasures); the technician checks it against the drive's label.
    needs_identification: Mapped[bool] = mapped_column(Boolean, default=False)
    # original: came with the device (previous owner's data); replacement: fitted new by the workshop
    origin: Mapped[str] = mapped_column(String(12), default="original")
    report_id: Mapped[int | None] = mapped_column(ForeignKey("hardware_reports.id"))  # where it was read from
    # A harvested storage part a repair fitted (parts.Part, which names the device it came from): it carries its
    # first owner's data, so it is an "original" medium to erase like any other.
    part_id: Mapped[int | None] = mapped_column(ForeignKey("parts.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp)


class Erasure(ActorColumns, Base):
    """One sanitization of one medium, with what NIST SP 800-88 Appendix G asks a certificate to name."""

    __tablename__ = "erasures"
    __table_args__ = (
        CheckConstraint("level IN ('clear', 'purge', 'destroy')", name="level"),
        CheckConstraint("verification IN ('full', 'sampled', 'none')", name="verification"),
        CheckConstraint("result IN ('success', 'failure')", name="result"),
        CheckConstraint("ended_at >= started_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    medium_id: Mapped[int] = mapped_column(ForeignKey("storage_media.id"), index=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    level: Mapped[str] = mapped_column(String(10))
    technique: Mapped[str] = mapped_column(String(30))
    tool: Mapped[str] = mapped_column(String(100))
    tool_version: Mapped[str] = mapped_column(String(50), default="")
    passes: Mapped[int | None] = mapped_column(Integer)
    verification: Mapped[str] = mapped_column(String(10))
    result: Mapped[str] = mapped_column(String(10))
    started_at: Mapped[datetime] = mapped_column(Timestamp)
    ended_at: Mapped[datetime] = mapped_column(Timestamp)
    warning: Mapped[str] = mapped_column(Text, default="")  # e.g. overwriting flash: shown, not refused
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(Timestamp)


class PriceGridEntry(Base):
    """A site's price for a category and grade: the price a device gets when graded, unless changed."""

    __tablename__ = "price_grid"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(30), primary_key=True)
    grade: Mapped[str] = mapped_column(String(1), primary_key=True)
    price_cents: Mapped[int] = mapped_column(Integer)


class Repair(ActorColumns, Base):
    """One repair on a device: what was done, the parts it took, the time it took. A repaired device
    goes back to its functional test (the lifecycle's repair loop)."""

    __tablename__ = "repairs"
    __table_args__ = (CheckConstraint("minutes >= 0", name="minutes_not_negative"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    at: Mapped[datetime] = mapped_column(Timestamp)
    actions: Mapped[str] = mapped_column(Text)  # what was done, as the technician wrote it
    minutes: Mapped[int] = mapped_column(Integer)


class RepairPart(Base):
    __tablename__ = "repair_parts"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    repair_id: Mapped[int] = mapped_column(ForeignKey("repairs.id"), primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), primary_key=True, index=True)
    quantity: Mapped[int] = mapped_column(Integer)


class InstalledSystem(ActorColumns, Base):
    """An operating system installed on a device, with its licence (issue 17, item 6). Each installation
    is a row: the latest is the device's system; the earlier ones stay as its history. A refurbisher's
    Windows key goes on one device only (the programme counts each key once)."""

    __tablename__ = "installed_systems"
    __table_args__ = (
        CheckConstraint("family IN ('linux', 'windows', 'chromeos', 'android', 'ios', 'other')", name="family"),
        CheckConstraint("licence IN ('free', 'coa', 'refurbisher', 'none')", name="licence"),
        CheckConstraint("(licence = 'refurbisher') = (licence_key IS NOT NULL)", name="key_for_refurbisher"),
        UniqueConstraint("licence_key"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    installed_at: Mapped[datetime] = mapped_column(Timestamp, index=True)
    family: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))  # "Linux Mint 22.1", "Windows 11 Pro 24H2"
    licence: Mapped[str] = mapped_column(String(20))
    licence_key: Mapped[str | None] = mapped_column(String(29))  # XXXXX-XXXXX-XXXXX-XXXXX-XXXXX
    note: Mapped[str] = mapped_column(Text, default="")
