"""The pages' forms: the name a person reads for each field, and why a typed value is refused."""

from __future__ import annotations

# What a form field is called where it is refused, by the field's name in the pages' forms (one name
# means one thing in every form).
FORM_FIELDS = {
    "site_id": "Site",
    "location_id": "Emplacement",
    "lot_id": "Lot",
    "medium_id": "Support de stockage",
    "part_id": "Pièce",
    "part_quantity": "Quantité de pièces",
    "till_id": "Caisse",
    "donor_id": "Donateur",
    "deee_category": "Catégorie DEEE",
    "quantity": "Quantité",
    "minutes": "Durée (minutes)",
    "passes": "Nombre de passes",
    "battery_percent": "Batterie (%)",
    "float": "Fond de caisse",
    "amount": "Montant",
    "amount2": "Montant 2",
    "counted_cash": "Espèces comptées",
    "counted_card": "Carte bancaire comptée",
    "counted_cheque": "Chèques comptés",
    "counted_transfer": "Virements comptés",
    "counted_voucher": "Bons comptés",
    "weight_kg": "Poids",
    "declared_weight_kg": "Poids annoncé",
    "collected_on": "Date de la collecte",
    "shipped_on": "Date d'enlèvement",
    "eligible_until": "Éligible jusqu'au",
    "referred_on": "Orienté le",
    "codes": "Codes scannés",
    "name": "Nom",
    "contact": "Contact",
    "referrer": "Orienté par",
    "eligibility_verified_by": "Éligibilité vérifiée par",
    "reference": "Référence",
    "reference2": "Référence 2",
    "reason": "Raison",
    "quota_override": "Dérogation",
    "note": "Note",
    "notes": "Notes",
    "actions": "Travaux faits",
    "parts": "Pièces récupérées",
    "model": "Modèle",
    "serial": "N° de série",
    "tool": "Outil",
    "tool_version": "Version de l'outil",
    "description": "Description",
    "label": "Libellé",
    "code": "Code",
    "slip_number": "N° de bordereau",
    "pickup_address": "Adresse d'enlèvement",
    "replacement": "Support de remplacement",
    "finished": "Réparation terminée",
    "donation": "Don",
}


def field_refused(field: str, refusal: str) -> str:
    """A refused form field: which field (unless the refusal starts with it), what is wrong, what to type."""
    return refusal if refusal.startswith(field) else f"{field} — {refusal}"


def text_too_long(max_length: int) -> str:
    return f"Texte trop long : {max_length} caractères au plus."


BAD_CHECKBOX = "Case à cocher illisible : cochez-la ou laissez-la vide."

UNREADABLE_FIELD = "Valeur illisible : corrigez ce champ."
