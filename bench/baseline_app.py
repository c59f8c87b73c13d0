"""The baseline for bench/run.py: a bare Litestar app doing reemploi's scan lookup with the raw driver.

Same endpoint (GET /api/v1/scan?code=…), same SQL semantics as `reemploi.devices.service.scan`
(our code first, then the serial, then the donor's asset tag, at most 50 rows ordered by id), same
JSON as reemploi's `ScanOut` / `DeviceOut`, but no ORM, no session, no transaction, no dependency
injection: one statement on a pooled driver connection (asyncpg pool, or a small pool of aiosqlite
connections in WAL mode).

The pure domain functions (code parsing with its check character, identifier normalisation, the
allowed actions of a state) are reemploi's own: they are the same work in both apps, so the ratio
measures the web/ORM plumbing around the lookup, not a different parser.

Configuration, from the environment (bench/run.py sets it):
  BENCH_DATABASE_URL  sqlite+aiosqlite:///path/to/file.sqlite3 or postgresql+asyncpg://user@host:port/db
  BENCH_POOL_SIZE     connections in the pool (default 10, the same as REEMPLOI_DB_POOL_SIZE's default)

Run: python -m uvicorn --app-dir bench baseline_app:create_app --factory --no-access-log
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Litestar, Request, get
from litestar.exceptions import HTTPException, NotAuthorizedException, NotFoundException
from litestar.params import Parameter

from reemploi.devices.codes import parse_code
from reemploi.devices.lifecycle import State, allowed_actions
from reemploi.devices.schemas import DeviceOut, ScanOut  # plain msgspec structs: the same JSON, no ORM
from reemploi.identifiers import identifier

COLUMNS = (
    "id, code, site_id, collection_id, category, manufacturer, model, serial, asset_tag, year, weight_g, "
    "specs, grade, price_cents, location, state, version, created_at, updated_at"
)


def _utc(value: Any) -> datetime:
    # SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff" in UTC; asyncpg returns aware datetimes.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _device(row: Sequence[Any]) -> DeviceOut:
    (
        _id,
        code,
        site_id,
        collection_id,
        category,
        manufacturer,
        model,
        serial,
        asset_tag,
        year,
        weight_g,
        specs,
        grade,
        price_cents,
        location,
        state,
        version,
        created_at,
        updated_at,
    ) = row
    return DeviceOut(
        code=code,
        site_id=site_id,
        collection_id=collection_id,
        category=category,
        manufacturer=manufacturer,
        model=model,
        serial=serial,
        asset_tag=asset_tag,
        year=year,
        weight_kg=None if weight_g is None else weight_g / 1000,
        specs=json.loads(specs) if isinstance(specs, str) else specs,
        grade=grade,
        price_cents=price_cents,
        location=location,
        state=state,
        version=version,
        allowed_actions=[a.value for a in allowed_actions(State(state))],
        created_at=_utc(created_at),
        updated_at=_utc(updated_at),
    )


class SqlitePool:
    """A fixed set of aiosqlite connections (one thread each) handed out through a queue."""

    BY_CODE = f"SELECT {COLUMNS} FROM devices WHERE code = ?"
    BY_IDENTIFIER = f"SELECT {COLUMNS} FROM devices WHERE serial = ? OR asset_tag = ? ORDER BY id LIMIT 50"
    TOKEN = (
        "SELECT id, role, partner_id FROM api_tokens WHERE key_hash = ? AND revoked_at IS NULL "
        "AND (expires_at IS NULL OR expires_at > ?)"
    )

    def __init__(self, path: str, size: int) -> None:
        self.path, self.size = path, size
        self.idle: asyncio.Queue[Any] = asyncio.Queue()
        self.all: list[Any] = []

    async def open(self) -> None:
        import aiosqlite

        for _ in range(self.size):
            conn = await aiosqlite.connect(self.path)
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000", "foreign_keys=ON"):
                await conn.execute(f"PRAGMA {pragma}")
            self.all.append(conn)
            self.idle.put_nowait(conn)

    async def close(self) -> None:
        for conn in self.all:
            await conn.close()

    async def _fetch(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        conn = await self.idle.get()
        try:
            return list(await conn.execute_fetchall(sql, params))
        finally:
            self.idle.put_nowait(conn)

    async def by_code(self, code: str) -> list[Any]:
        return await self._fetch(self.BY_CODE, (code,))

    async def by_identifier(self, wanted: str) -> list[Any]:
        return await self._fetch(self.BY_IDENTIFIER, (wanted, wanted))

    async def token(self, key_hash: str, now: Any) -> list[Any]:
        return await self._fetch(self.TOKEN, (key_hash, now))


async def _no_reset(connection: Any) -> None:
    return None


class PgPool:
    BY_CODE = f"SELECT {COLUMNS} FROM devices WHERE code = $1"
    BY_IDENTIFIER = f"SELECT {COLUMNS} FROM devices WHERE serial = $1 OR asset_tag = $1 ORDER BY id LIMIT 50"
    TOKEN = (
        "SELECT id, role, partner_id FROM api_tokens WHERE key_hash = $1 AND revoked_at IS NULL "
        "AND (expires_at IS NULL OR expires_at > $2)"
    )

    def __init__(self, dsn: str, size: int) -> None:
        self.dsn, self.size = dsn, size
        self.pool: Any = None

    async def open(self) -> None:
        import asyncpg

        # reset=_no_reset: released connections are not sent asyncpg's default RESET ALL / UNLISTEN
        # round trip (asyncpg still rolls back an open transaction), as SQLAlchemy's pool does not:
        # the baseline must not pay for work the app under test skips.
        self.pool = await asyncpg.create_pool(self.dsn, min_size=self.size, max_size=self.size, reset=_no_reset)

    async def close(self) -> None:
        await self.pool.close()

    async def by_code(self, code: str) -> list[Any]:
        return await self.pool.fetch(self.BY_CODE, code)

    async def by_identifier(self, wanted: str) -> list[Any]:
        return await self.pool.fetch(self.BY_IDENTIFIER, wanted)

    async def token(self, key_hash: str, now: Any) -> list[Any]:
        return await self.pool.fetch(self.TOKEN, key_hash, now)


def _pool_from_env() -> SqlitePool | PgPool:
    url = os.environ["BENCH_DATABASE_URL"]
    size = int(os.environ.get("BENCH_POOL_SIZE", "10"))
    if url.startswith("sqlite"):
        return SqlitePool(url.split(":///", 1)[1], size)
    if url.startswith("postgresql"):
        return PgPool("postgresql://" + url.split("://", 1)[1], size)
    raise ValueError(f"BENCH_DATABASE_URL must be a sqlite+aiosqlite:// or postgresql+asyncpg:// URL, not {url!r}")


def create_app() -> Litestar:
    db = _pool_from_env()

    check_token = os.environ.get("BENCH_AUTH") == "1"

    @get("/api/v1/scan")
    async def scan(
        code: Annotated[str, Parameter(min_length=1, max_length=100)], request: Request[Any, Any, Any]
    ) -> ScanOut:
        if check_token:  # what every reemploi request costs since accounts: one lookup of its token
            scheme, _, secret = request.headers.get("authorization", "").partition(" ")
            now = datetime.now(UTC)
            when = now if isinstance(db, PgPool) else now.strftime("%Y-%m-%d %H:%M:%S.%f")
            if scheme.lower() != "bearer" or not await db.token(hashlib.sha256(secret.encode()).hexdigest(), when):
                raise NotAuthorizedException(detail="token")
        parsed = parse_code(code)
        if parsed.valid:
            assert parsed.canonical is not None
            rows = await db.by_code(parsed.canonical)
            if rows:
                return ScanOut("code", [_device(rows[0])])
        wanted = identifier(code)
        if wanted:
            rows = await db.by_identifier(wanted)
            by_serial = [_device(r) for r in rows if r[7] == wanted]
            if by_serial:
                return ScanOut("serial", by_serial)
            if rows:
                return ScanOut("asset_tag", [_device(r) for r in rows])
        if parsed.looks_like_code and not parsed.valid:
            raise HTTPException(status_code=422, detail="mistyped code")
        raise NotFoundException(detail="unknown code")

    return Litestar(route_handlers=[scan], on_startup=[db.open], on_shutdown=[db.close])
