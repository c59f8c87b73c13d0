"""reemploi-probe, the POSIX shell script a technician runs on a live USB: against a real server,
with stand-ins for dmidecode, lshw and smartctl that print real reports, run by dash (no bash)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from reemploi.workshop.models import HardwareReport
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


async def test_the_probe_collects_and_sends_every_report_of_the_machine(
    live_server: LiveServer, session: AsyncSession, tmp_path: Path
) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="SN-PROBE")
    _, secret = await accounts.create_token(session, accounts.NewToken("banc-1", Role.TECHNICIAN), by=None)
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
