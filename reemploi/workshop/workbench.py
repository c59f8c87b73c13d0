"""eReuse Workbench snapshots read into what the workshop records (issue 17, item 5).

A snapshot is the JSON the Workbench (11.x) writes and posts to Devicehub: `device` (the machine, with
its serial), `components` (drives, RAM, CPU, …, each with its `actions`) and the snapshot's `uuid`,
`software` and `version`. What is kept here:
- the hardware as a `Report` of kind "workbench" (system, CPU, RAM, one `Drive` per drive component);
- each drive's `EraseBasic`/`EraseSectors` as an `Erasure` (its steps are the passes, StepZero/StepRandom);
  a severity "Error" on the action or any step is a failure, never a success;
- each drive's `TestDataStorage` as a `StorageTest`.

Bounded: at most MAX_BYTES, nesting at most MAX_DEPTH (checked before anything else is read).
Pure: no database; the caller runs it off the event loop like the other report parsing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reemploi import texts
from reemploi.workshop.hardware import Drive, MemoryModule, Report, System, UnreadableReport, clean

MAX_BYTES = 2_000_000
MAX_DEPTH = 12
DRIVE_TYPES = {"HardDrive": "hdd", "SolidStateDrive": "ssd", "DataStorage": None}
ERASE_TYPES = {"EraseBasic": "basic", "EraseSectors": "sectors"}
STEP_NAMES = {"StepZero": "zero", "StepRandom": "random"}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True, slots=True)
class Erasure:
    drive_serial: str | None
    kind: str  # "basic" (EraseBasic: overwrite) or "sectors" (EraseSectors: overwrite, then sectors checked)
    passes: tuple[str, ...]  # one per step: "zero", "random"
    started: datetime | None
    ended: datetime | None
    succeeded: bool


@dataclass(frozen=True, slots=True)
class StorageTest:
    drive_serial: str | None
    length: str | None  # "Short", "Extended"
    status: str | None
    succeeded: bool
    power_on_hours: int | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    uuid: str
    tool: str  # "eReuse Workbench 11.0b9"
    device_type: str | None
    report: Report
    erasures: list[Erasure] = field(default_factory=list)
    storage_tests: list[StorageTest] = field(default_factory=list)


def read_snapshot(content: bytes) -> Snapshot:
    """The snapshot in `content`, or UnreadableReport saying what is wrong."""
    if len(content) > MAX_BYTES:
        raise UnreadableReport(texts.SNAPSHOT_TOO_LARGE)
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise UnreadableReport(texts.SNAPSHOT_NOT_JSON) from None
    if _depth(data) > MAX_DEPTH:
        raise UnreadableReport(texts.SNAPSHOT_TOO_DEEP)
    if not isinstance(data, dict) or data.get("type") != "Snapshot":
        raise UnreadableReport(texts.snapshot_missing('"type": "Snapshot"'))
    uuid = clean(data.get("uuid"))
    device = data.get("device")
    components = data.get("components")
    if uuid is None:
        raise UnreadableReport(texts.snapshot_missing("uuid"))
    if not isinstance(device, dict):
        raise UnreadableReport(texts.snapshot_missing("device"))
    if not isinstance(components, list) or not all(isinstance(c, dict) for c in components):
        raise UnreadableReport(texts.snapshot_missing("components"))
    version = clean(data.get("version"))
    drives: list[Drive] = []
    erasures: list[Erasure] = []
    tests: list[StorageTest] = []
    modules: list[MemoryModule] = []
    cpu = None
    for component in components:
        kind = component.get("type")
        if kind in DRIVE_TYPES:
            drive = _drive(component, DRIVE_TYPES[kind])
            drives.append(drive)
            for action in _actions(component):
                if action.get("type") in ERASE_TYPES:
                    erasures.append(_erasure(drive.serial, action))
                elif action.get("type") == "TestDataStorage":
                    tests.append(_test(drive.serial, action))
        elif kind == "RamModule":
            size = _number(component.get("size"))
            if size:
                modules.append(MemoryModule(size_mb=int(size), kind=clean(component.get("interface"))))
        elif kind == "Processor" and cpu is None:
            cpu = clean(component.get("model"))
    system = System(
        manufacturer=clean(device.get("manufacturer")),
        product=clean(device.get("model")),
        serial=clean(device.get("serialNumber")),
        sku=clean(device.get("sku")),
    )
    report = Report(
        kind="workbench",
        system=system,
        cpu=cpu,
        memory_mb=sum(m.size_mb for m in modules) or None,
        memory_modules=modules,
        drives=drives,
        tool_version=f"eReuse Workbench {version}" if version else "eReuse Workbench",
    )
    return Snapshot(
        uuid=uuid,
        tool=report.tool_version or "eReuse Workbench",
        device_type=clean(device.get("type")),
        report=report,
        erasures=erasures,
        storage_tests=tests,
    )


def _depth(value: Any) -> int:
    """How deep `value` nests (iterative: a hostile file cannot exhaust the stack)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        pending.extend((child, level + 1) for child in children)
    return deepest


def _actions(component: dict[str, Any]) -> list[dict[str, Any]]:
    actions = component.get("actions")
    return [a for a in actions if isinstance(a, dict)] if isinstance(actions, list) else []


def _number(value: object) -> float | None:
    """160042.0, "160042.0 MB", "1024.0 mebibyte" → the number (the Workbench's unit is MB for both)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    match = _NUMBER.search(value) if isinstance(value, str) else None
    return float(match.group()) if match else None


def _drive(component: dict[str, Any], kind: str | None) -> Drive:
    size_mb = _number(component.get("size"))
    test = next((a for a in _actions(component) if a.get("type") == "TestDataStorage"), None)
    return Drive(
        model=clean(component.get("model")),
        serial=clean(component.get("serialNumber")),
        # The Workbench gives decimal megabytes (160042.0 MB for a 160 GB drive).
        capacity_bytes=round(size_mb * 1_000_000) if size_mb else None,
        kind=kind,
        health_passed=test.get("assessment") if test and isinstance(test.get("assessment"), bool) else None,
        power_on_hours=_integer(test, "lifetime"),
        reallocated_sectors=_integer(test, "reallocatedSectorCount"),
        pending_sectors=_integer(test, "currentPendingSectorCount"),
        uncorrectable=_integer(test, "reportedUncorrectableErrors"),
    )


def _integer(action: dict[str, Any] | None, key: str) -> int | None:
    value = action.get(key) if action else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _time(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _erasure(serial: str | None, action: dict[str, Any]) -> Erasure:
    raw_steps = action.get("steps")
    steps = [s for s in raw_steps if isinstance(s, dict)] if isinstance(raw_steps, list) else []
    failed = action.get("severity") == "Error" or any(s.get("severity") == "Error" for s in steps)
    return Erasure(
        drive_serial=serial,
        kind=ERASE_TYPES[action["type"]],
        passes=tuple(STEP_NAMES.get(str(s.get("type")), str(s.get("type"))) for s in steps),
        started=_time(action.get("startTime")),
        ended=_time(action.get("endTime")),
        # No step at all is no erasure shown: not a success.
        succeeded=bool(steps) and not failed,
    )


def _test(serial: str | None, action: dict[str, Any]) -> StorageTest:
    return StorageTest(
        drive_serial=serial,
        length=clean(action.get("length")),
        status=clean(action.get("status")),
        succeeded=action.get("severity") != "Error" and action.get("assessment") is not False,
        power_on_hours=_integer(action, "lifetime"),
    )
