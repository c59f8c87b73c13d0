"""Settings come from REEMPLOI_ variables, read in one place, with errors that name the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from reemploi.settings import ENV_VARIABLES, Settings, SettingsError


def test_with_nothing_set_a_workshop_runs_on_sqlite_in_its_data_folder() -> None:
    settings = Settings.from_env({})
    assert settings.is_sqlite
    assert settings.database_url == f"sqlite+aiosqlite:///{Path('data').resolve() / 'reemploi.sqlite3'}"
    assert settings.public_url == "http://127.0.0.1:8000"


def test_production_settings_are_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "REEMPLOI_DATABASE_URL": "postgresql+asyncpg://u:p@db/reemploi",
            "REEMPLOI_PORT": "9000",
            "REEMPLOI_WORKERS": "4",
            "REEMPLOI_DB_ECHO": "yes",
        }
    )
    assert not settings.is_sqlite and settings.port == 9000 and settings.workers == 4 and settings.db_echo


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("REEMPLOI_PORT", "abc", "whole number"),
        ("REEMPLOI_WORKERS", "-1", "negative"),
        ("REEMPLOI_DEBUG", "maybe", "true or false"),
        ("REEMPLOI_DATABASE_URL", "mysql://x", "postgresql+asyncpg"),
    ],
)
def test_a_bad_value_is_refused_with_the_variable_named(name: str, value: str, says: str) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({name: value})
    assert says in str(refused.value)
    if name != "REEMPLOI_DATABASE_URL":
        assert name in str(refused.value)


def test_every_setting_has_its_variable() -> None:
    assert "REEMPLOI_DATABASE_URL" in ENV_VARIABLES and "REEMPLOI_DATA_DIR" in ENV_VARIABLES
    assert all(v.startswith("REEMPLOI_") and v.isupper() for v in ENV_VARIABLES)
