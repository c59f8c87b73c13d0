"""`reemploi demo` loads accounts whose passwords are published: it must never load them into a
database it did not create itself. A workshop's database is made by `reemploi db upgrade` and
`reemploi user create`; on it the demo refuses, says why and how to try it elsewhere, and writes
nothing (on both engines)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from reemploi import models

SCRIPT = shutil.which("reemploi", path=str(Path(sys.executable).parent))


def _run(database_url: str, data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REEMPLOI_")}
    env.update(REEMPLOI_DATABASE_URL=database_url, REEMPLOI_DATA_DIR=str(data_dir), COLUMNS="400", NO_COLOR="1")
    assert SCRIPT is not None
    return subprocess.run(
        [SCRIPT, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


def _contents(database_url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order."""

    def read(connection: sa.Connection) -> dict[str, list[tuple[object, ...]]]:
        names = sa.inspect(connection).get_table_names()
        return {
            name: sorted(map(tuple, connection.execute(sa.text(f'SELECT * FROM "{name}"'))), key=repr)
            for name in sorted(names)
        }

    async def main() -> dict[str, list[tuple[object, ...]]]:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(read)
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever the test runs in
        return thread.submit(asyncio.run, main()).result()


def test_the_demo_refuses_a_database_made_by_db_upgrade_and_writes_nothing(database_url: str, tmp_path: Path) -> None:
    # The fixture's database is at head, as `reemploi db upgrade` leaves it; add the first account.
    created = _run(
        database_url,
        tmp_path,
        "user",
        "create",
        "camille",
        "--name",
        "Camille Martin",
        "--role",
        "admin",
        "--password-stdin",
        stdin="un mot de passe assez long\n",
    )
    assert created.returncode == 0, created.stderr
    before = _contents(database_url)
    assert len(before["users"]) == 1 and not before["devices"]

    refused = _run(database_url, tmp_path, "demo", "--devices", "20")

    assert refused.returncode == 1, refused.stdout + refused.stderr
    message = " ".join(refused.stderr.split())
    assert "n'a pas été créée par « reemploi demo »" in message
    assert "rien n'a été écrit" in message
    assert "REEMPLOI_DATA_DIR" in message
    if "@" in database_url and ":" in database_url.split("@")[0].split("//")[1]:
        password = database_url.split("@")[0].split(":")[-1]
        assert password not in refused.stderr  # the URL is shown without its password
    assert "demo-admin" not in refused.stdout  # no demo account was printed, none was made
    assert _contents(database_url) == before


def test_the_demo_marks_the_database_it_creates_and_reloads_nothing_there(tmp_path: Path) -> None:
    database = tmp_path / "reemploi.sqlite3"
    url = f"sqlite+aiosqlite:///{database}"
    first = _run(url, tmp_path, "demo", "--devices", "16")
    assert first.returncode == 0, first.stderr
    marks = _contents(url)[models.DemoMark.__tablename__]
    assert len(marks) == 1
    devices = len(_contents(url)["devices"])

    again = _run(url, tmp_path, "demo", "--devices", "16")

    assert again.returncode == 0, again.stderr
    assert "non rechargées" in again.stdout
    assert len(_contents(url)["devices"]) == devices
