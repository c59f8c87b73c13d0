"""The drive the probe booted from (its live USB stick): reemploi-probe names it in a small file,
boot-medium.txt, sent with the reports. It is not one of the machine's media: no medium is made of
it, whichever report lists it (lshw does, twice for a card-reader-like stick)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reemploi.identifiers import identifier
from reemploi.workshop.hardware import Drive, Report

KIND = "boot-medium"  # the kind of the stored report that holds it
FIRST_LINE = "# reemploi-probe boot-medium"
_MAX_VALUE = 200


def read_marker(content: bytes) -> Report | None:
    """The boot medium the probe's file names, as a report whose one drive is that medium; None when
    `content` is not such a file."""
    text = content.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = text.splitlines()
    if not lines or lines[0].strip() != FIRST_LINE:
        return None
    values: dict[str, str] = {}
    for line in lines[1:]:
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            values[key.strip()] = value.strip()[:_MAX_VALUE]
    size = values.get("size_bytes", "")
    drive = Drive(
        model=values.get("model") or None,
        serial=identifier(values.get("serial")),
        capacity_bytes=int(size) if size.isdigit() and int(size) > 0 else None,
    )
    return Report(KIND, drives=[drive], tool_version="reemploi-probe")


def boot_drives(extracted: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The boot media among stored reports' `extracted` (hardware.Report as JSON)."""
    return [d for x in extracted if x.get("kind") == KIND for d in x.get("drives") or []]


def is_boot_medium(drive: Mapping[str, Any], boot: Sequence[Mapping[str, Any]]) -> bool:
    """`drive` (from any report) is one of the `boot` media: the same serial; or, where one of them has
    no serial, the same capacity and the same model (or no model at all, as lshw's inner node of a
    USB stick has none)."""
    serial = identifier(drive.get("serial"))
    capacity = drive.get("capacity_bytes")
    model = (drive.get("model") or "").strip().casefold()
    for medium in boot:
        boot_serial = identifier(medium.get("serial"))
        if serial and boot_serial:
            if serial == boot_serial:
                return True
            continue
        boot_model = (medium.get("model") or "").strip().casefold()
        if capacity and capacity == medium.get("capacity_bytes") and (not model or model == boot_model):
            return True
    return False
