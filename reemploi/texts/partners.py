"""Partners (donors, buyers, collectivities): their kinds and the checks on SIREN, SIRET and INSEE codes."""

from __future__ import annotations

# --- Names: each value of the code as people say it -----------------------------------------------

PARTNER_KINDS = {
    "collectivity": "collectivité",
    "company": "entreprise",
    "association": "association",
    "individual": "particulier",
}


# --- Refusals and notices -------------------------------------------------------------------------


def siret_taken(siret: str, partner_id: int) -> str:
    return f"Le SIRET {siret} est déjà celui du partenaire n° {partner_id}."


def invalid_siren(value: str) -> str:
    return f"SIREN « {value} » invalide : 9 chiffres dont le dernier est une clé de Luhn. Vérifiez sur l'avis de situation INSEE."


def invalid_siret(value: str) -> str:
    return f"SIRET « {value} » invalide : 14 chiffres dont le dernier est une clé de Luhn. Vérifiez sur l'avis de situation INSEE."


BAD_SIRET = "SIRET invalide : 14 chiffres dont le dernier est une clé de contrôle (voir l'avis de situation INSEE)."


def siret_siren_mismatch(siret: str, siren: str) -> str:
    return f"Le SIRET {siret} ne commence pas par le SIREN {siren} : l'un des deux est faux."


def invalid_insee(value: str) -> str:
    return f"Code INSEE « {value} » invalide : 5 caractères, par exemple 75056, 2A004 ou 97411."


def collectivity_needs(field: str) -> str:
    return f"Une collectivité doit avoir un {field} : il sert aux déclarations AGEC et REEN."


COLLECTIVITY_NEEDS_SIREN = collectivity_needs("SIREN ou SIRET")

COLLECTIVITY_NEEDS_INSEE = collectivity_needs("code INSEE")


def unknown_commune(code: str) -> str:
    return (
        f"Le code INSEE « {code} » n'est celui d'aucune commune actuelle : vérifiez-le sur le Code officiel "
        "géographique (une commune fusionnée a pris le code de la commune nouvelle)."
    )


PARTNER_NAME_NEEDED = "Donnez le nom du partenaire : raison sociale, nom de la collectivité ou de la personne."

PICK_PARTNER_KIND = "Choisissez le type de partenaire : collectivité, entreprise, association ou particulier."

UI_PARTNERS = {
    "nav_partners": "Partenaires",
    "partners_title": "Partenaires",
    "new_partner": "Nouveau partenaire",
    "edit_partner": "Modifier le partenaire",
    "partner_kind": "Type",
    "partner_name": "Nom",
    "siren": "SIREN",
    "siret": "SIRET (facultatif)",
    "siren_hint": "9 chiffres, sur l'avis de situation INSEE ; un SIRET suffit, son début est le SIREN.",
    "insee_code": "Code INSEE de la collectivité",
    "insee_hint": "Celui de la commune, ou du département (69, 2A, 974) ; une commune compte dans son propre territoire.",
    "communes": "Communes du territoire",
    "communes_hint": "Ses habitants comptent dans ses rapports. Cherchez une commune par son nom et cochez-la, "
    "ou collez des codes INSEE (un par ligne, ou séparés par des espaces ou des virgules).",
    "find_commune": "Chercher une commune (nom ou début du code)",
    "pasted_communes": "Codes INSEE collés",
    "no_commune_found": "Aucune commune de ce nom.",
    "unknown_commune": "code inconnu",
    "address": "Adresse",
    "contact_name": "Personne à contacter",
    "email": "Courriel",
    "phone": "Téléphone",
    "save_partner": "Enregistrer le partenaire",
    "partner_saved": "Partenaire enregistré.",
    "search_partners": "Chercher (nom, SIREN ou SIRET)",
    "search": "Chercher",
    "no_partner": "Aucun partenaire pour l'instant.",
    "no_partner_found": "Aucun partenaire ne correspond à cette recherche.",
    "partners_count": "partenaire(s)",
    "edit": "Modifier",
    "collection_for_donor": "Nouvelle collecte de ce donateur",
}
