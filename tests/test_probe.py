"""reemploi-probe, the POSIX shell script a technician runs on a live USB: against a real server,
with stand-ins for dmidecode, lshw and smartctl that print real reports, run by dash (no bash)."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from reemploi.devices.models import Device
from reemploi.workshop import boot_medium
from reemploi.workshop.models import HardwareReport, StorageMedium
from tests.factories import make_device, make_world
from tests.support.server import LiveServer
from tests.test_workshop_api import FIXTURES, _fixture

PROBE = Path(__file__).resolve().parents[1] / "reemploi" / "static" / "reemploi-probe"
SHELL = shutil.which("dash") or "/bin/sh"


def _tools(folder: Path, *, json_smartctl: bool = False) -> Path:
    """dmidecode, lshw and smartctl as a live USB has them, printing the fixtures' real reports."""
    _fixture("dmi/dmidecode-Dell-Latitude_7490-0081F5FB08F5.txt")  # skips or fails when fixtures are missing
    folder.mkdir()
    scripts = {
        "dmidecode": f'cat "{FIXTURES}/dmi/dmidecode-Dell-Latitude_7490-0081F5FB08F5.txt"',
        "lshw": f'[ "$1" = "-json" ] && cat "{FIXTURES}/lshw/lshw-virtual-machine.json"',
        "smartctl": f"""case "$*" in
  --scan) echo "/dev/nvme0 -d nvme # /dev/nvme0, NVMe device"; echo "/dev/sda -d sat # /dev/sda [SAT], ATA device" ;;
  *-j*) {'echo "{}"' if json_smartctl else 'echo "=======> UNRECOGNIZED OPTION: j"'}; exit 1 ;;
  *nvme0*) cat "{FIXTURES}/smart/nvme-SKhynix-PC401_NVMe_256GB-34DD424A67DA.txt"; exit 0 ;;
  *sda*) cat "{FIXTURES}/smart/hdd-Toshiba-MQ01ABF050-041D7843D883.txt"; exit 64 ;;
esac""",
    }
    for name, body in scripts.items():
        path = folder / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return folder


def _probe(tools: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{tools}:{os.environ.get('PATH', '/usr/bin:/bin')}", "LC_ALL": "C.UTF-8"}
    env.pop("REEMPLOI_URL", None)
    env.pop("REEMPLOI_TOKEN", None)
    return subprocess.run([SHELL, str(PROBE), *args], env=env, capture_output=True, text=True, timeout=60, check=False)


async def _device_and_bench_token(session: AsyncSession, serial: str, bench: str) -> tuple[str, str]:
    """A device to diagnose and the secret of a technician's API token, as a bench has them."""
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial=serial)
    _, secret = await accounts.create_token(session, accounts.NewToken(bench, Role.TECHNICIAN), by=None)
    return code, secret


async def test_the_probe_collects_and_sends_every_report_of_the_machine(
    live_server: LiveServer, session: AsyncSession, tmp_path: Path
) -> None:
    code, secret = await _device_and_bench_token(session, "SN-PROBE", "banc-1")
    tools = _tools(tmp_path / "bin")

    sent = _probe(tools, "-u", live_server.url, "-t", secret, "-c", code, "-o", str(tmp_path / "out"))
    assert sent.returncode == 0, sent.stderr
    assert f"Envoyé : 4 rapport(s) sur l'appareil {code}" in sent.stderr
    stored = (
        await session.execute(select(HardwareReport.kind, HardwareReport.filename).order_by(HardwareReport.filename))
    ).all()
    assert stored == [
        ("dmidecode", "dmidecode.txt"),
        ("lshw-json", "lshw.json"),
        ("smartctl", "smartctl-nvme0.txt"),
        ("smartctl", "smartctl-sda.txt"),
    ]
    kept = await session.execute(select(HardwareReport.content).where(HardwareReport.filename == "dmidecode.txt"))
    assert kept.scalar_one() == _fixture("dmi/dmidecode-Dell-Latitude_7490-0081F5FB08F5.txt")

    refused = _probe(tools, "-u", live_server.url, "-t", "rmp_not-a-token", "-c", code, "-o", str(tmp_path / "again"))
    assert refused.returncode == 1 and "refusé (401)" in refused.stderr

    unknown = _probe(tools, "-u", live_server.url, "-t", secret, "-c", "TST-999999-Z", "-o", str(tmp_path / "z"))
    assert unknown.returncode == 1 and "refusé (4" in unknown.stderr


def test_the_probe_collects_without_sending_and_explains_what_is_missing(tmp_path: Path) -> None:
    tools = _tools(tmp_path / "bin")
    collected = _probe(tools, "-n", "-o", str(tmp_path / "out"))
    assert collected.returncode == 0, collected.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "dmidecode.txt",
        "lshw.json",
        "smartctl-nvme0.txt",
        "smartctl-sda.txt",
    ]
    no_code = _probe(tools, "-u", "http://127.0.0.1:9", "-t", "rmp_x")
    assert no_code.returncode == 2 and "code de l'appareil" in no_code.stderr
    helped = _probe(tools, "-h")
    assert helped.returncode == 0 and "-c CODE" in helped.stdout


def test_the_probe_prefers_smartctl_json_when_smartctl_speaks_it(tmp_path: Path) -> None:
    tools = _tools(tmp_path / "bin", json_smartctl=True)
    collected = _probe(tools, "-n", "-o", str(tmp_path / "out"))
    assert collected.returncode == 0, collected.stderr
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"smartctl-nvme0.json", "smartctl-sda.json"}


async def test_the_server_hands_out_the_probe(client: httpx.AsyncClient, anonymous: httpx.AsyncClient) -> None:
    served = await anonymous.get("/static/reemploi-probe")
    assert served.status_code == 200 and served.content == PROBE.read_bytes()


# --- Real machines replayed: stand-ins print real outputs (tests/fixtures/hardware/probe/, SOURCES.md) --

REPLAYS = Path(__file__).resolve().parent / "fixtures" / "hardware" / "probe"
# What the probe needs of a live USB besides the hardware tools: nothing else of the host is on PATH,
# so a dmidecode, lshw or smartctl installed here never answers for the machine replayed.
UTILITIES = ("awk", "basename", "cat", "curl", "dirname", "grep", "head", "id", "mkdir", "mktemp", "mv", "rm")
NO_MOUNT = "exit 1"  # findmnt: no live medium mounted, / not on a USB drive


def _machine(folder: Path, **tools: str) -> Path:
    """A PATH holding the basic utilities and a stand-in script per tool (name → shell body)."""
    folder.mkdir()
    for utility in ("sed", "tr", *UTILITIES):
        found = shutil.which(utility)
        assert found, f"{utility} is needed to run the probe"
        (folder / utility).symlink_to(found)
    for name, body in tools.items():
        path = folder / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return folder


def _run(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(path), "LC_ALL": "C.UTF-8", "TMPDIR": str(path.parent)}
    return subprocess.run([SHELL, str(PROBE), *args], env=env, capture_output=True, text=True, timeout=60, check=False)


class Upload(NamedTuple):
    filename: str
    content: bytes


class FakeServer:
    """127.0.0.1 answering the reports upload as reemploi does (201, the stored reports), keeping what it got."""

    def __init__(self) -> None:
        self.received: list[Upload] = []
        self.requests: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append(f"{self.path} {self.headers['Authorization']}")
                message = BytesParser(policy=HTTP).parsebytes(
                    b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body
                )
                assert isinstance(message, EmailMessage)
                for part in message.iter_parts():
                    payload = part.get_payload(decode=True)
                    assert isinstance(payload, bytes)
                    fake.received.append(Upload(part.get_filename() or "", payload))
                answer = json.dumps(
                    [
                        {"id": i, "kind": "smartctl-json", "filename": u.filename, "serial_mismatch": False}
                        for i, u in enumerate(fake.received, 1)
                    ],
                    separators=(",", ":"),
                ).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_server() -> Iterator[FakeServer]:
    server = FakeServer()
    yield server
    server.close()


def test_a_megaraid_server_sends_one_file_per_drive_and_says_why_the_raid_volume_is_not_sent(
    fake_server: FakeServer, tmp_path: Path
) -> None:
    here = REPLAYS / "megaraid-server"
    smartctl = f"""case "$*" in
  --scan) cat "{here}/smartctl-scan.txt" ;;
  *"-j -x -d megaraid,"[1-4]" /dev/bus/0") n=${{*#*megaraid,}}; cat "{here}/smartctl-megaraid-${{n%% *}}.json" ;;
  *"-j -x /dev/sda") cat "{here}/smartctl-sda.txt"; exit 2 ;;
  *"-x /dev/sda") cat "{here}/smartctl-sda.txt"; exit 2 ;;
  *) echo "unexpected: smartctl $*" >&2; exit 9 ;;
esac"""
    machine = _machine(tmp_path / "bin", smartctl=smartctl, findmnt=NO_MOUNT)

    sent = _run(machine, "-u", fake_server.url, "-t", "rmp_bench", "-c", "LYO-000123-K", "-o", str(tmp_path / "out"))

    assert sent.returncode == 0, sent.stderr
    assert "unexpected" not in sent.stderr
    drives = [f"smartctl-bus-0-megaraid-{n}.json" for n in (1, 2, 3, 4)]
    assert [u.filename for u in fake_server.received] == drives
    for n, upload in enumerate(fake_server.received, 1):
        assert upload.content == (here / f"smartctl-megaraid-{n}.json").read_bytes()
    assert fake_server.requests == ["/api/v1/devices/LYO-000123-K/reports Bearer rmp_bench"]
    for n in (1, 2, 3, 4):
        assert (
            f"Disque /dev/bus/0 [megaraid,{n}] : TOSHIBA MG08SCA16TEY · n° REDACTED · 16,0 To → "
            f"smartctl-bus-0-megaraid-{n}.json" in sent.stderr
        )
    assert (
        "Non envoyé : smartctl /dev/sda — Smartctl open device: /dev/sda failed: "
        "DELL or MegaRaid controller, please try adding '-d megaraid,N'" in sent.stderr
    )
    assert sent.stderr.index("Ce que la sonde a trouvé") < sent.stderr.index("Envoi de 4 rapport(s)")
    assert "enregistré : smartctl-bus-0-megaraid-4.json" in sent.stderr
    assert "Envoyé : 4 rapport(s) sur l'appareil LYO-000123-K." in sent.stderr


def test_a_machine_without_smbios_sends_lshw_alone_and_says_why(fake_server: FakeServer, tmp_path: Path) -> None:
    here = REPLAYS / "no-smbios"
    machine = _machine(
        tmp_path / "bin",
        dmidecode=f'cat "{here}/dmidecode.txt"',
        lshw=f'[ "$1" = "-json" ] && cat "{here}/lshw.json"',
        smartctl='[ "$1" = "--scan" ] || exit 9',
        findmnt=NO_MOUNT,
    )

    sent = _run(machine, "-u", fake_server.url, "-t", "rmp_bench", "-c", "LYO-000124-F", "-o", str(tmp_path / "out"))

    assert sent.returncode == 0, sent.stderr
    assert fake_server.received == [Upload("lshw.json", (here / "lshw.json").read_bytes())]
    assert (
        "Non envoyé : dmidecode.txt — No SMBIOS nor DMI entry point found, sorry. "
        "(pas de table SMBIOS/DMI : lshw dira seul ce qu'est la machine)" in sent.stderr
    )
    assert "Machine : innotek GmbH VirtualBox" in sent.stderr
    assert "Aucun disque vu par smartctl" in sent.stderr
    assert not (tmp_path / "out" / "dmidecode.txt").exists()


def _laptop_booted_from_usb(folder: Path) -> Path:
    """A Dell Latitude booted from a Kingston DataTraveler 3.0 live stick (/dev/sdb, /run/live/medium)."""
    here = REPLAYS / "laptop-usb-boot"
    smartctl = f"""case "$*" in
  --scan) cat "{here}/smartctl-scan.txt" ;;
  *-j*) echo "=======> UNRECOGNIZED OPTION: j"; exit 1 ;;
  "-x /dev/sda") cat "{here}/smartctl-sda.txt" ;;
  *) echo "unexpected: smartctl $*" >&2; exit 9 ;;
esac"""
    # what lsblk and findmnt say of the stick: written by hand from lshw's node for /dev/sdb
    lsblk = """case "$*" in
  "-no PKNAME /dev/sdb1") echo sdb ;;
  "-dnb -o MODEL /dev/sdb") echo "DataTraveler 3.0" ;;
  "-dnb -o SERIAL /dev/sdb") echo 0B8E680065E9 ;;
  "-dnb -o SIZE /dev/sdb") echo 7866580992 ;;
  "-dnb -o TRAN /dev/sdb") echo usb ;;
  "-dnb -o RM /dev/sdb") echo 1 ;;
  *) exit 32 ;;
esac"""
    return _machine(
        folder,
        dmidecode=f'cat "{here}/dmidecode.txt"',
        lshw=f'[ "$1" = "-json" ] && cat "{here}/lshw.json"',
        smartctl=smartctl,
        lsblk=lsblk,
        findmnt='[ "$*" = "-n -o SOURCE --mountpoint /run/live/medium" ] && echo /dev/sdb1 || exit 1',
    )


async def test_a_laptop_booted_from_usb_sends_its_drive_and_marks_the_stick_which_is_no_medium(
    live_server: LiveServer, session: AsyncSession, tmp_path: Path
) -> None:
    code, secret = await _device_and_bench_token(session, "SN-LAPTOP", "banc-2")
    machine = _laptop_booted_from_usb(tmp_path / "bin")

    sent = _run(machine, "-u", live_server.url, "-t", secret, "-c", code, "-o", str(tmp_path / "out"))

    assert sent.returncode == 0, sent.stderr
    assert "unexpected" not in sent.stderr  # smartctl never asked about the stick
    assert (
        "Disque /dev/sdb : DataTraveler 3.0 · n° 0B8E680065E9 · 8 Go → support de démarrage (/run/live/medium) : "
        "exclu, non envoyé" in sent.stderr
    )
    assert "Disque /dev/sda : HGST HTS725050A7E630 · n° -- · 500 GB → smartctl-sda.txt" in sent.stderr
    assert "enregistré : boot-medium.txt (boot-medium)" in sent.stderr
    assert f"Envoyé : 3 rapport(s) sur l'appareil {code}." in sent.stderr
    marker = (tmp_path / "out" / "boot-medium.txt").read_text()
    assert "device=/dev/sdb\nfound_by=/run/live/medium\nmodel=DataTraveler 3.0\nserial=0B8E680065E9\n" in marker

    device_id = (await session.execute(select(Device.id).where(Device.code == code))).scalar_one()
    stored = await session.execute(
        select(HardwareReport.filename, HardwareReport.kind)
        .where(HardwareReport.device_id == device_id)
        .order_by(HardwareReport.id)
    )
    assert stored.all() == [
        ("smartctl-sda.txt", "smartctl"),
        ("boot-medium.txt", "boot-medium"),
        ("dmidecode.txt", "dmidecode"),
        ("lshw.json", "lshw-json"),
    ]
    media = (await session.execute(select(StorageMedium).where(StorageMedium.device_id == device_id))).scalars().all()
    assert media, "the laptop's own drive is a medium to erase"
    # lshw lists the stick twice (the disk and its inner medium node): neither is a medium
    assert [m for m in media if m.capacity_bytes == 7866580992 or m.serial == "0B8E680065E9"] == []
    assert {m.capacity_bytes for m in media} == {500107862016}


def test_a_usb_drive_behind_a_bridge_smartctl_does_not_know_is_read_with_sat(tmp_path: Path) -> None:
    here = REPLAYS / "usb-sat"
    smartctl = f"""case "$*" in
  --scan) cat "{here}/smartctl-scan.txt" ;;
  *-j*) echo "=======> UNRECOGNIZED OPTION: j"; exit 1 ;;
  "-x /dev/sdb") cat "{here}/smartctl-sdb-auto.txt"; exit 1 ;;
  "-x -d sat /dev/sdb") cat "{here}/smartctl-sdb-sat.txt" ;;
  *) echo "unexpected: smartctl $*" >&2; exit 9 ;;
esac"""
    machine = _machine(tmp_path / "bin", smartctl=smartctl, findmnt=NO_MOUNT)

    collected = _run(machine, "-n", "-o", str(tmp_path / "out"))

    assert collected.returncode == 0, collected.stderr
    assert "/dev/sdb : pont USB inconnu de smartctl, nouvel essai avec -d sat" in collected.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["smartctl-sdb.txt"]
    assert (tmp_path / "out" / "smartctl-sdb.txt").read_bytes() == (here / "smartctl-sdb-sat.txt").read_bytes()
    assert "Disque /dev/sdb : CT500MX500SSD1 · n° -- · 500 GB → smartctl-sdb.txt" in collected.stderr


def test_the_boot_medium_is_told_apart_from_the_machines_drives() -> None:
    marker = boot_medium.read_marker(
        b"# reemploi-probe boot-medium\nmodel=Flash Disk\nserial=\nsize_bytes=1002438656\n"
    )
    assert marker is not None and marker.kind == "boot-medium"
    stick = [dataclasses.asdict(d) for d in marker.drives]
    assert boot_medium.is_boot_medium({"model": "Flash Disk", "serial": None, "capacity_bytes": 1002438656}, stick)
    assert boot_medium.is_boot_medium({"model": None, "serial": None, "capacity_bytes": 1002438656}, stick)
    assert not boot_medium.is_boot_medium({"model": "Hitachi HTS54322", "capacity_bytes": 250059350016}, stick)
    assert not boot_medium.is_boot_medium({"model": "Other", "serial": None, "capacity_bytes": 1002438656}, stick)
    assert boot_medium.read_marker(b"# dmidecode 3.4\n") is None
