"""The workshop's sites: why one cannot be created, named or numbered further."""

from __future__ import annotations


def site_code_taken(code: str) -> str:
    return f"Le code de site « {code} » est déjà pris : choisissez-en un autre (1 à 4 lettres ou chiffres)."


def site_sequence_exhausted(code: str) -> str:
    return f"Le site {code} a épuisé ses numéros d'appareils : créez un nouveau site pour continuer."


EMPTY_SITE_NAME = "Le nom du site ne peut pas être vide."
