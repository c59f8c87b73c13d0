"""eReuse Workbench snapshots (issue 17, item 5): real snapshots → their hand-read values.

The three snapshots are real files of eReuse/devicehub-teal (AGPL-3.0), unmodified; where they come
from is in tests/fixtures/hardware/SOURCES.md. The expected values were read from the files by hand.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reemploi.workshop.hardware import MemoryModule, System, UnreadableReport
from reemploi.workshop.workbench import MAX_BYTES, Erasure, StorageTest, read_snapshot

SNAPSHOTS = Path(__file__).parent / "fixtures" / "hardware" / "workbench"


def _read(name: str) -> bytes:
    return (SNAPSHOTS / name).read_bytes()


def test_acer_netbook_workbench_11_0b9() -> None:
    snapshot = read_snapshot(_read("acer-aohappy.wb-11.0b9.json"))
    assert snapshot.uuid == "9c169711-3d72-4e6c-aabf-de9b3af56b54"
    assert snapshot.tool == "eReuse Workbench 11.0b9"
    assert snapshot.device_type == "Laptop"
    report = snapshot.report
    assert report.kind == "workbench"
    assert report.system == System(manufacturer="Acer", product="AOHAPPY", serial="LUSEA0D010038879A01601")
    assert report.cpu == "Intel Atom CPU N450 @ 1.66GHz"
    assert report.memory_modules == [MemoryModule(size_mb=1024, kind="DDR2")]
    assert report.memory_mb == 1024
    [drive] = report.drives
    assert (drive.model, drive.serial, drive.capacity_bytes, drive.kind) == (
        "WDC WD1600BEVT-2",
        "WD-WX11A80W7430",
        160_042_000_000,
        "hdd",
    )
    assert (drive.health_passed, drive.power_on_hours, drive.reallocated_sectors, drive.pending_sectors) == (
        True,
        4675,
        0,
        0,
    )
    assert drive.uncorrectable is None  # the Acer's test does not state it
    assert snapshot.erasures == [
        Erasure(
            drive_serial="WD-WX11A80W7430",
            kind="basic",
            passes=("random",),
            started=datetime(2019, 9, 10, 10, 51, 20, 207733, tzinfo=UTC),
            ended=datetime(2019, 9, 10, 11, 37, 7, 459940, tzinfo=UTC),
            succeeded=True,
        )
    ]
    assert snapshot.storage_tests == [
        StorageTest("WD-WX11A80W7430", "Short", "Completed without error", succeeded=True, power_on_hours=4675)
    ]


def test_lenovo_desktop_erase_sectors_two_passes() -> None:
    snapshot = read_snapshot(_read("lenovo-m92p.wb-11.0b11.json"))
    assert snapshot.uuid == "ae913de1-e639-476a-ad9b-78eabbe4628b"
    assert snapshot.tool == "eReuse Workbench 11.0b11"
    assert snapshot.device_type == "Desktop"
    # The published file is anonymised: every serial reads "AAAAAAAA".
    assert snapshot.report.system == System(
        manufacturer="LENOVO", product="3227A2G", serial="AAAAAAAA", sku="LENOVO_MT_3227"
    )
    assert snapshot.report.cpu == "Intel Core i5-3470 CPU @ 3.20GHz"
    assert snapshot.report.memory_mb == 4096
    [drive] = snapshot.report.drives
    assert (drive.model, drive.serial, drive.capacity_bytes, drive.kind) == (
        "ST3500418AS",
        "AAAAAAAA",
        500 * 10**9,
        "hdd",
    )
    assert (drive.power_on_hours, drive.uncorrectable) == (18720, 0)
    [erasure] = snapshot.erasures
    assert erasure.kind == "sectors"
    assert erasure.passes == ("zero", "random")
    assert erasure.started == datetime(2021, 10, 11, 9, 45, 19, 623967, tzinfo=UTC)
    # The file's end is a year after its start (2022-10-11), as written: read, not corrected.
    assert erasure.ended == datetime(2022, 10, 11, 13, 45, 31, 239555, tzinfo=UTC)
    assert erasure.succeeded
    assert [t.length for t in snapshot.storage_tests] == ["Short"]


def test_asus_three_drives_one_failed_erasure_one_failed_test() -> None:
    snapshot = read_snapshot(_read("asus-1001pxd.wb-11.0b11.json"))
    assert snapshot.uuid == "3fd12a01-c04e-4fd8-9e64-2660c459e725"
    assert snapshot.report.system == System(
        manufacturer="ASUSTeK Computer INC.", product="1001PXD", serial="B8OAAS048287"
    )
    assert snapshot.report.cpu == "Intel Atom CPU N455 @ 1.66GHz"
    assert snapshot.report.memory_mb == 2048
    assert [(d.model, d.serial, d.kind) for d in snapshot.report.drives] == [
        ("HTS54322", "E2024242CV86HJ", "hdd"),
        ("WDC WD1600BEVT-2", "WD-WX11A80W7430", None),  # "DataStorage": kind not said
        ("WDC WD1600BEVT-2", "WD-WX11A80W7430", "ssd"),
    ]
    assert [(e.drive_serial, e.kind, e.passes, e.succeeded) for e in snapshot.erasures] == [
        ("E2024242CV86HJ", "basic", ("random",), True),
        # "severity": "Error" on the EraseBasic: a failure, never a success.
        ("WD-WX11A80W7430", "basic", ("random",), False),
        ("WD-WX11A80W7430", "sectors", ("random", "zero"), True),
    ]
    assert [(t.drive_serial, t.length, t.succeeded) for t in snapshot.storage_tests] == [
        ("E2024242CV86HJ", "Extended", False),  # "Unspecified Error. Self-test not started."
        ("WD-WX11A80W7430", "Short", True),
        ("WD-WX11A80W7430", "Short", True),
    ]
    assert snapshot.report.drives[1].uncorrectable == 1513


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"x" * (MAX_BYTES + 1), "trop gros"),
        (b"{not json", "pas du JSON"),
        (json.dumps({"a": [[[[[[[[[[[[[[1]]]]]]]]]]]]]]}).encode(), "trop imbriqué"),
        (b'{"type": "Snapshot", "device": {}, "components": []}', "uuid"),
        (b'{"type": "Snapshot", "uuid": "u", "components": []}', "device"),
        (b'{"type": "Snapshot", "uuid": "u", "device": {}, "components": [1]}', "components"),
        (b'{"smartctl": {}}', "Snapshot"),
    ],
)
def test_bad_snapshots_are_refused_saying_why(content: bytes, words: str) -> None:
    with pytest.raises(UnreadableReport, match=words):
        read_snapshot(content)


def test_an_erasure_without_steps_is_not_a_success() -> None:
    snapshot = json.loads(_read("acer-aohappy.wb-11.0b9.json"))
    snapshot["components"][0]["actions"][0]["steps"] = []
    [erasure] = read_snapshot(json.dumps(snapshot).encode()).erasures
    assert not erasure.succeeded
