"""Words every page and answer shares: navigation, problem titles, generic refusals, money."""

from __future__ import annotations

import re
from collections.abc import Iterable

# --- Pages and documents --------------------------------------------------------------------------

UI_SHARED = {
    # Navigation and the signed-in person
    "app_name": "reemploi",
    "nav_home": "Accueil",
    "nav_scan": "Poste de scan",
    "nav_collections": "Collectes",
    "nav_new_collection": "Nouvelle collecte",
    "nav_devices": "Appareils",
    "nav_stock": "Stock",
    "nav_locations": "Emplacements",
    "nav_labels": "Étiquettes",
    "nav_reception": "Vente",
    "nav_beneficiaries": "Bénéficiaires",
    "nav_parts": "Pièces",
    "nav_lots": "Recyclage",
    "nav_reports": "Bilans",
    "menu": "Menu",  # the navigation, folded on a phone
    "logout": "Se déconnecter",
    "hello": "Bonjour",
    "signed_in_as": "Connecté·e en tant que",
    # Words many pages share
    "code": "Code",
    "site": "Site",
    "state": "État",
    "category": "Catégorie",
    "serial": "N° de série",
    "when": "Quand",
    "who": "Qui",
    "what": "Quoi",
    "note": "Note",
    "all": "tous",
    "filter": "Filtrer",
    "shown": "affichés",
    "of": "sur",
    "previous_page": "Page précédente",
    "next_page": "Page suivante",
    "total": "Total",
}


# Problem titles (RFC 9457 "title"): short, one per kind of problem.
TITLES = {
    "not-found": "Introuvable",
    "transition-not-allowed": "Étape impossible depuis l'état actuel",
    "edit-conflict": "Modifié entre-temps par quelqu'un d'autre",
    "invalid-input": "Données invalides",
    "mistyped-code": "Code mal saisi",
    "manifest-invalid": "Manifeste refusé",
    "duplicate": "Existe déjà",
    "payload-too-large": "Fichier trop volumineux",
    "internal-error": "Erreur interne",
    "bad-request": "Requête invalide",
    "method-not-allowed": "Méthode non autorisée",
    "unsupported-media-type": "Format non pris en charge",
    "not-authenticated": "Connexion requise",
    "forbidden": "Action non permise",
    "too-many-requests": "Trop de tentatives",
    "login-failed": "Connexion refusée",
    "device-not-available": "Appareil indisponible",
    "device-on-sale": "Appareil en vente",
    "device-not-in-repair": "Appareil pas en réparation",
    "no-till-open": "Caisse fermée",
    "till-already-open": "Caisse déjà ouverte",
    "till-closed": "Caisse clôturée",
    "guarantee-over": "Garantie expirée",
    "already-returned": "Déjà retourné",
    "lot-closed": "Lot clôturé",
    "part-out-of-stock": "Pièce en rupture",
    "licence-key-already-used": "Clé de reconditionneur déjà utilisée",
    "token-in-use": "Jeton en cours d'utilisation",
    "codes-exhausted": "Codes épuisés",
    "serial-in-collection": "N° de série déjà dans cette collecte",
    "serial-known": "N° de série déjà connu",
    "manifest-already-imported": "Manifeste déjà importé",
    "registration-not-cancellable": "Enregistrement impossible à annuler",
    "last-admin": "Dernier compte d'administration",
    "own-account": "Votre propre compte",
}


# --- Names: each value of the code as people say it -----------------------------------------------

# What a thing is called in not_found() ("Site n° 3 introuvable.") and unknown_reference() ("site_id :
# le site n° 3 n'existe pas."): alone, or within a sentence.
NAMES = {
    "site": "Site",
    "partner": "Partenaire",
    "collection": "Collecte",
    "token": "Jeton",
    "collectivity": "Collectivité",
}

NAMES_IN_A_SENTENCE = {
    "site": "le site",
    "partner": "le partenaire",
    "collection": "la collecte",
    "organisation": "l'organisation",
}

YES_NO = {True: "oui", False: "non"}


# --- Refusals and notices -------------------------------------------------------------------------


def not_found(what: str, ident: object) -> str:
    return f"{what} n° {ident} introuvable."


def code_not_found(what: str, code: str) -> str:
    return f"{what} de code « {code[:20]} » introuvable."


def unknown_reference(field: str, what: str, ident: object) -> str:
    return f"{field} : {what} n° {ident} n'existe pas. Créez-le d'abord ou corrigez le numéro."


def not_an_id(field: str, value: str) -> str:
    return f"{field} : « {value[:20]} » n'est pas un numéro. Indiquez un nombre entier, ou laissez vide."


def unknown_choice(what: str, value: str, allowed: Iterable[str]) -> str:
    return f"{what} « {str(value)[:40]} » inconnu. Choix possibles : {', '.join(allowed)}."


NOT_A_WHOLE_NUMBER = "Un nombre entier est attendu (chiffres seulement)."

NAIVE_DATETIME = "Date et heure sans fuseau : écrivez-les avec leur décalage, par exemple 2026-11-26T14:30:00+01:00."

BAD_WEIGHT = "Poids illisible : un nombre de kilogrammes, par exemple 7,2."

BAD_DAY = "Date illisible : utilisez le sélecteur de date (JJ/MM/AAAA)."


def request_invalid(detail: str) -> str:
    return f"Requête invalide : {detail}"


def request_fields_invalid(fields: Iterable[tuple[object, object]]) -> str:
    return request_invalid("; ".join(f"{key} : {constraint_in_french(str(message))}" for key, message in fields))


# What msgspec and Litestar say of a value they refuse (in English), as a person reads it.
_KINDS = {
    "int": "un nombre entier",
    "float": "un nombre",
    "str": "un texte",
    "bool": "oui ou non (true / false)",
    "date": "une date (AAAA-MM-JJ)",
    "datetime": "une date et une heure",
    "object": "un objet JSON",
    "array": "une liste",
}
_BOUND = re.compile(r"^Expected `\w+`( of length)? (<=|<|>=|>) (-?[\d.]+)")
_CONSTRAINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Expected `str` matching regex"), "forme non reconnue"),
    (re.compile(r"^Invalid enum value '?([^']*)'?"), "valeur « {0} » inconnue"),
    (re.compile(r"^Object missing required field `(\w+)`"), "le champ {0} est obligatoire"),
    (re.compile(r"^Object contains unknown field `(\w+)`"), "le champ {0} n'existe pas"),
    (re.compile(r"^Missing required \w+ parameter '?([\w-]+)'?"), "le paramètre {0} est obligatoire"),
    (re.compile(r"^Invalid (?:RFC 3339 encoded )?date"), "date illisible (il faut AAAA-MM-JJ)"),
)


def constraint_in_french(message: str) -> str:
    """A refusal of msgspec or Litestar ("Expected `int` <= 200") in French ("au plus 200")."""
    if bound := _BOUND.search(message):
        length, below, limit = bound.group(1) is not None, bound.group(2).startswith("<"), bound.group(3)
        unit = (" caractère(s)" if bound.group(0).startswith("Expected `str`") else " élément(s)") if length else ""
        return f"{'au plus' if below else 'au moins'} {limit}{unit}"
    for pattern, said in _CONSTRAINTS:
        if found := pattern.search(message):
            return said.format(*found.groups())
    if found := re.search(r"^Expected `([\w |]+)`", message):
        kinds = [_KINDS.get(kind.strip(), kind.strip()) for kind in found.group(1).split("|") if kind.strip() != "null"]
        return f"il faut {' ou '.join(kinds)}" if kinds else "valeur illisible"
    return "valeur illisible" if re.search(r"[A-Za-z]{3,} [a-z]{2,}", message) and message.isascii() else message


def no_such_address(path: str) -> str:
    return f"Aucune ressource à l'adresse {path}."


def value_refused_by_database() -> str:
    return (
        "Une valeur envoyée ne peut pas être enregistrée (caractère nul, nombre hors limites…). "
        "Retirez les caractères invisibles et vérifiez les nombres, puis recommencez."
    )


CONFLICT_WITH_SAVED_DATA = (
    "Cette opération entre en conflit avec des données enregistrées entre-temps. Rechargez et recommencez."
)

INTERNAL_ERROR = "Erreur interne : l'opération n'a pas été enregistrée. Réessayez ; si cela persiste, signalez-le avec l'heure exacte."


def who(label: str) -> str:
    """Who did it, as a person reads it: a login as is; a command run on the server or an API token
    named as such ("cli:demo", "jeton:gmao" are the history's labels, not names)."""
    kind, _, name = label.partition(":")
    if kind == "cli" and name:
        return "données de démonstration" if name == "demo" else f"commande sur le serveur ({name})"
    if kind == "jeton" and name:
        return f"jeton d'API « {name} »"
    return label
