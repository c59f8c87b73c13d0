"""Benchmark: the server keeps answering while someone uploads a manifest bomb (issue 18).

    .venv/bin/python bench/manifest_bomb.py            # SQLite, about 1 minute
    .venv/bin/python bench/manifest_bomb.py --rounds 5

A real `reemploi serve` on a throwaway SQLite database with the demo world. For each round it
uploads a 0.3 MB XLSX that would expand to 100 MB of sheet XML, and, alongside, a legitimate
5,000-device manifest in dry run (parsed for real, in a worker thread), while another client asks
/health and scans a device code every 20 ms. It prints how long the bomb took to be refused, the
slowest /health and scan during the uploads against the same requests on the idle server (ratio),
and the server's memory (VmRSS) before, at the peak and after. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import Server, _clean_env, load_demo, log, sqlite_database  # noqa: E402


def _token(url: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "reemploi.cli", "token", "create", "bomb", "--role", "admin"],
        env=_clean_env(REEMPLOI_DATABASE_URL=url, REEMPLOI_LOG_LEVEL="warning"),
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip().splitlines()[-1]


def _bomb() -> bytes:
    from tests.test_manifest_bombs import _bomb as bomb

    return bomb()


def _big_manifest() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Numéro de série", "Catégorie", "Fabricant", "Modèle", "Poids (kg)"])
    for n in range(5000):
        sheet.append([f"BOMB{n:08d}", "Portable", "Lenovo", "ThinkPad T480", 1.6])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _probe(client: Any, code: str, stop: asyncio.Event, pid: int) -> dict[str, Any]:
    worst = {"health": 0.0, "scan": 0.0}
    peak = 0
    while not stop.is_set():
        for name, path in (("health", "/health"), ("scan", f"/api/v1/scan?code={code}")):
            started = time.perf_counter()
            answer = await client.get(path)
            assert answer.status_code == 200, answer.text
            worst[name] = max(worst[name], time.perf_counter() - started)
        peak = max(peak, _rss_kb(pid))
        await asyncio.sleep(0.02)
    return {**worst, "peak_rss_kb": peak}


async def measure(base_url: str, token: str, pid: int, rounds: int) -> dict[str, Any]:
    import httpx

    bomb, big = _bomb(), _big_manifest()
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=120) as client:
        collections = (await client.get("/api/v1/collections", params={"limit": 1})).json()["items"]
        collection_id = collections[0]["id"]
        code = (await client.get("/api/v1/devices", params={"limit": 1})).json()["items"][0]["code"]
        idle_stop = asyncio.Event()
        idle_task = asyncio.create_task(_probe(client, code, idle_stop, pid))
        await asyncio.sleep(3)
        idle_stop.set()
        idle = await idle_task
        rss_before = _rss_kb(pid)
        runs = []
        for _ in range(rounds):
            stop = asyncio.Event()
            probe = asyncio.create_task(_probe(client, code, stop, pid))

            async def upload(data: bytes, name: str, **params: str) -> tuple[int, float]:
                started = time.perf_counter()
                answer = await client.post(
                    f"/api/v1/collections/{collection_id}/manifest",
                    files={"file": (name, data, "application/octet-stream")},
                    params=params,
                )
                return answer.status_code, time.perf_counter() - started

            (bomb_status, bomb_s), (big_status, big_s) = await asyncio.gather(
                upload(bomb, "bombe.xlsx"), upload(big, "gros.xlsx", dry_run="true")
            )
            stop.set()
            busy = await probe
            runs.append({"bomb": (bomb_status, bomb_s), "big": (big_status, big_s), **busy})
        await asyncio.sleep(2)
        return {"idle": idle, "runs": runs, "rss_before_kb": rss_before, "rss_after_kb": _rss_kb(pid)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sqlite_database(Path(tmp)) as db:
        workdir = Path(tmp)
        log("loading the demo world…")
        load_demo(db, 60, workdir)
        token = _token(db.url)
        server = Server("reemploi", db, 10, workdir)
        server.start("/health")
        try:
            assert server.proc is not None
            result = asyncio.run(measure(server.base_url, token, server.proc.pid, args.rounds))
        finally:
            server.stop()
    idle = result["idle"]
    print(f"idle server: slowest /health {idle['health'] * 1000:.0f} ms, slowest scan {idle['scan'] * 1000:.0f} ms")
    for n, run in enumerate(result["runs"], 1):
        print(
            f"round {n}: bomb answered {run['bomb'][0]} in {run['bomb'][1] * 1000:.0f} ms; 5,000-row dry run "
            f"{run['big'][0]} in {run['big'][1] * 1000:.0f} ms; meanwhile slowest /health "
            f"{run['health'] * 1000:.0f} ms (×{run['health'] / idle['health']:.1f} idle), slowest scan "
            f"{run['scan'] * 1000:.0f} ms (×{run['scan'] / idle['scan']:.1f}); peak RSS {run['peak_rss_kb'] // 1024} MB"
        )
    print(f"server RSS: {result['rss_before_kb'] // 1024} MB before, {result['rss_after_kb'] // 1024} MB after")
    return 0


if __name__ == "__main__":
    sys.exit(main())
