"""The workbench: functional tests, erasures, grades and prices, the sale gate, the exits page."""

from __future__ import annotations

from collections.abc import Iterable

from reemploi.texts.devices import CATEGORIES

# --- Names: each value of the code as people say it -----------------------------------------------

CHECKS = {
    "power": "Démarrage, alimentation",
    "screen": "Écran (pixels, rétroéclairage, charnières)",
    "keyboard": "Clavier",
    "touchpad": "Pavé tactile",
    "battery": "Batterie",
    "charger": "Chargeur",
    "wifi": "Wi-Fi",
    "bluetooth": "Bluetooth",
    "webcam": "Webcam",
    "audio": "Son (haut-parleurs, micro, prise casque)",
    "usb_ports": "Ports USB",
    "video_out": "Sortie vidéo",
    "network": "Réseau filaire",
    "video_in": "Entrées vidéo",
    "stand": "Pied, réglages",
    "touch": "Écran tactile",
    "cellular": "Réseau mobile (appels, SMS, données)",
    "camera": "Appareils photo",
    "buttons": "Boutons",
    "print": "Impression",
    "paper_feed": "Alimentation papier",
    "connection": "Connexion (USB, réseau)",
    "scan": "Numérisation",
    "function": "Fonctionnement",
    "ports": "Ports",
}

# The erasure tool a technician usually names for an eMMC (a phone's or tablet's flash).
FACTORY_RESET = "réinitialisation d'usine"


def medium_serial(serial: str) -> str:
    return f" (n° {serial})"


def medium_wwn(wwn: str) -> str:
    return f" (WWN {wwn})"


# A medium read from a report that gave neither serial nor WWN: the technician tells it from its look-alikes.
MEDIUM_TO_IDENTIFY = " (ni n° de série ni WWN lus : à identifier sur son étiquette)"


OUTCOME_LABELS = {"pass": "OK", "fail": "en panne", "na": "sans objet"}

MEDIUM_KINDS = {
    "hdd": "disque dur",
    "ssd": "SSD",
    "nvme": "SSD NVMe",
    "emmc": "mémoire interne (eMMC, UFS)",
    "other": "autre",
}


# --- Pages and documents --------------------------------------------------------------------------

WORKBENCH = {
    "title": "Atelier",
    "missing": "Pour la mise en vente, il manque :",
    "complete": "Tout y est pour la mise en vente.",
    "test": "Test fonctionnel",
    "last_test": "Dernier test",
    "passed": "réussi",
    "failed": "échoué",
    "never": "jamais testé",
    "battery_percent": "Santé de la batterie (% de la capacité d'origine)",
    "note": "Remarque",
    "record_test": "Enregistrer le test",
    "all_working": "Tout fonctionne (OK pour chaque contrôle non coché)",
    "checklist_hint": "Rien n'est coché d'avance : cochez ce que vous avez vérifié. Un contrôle en panne demande une remarque.",
    "storage": "Stockage et effacement",
    "no_medium": "Aucun support enregistré (joignez le rapport smartctl, ou ajoutez-le ci-dessous).",
    "erased": "effacé",
    "destroyed": "détruit",
    "to_erase": "à effacer",
    "replacement": "neuf (remplacement)",
    "record_erasure": "Enregistrer l'effacement",
    "started": "Début",
    "ended": "Fin",
    "tool": "Outil",
    "tool_version": "Version",
    "passes": "Passes",
    "add_medium": "Ajouter un support",
    "model": "Modèle",
    "serial": "N° de série",
    "is_replacement": "Disque neuf monté par l'atelier",
    "certificate": "Certificat d'effacement (PDF)",
    "grade": "Grade",
    "cosmetic_notes": "État esthétique (rayures, marques…)",
    "price": "Prix (€)",
    "test_recorded": "Test enregistré",
    "medium_added": "Support ajouté.",
    "erasure_recorded": "Effacement enregistré.",
    "bad_date": "Date ou heure illisible : utilisez le sélecteur (JJ/MM/AAAA HH:MM).",
}

EXITS = {
    "title": "Sorties",
    "dismantle": "Démonter pour pièces",
    "parts_harvested": "Pièces récupérées (une par ligne : type ; description ; quantité)",
    "return_to_donor": "Rendre au donateur",
    "recycle": "Mettre dans un lot de recyclage",
    "lot": "Lot",
    "dismantled": "Appareil démonté ; pièces au stock",
    "repair": "Réparation",
    "actions": "Ce qui a été fait",
    "minutes": "Temps passé (minutes)",
    "parts_used": "Pièces utilisées",
    "record_repair": "Enregistrer la réparation",
    "finish_repair": "Réparation terminée : retour au test",
    "repair_recorded": "Réparation enregistrée.",
    "no_parts": "Aucune pièce disponible sur ce site.",
    "weight": "Poids",
    "estimated": "estimé",
}

UI_WORKSHOP = {
    "medium_kind": "Type de support",
    "erasure_level": "Niveau d'effacement",
    "erasure_technique": "Technique d'effacement",
    "erasure_verification": "Vérification",
    "erasure_result": "Résultat",
}


# --- Refusals: functional tests -------------------------------------------------------------------


def unknown_checks(unknown: list[str], checks: list[str]) -> str:
    return f"Contrôles inconnus pour cette catégorie : {', '.join(unknown)}. La liste : {', '.join(checks)}."


def _checks(checks: Iterable[str]) -> str:
    return ", ".join(CHECKS.get(check, check) for check in checks)


def unanswered_checks(checks: list[str]) -> str:
    return (
        f"Contrôles sans réponse : {_checks(checks)}. Cochez pour chacun OK, en panne ou sans objet "
        "(ou « Tout fonctionne » si tout ce qui n'est pas coché marche)."
    )


def failed_without_note(checks: list[str]) -> str:
    return f"Dites ce qui ne va pas pour chaque contrôle en panne : {_checks(checks)} (dans sa remarque)."


def bad_outcomes(checks: list[str], outcomes: Iterable[str]) -> str:
    return f"Résultat illisible pour : {', '.join(checks)}. Résultats possibles : {', '.join(outcomes)}."


BAD_BATTERY_PERCENT = "Santé de la batterie : un pourcentage entre 0 et 150."


def battery_too_weak(percent: int, minimum: int) -> str:
    return f"Batterie à {percent} % de sa capacité d'origine, sous le minimum de l'atelier ({minimum} %)."


# --- Refusals: storage media and erasures ---------------------------------------------------------


def medium_not_on_device(medium_id: int, code: str) -> str:
    return f"Le support n° {medium_id} n'appartient pas à l'appareil {code}."


DESTROY_IS_PHYSICAL = "Le niveau « destroy » va avec la technique « physical_destruction », et elle seule."

ERASURE_ENDS_BEFORE_START = "L'effacement se termine avant d'avoir commencé : vérifiez les heures de début et de fin."

ERASURE_IN_FUTURE = "L'effacement se termine dans le futur : vérifiez la date et l'heure de fin."

ERASURE_NEEDS_TOOL = "Indiquez l'outil d'effacement (par exemple nwipe, hdparm, nvme-cli, Blancco)."

BAD_PASSES = "Nombre de passes : entre 1 et 100."

ERASURE_DATE_RANGE = "Date de l'effacement invraisemblable : elle doit être entre 2000 et 2100."


def overwrite_on_flash(kind: str) -> str:
    return (
        f"Écrasement sur un support {kind} : sur la mémoire flash, l'écrasement n'atteint pas les cellules "
        "réallouées (NIST SP 800-88). Préférez ATA Secure Erase, NVMe sanitize ou l'effacement cryptographique."
    )


# --- Refusals: grades and prices ------------------------------------------------------------------

GRADE_NEEDED = "Indiquez le grade : A, B ou C."

BAD_PRICE = "Prix illisible : un montant en euros (par exemple 95 ou 95,50) ou un nombre entier de centimes."

NEGATIVE_PRICE = "Le prix ne peut pas être négatif."


def price_above_cap(price: str, cap: str, source: str) -> str:
    """`price` and `cap` as reemploi.formats shows them (texts stay a leaf: they do not format)."""
    return (
        f"Prix de {price} au-dessus du plafond légal de {cap} pour un appareil donné "
        f"par une personne publique ({source})."
    )


def grid_above_cap(category: str, grade: str, price: str, cap: str, source: str) -> str:
    return (
        f"Grille de prix, {CATEGORIES.get(category, category)} grade {grade} : {price} dépasse le plafond "
        f"légal de {cap} ({source})."
    )


def withdraw_first(code: str) -> str:
    return (
        f"{code} est en vente : retirez-le de la vente (« retirer de la vente ») avant de le tester à nouveau "
        "ou d'y ajouter un support."
    )


# --- The sale gate: what a device lacks to go on sale ---------------------------------------------


def too_old_for_reuse(age: int, maximum: int, rules_source: str) -> str:
    return (
        f"Appareil de {age} ans : au-delà de {maximum} ans, il part en pièces détachées ou en recyclage, "
        f"pas en vente ({rules_source})."
    )


GATE_NOT_TESTED = "Test fonctionnel : aucun enregistré. Testez chaque fonction de la liste."

GATE_TEST_FAILED = "Test fonctionnel : le dernier a échoué. Réparez puis refaites le test."

GATE_NO_MEDIUM = (
    "Stockage : aucun support enregistré. Joignez le rapport smartctl ou ajoutez le disque, puis son effacement."
)

GATE_DESTROYED_NOT_REPLACED = (
    "Stockage : le disque d'origine a été détruit ; montez et enregistrez un disque de remplacement."
)

GATE_NOT_GRADED = "Grade : aucun (A, B ou C)."

GATE_NOT_PRICED = "Prix : aucun. Indiquez le prix de vente."


def gate_medium_not_erased(label: str) -> str:
    return f"Effacement : {label} n'est ni effacé ni détruit."


def gate_refused(code: str, missing: list[str]) -> str:
    return f"{code} ne peut pas être mis en vente : " + " ; ".join(missing)


def grid_cell_refused(category: str, grade: str, typed: str, refusal: str) -> str:
    return f"Grille de prix, {CATEGORIES.get(category, category)} grade {grade} : « {typed} » — {refusal}"


# A site's price grid page.
PRICE_GRID = {
    "title": "Grille de prix",
    "hint": "Le prix de vente d'un appareil noté A, B ou C, en euros TTC ; une case vide : pas de prix, "
    "le technicien le saisit à la notation.",
    "category": "Catégorie",
    "cap": "Plafond légal",
    "cap_hint": "Plafond pour les appareils donnés par des organismes publics et revendus à des personnes en "
    "situation de précarité",
    "no_cap": "aucun",
    "save": "Enregistrer la grille",
    "saved": "Grille de prix enregistrée.",
    "grade": "Grade",
}


# The system installed on a device and its licence (reemploi.workshop.systems).
OS_FAMILIES = {
    "linux": "Linux",
    "windows": "Windows",
    "chromeos": "ChromeOS / ChromeOS Flex",
    "android": "Android",
    "ios": "iOS / iPadOS",
    "other": "Autre",
}
LICENCE_KINDS = {
    "free": "logiciel libre, sans licence à suivre",
    "coa": "licence d'origine (étiquette COA ou clé dans le BIOS)",
    "refurbisher": "clé de reconditionneur (programme Microsoft)",
    "none": "sans licence",
}
INSTALLED_SYSTEM = {
    "title": "Système installé",
    "none_yet": "Aucun système enregistré.",
    "family": "Famille",
    "name": "Système et version",
    "name_hint": "Par exemple : Linux Mint 22.1, Windows 11 Famille 24H2",
    "licence": "Licence",
    "key": "Clé de reconditionneur",
    "key_hint": "Cinq groupes de cinq signes ; seulement pour une clé de reconditionneur.",
    "note": "Remarque",
    "save": "Enregistrer le système",
    "saved": "Système enregistré.",
    "earlier": "Avant",
    "licences_export": "Clés de reconditionneur utilisées (CSV)",
}
LICENCE_EXPORT_HEADER = ("Installé le", "Appareil", "N° de série", "Catégorie", "Système", "Clé", "Par")
BAD_PRODUCT_KEY = (
    "Clé de reconditionneur illisible : il faut cinq groupes de cinq signes (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX), "
    "des lettres sans voyelles ni L, N, S, Z et des chiffres sans 0, 1 ni 5. Vérifiez la clé sur son étiquette."
)
PRODUCT_KEY_NEEDED = "Une clé de reconditionneur est demandée pour cette licence : saisissez ou scannez-la."
PRODUCT_KEY_ONLY_FOR_REFURBISHER = (
    "Une clé ne s'enregistre que pour une licence « clé de reconditionneur » : videz le champ ou changez de licence."
)
OS_NAME_NEEDED = "Indiquez le système et sa version (par exemple : Linux Mint 22.1)."
OS_NAME_TOO_LONG = "Le nom du système dépasse 120 caractères : raccourcissez-le."


def unknown_os_family(family: str) -> str:
    return f"Famille de système inconnue : « {family[:40]} ». Possibles : {', '.join(OS_FAMILIES.values())}."


def licence_not_for(licence: str, family: str, allowed: Iterable[str]) -> str:
    name = OS_FAMILIES.get(family, family)
    kinds = " ; ".join(LICENCE_KINDS[k] for k in allowed)
    return f"Licence « {LICENCE_KINDS.get(licence, licence[:40])} » impossible pour {name}. Possibles : {kinds}."


def licence_key_used(code: str) -> str:
    return f"Cette clé de reconditionneur est déjà enregistrée sur l'appareil {code} : une clé ne sert qu'une fois."
