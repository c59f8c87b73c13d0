"""What the `reemploi` command says to the staff who run it: its help and its messages (with rich markup)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from reemploi.texts.accounts import ROLES

# --- Help: commands, then their options ----------------------------------------------------------

HELP = {
    "main": "reemploi : suivi des appareils d'un atelier de reconditionnement.",
    "serve": "Servir l'application (serveur ASGI uvicorn).",
    "host": "Adresse d'écoute (REEMPLOI_HOST).",
    "port": "Port (REEMPLOI_PORT).",
    "workers": "Processus (REEMPLOI_WORKERS).",
    "db": "Base de données.",
    "db_upgrade": "Mettre le schéma à jour (migrations Alembic).",
    "db_current": "Version du schéma de la base.",
    "demo": "Créer la base si besoin et y charger les données de démonstration.",
    "bench": "Bancs d'essai.",
    "bench_seed": "Ajouter un grand atelier réaliste (appareils, historiques, ventes…) pour les bancs d'essai.",
    "user": "Comptes des personnes.",
    "user_create": "Créer un compte (le mot de passe est demandé, jamais fixé par défaut).",
    "name": "Nom affiché.",
    "partner": "N° de la collectivité (rôle collectivity).",
    "site": "Code d'un site où la personne travaille (répétable).",
    "password_stdin": "Lire le mot de passe sur l'entrée standard (scripts).",
    "token": "Jetons d'API (machines, intégrations).",
    "token_create": "Créer un jeton d'API ; son secret n'est affiché qu'une fois.",
    "days": "Durée de validité.",
    "purge": "Oublier les sessions expirées et les compteurs d'échecs de connexion anciens.",
    "housekeeping": "Anonymiser les bénéficiaires inactifs depuis la durée de conservation, oublier les sessions "
    "expirées (ce que le serveur fait seul chaque jour).",
    "labels": "Imprimer des étiquettes (PDF) : des codes d'appareils, une collecte, un filtre.",
    "code": "Code d'un appareil (répétable ; imprimés dans cet ordre).",
    "collection": "N° de la collecte.",
    "state": "État des appareils (ex. ready : prêts à la vente ; collected : pas encore reçus).",
    "category": "Catégorie des appareils (ex. laptop).",
    "template": "Modèle d'étiquette (labels/). Par défaut : celui du site.",
    "skip": "Planches A4 : étiquettes déjà utilisées sur la première planche.",
    "qr": "Ajouter un QR code vers la fiche de l'appareil.",
    "output": "Fichier PDF.",
    "import_manifest": "Importer le manifeste d'un donateur (CSV ou XLSX) dans une collecte.",
    "dry_run": "Vérifier sans rien enregistrer.",
    "sites": "Sites de l'atelier.",
    "site_create": "Créer un site (CODE : 1 à 4 lettres ou chiffres, préfixe des codes d'appareils).",
    "partners": "Partenaires : donateurs (entreprises, collectivités, associations, particuliers).",
    "partner_create": "Créer un partenaire (KIND : collectivity, company, association ou individual ; NAME : son nom).",
    "siren": "SIREN (9 chiffres), vérifié.",
    "siret": "SIRET (14 chiffres), vérifié.",
    "insee": "Code INSEE de la commune (une collectivité).",
    "commune": "Code INSEE d'une commune de son territoire (répétable ; une intercommunalité, un département).",
    "collections": "Collectes : les enlèvements chez un donateur.",
    "collection_create": "Créer une collecte (un enlèvement chez un donateur), avant d'y enregistrer les appareils.",
    "donor": "N° du donateur (reemploi partner create l'affiche).",
    "collection_site": "Code du site qui reçoit la collecte.",
    "on": "Date de la collecte (AAAA-MM-JJ). Par défaut : aujourd'hui.",
}

# --- Starting, the database, the demo -------------------------------------------------------------


def config_invalid(problem: object) -> str:
    return f"[red]Configuration invalide :[/red] {problem}"


def schema_not_current(current: str | None, head: str | None) -> str:
    return (
        f"[red]La base n'est pas à jour[/red] (version {current or 'vide'}, attendue {head}). "
        "Lancez d'abord : [bold]reemploi db upgrade[/bold]"
    )


NO_ACCOUNT_YET = (
    "[yellow]Aucun compte n'existe encore.[/yellow] Créez le premier : "
    '[bold]reemploi user create LOGIN --name "Prénom Nom" --role admin[/bold]'
)


def serving_at(host: str, port: int) -> str:
    return f"reemploi écoute sur [bold]http://{host}:{port}/[/bold]  (API : /api/v1, documentation : /schema)"


def schema_upgraded(current: str | None, head: str | None) -> str:
    return f"Schéma à la version {current} (dernière : {head})."


def schema_versions(current: str | None, head: str | None) -> str:
    return f"base : {current or 'vide'} ; code : {head}"


DEMO_PROGRESS = "Démo"


def demo_refused(database: str) -> str:
    return (
        f"Refusé : la base {database} n'a pas été créée par « reemploi demo ». La démonstration ne se "
        "charge que dans une base qu'elle crée elle-même (ses comptes ont des mots de passe publiés) ; "
        "rien n'a été écrit. Pour l'essayer, indiquez un autre dossier : REEMPLOI_DATA_DIR=demo-data "
        "reemploi demo."
    )


DEMO_ALREADY_LOADED = "La base contient déjà des appareils : données de démonstration non rechargées."
DEMO_DEVICES = {"title": "Données de démonstration chargées", "state": "état", "devices": "appareils"}
DEMO_ACCOUNTS = {
    "title": "Comptes de démonstration",
    "login": "identifiant",
    "password": "mot de passe",
    "role": "rôle",
}

# --- Accounts and tokens ----------------------------------------------------------------------------

PASSWORD_PROMPT = "Mot de passe"
PASSWORD_CONFIRMATION = "Mot de passe (encore)"


def user_created(login: str, role: str) -> str:
    return f"Compte [bold]{login}[/bold] créé ({ROLES[role]})."


def token_created(token_id: int, name: str, role: str) -> str:
    return f"Jeton n° {token_id} « {name} » ({ROLES[role]}). Copiez son secret maintenant, il ne sera plus affiché :"


def purged(sessions: int, counters: int) -> str:
    return f"{sessions} session(s) et {counters} compteur(s) supprimés."


def housekeeping_done(anonymised: int, years: int, sessions: int, counters: int) -> str:
    return (
        f"{anonymised} bénéficiaire(s) anonymisé(s) (inactifs depuis {years} ans), {sessions} session(s) et "
        f"{counters} compteur(s) supprimés."
    )


# --- Labels, manifests, sites ---------------------------------------------------------------------


def printing_labels(count: int) -> str:
    return f"{count} étiquette(s)…"


def labels_written(count: int, template: str, output: Path) -> str:
    return f"{count} étiquette(s) ({template}) dans {output}."


def importing(filename: str) -> str:
    return f"Import de {filename}…"


def manifest_warning(warning: str) -> str:
    return f"[yellow]attention :[/yellow] {warning}"


def columns_ignored(columns: Iterable[str]) -> str:
    return f"Colonnes ignorées : {', '.join(columns)}"


def dry_run_passed(count: int) -> str:
    return f"Vérification réussie : {count} appareil(s) seraient créés. Rien n'a été enregistré."


def devices_imported(count: int, collection_id: int, first: str, last: str) -> str:
    return f"{count} appareil(s) créés dans la collecte {collection_id} : {first} … {last}"


NO_DEVICE_IN_FILE = "Aucun appareil dans le fichier."
SITE_CODE_RULE = "Le code de site doit faire 1 à 4 lettres ou chiffres et commencer par une lettre."


def site_created(code: str, site_id: int) -> str:
    return f"Site {code} créé (n° {site_id})."


def partner_created(name: str, partner_id: int) -> str:
    return f"Partenaire « {name} » créé (n° {partner_id})."


def collection_created(collection_id: int, collected_on: str) -> str:
    return f"Collecte n° {collection_id} créée (du {collected_on})."
