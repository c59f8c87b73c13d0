"""Spare parts and repairs: kinds and origins of parts, why a repair or a dismantling is refused."""

from __future__ import annotations

from reemploi.texts.lifecycle import STATES

# --- Names: each value of the code as people say it -----------------------------------------------

PART_KINDS = {
    "ram": "Mémoire vive",
    "storage": "Disque, SSD",
    "battery": "Batterie",
    "charger": "Chargeur",
    "screen": "Dalle d'écran",
    "keyboard": "Clavier",
    "motherboard": "Carte mère",
    "power_supply": "Alimentation",
    "fan": "Ventilateur",
    "case": "Coque, châssis",
    "cable": "Câble, nappe",
    "other": "Autre",
}

PART_ORIGINS = {"new": "neuve", "harvested": "récupérée"}
PART_KIND = "type de pièce"


# --- Refusals and notices -------------------------------------------------------------------------

PART_NEEDS_DESCRIPTION = "Décrivez chaque pièce (par exemple « DDR4 8 Go SO-DIMM »)."

BAD_PART_QUANTITY = "Quantité de pièces : un nombre entier entre 1 et 10 000."


def part_unknown(part_id: int) -> str:
    return f"Aucune pièce n° {part_id} dans le stock de pièces."


def part_other_site(part_id: int, code: str) -> str:
    return f"La pièce n° {part_id} est dans le stock d'un autre site que l'appareil {code} : transférez-la d'abord."


def part_short(part_id: int, description: str, left: int, wanted: int) -> str:
    return (
        f"Pièce n° {part_id} ({description}) : il en reste {left}, il en faut {wanted}. "
        "Ajoutez des pièces au stock ou corrigez la quantité."
    )


REPAIR_NEEDS_ACTIONS = "Décrivez ce qui a été fait (par exemple « remplacement du clavier, nettoyage du ventilateur »)."

BAD_MINUTES = "Temps passé : un nombre entier de minutes entre 0 et 6 000."


def repair_needs_repair_state(code: str, state: str) -> str:
    return (
        f"{code} est « {STATES.get(state, state)} » : une réparation s'enregistre sur un appareil « en réparation ». "
        "Envoyez-le d'abord en réparation."
    )


def dismantle_refused(code: str, state: str) -> str:
    return f"{code} est « {STATES.get(state, state)} » : il ne peut plus être démonté."
