"""Hardware reports collected on a live USB, read into what the workshop needs to know.

Pure functions, no I/O: `read_report(filename, content)` takes the bytes of one file and answers a
`Report`, or raises `UnreadableReport` (a 422) naming what could not be read. The raw file is kept
unchanged by the caller; this module only extracts.

Formats (detected from the content, not the file name):
- `dmidecode`      the text of `dmidecode` (system, CPU, memory modules, batteries);
- `smartctl`       the text of `smartctl -a` / `smartctl -x` for one drive (ATA, SATA SSD or NVMe);
- `smartctl-json`  the JSON of `smartctl -j -a` / `smartctl --json -x` for one drive;
- `lshw-json`      the JSON of `lshw -json` (system, CPU, memory, disks, batteries when present).

What is extracted, and exactly how (the tests hold the same definitions, written by hand):
- Text values are stripped. A placeholder counts as missing (None): "", "--", "To Be Filled By
  O.E.M.", "To be filled by O.E.M.", "Default string", "Not Specified", "Not Available", "None",
  "N/A", "System Serial Number", "0", "00000000", "Unknown", "Not Provided", "Chassis Serial
  Number", "System Product Name", "System manufacturer", "Base Board Serial Number", "OEM",
  "123456789", "Invalid", "xxxxxxxxxxxx", "[Empty]" — compared case-insensitively, after stripping
  (see PLACEHOLDERS).
- System (dmidecode "System Information"; lshw: the root node, even when it says nothing):
  manufacturer ("Manufacturer" / "vendor"), product ("Product Name" / "product", without the
  " (SKU)" lshw appends when it is the configuration's sku), serial ("Serial Number" / "serial"),
  sku ("SKU Number" / configuration "sku").
- cpu: the first "Processor Information" block's "Version" (dmidecode), the first node of class
  "processor"'s "product" (lshw); whitespace runs inside collapsed to one space.
- memory_modules: each dmidecode "Memory Device" whose Size is a size (not "No Module Installed",
  "Not Installed", "Unknown", "0 MB"): size_mb ("16 GB" → 16384, "8192 MB" → 8192, "16384 kB" →
  16), kind ("Type", e.g. "DDR4"; None if "Unknown"/"Other"), speed_mts (the number of "Speed",
  "2400 MT/s" or "2400 MHz" → 2400; None if "Unknown"), locator ("Locator"). lshw: the children of
  the node of class "memory" whose id is "memory" and that have a "size" (bytes → MiB), kind None
  unless the description names DDR…, speed None, locator from "slot".
  memory_mb: the sum of the modules' size_mb; when there are no modules, lshw's "memory" node size
  in MiB (dmidecode: None).
- batteries (dmidecode "Portable Battery"): design_capacity_mwh ("Design Capacity: 23480 mWh" →
  23480; None if unknown), full_capacity_mwh (None from dmidecode: it does not report it; lshw:
  configuration "capacity"/"maximum" when given in mWh), name ("Name"), manufacturer.
- drives (smartctl text or JSON: one drive a file; lshw: nodes of class "disk" with a "size"):
  model ("Device Model" (ATA), "Model Number" (NVMe), "Product" (SCSI); JSON "model_name"),
  serial ("Serial Number"; JSON "serial_number"), capacity_bytes ("User Capacity" or NVMe
  "Namespace 1 Size/Capacity", else "Total NVM Capacity": the digits before "bytes" or "[",
  separators "," "." " " and U+00A0 removed; JSON "user_capacity.bytes"),
  kind: "nvme" for an NVMe drive, "ssd" when "Rotation Rate" says "Solid State Device" (JSON
  rotation_rate 0), "hdd" when it gives rpm, otherwise None,
  health_passed: True when "SMART overall-health self-assessment test result: PASSED" (or SCSI
  "SMART Health Status: OK"), False when FAILED, None when absent (JSON smart_status.passed),
  power_on_hours: ATA attribute 9's raw value, its first integer ("11392 (81 69 0)" → 11392,
  "1234h+05m+06.789s" → 1234); NVMe "Power On Hours" (JSON power_on_time.hours),
  reallocated_sectors: ATA attribute id 5's raw value (whatever its name), else None,
  pending_sectors: ATA attribute id 197's raw value (whatever its name), else None,
  uncorrectable: the largest of ATA attribute 187's raw value, attribute 198's raw value and the
  Device Statistics line "Number of Reported Uncorrectable Errors"; NVMe "Media and Data Integrity
  Errors" (JSON nvme_smart_health_information_log.media_errors); None when none is present,
  nvme_percentage_used: NVMe "Percentage Used" ("1%" → 1), None for other drives (an ATA drive's
  "Percentage Used Endurance Indicator" is not it).
  NVMe counters are grouped like capacities ("Power On Hours: 12,345" → 12345). Error-log entry
  counts ("ATA Error Count", "Error Information Log Entries") are not uncorrectable errors.
  ATA raw values are the first integer of the RAW_VALUE column ("0/0" → 0).
- Whether a report belongs to its device is not decided here: the caller compares the system's
  serial with the device's serial.
- tool_version: "dmidecode 3.5" from "# dmidecode 3.5"; "smartctl 7.2" from the first line
  "smartctl 7.2 2020-12-30 r5155 …" (None when the header is missing); JSON "smartctl.version"
  joined with dots; lshw-json: None.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reemploi import texts
from reemploi.errors import Invalid

PLACEHOLDERS = frozenset(
    p.lower()
    for p in (
        "",
        "--",
        "To Be Filled By O.E.M.",
        "Default string",
        "Not Specified",
        "Not Available",
        "None",
        "N/A",
        "System Serial Number",
        "0",
        "00000000",
        "Unknown",
        "Not Provided",
        "Chassis Serial Number",
        "System Product Name",
        "System manufacturer",
        "Base Board Serial Number",
        "OEM",
        "123456789",
        "Invalid",
        "xxxxxxxxxxxx",
        "[Empty]",
    )
)


class UnreadableReport(Invalid):
    """A file that is not one of the formats, or is truncated where a value was expected."""


@dataclass(frozen=True, slots=True)
class System:
    manufacturer: str | None = None
    product: str | None = None
    serial: str | None = None
    sku: str | None = None


@dataclass(frozen=True, slots=True)
class MemoryModule:
    size_mb: int
    kind: str | None = None
    speed_mts: int | None = None
    locator: str | None = None


@dataclass(frozen=True, slots=True)
class Battery:
    design_capacity_mwh: int | None = None
    full_capacity_mwh: int | None = None
    name: str | None = None
    manufacturer: str | None = None

    @property
    def health_percent(self) -> int | None:
        """Full charge capacity against design capacity, when both are known."""
        if not self.design_capacity_mwh or self.full_capacity_mwh is None:
            return None
        return round(100 * self.full_capacity_mwh / self.design_capacity_mwh)


@dataclass(frozen=True, slots=True)
class Drive:
    model: str | None = None
    serial: str | None = None
    capacity_bytes: int | None = None
    kind: str | None = None  # "hdd", "ssd", "nvme"
    health_passed: bool | None = None
    power_on_hours: int | None = None
    reallocated_sectors: int | None = None
    pending_sectors: int | None = None
    uncorrectable: int | None = None
    nvme_percentage_used: int | None = None


@dataclass(frozen=True, slots=True)
class Report:
    kind: str  # "dmidecode", "smartctl", "smartctl-json", "lshw-json"
    system: System | None = None
    cpu: str | None = None
    memory_mb: int | None = None
    memory_modules: list[MemoryModule] = field(default_factory=list)
    batteries: list[Battery] = field(default_factory=list)
    drives: list[Drive] = field(default_factory=list)
    tool_version: str | None = None  # "dmidecode 3.5", "smartctl 7.2" when stated (lshw -json does not)


def read_report(filename: str, content: bytes) -> Report:
    """The report in `content` (the name only helps the error messages)."""
    name = filename[:200] or "fichier"
    text = _text(name, content)
    start = text.lstrip()[:1]
    if start in ("{", "["):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise UnreadableReport(texts.report_bad_json(name, exc.lineno if hasattr(exc, "lineno") else 0)) from None
        if isinstance(data, dict) and ("smartctl" in data or "json_format_version" in data):
            return _smartctl_json(name, data)
        if (isinstance(data, dict) and data.get("class") == "system") or (
            isinstance(data, list) and data and isinstance(data[0], dict) and data[0].get("class") == "system"
        ):
            return _lshw(name, data[0] if isinstance(data, list) else data)
        raise UnreadableReport(texts.report_unknown_json(name))
    if "DMI type" in text or text.startswith("# dmidecode"):
        return _dmidecode(name, text)
    if "smartctl" in text[:200] or "=== START OF" in text:
        return _smartctl_text(name, text)
    raise UnreadableReport(texts.report_unknown_format(name))


# --- shared helpers --------------------------------------------------------------------------------

_INTEGER = re.compile(r"\d+")
_SEPARATORS = re.compile(r"[,.\s\u00a0\u202f']")


def _text(name: str, content: bytes) -> str:
    if not content.strip():
        raise UnreadableReport(texts.report_empty(name))
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        raise UnreadableReport(texts.report_not_text(name)) from None
    if "\x00" in text:
        raise UnreadableReport(texts.report_not_text(name))
    return text.replace("\r\n", "\n")


def clean(value: object) -> str | None:
    """A text value, or None when missing or a placeholder ("--", "To Be Filled By O.E.M." …)."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return None if text.lower() in PLACEHOLDERS else text


def _first_integer(value: str | None) -> int | None:
    if value is None:
        return None
    found = _INTEGER.search(value)
    return int(found.group()) if found else None


def _grouped_integer(value: str | None) -> int | None:
    """'500,107,862,016 bytes [500 GB]' → 500107862016 (also with spaces or U+00A0 as separators)."""
    if value is None:
        return None
    number = re.split(r"bytes|\[", value, maxsplit=1)[0]
    digits = _SEPARATORS.sub("", number)
    return int(digits) if digits.isascii() and digits.isdecimal() else None


def _size_mb(value: str | None) -> int | None:
    """'16 GB' → 16384, '8192 MB' → 8192, '16384 kB' → 16; None for 'No Module Installed'."""
    found = re.fullmatch(r"\s*(\d+)\s*(kB|KB|MB|GB|TB)\s*", value or "")
    if not found:
        return None
    factor = {"kB": 1 / 1024, "KB": 1 / 1024, "MB": 1, "GB": 1024, "TB": 1024 * 1024}[found.group(2)]
    return int(int(found.group(1)) * factor) or None


# --- dmidecode ------------------------------------------------------------------------------------


def _dmi_records(text: str) -> list[tuple[str, dict[str, str]]]:
    """Each record's title ('System Information') and its 'Key: value' lines (one tab deep)."""
    records = []
    for block in re.split(r"\n\s*\n", text):
        lines = block.split("\n")
        for index, line in enumerate(lines):
            if line.startswith("Handle 0x") and "DMI type" in line:
                if index + 1 < len(lines):
                    values: dict[str, str] = {}
                    for entry in lines[index + 2 :]:
                        if entry.startswith("\t") and not entry.startswith("\t\t") and ":" in entry:
                            key, _, value = entry.strip().partition(":")
                            values.setdefault(key.strip(), value.strip())
                    records.append((lines[index + 1].strip(), values))
                break
    return records


def _dmidecode(name: str, text: str) -> Report:
    records = _dmi_records(text)
    systems = [values for title, values in records if title == "System Information"]
    if not systems:
        raise UnreadableReport(texts.report_missing(name, "dmidecode", "System Information"))
    system_values = systems[0]
    system = System(
        clean(system_values.get("Manufacturer")),
        clean(system_values.get("Product Name")),
        clean(system_values.get("Serial Number")),
        clean(system_values.get("SKU Number")),
    )
    cpus = [clean(values.get("Version")) for title, values in records if title == "Processor Information"]
    modules = []
    for title, values in records:
        if title != "Memory Device":
            continue
        size = _size_mb(values.get("Size"))
        if size is None:
            continue
        kind = clean(values.get("Type"))
        modules.append(
            MemoryModule(
                size,
                None if kind in (None, "Other") else kind,
                _first_integer(clean(values.get("Speed"))),
                clean(values.get("Locator")),
            )
        )
    batteries = [
        Battery(
            _first_integer(clean(values.get("Design Capacity"))),
            None,
            clean(values.get("Name")),
            clean(values.get("Manufacturer")),
        )
        for title, values in records
        if title == "Portable Battery"
    ]
    version = re.match(r"# (dmidecode [\d.]+)", text)
    return Report(
        "dmidecode",
        system,
        cpus[0] if cpus else None,
        sum(m.size_mb for m in modules) or None,
        modules,
        batteries,
        [],
        version.group(1) if version else None,
    )


# --- smartctl (text) ------------------------------------------------------------------------------


def _fields(text: str) -> dict[str, str]:
    """'Key:   value' lines of smartctl's information sections (the first occurrence of each key)."""
    values: dict[str, str] = {}
    for line in text.split("\n"):
        found = re.match(r"^([A-Za-z][A-Za-z0-9 /()._-]*?):\s+(.*)$", line)
        if found:
            values.setdefault(found.group(1).strip(), found.group(2).strip())
    return values


def _ata_attributes(text: str) -> dict[int, int | None]:
    """ATA attribute id → first integer of its raw value, from either table layout (-a or -x)."""
    attributes: dict[int, int | None] = {}
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not line.startswith("ID#"):
            continue
        # -a: FLAG VALUE WORST THRESH TYPE UPDATED WHEN_FAILED RAW_VALUE; -x: FLAGS VALUE WORST THRESH FAIL RAW_VALUE
        skip = 3 if " TYPE " in line else 1
        for row in lines[index + 1 :]:
            parts = row.split()
            if len(parts) < 6 + skip or not (parts[0].isascii() and parts[0].isdecimal()):
                break
            raw = " ".join(parts[5 + skip :])
            attributes[int(parts[0])] = _first_integer(raw)
        break
    return attributes


def _smartctl_text(name: str, text: str) -> Report:
    if "=== START OF INFORMATION SECTION ===" not in text:
        raise UnreadableReport(texts.report_missing(name, "smartctl", "=== START OF INFORMATION SECTION ==="))
    values = _fields(text)
    nvme = "NVMe Version" in values or "Total NVM Capacity" in values or "Namespace 1 Size/Capacity" in values
    model = clean(values.get("Device Model") or values.get("Model Number") or values.get("Product"))
    if model is None:
        raise UnreadableReport(texts.report_missing(name, "smartctl", "Device Model / Model Number"))
    capacity = _grouped_integer(
        values.get("User Capacity") or values.get("Namespace 1 Size/Capacity") or values.get("Total NVM Capacity")
    )
    rotation = values.get("Rotation Rate", "")
    kind = "nvme" if nvme else "ssd" if "Solid State" in rotation else "hdd" if "rpm" in rotation else None
    health_line = re.search(r"SMART overall-health self-assessment test result:\s*(\S+)", text)
    scsi_health = re.search(r"SMART Health Status:\s*(\S+)", text)
    if health_line:
        health: bool | None = health_line.group(1).upper() == "PASSED"
    elif scsi_health:
        health = scsi_health.group(1).upper() == "OK"
    else:
        health = None
    if nvme:
        hours = _grouped_integer(values.get("Power On Hours"))
        media_errors = _grouped_integer(values.get("Media and Data Integrity Errors"))
        used = _first_integer(values.get("Percentage Used"))
        drive = Drive(
            model, clean(values.get("Serial Number")), capacity, kind, health, hours, None, None, media_errors, used
        )
    else:
        attributes = _ata_attributes(text)
        statistics = re.search(
            r"^\S+\s+\S+\s+\d+\s+(\d+)\s+\S+\s+Number of Reported Uncorrectable Errors", text, re.MULTILINE
        )
        candidates = [attributes.get(187), attributes.get(198), int(statistics.group(1)) if statistics else None]
        known = [value for value in candidates if value is not None]
        drive = Drive(
            model,
            clean(values.get("Serial Number")),
            capacity,
            kind,
            health,
            attributes.get(9),
            attributes.get(5),
            attributes.get(197),
            max(known) if known else None,
            None,
        )
    version = re.match(r"smartctl ([\d.]+)", text)
    return Report("smartctl", drives=[drive], tool_version=f"smartctl {version.group(1)}" if version else None)


def _object(value: Any) -> dict[str, Any]:
    """A JSON report's sub-object, or an empty one where the report has something else there."""
    return value if isinstance(value, dict) else {}


# --- smartctl -j ----------------------------------------------------------------------------------


def _smartctl_json(name: str, data: dict[str, Any]) -> Report:
    model = clean(data.get("model_name") or data.get("scsi_model_name"))
    if model is None:
        raise UnreadableReport(texts.report_missing(name, "smartctl -j", "model_name"))
    device = _object(data.get("device"))
    nvme = (
        device.get("type") == "nvme" or device.get("protocol") == "NVMe" or "nvme_smart_health_information_log" in data
    )
    rotation = data.get("rotation_rate")
    kind = "nvme" if nvme else "ssd" if rotation == 0 else "hdd" if isinstance(rotation, int) and rotation > 0 else None
    capacity = (data.get("user_capacity") or {}).get("bytes") if isinstance(data.get("user_capacity"), dict) else None
    if capacity is None and nvme:
        capacity = data.get("nvme_total_capacity")
    status = data.get("smart_status")
    health = status.get("passed") if isinstance(status, dict) else None
    hours = (data.get("power_on_time") or {}).get("hours") if isinstance(data.get("power_on_time"), dict) else None
    if nvme:
        log = data.get("nvme_smart_health_information_log") or {}
        drive = Drive(
            model,
            clean(data.get("serial_number")),
            capacity,
            kind,
            health,
            hours,
            None,
            None,
            log.get("media_errors"),
            log.get("percentage_used"),
        )
    else:
        table = ((data.get("ata_smart_attributes") or {}).get("table")) or []
        raw: dict[int, int | None] = {}
        for row in table:
            if isinstance(row, dict) and isinstance(row.get("id"), int):
                value = row.get("raw") or {}
                raw[row["id"]] = _first_integer(str(value.get("string", value.get("value", ""))))
        statistics = None
        for page in (data.get("ata_device_statistics") or {}).get("pages") or []:
            for entry in page.get("table") or []:
                if entry.get("name") == "Number of Reported Uncorrectable Errors":
                    statistics = entry.get("value")
        known = [value for value in (raw.get(187), raw.get(198), statistics) if value is not None]
        drive = Drive(
            model,
            clean(data.get("serial_number")),
            capacity,
            kind,
            health,
            hours if hours is not None else raw.get(9),
            raw.get(5),
            raw.get(197),
            max(known) if known else None,
            None,
        )
    version = (data.get("smartctl") or {}).get("version")
    tool = f"smartctl {'.'.join(str(part) for part in version)}" if isinstance(version, list) else None
    return Report("smartctl-json", drives=[drive], tool_version=tool)


# --- lshw -json -----------------------------------------------------------------------------------


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children") or []:
        if isinstance(child, dict):
            yield from _walk(child)


def _lshw(name: str, root: dict[str, Any]) -> Report:
    nodes = list(_walk(root))
    configuration = _object(root.get("configuration"))
    sku = clean(configuration.get("sku"))
    product = clean(root.get("product"))
    if product and sku and product.endswith(f" ({sku})"):  # lshw appends the SKU: "HP ProBook 430 G4 (W6P93AV)"
        product = product[: -len(sku) - 3]
    system = System(clean(root.get("vendor")), product, clean(root.get("serial")), sku)
    cpus = [clean(n.get("product")) for n in nodes if n.get("class") == "processor" and clean(n.get("product"))]
    modules: list[MemoryModule] = []
    memory_mb = None
    for node in nodes:
        if node.get("class") == "memory" and node.get("id") == "memory":
            if isinstance(node.get("size"), int):
                memory_mb = node["size"] // (1024 * 1024)
            for bank in node.get("children") or []:
                if isinstance(bank.get("size"), int) and bank["size"] > 0:
                    kind = re.search(r"\bL?P?DDR\d?\b", str(bank.get("description", "")))
                    modules.append(
                        MemoryModule(
                            bank["size"] // (1024 * 1024), kind.group() if kind else None, None, clean(bank.get("slot"))
                        )
                    )
    if modules:
        memory_mb = sum(m.size_mb for m in modules)
    drives = []
    for node in nodes:
        if node.get("class") == "disk" and isinstance(node.get("size"), int):
            drives.append(Drive(clean(node.get("product")), clean(node.get("serial")), node["size"]))
    batteries = []
    for node in nodes:
        if node.get("class") == "power":
            config = _object(node.get("configuration"))
            design = node.get("capacity") if node.get("units") == "mWh" else None
            batteries.append(
                Battery(
                    design if isinstance(design, int) else None,
                    _first_integer(str(config.get("maximum"))) if "maximum" in config else None,
                    clean(node.get("product")),
                    clean(node.get("vendor")),
                )
            )
    return Report("lshw-json", system, cpus[0] if cpus else None, memory_mb, modules, batteries, drives, None)
