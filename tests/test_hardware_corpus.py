"""The real-world corpus of issue 17: real reports from public collections, read to values written by
hand, and the storage media they become — one per physical drive, on both engines.

The files are under tests/fixtures/hardware/{smart,dmi,lshw}/, unmodified; SOURCES.md there says
where each came from (repository, path, commit, licence). Every value in CORPUS was written by hand
from reading the file (the comment next to a value names the line it comes from when it is not
obvious); no code was run on the files to produce them. A file added to those folders without an
expectation here makes the test fail, and so does an expectation without its file.

A few tests change a real file in one stated way (re-encoded as Windows-1252 or as UTF-16 without a
byte-order mark; two copies of a masked SAS drive that differ only in their clock line, as the two
identical drives of one server do): each says what it changed and why.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.workshop.hardware import Drive, MemoryModule, Report, System, read_report
from reemploi.workshop.models import StorageMedium
from tests.factories import make_device, make_world
from tests.test_hardware_reports import _assert_report
from tests.through_api import API, Client, ok

CORPUS_DIR = Path(__file__).resolve().parent / "fixtures" / "hardware"
FOLDERS = ("smart", "dmi", "lshw")


def _smart(drive: Drive, tool: str | None, kind: str = "smartctl") -> Report:
    return Report(kind=kind, drives=[drive], tool_version=tool)


CORPUS: dict[str, Report] = {
    # --- SAS / SCSI, smartctl -j (AnalogJ/scrutiny) ---
    "smart/sas-seagate-st4000nm0043.smartctl-j.json": _smart(
        Drive(
            model="SEAGATE ST4000NM0043",  # "model_name"
            serial="Z1Z5DWJK0000XXXXXXXX",  # partly masked upstream: kept, it is not all X's
            capacity_bytes=4000787030016,
            kind="hdd",  # "rotation_rate": 7200
            health_passed=True,
            power_on_hours=43549,  # "power_on_time": {"hours": 43549, "minutes": 33}
            reallocated_sectors=56,  # "scsi_grown_defect_list": 56
            pending_sectors=None,
            uncorrectable=0,  # read 0 + write 0 "total_uncorrected_errors"
            nvme_percentage_used=None,
            wwn=None,  # no "logical_unit_id" in this output
        ),
        None,  # no "smartctl" header object: the collector kept the drive's part only
        "smartctl-json",
    ),
    "smart/sas-seagate-st1200mm0088.smartctl-ja.json": _smart(
        Drive(
            model="SEAGATE ST1200MM0088",
            serial="Z4028VRY0000C810BZXB",
            capacity_bytes=1200243695616,
            kind="hdd",  # 10500 rpm
            health_passed=True,
            power_on_hours=5675,
            reallocated_sectors=0,  # "scsi_grown_defect_list": 0
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=None,
            wwn=None,
        ),
        "smartctl 6.7",
        "smartctl-json",
    ),
    # --- MegaRAID, smartctl -j -d megaraid,0 (AnalogJ/scrutiny) ---
    "smart/megaraid0-wdc-wd4000fyyx.smartctl-aj.json": _smart(
        Drive(
            model="WD4000FYYX",
            serial=None,  # "XXXXXXXXXXXX": masked before publishing
            capacity_bytes=4000787030016,
            kind="hdd",
            health_passed=True,
            power_on_hours=37787,
            reallocated_sectors=0,
            pending_sectors=0,
            uncorrectable=0,  # 198 raw 0; no 187 in the table
            nvme_percentage_used=None,
            wwn="naa.50014ee26101eee7",  # "wwn": naa 5, oui 5358 (0x0014ee), id 10217451239 (0x26101eee7)
        ),
        "smartctl 7.1",
        "smartctl-json",
    ),
    # --- SAS / SCSI, smartctl text (truenas/py-SMART) ---
    "smart/sas-hgst-hus726040al5210.megaraid44.smartctl-all.txt": _smart(
        Drive(
            model="HGST HUS726040AL5210",  # l.5 "Vendor: HGST", l.6 "Product: HUS726040AL5210"
            serial=None,  # l.16 "Serial number: XXXXXXXX" (lower-case n; masked upstream)
            capacity_bytes=4000787030016,  # l.9
            kind="hdd",  # l.13 "7200 rpm"
            health_passed=True,  # l.25 "SMART Health Status: OK"
            power_on_hours=None,  # no "Accumulated power on time" nor "number of hours powered up" line
            reallocated_sectors=0,  # l.35 "Elements in grown defect list: 0"
            pending_sectors=None,
            uncorrectable=0,  # l.44-46 last column of read, write, verify: 0 + 0 + 0
            nvme_percentage_used=None,
            wwn="naa.5000cca25c244870",  # l.15 "Logical Unit id: 0x5000cca25c244870"
        ),
        "smartctl 7.1",
    ),
    "smart/sas-ssd-masked.megaraid-jbod.smartctl-all.txt": _smart(
        Drive(
            model=None,  # l.5-6 Vendor and Product "XXXXXXXXXXX": masked
            serial=None,  # l.16 "XXXXXXXXXXXXXXXX"
            capacity_bytes=800166076416,  # l.9
            kind="ssd",  # l.13 "Solid State Device"
            health_passed=True,
            power_on_hours=None,
            reallocated_sectors=0,  # l.35
            pending_sectors=None,
            uncorrectable=0,  # l.41-43
            nvme_percentage_used=None,  # l.27 "Percentage used endurance indicator" is SCSI's, not NVMe's
            wwn="naa.50025380725029b0",  # l.15: the only identity this drive has
        ),
        "smartctl 7.1",
    ),
    "smart/sas-hgst-huh721212al4204.ru.smartctl-all.txt": _smart(
        Drive(
            model="HGST HUH721212AL4204",
            serial="8DG3J2ZD",  # l.15 "Serial number: 8DG3J2ZD"
            capacity_bytes=12000138625024,  # l.9 "12 000 138 625 024 bytes [12,0 TB]" (ru_RU spaces)
            kind="hdd",
            health_passed=True,
            power_on_hours=None,
            reallocated_sectors=0,  # l.38
            pending_sectors=None,
            uncorrectable=0,  # l.47-49 "read: 0 34 0 34 238396 38280,029 0": last column 0, ×3
            nvme_percentage_used=None,
            wwn="naa.5000cca253066624",  # l.14
        ),
        "smartctl 7.1",
    ),
    "smart/sas-ssd-samsung-mzilt7t6hala.ru.smartctl-x.txt": _smart(
        Drive(
            model="SAMSUNG MZILT7T6HALA/007",
            serial="S5DDNE0R801692",  # l.16
            capacity_bytes=7681501126656,  # l.9 "7 681 501 126 656 bytes"
            kind="ssd",
            health_passed=True,
            power_on_hours=146,  # l.65 "Accumulated power on time, hours:minutes 146:02 [8762 minutes]"
            reallocated_sectors=0,  # l.39
            pending_sectors=0,  # l.51 "Pending defect count:0 Pending Defects"
            uncorrectable=0,  # l.45-47
            nvme_percentage_used=None,
            wwn="naa.5002538b1184df60",  # l.15
        ),
        "smartctl 7.3",
    ),
    # --- SATA behind a MegaRAID controller, and through a SAT bridge ---
    "smart/sata-hgst-hus724040ale640.megaraid16.smartctl-all.txt": _smart(
        Drive(
            model="HGST HUS724040ALE640",  # l.6
            serial="PK2334PCK08XGB",  # l.7
            capacity_bytes=4000787030016,
            kind="hdd",
            health_passed=True,  # l.23 PASSED (l.22: the controller could not give the status itself)
            power_on_hours=47396,  # attribute 9
            reallocated_sectors=0,
            pending_sectors=0,  # 197
            uncorrectable=0,  # 198 raw 0; no 187
            nvme_percentage_used=None,
            wwn="naa.5000cca24cea67fd",  # l.8 "5 000cca 24cea67fd"
        ),
        "smartctl 7.1",
    ),
    "smart/ssd-hikvision-hs-ssd-c100.sat.smartctl-all.txt": _smart(
        Drive(
            model="HS-SSD-C100 120G",
            serial="30087840294",
            capacity_bytes=120034123776,
            kind="ssd",
            health_passed=True,
            power_on_hours=133,  # "9 Power_On_Hours ... - 133" (the file's spaces were collapsed upstream)
            reallocated_sectors=0,
            pending_sectors=None,  # no 197
            uncorrectable=0,  # 187 raw 0; no 198
            nvme_percentage_used=None,
            wwn=None,  # l.7 "5 000000 0000027b6": OUI 000000, a firmware stand-in shared by many drives
        ),
        "smartctl 7.2",
    ),
    "smart/hdd-seagate-st2000nm000a.sat-sg.ru.smartctl-all.txt": _smart(
        Drive(
            model="ST2000NM000A-2J2100",
            serial="WS10SM2A",
            capacity_bytes=2000398934016,  # l.9 "2 000 398 934 016 bytes [2,00 TB]"
            kind="hdd",
            health_passed=True,
            power_on_hours=1380,
            reallocated_sectors=0,
            pending_sectors=0,
            uncorrectable=0,  # 187 0, 198 0
            nvme_percentage_used=None,
            wwn="naa.5000c500f129bee9",  # l.7 "5 000c50 0f129bee9"
        ),
        "smartctl 6.4",
    ),
    # --- NVMe: locales, Windows, several namespaces ---
    "smart/nvme-kioxia-kcm61vul1t60.64-namespaces.ru.smartctl-all.txt": _smart(
        Drive(
            model="KCM61VUL1T60",
            serial="61B0A067T1K8",
            capacity_bytes=1600321314816,  # l.10 "Total NVM Capacity: 1 600 321 314 816": 64 namespaces, none listed
            kind="nvme",
            health_passed=True,
            power_on_hours=1998,  # "Power On Hours: 1 998"
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=0,
            wwn=None,  # no namespace EUI-64 line
        ),
        "smartctl 7.1",
    ),
    "smart/nvme-wdc-wds100t2b0c.ru.smartctl-all.txt": _smart(
        Drive(
            model="WDC WDS100T2B0C-00PXH0",
            serial="220312800929",
            capacity_bytes=1000204886016,  # "1 000 204 886 016"
            kind="nvme",
            health_passed=True,
            power_on_hours=31,
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=0,
            wwn="eui.001b448b45ea9cce",  # l.14 "Namespace 1 IEEE EUI-64: 001b44 8b45ea9cce"
        ),
        None,  # the file starts at "=== START OF INFORMATION SECTION ==="
    ),
    "smart/nvme-wdc-wds100t3x0c.windows.smartctl-all.txt": _smart(
        Drive(
            model="WDS100T3X0C-00SJG0",
            serial="20093F800129",
            capacity_bytes=1000204886016,
            kind="nvme",
            health_passed=True,
            power_on_hours=2608,  # "2,608"
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=0,
            wwn="eui.001b448b46ac714d",
        ),
        "smartctl 7.3",  # l.1 "[x86_64-w64-mingw32-w10-21H2] (sf-7.3-1)": smartctl for Windows
    ),
    "smart/nvme-samsung-980-pro-1tb.windows.smartctl-all.txt": _smart(
        Drive(
            model="Samsung SSD 980 PRO 1TB",
            serial="S5P2NG0NB05964V",
            capacity_bytes=1000204886016,
            kind="nvme",
            health_passed=True,
            power_on_hours=3441,
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=13,
            wwn="eui.002538bb01501f70",
        ),
        "smartctl pre-7.4",  # l.1 "smartctl pre-7.4 2023-03-21 r5470": a pre-release build
    ),
    "smart/nvme-kingston-sa2000m8500g.windows-ru.smartctl-all.txt": _smart(
        Drive(
            model="KINGSTON SA2000M8500G",
            serial="50026B72826F6BB1",
            capacity_bytes=500107862016,  # l.13 Namespace 1 "500 107 862 016": no Total NVM Capacity line
            kind="nvme",
            health_passed=True,
            power_on_hours=3387,  # "3 387"
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=1,
            wwn="eui.0026b72826f6bb15",
        ),
        "smartctl 7.3",  # Windows, CRLF line ends
    ),
    "smart/nvme-netac-2tb.windows11.smartctl-all.txt": _smart(
        Drive(
            model="Netac NVMe SSD 2TB",
            serial="RN202303092TB677720",
            capacity_bytes=2000398934016,  # l.11 "Total NVM Capacity: 0" (not reported): namespace 1, l.16
            kind="nvme",
            health_passed=True,
            power_on_hours=509,
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=0,
            wwn="eui.a843970000677720",
        ),
        "smartctl 7.3",  # Windows 11, CRLF
    ),
    "smart/nvme-wdc-wds200t1x0e.de_CH.smartctl-all.txt": _smart(
        Drive(
            model="WDS200T1X0E-00AFY0",
            serial="215119800624",
            capacity_bytes=2000398934016,  # l.10 "2’000’398’934’016": de_CH groups with U+2019
            kind="nvme",
            health_passed=True,
            power_on_hours=6433,  # "6’433"
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=1,
            wwn="eui.001b448b451ffb99",
        ),
        "smartctl 7.4",
    ),
    "smart/nvme-samsung-970-evo-plus-500gb.de.smartctl-all.txt": _smart(
        Drive(
            model="Samsung SSD 970 EVO Plus 500GB",
            serial="S4EVNX0NA32843N",
            capacity_bytes=500107862016,  # l.10 "500.107.862.016" (de_DE dots)
            kind="nvme",
            health_passed=True,
            power_on_hours=15,
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=0,
            wwn="eui.0025385a01b1770d",  # l.18
        ),
        "smartctl 7.2",
    ),
    "smart/nvme-wd-black-sn770-500gb.windows.smartctl-all.txt": _smart(
        Drive(
            model="WD_BLACK SN770 500GB",
            serial="22050Y803439",
            capacity_bytes=500107862016,
            kind="nvme",
            health_passed=True,
            power_on_hours=669,
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=0,
            wwn="eui.001b448b45a3700d",
        ),
        "smartctl 7.3",
    ),
    "smart/nvme-toshiba-kbg30zmv256g.de.smartctl-all.txt": _smart(
        Drive(
            model="KBG30ZMV256G TOSHIBA",
            serial="68APC048P12P",
            capacity_bytes=256060514304,  # l.13 Namespace 1 "256.060.514.304": no Total NVM Capacity line
            kind="nvme",
            health_passed=True,
            power_on_hours=8737,  # "8.737"
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=32,
            wwn="eui.00080d040017b710",
        ),
        "smartctl pre-7.4",
    ),
    "smart/nvme-toshiba-kbg30zmv256g.later.de.smartctl-all.txt": _smart(
        Drive(
            model="KBG30ZMV256G TOSHIBA",  # the same drive seven months later (same serial, same EUI-64)
            serial="68APC048P12P",
            capacity_bytes=256060514304,
            kind="nvme",
            health_passed=True,
            power_on_hours=10188,  # "10.188"
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=33,
            wwn="eui.00080d040017b710",
        ),
        "smartctl 7.4",  # CRLF line ends
    ),
    "smart/nvme-toshiba-kbg30zmv256g.masked.de.smartctl-all.txt": _smart(
        Drive(
            model="KBG30ZMV256G TOSHIBA",  # the same drive two years earlier, serial masked: the EUI-64 is its identity
            serial=None,
            capacity_bytes=256060514304,
            kind="nvme",
            health_passed=True,
            power_on_hours=5809,
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=28,
            wwn="eui.00080d040017b710",
        ),
        "smartctl 7.2",
    ),
    "smart/nvme-wdc-wds200t1x0e.masked.de_CH.smartctl-all.txt": _smart(
        Drive(
            model="WDS200T1X0E-00AFY0",  # the de_CH drive a year earlier, serial masked, same EUI-64
            serial=None,
            capacity_bytes=2000398934016,
            kind="nvme",
            health_passed=True,
            power_on_hours=3457,  # "3’457"
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=0,
            wwn="eui.001b448b451ffb99",
        ),
        "smartctl 7.3",
    ),
    "smart/nvme-twsc-tsc3an1t0.smartctl-7.5.txt": _smart(
        Drive(
            model="TWSC TSC3AN1T0-F2T60S",
            serial="TTSQA253HX07141",
            capacity_bytes=1024209543168,
            kind="nvme",
            health_passed=True,
            power_on_hours=396,
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=0,
            wwn="eui.0c82d52530007141",
        ),
        "smartctl 7.5",
    ),
    "smart/nvme-kioxia-kcm61vul1t60.second.ru.smartctl-all.txt": _smart(
        Drive(
            model="KCM61VUL1T60",  # the second of two identical drives of one server: its own serial
            serial="61B0A066T1K8",
            capacity_bytes=1600321314816,
            kind="nvme",
            health_passed=True,
            power_on_hours=2144,  # "2 144"
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=0,
            wwn=None,
        ),
        "smartctl 7.1",
    ),
    "smart/nvme-wdc-pc-sn730-512g.smartctl-all.txt": _smart(
        Drive(
            model="WDC PC SN730 SDBPNTY-512G-1101",
            serial="211515805454",
            capacity_bytes=512110190592,
            kind="nvme",
            health_passed=True,
            power_on_hours=1562,  # "1,562"
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=1,
            wwn="eui.001b448b48720fd3",
        ),
        "smartctl 7.3",
    ),
    "smart/nvme-apple-ap0512z.3-namespaces.macos.smartctl-all.txt": _smart(
        Drive(
            model="APPLE SSD AP0512Z",
            serial="0ba0224b2254ca3c",
            capacity_bytes=None,  # 3 namespaces, no Total NVM Capacity nor namespace line: unknown, not invented
            kind="nvme",  # l.11 "NVMe Version: <1.2"
            health_passed=True,
            power_on_hours=10,
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=0,
            wwn=None,
        ),
        "smartctl 7.4",
    ),
    "smart/nvme-intel-ssdpeknw010t8.smartctl-all.json": _smart(
        Drive(
            model="INTEL SSDPEKNW010T8",
            serial="BTNH93710FS91P0B",
            capacity_bytes=1024209543168,  # no "nvme_total_capacity": the namespaces' capacity
            kind="nvme",
            health_passed=True,
            power_on_hours=2401,
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=0,
            wwn=None,  # no eui64 in this output
        ),
        "smartctl 7.1",
        "smartctl-json",
    ),
    "smart/nvme-corsair-force-mp510.smartctl-aj.json": _smart(
        Drive(
            model="Force MP510",
            serial="yes",  # as written (edited upstream, or the drive's own oddity): kept, the EUI-64 is there too
            capacity_bytes=480103981056,
            kind="nvme",
            health_passed=True,
            power_on_hours=6487,
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=1,
            wwn="eui.6479a72801424331",  # namespace 1 eui64: oui 6584743 (0x6479a7), ext_id 171819811633
        ),
        "smartctl 7.0",
        "smartctl-json",
    ),
    "smart/sas-wdc-wuh721818al5204.smartctl-xall.json": _smart(
        Drive(
            model="WDC WUH721818AL5204",
            serial="2PKXXXXXXX",  # partly masked: kept
            capacity_bytes=18000207937536,
            kind="hdd",
            health_passed=True,
            power_on_hours=12345,
            reallocated_sectors=0,
            pending_sectors=None,
            uncorrectable=0,
            nvme_percentage_used=None,
            wwn=None,
        ),
        "smartctl 7.4",
        "smartctl-json",
    ),
    # --- SATA behind RAID controllers, and ATA without WWN ---
    "smart/ssd-intel-ssdsc2bb120g6.megaraid28.smartctl-all.txt": _smart(
        Drive(
            model="INTEL SSDSC2BB120G6",  # l.6, padded with spaces to 86 columns as in the file
            serial="BXXXXXXXXXXXXXXXXN",  # partly masked: kept
            capacity_bytes=120034123776,
            kind="ssd",
            health_passed=True,
            power_on_hours=43583,
            reallocated_sectors=0,
            pending_sectors=0,
            uncorrectable=0,  # 187 raw 0; no 198
            nvme_percentage_used=None,
            wwn="naa.55cd2e404b7ffea4",  # l.8 "5 5cd2e4 04b7ffea4"
        ),
        "smartctl 7.1",
    ),
    "smart/ssd-intel-ssdsc2kb480g8.sat-megaraid60.ru.smartctl-all.txt": _smart(
        Drive(
            model="INTEL SSDSC2KB480G8",
            serial="PHYF110005YA480BGN",
            capacity_bytes=480103981056,
            kind="ssd",
            health_passed=True,
            power_on_hours=4742,
            reallocated_sectors=0,
            pending_sectors=0,  # 197 named "Pending_Sector_Count"
            uncorrectable=0,  # 187 named "Uncorrectable_Error_Cnt"
            nvme_percentage_used=None,
            wwn="naa.55cd2e4153391876",
        ),
        "smartctl 7.1",
    ),
    "smart/sata-hgst-hus724040ale640.masked.megaraid16.smartctl-all.txt": _smart(
        Drive(
            model="HGST HUS724040ALE640",  # the MegaRAID drive above, serial partly masked: same WWN
            serial="PKXXXXXXXXXXGB",
            capacity_bytes=4000787030016,
            kind="hdd",
            health_passed=True,
            power_on_hours=47396,
            reallocated_sectors=0,
            pending_sectors=0,
            uncorrectable=0,
            nvme_percentage_used=None,
            wwn="naa.5000cca24cea67fd",
        ),
        "smartctl 7.1",
    ),
    "smart/ssd-apacer-as340-240gb.windows-ru.smartctl-all.txt": _smart(
        Drive(
            model="Apacer AS340 240GB",
            serial="LKC125R001176",
            capacity_bytes=240057409536,  # l.11 "240 057 409 536 bytes" (Windows, ru_RU)
            kind="ssd",
            health_passed=True,
            power_on_hours=3517,
            reallocated_sectors=0,
            pending_sectors=None,
            uncorrectable=None,  # no attribute 187 nor 198, no Device Statistics
            nvme_percentage_used=None,
            wwn="naa.502b2a201d1c1b1a",
        ),
        "smartctl 7.3",
    ),
    "smart/ssd-liteon-lct-512l9s.smartctl-6.6.txt": _smart(
        Drive(
            model="LITEONIT LCT-512L9S-11 2.5 7mm 512GB",
            serial="TW0HN71H5508549A1220",
            capacity_bytes=512110190592,
            kind="ssd",
            health_passed=True,
            power_on_hours=2376,
            reallocated_sectors=0,
            pending_sectors=None,
            uncorrectable=0,  # 187 raw 0
            nvme_percentage_used=None,
            wwn=None,  # no LU WWN line
        ),
        "smartctl 6.6",
    ),
    # --- RAID volumes: what a controller shows of its array (a medium to erase as a whole, not a drive) ---
    "smart/raid-volume-intel-rs3dc080.smartctl-all.txt": _smart(
        Drive(
            model="Intel RS3DC080",
            serial="00907d49075932d81f9044090ab00506",
            capacity_bytes=118999744512,
            kind=None,  # no Rotation Rate line
            health_passed=None,  # "SMART support is: Unavailable"
            power_on_hours=None,
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=None,  # "Error Counter logging not supported"
            nvme_percentage_used=None,
            wwn="naa.600605b00a0944901fd8325907497d90",  # NAA 6: 32 hex digits
        ),
        "smartctl 7.1",
    ),
    "smart/raid-volume-intel-raid1.windows.smartctl-all.json": _smart(
        Drive(
            model="Intel Raid 1 Volume",
            serial="Volume1",
            capacity_bytes=1000202043392,
            kind="hdd",  # "rotation_rate": 7200, as the volume reports it
            health_passed=None,  # no "smart_status"
            power_on_hours=None,
            reallocated_sectors=None,
            pending_sectors=None,
            uncorrectable=None,
            nvme_percentage_used=None,
            wwn=None,
        ),
        "smartctl 7.0",
        "smartctl-json",
    ),
    # --- dmidecode of virtual machines (linuxhw/DMI) ---
    "dmi/dmidecode-QEMU-Standard_PC_Q35-418878F10378.txt": Report(
        kind="dmidecode",
        system=System(
            manufacturer="QEMU",  # l.8
            product="Standard PC (Q35 + ICH9, 2009)",  # l.9
            serial=None,  # l.11 "--"
            sku=None,  # l.14 "Not Specified"
        ),
        cpu="pc-q35-8.2",  # l.56: QEMU writes its machine type as the processor's Version; kept as written
        memory_mb=4096,
        memory_modules=[MemoryModule(size_mb=4096, kind="RAM", speed_mts=None, locator="DIMM 0")],  # l.89-98
        batteries=[],
        drives=[],
        tool_version="dmidecode 3.4",
        uefi=True,  # l.138 "UEFI is supported"; tpm None: SMBIOS 3.0.0 (l.3)
    ),
    "dmi/dmidecode-QEMU-Standard_PC_Q35-5760B1DBEBDB.txt": Report(
        kind="dmidecode",
        system=System(manufacturer="QEMU", product="Standard PC (Q35 + ICH9, 2009)", serial=None, sku=None),
        cpu="pc-q35-9.0",
        memory_mb=8192,
        memory_modules=[MemoryModule(size_mb=8192, kind="RAM", speed_mts=None, locator="DIMM 0")],
        batteries=[],
        drives=[],
        tool_version="dmidecode 3.6",
        uefi=True,  # l.139 "UEFI is supported"; SMBIOS 2.8
    ),
    "dmi/dmidecode-QEMU-Standard_PC_Q35-B1635F8B4A77.txt": Report(
        kind="dmidecode",
        system=System(manufacturer="QEMU", product="Standard PC (Q35 + ICH9, 2009)", serial=None, sku=None),
        cpu="pc-q35-9.0",
        memory_mb=8192,
        memory_modules=[MemoryModule(size_mb=8192, kind="RAM", speed_mts=None, locator="DIMM 0")],
        batteries=[],
        drives=[],
        tool_version="dmidecode 3.6",
        uefi=True,  # l.139 "UEFI is supported"; SMBIOS 2.8
    ),
}


def _files() -> list[str]:
    return sorted(
        path.relative_to(CORPUS_DIR).as_posix()
        for folder in FOLDERS
        if (CORPUS_DIR / folder).is_dir()
        for path in (CORPUS_DIR / folder).iterdir()
        if path.is_file()
    )


def _bytes(name: str) -> bytes:
    return (CORPUS_DIR / name).read_bytes()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_real_report_reads_as_written_by_hand(name: str) -> None:
    _assert_report(read_report(name, _bytes(name)), CORPUS[name], name)


def test_every_corpus_file_has_its_expectation() -> None:
    assert _files() == sorted(CORPUS)


def test_the_corpus_holds_at_least_forty_real_reports() -> None:
    assert len(CORPUS) >= 40


# --- encodings: the same real report, written the ways Windows writes text ---------------------------------------

DE_CH = "smart/nvme-wdc-wds200t1x0e.de_CH.smartctl-all.txt"


def test_windows_1252_smartctl_is_read_with_its_grouping() -> None:
    """smartctl for Windows writes the console's code page: the de_CH report re-encoded in Windows-1252
    (where U+2019 is the byte 0x92, not valid UTF-8) reads to the same values."""
    content = _bytes(DE_CH).decode("utf-8").encode("cp1252")
    assert b"\x92" in content
    _assert_report(read_report("nvme0-cp1252.txt", content), CORPUS[DE_CH], "cp1252")


def test_latin_1_smartctl_with_no_break_space_grouping_is_read() -> None:
    name = "smart/nvme-wdc-wds100t2b0c.ru.smartctl-all.txt"
    text = _bytes(name).decode("utf-8").replace("1 000 204 886 016", "1\u00a0000\u00a0204\u00a0886\u00a0016")
    content = text.encode("latin-1")  # U+00A0 is the single byte 0xA0
    _assert_report(read_report("nvme0-latin1.txt", content), CORPUS[name], "latin-1")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-8-sig"])
def test_utf16_and_bom_smartctl_is_read(encoding: str) -> None:
    """`smartctl -a > file` in PowerShell writes UTF-16 (with or without a byte-order mark); some editors add a
    UTF-8 one."""
    name = "smart/nvme-kingston-sa2000m8500g.windows-ru.smartctl-all.txt"
    content = _bytes(name).decode("utf-8").encode(encoding)
    _assert_report(read_report(f"nvme-{encoding}.txt", content), CORPUS[name], encoding)


# --- the media a server's reports become, on both engines ----------------------------------------------------------


async def _upload(client: Client, code: str, *names: str | tuple[str, bytes]) -> list[dict[str, object]]:
    files = [("files", (n, _bytes(n)) if isinstance(n, str) else n) for n in names]
    answer: list[dict[str, object]] = ok(await client.post(f"{API}/devices/{code}/reports", files=files), 201)
    return answer


async def _media(session: AsyncSession, code: str) -> list[tuple[str, str, str | None, str | None, int | None, bool]]:
    from reemploi.devices.models import Device

    await session.rollback()  # end this session's snapshot: read what the API's transactions committed since
    device = (await session.execute(select(Device).where(Device.code == code))).scalar_one()
    rows = await session.execute(
        select(StorageMedium).where(StorageMedium.device_id == device.id).order_by(StorageMedium.id)
    )
    return [(m.kind, m.model, m.serial, m.wwn, m.capacity_bytes, m.needs_identification) for m in rows.scalars()]


async def _device(session: AsyncSession, serial: str = "SRV-001") -> str:
    _, _, collection_id = await make_world(session)
    return await make_device(session, collection_id, serial=serial, category="desktop")


MEGARAID_SAS = "smart/sas-hgst-hus726040al5210.megaraid44.smartctl-all.txt"
MEGARAID_SATA = "smart/sata-hgst-hus724040ale640.megaraid16.smartctl-all.txt"
MEGARAID_JSON = "smart/megaraid0-wdc-wd4000fyyx.smartctl-aj.json"
SAS_SSD_MASKED = "smart/sas-ssd-masked.megaraid-jbod.smartctl-all.txt"
SAMSUNG_980 = "smart/nvme-samsung-980-pro-1tb.windows.smartctl-all.txt"


async def test_a_raid_server_has_one_medium_per_drive_each_by_its_identity(
    client: Client, session: AsyncSession
) -> None:
    code = await _device(session)
    await _upload(client, code, MEGARAID_SAS, MEGARAID_SATA, MEGARAID_JSON, SAS_SSD_MASKED)
    assert await _media(session, code) == [
        # smartctl reports first, each in the order stored: one medium per drive, by serial or by WWN
        ("hdd", "HGST HUS726040AL5210", None, "naa.5000cca25c244870", 4000787030016, False),
        ("hdd", "HGST HUS724040ALE640", "PK2334PCK08XGB", "naa.5000cca24cea67fd", 4000787030016, False),
        ("hdd", "WD4000FYYX", None, "naa.50014ee26101eee7", 4000787030016, False),
        ("ssd", "", None, "naa.50025380725029b0", 800166076416, False),
    ]
    bench = ok(await client.get(f"{API}/devices/{code}/workbench"), 200)
    assert [m["wwn"] for m in bench["media"]] == [
        "naa.5000cca25c244870",
        "naa.5000cca24cea67fd",
        "naa.50014ee26101eee7",
        "naa.50025380725029b0",
    ]
    storage = [line for line in bench["missing_for_sale"] if "HUS726040AL5210" in line or "WWN" in line]
    assert storage and "naa.5000cca25c244870" in " ".join(storage), bench["missing_for_sale"]


def _masked_twin(clock: str) -> tuple[str, bytes]:
    """The masked SAS drive without its Logical Unit id line (no identity left: neither serial nor WWN) and
    with another clock line: what two identical drives of one server give."""
    text = _bytes(MEGARAID_SAS).decode()
    lines = [line for line in text.split("\n") if not line.startswith("Logical Unit id:")]
    text = "\n".join(lines).replace("Tue Jul 27 11:03:39 2021 CEST", clock)
    return f"sas-{clock[11:19].replace(':', '')}.txt", text.encode()


async def test_two_identical_drives_without_identity_are_two_media_and_two_erasures(
    client: Client, session: AsyncSession
) -> None:
    code = await _device(session)
    first, second = _masked_twin("Tue Jul 27 11:03:39 2021 CEST"), _masked_twin("Tue Jul 27 11:03:41 2021 CEST")
    await _upload(client, code, first, second)
    twin = ("hdd", "HGST HUS726040AL5210", None, None, 4000787030016, True)
    assert await _media(session, code) == [twin, twin], "never merged: the gate asks for two erasures"
    await _upload(client, code, first)  # the same file again is kept once and names its drive once
    assert len(await _media(session, code)) == 2
    bench = ok(await client.get(f"{API}/devices/{code}/workbench"), 200)
    assert [m["needs_identification"] for m in bench["media"]] == [True, True]
    to_erase = [line for line in bench["missing_for_sale"] if "à identifier" in line]
    assert len(to_erase) == 2 and all("HUS726040AL5210" in line for line in to_erase), bench["missing_for_sale"]


def _lshw_with(serial: str) -> tuple[str, bytes]:
    """An lshw -json of a desktop whose NVMe controller holds the Samsung 980 PRO of the real smartctl report
    (layout of lshw 02.19; values made up but for the drive's serial): lshw truncates the model and says
    nothing of its kind."""
    import json

    namespace = {"id": "namespace", "class": "disk", "description": "NVMe disk", "logicalname": "/dev/nvme0n1"}
    namespace |= {"units": "bytes", "size": 1000204886016}
    controller = {"id": "nvme", "class": "storage", "description": "NVMe device", "product": "Samsung SSD 980"}
    controller |= {"vendor": "Samsung Electronics Co Ltd", "serial": serial, "children": [namespace]}
    root = {"id": "pc", "class": "system", "product": "OptiPlex 7070", "vendor": "Dell Inc.", "serial": "SRV-001"}
    root["children"] = [
        {"id": "core", "class": "bus", "children": [{"id": "pci", "class": "bridge", "children": [controller]}]}
    ]
    return "lshw.json", json.dumps(root).encode()


@pytest.mark.parametrize("order", ["lshw first", "smartctl first"])
async def test_smartctl_and_lshw_of_one_drive_make_one_medium_whatever_the_order(
    client: Client, session: AsyncSession, order: str
) -> None:
    code = await _device(session)
    lshw = _lshw_with("S5P2NG0NB05964V")
    files = [lshw, SAMSUNG_980] if order == "lshw first" else [SAMSUNG_980, lshw]
    await _upload(client, code, *files)
    assert await _media(session, code) == [
        ("nvme", "Samsung SSD 980 PRO 1TB", "S5P2NG0NB05964V", "eui.002538bb01501f70", 1000204886016, False)
    ]


async def test_a_later_smartctl_report_completes_the_medium_lshw_made(client: Client, session: AsyncSession) -> None:
    code = await _device(session)
    await _upload(client, code, _lshw_with("S5P2NG0NB05964V"))
    assert await _media(session, code) == [("other", "Samsung SSD 980", "S5P2NG0NB05964V", None, 1000204886016, False)]
    await _upload(client, code, SAMSUNG_980)
    assert await _media(session, code) == [
        ("nvme", "Samsung SSD 980 PRO 1TB", "S5P2NG0NB05964V", "eui.002538bb01501f70", 1000204886016, False)
    ]


async def test_a_machine_without_smbios_keeps_its_lshw_and_says_why_dmidecode_gave_nothing(
    client: Client, session: AsyncSession
) -> None:
    """dmidecode 3.4's whole output on a machine without SMBIOS (its source, dmidecode.c, prints these two
    lines): read as nothing, with a notice, and the upload is not refused."""
    code = await _device(session)
    no_smbios = ("dmidecode.txt", b"# dmidecode 3.4\n# No SMBIOS nor DMI entry point found, sorry.\n")
    stored = await _upload(client, code, no_smbios, _lshw_with("S5P2NG0NB05964V"))
    assert [r["kind"] for r in stored] == ["dmidecode", "lshw-json"]
    extracted = stored[0]["extracted"]
    assert isinstance(extracted, dict) and extracted["system"] is None and extracted["drives"] == []
    assert "aucune table SMBIOS" in extracted["notice"] and "dmidecode.txt" in extracted["notice"]
    assert len(await _media(session, code)) == 1


async def test_reports_of_the_same_drive_over_the_years_make_one_medium(client: Client, session: AsyncSession) -> None:
    """The Toshiba of three reports (serial, serial again, masked serial with the same EUI-64), the WD of two
    (de_CH, then masked), the MegaRAID HGST of two (serial, partly masked serial, one WWN); and the two
    KIOXIA drives of one server, identical but for their serials: nine reports, five drives, five media."""
    code = await _device(session)
    await _upload(
        client,
        code,
        "smart/nvme-toshiba-kbg30zmv256g.masked.de.smartctl-all.txt",
        "smart/nvme-toshiba-kbg30zmv256g.de.smartctl-all.txt",
        "smart/nvme-toshiba-kbg30zmv256g.later.de.smartctl-all.txt",
        "smart/nvme-wdc-wds200t1x0e.masked.de_CH.smartctl-all.txt",
        DE_CH,
        "smart/nvme-kioxia-kcm61vul1t60.64-namespaces.ru.smartctl-all.txt",
        "smart/nvme-kioxia-kcm61vul1t60.second.ru.smartctl-all.txt",
    )
    await _upload(client, code, "smart/sata-hgst-hus724040ale640.masked.megaraid16.smartctl-all.txt", MEGARAID_SATA)
    assert await _media(session, code) == [
        ("nvme", "KBG30ZMV256G TOSHIBA", "68APC048P12P", "eui.00080d040017b710", 256060514304, False),
        ("nvme", "WDS200T1X0E-00AFY0", "215119800624", "eui.001b448b451ffb99", 2000398934016, False),
        ("nvme", "KCM61VUL1T60", "61B0A067T1K8", None, 1600321314816, False),
        ("nvme", "KCM61VUL1T60", "61B0A066T1K8", None, 1600321314816, False),
        ("hdd", "HGST HUS724040ALE640", "PKXXXXXXXXXXGB", "naa.5000cca24cea67fd", 4000787030016, False),
    ]
