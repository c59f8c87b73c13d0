"""Devices: their categories, the scan station, a device's page and its registration."""

from __future__ import annotations

from collections.abc import Iterable

# --- Names: each value of the code as people say it -----------------------------------------------

CATEGORIES = {
    "laptop": "ordinateur portable",
    "desktop": "ordinateur fixe",
    "all_in_one": "tout-en-un",
    "screen": "écran",
    "tablet": "tablette",
    "smartphone": "smartphone",
    "printer": "imprimante",
    "multifunction_printer": "imprimante multifonction",
    "peripheral": "périphérique",
    "network": "matériel réseau",
    "other": "autre",
}


# --- Pages and documents --------------------------------------------------------------------------

UI_DEVICES = {
    "dashboard_title": "Tableau de bord",
    "dashboard_today": "Reçus aujourd'hui",
    "dashboard_nothing_today": "Aucun appareil réceptionné aujourd'hui.",
    "dashboard_today_link": "Les appareils des collectes du jour",
    "dashboard_ready": "Prêts à la vente",
    "dashboard_nothing_ready": "Aucun appareil prêt à la vente.",
    "dashboard_ready_link": "La liste des appareils prêts",
    "dashboard_waiting": "Ceux qui attendent le plus",
    "dashboard_waiting_hint": "Pour chaque étape, les appareils qui y sont depuis le plus longtemps.",
    "dashboard_nothing_waiting": "Aucun appareil en attente à l'atelier.",
    "dashboard_state": "Étape",
    "dashboard_count": "Appareils",
    "dashboard_oldest": "Les plus anciens",
    "scan_title": "Poste de scan",
    "scan_field": "Code, n° de série ou étiquette",
    "scan_hint": "Scannez l'étiquette (ou tapez le code puis Entrée). Le curseur revient toujours ici.",
    "scan_button": "Chercher",
    "manufacturer_model": "Marque et modèle",
    "asset_tag": "Étiquette du donateur",
    "year": "Année",
    "weight": "Poids",
    "specs": "Caractéristiques",
    "next_steps": "Étapes possibles",
    "no_next_step": "Aucune étape possible : l'appareil est sorti de l'atelier.",
    "history": "Historique",
    "several_found": "Plusieurs appareils portent cette étiquette : choisissez le bon.",
    "moved": "Étape enregistrée",
    "camera_button": "Caméra",
    "collected_between": "Collectés entre le",
    "devices_title": "Appareils",
    "card_collection": "Collecte",
    "card_collected_on": "du",
    "card_location": "Emplacement",
    "card_price": "Prix",
    "card_cosmetic_notes": "État esthétique",
    "card_last_label": "Dernière étiquette imprimée",
    "card_never_printed": "jamais imprimée",
    "cancel_title": "Annuler l'enregistrement",
    "cancel_hint": (
        "Seulement pour un appareil enregistré par erreur (scanné deux fois, mauvaise collecte) : il ne comptera "
        "plus nulle part (listes, attestation, rapports) ; l'annulation reste dans son historique."
    ),
    "cancel_confirm": "Je confirme : cet appareil a été enregistré par erreur",
    "cancel_button": "Annuler l'enregistrement",
}


# --- Refusals and notices -------------------------------------------------------------------------


def waiting_since(day: str, days: int) -> str:
    """How long a device has waited: "depuis le 12 novembre 2026 (21 jours)"."""
    if days <= 0:
        return f"depuis aujourd'hui ({day})"
    return f"depuis le {day} ({days} jour{'s' if days > 1 else ''})"


def device_not_found(code: str) -> str:
    return f"Aucun appareil n'a le code {code}. Vérifiez le code ou scannez l'étiquette."


def scan_unknown(text: str) -> str:
    return (
        f"« {text} » ne correspond à aucun appareil (ni code, ni numéro de série, ni étiquette du "
        "donateur). Enregistrez cet appareil s'il est nouveau."
    )


def scan_empty() -> str:
    return (
        "Rien n'a été scanné (seulement des espaces). Placez le curseur dans le champ et scannez "
        "l'étiquette, ou tapez le code, le numéro de série ou l'étiquette du donateur."
    )


def scan_mistyped(text: str) -> str:
    return (
        f"« {text} » ressemble à un code d'appareil mais son caractère de contrôle (le dernier) ne "
        "correspond pas : le code a été mal saisi. Rescannez l'étiquette ou vérifiez chaque caractère."
    )


def serial_ambiguous(serial: str) -> str:
    return f"Plusieurs appareils portent le n° de série {serial} : scannez plutôt l'étiquette de l'atelier."


def known_serial(serial: str, codes: Iterable[str]) -> str:
    return f"Numéro de série {serial} déjà connu : appareil(s) {', '.join(codes)}."


def serial_in_collection(serial: str, codes: Iterable[str]) -> str:
    return (
        f"Le n° de série {serial} est déjà enregistré dans cette collecte : appareil {', '.join(codes)}. "
        "Rien n'a été enregistré. Si l'étiquette a été scannée deux fois, scannez l'appareil suivant ; "
        "s'il s'agit bien d'un autre appareil avec le même n° de série, enregistrez-le quand même."
    )


def serial_known_elsewhere(serial: str, codes: Iterable[str]) -> str:
    return (
        f"Le n° de série {serial} est déjà connu dans une autre collecte : appareil {', '.join(codes)}. "
        "Rien n'a été enregistré. Vérifiez qu'il ne s'agit pas du même appareil ; sinon, "
        "enregistrez-le quand même."
    )


def device_registered(code: str) -> str:
    return f"Appareil {code} enregistré. Scannez le suivant."


NO_CODES = "Aucun code : scannez ou saisissez au moins un code d'appareil."


def codes_repeated(codes: list[str]) -> str:
    return f"Codes scannés deux fois : {', '.join(codes)}. Chaque appareil ne compte qu'une fois."


def too_many_codes(count: int, maximum: int) -> str:
    return f"{count} codes d'un coup : c'est au plus {maximum}. Procédez en plusieurs fois."


# A donor reading its device's history: the workshop acted, an organisation bought (issue 18).
WORKSHOP_ACTOR = "l'atelier"
SOLD_TO_AN_ORGANISATION = "une organisation"
