"""Hardware reports collected on a live USB, read into what the workshop needs to know.

Pure functions, no I/O: `read_report(filename, content)` takes the bytes of one file and answers a
`Report`, or raises `UnreadableReport` (a 422) naming what could not be read. The raw file is kept
unchanged by the caller; this module only extracts.

Text encodings: UTF-8 with or without a byte-order mark, UTF-16 with one or without (every other byte
NUL), else Windows-1252 (Latin-1 for the bytes it leaves undefined): smartctl for Windows writes the
console's code page. CRLF and CR line ends are read as LF.

Formats (detected from the content, not the file name):
- `dmidecode`      the text of `dmidecode` (system, CPU, memory modules, batteries);
- `smartctl`       the text of `smartctl -a` / `smartctl -x` for one drive (ATA, SATA SSD, SAS/SCSI, NVMe;
                   behind a RAID controller or a USB bridge too: `-d megaraid,N`, `-d sat`);
- `smartctl-json`  the JSON of `smartctl -j -a` / `smartctl --json -x` for one drive (also its drive part
                   alone, without the "smartctl" header, as some collectors keep it);
- `lshw-json`      the JSON of `lshw -json` (system, CPU, memory, disks, batteries when present).

What is extracted, and exactly how (the tests hold the same definitions, written by hand):
- Text values are stripped. A placeholder counts as missing (None): "", "--", "To Be Filled By
  O.E.M.", "To be filled by O.E.M.", "Default string", "Not Specified", "Not Available", "None",
  "N/A", "System Serial Number", "0", "00000000", "Unknown", "Not Provided", "Chassis Serial
  Number", "System Product Name", "System manufacturer", "Base Board Serial Number", "OEM",
  "123456789", "Invalid", "xxxxxxxxxxxx", "[Empty]", "System SKU#", "SKU", "SKU=NotProvided",
  "NotProvided", "(NONE)", "Not Applicable", "Type1ProductConfigId", "Type1Sku0", "Default_string" —
  compared case-insensitively, after stripping (see PLACEHOLDERS) — and any value made only of zeros
  ("0000000000") or of four X's or more ("XXXXXXXX", a serial masked before publishing); a partly
  masked value ("Z1Z5DWJK0000XXXXXXXX") is kept.
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
  in MiB (dmidecode: None). lshw memory arrays are the nodes of class "memory" described "System
  Memory" (or the kernel's "System memory"), whatever their id ("memory", "memory:0", "memory:1"…,
  summed); caches, the firmware and PCI memory controllers are not.
- batteries (dmidecode "Portable Battery"): design_capacity_mwh ("Design Capacity: 23480 mWh" →
  23480; None if unknown), full_capacity_mwh (None from dmidecode: it does not report it; lshw:
  configuration "capacity"/"maximum" when given in mWh), name ("Name"), manufacturer. lshw batteries
  are the nodes of class "power" that say they are one (a description naming a battery, a voltage or
  a chemistry in their configuration), not power supplies, and not nodes with nothing known.
- drives (smartctl text or JSON: one drive a file; lshw: nodes of class "disk" with a "size", an
  NVMe namespace counting as its controller's drive, with the controller's product and serial and
  the namespaces' sizes summed):
  model ("Device Model" (ATA), "Model Number" (NVMe), "Vendor" + " " + "Product" (SAS/SCSI, as
  smartctl -j's model_name writes it); JSON "model_name"), serial ("Serial Number", and SAS/SCSI's
  "Serial number": keys are compared without case; JSON "serial_number"), capacity_bytes ("User
  Capacity"; NVMe: the whole drive, "Total NVM Capacity", else (absent or 0) the sum of the
  "Namespace N Size/Capacity" lines — never namespace 1's alone; the digits before "bytes" or "[",
  every locale's grouping removed: "," "." "'" U+2019 U+02BC and spaces incl. U+00A0, U+202F,
  U+2009; JSON "user_capacity.bytes", NVMe "nvme_total_capacity", else the namespaces' capacities),
  wwn (ATA "LU WWN Device Id", SAS "Logical Unit id", NVMe "Namespace 1 IEEE EUI-64" or "NGUID";
  JSON "wwn", "logical_unit_id", "eui64", "nguid"), written "naa.<16 or 32 hex>", "eui.<16 hex>",
  "nguid.<32 hex>"; None when truncated ("5 000c50 ..."), all zeros, or an NAA name without a
  vendor (OUI 000000, a firmware's stand-in shared by many drives). A report with neither model,
  serial, capacity nor WWN is refused.
  kind: "nvme" for an NVMe drive, "ssd" when "Rotation Rate" says "Solid State Device" (JSON
  rotation_rate 0), "hdd" when it gives rpm, otherwise None,
  health_passed: True when "SMART overall-health self-assessment test result: PASSED" (or SCSI
  "SMART Health Status: OK"), False when FAILED, None when absent (JSON smart_status.passed),
  power_on_hours: ATA attribute 9's raw value, its first integer ("11392 (81 69 0)" → 11392,
  "1234h+05m+06.789s" → 1234); NVMe "Power On Hours" (JSON power_on_time.hours),
  reallocated_sectors: ATA attribute id 5's raw value (whatever its name); SAS/SCSI "Elements in
  grown defect list" (JSON scsi_grown_defect_list); else None,
  pending_sectors: ATA attribute id 197's raw value (whatever its name); SAS/SCSI "Pending defect
  count"; else None,
  uncorrectable: the largest of ATA attribute 187's raw value, attribute 198's raw value and the
  Device Statistics line "Number of Reported Uncorrectable Errors"; NVMe "Media and Data Integrity
  Errors" (JSON nvme_smart_health_information_log.media_errors); SAS/SCSI the "Total uncorrected
  errors" of the error counter log, read + write + verify; None when none is present,
  SAS/SCSI power_on_hours: "Accumulated power on time, hours:minutes H:M" → H, else the vendor
  page's "number of hours powered up = H.hh" → H (JSON power_on_time.hours),
  nvme_percentage_used: NVMe "Percentage Used" ("1%" → 1), None for other drives (an ATA drive's
  "Percentage Used Endurance Indicator" is not it).
  NVMe counters are grouped like capacities ("Power On Hours: 12,345" → 12345). Error-log entry
  counts ("ATA Error Count", "Error Information Log Entries") are not uncorrectable errors.
  ATA raw values are the first integer of the RAW_VALUE column ("0/0" → 0).
- Whether a report belongs to its device is not decided here: the caller compares the system's
  serial with the device's serial.
- tool_version: "dmidecode 3.5" from "# dmidecode 3.5"; "smartctl 7.2" from the first line
  "smartctl 7.2 2020-12-30 r5155 …" ("smartctl pre-7.4" for a pre-release; None when the header is
  missing); JSON "smartctl.version" joined with dots; lshw-json: None.
- tpm: dmidecode's "TPM Device" (type 43) "Specification Version" as "major.minor" ("2.0", "1.2"; the
  first number pair, as some collectors glue the next field to it); with no such record, NO_TPM
  ("none") when the table is SMBIOS 3.1 or later (type 43 exists since 3.1), else None; lshw: None
  (it does not report the TPM).
- uefi: dmidecode's "BIOS Information" lists "UEFI is supported" → True; a BIOS Information without
  it → False when SMBIOS is 2.7 or later (the flag exists since 2.7), else None; lshw: the node
  "firmware" has the capability "uefi" → True, a firmware node without it → False, none → None.
- secure_boot: no report says it (only a running system could): None.
- notice: a dmidecode of a machine without SMBIOS ("# No SMBIOS nor DMI entry point found, sorry.",
  no record) is read as nothing — system None, no module — with a notice that says so, instead of
  being refused (the other files of the upload are kept); a dmidecode with a header and no record
  otherwise is a cut file, refused.
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
from reemploi.rules.windows11 import NO_TPM  # a report that shows the machine has no TPM: Report.tpm

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
        # SKUs and serials vendors leave unset (issue 17): a value, not a fact about the machine
        "System SKU#",
        "SKU",
        "SKU=NotProvided",
        "NotProvided",
        "(NONE)",
        "Not Applicable",
        "Type1ProductConfigId",
        "Type1Sku0",
        "Default_string",
        "To Be Filled By O.E.M. by More String",
    )
)
# A serial made only of zeros ("0000000000") or of X's ("XXXXXXXX", masked before publishing): no serial.
_MASKED = re.compile(r"0+|[xX]{4,}")


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
    reallocated_sectors: int | None = None  # ATA attribute 5; SAS/SCSI: the grown defect list
    pending_sectors: int | None = None
    uncorrectable: int | None = None
    nvme_percentage_used: int | None = None
    # The drive's world-wide name where the report gives it whole: "naa.5000cca25c244870" (ATA "LU WWN
    # Device Id", SAS "Logical Unit id"), "eui.0026b72826f6bb15" (NVMe EUI-64), "nguid.<32 hex>".
    wwn: str | None = None


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
    # What was read as nothing, and why (a dmidecode of a machine without SMBIOS): shown, never silent.
    notice: str | None = None
    # The firmware, for what the machine can run (Windows 11): None when this report cannot tell.
    tpm: str | None = None  # the TPM's specification version ("2.0", "1.2"), or NO_TPM when the report shows none
    uefi: bool | None = None  # the firmware supports UEFI
    secure_boot: bool | None = None  # Secure Boot is on (only a running system can say: the probe)


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
        if isinstance(data, dict) and _is_smartctl_json(data):
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


def _is_smartctl_json(data: dict[str, Any]) -> bool:
    """smartctl -j output; older tools (and some collectors) keep only its drive part, without the
    "smartctl" header: a "device" with its protocol and a model or serial is still one."""
    if "smartctl" in data or "json_format_version" in data:
        return True
    device = data.get("device")
    return isinstance(device, dict) and "protocol" in device and ("model_name" in data or "serial_number" in data)


# --- shared helpers --------------------------------------------------------------------------------

_INTEGER = re.compile(r"\d+")
# Digit grouping in every locale smartctl prints: "," (C, en), "." (de, fr_CH…), "'" and U+2019 (de_CH),
# spaces, U+00A0 and U+202F (fr, ru…), U+2009 thin space; \s covers the Unicode spaces.
_SEPARATORS = re.compile(r"[,.\s'\u2019\u02bc]")


UTF16_LE = "utf-16-le"  # a codec's name (the French-text test would read "le" as an article)


def _text(name: str, content: bytes) -> str:
    """The file as text: UTF-8 (with or without a byte-order mark), UTF-16 (with a byte-order mark, or
    without one when every other byte is NUL, as Windows' redirection writes it), else Windows-1252 /
    Latin-1 (smartctl for Windows writes the console's code page). Binary is refused."""
    if not content.strip():
        raise UnreadableReport(texts.report_empty(name))
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(name, content, "utf-16")
    elif _looks_utf16(content):
        text = _decode(name, content, UTF16_LE if content[1:2] == b"\x00" else "utf-16-be")
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace") if b"\x00" not in content else "\x00"
            if "\ufffd" in text:  # a byte cp1252 leaves undefined: Latin-1 has them all
                text = content.decode("latin-1")
    if "\x00" in text or sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\t\n\r\f") > 8:
        raise UnreadableReport(texts.report_not_text(name))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_utf16(content: bytes) -> bool:
    """UTF-16 without a byte-order mark: ASCII text with a NUL in every other byte."""
    sample = content[:512]
    if len(sample) < 8 or len(sample) % 2:
        return False
    for zeros, text in ((sample[1::2], sample[0::2]), (sample[0::2], sample[1::2])):
        if zeros.count(0) == len(zeros) and 0 not in text:
            return True
    return False


def _decode(name: str, content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        raise UnreadableReport(texts.report_not_text(name)) from None


def clean(value: object) -> str | None:
    """A text value, or None when missing or a placeholder ("--", "To Be Filled By O.E.M." …)."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return None if text.lower() in PLACEHOLDERS or _MASKED.fullmatch(text) else text


def _first_integer(value: str | None) -> int | None:
    if value is None:
        return None
    found = _INTEGER.search(value)
    return int(found.group()) if found else None


def _grouped_integer(value: str | None) -> int | None:
    """'500,107,862,016 bytes [500 GB]' → 500107862016 (with any locale's grouping, see _SEPARATORS)."""
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


def _wwn(prefix: str, value: object, digits: int) -> str | None:
    """'5 000cca 25c244870' or '0x5000cca25c244870' → 'naa.5000cca25c244870'; None when truncated
    ('5 000cca ...', as anonymised collections print it), all zeros or not hexadecimal."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower().removeprefix("0x").replace(" ", "").replace("-", "")
    if len(text) != digits or not re.fullmatch(r"[0-9a-f]+", text) or not text.strip("0"):
        return None
    if prefix == "naa" and text[1:7] == "000000":  # no vendor: a firmware's stand-in, shared by many drives
        return None
    return f"{prefix}.{text}"


def _total(values: list[int | None]) -> int | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


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
    if not records and re.search(r"^# No SMBIOS nor DMI entry point found", text, re.MULTILINE):
        # A machine without SMBIOS (many virtual machines, some boards): nothing to read, said so.
        version = re.match(r"# (dmidecode [\d.]+)", text)
        return Report("dmidecode", tool_version=version.group(1) if version else None, notice=texts.no_smbios(name))
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
    tpm, uefi = _dmi_firmware(text, records)
    return Report(
        "dmidecode",
        system,
        cpus[0] if cpus else None,
        sum(m.size_mb for m in modules) or None,
        modules,
        batteries,
        [],
        version.group(1) if version else None,
        tpm=tpm,
        uefi=uefi,
    )


def _smbios_version(text: str) -> tuple[int, int] | None:
    found = re.search(r"^SMBIOS (\d+)\.(\d+)(?:\.\d+)? present", text, re.MULTILINE)
    return (int(found.group(1)), int(found.group(2))) if found else None


def _dmi_firmware(text: str, records: list[tuple[str, dict[str, str]]]) -> tuple[str | None, bool | None]:
    """The TPM ("2.0", NO_TPM, None) and UEFI support (True, False, None) a dmidecode shows."""
    smbios = _smbios_version(text)
    tpm: str | None = None
    for title, values in records:
        if title == "TPM Device":
            # Some collectors lose the tab between fields: "Specification Version: 2.0\tFirmware Revision: …"
            found = re.match(r"\s*(\d+)\.(\d+)", values.get("Specification Version", ""))
            tpm = f"{int(found.group(1))}.{int(found.group(2))}" if found else tpm
            break
    else:
        if smbios is not None and smbios >= (3, 1):  # type 43 exists since SMBIOS 3.1: its absence says "no TPM"
            tpm = NO_TPM
    uefi: bool | None = None
    if any(title == "BIOS Information" for title, _ in records):
        if re.search(r"^\s+UEFI is supported", text, re.MULTILINE):
            uefi = True
        elif smbios is not None and smbios >= (2, 7):  # the flag exists since SMBIOS 2.7
            uefi = False
    return tpm, uefi


# --- smartctl (text) ------------------------------------------------------------------------------


def _fields(text: str) -> dict[str, str]:
    """'Key:   value' lines of smartctl's information sections (the first occurrence of each key,
    keys compared without case: SAS drives say "Serial number", ATA ones "Serial Number")."""
    values: dict[str, str] = {}
    for line in text.split("\n"):
        found = re.match(r"^([A-Za-z][A-Za-z0-9 /()._-]*?):\s+(.*)$", line)
        if found:
            values.setdefault(" ".join(found.group(1).split()).lower(), found.group(2).strip())
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


def _scsi_uncorrected(text: str) -> int | None:
    """The "Total uncorrected errors" column (the last) of the SCSI error counter log, read + write + verify."""
    found = [int(row) for row in re.findall(r"^(?:read|write|verify):\s.*?\s(\d+)\s*$", text, re.MULTILINE)]
    return sum(found) if found else None


def _scsi_power_on_hours(text: str) -> int | None:
    accumulated = re.search(r"Accumulated power on time, hours:minutes\s+(\d+):", text)
    if accumulated:
        return int(accumulated.group(1))
    vendor = re.search(r"number of hours powered up\s*=\s*(\d+)", text)  # Seagate/Hitachi factory page
    return int(vendor.group(1)) if vendor else None


def _smartctl_text(name: str, text: str) -> Report:
    if "=== START OF INFORMATION SECTION ===" not in text:
        raise UnreadableReport(texts.report_missing(name, "smartctl", "=== START OF INFORMATION SECTION ==="))
    values = _fields(text)
    nvme = "nvme version" in values or "total nvm capacity" in values or "namespace 1 size/capacity" in values
    scsi = "transport protocol" in values or ("product" in values and "device model" not in values)
    if scsi:  # smartctl -j names it "<vendor> <product>": the same name from both outputs
        model = " ".join(part for part in (clean(values.get("vendor")), clean(values.get("product"))) if part) or None
    else:
        model = clean(values.get("device model") or values.get("model number") or values.get("product"))
    serial = clean(values.get("serial number"))
    if nvme:
        total = _grouped_integer(values.get("total nvm capacity"))
        namespaces = [_grouped_integer(v) for k, v in values.items() if re.fullmatch(r"namespace \d+ size/capacity", k)]
        capacity = total or _total(namespaces)  # "Total NVM Capacity: 0" on drives that do not report it
        wwn = _wwn("eui", values.get("namespace 1 ieee eui-64"), 16) or _wwn(
            "nguid", values.get("namespace 1 nguid"), 32
        )
    else:
        capacity = _grouped_integer(values.get("user capacity"))
        lu = values.get("lu wwn device id") or values.get("logical unit id")
        wwn = _wwn("naa", lu, 16) or _wwn("naa", lu, 32)  # NAA 5 (a drive), NAA 6 (a RAID volume)
    if model is None and serial is None and capacity is None and wwn is None:
        raise UnreadableReport(texts.report_missing(name, "smartctl", "Device Model / Model Number"))
    rotation = values.get("rotation rate", "")
    kind = "nvme" if nvme else "ssd" if "Solid State" in rotation else "hdd" if "rpm" in rotation else None
    health_line = re.search(r"SMART overall-health self-assessment test result:\s*(\S+)", text)
    scsi_health = re.search(r"SMART Health Status:\s*(\S+)", text)
    if health_line:
        health: bool | None = health_line.group(1).upper() == "PASSED"
    elif scsi_health:
        health = scsi_health.group(1).upper() == "OK"
    else:
        health = None
    counters: tuple[int | None, int | None, int | None, int | None, int | None]  # hours, 5, 197, errors, wear
    if nvme:
        counters = (
            _grouped_integer(values.get("power on hours")),
            None,
            None,
            _grouped_integer(values.get("media and data integrity errors")),
            _first_integer(values.get("percentage used")),
        )
    elif scsi:
        pending = re.search(r"Pending defect count:\s*(\d+)", text)
        counters = (
            _scsi_power_on_hours(text),
            _first_integer(values.get("elements in grown defect list")),
            int(pending.group(1)) if pending else None,
            _scsi_uncorrected(text),
            None,
        )
    else:
        attributes = _ata_attributes(text)
        statistics = re.search(
            r"^\S+\s+\S+\s+\d+\s+(\d+)\s+\S+\s+Number of Reported Uncorrectable Errors", text, re.MULTILINE
        )
        candidates = [attributes.get(187), attributes.get(198), int(statistics.group(1)) if statistics else None]
        known = [value for value in candidates if value is not None]
        counters = (attributes.get(9), attributes.get(5), attributes.get(197), max(known) if known else None, None)
    hours, reallocated, pending_count, errors, wear = counters
    drive = Drive(model, serial, capacity, kind, health, hours, reallocated, pending_count, errors, wear, wwn)
    version = re.match(r"smartctl ((?:pre-)?[\d.]+)", text)
    return Report("smartctl", drives=[drive], tool_version=f"smartctl {version.group(1)}" if version else None)


def _object(value: Any) -> dict[str, Any]:
    """A JSON report's sub-object, or an empty one where the report has something else there."""
    return value if isinstance(value, dict) else {}


# --- smartctl -j ----------------------------------------------------------------------------------


def _json_wwn(data: dict[str, Any]) -> str | None:
    """smartctl -j's "wwn" {naa, oui, id} (ATA), "logical_unit_id" (SCSI), "eui64" {oui, ext_id} or
    "nguid" (NVMe, at the top or on the first namespace)."""
    wwn = _object(data.get("wwn"))
    if all(isinstance(wwn.get(k), int) for k in ("naa", "oui", "id")):
        return _wwn("naa", f"{wwn['naa']:x}{wwn['oui']:06x}{wwn['id']:09x}", 16)
    if isinstance(data.get("logical_unit_id"), str):
        return _wwn("naa", data["logical_unit_id"], 16) or _wwn("naa", data["logical_unit_id"], 32)
    namespaces = data.get("nvme_namespaces")
    first = _object(namespaces[0]) if isinstance(namespaces, list) and namespaces else {}
    for source in (data, first):
        eui = _object(source.get("eui64"))
        if isinstance(eui.get("oui"), int) and isinstance(eui.get("ext_id"), int):
            return _wwn("eui", f"{eui['oui']:06x}{eui['ext_id']:010x}", 16)
        if isinstance(source.get("nguid"), str):
            return _wwn("nguid", source["nguid"], 32)
    return None


def _smartctl_json(name: str, data: dict[str, Any]) -> Report:
    model = clean(data.get("model_name") or data.get("scsi_model_name"))
    serial = clean(data.get("serial_number"))
    wwn = _json_wwn(data)
    device = _object(data.get("device"))
    nvme = (
        device.get("type") == "nvme" or device.get("protocol") == "NVMe" or "nvme_smart_health_information_log" in data
    )
    scsi = device.get("protocol") == "SCSI"
    rotation = data.get("rotation_rate")
    kind = "nvme" if nvme else "ssd" if rotation == 0 else "hdd" if isinstance(rotation, int) and rotation > 0 else None
    capacity = _object(data.get("user_capacity")).get("bytes")
    if nvme:  # the whole drive, every namespace, not namespace 1's
        sizes = [_object(_object(n).get("capacity")).get("bytes") for n in data.get("nvme_namespaces") or []]
        capacity = (
            data.get("nvme_total_capacity") or _total([s if isinstance(s, int) else None for s in sizes]) or capacity
        )
    if model is None and serial is None and capacity is None and wwn is None:
        raise UnreadableReport(texts.report_missing(name, "smartctl -j", "model_name"))
    status = data.get("smart_status")
    health = status.get("passed") if isinstance(status, dict) else None
    hours = _object(data.get("power_on_time")).get("hours")
    counters: tuple[int | None, int | None, int | None, int | None, int | None]  # hours, 5, 197, errors, wear
    if nvme:
        log = _object(data.get("nvme_smart_health_information_log"))
        counters = (hours, None, None, log.get("media_errors"), log.get("percentage_used"))
    elif scsi:
        error_log = _object(data.get("scsi_error_counter_log"))
        uncorrected = [_object(error_log.get(k)).get("total_uncorrected_errors") for k in ("read", "write", "verify")]
        pending = _object(data.get("scsi_pending_defects")).get("count")
        counters = (
            hours,
            data.get("scsi_grown_defect_list"),
            pending,
            _total([u if isinstance(u, int) else None for u in uncorrected]),
            None,
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
        counters = (
            hours if hours is not None else raw.get(9),
            raw.get(5),
            raw.get(197),
            max(known) if known else None,
            None,
        )
    hours, reallocated, pending_count, errors, wear = counters
    drive = Drive(model, serial, capacity, kind, health, hours, reallocated, pending_count, errors, wear, wwn)
    version = (data.get("smartctl") or {}).get("version")
    tool = f"smartctl {'.'.join(str(part) for part in version)}" if isinstance(version, list) else None
    return Report("smartctl-json", drives=[drive], tool_version=tool)


# --- lshw -json -----------------------------------------------------------------------------------


def _walk(
    node: dict[str, Any], parent: dict[str, Any] | None = None
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Every node with its parent (the root is its own parent)."""
    yield node, parent or node
    for child in node.get("children") or []:
        if isinstance(child, dict):
            yield from _walk(child, node)


def _is_system_memory(node: dict[str, Any]) -> bool:
    """A memory array (lshw's "System Memory" from SMBIOS, "System memory" from the kernel), whatever its
    id ("memory", "memory:0", "memory:1"…): not a cache, the firmware's ROM nor a PCI memory controller."""
    return node.get("class") == "memory" and str(node.get("description", "")).strip().lower() == "system memory"


def _is_battery(node: dict[str, Any]) -> bool:
    """A power node that is a battery (SMBIOS type 22: a chemistry, a voltage, "Battery" in its name), not
    a power supply (type 39) nor a node of placeholders with nothing known."""
    if node.get("class") != "power":
        return False
    description = (clean(node.get("description")) or "").lower()
    if "power supply" in description or "psu" in description.split():
        return False
    configuration = _object(node.get("configuration"))
    capabilities = " ".join(str(key).lower() for key in _object(node.get("capabilities")))
    battery = (
        "batter" in description
        or "voltage" in configuration
        or "chemistry" in configuration
        or "batter" in capabilities
    )
    known = any(clean(node.get(key)) for key in ("product", "vendor", "serial")) or isinstance(
        node.get("capacity"), int
    )
    return battery and known


def _lshw(name: str, root: dict[str, Any]) -> Report:
    nodes = list(_walk(root))
    configuration = _object(root.get("configuration"))
    sku = clean(configuration.get("sku"))
    product = clean(root.get("product"))
    if product and sku and product.endswith(f" ({sku})"):  # lshw appends the SKU: "HP ProBook 430 G4 (W6P93AV)"
        product = product[: -len(sku) - 3]
    system = System(clean(root.get("vendor")), product, clean(root.get("serial")), sku)
    cpus = [clean(n.get("product")) for n, _ in nodes if n.get("class") == "processor" and clean(n.get("product"))]
    modules: list[MemoryModule] = []
    arrays: list[int | None] = []
    for node, _ in nodes:
        if _is_system_memory(node):
            arrays.append(node["size"] // (1024 * 1024) if isinstance(node.get("size"), int) else None)
            for bank in node.get("children") or []:
                if isinstance(bank, dict) and isinstance(bank.get("size"), int) and bank["size"] > 0:
                    kind = re.search(r"\bL?P?DDR\d?\b", str(bank.get("description", "")))
                    modules.append(
                        MemoryModule(
                            bank["size"] // (1024 * 1024), kind.group() if kind else None, None, clean(bank.get("slot"))
                        )
                    )
    memory_mb = sum(m.size_mb for m in modules) if modules else _total(arrays)
    drives = []
    by_controller: dict[int, list[dict[str, Any]]] = {}
    for node, parent in nodes:
        if node.get("class") != "disk" or not isinstance(node.get("size"), int):
            continue
        if parent.get("class") == "storage" and "nvme" in str(parent.get("description", "")).lower():
            by_controller.setdefault(id(parent), [parent]).append(node)  # an NVMe namespace: the drive is its parent
        else:
            drives.append(Drive(clean(node.get("product")), clean(node.get("serial")), node["size"]))
    for controller, *namespaces in by_controller.values():
        drives.append(
            Drive(
                clean(controller.get("product")),
                clean(controller.get("serial")),
                sum(namespace["size"] for namespace in namespaces),
            )
        )
    batteries = []
    for node, _ in nodes:
        if _is_battery(node):
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
    firmware = [
        _object(n.get("capabilities")) for n, _ in nodes if n.get("class") == "memory" and n.get("id") == "firmware"
    ]
    uefi = any("uefi" in capabilities for capabilities in firmware) if firmware else None
    return Report(
        "lshw-json", system, cpus[0] if cpus else None, memory_mb, modules, batteries, drives, None, uefi=uefi
    )
