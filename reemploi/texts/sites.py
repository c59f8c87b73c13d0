"""The workshop's sites: why one cannot be created, named or numbered further."""

from __future__ import annotations


def site_code_taken(code: str) -> str:
    return f"Le code de site « {code} » est déjà pris : choisissez-en un autre (1 à 4 lettres ou chiffres)."


def site_sequence_exhausted(code: str) -> str:
    return f"Le site {code} a épuisé ses numéros d'appareils : créez un nouveau site pour continuer."


EMPTY_SITE_NAME = "Le nom du site ne peut pas être vide."


UI_SITES = {
    "nav_sites": "Sites et prix",
    "sites_title": "Sites",
    "new_site": "Nouveau site",
    "site_code": "Code du site",
    "site_code_hint": "1 à 4 lettres ou chiffres, au début de chaque code d'appareil (LYO-000123-K) : il ne change plus ensuite.",
    "site_name": "Nom du site",
    "site_address": "Adresse",
    "label_template": "Étiquettes imprimées par défaut",
    "save_site": "Enregistrer le site",
    "create_site": "Créer le site",
    "site_saved": "Site enregistré.",
    "no_site": "Aucun site pour l'instant.",
    "price_grid": "Grille de prix",
    "sale_settings": "Règles de vente",
}
