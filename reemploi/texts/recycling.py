"""Recycling lots: why a device cannot join a lot, or a lot cannot be closed."""

from __future__ import annotations

DEEE_CATEGORY = "catégorie DEEE"
ECO_ORGANISM_NEEDED = "Indiquez l'éco-organisme ou le prestataire de traitement (par exemple ecosystem, Ecologic)."


LOT_EMPTY = "Le lot est vide : ajoutez-y au moins un appareil avant de le clôturer."


LOT_CLOSE_NEEDS = (
    "Pour clôturer un lot, indiquez le n° du bordereau de suivi, le poids pesé (kg) et la date d'enlèvement."
)


def lot_unknown(lot_id: int) -> str:
    return f"Aucun lot de recyclage n° {lot_id}."


def lot_closed(lot_id: int, slip: str) -> str:
    return f"Le lot n° {lot_id} est clôturé (bordereau {slip}) : ouvrez un nouveau lot pour ces appareils."


def lot_other_site(code: str, lot_id: int) -> str:
    return f"{code} n'est pas sur le site du lot n° {lot_id} : un lot part d'un seul site."


def deee_mismatch(code: str, category: int, lot_category: int) -> str:
    return (
        f"{code} relève de la catégorie DEEE {category}, le lot de la catégorie {lot_category} : "
        "mettez-le dans un lot de sa catégorie."
    )
