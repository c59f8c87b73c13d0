"""Reports for donors and collectivities: headings, table columns, outcomes, the proof-of-outcome CSV."""

from __future__ import annotations

# --- Names: each value of the code as people say it -----------------------------------------------

OUTCOMES = {
    "reused": "réemployé",
    "in_progress": "en cours de traitement",
    "dismantled": "démonté pour pièces",
    "recycled": "recyclé",
    "returned_to_donor": "rendu au donateur",
    "lost": "perdu",
}

ERASURE_STATUS = {
    "erased": "effacé",
    "destroyed": "détruit",
    "none": "aucun support effacé",
    "not_needed": "sans objet",
}


# --- Pages and documents --------------------------------------------------------------------------

REPORT = {
    "title": "Bilan",
    "for": "pour",
    "year": "Année",
    "partner": "Partenaire",
    "show": "Afficher",
    "given": "Ce qui a été donné",
    "given_chart": "Kilogrammes donnés par type d'appareil",
    "collections": "collecte(s)",
    "devices": "appareil(s)",
    "weighed": "pesés",
    "estimated": "estimés (poids médians)",
    "outcomes": "Ce qu'ils sont devenus",
    "outcomes_chart": "Appareils par devenir",
    "reen": "Part de réemploi (REEN, en unités)",
    "over_10": "appareil(s) de plus de 10 ans, exclus du calcul",
    "recyclers": "Recyclés, par éco-organisme",
    "erasure": "Effacement des données",
    "media_erased": "supports effacés",
    "media_destroyed": "supports détruits",
    "certificates": "certificat(s) émis",
    "purchases": "Vos achats à l'atelier (AGEC, art. 58)",
    "workshop_purchases": "Achats des organisations à l'atelier (AGEC, art. 58)",
    "workshop_residents": "Habitants équipés",
    "purchases_chart": "Montant HT par type de produit",
    "residents": "Vos habitants équipés",
    "residents_chart": "Appareils par type",
    "people": "personne(s)",
    "average_price": "prix moyen payé",
    "environment": "Impact environnemental",
    "kept": "kg évités aux déchets",
    "co2": "kg CO2e de fabrication évités",
    "factors": "Facteurs",
    "downloads": "Télécharger",
    "pdf": "Bilan (PDF)",
    "datagouv": "Déclaration data.gouv.fr (CSV)",
    "proof": "Preuve de devenir par n° de série (CSV)",
    "table": "Tableau",
    "table_csv": "CSV",
    "list": "voir les appareils",
    "nothing": "Rien sur cette période.",
    "as_of": "Situation au",
    "none": "—",
    "whole": "Tout l'atelier",
    "euros_ht": "€ HT",
}

REPORT_COLUMNS = {
    "category": "Type",
    "deee": "Catégorie DEEE",
    "devices": "Appareils",
    "weighed_devices": "Appareils pesés",
    "weighed_kg": "Poids pesé (kg)",
    "estimated_devices": "Appareils non pesés",
    "estimated_kg": "Poids estimé (kg)",
    "outcome": "Devenir",
    "product_type": "Type de produit (AGEC)",
    "ht_euros": "Montant HT (€)",
    "breakdown": "Répartition",
    "value": "Valeur",
    "age_band": "Tranche d'âge",
    "eligibility": "Motif d'éligibilité",
}

PROOF_COLUMNS = {
    "code": "Code atelier",
    "serial": "N° de série",
    "asset_tag": "N° d'inventaire",
    "category": "Type",
    "manufacturer": "Marque",
    "model": "Modèle",
    "collection_id": "Collecte",
    "collected_on": "Collecté le",
    "outcome": "Devenir",
    "outcome_on": "Date du devenir",
    "recycler": "Éco-organisme",
    "over_10_years": "Plus de 10 ans",
    "erasure": "Effacement",
    "weight_kg": "Poids (kg)",
    "weight_estimated": "Poids estimé",
}


NOT_GIVEN = "non renseigné"


def tallied(names: dict[str, str], key: str) -> str:
    """A report row's name: its value as people say it; "non renseigné" where the record left it
    empty (the tables count those under the key "unknown")."""
    return NOT_GIVEN if key == "unknown" else names.get(key, key)


def datagouv_comment(devices: int) -> str:
    """The comment of a data.gouv.fr row: the workshop knows only what was bought from it."""
    return f"{devices} appareil(s) reconditionné(s) ; montant_total à compléter avec vos autres achats"


# --- Refusals and notices -------------------------------------------------------------------------

BAD_PERIOD = "Période : la date de fin précède la date de début."

PERIOD_TOO_LONG = "Période : au plus 10 ans d'un coup."
PERIOD_OUT_OF_RANGE = "Période invraisemblable : ses dates doivent être entre l'an 2000 et 2100."
