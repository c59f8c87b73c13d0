"""Labels: the label stocks by name, the printing page, why a print is refused."""

from __future__ import annotations

from collections.abc import Iterable

# --- Names: each value of the code as people say it -----------------------------------------------

TEMPLATES = {  # label stocks, as people know them
    "brother-ql-62x29": "Brother QL — 62 × 29 mm",
    "dymo-11354": "Dymo LabelWriter 11354 — 57 × 32 mm",
    "zebra-2.25x1.25in-203dpi": "Zebra 2,25 × 1,25 po (57 × 32 mm), 203 dpi",
    "zebra-2.25x1.25in-300dpi": "Zebra 2,25 × 1,25 po (57 × 32 mm), 300 dpi",
    "avery-l7160": "Avery L7160 — planche A4 de 21 (63,5 × 38,1 mm)",
    "avery-l7163": "Avery L7163 — planche A4 de 14 (99,1 × 38,1 mm)",
}


# --- Pages and documents --------------------------------------------------------------------------

UI_LABELS = {
    "print_label": "Imprimer l'étiquette",
    "print_all_labels": "Imprimer toutes les étiquettes de cette collecte",
    "label_options": "Autre modèle…",
    "labels_title": "Imprimer des étiquettes",
    "labels_codes": "Codes scannés (un par ligne)",
    "labels_codes_hint": "Scannez les appareils les uns après les autres : chaque code va à la ligne. "
    "Ou choisissez une collecte, un état, une catégorie : tous les appareils qui y répondent.",
    "labels_collection": "N° de collecte",
    "labels_template": "Modèle d'étiquette",
    "labels_default_template": "Par défaut (le mien, sinon celui du site)",
    "labels_skip": "Planche A4 entamée : étiquettes déjà utilisées",
    "labels_skip_hint": "Les premières étiquettes de la planche restent vides ; l'impression commence à la suivante "
    "(de gauche à droite, de haut en bas). Imprimez à 100 %, sans « ajuster à la page ».",
    "labels_qr": "Ajouter un QR code vers la fiche de l'appareil",
    "labels_print": "Imprimer (PDF)",
    "labels_my_template": "Mon modèle habituel",
    "labels_site_default": "Celui du site",
    "labels_save": "Enregistrer mon choix",
    "labels_saved": "Votre modèle habituel est enregistré.",
    "print_these_labels": "Imprimer les étiquettes de cette liste",
}


# --- Refusals and notices -------------------------------------------------------------------------


def unknown_label_template(name: str, known: Iterable[str]) -> str:
    return f"Modèle d'étiquette « {name[:60]} » inconnu. Modèles disponibles : {', '.join(known)}."


def bad_label_skip(template: str, skip: int, room: int) -> str:
    if room == 1:
        return (
            f"Le modèle {template} s'imprime sur rouleau, une étiquette à la fois : pas d'étiquettes à sauter "
            f"(demandé : {skip}). Le décalage ne sert qu'aux planches A4."
        )
    return (
        f"Décalage de {skip} impossible sur une planche {template} de {room} étiquettes : indiquez combien "
        f"d'étiquettes sont déjà utilisées, de 0 à {room - 1}."
    )


NO_PREFERENCE_FOR_TOKEN = (
    "Un jeton d'API n'a pas de préférences : indiquez le modèle (template=…) à chaque demande d'étiquettes."
)

NO_LABEL = (
    "Aucune étiquette à imprimer : indiquez au moins un code d'appareil, une collecte, "
    "ou un filtre (état, catégorie, site) qui retrouve des appareils."
)


def too_many_labels(count: int, maximum: int) -> str:
    return f"{count} étiquettes demandées : {maximum} au plus par fichier. Imprimez par collecte ou par lot."
