"""Scan lookup benchmark: reemploi's server next to a bare Litestar + raw-driver baseline.

    .venv/bin/python bench/run.py [--seconds 10] [--concurrency 32] [--engines sqlite,postgresql]

For each engine: build a throwaway database (SQLite file in a temp dir; PostgreSQL throwaway
cluster from tests/support/pg_cluster.py, skipped with a message when no server binaries are
installed), load reemploi's demo world and widen it to --devices rows, pick the lookups (mostly
device codes, some serials), check that both apps answer every sample lookup with a 200 and the
same JSON, then measure each app alone on the machine — a fresh server process, a warm-up, then
--seconds of load at --concurrency keep-alive connections — alternating the apps (A B, B A, …).
Prints a table per engine with the median of the rounds and the ratio reemploi / baseline, and
writes bench/results/latest.json. Not a test: it exits 0 whatever the ratio (unless --strict).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

from reemploi.devices.codes import make_code  # noqa: E402

SCAN_PATH = "/api/v1/scan?code="
TARGET_RATIO = 0.5
# "baseline+auth" is the baseline that also checks the bearer token with one raw query, as every
# reemploi request must since accounts exist: the ratio to it is the cost of the plumbing alone.
APPS = ("reemploi", "baseline", "baseline+auth")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --------------------------------------------------------------------------------------------
# Databases
# --------------------------------------------------------------------------------------------


@dataclass
class Database:
    engine: str  # "sqlite" or "postgresql"
    url: str  # SQLAlchemy URL, as REEMPLOI_DATABASE_URL takes it
    postmaster_pid: int | None = None  # for the database server's CPU time
    server_version: str = ""


@contextlib.contextmanager
def sqlite_database(workdir: Path) -> Iterator[Database]:
    path = workdir / "bench.sqlite3"
    yield Database("sqlite", f"sqlite+aiosqlite:///{path}", server_version=f"SQLite {sqlite3.sqlite_version}")


class Skip(Exception):
    pass


@contextlib.contextmanager
def postgres_database() -> Iterator[Database]:
    from sqlalchemy.engine import make_url

    from tests.support.pg_cluster import NoPostgres, create_database, drop_database, resolve_test_server

    try:
        admin_url, cluster = resolve_test_server()
    except NoPostgres as exc:
        raise Skip(str(exc)) from None
    name = f"reemploi_bench_{os.getpid()}"
    try:
        create_database(admin_url, name)
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        pid = None
        if cluster is not None:
            with contextlib.suppress(OSError, ValueError, IndexError):
                pid = int((cluster.datadir / "postmaster.pid").read_text().splitlines()[0])
        try:
            yield Database("postgresql", url, postmaster_pid=pid)
        finally:
            with contextlib.suppress(Exception):
                drop_database(admin_url, name)
    finally:
        if cluster is not None:
            cluster.stop()


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REEMPLOI_", "BENCH_"))}
    env.update(extra)
    return env


def load_demo(db: Database, demo_devices: int, workdir: Path) -> None:
    """`reemploi demo`: migrations and the demo world, through the application's own code."""
    out = workdir / f"demo-{db.engine}.log"
    with out.open("w") as f:
        proc = subprocess.run(
            [sys.executable, "-m", "reemploi.cli", "demo", "--devices", str(demo_devices)],
            env=_clean_env(REEMPLOI_DATABASE_URL=db.url, REEMPLOI_LOG_LEVEL="warning", COLUMNS="100"),
            cwd=workdir,
            stdout=f,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"reemploi demo failed (exit {proc.returncode}):\n{out.read_text()[-3000:]}")


def create_token(db: Database) -> str:
    """A technician's API token (`reemploi token create`): the scan needs a login, as at the bench."""
    proc = subprocess.run(
        [sys.executable, "-m", "reemploi.cli", "token", "create", "bench", "--role", "technician"],
        env=_clean_env(REEMPLOI_DATABASE_URL=db.url, REEMPLOI_LOG_LEVEL="warning"),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"reemploi token create failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return proc.stdout.strip().splitlines()[-1]


SPECS = {
    "laptop": {"cpu": "Intel Core i5-8350U", "ram_gb": 8, "storage": "SSD 256 Go", "screen_in": 14},
    "desktop": {"cpu": "Intel Core i5-3470", "ram_gb": 8, "storage": "HDD 500 Go"},
}


def _extra_devices(
    rng: random.Random, count: int, sites: list[tuple[int, str, int]], collections: dict[int, list[int]]
) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """Rows to add beside the demo's, as a registration would write them (state collected, v1)."""
    from reemploi.demo import CATEGORY_WEIGHTS, MODELS

    categories = list(CATEGORY_WEIGHTS)
    weights = [CATEGORY_WEIGHTS[c] for c in categories]
    last = {site_id: number for site_id, _, number in sites}
    now = datetime.now(UTC).replace(microsecond=0)
    rows = []
    for k in range(count):
        site_id, site_code, _ = sites[k % len(sites)]
        code = None
        while code is None:
            last[site_id] += 1
            try:
                code = make_code(site_code, last[site_id])
            except ValueError:  # a number the sequence skips (its check character would be '*')
                continue
        category = rng.choices(categories, weights)[0]
        manufacturer, model, year, weight = rng.choice(MODELS[category])
        created = now - timedelta(seconds=count - k, microseconds=rng.randrange(1, 10**6))
        rows.append(
            {
                "code": code,
                "site_id": site_id,
                "collection_id": rng.choice(collections[site_id]),
                "category": category.value,
                "manufacturer": manufacturer,
                "model": model,
                "serial": f"{manufacturer[:2].upper()}{rng.randrange(16**8):08X}",
                "asset_tag": f"INV-{rng.randrange(10**5):05d}" if rng.random() < 0.6 else None,
                "year": year,
                "weight_g": weight,
                "specs": json.dumps(SPECS.get(category.value, {})),
                "location": "",
                "state": "collected",
                "version": 1,
                "created_at": created,
                "updated_at": created,
            }
        )
    return rows, last


DEVICE_COLUMNS = (
    "code",
    "site_id",
    "collection_id",
    "category",
    "manufacturer",
    "model",
    "serial",
    "asset_tag",
    "year",
    "weight_g",
    "specs",
    "location",
    "state",
    "version",
    "created_at",
    "updated_at",
)


def widen_sqlite(db: Database, total: int, rng: random.Random) -> int:
    path = db.url.split(":///", 1)[1]
    con = sqlite3.connect(path)
    try:
        have = con.execute("SELECT count(*) FROM devices").fetchone()[0]
        if total > have:
            sites = con.execute("SELECT id, code, last_device_number FROM sites ORDER BY id").fetchall()
            collections: dict[int, list[int]] = {}
            for cid, sid in con.execute("SELECT id, site_id FROM collections ORDER BY id"):
                collections.setdefault(sid, []).append(cid)
            rows, last = _extra_devices(rng, total - have, sites, collections)
            max_id = con.execute("SELECT max(id) FROM devices").fetchone()[0]
            fmt = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores DateTimeUTC in SQLite (UTC)
            with con:
                con.executemany(
                    f"INSERT INTO devices ({', '.join(DEVICE_COLUMNS)}) VALUES ({', '.join('?' * len(DEVICE_COLUMNS))})",
                    [tuple(r[c].strftime(fmt) if c.endswith("_at") else r[c] for c in DEVICE_COLUMNS) for r in rows],
                )
                con.execute(
                    "INSERT INTO device_events (device_id, version, at, actor, action, from_state, to_state, data, note) "
                    "SELECT id, 1, created_at, 'bench', 'register', NULL, 'collected', "
                    "json_object('collection_id', collection_id), '' FROM devices WHERE id > ?",
                    (max_id,),
                )
                con.executemany(
                    "UPDATE sites SET last_device_number = ? WHERE id = ?", [(n, s) for s, n in last.items()]
                )
        con.execute("ANALYZE")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return con.execute("SELECT count(*) FROM devices").fetchone()[0]
    finally:
        con.close()


def _pg_dsn(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


async def _widen_postgres(db: Database, total: int, rng: random.Random) -> int:
    import asyncpg

    con = await asyncpg.connect(_pg_dsn(db.url))
    try:
        db.server_version = "PostgreSQL " + (await con.fetchval("SHOW server_version")).split()[0]
        have = await con.fetchval("SELECT count(*) FROM devices")
        if total > have:
            sites = [tuple(r) for r in await con.fetch("SELECT id, code, last_device_number FROM sites ORDER BY id")]
            collections: dict[int, list[int]] = {}
            for cid, sid in await con.fetch("SELECT id, site_id FROM collections ORDER BY id"):
                collections.setdefault(sid, []).append(cid)
            rows, last = _extra_devices(rng, total - have, sites, collections)
            max_id = await con.fetchval("SELECT max(id) FROM devices")
            async with con.transaction():
                await con.copy_records_to_table(
                    "devices", columns=DEVICE_COLUMNS, records=[tuple(r[c] for c in DEVICE_COLUMNS) for r in rows]
                )
                await con.execute(
                    "INSERT INTO device_events (device_id, version, at, actor, action, from_state, to_state, data, note) "
                    "SELECT id, 1, created_at, 'bench', 'register', NULL, 'collected', "
                    "jsonb_build_object('collection_id', collection_id), '' FROM devices WHERE id > $1",
                    max_id,
                )
                await con.executemany(
                    "UPDATE sites SET last_device_number = $1 WHERE id = $2", [(n, s) for s, n in last.items()]
                )
        await con.execute("VACUUM ANALYZE devices")
        await con.execute("VACUUM ANALYZE device_events")
        return await con.fetchval("SELECT count(*) FROM devices")
    finally:
        await con.close()


def widen(db: Database, total: int, rng: random.Random) -> int:
    if db.engine == "sqlite":
        return widen_sqlite(db, total, rng)
    return asyncio.run(_widen_postgres(db, total, rng))


@dataclass(frozen=True)
class Lookup:
    kind: str  # "code" or "serial"
    text: str
    expected: tuple[str, ...]  # the device codes the scan must return, in order

    @property
    def path(self) -> str:
        return SCAN_PATH + urllib.parse.quote(self.text, safe="")


def pick_lookups(db: Database, count: int, serial_share: float, rng: random.Random) -> list[Lookup]:
    """Mostly device codes, some serials; with the devices each must find (the same rule as the scan)."""
    if db.engine == "sqlite":
        con = sqlite3.connect(db.url.split(":///", 1)[1])
        try:
            devices = con.execute("SELECT id, code, serial FROM devices ORDER BY id").fetchall()
        finally:
            con.close()
    else:

        async def fetch() -> list[tuple[int, str, str | None]]:
            import asyncpg

            con = await asyncpg.connect(_pg_dsn(db.url))
            try:
                return [tuple(r) for r in await con.fetch("SELECT id, code, serial FROM devices ORDER BY id")]
            finally:
                await con.close()

        devices = asyncio.run(fetch())
    by_serial: dict[str, list[str]] = {}
    for _, code, serial in devices:
        if serial:
            by_serial.setdefault(serial, []).append(code)
    lookups = []
    for _ in range(count):
        _, code, serial = rng.choice(devices)
        if serial and rng.random() < serial_share:
            lookups.append(Lookup("serial", serial, tuple(by_serial[serial][:50])))
        else:
            lookups.append(Lookup("code", code, (code,)))
    return lookups


# --------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _proc_cpu_ticks(pid: int) -> int:
    """utime + stime of a process (all its threads), in clock ticks; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _children_cpu_ticks(parent: int) -> int:
    """CPU of `parent` and its direct children (PostgreSQL's postmaster and its backends)."""
    total = _proc_cpu_ticks(parent)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            total += int(fields[11]) + int(fields[12])
    return total


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all cores, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])
    return total - idle, total


class Server:
    def __init__(self, app: str, db: Database, pool_size: int, workdir: Path) -> None:
        self.app, self.db = app, db
        self.port = free_port()
        common = ["--host", "127.0.0.1", "--port", str(self.port)]
        if app == "reemploi":
            # Exactly what `reemploi serve` runs (uvicorn, 1 worker, access log off).
            self.cmd = [sys.executable, "-m", "reemploi.cli", "serve", *common, "--workers", "1"]
        else:
            # The same uvicorn defaults as `reemploi serve` (uvloop, httptools, 1 worker, no access log).
            self.cmd = [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(BENCH),
                "baseline_app:create_app",
                "--factory",
                *common,
                "--log-level",
                "warning",
                "--no-access-log",
            ]
        self.env = _clean_env(
            REEMPLOI_DATABASE_URL=db.url,
            REEMPLOI_DB_POOL_SIZE=str(pool_size),
            REEMPLOI_LOG_LEVEL="warning",
            BENCH_DATABASE_URL=db.url,
            BENCH_POOL_SIZE=str(pool_size),
            BENCH_AUTH="1" if app == "baseline+auth" else "",
        )
        self.log_path = workdir / f"server-{db.engine}-{app.replace('+', '-')}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, probe_path: str, timeout: float = 60, token: str = "") -> None:
        log_file = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            self.cmd,
            env=self.env,
            cwd=REPO,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log_file.close()
        import httpx

        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.app} server exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                if httpx.get(self.base_url + probe_path, timeout=2, headers=headers).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.app} server not answering after {timeout}s:\n{self.log_tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown: the app disposes of its pool
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def cpu_ticks(self) -> int:
        return _proc_cpu_ticks(self.proc.pid) if self.proc else 0

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return "(no log)"


@contextlib.contextmanager
def running(server: Server, probe_path: str, token: str) -> Iterator[Server]:
    server.start(probe_path, token=token)
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------------------------
# Correctness pre-check
# --------------------------------------------------------------------------------------------


def precheck(servers: dict[str, Server], lookups: list[Lookup], count: int, token: str) -> list[str]:
    """Every sample lookup: a 200 from both apps, the expected devices, and the same JSON field by field."""
    import httpx

    codes = [lk for lk in lookups if lk.kind == "code"]
    serials = [lk for lk in lookups if lk.kind == "serial"]
    n_serials = min(len(serials), max(1, count // 5)) if serials else 0
    sample = codes[: count - n_serials] + serials[:n_serials]
    problems: list[str] = []
    with httpx.Client(timeout=10, headers={"Authorization": f"Bearer {token}"}) as client:
        for lk in sample:
            bodies: dict[str, Any] = {}
            for app, server in servers.items():
                response = client.get(server.base_url + lk.path)
                if response.status_code != 200:
                    problems.append(
                        f"{app}: {lk.kind} {lk.text!r} answered {response.status_code}: {response.text[:200]}"
                    )
                    continue
                body = response.json()
                got = tuple(d.get("code") for d in body.get("devices", []))
                if body.get("matched_by") != lk.kind or got != lk.expected:
                    problems.append(
                        f"{app}: {lk.kind} {lk.text!r} matched_by={body.get('matched_by')!r} devices={got}, "
                        f"expected matched_by={lk.kind!r} devices={lk.expected}"
                    )
                bodies[app] = body
            for other in APPS[1:]:
                if "reemploi" in bodies and other in bodies and bodies["reemploi"] != bodies[other]:
                    problems.extend(_differences(lk, bodies["reemploi"], bodies[other]))
    return problems


def _differences(lk: Lookup, a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    out = []
    if a.get("matched_by") != b.get("matched_by"):
        out.append(f"{lk.text}: matched_by {a.get('matched_by')!r} (reemploi) != {b.get('matched_by')!r} (baseline)")
    da, db_ = a.get("devices", []), b.get("devices", [])
    if len(da) != len(db_):
        out.append(f"{lk.text}: {len(da)} devices (reemploi) != {len(db_)} (baseline)")
    for x, y in zip(da, db_, strict=False):
        for key in sorted(set(x) | set(y)):
            if x.get(key, "<missing>") != y.get(key, "<missing>"):
                out.append(
                    f"{lk.text}: field {key}: {x.get(key, '<missing>')!r} (reemploi) != "
                    f"{y.get(key, '<missing>')!r} (baseline)"
                )
    return out or [f"{lk.text}: bodies differ"]


def refuses_without_token(servers: dict[str, Server], probe: str) -> list[str]:
    """The apps that check tokens must refuse a request without one (else they check nothing)."""
    import httpx

    problems = []
    for app in ("reemploi", "baseline+auth"):
        status = httpx.get(servers[app].base_url + probe, timeout=10).status_code
        if status != 401:
            problems.append(f"{app}: a scan without a token answered {status}, not 401")
    return problems


# --------------------------------------------------------------------------------------------
# Load
# --------------------------------------------------------------------------------------------


@dataclass
class Generator:
    kind: str  # "wrk" or "python"
    lookups_file: Path
    concurrency: int
    token: str
    wrk_threads: int = 1

    def command(self, server: Server, seconds: int) -> tuple[list[str], dict[str, str]]:
        if self.kind == "wrk":
            return (
                [
                    "wrk",
                    "-t",
                    str(self.wrk_threads),
                    "-c",
                    str(self.concurrency),
                    "-d",
                    f"{seconds}s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(BENCH / "scan.lua"),
                    server.base_url,
                ],
                _clean_env(BENCH_LOOKUPS=str(self.lookups_file), BENCH_TOKEN=self.token),
            )
        return (
            [
                sys.executable,
                str(BENCH / "loadgen.py"),
                "--port",
                str(server.port),
                "--lookups",
                str(self.lookups_file),
                "--seconds",
                str(seconds),
                "--concurrency",
                str(self.concurrency),
            ],
            _clean_env(BENCH_TOKEN=self.token),
        )

    def run(self, server: Server, db: Database, seconds: int) -> dict[str, Any]:
        cmd, env = self.command(server, seconds)
        server_before = server.cpu_ticks()
        db_before = _children_cpu_ticks(db.postmaster_pid) if db.postmaster_pid else 0
        busy_before, total_before = _machine_ticks()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        proc = subprocess.run(
            cmd, env=env, cwd=REPO, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=seconds + 60
        )
        wall = time.monotonic() - started
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy_after, total_after = _machine_ticks()
        line = next((row for row in proc.stdout.splitlines() if row.startswith("BENCH_RESULT ")), None)
        if proc.returncode != 0 or line is None:
            raise RuntimeError(
                f"load generator failed (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
            )
        result = json.loads(line.removeprefix("BENCH_RESULT "))
        if "ok" not in result:  # wrk: responses minus those with a status >= 400
            result["ok"] = result["requests"] - result["non_200"]
        result["rps"] = result["ok"] / result["duration_s"]
        cores = (total_after - total_before) / max(wall, 1e-9) / CLOCK_TICKS
        result["server_cpu_pct"] = 100 * (server.cpu_ticks() - server_before) / CLOCK_TICKS / wall
        if db.postmaster_pid:
            result["db_cpu_pct"] = 100 * (_children_cpu_ticks(db.postmaster_pid) - db_before) / CLOCK_TICKS / wall
        generator_cpu = (
            children_after.ru_utime + children_after.ru_stime - children_before.ru_utime - children_before.ru_stime
        )
        result["generator_cpu_pct"] = 100 * generator_cpu / wall
        result["machine_busy_pct"] = 100 * (busy_after - busy_before) / max(total_after - total_before, 1)
        result["machine_cores"] = round(cores, 2)
        return result


def measure_engine(db: Database, args: argparse.Namespace, workdir: Path, generator_kind: str) -> dict[str, Any]:
    rng = random.Random(args.seed)
    t0 = time.monotonic()
    log(f"{db.engine}: loading the demo world ({args.demo_devices} devices through reemploi demo)…")
    load_demo(db, args.demo_devices, workdir)
    rows = widen(db, args.devices, rng)
    token = create_token(db)
    log(f"{db.engine}: {rows} devices ({time.monotonic() - t0:.1f} s); {db.server_version}")
    lookups = pick_lookups(db, args.lookups, args.serial_share, rng)
    lookups_file = workdir / f"lookups-{db.engine}.txt"
    lookups_file.write_text("".join(lk.path + "\n" for lk in lookups))
    probe = lookups[0].path
    servers = {app: Server(app, db, args.pool_size, workdir) for app in APPS}

    log(f"{db.engine}: correctness pre-check on {args.check} lookups…")
    with contextlib.ExitStack() as stack:
        for server in servers.values():
            stack.enter_context(running(server, probe, token))
        problems = precheck(servers, lookups, args.check, token)
        problems += refuses_without_token(servers, probe)
    if problems:
        log(f"{db.engine}: PRE-CHECK FAILED, not measuring:")
        for p in problems[:20]:
            print("   ", p)
        return {"engine": db.engine, "rows": rows, "precheck": {"ok": False, "problems": problems[:50]}}
    log(f"{db.engine}: pre-check passed: both apps return 200 and identical JSON for {args.check} lookups")

    generator = Generator(generator_kind, lookups_file, args.concurrency, token, args.wrk_threads)
    runs: dict[str, list[dict[str, Any]]] = {app: [] for app in APPS}
    for r in range(args.rounds):
        order = APPS if r % 2 == 0 else APPS[::-1]  # A B, B A, A B, …
        for app in order:
            server = servers[app]
            with running(server, probe, token):
                if args.warmup:
                    generator.run(server, db, args.warmup)
                result = generator.run(server, db, args.seconds)
            runs[app].append(result)
            extra = f", db {result['db_cpu_pct']:.0f}%" if "db_cpu_pct" in result else ""
            log(
                f"{db.engine} round {r + 1}/{args.rounds} {app:>8}: {result['rps']:8.0f} req/s  "
                f"p50 {result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms  "
                f"errors {result['non_200'] + result['socket_errors']}  "
                f"(CPU: server {result['server_cpu_pct']:.0f}%{extra}, generator {result['generator_cpu_pct']:.0f}%, "
                f"machine {result['machine_busy_pct']:.0f}% of {os.cpu_count()} cores)"
            )

    summary = {app: _median(runs[app]) for app in APPS}
    a, b, c = summary["reemploi"], summary["baseline"], summary["baseline+auth"]
    throughput_ratio = a["rps"] / b["rps"] if b["rps"] else 0.0
    p99_ratio = b["p99_ms"] / a["p99_ms"] if a["p99_ms"] else 0.0
    auth_throughput_ratio = a["rps"] / c["rps"] if c["rps"] else 0.0
    auth_p99_ratio = c["p99_ms"] / a["p99_ms"] if a["p99_ms"] else 0.0
    return {
        "engine": db.engine,
        "server_version": db.server_version,
        "rows": rows,
        "lookups": {"count": len(lookups), "serials": sum(lk.kind == "serial" for lk in lookups)},
        "precheck": {"ok": True, "lookups": args.check},
        "runs": runs,
        "median": summary,
        "throughput_ratio": throughput_ratio,
        "p99_ratio": p99_ratio,
        "auth_throughput_ratio": auth_throughput_ratio,
        "auth_p99_ratio": auth_p99_ratio,
        "target": TARGET_RATIO,
        "throughput_target_met": throughput_ratio >= TARGET_RATIO,
        "p99_target_met": p99_ratio >= TARGET_RATIO,
        "seconds": round(time.monotonic() - t0, 1),
    }


def _median(results: list[dict[str, Any]]) -> dict[str, Any]:
    keys = (
        "rps",
        "p50_ms",
        "p90_ms",
        "p99_ms",
        "max_ms",
        "server_cpu_pct",
        "db_cpu_pct",
        "generator_cpu_pct",
        "machine_busy_pct",
    )
    out: dict[str, Any] = {k: statistics.median(r[k] for r in results) for k in keys if all(k in r for r in results)}
    out["errors"] = sum(r["non_200"] + r["socket_errors"] for r in results)
    out["requests"] = sum(r["requests"] for r in results)
    return out


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def print_table(result: dict[str, Any], args: argparse.Namespace) -> None:
    engine = result["engine"]
    print()
    print(
        f"== {engine} ({result.get('server_version', '')}, {result['rows']} devices, {args.concurrency} connections, "
        f"median of {args.rounds} x {args.seconds} s per app) =="
    )
    if not result["precheck"]["ok"]:
        print("   pre-check failed: no measurement (see above)")
        return
    header = f"   {'app':<14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'server CPU':>12}"
    has_db = "db_cpu_pct" in result["median"]["reemploi"]
    if has_db:
        header += f"{'db CPU':>9}"
    print(header)
    for app in APPS:
        m = result["median"][app]
        line = (
            f"   {app:<14}{m['rps']:>9.0f}{m['p50_ms']:>9.1f}{m['p99_ms']:>9.1f}{m['errors']:>8d}"
            f"{m['server_cpu_pct']:>11.0f}%"
        )
        if has_db:
            line += f"{m['db_cpu_pct']:>8.0f}%"
        print(line)
    ok = lambda met: "met" if met else "NOT met"  # noqa: E731
    print(
        f"   throughput ratio reemploi/baseline: {result['throughput_ratio']:.2f}  "
        f"(target >= {TARGET_RATIO}: {ok(result['throughput_target_met'])})"
    )
    print(
        f"   p99 ratio baseline/reemploi:        {result['p99_ratio']:.2f}  "
        f"(reemploi p99 = {1 / result['p99_ratio'] if result['p99_ratio'] else float('inf'):.1f}x the baseline's; "
        f"target >= {TARGET_RATIO}: {ok(result['p99_target_met'])})"
    )
    print(
        f"   against baseline+auth (the same token check, bare): throughput {result['auth_throughput_ratio']:.2f}, "
        f"p99 {result['auth_p99_ratio']:.2f}"
    )


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version(), "cpus": str(os.cpu_count())}
    for name in (
        "litestar",
        "sqlalchemy",
        "advanced-alchemy",
        "uvicorn",
        "asyncpg",
        "aiosqlite",
        "uvloop",
        "httptools",
    ):
        with contextlib.suppress(PackageNotFoundError):
            out[name] = version(name)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="measured load per app and round (default 10)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured load after each server start (default 3)")
    parser.add_argument("--concurrency", type=int, default=32, help="keep-alive connections (default 32)")
    parser.add_argument("--rounds", type=int, default=2, help="measurements per app, alternated (default 2)")
    parser.add_argument("--engines", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--devices", type=int, default=20_000, help="devices in the database (default 20000)")
    parser.add_argument(
        "--demo-devices",
        type=int,
        default=300,
        help="of which loaded by `reemploi demo` (the rest inserted in bulk; default 300)",
    )
    parser.add_argument("--lookups", type=int, default=5000, help="distinct lookups the load rotates over")
    parser.add_argument("--serial-share", type=float, default=0.15, help="share of lookups by serial (default 0.15)")
    parser.add_argument("--check", type=int, default=50, help="lookups compared between the apps before measuring")
    parser.add_argument(
        "--pool-size",
        type=int,
        default=10,
        help="database pool of both apps (REEMPLOI_DB_POOL_SIZE; default 10, reemploi's default)",
    )
    parser.add_argument(
        "--generator",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="wrk when installed (auto), else bench/loadgen.py",
    )
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", type=Path, default=BENCH / "results" / "latest.json")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is not met")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if unknown := set(engines) - {"sqlite", "postgresql"}:
        parser.error(f"unknown engine(s): {', '.join(sorted(unknown))}")
    if not args.demo_devices >= 16:
        parser.error("--demo-devices must be at least 16 (reemploi demo's minimum)")

    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
        if generator == "python":
            log(
                "wrk not found: using the Python load generator bench/loadgen.py "
                "(`apt-get install wrk` gives a lighter one, leaving more CPU to the servers)"
            )
    elif generator == "wrk" and not shutil.which("wrk"):
        parser.error("--generator wrk: wrk is not installed (apt-get install wrk)")

    started = time.monotonic()
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()} | {"generator": generator},
        "versions": versions(),
        "engines": {},
        "skipped": {},
    }
    log(
        f"generator: {generator}; {args.concurrency} connections; {args.rounds} rounds x {args.seconds} s per app "
        f"(+{args.warmup} s warm-up); {os.cpu_count()} CPUs"
    )
    results = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="reemploi-bench-") as tmp:
        workdir = Path(tmp)
        for engine in engines:
            try:
                context = sqlite_database(workdir) if engine == "sqlite" else postgres_database()
                with context as db:
                    result = measure_engine(db, args, workdir, generator)
            except Skip as exc:
                log(f"{engine}: SKIPPED, no PostgreSQL server available.\n{exc}")
                report["skipped"][engine] = str(exc)
                continue
            results.append(result)
            report["engines"][engine] = result
            failed |= not result["precheck"]["ok"]
    report["total_seconds"] = round(time.monotonic() - started, 1)

    for result in results:
        print_table(result, args)
    for engine, why in report["skipped"].items():
        print(f"\n== {engine}: skipped ({why.splitlines()[0]}) ==")
    print(f"\nTotal: {report['total_seconds']:.0f} s. Results: {args.output}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    if failed:
        return 2
    if args.strict and any(not (r["throughput_target_met"] and r["p99_target_met"]) for r in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
