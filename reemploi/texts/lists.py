"""The pages' lists: their search, sort, pages and CSV export, and the headers only a list shows."""

from __future__ import annotations

LISTS = {
    "search": "Chercher",
    "search_devices": "Code, n° de série, étiquette, modèle ou donateur",
    "search_collections": "Donateur ou n° de collecte",
    "search_beneficiaries": "Nom ou numéro",
    "search_lots": "N°, bordereau, éco-organisme ou catégorie DEEE",
    "clear": "Tout afficher",
    "csv": "Exporter en CSV (tableur)",
    "sorted_up": "tri croissant",
    "sorted_down": "tri décroissant",
    "nothing_found": "Aucune ligne ne correspond : vérifiez l'orthographe ou effacez la recherche.",
    "number": "N°",
    "price": "Prix",
    "state_of_lot": "État du lot",
    "deee": "Catégorie DEEE",
    "beneficiaries_title": "Bénéficiaires",
    "no_beneficiary": "Aucune fiche bénéficiaire pour l'instant.",
}


def export_too_large(total: int, maximum: int) -> str:
    return (
        f"L'export en CSV compterait {total} lignes ; il en prend au plus {maximum}. "
        "Filtrez ou cherchez pour réduire la liste, puis exportez-la en plusieurs fois."
    )
