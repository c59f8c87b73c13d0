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
