"""The `reemploi` command: serve, migrate, load the demo, import manifests."""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import reemploi.models  # noqa: F401 - every table known before any query (foreign keys across domains)
from reemploi import formats, installation, migrate, texts
from reemploi.accounts.models import User
from reemploi.accounts.roles import Role
from reemploi.actors import Actor
from reemploi.db import create_engine
from reemploi.devices.lifecycle import State
from reemploi.errors import DomainError
from reemploi.settings import Settings, SettingsError

console = Console()
err = Console(stderr=True)
T = TypeVar("T")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        err.print(texts.config_invalid(exc))
        sys.exit(2)


def _actor() -> Actor:
    try:
        return Actor.command(getpass.getuser())
    except Exception:  # noqa: BLE001 - no user name in some containers
        return Actor("cli")


def _run(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def main() -> T:
        engine = create_engine(settings)
        try:
            async with async_sessionmaker(engine, expire_on_commit=False)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except DomainError as exc:
        err.print(f"[red]{exc.detail}[/red]")
        for line in exc.extra.get("errors") or []:
            reason = line.get("reason") or line.get("message")
            if reason == exc.detail and line.get("line") is None:
                continue  # a single problem: its message is the one just printed
            err.print(f"  {texts.manifest_problem(line.get('line'), line.get('column'), reason)}")
        sys.exit(1)


def _require_current_schema(settings: Settings) -> None:
    current, head = migrate.schema_is_current(settings)
    if current != head:
        err.print(texts.schema_not_current(current, head))
        sys.exit(1)


async def _has_users(session: AsyncSession) -> bool:
    from sqlalchemy import select

    return (await session.execute(select(User.id).limit(1))).first() is not None


@click.group(help=texts.HELP["main"])
def main() -> None:
    pass


@main.command(help=texts.HELP["serve"])
@click.option("--host", default=None, help=texts.HELP["host"])
@click.option("--port", type=int, default=None, help=texts.HELP["port"])
@click.option("--workers", type=int, default=None, help=texts.HELP["workers"])
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    import uvicorn

    settings = _settings()
    _require_current_schema(settings)
    host, port, workers = host or settings.host, port or settings.port, workers or settings.workers
    if not _run(settings, _has_users):
        err.print(texts.NO_ACCOUNT_YET)
    console.print(texts.serving_at(host, port))
    uvicorn.run(
        "reemploi.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        access_log=False,
    )


@main.group(help=texts.HELP["db"])
def db() -> None:
    pass


@db.command("upgrade", help=texts.HELP["db_upgrade"])
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    settings = _settings()
    migrate.upgrade(settings.database_url, revision)
    current, head = migrate.schema_is_current(settings)
    console.print(texts.schema_upgraded(current, head))


@db.command("current", help=texts.HELP["db_current"])
def db_current() -> None:
    current, head = migrate.schema_is_current(_settings())
    console.print(texts.schema_versions(current, head))
    sys.exit(0 if current == head else 1)


@main.command(help=texts.HELP["demo"])
@click.option("--devices", "device_count", type=click.IntRange(16, 20_000), default=300, show_default=True)
def demo(device_count: int) -> None:
    from reemploi import demo as demo_data

    settings = _settings()
    # Only a database the demo creates: a blank one is marked as the demo's before anything is
    # loaded; any other (made by `db upgrade`, a real workshop's) is refused before a single write.
    kind = _run(settings, installation.kind_of)
    if kind == "other":
        err.print(
            f"[red]{texts.demo_refused(make_url(settings.database_url).render_as_string(hide_password=True))}[/red]"
        )
        sys.exit(1)
    migrate.upgrade(settings.database_url)
    if kind == "blank":
        _run(settings, installation.mark_as_demo)

    async def work(session: AsyncSession) -> dict[str, int] | None:
        if not await demo_data.is_empty(session):
            return None
        with Progress(
            TextColumn(texts.DEMO_PROGRESS), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console
        ) as bar:
            task = bar.add_task("devices", total=device_count)
            return await demo_data.load(session, device_count, progress=lambda n: bar.update(task, completed=n))

    counts = _run(settings, work)
    if counts is None:
        console.print(texts.DEMO_ALREADY_LOADED)
    else:
        shown = texts.DEMO_DEVICES
        table = Table(shown["state"], shown["devices"], title=shown["title"])
        for state, label in texts.STATES.items():
            table.add_row(label, str(counts.get(state, 0)))
        console.print(table)
    accounts = texts.DEMO_ACCOUNTS
    logins = Table(accounts["login"], accounts["password"], accounts["role"], title=accounts["title"])
    for login, _, role, password in demo_data.DEMO_USERS:
        logins.add_row(login, password, texts.ROLES[role])
    console.print(logins)


@main.group(help=texts.HELP["bench"])
def bench() -> None:
    pass


@bench.command("seed", help=texts.HELP["bench_seed"])
@click.option("--devices", "device_count", type=click.IntRange(100, 5_000_000), default=10_000, show_default=True)
@click.option("--seed", "seed_value", type=int, default=2026, show_default=True)
def bench_seed(device_count: int, seed_value: int) -> None:
    from reemploi import benchseed

    settings = _settings()
    _require_current_schema(settings)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console) as bar:
        tasks: dict[str, object] = {}

        def tell(what: str, count: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=None)
            bar.update(tasks[what], completed=count)  # type: ignore[arg-type]

        counts = _run(settings, lambda session: benchseed.seed(session, device_count, seed_value, tell))
    console.print(", ".join(f"{n} {what}" for what, n in counts.items()))


@main.group(help=texts.HELP["user"])
def user() -> None:
    pass


@user.command("create", help=texts.HELP["user_create"])
@click.argument("login")
@click.option("--name", required=True, help=texts.HELP["name"])
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--partner", "partner_id", type=int, default=None, help=texts.HELP["partner"])
@click.option("--site", "site_codes", multiple=True, help=texts.HELP["site"])
@click.option("--password-stdin", is_flag=True, help=texts.HELP["password_stdin"])
def user_create(
    login: str, name: str, role: str, partner_id: int | None, site_codes: tuple[str, ...], password_stdin: bool
) -> None:
    from reemploi.accounts import service as accounts
    from reemploi.sites import service as sites

    settings = _settings()
    _require_current_schema(settings)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt(texts.PASSWORD_PROMPT, hide_input=True, confirmation_prompt=texts.PASSWORD_CONFIRMATION)

    async def work(session: AsyncSession) -> User:
        site_ids = tuple([(await sites.get_by_code(session, code)).id for code in site_codes])
        new = accounts.NewUser(login, name, Role(role), password, partner_id, site_ids)
        return await accounts.create_user(session, new)

    created = _run(settings, work)
    console.print(texts.user_created(created.login, created.role))


@main.group(help=texts.HELP["token"])
def token() -> None:
    pass


@token.command("create", help=texts.HELP["token_create"])
@click.argument("name")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--partner", "partner_id", type=int, default=None, help=texts.HELP["partner"])
@click.option("--days", "expires_in_days", type=click.IntRange(1, 3650), default=None, help=texts.HELP["days"])
def token_create(name: str, role: str, partner_id: int | None, expires_in_days: int | None) -> None:
    from reemploi.accounts import service as accounts

    settings = _settings()
    _require_current_schema(settings)
    new = accounts.NewToken(name, Role(role), partner_id, expires_in_days)
    created, secret = _run(settings, lambda session: accounts.create_token(session, new, by=None))
    err.print(texts.token_created(created.id, created.name, created.role))
    click.echo(secret)


@main.command(help=texts.HELP["purge"])
def purge() -> None:
    from reemploi.accounts import service as accounts

    settings = _settings()
    _require_current_schema(settings)
    sessions, counters = _run(settings, accounts.purge)
    console.print(texts.purged(sessions, counters))


@main.command(help=texts.HELP["housekeeping"])
def housekeeping() -> None:
    from reemploi import housekeeping as work

    settings = _settings()
    _require_current_schema(settings)
    done = _run(settings, lambda session: work.run_once(session, settings))
    console.print(
        texts.housekeeping_done(done.anonymised, settings.beneficiary_retention_years, done.sessions, done.counters)
    )


@main.command(help=texts.HELP["labels"])
@click.option("--code", "codes", multiple=True, help=texts.HELP["code"])
@click.option("--collection", "collection_id", type=int, default=None, help=texts.HELP["collection"])
@click.option("--state", type=click.Choice([s.value for s in State]), default=None, help=texts.HELP["state"])
@click.option("--category", default=None, help=texts.HELP["category"])
@click.option("--template", default=None, help=texts.HELP["template"])
@click.option(
    "--skip",
    type=int,
    default=0,
    show_default=True,
    help=texts.HELP["skip"],
)
@click.option("--qr", is_flag=True, help=texts.HELP["qr"])
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help=texts.HELP["output"]
)
def labels(
    codes: tuple[str, ...],
    collection_id: int | None,
    state: str | None,
    category: str | None,
    template: str | None,
    skip: int,
    qr: bool,
    output: Path,
) -> None:
    from reemploi.devices.service import DeviceFilter
    from reemploi.labels import service as label_service
    from reemploi.labels.render import check_template, render_pdf

    settings = _settings()
    _require_current_schema(settings)
    filtered = any(value is not None for value in (collection_id, state, category))
    where = DeviceFilter(state=state, category=category, collection_id=collection_id) if filtered else None
    selection = label_service.Selection(list(codes), where)

    async def choose(session: AsyncSession) -> tuple[label_service.Batch, str]:
        batch = await label_service.select_devices(session, selection, settings.public_url)
        chosen = template or await label_service.default_template(session, None, batch)
        check_template(chosen, skip)
        return batch, chosen

    batch, chosen = _run(settings, choose)
    try:
        with console.status(texts.printing_labels(len(batch.labels))):
            pdf = render_pdf(chosen, batch.labels, skip, qr)
    except DomainError as refused:
        err.print(f"[red]{refused.detail}[/red]")
        sys.exit(1)
    output.write_bytes(pdf)
    _run(settings, lambda session: label_service.record_print(session, _actor(), chosen, batch, skip, qr))
    console.print(texts.labels_written(len(batch.labels), chosen, output))


@main.command("import-manifest", help=texts.HELP["import_manifest"])
@click.argument("collection_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help=texts.HELP["dry_run"])
def import_manifest(collection_id: int, file: Path, dry_run: bool) -> None:
    from reemploi.collections import service as collections

    settings = _settings()
    _require_current_schema(settings)
    data = file.read_bytes()

    async def work(session: AsyncSession) -> collections.ImportResult:
        with console.status(texts.importing(file.name)):
            return await collections.import_manifest(
                session, collection_id, data, _actor(), filename=file.name, dry_run=dry_run
            )

    result = _run(settings, work)
    for r in result.registered:
        for warning in r.warnings:
            console.print(texts.manifest_warning(warning))
    if result.ignored_columns:
        console.print(texts.columns_ignored(result.ignored_columns))
    if dry_run:
        console.print(texts.dry_run_passed(len(result.registered)))
    else:
        registered = result.registered
        console.print(
            texts.devices_imported(
                len(registered), collection_id, registered[0].device.code, registered[-1].device.code
            )
            if registered
            else texts.NO_DEVICE_IN_FILE
        )


@main.group(help=texts.HELP["sites"])
def site() -> None:
    pass


@site.command("create", help=texts.HELP["site_create"])
@click.argument("code")
@click.argument("name")
@click.option("--address", default="")
def site_create(code: str, name: str, address: str) -> None:
    from reemploi.devices.codes import SITE_CODE
    from reemploi.sites import service as sites

    if not SITE_CODE.fullmatch(code.upper()):
        err.print(texts.SITE_CODE_RULE)
        sys.exit(2)
    settings = _settings()
    _require_current_schema(settings)
    created = _run(settings, lambda session: sites.create(session, code, name, address))
    console.print(texts.site_created(created.code, created.id))


@main.group(help=texts.HELP["partners"])
def partner() -> None:
    pass


@partner.command("create", help=texts.HELP["partner_create"])
@click.argument("kind", type=click.Choice(["collectivity", "company", "association", "individual"]))
@click.argument("name")
@click.option("--siren", default=None, help=texts.HELP["siren"])
@click.option("--siret", default=None, help=texts.HELP["siret"])
@click.option("--insee", "insee_code", default=None, help=texts.HELP["insee"])
@click.option("--commune", "communes", multiple=True, help=texts.HELP["commune"])
@click.option("--address", default="")
@click.option("--contact", "contact_name", default="")
@click.option("--email", default="")
@click.option("--phone", default="")
def partner_create(
    kind: str,
    name: str,
    siren: str | None,
    siret: str | None,
    insee_code: str | None,
    communes: tuple[str, ...],
    address: str,
    contact_name: str,
    email: str,
    phone: str,
) -> None:
    from reemploi.partners import service as partners
    from reemploi.partners.models import PartnerKind

    settings = _settings()
    _require_current_schema(settings)
    new = partners.NewPartner(
        kind=PartnerKind(kind),
        name=name,
        siren=siren,
        siret=siret,
        insee_code=insee_code,
        communes=communes,
        address=address,
        contact_name=contact_name,
        email=email,
        phone=phone,
    )
    created = _run(settings, lambda session: partners.create(session, new))
    console.print(texts.partner_created(created.name, created.id))


@main.group(help=texts.HELP["collections"])
def collection() -> None:
    pass


@collection.command("create", help=texts.HELP["collection_create"])
@click.option("--donor", "donor_id", type=click.IntRange(1, 2**31 - 1), required=True, help=texts.HELP["donor"])
@click.option("--site", "site_code", required=True, help=texts.HELP["collection_site"])
@click.option("--on", "collected_on", type=click.DateTime(["%Y-%m-%d"]), default=None, help=texts.HELP["on"])
@click.option("--address", "pickup_address", default="")
@click.option("--declared-kg", type=click.FloatRange(0, 100_000, min_open=True), default=None)
@click.option("--notes", default="")
def collection_create(
    donor_id: int,
    site_code: str,
    collected_on: datetime | None,
    pickup_address: str,
    declared_kg: float | None,
    notes: str,
) -> None:
    from reemploi.collections import service as collections
    from reemploi.sites import service as sites

    settings = _settings()
    _require_current_schema(settings)

    async def work(session: AsyncSession) -> collections.CollectionView:
        site_id = (await sites.get_by_code(session, site_code)).id
        day = collected_on.date() if collected_on else datetime.now(ZoneInfo(settings.timezone)).date()
        grams = None if declared_kg is None else round(declared_kg * 1000)
        new = collections.NewCollection(donor_id, site_id, day, pickup_address, grams, None, notes)
        return await collections.create(session, new)

    created = _run(settings, work)
    console.print(texts.collection_created(created.collection.id, formats.day(created.collection.collected_on)))


if __name__ == "__main__":
    main()
