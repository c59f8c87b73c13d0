"""A database's schema as a flat list of named objects, to compare two databases object by object.

Alembic's `compare_metadata` compares a database with the models, and misses what the models do not
say or what it does not read (a CHECK constraint's condition, triggers, functions). This compares
two databases with each other, as each engine describes itself: on SQLite from sqlite_master and its
pragmas, on PostgreSQL from pg_catalog (the server's own canonical text for constraints, indexes,
triggers and functions). Use it to check that a database upgraded from an old revision ends exactly
like one created at head.

Each object is one entry `"<table>: <kind> <name>" -> "<definition>"`, e.g.
`"sales: check ck_sales_series" -> "series IN ('receipt', 'invoice')"`. Column order is not compared:
a column added later comes last on PostgreSQL and is not the same thing as a missing one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import Dialect

from reemploi.db import create_engine
from reemploi.settings import Settings

__all__ = ["compare", "describe", "describe_database"]


def describe(connection: Connection) -> dict[str, str]:
    """Every table, column, constraint, index, trigger (and on PostgreSQL function, sequence and
    type) of the connection's database, each with its normalised definition."""
    if connection.dialect.name == "sqlite":
        return _describe_sqlite(connection)
    if connection.dialect.name == "postgresql":
        return _describe_postgresql(connection)
    raise NotImplementedError(connection.dialect.name)


async def describe_database(database_url: str) -> dict[str, str]:
    """`describe` for a database URL (opens and disposes its own engine)."""
    engine = create_engine(Settings.from_env({"REEMPLOI_DATABASE_URL": database_url}), pooled=False)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(describe)
    finally:
        await engine.dispose()


def compare(expected: Mapping[str, str], actual: Mapping[str, str]) -> list[str]:
    """What `actual` lacks, has in addition, or defines otherwise than `expected`, one line each."""
    lines = []
    for key in sorted(expected.keys() | actual.keys()):
        if key not in actual:
            lines.append(f"missing   {key}: {expected[key]}")
        elif key not in expected:
            lines.append(f"extra     {key}: {actual[key]}")
        elif expected[key] != actual[key]:
            lines.append(f"different {key}: expected {expected[key]}, found {actual[key]}")
    return lines


def _normalise(sql: str | None) -> str:
    """One line, single spaces, no space inside parentheses: formatting is not a difference."""
    if sql is None:
        return ""
    sql = re.sub(r"\s+", " ", sql).strip()
    return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", sql))


def _columns(names: list[str | None]) -> str:
    return "(" + ", ".join(str(n) for n in names) + ")"


def _type(dialect: Dialect, column_type: object) -> str:
    try:
        return str(column_type.compile(dialect=dialect))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001  (a type the dialect cannot render: its repr still compares)
        return repr(column_type)


# --------------------------------------------------------------------------- SQLite


def _describe_sqlite(connection: Connection) -> dict[str, str]:
    objects: dict[str, str] = {}
    inspector = inspect(connection)
    rows = connection.execute(
        text("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
    ).all()
    tables = [name for kind, name, _, _ in rows if kind == "table"]
    for table in tables:
        objects[f"{table}: table"] = ""
        quoted = table.replace('"', '""')
        for _, name, declared, notnull, default, pk, hidden in connection.exec_driver_sql(
            f'PRAGMA table_xinfo("{quoted}")'
        ).all():
            parts = [declared.upper(), "NOT NULL" if notnull else "NULL"]
            if default is not None:
                parts.append(f"DEFAULT {default}")
            if pk:
                parts.append(f"PRIMARY KEY #{pk}")
            if hidden:
                parts.append(f"HIDDEN {hidden}")
            objects[f"{table}: column {name}"] = " ".join(parts)
        primary = inspector.get_pk_constraint(table)
        if primary["constrained_columns"]:
            objects[f"{table}: primary key {primary.get('name') or ''}".rstrip()] = _columns(
                primary["constrained_columns"]
            )
        for unique in inspector.get_unique_constraints(table):
            objects[f"{table}: unique {unique['name']}"] = _columns(unique["column_names"])
        for foreign in inspector.get_foreign_keys(table):
            options = " ".join(f"{k.upper()} {v}" for k, v in sorted(foreign.get("options", {}).items()) if v)
            target = f"{foreign['referred_table']}{_columns(foreign['referred_columns'])}"
            objects[f"{table}: foreign key {foreign['name']}"] = (
                f"{_columns(foreign['constrained_columns'])} -> {target} {options}".rstrip()
            )
        for check in inspector.get_check_constraints(table):
            objects[f"{table}: check {check['name']}"] = _normalise(check["sqltext"])
        # CHECK constraints the parser above did not see would go unnoticed: count them in the text.
        table_sql = next(sql for kind, name, _, sql in rows if kind == "table" and name == table)
        declared_checks = len(re.findall(r"\bCHECK\s*\(", table_sql, flags=re.IGNORECASE))
        found_checks = sum(1 for key in objects if key.startswith(f"{table}: check "))
        if declared_checks != found_checks:
            objects[f"{table}: checks declared"] = str(declared_checks)
    for kind, name, table, sql in rows:
        if kind == "index" and sql is not None:  # None: the index behind a UNIQUE or PRIMARY KEY
            objects[f"{table}: index {name}"] = _sqlite_index(connection, name, sql)
        elif kind == "trigger":
            objects[f"{table}: trigger {name}"] = _normalise(sql)
        elif kind == "view":
            objects[f"{table}: view {name}"] = _normalise(sql)
    return objects


def _sqlite_index(connection: Connection, name: str, sql: str) -> str:
    quoted = name.replace('"', '""')
    columns = [row[2] for row in connection.exec_driver_sql(f'PRAGMA index_info("{quoted}")').all()]
    unique = re.match(r"\s*CREATE\s+UNIQUE\s", sql, flags=re.IGNORECASE) is not None
    where = re.search(r"\bWHERE\b(.*)$", sql, flags=re.IGNORECASE | re.DOTALL)
    definition = ("UNIQUE " if unique else "") + _columns(columns)
    return f"{definition} WHERE {_normalise(where.group(1))}" if where else definition


# --------------------------------------------------------------------------- PostgreSQL

_PG_COLUMNS = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
"""

_PG_RELATIONS = """
SELECT c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
"""

_PG_CONSTRAINTS = """
SELECT c.relname, k.conname, k.contype::text, pg_get_constraintdef(k.oid, true)
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema()
"""

_PG_INDEXES = """
SELECT t.relname, i.relname, pg_get_indexdef(x.indexrelid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema()
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid)
"""

_PG_TRIGGERS = """
SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid, true), t.tgenabled::text
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND NOT t.tgisinternal
"""

_PG_FUNCTIONS = """
SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid)
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = current_schema() AND p.prokind IN ('f', 'p')
"""

_PG_TYPES = """
SELECT t.typname, t.typtype::text,
       coalesce((SELECT string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '')
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd')
"""

# PostgreSQL keeps `kind IN ('a', 'b')` as `kind::text = ANY (ARRAY['a'::character varying, …]::text[])`;
# the same constraint read back from a dump (pg_dump, then restore) has the cast on each element,
# `ARRAY['a'::character varying::text, …]`. Same condition: both are written the second way here.
_PG_ARRAY_CAST = re.compile(r"ARRAY\[((?:'(?:[^']|'')*'::[a-z ]+?(?:, )?)+)\]::([a-z ]+)\[\]")
_PG_LITERAL = re.compile(r"'(?:[^']|'')*'::[a-z ]+?(?=, |$)")


def _pg_check(definition: str) -> str:
    def each_element(match: re.Match[str]) -> str:
        cast = match.group(2)
        return "ARRAY[" + ", ".join(f"{item}::{cast}" for item in _PG_LITERAL.findall(match.group(1))) + "]"

    return _PG_ARRAY_CAST.sub(each_element, _normalise(definition))


_PG_CONSTRAINT_KINDS = {"p": "primary key", "u": "unique", "f": "foreign key", "c": "check", "x": "exclusion"}
_PG_RELATION_KINDS = {"r": "table", "p": "table", "v": "view", "m": "materialized view", "S": "sequence"}


def _describe_postgresql(connection: Connection) -> dict[str, str]:
    objects: dict[str, str] = {}
    for name, kind in connection.execute(text(_PG_RELATIONS)).all():
        if kind == "S":
            objects[f"{name}: sequence"] = ""
        else:
            objects[f"{name}: {_PG_RELATION_KINDS[kind]}"] = ""
    for table, name, column_type, notnull, default, identity, generated in connection.execute(text(_PG_COLUMNS)):
        parts = [column_type, "NOT NULL" if notnull else "NULL"]
        if default is not None:
            parts.append(f"DEFAULT {default}")
        if identity:
            parts.append(f"IDENTITY {identity}")
        if generated:
            parts.append(f"GENERATED {generated}")
        objects[f"{table}: column {name}"] = " ".join(parts)
    for table, name, kind, definition in connection.execute(text(_PG_CONSTRAINTS)):
        objects[f"{table}: {_PG_CONSTRAINT_KINDS.get(kind, kind)} {name}"] = (
            _pg_check(definition) if kind == "c" else _normalise(definition)
        )
    for table, name, definition in connection.execute(text(_PG_INDEXES)):
        objects[f"{table}: index {name}"] = _normalise(definition)
    for table, name, definition, enabled in connection.execute(text(_PG_TRIGGERS)):
        objects[f"{table}: trigger {name}"] = _normalise(definition) + ("" if enabled == "O" else f" [{enabled}]")
    for name, arguments, definition in connection.execute(text(_PG_FUNCTIONS)):
        objects[f"(function): {name}({arguments})"] = _normalise(definition)
    for name, kind, labels in connection.execute(text(_PG_TYPES)):
        objects[f"(type): {name}"] = f"{'enum' if kind == 'e' else 'domain'} {labels}".rstrip()
    return objects
