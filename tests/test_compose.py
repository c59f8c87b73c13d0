"""compose.yaml cannot run here (no Docker engine): keep it honest by reading it."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from reemploi.settings import ENV_VARIABLES, Settings

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_postgresql_and_the_app_with_healthchecks_and_a_named_volume() -> None:
    compose = _compose()
    db, app = compose["services"]["db"], compose["services"]["app"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert "/health" in " ".join(app["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"], "the database lives in a named volume"
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["build"] == "."


def test_the_app_is_configured_only_with_variables_the_settings_read() -> None:
    environment = _compose()["services"]["app"]["environment"]
    assert set(environment) <= set(ENV_VARIABLES), set(environment) - set(ENV_VARIABLES)
    url = environment["REEMPLOI_DATABASE_URL"]
    assert url.startswith("postgresql+asyncpg://") and "@db:5432/" in url
    # What compose passes is accepted by the settings as they are read in production.
    resolved = {k: re.sub(r"\$\{[^}]*\}", "secret", str(v)) for k, v in environment.items()}
    settings = Settings.from_env(resolved)
    assert not settings.is_sqlite and settings.port == 8000 and settings.workers == 2


def test_the_database_credentials_match_between_the_two_services() -> None:
    compose = _compose()
    db_env = compose["services"]["db"]["environment"]
    url = compose["services"]["app"]["environment"]["REEMPLOI_DATABASE_URL"]
    assert f"//{db_env['POSTGRES_USER']}:" in url and url.endswith(f"/{db_env['POSTGRES_DB']}")
    assert "${POSTGRES_PASSWORD" in db_env["POSTGRES_PASSWORD"] and "${POSTGRES_PASSWORD}" in url


def test_the_image_migrates_then_serves() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "reemploi db upgrade && exec reemploi serve" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.M), "the app does not run as root"
    for copied in ("reemploi", "migrations", "labels", "pyproject.toml"):
        assert re.search(rf"^COPY .*\b{copied}\b", dockerfile, re.M)


def test_the_image_has_the_packages_weasyprint_needs_as_ci_installs_them() -> None:
    """Pango and the fonts: without them the image serves pages but every PDF (labels, receipts,
    certificates, reports) fails. .ci/run installs them for the tests; the image must too."""
    ci = (ROOT / ".ci" / "run").read_text()
    needed = set()
    for line in ci.splitlines():
        if "need+=(" in line and ("pango" in line or "fonts" in line):
            needed |= set(re.search(r"need\+=\(([^)]*)\)", line).group(1).split())
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"} <= needed, needed
    installed = re.search(r"apt-get install -y --no-install-recommends ([^\\&\n]+)", (ROOT / "Dockerfile").read_text())
    assert installed, "the Dockerfile installs system packages with apt-get"
    assert needed <= set(installed.group(1).split()), needed - set(installed.group(1).split())
