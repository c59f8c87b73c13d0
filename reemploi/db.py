"""Database plumbing shared by every domain: the model base, the engine, and write transactions.

One code path for both engines. SQLite (the embedded default) gets WAL, foreign keys, a busy
timeout, and BEGIN IMMEDIATE for write transactions: a writer takes the lock before it reads, so
two writers queue instead of one failing on a stale snapshot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, TypeVar, cast

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    JSON,
    BigInteger,
    ClauseElement,
    CursorResult,
    ForeignKey,
    Integer,
    MetaData,
    Result,
    Row,
    Select,
    String,
    Table,
    event,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import NullPool, PoolProxiedConnection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.util import greenlet_spawn

from reemploi.settings import Settings

T = TypeVar("T")
U = TypeVar("U")

# Constraint names are explicit so migrations can alter them on both engines (SQLite batch mode).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    __table__: ClassVar[Table]  # every model here is mapped to one table
    type_annotation_map = {dict[str, Any]: JSONType}


Timestamp = DateTimeUTC(timezone=True)
# Primary keys: 64-bit on PostgreSQL, SQLite's rowid (INTEGER PRIMARY KEY) there.
BigId = BigInteger().with_variant(Integer, "sqlite")


class ActorColumns:
    """Who did it, recorded the same way on every table that keeps an act (reemploi.actors.Actor):
    the label the history shows (kept when an account is deleted), the person's account, the API
    token used (none for a command run on the server). Fill it with `**actor.columns()`."""

    actor: Mapped[str] = mapped_column(String(200))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))


def utcnow() -> datetime:
    return datetime.now(UTC)


# Execution option that marks a connection as the request's write transaction.
_WRITE = "reemploi_write"


def create_engine(settings: Settings, *, pooled: bool = True) -> AsyncEngine:
    """The engine for `settings`. `pooled=False` gives one connection per checkout (tests, CLI)."""
    kwargs: dict[str, Any] = {"echo": settings.db_echo}
    if not pooled:
        kwargs["poolclass"] = NullPool
    elif settings.is_sqlite:
        # The driver is in autocommit mode and every transaction is a SQLAlchemy one, which rolls
        # itself back when its connection closes: the pool's own reset would be a second ROLLBACK.
        # A fixed set of connections, as for PostgreSQL below (an overflow connection is a new thread).
        kwargs.update(pool_size=settings.db_pool_size, max_overflow=0, pool_reset_on_return=None)
    else:
        # A fixed set of connections: requests beyond it wait for one (an overflow connection would
        # be opened and closed per request under load, and PostgreSQL's connections are costly).
        # No pre-ping (a round trip per request): a connection the server dropped fails the request
        # that holds it, SQLAlchemy then invalidates the pool, and connections are recycled hourly.
        kwargs.update(pool_size=settings.db_pool_size, max_overflow=0, pool_recycle=3600)
    if settings.is_sqlite:
        _ensure_sqlite_directory(settings.database_url)
    engine = create_async_engine(settings.database_url, **kwargs)
    if settings.is_sqlite:
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
    return engine


def _ensure_sqlite_directory(url: str) -> None:
    path = url.split(":///", 1)[-1].split("?", 1)[0]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN is ours (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # FULL: a receipt acknowledged is on disk, even after a power cut (NORMAL may roll back the last
        # commits in WAL mode, and their receipt numbers would be issued again).
        cursor.execute("PRAGMA synchronous=FULL")
        # REPLACE deletes the row it replaces; with recursive triggers that delete fires the append-only
        # DELETE triggers, so REPLACE INTO / INSERT OR REPLACE cannot rewrite history.
        cursor.execute("PRAGMA recursive_triggers=ON")
        cursor.close()
        # SQLite's lower() knows ASCII only: the lists' search folds "Zoé" and "ZOÉ" with this (see `folded`).
        dbapi_connection.create_function(_FOLD_FUNCTION, 1, fold_text, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# --- Text as the lists' search compares it: case and French accents aside, the same on both engines -------

# Upper case to lower case and the accented letters French uses to their plain letter, one for one, so
# that PostgreSQL's translate() and Python's str.translate (SQLite's function) give the same text
# whatever the database's locale.
_FOLD_FROM = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝŸýÿŒÆ"
_FOLD_TO = "abcdefghijklmnopqrstuvwxyzaaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooouuuuuuuuyyyyœæ"
_FOLD_TABLE = str.maketrans(_FOLD_FROM, _FOLD_TO)
_FOLD_FUNCTION = "reemploi_fold"


def fold_text(text: str | None) -> str | None:
    """A text as searched: "Zoé DUPONT" → "zoe dupont" (see `folded`, its SQL twin)."""
    return None if text is None else text.translate(_FOLD_TABLE)


class folded(FunctionElement[str]):
    """`fold_text` in SQL: a column compared case and accents aside, on either engine."""

    type = String()
    inherit_cache = True


@compiles(folded)
def _folded_sqlite(element: folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{_FOLD_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element: folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"translate({compiler.process(element.clauses, **kw)}, '{_FOLD_FROM}', '{_FOLD_TO}')"


class _Compiled(NamedTuple):
    sql: str
    names: tuple[str, ...]  # the parameters, in the order the driver takes them
    defaults: dict[str, Any]  # values the statement carries itself (a LIMIT)
    binds: dict[str, Any]  # per parameter, the type's conversion to what the driver takes
    processors: list[Any]  # per column, the type's conversion of what the driver returns


# The pooled connection a request's driver statements share, when its route asked for one.
_request_connection: ContextVar[PoolProxiedConnection | None] = ContextVar("reemploi_driver_connection", default=None)


@asynccontextmanager
async def driver_connection(engine: AsyncEngine) -> AsyncIterator[PoolProxiedConnection]:
    """A pooled connection for driver statements: the request's own if it holds one, else a new
    checkout, returned at the end of the block. The authentication middleware holds one for the
    whole request on routes that only use driver statements (the scan), so that its token lookup and
    the scan share a single checkout; such a request never asks the pool for a second connection."""
    held = _request_connection.get()
    if held is not None:
        yield held
        return
    raw = await engine.raw_connection()
    token = _request_connection.set(raw)
    try:
        yield raw
    finally:
        _request_connection.reset(token)
        await greenlet_spawn(raw.close)


class DriverStatement:
    """A Core statement run by the database driver itself, for the hottest single-statement work.

    Scanning a label is the bench's most frequent request. Through SQLAlchemy's execution layer a
    lookup cost a transaction around it and, on aiosqlite, four thread hops per statement (cursor,
    execute, fetch, close); here it is one call to the driver on a pooled connection, in autocommit.
    The SQL is still SQLAlchemy's, compiled once per dialect; parameters and rows are converted by
    the columns' own types (JSON, UTC timestamps), so the result is what the ORM would give. Use a
    session for work of several statements that must see one snapshot or commit together.
    """

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        if dialect.name not in self._compiled:
            compiled = cast(SQLCompiler, self.statement.compile(dialect=dialect))
            names = tuple(compiled.positiontup or ())
            defaults = {k: v for k, v in compiled.params.items() if v is not None}
            binds = {name: compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names}
            selected = getattr(self.statement, "selected_columns", ())
            processors = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in selected]
            self._compiled[dialect.name] = _Compiled(compiled.string, names, defaults, binds, processors)
        return self._compiled[dialect.name]

    async def rows(self, engine: AsyncEngine, **params: Any) -> list[tuple[Any, ...]]:
        """The rows of a SELECT (for an UPDATE or DELETE: none)."""
        sql, names, defaults, binds, processors = self._for(engine.dialect)
        values = []
        for name in names:
            value = params[name] if name in params else defaults[name]
            process = binds[name]
            values.append(value if process is None or value is None else process(value))
        async with driver_connection(engine) as raw:
            try:
                driver = raw.driver_connection
                if engine.dialect.name == "sqlite":
                    fetched = await driver.execute_fetchall(sql, values)  # type: ignore[union-attr]
                else:
                    fetched = await driver.fetch(sql, *values)  # type: ignore[union-attr]
            except Exception as error:
                if not str(getattr(error, "sqlstate", "")).startswith("22"):  # not a bad value: maybe a bad connection
                    raw.invalidate(error)
                raise DBAPIError(sql, values, error) from error
        return [
            tuple(value if process is None else process(value) for value, process in zip(row, processors, strict=True))
            for row in fetched
        ]


@asynccontextmanager
async def write_transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """The one write transaction of a request or command: committed if the block succeeds,
    rolled back (nothing half-written) if it raises.

    A read-only transaction already open on the session (e.g. an earlier lookup) is ended first,
    so the write transaction starts with the write lock on SQLite.
    """
    if session.in_transaction():
        connection = (await session.connection()).sync_connection
        assert connection is not None  # a session in a transaction has its connection
        if not connection.get_execution_options().get(_WRITE, False):
            await session.commit()
    if not session.in_transaction():
        await session.connection(execution_options={_WRITE: True})
    try:
        yield session
    except BaseException:
        await session.rollback()
        raise
    await session.commit()


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """An INSERT with ON CONFLICT clauses (`on_conflict_do_nothing/do_update`) for the session's engine."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    insert = pg_insert if dialect_name(session) == "postgresql" else sqlite_insert
    return insert(table)


def dialect_name(session: AsyncSession) -> str:
    """The session's engine: "postgresql" or "sqlite"."""
    return session.get_bind().dialect.name


def affected_rows(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (its result is a cursor result)."""
    assert isinstance(result, CursorResult)
    return result.rowcount


async def paginated(
    session: AsyncSession, query: Select[*tuple[Any, ...]], window: LimitOffset
) -> OffsetPagination[Row[*tuple[Any, ...]]]:
    """One page of `query`'s rows and how many it has in all: one count, one page query, both in the
    session's transaction. `query` orders by a unique key last, so pages neither overlap nor skip."""
    total = (await session.execute(select(func.count()).select_from(query.order_by(None).subquery()))).scalar_one()
    rows = (await session.execute(query.limit(window.limit).offset(window.offset))).all()
    return OffsetPagination(items=list(rows), limit=window.limit, offset=window.offset, total=total)


async def paginated_scalars(session: AsyncSession, query: Select[T], window: LimitOffset) -> OffsetPagination[T]:
    """`paginated` for a query of one entity (`select(Site)`): the page holds the entities."""
    return page_of(await paginated(session, query, window), itemgetter(0))


def page_of(found: OffsetPagination[T], convert: Callable[[T], U]) -> OffsetPagination[U]:
    """The same page with each item converted (a row to its view, a model to its answer struct)."""
    return OffsetPagination(
        items=[convert(item) for item in found.items], limit=found.limit, offset=found.offset, total=found.total
    )
