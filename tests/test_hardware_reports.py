"""`read_report` against the real hardware fixtures, with expectations written by hand.

Every value in `EXPECTED` below was written by hand, by reading the fixture files under
shared/fixtures/hardware/ with a text viewer and applying the rules of the module docstring of
`reemploi.workshop.hardware`; no code was run on the files to produce them. A comment next to each
value that is not obvious names the line of the file it comes from ("l.412" is line 412, counted
from 1). A fixture added to the folders without a hand-written expectation here makes the tests fail.

The fixtures live beside the repository (`../shared/fixtures/hardware` from the repository root), or
where the environment variable REEMPLOI_FIXTURES points (the folder that holds dmi/, smart/, lshw/).
When that folder is missing the tests are skipped, except under CI (CI=true), where they fail.

The inline snippets of the last tests copy the layout of real `dmidecode`, `smartctl -x`,
`smartctl -a` and `lshw -json` output; their values are made up.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

from reemploi.rules.windows11 import NO_TPM
from reemploi.workshop.hardware import Battery, Drive, MemoryModule, Report, System, UnreadableReport, read_report

FIXTURES = Path(
    os.environ.get("REEMPLOI_FIXTURES") or Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "hardware"
)
# Sub-folders of FIXTURES that hold other things than reports for `read_report` (SOURCES.md plans
# nwipe logs there); every other sub-folder's files are reports and need an entry in EXPECTED.
NOT_REPORTS = frozenset({"erasure"})

T480 = "dmi/dmidecode-Lenovo-ThinkPad_T480_20L5CTO1WW-035D95A3446F.txt"
SEAGATE = "smart/hdd-Seagate-ST500LM021-1KJ152-01351B9BF986.txt"
LSHW_VM = "lshw/lshw-virtual-machine.json"


# --- the fixtures, by hand ----------------------------------------------------------------------------------------

EXPECTED: dict[str, Report] = {
    # --- dmidecode ---
    "dmi/dmidecode-Dell-Latitude_7490-0081F5FB08F5.txt": Report(
        kind="dmidecode",
        system=System(
            manufacturer="Dell Inc.",  # l.41
            product="Latitude 7490",  # l.42
            serial=None,  # l.44 "Serial Number: --"
            sku="081C",  # l.47 "SKU Number: 081C"
        ),
        cpu="Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz",  # l.700
        memory_mb=16384,  # 8192 + 8192
        memory_modules=[
            MemoryModule(size_mb=8192, kind="DDR4", speed_mts=2400, locator="DIMM A"),  # l.565 "8 GB", l.568-572
            MemoryModule(size_mb=8192, kind="DDR4", speed_mts=2400, locator="DIMM B"),  # l.589 "8 GB", l.592-596
        ],
        batteries=[
            # l.752 "Manufacturer: SMP", l.755 "Name: DELL DM3WC64", l.756 "Design Capacity: 60000 mWh"
            Battery(design_capacity_mwh=60000, full_capacity_mwh=None, name="DELL DM3WC64", manufacturer="SMP"),
        ],
        drives=[],
        tool_version="dmidecode 3.3",  # l.1
        tpm="2.0",  # l.766 "Specification Version: 2.0" (TPM Device, SMBIOS 3.1.0 l.3)
        uefi=True,  # l.36 "UEFI is supported"
    ),
    "dmi/dmidecode-Dell-OptiPlex_7010-0140AED172E1.txt": Report(
        kind="dmidecode",
        system=System(
            manufacturer="Dell Inc.",  # l.130
            product="OptiPlex 7010",  # l.131
            serial=None,  # l.133 "Serial Number: --"
            sku="OptiPlex 7010",  # l.136 "SKU Number: OptiPlex 7010" (same text as the product)
        ),
        cpu="Intel(R) Core(TM) i5-3570 CPU @ 3.40GHz",  # l.209
        memory_mb=8192,  # 4 x 2048
        memory_modules=[  # file order, not slot order
            MemoryModule(size_mb=2048, kind="DDR3", speed_mts=1333, locator="DIMM3"),  # l.589 "2048 MB", l.592-596
            MemoryModule(size_mb=2048, kind="DDR3", speed_mts=1333, locator="DIMM1"),  # l.610, l.613-617
            MemoryModule(size_mb=2048, kind="DDR3", speed_mts=1333, locator="DIMM4"),  # l.631, l.634-638
            MemoryModule(size_mb=2048, kind="DDR3", speed_mts=1333, locator="DIMM2"),  # l.652, l.655-659
        ],
        batteries=[],  # desktop: no "Portable Battery" block
        drives=[],
        tool_version="dmidecode 3.2",  # l.1
        uefi=True,  # l.125 "UEFI is supported"; tpm None: SMBIOS 2.7 (l.3), before type 43
    ),
    "dmi/dmidecode-Fujitsu-LIFEBOOK_E752-12743552CDF4.txt": Report(
        kind="dmidecode",
        system=System(
            manufacturer="FUJITSU",  # l.246
            product="LIFEBOOK E752",  # l.247
            serial=None,  # l.249 "Serial Number: --"
            sku=None,  # l.252 "SKU Number:  " (blank)
        ),
        cpu="Intel(R) Core(TM) i7-3520M CPU @ 2.90GHz",  # l.44
        memory_mb=8192,
        memory_modules=[
            MemoryModule(size_mb=4096, kind="DDR3", speed_mts=1600, locator="DIMM1"),  # l.150 "4 GB", l.153-157
            MemoryModule(size_mb=4096, kind="DDR3", speed_mts=1600, locator="DIMM2"),  # l.181 "4 GB", l.184-188
        ],
        batteries=[
            # l.338 "Manufacturer: FUJITSU", l.341 "Name: CP556150-03", l.343 "Design Capacity: 72360 mWh"
            Battery(design_capacity_mwh=72360, full_capacity_mwh=None, name="CP556150-03", manufacturer="FUJITSU"),
            # l.352, l.355 "Name: CP384590-02", l.357 "Design Capacity: 41040 mWh"
            Battery(design_capacity_mwh=41040, full_capacity_mwh=None, name="CP384590-02", manufacturer="FUJITSU"),
        ],
        drives=[],
        tool_version="dmidecode 3.3",  # l.1
    ),
    "dmi/dmidecode-HP-EliteBook_840_G3-0080BCE5DCC2.txt": Report(
        kind="dmidecode",
        system=System(
            manufacturer="HP",  # l.181
            product="HP EliteBook 840 G3",  # l.182
            serial=None,  # l.184 "Serial Number: --"
            sku="L3C65AV",  # l.187
        ),
        cpu="Intel(R) Core(TM) i5-6300U CPU @ 2.40GHz",  # l.108
        memory_mb=16384,
        memory_modules=[
            # l.311 "Size: 8192 MB", l.314 locator, l.316 "Type: DDR4", l.318 "Speed: 2133 MT/s"
            MemoryModule(size_mb=8192, kind="DDR4", speed_mts=2133, locator="Bottom-Slot 1(left)"),
            # l.335, l.338, l.340, l.342
            MemoryModule(size_mb=8192, kind="DDR4", speed_mts=2133, locator="Bottom-Slot 2(right)"),
        ],
        batteries=[
            # l.375 "Manufacturer: 333-1C-2F", l.376 "Name: CS03046XL", l.377 "Design Capacity: 4080 mWh" (sic)
            Battery(design_capacity_mwh=4080, full_capacity_mwh=None, name="CS03046XL", manufacturer="333-1C-2F"),
        ],
        drives=[],
        tool_version="dmidecode 3.2",  # l.1
        uefi=True,  # l.175 "UEFI is supported"; tpm None: SMBIOS 2.7 (l.3)
    ),
    "dmi/dmidecode-HP-ProDesk_600_G1_SFF-0773DB3FEB67.txt": Report(
        kind="dmidecode",
        system=System(
            manufacturer="Hewlett-Packard",  # l.37
            product="HP ProDesk 600 G1 SFF",  # l.38
            serial=None,  # l.40 "Serial Number: --"
            sku="J4U97ES#ABE",  # l.43
        ),
        cpu="Intel(R) Core(TM) i5-4590 CPU @ 3.30GHz",  # l.150
        memory_mb=8192,
        memory_modules=[
            # l.232 DIMM4 "Size: No Module Installed": skipped
            MemoryModule(size_mb=4096, kind="DDR3", speed_mts=1600, locator="DIMM3"),  # l.253 "4 GB", l.256-260
            # l.285 DIMM2 "Size: No Module Installed": skipped
            MemoryModule(size_mb=4096, kind="DDR3", speed_mts=1600, locator="DIMM1"),  # l.306 "4 GB", l.309-313
        ],
        batteries=[],  # desktop; l.357 "System Power Supply" is not a Portable Battery
        drives=[],
        tool_version="dmidecode 3.3",  # l.1
        uefi=True,  # l.32 "UEFI is supported"; tpm None: SMBIOS 2.7 (l.3)
    ),
    T480: Report(
        kind="dmidecode",
        system=System(
            manufacturer="LENOVO",  # l.232
            product="20L5CTO1WW",  # l.233 (the model name "ThinkPad T480" is the Version, l.234)
            serial=None,  # l.235 "Serial Number: --"
            sku="LENOVO_MT_20L5_BU_Think_FM_ThinkPad T480",  # l.238
        ),
        cpu="Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz",  # l.176
        memory_mb=32768,
        memory_modules=[
            MemoryModule(size_mb=16384, kind="DDR4", speed_mts=2400, locator="ChannelA-DIMM0"),  # l.41 "16 GB", l.44-48
            MemoryModule(size_mb=16384, kind="DDR4", speed_mts=2400, locator="ChannelB-DIMM0"),  # l.65 "16 GB", l.68-72
        ],
        batteries=[
            # l.392 "Manufacturer: SMP", l.393 "Name: 01AV421", l.394 "Design Capacity: 24000 mWh"
            Battery(design_capacity_mwh=24000, full_capacity_mwh=None, name="01AV421", manufacturer="SMP"),
            # l.406 "Manufacturer: Celxpert", l.407 "Name: 01AV424", l.408 "Design Capacity: 24050 mWh"
            Battery(design_capacity_mwh=24050, full_capacity_mwh=None, name="01AV424", manufacturer="Celxpert"),
        ],
        drives=[],
        tool_version="dmidecode 3.5",  # l.1
        uefi=True,  # l.226 "UEFI is supported"; tpm None: SMBIOS 3.0.0 (l.3) without a TPM record cannot tell
    ),
    # --- smartctl text ---
    "smart/hdd-HGST-HTS725050A7E630-0149ECE2B509.txt": Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="HGST HTS725050A7E630",  # l.6
                serial=None,  # l.7 "Serial Number:    --"
                capacity_bytes=500107862016,  # l.10 "500,107,862,016 bytes [500 GB]"
                kind="hdd",  # l.12 "Rotation Rate:    7200 rpm"
                health_passed=True,  # l.29
                power_on_hours=68841,  # l.73
                reallocated_sectors=0,  # l.70
                pending_sectors=0,  # l.81
                uncorrectable=0,  # l.82 attribute 198 raw 0; no 187; l.233 Device Statistics "not supported"
                nvme_percentage_used=None,
            )
        ],
        tool_version="smartctl 7.4",  # l.1
    ),
    SEAGATE: Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="ST500LM021-1KJ152",  # l.6
                serial=None,  # l.7 "--"
                capacity_bytes=500107862016,  # l.10
                kind="hdd",  # l.12 "7200 rpm"
                health_passed=True,  # l.29
                power_on_hours=11392,  # l.73 "11392 (81 69 0)"
                reallocated_sectors=0,  # l.71
                pending_sectors=0,  # l.86
                uncorrectable=0,  # l.77 (187) 0, l.87 (198) 0; l.163 Device Statistics "not supported"
                nvme_percentage_used=None,
            )
        ],
        tool_version="smartctl 7.4",  # l.1
    ),
    "smart/hdd-Toshiba-MQ01ABF050-041D7843D883.txt": Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="TOSHIBA MQ01ABF050",  # l.3
                serial=None,  # l.4 "--"
                capacity_bytes=500107862016,  # l.7
                kind="hdd",  # l.9 "5400 rpm"
                health_passed=True,  # l.25 PASSED, although the drive is failing
                power_on_hours=8051,  # l.64
                reallocated_sectors=568,  # l.63
                pending_sectors=None,  # the table (l.61-75) has no attribute 197
                uncorrectable=191911,  # l.325 Device Statistics; no attribute 187 nor 198
                nvme_percentage_used=None,  # not NVMe (l.345 "Percentage Used Endurance Indicator" 13 ignored)
            )
        ],
        tool_version=None,  # no header: l.1 is "=== START OF INFORMATION SECTION ==="
    ),
    "smart/hdd-WDC-WD5000LPVX-22V0TT0-03D944D4EC30.txt": Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="WDC WD5000LPVX-22V0TT0",  # l.6
                serial=None,  # l.7 "--"
                capacity_bytes=500107862016,  # l.10
                kind="hdd",  # l.12 "5400 rpm"
                health_passed=True,  # l.28
                power_on_hours=11152,  # l.71
                reallocated_sectors=0,  # l.69
                pending_sectors=0,  # l.80
                uncorrectable=0,  # l.81 (198) 0; no 187; l.153 Device Statistics "not supported"
                nvme_percentage_used=None,
            )
        ],
        tool_version="smartctl 7.2",  # l.1
    ),
    "smart/nvme-SKhynix-PC401_NVMe_256GB-34DD424A67DA.txt": Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="PC401 NVMe SK hynix 256GB",  # l.5 "Model Number:"
                serial=None,  # l.6 "--"
                capacity_bytes=256060514304,  # l.13 "Namespace 1 Size/Capacity: 256,060,514,304 [256 GB]"
                kind="nvme",
                health_passed=True,  # l.40
                power_on_hours=736,  # l.54
                reallocated_sectors=None,  # no ATA attributes
                pending_sectors=None,
                uncorrectable=0,  # l.56 "Media and Data Integrity Errors:    0"
                nvme_percentage_used=1,  # l.47 "Percentage Used:                    1%"
            )
        ],
        tool_version="smartctl 7.2",  # l.1
    ),
    "smart/nvme-Samsung-MZVLB256HAHQ-000L7-1465E79EF955.txt": Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="SAMSUNG MZVLB256HAHQ-000L7",  # l.5
                serial=None,  # l.6 "--"
                capacity_bytes=256060514304,  # l.14 Namespace 1 (l.10 Total NVM Capacity is the same)
                kind="nvme",
                health_passed=True,  # l.39
                power_on_hours=339,  # l.53
                reallocated_sectors=None,
                pending_sectors=None,
                uncorrectable=0,  # l.55 (l.56 "Error Information Log Entries: 8,991" is not counted)
                nvme_percentage_used=1,  # l.46
            )
        ],
        tool_version="smartctl 7.1",  # l.1
    ),
    "smart/ssd-Crucial-CT500MX500SSD1-0259EBEFC998.txt": Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="CT500MX500SSD1",  # l.6
                serial=None,  # l.7 "--"
                capacity_bytes=500107862016,  # l.10
                kind="ssd",  # l.12 "Solid State Device"
                health_passed=True,  # l.31
                power_on_hours=105,  # l.71
                reallocated_sectors=0,  # l.70 id 5 named "Reallocate_NAND_Blk_Cnt"
                pending_sectors=0,  # l.83 id 197 named "Current_Pending_ECC_Cnt"
                uncorrectable=0,  # l.80 (187) 0, l.84 (198) 0, l.142 Device Statistics 0
                nvme_percentage_used=None,  # SATA SSD (l.163 "Percentage Used Endurance Indicator" ignored)
            )
        ],
        tool_version="smartctl 7.3",  # l.1
    ),
    "smart/ssd-Kingston-SA400S37240G-00723491AE25.txt": Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="KINGSTON SA400S37240G",  # l.6
                serial=None,  # l.7 "--"
                capacity_bytes=240057409536,  # l.10 "240,057,409,536 bytes [240 GB]"
                kind="ssd",  # l.12
                health_passed=True,  # l.29
                power_on_hours=7932,  # l.63
                reallocated_sectors=None,  # the table (l.62-87) has no attribute 5
                pending_sectors=None,  # ... nor 197
                uncorrectable=0,  # l.75 (187) 0; no 198; Device Statistics (l.121-131) has no uncorrectable line
                nvme_percentage_used=None,
            )
        ],
        tool_version="smartctl 7.2",  # l.1
    ),
    "smart/ssd-SKhynix-SC311_SATA_128GB-03D48198B034.txt": Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="SK hynix SC311 SATA 128GB",  # l.6
                serial=None,  # l.7 "--"
                capacity_bytes=128035676160,  # l.9 "128,035,676,160 bytes [128 GB]"
                kind="ssd",  # l.11
                health_passed=True,  # l.29
                power_on_hours=3716,  # l.68
                reallocated_sectors=0,  # l.67 id 5 named "Retired_Block_Count"
                pending_sectors=None,  # the table (l.66-95) has no attribute 197
                uncorrectable=0,  # l.83 (187) 0, l.88 (198) 0, l.172 Device Statistics 0
                nvme_percentage_used=None,
            )
        ],
        tool_version="smartctl 7.2",  # l.1
    ),
    "smart/ssd-Samsung-SSD_850_EVO_250GB-0049CC539131.txt": Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="Samsung SSD 850 EVO 250GB",  # l.6
                serial=None,  # l.7 "--"
                capacity_bytes=250059350016,  # l.10 "250,059,350,016 bytes [250 GB]"
                kind="ssd",  # l.12
                health_passed=True,  # l.29
                power_on_hours=16060,  # l.67
                reallocated_sectors=0,  # l.66
                pending_sectors=None,  # the table (l.66-79) has no attribute 197
                uncorrectable=0,  # l.74 id 187 named "Uncorrectable_Error_Cnt"; no 198; l.145 "not supported"
                nvme_percentage_used=None,
            )
        ],
        tool_version="smartctl 7.1",  # l.1
    ),
    # --- lshw -json ---
    LSHW_VM: Report(
        kind="lshw-json",
        # The root node (l.1-10) has no vendor, product, serial nor configuration: a System with nothing in it.
        system=System(manufacturer=None, product=None, serial=None, sku=None),
        cpu="Intel(R) Xeon(R) Processor",  # l.30, the first (only) node of class "processor"
        memory_mb=24576,  # l.24 "size" : 25769803776 bytes of the "memory" node, which has no children (l.18-25)
        memory_modules=[],
        batteries=[],
        drives=[],  # l.211-223 the only "disk" node (virtio1) has no "size"
        tool_version=None,
    ),
}


# --- helpers ------------------------------------------------------------------------------------------------------


def _require_fixtures() -> None:
    if FIXTURES.is_dir():
        return
    message = f"hardware fixtures missing at {FIXTURES} (set REEMPLOI_FIXTURES to the folder with dmi/, smart/, lshw/)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _found_fixtures() -> list[str]:
    """The report files in the sub-folders of FIXTURES, as paths relative to it."""
    if not FIXTURES.is_dir():
        return []
    return sorted(
        path.relative_to(FIXTURES).as_posix()
        for folder in FIXTURES.iterdir()
        if folder.is_dir() and folder.name not in NOT_REPORTS and not folder.name.startswith(".")
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith(".") and path.suffix != ".md"
    )


def _fixture_params() -> list[object]:
    found = _found_fixtures()
    if found:
        return list(found)
    # Keep one test when the folder is missing, so that it skips (or fails under CI) with a clear message.
    return [pytest.param(None, id="fixtures-missing")]


def _fixture(name: str) -> bytes:
    _require_fixtures()
    return (FIXTURES / name).read_bytes()


def _differences(actual: object, expected: object, path: str) -> list[str]:
    """Field-by-field differences, with the path of each ("report.drives[0].pending_sectors")."""
    if is_dataclass(expected) and not isinstance(expected, type):
        if type(actual) is not type(expected):
            return [f"{path}: got {actual!r}, expected a {type(expected).__name__}"]
        found: list[str] = []
        for item in fields(expected):
            found += _differences(getattr(actual, item.name), getattr(expected, item.name), f"{path}.{item.name}")
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: got {actual!r}, expected a list"]
        found = []
        if len(actual) != len(expected):
            found.append(f"{path}: got {len(actual)} items, expected {len(expected)}: {actual!r}")
        for index, (got, wanted) in enumerate(zip(actual, expected, strict=False)):
            found += _differences(got, wanted, f"{path}[{index}]")
        return found
    if type(actual) is not type(expected) or actual != expected:
        return [f"{path}: got {actual!r}, expected {expected!r}"]
    return []


def _assert_report(actual: Report, expected: Report, label: str) -> None:
    differences = _differences(actual, expected, "report")
    assert not differences, f"{label}:\n  " + "\n  ".join(differences)
    assert actual == expected


def _names_file(error: UnreadableReport, filename: str) -> bool:
    return filename in str(error) or filename in str(getattr(error, "detail", ""))


# --- test 1 and 2: the fixtures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", _fixture_params())
def test_fixture_reads_as_written_by_hand(name: str | None) -> None:
    _require_fixtures()
    assert name is not None
    assert name in EXPECTED, f"{name}: a fixture without a hand-written expectation in EXPECTED"
    report = read_report(name, (FIXTURES / name).read_bytes())
    _assert_report(report, EXPECTED[name], name)


def test_every_fixture_has_an_expectation_and_every_expectation_a_fixture() -> None:
    _require_fixtures()
    found = set(_found_fixtures())
    assert not found - EXPECTED.keys(), f"fixtures without an expectation: {sorted(found - EXPECTED.keys())}"
    assert not EXPECTED.keys() - found, f"expectations without a fixture: {sorted(EXPECTED.keys() - found)}"


# --- test 3: what cannot be read ----------------------------------------------------------------------------------


def _cut_before(name: str, marker: bytes) -> bytes:
    content = _fixture(name)
    assert marker in content, f"{name} has no {marker!r}"
    return content[: content.index(marker)]


def _first_lines(name: str, count: int) -> bytes:
    return b"".join(_fixture(name).splitlines(keepends=True)[:count])


def _first_half(name: str) -> bytes:
    content = _fixture(name)
    return content[: len(content) // 2]


UNREADABLE: list[object] = [
    pytest.param("empty-report.txt", lambda: b"", id="empty"),
    pytest.param("random-bytes.bin", lambda: b"\x00\xff" * 100, id="binary"),
    pytest.param("hello.json", lambda: b'{"hello": 1}', id="json-neither-smartctl-nor-lshw"),
    pytest.param("lshw-cut-in-half.json", lambda: _first_half(LSHW_VM), id="lshw-json-cut-in-half"),
    # "# dmidecode 3.5", "Getting SMBIOS data from sysfs.", "SMBIOS 3.0.0 present.", "Table at 0x8F030000."
    pytest.param("dmidecode-header-only.txt", lambda: _first_lines(T480, 4), id="dmidecode-header-only"),
    # "smartctl 7.4 ...", the copyright line and a blank line: nothing about any drive.
    pytest.param(
        "smartctl-header-only.txt", lambda: _cut_before(SEAGATE, b"=== START OF"), id="smartctl-before-information"
    ),
]


@pytest.mark.parametrize(("filename", "make_content"), UNREADABLE)
def test_unreadable_input_is_refused_naming_the_file(filename: str, make_content: Callable[[], bytes]) -> None:
    content = make_content()
    with pytest.raises(UnreadableReport) as caught:
        read_report(filename, content)
    assert _names_file(caught.value, filename), f"the message does not name {filename!r}: {caught.value}"


def test_truncated_lshw_is_really_broken_json() -> None:
    """Guards the case above: half of the lshw fixture must not be valid JSON by accident."""
    with pytest.raises(json.JSONDecodeError):
        json.loads(_first_half(LSHW_VM))


def test_utf16_dmidecode_is_read_or_refused_never_crashes() -> None:
    filename = "dmidecode-utf16.txt"
    content = _fixture(T480).decode("ascii").encode("utf-16")  # with a byte-order mark, as Windows tools write it
    try:
        report = read_report(filename, content)
    except UnreadableReport as error:
        assert _names_file(error, filename), f"the message does not name {filename!r}: {error}"
    else:
        # Read, then read right: the same report as the UTF-8 original.
        _assert_report(report, EXPECTED[T480], f"{filename} (UTF-16 of {T480})")


# --- test 4: the normalisation rules on small snippets ------------------------------------------------------------

DMI_HEADER = "# dmidecode 3.4\nGetting SMBIOS data from sysfs.\nSMBIOS 3.2.0 present.\nTable at 0x000E8000.\n\n"


def _gigabyte_system(serial: str) -> str:
    return (
        "Handle 0x0001, DMI type 1, 27 bytes\n"
        "System Information\n"
        "\tManufacturer: Gigabyte Technology Co., Ltd.\n"
        "\tProduct Name: B450M DS3H\n"
        "\tVersion: Default string\n"
        f"\tSerial Number: {serial}\n"
        "\tUUID: 03c00218-044d-05a0-1e06-c40700080009\n"
        "\tWake-up Type: Power Switch\n"
        "\tSKU Number: Default string\n"
        "\tFamily: Default string\n"
        "\n"
    )


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        ("To Be Filled By O.E.M.", None),
        ("To be filled by O.E.M.", None),  # another case
        ("TO BE FILLED BY O.E.M.", None),
        ("System Serial Number", None),
        ("Default string", None),
        ("  Not Specified  ", None),  # stripped first
        ("0", None),
        ("--", None),
        ("", None),  # "Serial Number: " with nothing after
        ("0123456789", "0123456789"),  # only "123456789" is a placeholder: no substring matching
        ("  MXL4071ABC  ", "MXL4071ABC"),
    ],
)
def test_dmidecode_system_placeholders_become_none(serial: str, expected: str | None) -> None:
    report = read_report("placeholders.txt", (DMI_HEADER + _gigabyte_system(serial)).encode())
    assert report.kind == "dmidecode"
    assert report.system == System(
        manufacturer="Gigabyte Technology Co., Ltd.", product="B450M DS3H", serial=expected, sku=None
    )


DMI_DUAL_SOCKET = (
    "# dmidecode 3.2\n"
    "Getting SMBIOS data from sysfs.\n"
    "SMBIOS 2.6 present.\n"
    "Table at 0xCF79C000.\n"
    "\n"
    "Handle 0x0100, DMI type 1, 27 bytes\n"
    "System Information\n"
    "\tManufacturer: Dell Inc.\n"
    "\tProduct Name: PowerEdge R410\n"
    "\tVersion: Not Specified\n"
    "\tSerial Number: 7XJ2Z4J\n"
    "\tUUID: 4c4c4544-0058-4a10-8032-b7c04f5a344a\n"
    "\tWake-up Type: Power Switch\n"
    "\tSKU Number: Not Specified\n"
    "\tFamily: Not Specified\n"
    "\n"
    "Handle 0x0400, DMI type 4, 40 bytes\n"
    "Processor Information\n"
    "\tSocket Designation: CPU1\n"
    "\tType: Central Processor\n"
    "\tFamily: Xeon\n"
    "\tManufacturer: Intel\n"
    "\tID: C2 06 02 00 FF FB EB BF\n"
    "\tSignature: Type 0, Family 6, Model 44, Stepping 2\n"
    "\tFlags:\n"
    "\t\tFPU (Floating-point unit on-chip)\n"
    "\t\tVME (Virtual mode extension)\n"
    "\tVersion: Intel(R) Xeon(R) CPU           E5620  @ 2.40GHz\n"
    "\tVoltage: 1.2 V\n"
    "\tExternal Clock: 5860 MHz\n"
    "\tMax Speed: 3600 MHz\n"
    "\tCurrent Speed: 2400 MHz\n"
    "\tStatus: Populated, Enabled\n"
    "\tUpgrade: Socket LGA1366\n"
    "\tCore Count: 4\n"
    "\tCore Enabled: 4\n"
    "\tThread Count: 8\n"
    "\tCharacteristics:\n"
    "\t\t64-bit capable\n"
    "\n"
    "Handle 0x0401, DMI type 4, 40 bytes\n"
    "Processor Information\n"
    "\tSocket Designation: CPU2\n"
    "\tType: Central Processor\n"
    "\tFamily: Xeon\n"
    "\tManufacturer: Not Specified\n"
    "\tID: 00 00 00 00 00 00 00 00\n"
    "\tVersion: Not Specified\n"
    "\tVoltage: 1.2 V\n"
    "\tExternal Clock: 5860 MHz\n"
    "\tMax Speed: 3600 MHz\n"
    "\tCurrent Speed: Unknown\n"
    "\tStatus: Unpopulated\n"
    "\tUpgrade: Socket LGA1366\n"
    "\n"
    "Handle 0x7F00, DMI type 127, 4 bytes\n"
    "End Of Table\n"
)


def test_dmidecode_cpu_is_the_first_processor_with_whitespace_collapsed() -> None:
    report = read_report("poweredge.txt", DMI_DUAL_SOCKET.encode())
    assert report.cpu == "Intel(R) Xeon(R) CPU E5620 @ 2.40GHz"
    assert report.system == System(manufacturer="Dell Inc.", product="PowerEdge R410", serial="7XJ2Z4J", sku=None)
    assert report.tool_version == "dmidecode 3.2"


def _memory_device(handle: str, size: str, locator: str, kind: str, speed: str) -> str:
    """A "Memory Device" block as dmidecode 3.1 prints it ("8192 MB", "2400 MHz")."""
    return (
        f"Handle {handle}, DMI type 17, 40 bytes\n"
        "Memory Device\n"
        "\tArray Handle: 0x0041\n"
        "\tError Information Handle: Not Provided\n"
        "\tTotal Width: 64 bits\n"
        "\tData Width: 64 bits\n"
        f"\tSize: {size}\n"
        "\tForm Factor: DIMM\n"
        "\tSet: None\n"
        f"\tLocator: {locator}\n"
        "\tBank Locator: BANK 0\n"
        f"\tType: {kind}\n"
        "\tType Detail: Synchronous\n"
        f"\tSpeed: {speed}\n"
        "\tManufacturer: Kingston\n"
        "\tSerial Number: 1A2B3C4D\n"
        "\tAsset Tag: 9876543210\n"
        "\tPart Number: 99U5663-004.A00G    \n"
        "\tRank: 2\n"
        f"\tConfigured Clock Speed: {speed}\n"
        "\n"
    )


LENOVO_SYSTEM = (
    "Handle 0x0001, DMI type 1, 27 bytes\n"
    "System Information\n"
    "\tManufacturer: LENOVO\n"
    "\tProduct Name: 10SRS0DL00\n"
    "\tVersion: ThinkCentre M920t\n"
    "\tSerial Number: MJ0ABCDE\n"
    "\tUUID: 2e5c1f00-d6b1-11e8-9c5c-12345678abcd\n"
    "\tWake-up Type: Power Switch\n"
    "\tSKU Number: LENOVO_MT_10SR_BU_Think_FM_ThinkCentre M920t\n"
    "\tFamily: ThinkCentre M920t\n"
    "\n"
)


def test_dmidecode_memory_sizes_and_empty_slots() -> None:
    text = (
        "# dmidecode 3.1\nGetting SMBIOS data from sysfs.\nSMBIOS 3.2.0 present.\nTable at 0x8C4C6000.\n\n"
        + LENOVO_SYSTEM
        + _memory_device("0x0042", "8192 MB", "ChannelA-DIMM0", "DDR4", "2400 MHz")
        + _memory_device("0x0043", "No Module Installed", "ChannelA-DIMM1", "Unknown", "Unknown")
        + _memory_device("0x0044", "16384 MB", "ChannelB-DIMM0", "DDR4", "2666 MT/s")
        + _memory_device("0x0045", "No Module Installed", "ChannelB-DIMM1", "Unknown", "Unknown")
    )
    expected = Report(
        kind="dmidecode",
        system=System(
            manufacturer="LENOVO",
            product="10SRS0DL00",
            serial="MJ0ABCDE",
            sku="LENOVO_MT_10SR_BU_Think_FM_ThinkCentre M920t",
        ),
        cpu=None,  # no "Processor Information" block
        memory_mb=24576,
        memory_modules=[
            MemoryModule(size_mb=8192, kind="DDR4", speed_mts=2400, locator="ChannelA-DIMM0"),
            MemoryModule(size_mb=16384, kind="DDR4", speed_mts=2666, locator="ChannelB-DIMM0"),
        ],
        batteries=[],
        drives=[],
        tool_version="dmidecode 3.1",
        tpm=NO_TPM,  # "SMBIOS 3.2.0 present" and no TPM Device record; no BIOS Information: uefi None
    )
    _assert_report(read_report("thinkcentre.txt", text.encode()), expected, "thinkcentre.txt")


def test_dmidecode_memory_units_and_unknowns_of_the_spec() -> None:
    text = (
        "# dmidecode 2.12\n"
        "SMBIOS 2.4 present.\n"
        "11 structures occupying 508 bytes.\n"
        "Table at 0x000F0A40.\n"
        "\n"
        "Handle 0x0100, DMI type 1, 27 bytes\n"
        "System Information\n"
        "\tManufacturer: QEMU\n"
        "\tProduct Name: Standard PC (i440FX + PIIX, 1996)\n"
        "\tVersion: pc-i440fx-2.8\n"
        "\tSerial Number: Not Specified\n"
        "\tUUID: 6E5A4D2C-1B3A-4C5D-8E9F-0A1B2C3D4E5F\n"
        "\tWake-up Type: Power Switch\n"
        "\tSKU Number: Not Specified\n"
        "\tFamily: Not Specified\n"
        "\n"
        + _memory_device("0x1100", "16384 kB", "DIMM 0", "Other", "Unknown")
        + _memory_device("0x1101", "0 MB", "DIMM 1", "Other", "Unknown")
        + _memory_device("0x1102", "Unknown", "DIMM 2", "Unknown", "Unknown")
        + _memory_device("0x1103", "Not Installed", "DIMM 3", "Unknown", "Unknown")
    )
    expected = Report(
        kind="dmidecode",
        system=System(manufacturer="QEMU", product="Standard PC (i440FX + PIIX, 1996)", serial=None, sku=None),
        cpu=None,
        memory_mb=16,
        memory_modules=[MemoryModule(size_mb=16, kind=None, speed_mts=None, locator="DIMM 0")],  # "16384 kB" → 16
        batteries=[],
        drives=[],
        tool_version="dmidecode 2.12",
    )
    _assert_report(read_report("qemu.txt", text.encode()), expected, "qemu.txt")


def test_dmidecode_batteries_and_no_memory() -> None:
    text = (
        "# dmidecode 3.3\nGetting SMBIOS data from sysfs.\nSMBIOS 2.8 present.\nTable at 0xDAE9C000.\n\n"
        "Handle 0x0001, DMI type 1, 27 bytes\n"
        "System Information\n"
        "\tManufacturer: Acer\n"
        "\tProduct Name: Aspire E5-571G\n"
        "\tVersion: V1.15\n"
        "\tSerial Number: NXMLCEG00145101CF07600\n"
        "\tUUID: 4c2a7d1e-3b5f-e411-8d8c-1c3e84a1b2c3\n"
        "\tWake-up Type: Power Switch\n"
        "\tSKU Number: Aspire E5-571G_0895_V1.15\n"
        "\tFamily: BDW\n"
        "\n"
        "Handle 0x0020, DMI type 22, 26 bytes\n"
        "Portable Battery\n"
        "\tLocation: Rear\n"
        "\tManufacturer: SANYO\n"
        "\tName: AL14A32\n"
        "\tDesign Capacity: 37000 mWh\n"
        "\tDesign Voltage: 11100 mV\n"
        "\tSBDS Version: 1.1\n"
        "\tMaximum Error: Unknown\n"
        "\tSBDS Serial Number: 0123\n"
        "\tSBDS Manufacture Date: 2015-01-20\n"
        "\tSBDS Chemistry: LION\n"
        "\tOEM-specific Information: 0x00000000\n"
        "\n"
        "Handle 0x0021, DMI type 22, 26 bytes\n"
        "Portable Battery\n"
        "\tLocation: Not Specified\n"
        "\tManufacturer: OEM\n"
        "\tName: Not Specified\n"
        "\tDesign Capacity: Unknown\n"
        "\tDesign Voltage: Unknown\n"
        "\tSBDS Version: Not Specified\n"
        "\tMaximum Error: Unknown\n"
        "\tSBDS Chemistry: Unknown\n"
        "\tOEM-specific Information: 0x00000000\n"
        "\n"
    )
    expected = Report(
        kind="dmidecode",
        system=System(
            manufacturer="Acer",
            product="Aspire E5-571G",
            serial="NXMLCEG00145101CF07600",
            sku="Aspire E5-571G_0895_V1.15",
        ),
        cpu=None,
        memory_mb=None,  # dmidecode without a Memory Device: None, not 0
        memory_modules=[],
        batteries=[
            Battery(design_capacity_mwh=37000, full_capacity_mwh=None, name="AL14A32", manufacturer="SANYO"),
            Battery(design_capacity_mwh=None, full_capacity_mwh=None, name=None, manufacturer=None),
        ],
        drives=[],
        tool_version="dmidecode 3.3",
    )
    _assert_report(read_report("aspire.txt", text.encode()), expected, "aspire.txt")


# `smartctl -x` layout (FLAGS ... FAIL RAW_VALUE), digits grouped with U+00A0 as a ru_RU machine prints them.
SMARTCTL_X_FAILING = """\
smartctl 7.3 2022-02-28 r5338 [x86_64-linux-6.1.0-13-amd64] (local build)
Copyright (C) 2002-22, Bruce Allen, Christian Franke, www.smartmontools.org

=== START OF INFORMATION SECTION ===
Model Family:     Seagate Barracuda 7200.14 (AF)
Device Model:     ST500DM002-1BD142
Serial Number:    Z3T9ABCD
LU WWN Device Id: 5 000c50 0a1b2c3d4
Firmware Version: KC45
User Capacity:    500\u00a0107\u00a0862\u00a0016 bytes [500 GB]
Sector Sizes:     512 bytes logical, 4096 bytes physical
Rotation Rate:    7200 rpm
Form Factor:      3.5 inches
Device is:        In smartctl database 7.3/5319
ATA Version is:   ATA8-ACS T13/1699-D revision 4
SATA Version is:  SATA 3.0, 6.0 Gb/s (current: 6.0 Gb/s)
Local Time is:    Mon Nov 27 10:12:03 2023 MSK
SMART support is: Available - device has SMART capability.
SMART support is: Enabled

=== START OF READ SMART DATA SECTION ===
SMART overall-health self-assessment test result: FAILED!
Drive failure expected in less than 24 hours. SAVE ALL DATA.
See vendor-specific Attribute list for failed Attributes.

SMART Attributes Data Structure revision number: 10
Vendor Specific SMART Attributes with Thresholds:
ID# ATTRIBUTE_NAME          FLAGS    VALUE WORST THRESH FAIL RAW_VALUE
  1 Raw_Read_Error_Rate     POSR--   095   084   006    -    187423528
  5 Reallocated_Sector_Ct   PO--CK   001   001   036    NOW  4088
  9 Power_On_Hours_and_Msec -O--CK   099   099   000    -    1234h+05m+06.789s
 12 Power_Cycle_Count       -O--CK   099   099   020    -    1502
187 Reported_Uncorrect      -O--CK   001   001   000    -    1472
197 Current_Pending_Sector  -O--C-   095   095   000    -    936
198 Offline_Uncorrectable   ----C-   095   095   000    -    936
                            ||||||_ K auto-keep
                            |||||__ C event count
                            ||||___ R error rate
                            |||____ S speed/performance
                            ||_____ O updated online
                            |______ P prefailure warning

Device Statistics (GP Log 0x04)
Page  Offset Size        Value Flags Description
0x04  =====  =               =  ===  == General Errors Statistics (rev 1) ==
0x04  0x008  4            1480  ---  Number of Reported Uncorrectable Errors
0x04  0x010  4               0  ---  Resets Between Cmd Acceptance and Completion
                                |||_ C monitored condition met
                                ||__ D supports DSN
                                |___ N normalized value
"""


def test_smartctl_x_layout_grouped_capacity_failed_health_and_hms_power_on_hours() -> None:
    expected = Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="ST500DM002-1BD142",
                serial="Z3T9ABCD",
                capacity_bytes=500107862016,  # "500\u00a0107\u00a0862\u00a0016 bytes"
                kind="hdd",
                health_passed=False,  # "FAILED!"
                power_on_hours=1234,  # "1234h+05m+06.789s"
                reallocated_sectors=4088,
                pending_sectors=936,
                uncorrectable=1480,  # largest of 1472 (187), 936 (198) and 1480 (Device Statistics)
                nvme_percentage_used=None,
                wwn="naa.5000c500a1b2c3d4",  # "LU WWN Device Id: 5 000c50 0a1b2c3d4"
            )
        ],
        tool_version="smartctl 7.3",
    )
    report = read_report("sda-failing.txt", SMARTCTL_X_FAILING.encode("utf-8"))
    _assert_report(report, expected, "sda-failing.txt")


# `smartctl -a` layout (FLAG ... TYPE UPDATED WHEN_FAILED RAW_VALUE), digits grouped with "." as de_DE prints them.
SMARTCTL_A_SSD = """\
smartctl 6.6 2017-11-05 r4594 [x86_64-linux-4.19.0-6-amd64] (local build)
Copyright (C) 2002-17, Bruce Allen, Christian Franke, www.smartmontools.org

=== START OF INFORMATION SECTION ===
Model Family:     Crucial/Micron RealSSD m4/C400/P400
Device Model:     M4-CT128M4SSD2
Serial Number:    00000000123409ABCDEF
LU WWN Device Id: 5 00a075 109abcdef
Firmware Version: 070H
User Capacity:    128.035.676.160 bytes [128 GB]
Sector Size:      512 bytes logical/physical
Rotation Rate:    Solid State Device
Form Factor:      2.5 inches
Device is:        In smartctl database [for details use: -P show]
ATA Version is:   ACS-2, ATA8-ACS T13/1699-D revision 6
SATA Version is:  SATA 3.0, 6.0 Gb/s (current: 6.0 Gb/s)
Local Time is:    Sat Mar 14 16:20:11 2020 CET
SMART support is: Available - device has SMART capability.
SMART support is: Enabled

=== START OF READ SMART DATA SECTION ===
SMART overall-health self-assessment test result: PASSED

General SMART Values:
Offline data collection status:  (0x80)\tOffline data collection activity
\t\t\t\t\twas never started.
\t\t\t\t\tAuto Offline Data Collection: Enabled.

SMART Attributes Data Structure revision number: 16
Vendor Specific SMART Attributes with Thresholds:
ID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE
  1 Raw_Read_Error_Rate     0x002f   100   100   050    Pre-fail  Always       -       0
  5 Reallocated_Sector_Ct   0x0033   100   100   010    Pre-fail  Always       -       2
  9 Power_On_Hours          0x0032   100   100   001    Old_age   Always       -       21877
 12 Power_Cycle_Count       0x0032   100   100   001    Old_age   Always       -       3265
170 Grown_Failing_Block_Ct  0x0033   100   100   010    Pre-fail  Always       -       0
171 Program_Fail_Count      0x0032   100   100   001    Old_age   Always       -       0
172 Erase_Fail_Count        0x0032   100   100   001    Old_age   Always       -       0
173 Wear_Leveling_Count     0x0033   086   086   010    Pre-fail  Always       -       433
174 Unexpect_Power_Loss_Ct  0x0032   100   100   001    Old_age   Always       -       181
181 Non4k_Aligned_Access    0x0022   100   100   001    Old_age   Always       -       41 6 35
183 SATA_Iface_Downshift    0x0032   100   100   001    Old_age   Always       -       0
184 End-to-End_Error        0x0033   100   100   050    Pre-fail  Always       -       0
187 Reported_Uncorrect      0x0032   100   100   001    Old_age   Always       -       12
188 Command_Timeout         0x0032   100   100   001    Old_age   Always       -       0
189 Factory_Bad_Block_Ct    0x000e   100   100   001    Old_age   Always       -       72
194 Temperature_Celsius     0x0022   100   100   000    Old_age   Always       -       0
195 Hardware_ECC_Recovered  0x003a   100   100   001    Old_age   Always       -       0
196 Reallocated_Event_Count 0x0032   100   100   001    Old_age   Always       -       2
197 Current_Pending_Sector  0x0032   100   100   001    Old_age   Always       -       0
198 Offline_Uncorrectable   0x0030   100   100   001    Old_age   Offline      -       0
199 UDMA_CRC_Error_Count    0x0032   100   100   001    Old_age   Always       -       0
202 Perc_Rated_Life_Used    0x0018   086   086   001    Old_age   Offline      -       14
206 Write_Error_Rate        0x000e   100   100   001    Old_age   Always       -       0

SMART Error Log Version: 1
No Errors Logged
"""


def test_smartctl_a_layout_dotted_capacity() -> None:
    expected = Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="M4-CT128M4SSD2",
                serial="00000000123409ABCDEF",
                capacity_bytes=128035676160,  # "128.035.676.160 bytes"
                kind="ssd",
                health_passed=True,
                power_on_hours=21877,
                reallocated_sectors=2,
                pending_sectors=0,
                uncorrectable=12,  # 187 raw 12 beats 198 raw 0
                nvme_percentage_used=None,
                wwn="naa.500a075109abcdef",  # "LU WWN Device Id: 5 00a075 109abcdef"
            )
        ],
        tool_version="smartctl 6.6",
    )
    _assert_report(read_report("m4.txt", SMARTCTL_A_SSD.encode()), expected, "m4.txt")


# An NVMe drive whose report gives "Total NVM Capacity" and no "Namespace 1 Size/Capacity" line.
SMARTCTL_NVME_TOTAL_ONLY = """\
smartctl 7.2 2020-12-30 r5155 [x86_64-linux-5.10.0-8-amd64] (local build)
Copyright (C) 2002-20, Bruce Allen, Christian Franke, www.smartmontools.org

=== START OF INFORMATION SECTION ===
Model Number:                       INTEL SSDPEKNW512G8
Serial Number:                      BTNH90210ABC512A
Firmware Version:                   002C
PCI Vendor/Subsystem ID:            0x8086
IEEE OUI Identifier:                0x5cd2e4
Controller ID:                      1
NVMe Version:                       1.3
Number of Namespaces:               1
Total NVM Capacity:                 512,110,190,592 [512 GB]
Unallocated NVM Capacity:           0
Local Time is:                      Tue Jan 18 09:41:27 2022 CET
Firmware Updates (0x14):            2 Slots, no Reset required
Optional Admin Commands (0x0017):   Security Format Frmw_DL Self_Test
Optional NVM Commands (0x005f):     Comp Wr_Unc DS_Mngmt Wr_Zero Sav/Sel_Feat Timestmp
Log Page Attributes (0x0f):         S/H_per_NS Cmd_Eff_Lg Ext_Get_Lg Telmtry_Lg
Maximum Data Transfer Size:         32 Pages
Warning  Comp. Temp. Threshold:     77 Celsius
Critical Comp. Temp. Threshold:     80 Celsius

Supported Power States
St Op     Max   Active     Idle   RL RT WL WT  Ent_Lat  Ex_Lat
 0 +     6.50W       -        -    0  0  0  0        0       0
 1 +     5.80W       -        -    1  1  1  1        0       0
 2 +     3.60W       -        -    2  2  2  2        0       0
 3 -   0.0400W       -        -    3  3  3  3      210    1200
 4 -   0.0050W       -        -    4  4  4  4     2200    8000

=== START OF SMART DATA SECTION ===
SMART overall-health self-assessment test result: PASSED

SMART/Health Information (NVMe Log 0x02)
Critical Warning:                   0x00
Temperature:                        33 Celsius
Available Spare:                    100%
Available Spare Threshold:          10%
Percentage Used:                    3%
Data Units Read:                    20,428,193 [10.4 TB]
Data Units Written:                 18,315,045 [9.37 TB]
Host Read Commands:                 256,981,473
Host Write Commands:                301,518,032
Controller Busy Time:               9,812
Power Cycles:                       2,071
Power On Hours:                     12,345
Unsafe Shutdowns:                   97
Media and Data Integrity Errors:    2
Error Information Log Entries:      0
Warning  Comp. Temperature Time:    0
Critical Comp. Temperature Time:    0

Error Information (NVMe Log 0x01, 16 of 256 entries)
No Errors Logged
"""


def test_smartctl_nvme_total_capacity_and_grouped_power_on_hours() -> None:
    expected = Report(
        kind="smartctl",
        system=None,
        cpu=None,
        memory_mb=None,
        memory_modules=[],
        batteries=[],
        drives=[
            Drive(
                model="INTEL SSDPEKNW512G8",
                serial="BTNH90210ABC512A",
                capacity_bytes=512110190592,  # "Total NVM Capacity: 512,110,190,592 [512 GB]"
                kind="nvme",
                health_passed=True,
                power_on_hours=12345,  # "12,345": smartctl groups NVMe counters like the real "Power Cycles: 1,884"
                reallocated_sectors=None,
                pending_sectors=None,
                uncorrectable=2,
                nvme_percentage_used=3,
            )
        ],
        tool_version="smartctl 7.2",
    )
    _assert_report(read_report("nvme0.txt", SMARTCTL_NVME_TOTAL_ONLY.encode()), expected, "nvme0.txt")


LSHW_WORKSTATION = {
    "id": "z400",
    "class": "system",
    "claimed": True,
    "handle": "DMI:0001",
    "description": "Desktop Computer",
    "product": "HP Z400 Workstation",
    "vendor": "Hewlett-Packard",
    "serial": "CZC1234ABC",
    "width": 64,
    "configuration": {"boot": "normal", "chassis": "desktop", "uuid": "30c3b0e0-4b1a-11e0-9a3b-2c4138abcdef"},
    "capabilities": {"smbios-2.6": "SMBIOS version 2.6", "dmi-2.6": "DMI version 2.6", "vsyscall32": True},
    "children": [
        {
            "id": "core",
            "class": "bus",
            "claimed": True,
            "handle": "DMI:0002",
            "description": "Motherboard",
            "product": "0AE4h",
            "vendor": "Hewlett-Packard",
            "physid": "0",
            "children": [
                {
                    "id": "firmware",
                    "class": "memory",
                    "claimed": True,
                    "description": "BIOS",
                    "vendor": "Hewlett-Packard",
                    "physid": "0",
                    "version": "786G3 v03.61",
                    "date": "03/05/2018",
                    "units": "bytes",
                    "size": 65536,
                    "capacity": 2097152,
                },
                {
                    "id": "cpu",
                    "class": "processor",
                    "claimed": True,
                    "handle": "DMI:0004",
                    "description": "CPU",
                    "product": "Intel(R) Xeon(R) CPU           W3565  @ 3.20GHz",
                    "vendor": "Intel Corp.",
                    "physid": "4",
                    "businfo": "cpu@0",
                    "version": "6.26.5",
                    "slot": "XU1 PROCESSOR",
                    "units": "Hz",
                    "size": 3200000000,
                    "width": 64,
                    "children": [
                        {
                            "id": "cache:0",
                            "class": "memory",
                            "claimed": True,
                            "description": "L1 cache",
                            "physid": "5",
                            "slot": "L1 Cache",
                            "units": "bytes",
                            "size": 262144,
                        },
                    ],
                },
                {
                    "id": "memory",
                    "class": "memory",
                    "claimed": True,
                    "handle": "DMI:0011",
                    "description": "System Memory",
                    "physid": "11",
                    "slot": "System board or motherboard",
                    "units": "bytes",
                    "size": 8589934592,
                    "children": [
                        {
                            "id": "bank:0",
                            "class": "memory",
                            "claimed": True,
                            "description": "DIMM DDR3 Synchronous 1333 MHz (0.8 ns)",
                            "product": "M391B5273CH0-CH9",
                            "vendor": "Samsung",
                            "physid": "0",
                            "serial": "83A1B2C3",
                            "slot": "DIMM1",
                            "units": "bytes",
                            "size": 4294967296,
                            "width": 72,
                            "clock": 1333000000,
                        },
                        {
                            "id": "bank:1",
                            "class": "memory",
                            "claimed": True,
                            "description": "DIMM [empty]",
                            "physid": "1",
                            "slot": "DIMM2",
                        },
                        {
                            "id": "bank:2",
                            "class": "memory",
                            "claimed": True,
                            "description": "DIMM Synchronous 1333 MHz (0.8 ns)",
                            "product": "HMT351R7BFR8A-H9",
                            "vendor": "Hynix",
                            "physid": "2",
                            "serial": "1C2D3E4F",
                            "slot": "DIMM3",
                            "units": "bytes",
                            "size": 4294967296,
                            "width": 72,
                            "clock": 1333000000,
                        },
                    ],
                },
            ],
        },
    ],
}


def test_lshw_system_cpu_and_memory_banks() -> None:
    expected = Report(
        kind="lshw-json",
        system=System(manufacturer="Hewlett-Packard", product="HP Z400 Workstation", serial="CZC1234ABC", sku=None),
        cpu="Intel(R) Xeon(R) CPU W3565 @ 3.20GHz",
        memory_mb=8192,  # the banks' sum
        memory_modules=[
            MemoryModule(size_mb=4096, kind="DDR3", speed_mts=None, locator="DIMM1"),
            # bank:1 has no "size": skipped; the firmware and cache nodes are not children of "memory"
            MemoryModule(size_mb=4096, kind=None, speed_mts=None, locator="DIMM3"),  # no DDR in the description
        ],
        batteries=[],
        drives=[],
        tool_version=None,
        uefi=False,  # its "firmware" node lists no "uefi" capability
    )
    content = json.dumps(LSHW_WORKSTATION, indent=2).encode()
    _assert_report(read_report("z400.json", content), expected, "z400.json")


# --- smartctl -j and a real laptop's lshw -json ------------------------------------------------------------
# The shared fixtures have no smartctl JSON and only a virtual machine's lshw. These four are real files
# from public repositories, unmodified (tests/fixtures/hardware/SOURCES.md: where, licence, checksums);
# expected values written by hand from the files.

EXTRA = Path(__file__).resolve().parent / "fixtures" / "hardware"

EXPECTED_EXTRA: dict[str, Report] = {
    "hdd-wdc-wd140edfz.smartctl-a.json": Report(
        kind="smartctl-json",
        tool_version="smartctl 7.0",  # "smartctl": {"version": [7, 0]
        drives=[
            Drive(
                model="WDC WD140EDFZ-11A0VA0",
                serial="9RK1XXXX",  # masked upstream, kept as written
                capacity_bytes=14000519643136,
                kind="hdd",  # "rotation_rate": 5400
                health_passed=True,
                power_on_hours=1730,
                reallocated_sectors=0,
                pending_sectors=0,
                uncorrectable=0,  # 198 raw 0; WD reports no 187
                nvme_percentage_used=None,
                wwn="naa.5000cca264eb01d7",  # "wwn": naa 5, oui 3274 (0x000cca), id 10283057623 (0x264eb01d7)
            )
        ],
    ),
    "ssd-crucial-m4-mtfddak128mam.smartctl-xall.json": Report(
        kind="smartctl-json",
        tool_version="smartctl 7.4",
        drives=[
            Drive(
                model="MTFDDAK128MAM-1J1",
                serial="123009116906",
                capacity_bytes=128035676160,
                kind="ssd",  # rotation 0
                health_passed=True,
                power_on_hours=4179,
                reallocated_sectors=0,
                pending_sectors=0,
                uncorrectable=0,
                nvme_percentage_used=None,  # its "Percentage Used Endurance Indicator" (3) is an ATA statistic
                wwn="naa.500a075109116906",  # "wwn": naa 5, oui 41077 (0x00a075), id 4447103238 (0x109116906)
            )
        ],
    ),
    "nvme-samsung-970-evo-500gb.smartctl-x.json": Report(
        kind="smartctl-json",
        tool_version="smartctl 7.0",
        drives=[
            Drive(
                model="Samsung SSD 970 EVO 500GB",
                serial="S466NX0M776250H",
                capacity_bytes=500107862016,
                kind="nvme",
                health_passed=True,
                power_on_hours=12798,
                reallocated_sectors=None,
                pending_sectors=None,
                uncorrectable=7,  # "media_errors": 7, although smart_status says passed
                nvme_percentage_used=3,
                wwn="eui.0025385791b4f537",  # nvme_namespaces[0].eui64: oui 9528 (0x002538), ext_id 376106710327
            )
        ],
    ),
    "lshw-hp-probook-430-g4.json": Report(
        kind="lshw-json",
        tool_version=None,
        system=System(manufacturer="HP", product="HP ProBook 430 G4", serial="5CD7314HDY", sku="W6P93AV"),
        cpu="Intel(R) Core(TM) i5-7200U CPU @ 2.50GHz",
        memory_mb=8192,
        memory_modules=[MemoryModule(size_mb=8192, kind="DDR4", speed_mts=None, locator="Bottom-Slot 1(top)")],
        batteries=[
            Battery(design_capacity_mwh=48010, full_capacity_mwh=None, name="RR03048XL", manufacturer="333-54-2A")
        ],
        drives=[Drive(model="SAMSUNG MZNTY256", serial="S2ZPNB0J121952", capacity_bytes=256060514304)],
        uefi=True,  # its "firmware" node's capabilities include "uefi": "UEFI specification is supported"
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_EXTRA))
def test_real_smartctl_json_and_laptop_lshw_read_as_written_by_hand(name: str) -> None:
    assert read_report(name, (EXTRA / name).read_bytes()) == EXPECTED_EXTRA[name]


def test_every_extra_fixture_has_its_expected_report() -> None:
    assert sorted(p.name for p in EXTRA.glob("*.json")) == sorted(EXPECTED_EXTRA)
