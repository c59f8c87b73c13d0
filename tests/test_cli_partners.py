"""`reemploi partner create` and `reemploi collection create` as an installer runs them on a new
database: a donor, then its collection, each refused in French with a non-zero exit when what was
typed is wrong (a SIREN's check digit, a merged commune's old code, a donor or a site that does not
exist), nothing written then."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import query, run


@pytest.fixture
def new_database(tmp_path: Path) -> Path:
    database = tmp_path / "reemploi.sqlite3"
    assert run(database, "db", "upgrade").returncode == 0
    assert run(database, "site", "create", "LYO", "Atelier Lyon 7e").returncode == 0
    return database


def test_a_donor_with_a_wrong_siren_is_refused_in_french_then_created(new_database: Path) -> None:
    refused = run(new_database, "partner", "create", "company", "Transports Rhodaniens SA", "--siren", "732829321")
    assert refused.returncode == 1
    assert "SIREN « 732829321 » invalide" in refused.stderr
    assert query(new_database, "SELECT count(*) FROM partners") == [(0,)]

    created = run(new_database, "partner", "create", "company", "Transports Rhodaniens SA", "--siren", "732829320")
    assert created.returncode == 0, created.stderr
    assert "« Transports Rhodaniens SA » créé (n° 1)" in created.stdout
    assert query(new_database, "SELECT kind, name, siren FROM partners") == [
        ("company", "Transports Rhodaniens SA", "732829320")
    ]


def test_a_collectivity_s_merged_commune_is_refused_naming_its_code(new_database: Path) -> None:
    args = ["partner", "create", "collectivity", "Département du Rhône", "--siren", "732829320", "--insee", "69"]
    refused = run(new_database, *args, "--commune", "69123", "--commune", "69152")
    assert refused.returncode == 1
    assert "« 69152 » n'est celui d'aucune commune actuelle" in refused.stderr
    created = run(new_database, *args, "--commune", "69123", "--commune", "69149")
    assert created.returncode == 0, created.stderr
    assert query(new_database, "SELECT insee_code FROM partner_communes ORDER BY insee_code") == [
        ("69123",),
        ("69149",),
    ]


def test_a_collection_needs_a_donor_and_a_site_that_exist(new_database: Path) -> None:
    no_donor = run(new_database, "collection", "create", "--donor", "7", "--site", "LYO", "--on", "2026-11-30")
    assert no_donor.returncode == 1 and "le partenaire n° 7 n'existe pas" in no_donor.stderr
    assert run(new_database, "partner", "create", "company", "ACME", "--siren", "732829320").returncode == 0
    no_site = run(new_database, "collection", "create", "--donor", "1", "--site", "PAR", "--on", "2026-11-30")
    assert no_site.returncode == 1 and "Site de code « PAR » introuvable" in no_site.stderr
    assert query(new_database, "SELECT count(*) FROM collections") == [(0,)]

    created = run(
        new_database,
        "collection",
        "create",
        "--donor",
        "1",
        "--site",
        "lyo",
        "--on",
        "2026-11-30",
        "--declared-kg",
        "120",
    )
    assert created.returncode == 0, created.stderr
    assert query(new_database, "SELECT donor_id, collected_on, declared_weight_g FROM collections") == [
        (1, "2026-11-30", 120_000)
    ]
