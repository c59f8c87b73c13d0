"""Collections and donors' manifests: the collection and intake pages, every reason a manifest is refused."""

from __future__ import annotations

from collections.abc import Iterable

UI_COLLECTIONS = {
    "collections_title": "Collectes",
    "new_collection_title": "Nouvelle collecte",
    "donor": "Donateur",
    "collected_on": "Date de la collecte",
    "declared_weight": "Poids annoncé (kg, facultatif)",
    "pickup_address": "Adresse d'enlèvement (facultatif)",
    "notes": "Notes (facultatif)",
    "create_collection": "Créer la collecte et enregistrer ses appareils",
    "no_site_yet": "Aucun site n'existe encore : une collecte arrive toujours sur un site de l'atelier.",
    "no_donor_yet": "Aucun donateur n'est encore enregistré : une collecte vient toujours d'un donateur.",
    "ask_an_admin": "Demandez à un administrateur de le créer.",
    "ask_a_manager": "Demandez à un responsable de l'enregistrer.",
    "first_steps": "Pour commencer",
    "first_site": "Première étape : créer le site de l'atelier (son code débute chaque code d'appareil).",
    "first_donor": "Deuxième étape : enregistrer le premier donateur (entreprise, collectivité, association…).",
    "first_collection": "Troisième étape : enregistrer sa première collecte, puis ses appareils.",
    "create_first_site": "Créer le site",
    "create_first_donor": "Enregistrer un donateur",
    "create_first_collection": "Nouvelle collecte",
    "bad_date_or_weight": "Date ou poids illisible : date au format JJ/MM/AAAA, poids en kilos (par exemple 12,5).",
    "intake_title": "Réception des appareils",
    "intake_hint": "Scannez le n° de série de chaque appareil puis Entrée. La catégorie reste celle choisie "
    "(Alt+1 à Alt+9 pour la changer).",
    "serial_field": "N° de série (scanné)",
    "asset_tag_field": "Étiquette du donateur (facultatif)",
    "register_button": "Enregistrer l'appareil",
    "register_anyway": "Enregistrer quand même un second appareil",
    "pick_category": "Choisissez une catégorie.",
    "scan_serial_first": "Scannez le n° de série (ou l'étiquette du donateur) de l'appareil.",
    "devices_in_collection": "Appareils de cette collecte",
    "no_device_yet": "Aucun appareil pour l'instant.",
    "progress": "Avancement",
    "devices_count": "Appareils",
    "open_intake": "Enregistrer des appareils",
    "no_collection": "Aucune collecte pour l'instant.",
    "manifest_title": "Importer le manifeste du donateur",
    "manifest_hint": "Fichier CSV (séparateur ; ou ,) ou XLSX : n° de série, étiquette, catégorie, marque, modèle, poids. "
    "Tout ou rien : une seule ligne fausse et rien n'est enregistré.",
    "manifest_field": "Fichier du manifeste",
    "manifest_button": "Importer",
    "manifest_imported": "appareil(s) importé(s) depuis le manifeste.",
    "line": "Ligne",
    "column": "Colonne",
    "reason": "Problème",
}


# --- Donors' manifests ----------------------------------------------------------------------------
# Every reason a manifest is refused, for the staff who fix the file with the donor. The words donors
# write in their headers and categories are data, next to the parser (collections/manifest.py).

# How the errors name a column the file lacks, or a cell.
MANIFEST_COLUMNS = {
    "serial": "numéro de série",
    "asset_tag": "étiquette",
    "category": "catégorie",
    "manufacturer": "fabricant",
    "model": "modèle",
    "weight": "poids (kg)",
}
MANIFEST_COLUMN_GIVES = {
    "serial": "le numéro de série",
    "asset_tag": "l'étiquette",
    "category": "la catégorie",
    "manufacturer": "le fabricant",
    "model": "le modèle",
    "weight": "le poids",
}
# The words staff are told to use when a category is not understood.
MANIFEST_CATEGORY_HINT = (
    "portable, fixe, tout-en-un, écran, tablette, smartphone, imprimante, multifonction, périphérique, réseau ou autre"
)


def manifest_place(line: int | None, column: str | None) -> str:
    where = []
    if line is not None:
        where.append(f"ligne {line}")
    if column is not None:
        where.append(f"colonne « {column} »")
    return ", ".join(where)


def manifest_problem(line: int | None, column: str | None, reason: str) -> str:
    place = manifest_place(line, column)
    return f"{place} : {reason}" if place else reason


def manifest_refused(count: int) -> str:
    return f"manifeste refusé : {count} erreur{'s' if count > 1 else ''}"


def manifest_refused_nothing_saved(count: int) -> str:
    return f"Manifeste refusé, rien n'a été enregistré : {count} problème(s) à corriger."


def earlier_import(when: str, who: str, devices: int, collection_id: int, filename: str) -> str:
    named = f" (fichier « {filename} »)" if filename else ""
    return f"le {when} par {who}, {devices} appareil(s) dans la collecte n° {collection_id}{named}"


def manifest_already_imported(earlier: str) -> str:
    return (
        f"Ce manifeste a déjà été importé {earlier}. Rien n'a été enregistré : ses appareils sont déjà là "
        "(liste de la collecte)."
    )


def manifest_serials_already_imported(count: int, earlier: Iterable[str]) -> str:
    return (
        f"Manifeste refusé, rien n'a été enregistré : {count} n° de série déjà importé(s) par un manifeste "
        f"précédent ({' ; '.join(earlier)}). Retirez ces lignes du fichier s'il s'agit des mêmes appareils."
    )


def serial_already_imported(serial: str, code: str, import_id: int) -> str:
    return f"n° de série {serial} déjà importé : appareil {code} (import n° {import_id})"


_SAVE_AS = "enregistrez-le depuis votre tableur au format CSV ou Excel (.xlsx)"
MANIFEST_NO_FILE = "aucun fichier reçu : choisissez le fichier du manifeste (CSV ou Excel .xlsx), puis « Importer »"
MANIFEST_EMPTY_FILE = "le fichier est vide : il faut une ligne d'en-tête puis une ligne par appareil"
MANIFEST_NOT_A_SPREADSHEET = f"fichier illisible : ce n'est ni un CSV ni un classeur Excel (.xlsx) ; {_SAVE_AS}"
MANIFEST_REFUSED_EXTENSIONS = {
    "ods": f"format LibreOffice (.ods) non pris en charge : {_SAVE_AS}",
    "numbers": f"format Numbers non pris en charge : {_SAVE_AS}",
    **{ext: f"un fichier .{ext} n'est pas un tableau : {_SAVE_AS}" for ext in ("pdf", "doc", "docx", "odt", "rtf")},
}
MANIFEST_OLD_EXCEL = (
    "ancien format Excel (.xls) ou classeur protégé par mot de passe : enregistrez-le sans "
    "mot de passe au format Excel (.xlsx) ou CSV"
)
MANIFEST_NOT_REALLY_XLSX = f"ce fichier porte le nom d'un classeur Excel (.xlsx) mais n'en est pas un : {_SAVE_AS}"
MANIFEST_BAD_QUOTES = (
    "ligne illisible (guillemet non fermé ou cellule démesurée) : vérifiez les guillemets de cette ligne"
)
MANIFEST_XLSX_UNREADABLE = (
    "classeur Excel illisible (fichier abîmé, ou pas vraiment un .xlsx) : ouvrez-le et "
    "enregistrez-le à nouveau au format Excel (.xlsx) ou CSV"
)
MANIFEST_NO_SHEET = "le classeur ne contient aucune feuille de calcul"


def manifest_columns_twice(first: str, second: str, field: str) -> str:
    return (
        f"colonnes « {first} » et « {second} » en double : toutes deux "
        f"donnent {MANIFEST_COLUMN_GIVES[field]} ; gardez-en une seule"
    )


MANIFEST_NO_KNOWN_COLUMN = (
    "aucune colonne reconnue sur la ligne d'en-tête : la première ligne doit donner le nom "
    "des colonnes, par exemple numéro de série, étiquette, catégorie, fabricant, modèle, "
    "poids (kg)"
)
MANIFEST_NO_CATEGORY_COLUMN = (
    "colonne catégorie absente : ajoutez une colonne « catégorie » qui dit pour chaque "
    f"appareil s'il s'agit d'un {MANIFEST_CATEGORY_HINT}"
)
MANIFEST_NO_IDENTIFIER_COLUMN = (
    "ni colonne numéro de série ni colonne étiquette : ajoutez au moins l'une des deux pour identifier les appareils"
)


def manifest_invisible_character(label: str) -> str:
    return f"{label} contient un caractère invisible (tabulation, saut de ligne…) : retapez-le"


def manifest_text_too_long(label: str, length: int, maximum: int) -> str:
    return f"{label} trop long : {length} caractères, {maximum} au plus"


MANIFEST_CATEGORY_EMPTY = f"catégorie vide : indiquez le type d'appareil ({MANIFEST_CATEGORY_HINT})"


def manifest_category_unknown(text: str) -> str:
    return f"catégorie « {text} » inconnue : utilisez {MANIFEST_CATEGORY_HINT}"


def manifest_weight_unreadable(text: str) -> str:
    return f"poids « {text} » illisible : écrivez un nombre en kg, par exemple 1,65"


def manifest_weight_impossible(text: str, maximum: object) -> str:
    return f"poids « {text} » impossible : il doit être supérieur à 0 et inférieur à {maximum} kg"


def manifest_weight_too_small(text: str) -> str:
    return f"poids « {text} » trop faible : moins d'un gramme ; écrivez le poids en kg, par exemple 0,25 pour 250 g"


def manifest_xlsx_too_big(expanded: int, maximum: int) -> str:
    return (
        f"classeur Excel trop volumineux une fois décompressé ({expanded // 1_000_000} Mo, au plus "
        f"{maximum // 1_000_000} Mo) : ce n'est pas un simple manifeste. Enregistrez seulement la liste des "
        "appareils, sans images ni autres feuilles, au format .xlsx ou CSV"
    )


def manifest_sheet_too_long(rows: int, devices: int) -> str:
    return (
        f"feuille trop longue (plus de {rows} lignes, vides comprises) : supprimez les lignes vides en fin de "
        f"feuille ou découpez le fichier (au plus {devices} appareils par fichier)"
    )


def manifest_too_many_rows(maximum: int) -> str:
    return (
        f"plus de {maximum} appareils dans ce fichier : découpez-le en plusieurs fichiers de {maximum} lignes au plus"
    )


MANIFEST_NO_IDENTIFIER = (
    "ni numéro de série ni étiquette : il en faut au moins un pour identifier "
    "l'appareil (« To Be Filled By O.E.M. » et autres valeurs par défaut ne comptent pas)"
)


def manifest_serial_repeated(earlier: int) -> str:
    return (
        f"numéro de série déjà présent ligne {earlier} : un appareil ne doit figurer "
        "qu'une fois ; supprimez le doublon ou corrigez le numéro"
    )


def manifest_tag_repeated(earlier: int) -> str:
    return (
        f"étiquette déjà présente ligne {earlier} : un appareil ne doit figurer "
        "qu'une fois ; supprimez le doublon ou corrigez l'étiquette"
    )


MANIFEST_NO_DEVICE = "aucun appareil dans le fichier : ajoutez une ligne par appareil sous la ligne d'en-tête"
