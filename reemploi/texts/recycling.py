"""Recycling lots: why a device cannot join a lot, or a lot cannot be closed."""

from __future__ import annotations

DEEE_CATEGORY = "catégorie DEEE"
# One line next to the category wherever a person chooses or reads it (rules/figures.toml [deee]).
DEEE_HINT = (
    "Catégorie DEEE (déchets d'équipements électriques et électroniques, Code de l'environnement, "
    "art. R.543-172) : 2 = écrans et appareils à écran de plus de 100 cm² (portables, tablettes, "
    "tout-en-un) ; 6 = petits équipements informatiques et de télécommunication (unités centrales, "
    "smartphones, imprimantes, périphériques). Un lot ne mélange pas les deux."
)
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
