"""Hardware reports through the API: several files at once, kept byte for byte, all or nothing, the
same file never stored twice (also when sent at the same moment), a foreign serial flagged."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.devices.codes import make_code
from reemploi.workshop.models import HardwareReport
from tests.factories import make_device, make_world
from tests.through_api import API, Client, ok, problem

FIXTURES = Path(
    os.environ.get("REEMPLOI_FIXTURES", Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "hardware")
)
DMI = "dmi/dmidecode-Lenovo-ThinkPad_T480_20L5CTO1WW-035D95A3446F.txt"
SMART = "smart/nvme-Samsung-MZVLB256HAHQ-000L7-1465E79EF955.txt"


def _fixture(name: str) -> bytes:
    path = FIXTURES / name
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"hardware fixtures missing at {FIXTURES} (set REEMPLOI_FIXTURES)")
        pytest.skip(f"hardware fixtures missing at {FIXTURES}")
    return path.read_bytes()


def _with_system_serial(serial: str) -> bytes:
    """The T480's dmidecode with a serial in its System Information (the fixture's is anonymised)."""
    text = _fixture(DMI).decode()
    head, system = text.split("System Information", 1)
    return (head + "System Information" + system.replace("Serial Number: --", f"Serial Number: {serial}", 1)).encode()


async def _count(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(HardwareReport))).scalar_one()


async def test_reports_are_read_kept_as_sent_and_listed(client: Client, session: AsyncSession) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="PF1ABCDE")
    dmi, smart = _fixture(DMI), _fixture(SMART)
    stored = ok(
        await client.post(
            f"{API}/devices/{code}/reports", files=[("files", ("dmidecode.txt", dmi)), ("files", ("nvme0.txt", smart))]
        ),
        201,
    )
    assert [(r["kind"], r["filename"], r["serial_mismatch"]) for r in stored] == [
        ("dmidecode", "dmidecode.txt", False),
        ("smartctl", "nvme0.txt", False),
    ]
    assert stored[0]["extracted"]["system"]["product"] == "20L5CTO1WW"
    assert stored[0]["extracted"]["memory_mb"] == 32768
    assert stored[1]["extracted"]["drives"][0]["nvme_percentage_used"] == 1
    listed = ok(await client.get(f"{API}/devices/{code}/reports"), 200)["items"]
    assert [r["id"] for r in listed] == [r["id"] for r in stored]
    raw = await client.get(f"{API}/devices/{code}/reports/{stored[0]['id']}/raw")
    assert raw.status_code == 200 and raw.content == dmi, "the file is kept byte for byte"

    again = ok(await client.post(f"{API}/devices/{code}/reports", files=[("files", ("copie.txt", dmi))]), 201)
    assert [r["id"] for r in again] == [stored[0]["id"]], "the same file is kept once"
    assert await _count(session) == 2


async def test_one_unreadable_file_stores_none_and_says_which(client: Client, session: AsyncSession) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="SN1")
    truncated = _fixture("lshw/lshw-virtual-machine.json")[:500]
    refused = problem(
        await client.post(
            f"{API}/devices/{code}/reports",
            files=[("files", ("dmidecode.txt", _fixture(DMI))), ("files", ("lshw.json", truncated))],
        ),
        422,
        "invalid-input",
    )
    assert "lshw.json" in refused["detail"] and "coupé" in refused["detail"]
    assert await _count(session) == 0
    problem(
        await client.post(f"{API}/devices/{code}/reports", files=[("files", ("vide.txt", b""))]), 422, "invalid-input"
    )
    problem(
        await client.post(f"{API}/devices/{code}/reports", files=[("files", ("x.bin", b"\x00\xff" * 50))]),
        422,
        "invalid-input",
    )
    problem(
        await client.post(
            f"{API}/devices/{make_code('TST', 500)}/reports", files=[("files", ("d.txt", _fixture(DMI)))]
        ),
        404,
        "not-found",
    )
    assert await _count(session) == 0


async def test_a_report_of_another_machine_is_flagged_not_merged(client: Client, session: AsyncSession) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="PF-1ABCDE")
    same = ok(
        await client.post(
            f"{API}/devices/{code}/reports", files=[("files", ("a.txt", _with_system_serial("pf1abcde")))]
        ),
        201,
    )
    assert same[0]["serial_mismatch"] is False, "case, dashes and spaces do not make another serial"
    other = ok(
        await client.post(
            f"{API}/devices/{code}/reports", files=[("files", ("b.txt", _with_system_serial("R9XYZ12")))]
        ),
        201,
    )
    assert other[0]["serial_mismatch"] is True and other[0]["extracted"]["system"]["serial"] == "R9XYZ12"
    device = ok(await client.get(f"{API}/devices/{code}"), 200)
    assert device["serial"] == "PF-1ABCDE", "the device keeps its own serial"


async def test_the_same_file_sent_at_the_same_moment_is_stored_once(
    at_once: httpx.AsyncClient, session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="SN1")
    smart = _fixture(SMART)
    answers = await asyncio.gather(
        *(at_once.post(f"{API}/devices/{code}/reports", files=[("files", (f"n{n}.txt", smart))]) for n in range(10))
    )
    assert [a.status_code for a in answers] == [201] * 10, [a.text for a in answers if a.status_code != 201]
    assert len({a.json()[0]["id"] for a in answers}) == 1
    assert await _count(session) == 1


async def test_the_device_card_shows_the_reports_and_takes_more_from_the_bench(
    anonymous: Client, session: AsyncSession
) -> None:
    import html

    from reemploi.accounts.roles import Role
    from tests.through_api import logged_in

    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="SN1")
    csrf = await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    empty = await anonymous.get("/scan", params={"code": code})
    assert "Aucun rapport matériel" in html.unescape(empty.text) and 'name="files"' in empty.text

    sent = await anonymous.post(
        f"/devices/{code}/reports",
        data={"_csrf": csrf},
        files=[
            ("files", ("sda.txt", _fixture("smart/hdd-Toshiba-MQ01ABF050-041D7843D883.txt"))),
            ("files", ("dmi.txt", _with_system_serial("OTHER-SERIAL"))),
        ],
    )
    card = html.unescape(sent.text)
    assert sent.status_code == 200 and "2 rapport(s) joint(s)" in card
    assert "TOSHIBA MQ01ABF050" in card and "568 secteurs réalloués" in card and "191911 erreurs non corrigées" in card
    assert "N° de série du rapport (OTHER-SERIAL) différent de celui de l'appareil (SN1)" in card
    assert "32 Go" in card and "32.0" not in card and "i7-8650U" in card

    bad = await anonymous.post(
        f"/devices/{code}/reports",
        data={"_csrf": csrf},
        files=[("files", ("coupé.json", b'{"smartctl": {"version": [7, 2]'))],
    )
    assert bad.status_code == 422 and "coupé.json : JSON illisible" in html.unescape(bad.text)
    nothing = await anonymous.post(f"/devices/{code}/reports", data={"_csrf": csrf}, files=[("files", ("", b""))])
    assert nothing.status_code == 422 and "Aucun rapport joint" in html.unescape(nothing.text)
    assert await _count(session) == 2

    await logged_in(anonymous, session, "nadia", Role.RECEPTION)
    seen = await anonymous.get("/scan", params={"code": code})
    assert "TOSHIBA MQ01ABF050" in seen.text and 'name="files"' not in seen.text, "reception reads, does not add"
