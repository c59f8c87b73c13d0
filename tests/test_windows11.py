"""Whether a machine can run Windows 11, from its hardware reports alone (issue 17, item 6).

The reports are real (linuxhw/DMI, CC BY 4.0 — tests/fixtures/hardware/SOURCES.md); what each one says
was read by hand from the file: its "SMBIOS x.y present" line, its "TPM Device" record (or none), the
"UEFI is supported" line of its BIOS characteristics, its processor's "Version" and memory sizes. The
processors' verdicts are Microsoft's lists as anyone reads them (8th-generation Intel Core and later,
AMD Zen+ and later, with named exceptions such as the i7-7820HQ)."""

from __future__ import annotations

import dataclasses
import html
from pathlib import Path

import pytest
from httpx import AsyncClient as Client
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts.roles import Role
from reemploi.rules import windows11
from reemploi.rules.windows11 import NO_TPM, Facts
from reemploi.workshop import boot_medium, machine
from reemploi.workshop.hardware import read_report
from tests.factories import make_device, make_world
from tests.test_workshop_api import _fixture
from tests.through_api import logged_in

HERE = Path(__file__).resolve().parent / "fixtures" / "hardware"
LATITUDE_3300 = "firmware/dmidecode-Dell-Latitude_3300-E64092224DD7.txt"  # SMBIOS 3.1.1, no TPM record
ALLDOCUBE = "firmware/dmidecode-ALLDOCUBE-i1405S-FD6589E1A8B8.txt"  # SMBIOS 3.3.0, TPM 2.0 (a glued line)
OPTIPLEX_3050 = "firmware/dmidecode-Dell-OptiPlex_3050-08E04E21F177.txt"  # SMBIOS 3.0.0, TPM 1.2
QEMU_30 = "dmi/dmidecode-QEMU-Standard_PC_Q35-418878F10378.txt"  # SMBIOS 3.0.0, no TPM record
QEMU_28 = "dmi/dmidecode-QEMU-Standard_PC_Q35-5760B1DBEBDB.txt"  # SMBIOS 2.8
NVME_500 = "nvme-samsung-970-evo-500gb.smartctl-x.json"  # 500,107,862,016 bytes


def _read(name: str) -> dict[str, object]:
    return dataclasses.asdict(read_report(name, (HERE / name).read_bytes()))


@pytest.mark.parametrize(
    ("name", "tpm", "uefi", "memory_mb"),
    [
        (LATITUDE_3300, NO_TPM, True, 16384),  # type 43 exists since SMBIOS 3.1: its absence says none
        (ALLDOCUBE, "2.0", True, 12288),  # "Specification Version: 2.0\tFirmware Revision: 500.10"
        (OPTIPLEX_3050, "1.2", True, 8192),  # a TPM record in an SMBIOS 3.0 table is read too
        (QEMU_30, None, True, None),  # SMBIOS 3.0 without a record: cannot tell
    ],
)
def test_dmidecode_says_the_tpm_and_uefi_as_the_file_does(
    name: str, tpm: str | None, uefi: bool | None, memory_mb: int | None
) -> None:
    read = _read(name)
    assert (read["tpm"], read["uefi"], read["secure_boot"]) == (tpm, uefi, None)
    if memory_mb is not None:
        assert read["memory_mb"] == memory_mb


def test_older_smbios_tables_say_neither_tpm_nor_uefi_by_their_silence() -> None:
    assert _read(QEMU_28)["tpm"] is None  # 2.8, no record: type 43 did not exist
    fujitsu = read_report("e752.txt", _fixture("dmi/dmidecode-Fujitsu-LIFEBOOK_E752-12743552CDF4.txt"))
    assert (fujitsu.tpm, fujitsu.uefi) == (None, None)  # SMBIOS 2.6: before the UEFI flag (2.7)
    optiplex_7010 = read_report("7010.txt", _fixture("dmi/dmidecode-Dell-OptiPlex_7010-0140AED172E1.txt"))
    assert (optiplex_7010.tpm, optiplex_7010.uefi) == (None, True)  # SMBIOS 2.7, "UEFI is supported"
    latitude_7490 = read_report("7490.txt", _fixture("dmi/dmidecode-Dell-Latitude_7490-0081F5FB08F5.txt"))
    assert (latitude_7490.tpm, latitude_7490.uefi) == ("2.0", True)


def test_lshw_says_uefi_from_the_firmware_node_and_nothing_of_the_tpm() -> None:
    probook = _read("lshw-hp-probook-430-g4.json")
    assert (probook["uefi"], probook["tpm"]) == (True, None)
    vm = read_report("vm.json", _fixture("lshw/lshw-virtual-machine.json"))  # no firmware node at all
    assert (vm.uefi, vm.tpm) == (None, None)


@pytest.mark.parametrize(
    ("cpu", "supported"),
    [
        ("Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", True),  # the Latitude 3300's
        ("Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz", True),
        ("Intel(R) Celeron(R) N5100 @ 1.10GHz", True),
        ("11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz", True),
        ("Intel(R) Core(TM) Ultra 7 155H", True),  # the list writes "Ultra 7-155H"
        ("Intel(R) Core(TM) i7-7820HQ CPU @ 2.90GHz", True),  # the one 7th-generation exception
        ("Intel(R) Core(TM) i7-7700HQ CPU @ 2.80GHz", False),
        ("Intel(R) Pentium(R) CPU G4500T @ 3.00GHz", False),
        ("Intel(R) Core(TM) i5-3570 CPU @ 3.40GHz", False),
        ("Intel(R) Core(TM) i5-6300U CPU @ 2.40GHz", False),
        ("AMD Ryzen 5 PRO 3500U w/ Radeon Vega Mobile Gfx", True),
        ("AMD Ryzen 7 2700X Eight-Core Processor", True),
        ("AMD Ryzen 5 1600 Six-Core Processor", False),  # Zen 1
        ("AMD Ryzen 5 3600X 6-Core Processor", True),
        ("AMD A10-9600P RADEON R5, 10 COMPUTE CORES 4C+6G", False),
        ("pc-q35-8.2", False),  # a virtual machine's "processor"
    ],
)
def test_a_processor_is_found_in_microsoft_s_lists_by_its_whole_model(cpu: str, supported: bool) -> None:
    assert windows11.cpu_supported(cpu) is supported


def test_a_model_is_not_found_inside_a_longer_one() -> None:
    assert windows11.cpu_supported("AMD Ryzen 5 3600 6-Core Processor")
    assert not windows11.cpu_supported("AMD Ryzen 5 360")  # no such model: not "3600" cut short


def test_the_requirements_are_applied_at_their_limits() -> None:
    fine = Facts("Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", 4096, 64_000_000_000, "2.0", True)
    assert windows11.assess(fine) == windows11.Verdict(True, (), ())
    short = dataclasses.replace(fine, memory_mb=4095, largest_drive_bytes=63_999_999_999, uefi=False)
    assert windows11.assess(short).failed == (windows11.MEMORY_LOW, windows11.STORAGE_SMALL, windows11.NO_UEFI)
    unknown = windows11.assess(Facts())
    assert unknown.eligible is None and len(unknown.unknown) == 5 and unknown.failed == ()


def test_the_verdict_of_each_real_machine_as_the_card_says_it() -> None:
    latitude = machine.verdict([_read(LATITUDE_3300)])
    assert latitude is not None
    line = texts.windows11_line(latitude.eligible, latitude.failed, latitude.unknown)
    assert line == "Windows 11 : non (TPM 2.0 absent)"

    optiplex = machine.verdict([_read(OPTIPLEX_3050)])
    assert optiplex is not None
    assert texts.windows11_line(optiplex.eligible, optiplex.failed, optiplex.unknown) == (
        "Windows 11 : non (processeur absent de la liste de Microsoft, TPM 1.2 seulement, 2.0 requis)"
    )

    docube = machine.verdict([_read(ALLDOCUBE)])  # dmidecode alone: no drive
    assert docube is not None
    assert texts.windows11_line(docube.eligible, docube.failed, docube.unknown) == (
        "Windows 11 : à vérifier (non indiqué par les rapports : stockage)"
    )
    with_drive = machine.verdict([_read(ALLDOCUBE), _read(NVME_500)])
    assert with_drive is not None
    assert texts.windows11_line(with_drive.eligible, with_drive.failed, with_drive.unknown) == "Windows 11 : oui"


def test_the_probe_s_boot_stick_is_not_the_machine_s_storage() -> None:
    stick = boot_medium.read_marker(
        b"# reemploi-probe boot-medium\nmodel=DataTraveler 3.0\nserial=0B8E680065E9\nsize_bytes=128000000000\n"
    )
    assert stick is not None
    extracted = [_read(ALLDOCUBE), dataclasses.asdict(stick)]
    assert machine.machine_facts(extracted).largest_drive_bytes is None
    assert machine.verdict([dataclasses.asdict(stick)]) is None  # nothing said of the machine itself


async def test_the_card_says_windows_11_no_tpm_from_the_report_alone(anonymous: Client, session: AsyncSession) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="SN-W11")
    csrf = await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    before = html.unescape((await anonymous.get("/scan", params={"code": code})).text)
    assert "Windows 11 :" not in before  # no report, no verdict

    sent = await anonymous.post(
        f"/devices/{code}/reports",
        data={"_csrf": csrf},
        files=[("files", ("dmidecode.txt", (HERE / LATITUDE_3300).read_bytes()))],
    )
    assert sent.status_code == 200
    assert "Windows 11 : non (TPM 2.0 absent)" in html.unescape(sent.text)
    card = html.unescape((await anonymous.get("/scan", params={"code": code})).text)
    assert "Windows 11 : non (TPM 2.0 absent)" in card and "désactivé dans le BIOS" in card
