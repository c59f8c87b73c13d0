"""The `reemploi` command as an installer or a manager runs it: a real subprocess of the installed
console script, on a fresh SQLite file (the zero-setup engine)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reemploi.devices.codes import make_code, next_numbers
from reemploi.devices.lifecycle import State

SCRIPT = shutil.which("reemploi", path=str(Path(sys.executable).parent))


def _env(database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REEMPLOI_")}
    env.update(
        REEMPLOI_DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        REEMPLOI_DATA_DIR=str(database.parent),
        COLUMNS="250",  # rich wraps at the terminal width; keep each message on one line
        NO_COLOR="1",
    )
    env.update(extra)
    return env


def run(database: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    assert SCRIPT is not None, f"no reemploi script next to {sys.executable}"
    return subprocess.run(
        [SCRIPT, *args],
        env=_env(database, **extra_env),
        cwd=database.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def query(database: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(database)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database for the module (loading it takes a few seconds); tests copy it."""
    database = tmp_path_factory.mktemp("demo") / "reemploi.sqlite3"
    loaded = run(database, "demo", "--devices", "40")
    assert loaded.returncode == 0, loaded.stderr
    assert not Path(f"{database}-wal").exists() or Path(f"{database}-wal").stat().st_size == 0
    return database


@pytest.fixture
def workshop_database(demo_database: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "reemploi.sqlite3"
    shutil.copyfile(demo_database, copy)
    yield copy


def test_the_console_script_is_installed_next_to_python() -> None:
    assert SCRIPT is not None
    assert Path(SCRIPT).parent == Path(sys.executable).parent


def test_a_fresh_database_is_not_current_until_upgraded(tmp_path: Path) -> None:
    database = tmp_path / "reemploi.sqlite3"

    before = run(database, "db", "current")
    assert before.returncode == 1, before.stdout + before.stderr
    assert "vide" in before.stdout

    upgraded = run(database, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "Schéma à la version" in upgraded.stdout

    current = run(database, "db", "current")
    assert current.returncode == 0, current.stdout + current.stderr
    revision = query(database, "SELECT version_num FROM alembic_version")[0][0]
    assert f"base : {revision} ; code : {revision}" in current.stdout

    again = run(database, "db", "upgrade")
    assert again.returncode == 0, again.stderr


def test_the_demo_covers_every_lifecycle_state_and_is_not_loaded_twice(demo_database: Path, tmp_path: Path) -> None:
    database = tmp_path / "reemploi.sqlite3"
    shutil.copyfile(demo_database, database)
    states = {row[0] for row in query(database, "SELECT DISTINCT state FROM devices")}
    assert states == {s.value for s in State}
    assert query(database, "SELECT count(*) FROM devices") == [(40,)]
    # Every device's history opens with its registration and ends in its current state.
    broken = query(
        database,
        """
        SELECT d.code FROM devices d
        WHERE d.version != (SELECT count(*) FROM device_events e WHERE e.device_id = d.id)
           OR d.state != (SELECT e.to_state FROM device_events e WHERE e.device_id = d.id AND e.version = d.version)
    """,
    )
    assert broken == []

    second = run(database, "demo", "--devices", "40")
    assert second.returncode == 0, second.stderr
    assert "non rechargées" in second.stdout
    assert query(database, "SELECT count(*) FROM devices") == [(40,)]


def test_the_demo_refuses_a_device_count_too_small_to_show_every_state(tmp_path: Path) -> None:
    database = tmp_path / "reemploi.sqlite3"
    refused = run(database, "demo", "--devices", "3")
    assert refused.returncode == 2
    assert "--devices" in refused.stderr


def _manifest(path: Path, *rows: str) -> Path:
    path.write_text(
        "\r\n".join(["Numéro de série;Catégorie;Fabricant;Poids (kg)", *rows]) + "\r\n", encoding="utf-8-sig"
    )
    return path


def _site_of(database: Path, collection_id: int) -> tuple[str, int]:
    ((code, last),) = query(
        database,
        """
        SELECT s.code, s.last_device_number FROM sites s JOIN collections c ON c.site_id = s.id WHERE c.id = ?
    """,
        collection_id,
    )
    return str(code), int(last)


def test_importing_a_good_manifest_creates_the_devices(workshop_database: Path, tmp_path: Path) -> None:
    site_code, last = _site_of(workshop_database, 1)
    before = query(workshop_database, "SELECT count(*) FROM devices")[0][0]
    manifest = _manifest(
        tmp_path / "manifeste.csv",
        "CLI00001;portable;Lenovo;1,58",
        "CLI00002;écran;Dell;5,6",
        "CLI00003;tablette;Apple;0,47",
    )

    imported = run(workshop_database, "import-manifest", "1", str(manifest))
    assert imported.returncode == 0, imported.stderr
    expected = [make_code(site_code, n) for n in next_numbers(site_code, last, 3)]
    assert "3 appareil(s) créés dans la collecte 1" in imported.stdout
    assert expected[0] in imported.stdout and expected[-1] in imported.stdout

    rows = query(
        workshop_database,
        """
        SELECT code, serial, category, weight_g, state, collection_id FROM devices WHERE serial LIKE 'CLI%' ORDER BY id
    """,
    )
    assert rows == [
        (expected[0], "CLI00001", "laptop", 1580, "collected", 1),
        (expected[1], "CLI00002", "screen", 5600, "collected", 1),
        (expected[2], "CLI00003", "tablet", 470, "collected", 1),
    ]
    assert query(workshop_database, "SELECT count(*) FROM devices")[0][0] == before + 3
    actors = query(
        workshop_database,
        """
        SELECT DISTINCT e.actor FROM device_events e JOIN devices d ON d.id = e.device_id WHERE d.serial LIKE 'CLI%'
    """,
    )
    assert len(actors) == 1 and str(actors[0][0]).startswith("cli")


def test_importing_a_bad_manifest_prints_every_bad_line_and_writes_nothing(
    workshop_database: Path, tmp_path: Path
) -> None:
    site_code, last = _site_of(workshop_database, 1)
    before = query(workshop_database, "SELECT count(*) FROM devices")[0][0]
    events_before = query(workshop_database, "SELECT count(*) FROM device_events")[0][0]
    manifest = _manifest(
        tmp_path / "manifeste.csv",
        "BAD00001;portable;Lenovo;1,58",  # line 2: fine
        "BAD00002;grille-pain;Moulinex;2",  # line 3
        ";portable;HP;1,5",  # line 4
        "BAD00004;écran;Dell;5,6",  # line 5: fine
        "BAD00005;portable;Dell;lourd",  # line 6
    )

    refused = run(workshop_database, "import-manifest", "1", str(manifest))
    assert refused.returncode == 1, refused.stdout
    output = refused.stdout + refused.stderr
    assert "rien n'a été enregistré" in output
    for line in (3, 4, 6):
        assert f"ligne {line}" in output
    for line in (2, 5):
        assert f"ligne {line}," not in output and f"ligne {line} :" not in output
    assert "grille-pain" in output and "lourd" in output

    assert query(workshop_database, "SELECT count(*) FROM devices")[0][0] == before
    assert query(workshop_database, "SELECT count(*) FROM device_events")[0][0] == events_before
    assert _site_of(workshop_database, 1) == (site_code, last)


def test_a_dry_run_import_checks_the_manifest_and_writes_nothing(workshop_database: Path, tmp_path: Path) -> None:
    before = query(workshop_database, "SELECT count(*) FROM devices")[0][0]
    site = _site_of(workshop_database, 1)
    manifest = _manifest(tmp_path / "manifeste.csv", "DRY00001;portable;Lenovo;1,58", "DRY00002;écran;Dell;5,6")
    checked = run(workshop_database, "import-manifest", "1", str(manifest), "--dry-run")
    assert checked.returncode == 0, checked.stderr
    assert "2 appareil(s) seraient créés" in checked.stdout
    assert "Rien n'a été enregistré" in checked.stdout
    assert query(workshop_database, "SELECT count(*) FROM devices")[0][0] == before
    assert _site_of(workshop_database, 1) == site


def test_importing_into_a_collection_that_does_not_exist_fails_clearly(workshop_database: Path, tmp_path: Path) -> None:
    before = query(workshop_database, "SELECT count(*) FROM devices")[0][0]
    manifest = _manifest(tmp_path / "manifeste.csv", "NOPE0001;portable;Lenovo;1,58")
    refused = run(workshop_database, "import-manifest", "999", str(manifest))
    assert refused.returncode == 1
    assert "Collecte n° 999 introuvable" in refused.stderr
    assert query(workshop_database, "SELECT count(*) FROM devices")[0][0] == before


def test_serve_refuses_to_start_on_a_database_that_was_never_migrated(tmp_path: Path) -> None:
    database = tmp_path / "reemploi.sqlite3"
    refused = run(database, "serve", "--port", "1")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "La base n'est pas à jour" in refused.stderr
    assert "reemploi db upgrade" in refused.stderr
    assert "écoute" not in refused.stdout


def test_import_refuses_to_run_on_a_database_that_was_never_migrated(tmp_path: Path) -> None:
    database = tmp_path / "reemploi.sqlite3"
    manifest = _manifest(tmp_path / "manifeste.csv", "X1;portable;Lenovo;1,58")
    refused = run(database, "import-manifest", "1", str(manifest))
    assert refused.returncode == 1
    assert "reemploi db upgrade" in refused.stderr


@pytest.mark.parametrize("command", [["serve"], ["db", "current"], ["db", "upgrade"]])
def test_an_invalid_port_setting_stops_with_a_message_naming_the_variable(tmp_path: Path, command: list[str]) -> None:
    database = tmp_path / "reemploi.sqlite3"
    refused = run(database, *command, REEMPLOI_PORT="abc")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "REEMPLOI_PORT" in refused.stderr
    assert "'abc'" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not database.exists()


def test_a_database_url_for_an_unsupported_engine_is_refused_naming_the_variable(tmp_path: Path) -> None:
    database = tmp_path / "reemploi.sqlite3"
    refused = run(database, "db", "current", REEMPLOI_DATABASE_URL="mysql://root@localhost/reemploi")
    assert refused.returncode == 2
    assert "REEMPLOI_DATABASE_URL" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_labels_of_a_collection_are_written_to_a_pdf_that_scans(workshop_database: Path, tmp_path: Path) -> None:
    import pypdfium2
    import zxingcpp

    # A cancelled registration (the demo has one of every state) is printed no more than counted.
    listed = "SELECT code FROM devices WHERE collection_id = 1 AND state <> 'cancelled' ORDER BY id"
    codes = [row[0] for row in query(workshop_database, listed)]
    assert codes, "the workshop database has devices in collection 1"
    pdf = tmp_path / "etiquettes.pdf"
    printed = run(
        workshop_database, "labels", "--collection", "1", "--template", "zebra-2.25x1.25in-203dpi", "-o", str(pdf)
    )
    assert printed.returncode == 0, printed.stderr
    assert f"{len(codes)} étiquette(s)" in printed.stdout
    document = pypdfium2.PdfDocument(pdf.read_bytes())
    try:
        read = [
            [r.text for r in zxingcpp.read_barcodes(document[i].render(scale=203 / 72).to_pil())]
            for i in range(len(document))
        ]
    finally:
        document.close()
    assert read == [[code] for code in codes]

    printed_ids = query(workshop_database, "SELECT device_id FROM label_print_devices ORDER BY position")
    assert len(printed_ids) == len(codes), "the print is recorded, device by device"

    refused = run(workshop_database, "labels", "--collection", "1", "--template", "avery-l9999", "-o", str(pdf))
    assert refused.returncode == 1 and "inconnu" in refused.stderr
    on_roll = run(
        workshop_database, "labels", "--collection", "1", "--template", "dymo-11354", "--skip", "3", "-o", str(pdf)
    )
    assert on_roll.returncode == 1 and "rouleau" in on_roll.stderr
    assert len(query(workshop_database, "SELECT device_id FROM label_print_devices")) == len(codes)


def test_labels_on_a_partly_used_a4_sheet_with_qr_codes(workshop_database: Path, tmp_path: Path) -> None:
    import pypdfium2
    import zxingcpp

    (code,) = query(workshop_database, "SELECT code FROM devices ORDER BY id LIMIT 1")[0]
    pdf = tmp_path / "planche.pdf"
    printed = run(
        workshop_database, "labels", "--code", code, "--template", "avery-l7160", "--skip", "20", "--qr", "-o", str(pdf)
    )
    assert printed.returncode == 0, printed.stderr
    document = pypdfium2.PdfDocument(pdf.read_bytes())
    try:
        assert len(document) == 1
        found = zxingcpp.read_barcodes(document[0].render(scale=300 / 72).to_pil())
    finally:
        document.close()
    assert sorted((r.format.name, r.text) for r in found) == [
        ("Code128", code),
        ("QRCode", f"http://127.0.0.1:8000/scan?code={code}"),
    ]
    # the 21st position: bottom right of the sheet
    assert all(r.position.top_left.x > 139.3 / 25.4 * 300 and r.position.top_left.y > 243.7 / 25.4 * 300 for r in found)


def test_housekeeping_anonymises_people_inactive_past_the_retention_period(workshop_database: Path) -> None:
    rows = [
        ("B-900001", "Ancienne Personne", "2021-01-04 10:00:00"),
        ("B-900002", "Personne Récente", "2026-01-04 10:00:00"),
    ]
    connection = sqlite3.connect(workshop_database)
    with connection:
        for number, name, last in rows:
            connection.execute(
                "INSERT INTO beneficiaries (number, name, name_key, contact, commune_insee, age_band, eligibility_reason,"
                " eligibility_verified_by, referrer, created_at, last_activity_at) VALUES (?, ?, ?, '06 00 00 00 00',"
                " '69266', '26_44', 'rsa', 'CCAS', 'CCAS', ?, ?)",
                (number, name, name.lower(), last, last),
            )
    connection.close()
    done = run(workshop_database, "housekeeping")
    assert done.returncode == 0, done.stderr
    assert "1 bénéficiaire(s) anonymisé(s) (inactifs depuis 3 ans)" in done.stdout
    kept = query(
        workshop_database,
        "SELECT number, name, contact, commune_insee, anonymised_at IS NOT NULL FROM beneficiaries"
        " WHERE number LIKE 'B-9%' ORDER BY number",
    )
    assert kept == [
        ("B-900001", None, None, "69266", 1),
        ("B-900002", "Personne Récente", "06 00 00 00 00", "69266", 0),
    ]
    assert "0 bénéficiaire(s)" in run(workshop_database, "housekeeping").stdout, "done once"


def test_the_bench_seed_writes_a_workshop_whose_histories_replay(tmp_path: Path) -> None:
    database = tmp_path / "reemploi.sqlite3"
    assert run(database, "db", "upgrade").returncode == 0
    seeded = run(database, "bench", "seed", "--devices", "400")
    assert seeded.returncode == 0, seeded.stderr
    assert query(database, "SELECT count(*) FROM devices") == [(400,)]
    broken = query(
        database,
        """
        SELECT d.code FROM devices d
        WHERE d.version != (SELECT count(*) FROM device_events e WHERE e.device_id = d.id)
           OR d.state != (SELECT e.to_state FROM device_events e WHERE e.device_id = d.id AND e.version = d.version)""",
    )
    assert broken == []
    sold = query(database, "SELECT count(*) FROM devices WHERE state IN ('sold', 'donated', 'sold_to_organisation')")
    assert query(database, "SELECT count(*) FROM sale_lines") == sold
    assert query(database, "SELECT count(DISTINCT number) = count(*) FROM sales GROUP BY series, year")[0] == (1,)
