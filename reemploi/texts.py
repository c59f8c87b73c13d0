"""Every text the workshop reads, in French, in one place (another language = another table).

Identifiers stay in English in the code and the API; what a person reads comes from here.
"""

from __future__ import annotations

from collections.abc import Iterable

STATES = {
    "collected": "collecté",
    "received": "réceptionné",
    "diagnosis": "en diagnostic",
    "repair": "en réparation",
    "erasure": "en effacement des données",
    "graded": "testé et classé",
    "ready": "prêt à la vente",
    "reserved": "réservé",
    "sold": "vendu",
    "donated": "donné",
    "sold_to_organisation": "vendu à une organisation",
    "returned": "retourné sous garantie",
    "dismantled": "démonté pour pièces",
    "recycled": "recyclé",
    "returned_to_donor": "rendu au donateur",
    "lost": "perdu",
}

ACTIONS = {
    "register": "enregistrer",
    "receive": "réceptionner",
    "start_diagnosis": "diagnostiquer",
    "send_to_repair": "envoyer en réparation",
    "finish_repair": "terminer la réparation",
    "start_erasure": "effacer les données",
    "grade": "classer",
    "put_on_sale": "mettre en vente",
    "withdraw_from_sale": "retirer de la vente",
    "reserve": "réserver",
    "release": "libérer la réservation",
    "sell": "vendre",
    "donate": "donner",
    "sell_to_organisation": "vendre à une organisation",
    "return_under_warranty": "reprendre sous garantie",
    "dismantle": "démonter pour pièces",
    "recycle": "recycler",
    "return_to_donor": "rendre au donateur",
    "declare_lost": "déclarer perdu",
}

CATEGORIES = {
    "laptop": "ordinateur portable",
    "desktop": "ordinateur fixe",
    "all_in_one": "tout-en-un",
    "screen": "écran",
    "tablet": "tablette",
    "smartphone": "smartphone",
    "printer": "imprimante",
    "multifunction_printer": "imprimante multifonction",
    "peripheral": "périphérique",
    "network": "matériel réseau",
    "other": "autre",
}

PARTNER_KINDS = {
    "collectivity": "collectivité",
    "company": "entreprise",
    "association": "association",
    "individual": "particulier",
}


def _list(words: Iterable[str]) -> str:
    words = [f"« {w} »" for w in words]
    if not words:
        return "aucune"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " ou " + words[-1]


# Problem titles (RFC 9457 "title"): short, one per kind of problem.
TITLES = {
    "not-found": "Introuvable",
    "transition-not-allowed": "Étape impossible depuis l'état actuel",
    "edit-conflict": "Modifié entre-temps par quelqu'un d'autre",
    "invalid-input": "Données invalides",
    "mistyped-code": "Code mal saisi",
    "manifest-invalid": "Manifeste refusé",
    "duplicate": "Existe déjà",
    "payload-too-large": "Fichier trop volumineux",
    "internal-error": "Erreur interne",
    "bad-request": "Requête invalide",
    "method-not-allowed": "Méthode non autorisée",
    "unsupported-media-type": "Format non pris en charge",
    "not-authenticated": "Connexion requise",
    "forbidden": "Action non permise",
    "too-many-requests": "Trop de tentatives",
    "login-failed": "Connexion refusée",
}


def transition_not_allowed(code: str, state: str, action: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    nexts = _list(ACTIONS[a] for a in allowed)
    tail = f"étapes possibles : {nexts}." if allowed else "aucune étape n'est possible depuis cet état."
    return f"L'appareil {code} est « {STATES[state]} » : impossible de « {ACTIONS[action]} » ; {tail}"


def edit_conflict(code: str, state: str, version: int) -> str:
    return (
        f"L'appareil {code} vient d'être modifié par quelqu'un d'autre (il est maintenant "
        f"« {STATES[state]} », version {version}). Rechargez sa fiche puis recommencez si besoin."
    )


def device_not_found(code: str) -> str:
    return f"Aucun appareil n'a le code {code}. Vérifiez le code ou scannez l'étiquette."


def scan_unknown(text: str) -> str:
    return (
        f"« {text} » ne correspond à aucun appareil (ni code, ni numéro de série, ni étiquette du "
        "donateur). Enregistrez cet appareil s'il est nouveau."
    )


def scan_empty() -> str:
    return (
        "Rien n'a été scanné (seulement des espaces). Placez le curseur dans le champ et scannez "
        "l'étiquette, ou tapez le code, le numéro de série ou l'étiquette du donateur."
    )


def value_refused_by_database() -> str:
    return (
        "Une valeur envoyée ne peut pas être enregistrée (caractère nul, nombre hors limites…). "
        "Retirez les caractères invisibles et vérifiez les nombres, puis recommencez."
    )


def scan_mistyped(text: str) -> str:
    return (
        f"« {text} » ressemble à un code d'appareil mais son caractère de contrôle (le dernier) ne "
        "correspond pas : le code a été mal saisi. Rescannez l'étiquette ou vérifiez chaque caractère."
    )


def not_found(what: str, ident: object) -> str:
    return f"{what} n° {ident} introuvable."


def unknown_reference(field: str, what: str, ident: object) -> str:
    return f"{field} : {what} n° {ident} n'existe pas. Créez-le d'abord ou corrigez le numéro."


def site_code_taken(code: str) -> str:
    return f"Le code de site « {code} » est déjà pris : choisissez-en un autre (1 à 4 lettres ou chiffres)."


def site_sequence_exhausted(code: str) -> str:
    return f"Le site {code} a épuisé ses numéros d'appareils : créez un nouveau site pour continuer."


def siret_taken(siret: str, partner_id: int) -> str:
    return f"Le SIRET {siret} est déjà celui du partenaire n° {partner_id}."


def invalid_siren(value: str) -> str:
    return f"SIREN « {value} » invalide : 9 chiffres dont le dernier est une clé de Luhn. Vérifiez sur l'avis de situation INSEE."


def invalid_siret(value: str) -> str:
    return f"SIRET « {value} » invalide : 14 chiffres dont le dernier est une clé de Luhn. Vérifiez sur l'avis de situation INSEE."


def siret_siren_mismatch(siret: str, siren: str) -> str:
    return f"Le SIRET {siret} ne commence pas par le SIREN {siren} : l'un des deux est faux."


def invalid_insee(value: str) -> str:
    return f"Code INSEE « {value} » invalide : 5 caractères, par exemple 75056, 2A004 ou 97411."


def collectivity_needs(field: str) -> str:
    return f"Une collectivité doit avoir un {field} : il sert aux déclarations AGEC et REEN."


def known_serial(serial: str, codes: Iterable[str]) -> str:
    return f"Numéro de série {serial} déjà connu : appareil(s) {', '.join(codes)}."


# --- Accounts ------------------------------------------------------------------------------------

ROLES = {
    "admin": "administration",
    "manager": "responsable d'atelier",
    "technician": "technicien·ne",
    "reception": "accueil",
    "collectivity": "collectivité",
}


def password_too_short(minimum: int) -> str:
    return (
        f"Mot de passe trop court : {minimum} caractères au moins. Une phrase de quelques mots est "
        "plus facile à retenir et plus sûre."
    )


def password_too_long(maximum: int) -> str:
    return f"Mot de passe trop long : {maximum} caractères au plus."


def password_too_guessable() -> str:
    return (
        "Mot de passe trop facile à deviner (mot courant, suite de clavier, date, nom…). "
        "Choisissez une phrase de plusieurs mots sans rapport entre eux."
    )


LOGIN_FAILED = "Identifiant ou mot de passe incorrect."


def login_throttled(seconds: int) -> str:
    return f"Trop de tentatives de connexion. Réessayez dans {seconds} s."


NOT_AUTHENTICATED = "Connexion requise : connectez-vous, ou envoyez un jeton d'API valide (Authorization: Bearer …)."
SESSION_EXPIRED = "Votre session a expiré : reconnectez-vous."
CSRF_MISSING = (
    "Jeton anti-falsification (CSRF) absent ou incorrect : rechargez la page et recommencez."
)


def forbidden(role: str) -> str:
    return f"Votre rôle ({ROLES.get(role, role)}) ne permet pas cette action. Demandez-la à un·e responsable."


def login_taken(login: str) -> str:
    return f"L'identifiant « {login} » est déjà pris."


def role_not_grantable(role: str) -> str:
    return f"Vous ne pouvez pas attribuer le rôle {ROLES.get(role, role)}."


COLLECTIVITY_NEEDS_PARTNER = (
    "Un compte de collectivité est rattaché à une collectivité partenaire : indiquez partner_id."
)
ONLY_COLLECTIVITY_HAS_PARTNER = "Seul un compte de collectivité est rattaché à un partenaire."
OWN_DATA_ONLY = (
    "Un compte de collectivité ne voit que les données de sa collectivité : retirez ce filtre."
)
TOKEN_IN_USE = (
    "Ce jeton est celui qui fait cette demande : révoquez-le avec un autre jeton ou depuis un compte."
)


# --- Pages: every text a page shows, in one place -----------------------------------------------

UI = {
    "app_name": "reemploi",
    "nav_home": "Accueil",
    "nav_scan": "Poste de scan",
    "logout": "Se déconnecter",
    "login_title": "Connexion",
    "login_field": "Identifiant",
    "password_field": "Mot de passe",
    "login_button": "Se connecter",
    "hello": "Bonjour",
    "signed_in_as": "Connecté·e en tant que",
    "scan_title": "Poste de scan",
    "scan_field": "Code, n° de série ou étiquette",
    "scan_hint": "Scannez l'étiquette (ou tapez le code puis Entrée). Le curseur revient toujours ici.",
    "scan_button": "Chercher",
    "state": "État",
    "category": "Catégorie",
    "manufacturer_model": "Marque et modèle",
    "serial": "N° de série",
    "asset_tag": "Étiquette du donateur",
    "year": "Année",
    "weight": "Poids",
    "specs": "Caractéristiques",
    "next_steps": "Étapes possibles",
    "no_next_step": "Aucune étape possible : l'appareil est sorti de l'atelier.",
    "history": "Historique",
    "when": "Quand",
    "who": "Qui",
    "what": "Quoi",
    "note": "Note",
    "several_found": "Plusieurs appareils portent cette étiquette : choisissez le bon.",
    "moved": "Étape enregistrée",
    "nav_collections": "Collectes",
    "nav_new_collection": "Nouvelle collecte",
    "collections_title": "Collectes",
    "new_collection_title": "Nouvelle collecte",
    "donor": "Donateur",
    "site": "Site",
    "collected_on": "Date de la collecte",
    "declared_weight": "Poids annoncé (kg, facultatif)",
    "pickup_address": "Adresse d'enlèvement (facultatif)",
    "notes": "Notes (facultatif)",
    "create_collection": "Créer la collecte et enregistrer ses appareils",
    "bad_date_or_weight": "Date ou poids illisible : date au format JJ/MM/AAAA, poids en kilos (par exemple 12,5).",
    "intake_title": "Réception des appareils",
    "intake_hint": "Scannez le n° de série de chaque appareil puis Entrée. La catégorie reste celle choisie "
                   "(Alt+1 à Alt+9 pour la changer).",
    "serial_field": "N° de série (scanné)",
    "asset_tag_field": "Étiquette du donateur (facultatif)",
    "register_button": "Enregistrer l'appareil",
    "pick_category": "Choisissez une catégorie.",
    "scan_serial_first": "Scannez le n° de série (ou l'étiquette du donateur) de l'appareil.",
    "devices_in_collection": "Appareils de cette collecte",
    "no_device_yet": "Aucun appareil pour l'instant.",
    "code": "Code",
    "progress": "Avancement",
    "devices_count": "Appareils",
    "open_intake": "Enregistrer des appareils",
    "no_collection": "Aucune collecte pour l'instant.",
    "camera_button": "Caméra",
    "print_label": "Imprimer l'étiquette",
    "print_all_labels": "Imprimer toutes les étiquettes de cette collecte",
    "nav_devices": "Appareils",
    "nav_stock": "Stock",
    "devices_title": "Appareils",
    "all": "tous",
    "filter": "Filtrer",
    "shown": "affichés",
    "of": "sur",
    "stock_title": "Stock prêt à la vente",
    "grade": "Grade",
    "no_grade": "sans grade",
    "stock_empty": "Aucun appareil prêt à la vente.",
    "total": "Total",
    "manifest_title": "Importer le manifeste du donateur",
    "manifest_hint": "Fichier CSV (séparateur ; ou ,) ou XLSX : n° de série, étiquette, catégorie, marque, modèle, poids. "
                     "Tout ou rien : une seule ligne fausse et rien n'est enregistré.",
    "manifest_field": "Fichier du manifeste",
    "manifest_button": "Importer",
    "manifest_imported": "appareil(s) importé(s) depuis le manifeste.",
    "line": "Ligne",
    "column": "Colonne",
    "reason": "Problème",
    "nav_labels": "Étiquettes",
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
    "hardware": "Matériel",
    "report": "Rapport",
    "what_it_says": "Ce qu'il dit",
    "memory": "Mémoire",
    "battery": "Batterie",
    "design_capacity": "capacité d'origine",
    "full_capacity": "capacité pleine charge",
    "drive": "Disque",
    "smart_passed": "SMART OK",
    "smart_failed": "SMART EN ÉCHEC",
    "reallocated": "secteurs réalloués",
    "pending": "secteurs en attente",
    "uncorrectable": "erreurs non corrigées",
    "wear": "usure",
    "no_report": "Aucun rapport matériel pour l'instant.",
    "add_reports": "Joindre des rapports (dmidecode, smartctl, lshw)",
    "send_reports": "Envoyer",
    "reports_hint": "Ou depuis la clé USB de diagnostic : sh reemploi-probe -u ADRESSE -t JETON -c CODE "
                    "(le script est à /static/reemploi-probe).",
    "reports_added": "rapport(s) joint(s).",
}

REPORT_KINDS = {"dmidecode": "dmidecode", "smartctl": "smartctl (texte)", "smartctl-json": "smartctl -j",
                "lshw-json": "lshw -json"}
DRIVE_KINDS = {"hdd": "Disque dur", "ssd": "SSD", "nvme": "SSD NVMe"}


def report_serial_mismatch(report_serial: str, device_serial: str) -> str:
    return (f"N° de série du rapport ({report_serial}) différent de celui de l'appareil ({device_serial}) : "
            "ce rapport est-il bien celui de cette machine ? Il n'a rien modifié.")

TEMPLATES = {  # label stocks, as people know them
    "brother-ql-62x29": "Brother QL — 62 × 29 mm",
    "dymo-11354": "Dymo LabelWriter 11354 — 57 × 32 mm",
    "zebra-2.25x1.25in-203dpi": "Zebra 2,25 × 1,25 po (57 × 32 mm), 203 dpi",
    "zebra-2.25x1.25in-300dpi": "Zebra 2,25 × 1,25 po (57 × 32 mm), 300 dpi",
    "avery-l7160": "Avery L7160 — planche A4 de 21 (63,5 × 38,1 mm)",
    "avery-l7163": "Avery L7163 — planche A4 de 14 (99,1 × 38,1 mm)",
}


def unknown_step(action: str) -> str:
    return f"Étape « {action} » inconnue. Rechargez la page."


def device_registered(code: str) -> str:
    return f"Appareil {code} enregistré. Scannez le suivant."


def unknown_label_template(name: str, known: Iterable[str]) -> str:
    return f"Modèle d'étiquette « {name[:60]} » inconnu. Modèles disponibles : {', '.join(known)}."


def not_an_id(field: str, value: str) -> str:
    return f"{field} : « {value[:20]} » n'est pas un numéro. Indiquez un nombre entier, ou laissez vide."


def bad_label_skip(template: str, skip: int, room: int) -> str:
    if room == 1:
        return (f"Le modèle {template} s'imprime sur rouleau, une étiquette à la fois : pas d'étiquettes à sauter "
                f"(demandé : {skip}). Le décalage ne sert qu'aux planches A4.")
    return (f"Décalage de {skip} impossible sur une planche {template} de {room} étiquettes : indiquez combien "
            f"d'étiquettes sont déjà utilisées, de 0 à {room - 1}.")


NO_PREFERENCE_FOR_TOKEN = ("Un jeton d'API n'a pas de préférences : indiquez le modèle (template=…) à chaque "
                          "demande d'étiquettes.")
EMPTY_SITE_NAME = "Le nom du site ne peut pas être vide."


NO_LABEL = ("Aucune étiquette à imprimer : indiquez au moins un code d'appareil, une collecte, "
            "ou un filtre (état, catégorie, site) qui retrouve des appareils.")


def too_many_labels(count: int, maximum: int) -> str:
    return f"{count} étiquettes demandées : {maximum} au plus par fichier. Imprimez par collecte ou par lot."


# --- Hardware reports -----------------------------------------------------------------------------

REPORT_FORMATS = "dmidecode, smartctl -a / -x (texte), smartctl -j (JSON), lshw -json"


def report_empty(name: str) -> str:
    return f"{name} : fichier vide. Relancez la collecte sur l'appareil ({REPORT_FORMATS})."


def report_not_text(name: str) -> str:
    return f"{name} : ce n'est pas un rapport texte ou JSON. Formats lus : {REPORT_FORMATS}."


def report_bad_json(name: str, line: int) -> str:
    where = f" (ligne {line})" if line else ""
    return f"{name} : JSON illisible{where}, le fichier est sans doute coupé. Recopiez-le en entier."


def report_unknown_json(name: str) -> str:
    return f"{name} : JSON qui n'est ni de smartctl -j ni de lshw -json. Formats lus : {REPORT_FORMATS}."


def report_unknown_format(name: str) -> str:
    return f"{name} : format non reconnu. Formats lus : {REPORT_FORMATS}."


def report_missing(name: str, tool: str, section: str) -> str:
    return (f"{name} : rapport {tool} sans « {section} » : le fichier est coupé ou incomplet. "
            "Relancez la commande et joignez sa sortie entière.")


NO_REPORT = ("Aucun rapport joint : envoyez un ou plusieurs fichiers (dmidecode, smartctl -a / -x / -j, "
             "lshw -json) dans le champ « files ».")


def too_many_reports(count: int, maximum: int) -> str:
    return f"{count} rapports envoyés : {maximum} au plus à la fois. Envoyez-les en plusieurs fois."


def report_too_large(name: str, maximum: int) -> str:
    return f"{name[:200]} : fichier trop gros pour un rapport ({maximum // (1024 * 1024)} Mo au plus)."
