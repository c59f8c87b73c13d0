"""Databases as they were at older commits, kept as plain SQL fixtures for the upgrade tests.

Issue 15: 0005 and 0007 were edited after databases had run them. Such a database says it is at head
and lacks what the later text adds. tests/fixtures/migrations/ keeps, per engine, a dump of a few of
these states with a small workshop in them (sites, partners, collections, devices with their history,
an erasure and its certificate, beneficiaries, a till, receipts, a return), so the upgrade is tested
on data and on exactly the schema those databases have.

Rebuild the fixtures (needs the git history and PostgreSQL's binaries; rarely needed, as the states
are history) with:

    .venv/bin/python -m tests.support.old_databases

Each state's migrations are taken from its commits (`git archive`), run in turn to their head, the
rows added, and the database dumped with `sqlite3 .dump` and `pg_dump --no-owner --no-privileges
--column-inserts` (INSERTs, not COPY, so any driver can load it; psql's `\\restrict` lines removed).
Two runs may order the constraints of a table SQLite's batch mode rebuilt differently (Alembic keeps
them in a set): the same schema, which is why tests compare object by object (tests/support/schema.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, insert
from sqlalchemy.engine import make_url

from reemploi.db import create_engine
from reemploi.devices.codes import make_code
from reemploi.settings import Settings
from tests.factories import siren
from tests.support.pg_cluster import _connect_kwargs, _run_coro_in_thread

__all__ = ["FIXTURES", "STATES", "OldState", "load"]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "migrations"
REPOSITORY = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class OldState:
    """A database migrated with the migrations of `commits`, in turn, each to its own head."""

    name: str
    revision: str  # what alembic_version says
    commits: tuple[str, ...]
    story: str

    def fixture(self, engine: str) -> Path:
        return FIXTURES / f"{engine}-{self.revision}-{self.name}.sql"


STATES = (
    OldState(
        "0e3ed3d-c063b01",
        "0008",
        ("0e3ed3d", "c063b01"),
        "created when 0005 was new (0e3ed3d, before its edit in c0e6a52), upgraded when 0008 was added "
        "(c063b01, before 0007's edits in 60a053b and bb95d8a): the worst case, it lacks every edit",
    ),
    OldState(
        "60a053b",
        "0008",
        ("60a053b",),
        "created between 0007's two edits: no sale_lines.ht_cents; it holds an invoice to an organisation with VAT",
    ),
)


def load(database_url: str, sql: str) -> None:
    """Run a dump into an empty database. Synchronous: call it outside a running event loop or not,
    it never uses the caller's."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        connection = sqlite3.connect(url.database or "")
        try:
            connection.executescript(sql)
        finally:
            connection.close()
        return

    async def run() -> None:
        import asyncpg

        connection = await asyncpg.connect(**_connect_kwargs(database_url), timeout=30)
        try:
            await connection.execute(sql)  # the simple protocol: many statements in one call
        finally:
            await connection.close()

    _run_coro_in_thread(run())


# --------------------------------------------------------------------------- the workshop in them

_AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
_PATH_TO_SALE = ("receive", "start_diagnosis", "start_erasure", "grade", "put_on_sale")
_STATES_AFTER = {
    "register": "collected",
    "receive": "received",
    "start_diagnosis": "diagnosis",
    "start_erasure": "erasure",
    "grade": "graded",
    "put_on_sale": "ready",
    "sell": "sold",
    "donate": "donated",
    "sell_to_organisation": "sold_to_organisation",
    "return_under_warranty": "returned",
}


def _at(hour: int, minute: int = 0, day: int = 27) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def _receipt_facts(
    number: int, site: str, beneficiary: str, lines: list[dict[str, Any]], vat: int | None
) -> dict[str, Any]:
    total = sum(line["price_cents"] for line in lines)
    breakdown = None
    if vat:
        ht = round(total * 100 / (100 + vat))
        breakdown = {"rate_percent": vat, "ht_cents": ht, "vat_cents": total - ht}
    return {
        "receipt": f"2026-{number:06d}",
        "at": _at(10 + number).isoformat(timespec="seconds"),
        "workshop": {"name": site, "site": site, "address": "", "siret": ""},
        "beneficiary": beneficiary,
        "actor": "Julie Dupont",
        "lines": lines,
        "total_cents": total,
        "vat": None if vat else "TVA non applicable, art. 293 B du CGI",
        "vat_breakdown": breakdown,
        "guarantee": "Garantie légale de conformité : 1 an (appareil d'occasion)",
    }


def _rows(columns: dict[str, set[str]]) -> dict[str, list[dict[str, Any]]]:
    """The workshop's rows, table by table in an order the foreign keys accept, for the columns the
    old schema has (an organisation's invoice only where sales can hold one)."""
    sells_to_organisations = "buyer_partner_id" in columns["sales"]
    rows: dict[str, list[dict[str, Any]]] = {}
    rows["sites"] = [
        {"id": 1, "code": "LYO", "name": "Atelier Lyon 7e", "address": "12 rue de Gerland, 69007 Lyon"},
        {
            "id": 2,
            "code": "VIL",
            "name": "Atelier Villeurbanne",
            "address": "3 rue Francis de Pressensé, 69100 Villeurbanne",
        },
    ]
    for site in rows["sites"]:
        site.update(last_device_number=0, created_at=_at(8, day=20), label_template="brother-ql-62x29")
    rows["partners"] = [
        {"id": 1, "kind": "collectivity", "name": "Ville de Villeurbanne", "siren": siren(1), "insee_code": "69266"},
        {"id": 2, "kind": "company", "name": "Rhône Numérique SAS", "siren": siren(2)},
        {"id": 3, "kind": "association", "name": "Les Petits Débrouillards Rhône", "siren": siren(3)},
    ]
    for partner in rows["partners"]:
        partner.update(address="", contact_name="", email="", phone="", created_at=_at(8, day=20))
    rows["partner_communes"] = [{"partner_id": 1, "insee_code": "69266"}]
    rows["users"] = [
        {"id": 1, "login": "admin", "name": "Camille Martin", "role": "admin"},
        {"id": 2, "login": "jdupont", "name": "Julie Dupont", "role": "technician"},
    ]
    for user in rows["users"]:
        user.update(
            password_hash="$argon2id$v=19$m=65536,t=3,p=4$fixture$notarealhash", active=True, created_at=_at(8, day=20)
        )
    rows["user_sites"] = [{"user_id": 2, "site_id": 1}]
    rows["collections"] = [
        {"id": 1, "donor_id": 1, "site_id": 1, "collected_on": date(2026, 11, 2), "declared_weight_g": 42000},
        {"id": 2, "donor_id": 2, "site_id": 2, "collected_on": date(2026, 11, 16), "declared_weight_g": 12000},
    ]
    for collection in rows["collections"]:
        collection.update(pickup_address="Hôtel de ville", notes="", created_at=_at(8, day=21))

    # (site, collection, category, manufacturer, model, serial, grade, price, path after registration)
    devices = [
        (1, 1, "laptop", "Lenovo", "ThinkPad T480", "PF1ABCDE", "B", 12000, (*_PATH_TO_SALE, "sell")),
        (1, 1, "laptop", "Dell", "Latitude 5490", "7XK2M83", "C", 0, (*_PATH_TO_SALE, "donate")),
        (1, 1, "screen", "Dell", "P2419H", "CN0KW26", "A", 4000, _PATH_TO_SALE),
        (1, 1, "desktop", "HP", "EliteDesk 800 G4", "CZC8274", None, None, ("receive", "start_diagnosis")),
        (
            1,
            1,
            "smartphone",
            "Samsung",
            "Galaxy A52",
            "R58R41",
            "B",
            3500,
            (*_PATH_TO_SALE, "sell", "return_under_warranty"),
        ),
        (2, 2, "laptop", "HP", "EliteBook 840 G5", "5CG8421", "A", 14990, (*_PATH_TO_SALE, "sell")),
    ]
    if sells_to_organisations:
        devices.append(
            (2, 2, "laptop", "HP", "ProBook 450 G6", "5CD9013", "A", 18000, (*_PATH_TO_SALE, "sell_to_organisation"))
        )
    numbers = {1: 0, 2: 0}
    rows["devices"], rows["device_events"] = [], []
    for id_, (site, collection, category, manufacturer, model, serial, grade, price, path) in enumerate(devices, 1):
        numbers[site] += 1
        actions = ("register", *path)
        rows["devices"].append(
            {
                "id": id_,
                "code": make_code("LYO" if site == 1 else "VIL", numbers[site]),
                "site_id": site,
                "collection_id": collection,
                "category": category,
                "manufacturer": manufacturer,
                "model": model,
                "serial": serial,
                "year": 2019,
                "specs": {"ram_gb": 8} if category == "laptop" else {},
                "grade": grade,
                "price_cents": price,
                "location": "A-01" if path == _PATH_TO_SALE else "",
                "state": _STATES_AFTER[actions[-1]],
                "version": len(actions),
                "created_at": _at(9, day=22),
                "updated_at": _at(16),
            }
        )
        previous = None
        for version, action in enumerate(actions, 1):
            rows["device_events"].append(
                {
                    "device_id": id_,
                    "version": version,
                    "at": _at(8 + version, day=22 if version < 6 else 27),
                    "actor": "Julie Dupont",
                    "action": action,
                    "from_state": previous,
                    "to_state": _STATES_AFTER[action],
                    "data": {"collection_id": collection} if action == "register" else {},
                    "note": "",
                    "actor_user_id": 2,
                }
            )
            previous = _STATES_AFTER[action]
    for site in rows["sites"]:
        site["last_device_number"] = numbers[site["id"]]

    rows["price_grid"] = [
        {"site_id": 1, "category": "laptop", "grade": grade, "price_cents": price}
        for grade, price in (("A", 15000), ("B", 12000), ("C", 8000))
    ]
    rows["functional_tests"] = [
        {
            "device_id": 1,
            "at": _at(11, day=22),
            "actor": "Julie Dupont",
            "actor_user_id": 2,
            "passed": True,
            "results": {"keyboard": "ok", "screen": "ok", "battery": "ok"},
            "battery_percent": 87,
            "note": "",
        },
    ]
    rows["storage_media"] = [
        {
            "id": 1,
            "device_id": 1,
            "kind": "nvme",
            "model": "Samsung PM981",
            "serial": "S4EMNX0K",
            "capacity_bytes": 256_060_514_304,
            "origin": "original",
            "created_at": _at(11, day=22),
        },
    ]
    rows["erasures"] = [
        {
            "medium_id": 1,
            "device_id": 1,
            "level": "purge",
            "technique": "nvme_format_crypto",
            "tool": "nvme-cli",
            "tool_version": "2.4",
            "passes": 1,
            "verification": "sampled",
            "result": "success",
            "started_at": _at(12, day=22),
            "ended_at": _at(12, 5, day=22),
            "warning": "",
            "note": "",
            "actor": "Julie Dupont",
            "actor_user_id": 2,
            "recorded_at": _at(12, 6, day=22),
        },
    ]
    content = {"device": make_code("LYO", 1), "media": [{"serial": "S4EMNX0K", "level": "purge"}]}
    rows["certificates"] = [
        {
            "id": 1,
            "code": "EFF-K7QD-2MWX-9HRT-4BNC-P",
            "kind": "device",
            "device_id": 1,
            "issued_at": _at(12, 10, day=22),
            "actor": "Julie Dupont",
            "content": content,
            "content_sha256": hashlib.sha256(repr(content).encode()).hexdigest(),
        },
    ]
    rows["stock_locations"] = [
        {"id": 1, "site_id": 1, "code": "A-01", "label": "Étagère A, niveau 1", "created_at": _at(8, day=21)}
    ]

    rows["sale_settings"] = [
        {
            "site_id": 1,
            "quota_devices": 2,
            "quota_months": 12,
            "eligibility_required": True,
            "vat_subject": False,
            "legal_name": "Association Réemploi Lyon",
            "siret": "21000001200019",
        },
        {
            "site_id": 2,
            "quota_devices": 2,
            "quota_months": 12,
            "eligibility_required": True,
            "vat_subject": True,
            "legal_name": "Réemploi Villeurbanne SCIC",
            "siret": "21000002000015",
        },
    ]
    rows["beneficiaries"] = [
        {
            "id": 1,
            "number": "B-000001",
            "name": "Martine Durand",
            "name_key": "durand martine",
            "eligibility_reason": "rsa",
        },
        {
            "id": 2,
            "number": "B-000002",
            "name": "Karim Benali",
            "name_key": "benali karim",
            "eligibility_reason": "css",
        },
    ]
    for person in rows["beneficiaries"]:
        person.update(
            commune_insee="69266",
            age_band="35-49",
            eligibility_verified_by="Accueil",
            referrer="CCAS de Villeurbanne",
            referred_on=date(2026, 11, 20),
            created_at=_at(10),
            last_activity_at=_at(14),
        )
    rows["till_sessions"] = [
        {
            "id": 1,
            "site_id": 1,
            "opened_at": _at(9),
            "opened_by": "Accueil",
            "opening_float_cents": 5000,
            "closed_at": _at(18),
            "closed_by": "Accueil",
            "expected": {"cash": 15000, "card": 0},
            "counted": {"cash": 15000, "card": 0},
            "note": "",
        },
        {"id": 2, "site_id": 2, "opened_at": _at(9), "opened_by": "Accueil", "opening_float_cents": 3000, "note": ""},
    ]
    rows["till_movements"] = [
        {
            "session_id": 1,
            "at": _at(12),
            "actor": "Accueil",
            "direction": "out",
            "amount_cents": 2000,
            "reason": "Achat de câbles",
        }
    ]

    def line(device: int) -> dict[str, Any]:
        d = rows["devices"][device - 1]
        return {
            "code": d["code"],
            "category": d["category"],
            "manufacturer": d["manufacturer"],
            "model": d["model"],
            "serial": d["serial"],
            "grade": d["grade"],
            "price_cents": d["price_cents"],
        }

    # (sale, site, till, beneficiary, kind, device, vat rate)
    receipts = [
        (1, 1, 1, 1, "sale", 1, None),
        (2, 1, 1, 2, "donation", 2, None),
        (3, 1, 1, 2, "sale", 5, None),
        (4, 2, 2, 1, "sale", 6, 20),
    ]
    rows["sales"], rows["sale_lines"], rows["sale_payments"] = [], [], []
    for sale, site, till, person, kind, device, vat in receipts:
        lines = [line(device)]
        rows["sales"].append(
            {
                "id": sale,
                "year": 2026,
                "number": sale,
                "kind": kind,
                "site_id": site,
                "till_session_id": till,
                "beneficiary_id": person,
                "at": _at(10 + sale),
                "actor": "Accueil",
                "total_cents": lines[0]["price_cents"],
                "quota_override": "",
                "facts": _receipt_facts(sale, rows["sites"][site - 1]["name"], f"B-{person:06d}", lines, vat),
            }
        )
        rows["sale_lines"].append(
            {
                "id": sale,
                "sale_id": sale,
                "device_id": device,
                "category": lines[0]["category"],
                "price_cents": lines[0]["price_cents"],
            }
        )
        if lines[0]["price_cents"]:
            rows["sale_payments"].append(
                {
                    "sale_id": sale,
                    "method": "cash" if sale == 1 else "card",
                    "amount_cents": lines[0]["price_cents"],
                    "reference": "",
                }
            )
    if sells_to_organisations:
        for sale in rows["sales"]:
            sale["series"] = "receipt"
        ttc, ht = 18000, 15000
        rows["sales"].append(
            {
                "id": 5,
                "year": 2026,
                "number": 1,
                "series": "invoice",
                "kind": "organisation",
                "site_id": 2,
                "buyer_partner_id": 3,
                "at": _at(15),
                "actor": "Camille Martin",
                "actor_user_id": 1,
                "total_cents": ttc,
                "quota_override": "",
                "facts": {
                    "kind": "invoice",
                    "receipt": "FA-2026-000001",
                    "vat_rate_percent": 20,
                    "ht_cents": ht,
                    "vat_cents": ttc - ht,
                    "ttc_cents": ttc,
                    "lines": [{**line(7), "ht_cents": ht, "vat_cents": ttc - ht, "ttc_cents": ttc}],
                },
            }
        )
        rows["sale_lines"].append({"id": 5, "sale_id": 5, "device_id": 7, "category": "laptop", "price_cents": ttc})
        rows["sale_payments"].append(
            {"sale_id": 5, "method": "transfer", "amount_cents": ttc, "reference": "VIR 2026-11-27"}
        )
    rows["sale_returns"] = [
        {
            "id": 1,
            "sale_id": 3,
            "year": 2026,
            "number": 1,
            "outcome": "refund",
            "refund_cents": 3500,
            "till_session_id": 1,
            "at": _at(16),
            "actor": "Accueil",
            "reason": "L'écran ne s'allume plus",
            "facts": {"credit_note": "AV-2026-000001", "refund_cents": 3500},
        }
    ]
    rows["refund_payments"] = [{"return_id": 1, "method": "card", "amount_cents": 3500}]
    rows["returned_lines"] = [{"sale_line_id": 3, "return_id": 1}]
    rows["document_sequences"] = [
        {"kind": "receipt", "year": 2026, "last_number": 4},
        {"kind": "credit_note", "year": 2026, "last_number": 1},
        {"kind": "beneficiary", "year": 0, "last_number": 2},
    ]
    if sells_to_organisations:
        rows["document_sequences"].append({"kind": "invoice", "year": 2026, "last_number": 1})
    return rows


def insert_workshop(connection: Connection) -> None:
    """Add the workshop's rows to an old schema, read from the database itself."""
    metadata = MetaData()
    metadata.reflect(connection)
    columns = {name: set(table.columns.keys()) for name, table in metadata.tables.items()}
    for table, rows in _rows(columns).items():
        for row in rows:  # one by one: rows of a table need not name the same columns
            unknown = set(row) - columns[table]
            assert not unknown, f"{table} has no {unknown} in this old schema"
            connection.execute(insert(metadata.tables[table]).values(row))
    if connection.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for table in metadata.tables.values():
            if "id" in table.columns and table.columns["id"].autoincrement and table.name in columns:
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false) "
                    f"WHERE pg_get_serial_sequence('{table.name}', 'id') IS NOT NULL"
                )


# --------------------------------------------------------------------------- rebuilding the fixtures


def _migrations_of(commit: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(REPOSITORY), "archive", commit, "migrations"], capture_output=True, check=True
    ).stdout
    target = into / commit
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / "migrations"


def _run_migrations_of(commit: str, database_url: str, workdir: Path) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_migrations_of(commit, workdir)))
    config.attributes["database_url"] = database_url
    command.upgrade(config, "head")


async def _insert(database_url: str) -> None:
    engine = create_engine(Settings.from_env({"REEMPLOI_DATABASE_URL": database_url}), pooled=False)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(insert_workshop)
    finally:
        await engine.dispose()


def _dump_postgresql(bindir: Path, admin_url: str, database: str) -> str:
    url = make_url(admin_url)
    dump = subprocess.run(
        [
            str(bindir / "pg_dump"),
            "--no-owner",
            "--no-privileges",
            "--column-inserts",
            "-h",
            str(url.host),
            "-p",
            str(url.port),
            "-U",
            str(url.username),
            database,
        ],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return "".join(
        line for line in dump.splitlines(keepends=True) if not line.startswith(("\\restrict", "\\unrestrict"))
    )


def main() -> None:
    from tests.support.pg_cluster import PostgresCluster, create_database, drop_database

    bindir = PostgresCluster.find_binaries()
    if bindir is None or shutil.which("sqlite3") is None:
        sys.exit("needs PostgreSQL's binaries (initdb, pg_ctl, postgres, pg_dump) and the sqlite3 command")
    FIXTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, PostgresCluster(bindir) as cluster:
        workdir = Path(tmp)
        for state in STATES:
            path = workdir / f"{state.name}.sqlite3"
            url = f"sqlite+aiosqlite:///{path}"
            for commit in state.commits:
                _run_migrations_of(commit, url, workdir)
            asyncio.run(_insert(url))
            dump = subprocess.run(["sqlite3", str(path), ".dump"], capture_output=True, check=True, text=True).stdout
            state.fixture("sqlite").write_text(dump)

            name = f"old_{uuid.uuid4().hex[:8]}"
            create_database(cluster.url(), name)
            try:
                url = make_url(cluster.url()).set(database=name).render_as_string(hide_password=False)
                for commit in state.commits:
                    _run_migrations_of(commit, url, workdir)
                asyncio.run(_insert(url))
                state.fixture("postgresql").write_text(_dump_postgresql(bindir, cluster.url(), name))
            finally:
                drop_database(cluster.url(), name)
            print(f"{state.fixture('sqlite').name}, {state.fixture('postgresql').name}: {state.story}")


if __name__ == "__main__":
    main()
