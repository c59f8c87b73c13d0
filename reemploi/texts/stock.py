"""Stock: locations, moves and audits, the stock pages."""

from __future__ import annotations

from reemploi.texts.lifecycle import STATES

# --- Pages and documents --------------------------------------------------------------------------

STOCK = {
    "locations": "Emplacements",
    "new_location": "Nouvel emplacement",
    "code": "Code",
    "label": "Description",
    "devices": "Appareils",
    "move": "Ranger des appareils",
    "move_help": "Scannez l'emplacement, puis chaque appareil ; validez quand c'est fini.",
    "moved": "appareil(s) rangé(s) en",
    "audit": "Inventaire d'un emplacement",
    "audit_help": "Scannez tous les appareils présents sur l'emplacement, puis validez.",
    "expected": "Attendus",
    "found": "Trouvés",
    "missing": "Manquants",
    "unexpected": "Inattendus (enregistrés ailleurs)",
    "unknown": "Codes inconnus",
    "recorded_at": "enregistré en",
    "audits": "Derniers inventaires",
    "lots": "Lots de recyclage",
    "new_lot": "Nouveau lot",
    "eco_organism": "Éco-organisme",
    "slip": "N° de bordereau",
    "weight_kg": "Poids pesé (kg)",
    "shipped_on": "Date d'enlèvement",
    "close_lot": "Clôturer le lot",
    "open": "ouvert",
    "closed": "clôturé",
    "add_to_lot": "Ajouter au lot",
    "estimated_kg": "Poids estimé des appareils (kg)",
    "parts": "Stock de pièces",
    "add_parts": "Ajouter des pièces neuves",
    "quantity": "Quantité",
    "kind": "Type",
    "origin": "Origine",
    "from_device": "Récupérée sur",
    "proof": "Preuve de devenir (REEN)",
    "added_to_lot": "appareil(s) mis dans le lot.",
    "lot_closed": "Lot clôturé.",
    "devices_in_lot": "Appareils du lot",
    "parts_title": "Stock de pièces",
    "attestation": "Attestation de prise en charge (PDF)",
}

UI_STOCK = {
    "stock_title": "Stock prêt à la vente",
    "grade": "Grade",
    "no_grade": "sans grade",
    "stock_empty": "Aucun appareil prêt à la vente.",
}


# --- Refusals and notices -------------------------------------------------------------------------

LOCATION_CODE_SHAPE = (
    "Code d'emplacement : 1 à 40 lettres, chiffres, tirets ou points (par exemple A-03 ou BAC-12), sans espace."
)


def location_taken(code: str) -> str:
    return f"L'emplacement {code} existe déjà sur ce site."


def location_unknown(code: str) -> str:
    return f"Aucun emplacement {code} sur ce site. Créez-le d'abord (Stock → Emplacements)."


def location_id_unknown(location_id: int) -> str:
    return f"Aucun emplacement n° {location_id}."


def not_in_stock(code: str, state: str) -> str:
    return f"{code} est « {STATES.get(state, state)} » : il n'est plus en stock, il ne se range pas."


def location_other_site(code: str, location: str) -> str:
    return f"{code} appartient à un autre site que l'emplacement {location}."
