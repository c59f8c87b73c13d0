"""Settings: read once, from environment variables prefixed REEMPLOI_, and nowhere else."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class SettingsError(ValueError):
    """A REEMPLOI_ variable holds a value that cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Settings:
    # Where the SQLite database (the zero-setup default) and other local files live.
    data_dir: Path = Path("data")
    # SQLAlchemy URL. Default: SQLite in data_dir. Production: postgresql+asyncpg://user:pw@host/db
    database_url: str = ""
    db_pool_size: int = 10
    db_echo: bool = False
    # How long a SQLite writer waits for the write lock before giving up.
    sqlite_busy_timeout_ms: int = 10_000
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    # The reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are trusted (comma-separated
    # addresses or networks, "*" for any): the client's address then counts for login throttling and
    # the audit log. Default: a proxy on this machine only.
    forwarded_allow_ips: str = "127.0.0.1"
    # The address people use to reach the service (printed by `serve`, used in QR codes later).
    public_url: str = ""
    # The workshop's local time, for dates printed on documents (certificates, receipts).
    timezone: str = "Europe/Paris"
    # Beneficiaries without activity for this many years are anonymised (their sales keep their figures).
    beneficiary_retention_years: int = 3
    # How often the server runs its housekeeping (anonymisation, expired sessions); 0: never (use the command).
    housekeeping_hours: int = 24
    debug: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            name = f"REEMPLOI_{f.name.upper()}"
            raw = env.get(name)
            if raw is None or raw == "":
                continue
            values[f.name] = _parse(name, raw, f.default)
        settings = cls(**values)  # type: ignore[arg-type]
        if not settings.database_url:
            db_file = (settings.data_dir / "reemploi.sqlite3").resolve()
            settings = _replace(settings, database_url=f"sqlite+aiosqlite:///{db_file}")
        if not settings.public_url:
            settings = _replace(settings, public_url=f"http://{settings.host}:{settings.port}")
        try:
            ZoneInfo(settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise SettingsError(
                f"REEMPLOI_TIMEZONE must be a time zone such as Europe/Paris, not {settings.timezone!r}"
            ) from None
        if not settings.database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise SettingsError(
                "REEMPLOI_DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg:// "
                f"(got {settings.database_url.split(':', 1)[0]}://…)"
            )
        return settings


ENV_VARIABLES = tuple(f"REEMPLOI_{f.name.upper()}" for f in fields(Settings))


def _replace(settings: Settings, **changes: object) -> Settings:
    return Settings(**{**{f.name: getattr(settings, f.name) for f in fields(Settings)}, **changes})


def _parse(name: str, raw: str, default: object) -> object:
    if isinstance(default, bool):
        if raw.lower() in {"1", "true", "yes", "on"}:
            return True
        if raw.lower() in {"0", "false", "no", "off"}:
            return False
        raise SettingsError(f"{name} must be true or false, not {raw!r}")
    if isinstance(default, int):
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
        if value < 0:
            raise SettingsError(f"{name} must not be negative")
        return value
    if isinstance(default, Path):
        return Path(raw)
    return raw


def get_settings() -> Settings:
    return Settings.from_env()
