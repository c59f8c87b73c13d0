"""The README tells the truth (issue 16): every `reemploi` line of its "Using it" block is run, as
written and in its order, on a scratch SQLite database — the installed console script, a real
manifest file, a real `serve` answering /health. A line that no longer works fails here."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import openpyxl
import pytest

from tests.support.server import _free_port

README = Path(__file__).resolve().parent.parent / "README.md"
SCRIPT = shutil.which("reemploi", path=str(Path(sys.executable).parent))
PASSWORD = "un établi bien rangé 2026"
pytestmark = pytest.mark.slow


def documented_lines() -> list[list[str]]:
    """The commands of the README's "Using it" block, split as a shell would (comments dropped)."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Using it") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's 'Using it' section has a shell block"
    lines = [shlex.split(line, comments=True) for line in block.group(1).splitlines() if line.strip()]
    return [words for words in lines if words and Path(words[0]).name == "reemploi"]


def _manifest(path: Path) -> None:
    """A donor's manifest as a company's IT department sends it: a sheet with a header row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Numéro de série", "Catégorie", "Fabricant", "Modèle", "Poids (kg)"])
    sheet.append(["5CG1234XYZ", "Portable", "HP", "EliteBook 840 G5", 1.5])
    sheet.append(["PF2ABCDE", "Portable", "Lenovo", "ThinkPad T480", 1.6])
    sheet.append(["CN0FJ4HT", "Écran", "Dell", "P2419H", 5.2])
    workbook.save(path)


def test_every_documented_command_runs_on_a_scratch_database(tmp_path: Path) -> None:
    assert SCRIPT is not None
    _manifest(tmp_path / "manifeste.xlsx")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REEMPLOI_")}
    env.update(REEMPLOI_DATA_DIR=str(tmp_path / "data"), REEMPLOI_PORT=str(port), COLUMNS="200", NO_COLOR="1")
    lines = documented_lines()
    assert len(lines) >= 10, lines
    outputs: dict[str, str] = {}
    for words in lines:
        command = [SCRIPT, *words[1:]]
        shown = shlex.join(words)
        if words[1:] == ["serve"]:
            _serve(command, env, tmp_path, port)
            continue
        # A password prompt reads its answer (twice: typed, confirmed) from stdin when there is no
        # terminal; a session of its own keeps the process away from the test runner's terminal.
        done = subprocess.run(
            command,
            env=env,
            cwd=tmp_path,
            input=f"{PASSWORD}\n{PASSWORD}\n",
            capture_output=True,
            text=True,
            timeout=120,
            start_new_session=True,
            check=False,
        )
        assert done.returncode == 0, f"{shown}\n{done.stdout}\n{done.stderr}"
        outputs[shown] = done.stdout + done.stderr

    database = tmp_path / "data" / "reemploi.sqlite3"
    with sqlite3.connect(database) as connection:
        devices = connection.execute("SELECT serial, state FROM devices ORDER BY id").fetchall()
        logins = {row[0] for row in connection.execute("SELECT login FROM users")}
    # The manifest's three devices, imported once (the dry run wrote nothing), in collection 1.
    assert devices == [("5CG1234XYZ", "collected"), ("PF2ABCDE", "collected"), ("CN0FJ4HT", "collected")]
    assert logins == {"camille", "jdupont"}
    for pdf in ("etiquettes.pdf", "planche.pdf"):
        assert (tmp_path / pdf).read_bytes().startswith(b"%PDF"), pdf
    (token_output,) = [out for shown, out in outputs.items() if " token create " in f" {shown} "]
    assert "il ne sera plus affiché" in token_output
    with sqlite3.connect(database) as connection:
        (stored,) = connection.execute("SELECT key_hash FROM api_tokens").fetchone()
    secrets_shown = [w for w in token_output.split() if w.startswith("rmp_")]
    assert len(secrets_shown) == 1 and secrets_shown[0] != stored, "the secret is printed, only its digest kept"


def _serve(command: list[str], env: dict[str, str], cwd: Path, port: int) -> None:
    server = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "reemploi serve did not answer /health within a minute"
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
