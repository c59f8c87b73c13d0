"""The `reemploi` command: serve, migrate, load the demo, import manifests."""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import reemploi.models  # noqa: F401 - every table known before any query (foreign keys across domains)
from reemploi import migrate, texts
from reemploi.accounts.models import User
from reemploi.accounts.roles import Role
from reemploi.actors import Actor
from reemploi.db import create_engine
from reemploi.errors import DomainError
from reemploi.settings import Settings, SettingsError

console = Console()
err = Console(stderr=True)
T = TypeVar("T")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        err.print(f"[red]Configuration invalide :[/red] {exc}")
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
            where = f"ligne {line.get('line')}" if line.get("line") else ""
            column = f", colonne « {line['column']} »" if line.get("column") else ""
            err.print(f"  {where}{column} : {line.get('reason') or line.get('message')}")
        sys.exit(1)


def _require_current_schema(settings: Settings) -> None:
    current, head = migrate.schema_is_current(settings)
    if current != head:
        err.print(
            f"[red]La base n'est pas à jour[/red] (version {current or 'vide'}, attendue {head}). "
            "Lancez d'abord : [bold]reemploi db upgrade[/bold]"
        )
        sys.exit(1)


async def _has_users(session: AsyncSession) -> bool:
    from sqlalchemy import select

    return (await session.execute(select(User.id).limit(1))).first() is not None


@click.group(help="reemploi : suivi des appareils d'un atelier de reconditionnement.")
def main() -> None:
    pass


@main.command(help="Servir l'application (serveur ASGI uvicorn).")
@click.option("--host", default=None, help="Adresse d'écoute (REEMPLOI_HOST).")
@click.option("--port", type=int, default=None, help="Port (REEMPLOI_PORT).")
@click.option("--workers", type=int, default=None, help="Processus (REEMPLOI_WORKERS).")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    import uvicorn

    settings = _settings()
    _require_current_schema(settings)
    host, port, workers = host or settings.host, port or settings.port, workers or settings.workers
    if not _run(settings, _has_users):
        err.print(
            "[yellow]Aucun compte n'existe encore.[/yellow] Créez le premier : "
            '[bold]reemploi user create LOGIN --name "Prénom Nom" --role admin[/bold]'
        )
    console.print(f"reemploi écoute sur [bold]http://{host}:{port}/[/bold]  (API : /api/v1, documentation : /schema)")
    uvicorn.run(
        "reemploi.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level,
        proxy_headers=True,
        access_log=False,
    )


@main.group(help="Base de données.")
def db() -> None:
    pass


@db.command("upgrade", help="Mettre le schéma à jour (migrations Alembic).")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    settings = _settings()
    migrate.upgrade(settings.database_url, revision)
    current, head = migrate.schema_is_current(settings)
    console.print(f"Schéma à la version {current} (dernière : {head}).")


@db.command("current", help="Version du schéma de la base.")
def db_current() -> None:
    current, head = migrate.schema_is_current(_settings())
    console.print(f"base : {current or 'vide'} ; code : {head}")
    sys.exit(0 if current == head else 1)


@main.command(help="Créer la base si besoin et y charger les données de démonstration.")
@click.option("--devices", "device_count", type=click.IntRange(16, 20_000), default=300, show_default=True)
def demo(device_count: int) -> None:
    from reemploi import demo as demo_data

    settings = _settings()
    migrate.upgrade(settings.database_url)

    async def work(session: AsyncSession) -> dict[str, int] | None:
        if not await demo_data.is_empty(session):
            return None
        with Progress(
            TextColumn("Démo"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console
        ) as bar:
            task = bar.add_task("devices", total=device_count)
            return await demo_data.load(session, device_count, progress=lambda n: bar.update(task, completed=n))

    counts = _run(settings, work)
    if counts is None:
        console.print("La base contient déjà des appareils : données de démonstration non rechargées.")
    else:
        table = Table("état", "appareils", title="Données de démonstration chargées")
        for state, label in texts.STATES.items():
            table.add_row(label, str(counts.get(state, 0)))
        console.print(table)
    logins = Table("identifiant", "mot de passe", "rôle", title="Comptes de démonstration")
    for login, _, role, password in demo_data.DEMO_USERS:
        logins.add_row(login, password, texts.ROLES[role])
    console.print(logins)


@main.group(help="Bancs d'essai.")
def bench() -> None:
    pass


@bench.command(
    "seed", help="Ajouter un grand atelier réaliste (appareils, historiques, ventes…) pour les bancs d'essai."
)
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


@main.group(help="Comptes des personnes.")
def user() -> None:
    pass


@user.command("create", help="Créer un compte (le mot de passe est demandé, jamais fixé par défaut).")
@click.argument("login")
@click.option("--name", required=True, help="Nom affiché.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--partner", "partner_id", type=int, default=None, help="N° de la collectivité (rôle collectivity).")
@click.option("--site", "site_codes", multiple=True, help="Code d'un site où la personne travaille (répétable).")
@click.option("--password-stdin", is_flag=True, help="Lire le mot de passe sur l'entrée standard (scripts).")
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
        password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt="Mot de passe (encore)")

    async def work(session: AsyncSession) -> User:
        site_ids = tuple([(await sites.get_by_code(session, code)).id for code in site_codes])
        new = accounts.NewUser(login, name, Role(role), password, partner_id, site_ids)
        return await accounts.create_user(session, new)

    created = _run(settings, work)
    console.print(f"Compte [bold]{created.login}[/bold] créé ({texts.ROLES[created.role]}).")


@main.group(help="Jetons d'API (machines, intégrations).")
def token() -> None:
    pass


@token.command("create", help="Créer un jeton d'API ; son secret n'est affiché qu'une fois.")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--partner", "partner_id", type=int, default=None, help="N° de la collectivité (rôle collectivity).")
@click.option("--days", "expires_in_days", type=click.IntRange(1, 3650), default=None, help="Durée de validité.")
def token_create(name: str, role: str, partner_id: int | None, expires_in_days: int | None) -> None:
    from reemploi.accounts import service as accounts

    settings = _settings()
    _require_current_schema(settings)
    new = accounts.NewToken(name, Role(role), partner_id, expires_in_days)
    created, secret = _run(settings, lambda session: accounts.create_token(session, new, by=None))
    err.print(
        f"Jeton n° {created.id} « {created.name} » ({texts.ROLES[created.role]}). "
        "Copiez son secret maintenant, il ne sera plus affiché :"
    )
    click.echo(secret)


@main.command(help="Oublier les sessions expirées et les compteurs d'échecs de connexion anciens.")
def purge() -> None:
    from reemploi.accounts import service as accounts

    settings = _settings()
    _require_current_schema(settings)
    sessions, counters = _run(settings, accounts.purge)
    console.print(f"{sessions} session(s) et {counters} compteur(s) supprimés.")


@main.command(
    help="Anonymiser les bénéficiaires inactifs depuis la durée de conservation, oublier les sessions "
    "expirées (ce que le serveur fait seul chaque jour)."
)
def housekeeping() -> None:
    from reemploi import housekeeping as work

    settings = _settings()
    _require_current_schema(settings)
    done = _run(settings, lambda session: work.run_once(session, settings))
    console.print(
        f"{done.anonymised} bénéficiaire(s) anonymisé(s) (inactifs depuis "
        f"{settings.beneficiary_retention_years} ans), {done.sessions} session(s) et {done.counters} "
        "compteur(s) supprimés."
    )


@main.command(help="Imprimer des étiquettes (PDF) : des codes d'appareils, une collecte, un filtre.")
@click.option("--code", "codes", multiple=True, help="Code d'un appareil (répétable ; imprimés dans cet ordre).")
@click.option("--collection", "collection_id", type=int, default=None, help="N° de la collecte.")
@click.option("--state", default=None, help="État des appareils (ex. ready_for_sale).")
@click.option("--category", default=None, help="Catégorie des appareils (ex. laptop).")
@click.option("--template", default=None, help="Modèle d'étiquette (labels/). Par défaut : celui du site.")
@click.option(
    "--skip",
    type=int,
    default=0,
    show_default=True,
    help="Planches A4 : étiquettes déjà utilisées sur la première planche.",
)
@click.option("--qr", is_flag=True, help="Ajouter un QR code vers la fiche de l'appareil.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Fichier PDF.")
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
        with console.status(f"{len(batch.labels)} étiquette(s)…"):
            pdf = render_pdf(chosen, batch.labels, skip, qr)
    except DomainError as refused:
        err.print(f"[red]{refused.detail}[/red]")
        sys.exit(1)
    output.write_bytes(pdf)
    _run(settings, lambda session: label_service.record_print(session, _actor(), chosen, batch, skip, qr))
    console.print(f"{len(batch.labels)} étiquette(s) ({chosen}) dans {output}.")


@main.command("import-manifest", help="Importer le manifeste d'un donateur (CSV ou XLSX) dans une collecte.")
@click.argument("collection_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Vérifier sans rien enregistrer.")
def import_manifest(collection_id: int, file: Path, dry_run: bool) -> None:
    from reemploi.collections import service as collections

    settings = _settings()
    _require_current_schema(settings)
    data = file.read_bytes()

    async def work(session: AsyncSession) -> collections.ImportResult:
        with console.status(f"Import de {file.name}…"):
            return await collections.import_manifest(
                session, collection_id, data, _actor(), filename=file.name, dry_run=dry_run
            )

    result = _run(settings, work)
    for r in result.registered:
        for warning in r.warnings:
            console.print(f"[yellow]attention :[/yellow] {warning}")
    if result.ignored_columns:
        console.print(f"Colonnes ignorées : {', '.join(result.ignored_columns)}")
    if dry_run:
        console.print(
            f"Vérification réussie : {len(result.registered)} appareil(s) seraient créés. Rien n'a été enregistré."
        )
    else:
        console.print(
            f"{len(result.registered)} appareil(s) créés dans la collecte {collection_id} : "
            f"{result.registered[0].device.code} … {result.registered[-1].device.code}"
            if result.registered
            else "Aucun appareil dans le fichier."
        )


@main.group(help="Sites de l'atelier.")
def site() -> None:
    pass


@site.command("create", help="Créer un site (CODE : 1 à 4 lettres ou chiffres, préfixe des codes d'appareils).")
@click.argument("code")
@click.argument("name")
@click.option("--address", default="")
def site_create(code: str, name: str, address: str) -> None:
    from reemploi.devices.codes import SITE_CODE
    from reemploi.sites import service as sites

    if not SITE_CODE.fullmatch(code.upper()):
        err.print("Le code de site doit faire 1 à 4 lettres ou chiffres et commencer par une lettre.")
        sys.exit(2)
    settings = _settings()
    _require_current_schema(settings)
    created = _run(settings, lambda session: sites.create(session, code, name, address))
    console.print(f"Site {created.code} créé (n° {created.id}).")


if __name__ == "__main__":
    main()
