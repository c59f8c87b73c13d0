"""Every text the workshop reads, in French, in one place (another language = another table).

Identifiers stay in English in the code and the API; what a person reads comes from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

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
    "relocate": "ranger",
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
CSRF_MISSING = "Jeton anti-falsification (CSRF) absent ou incorrect : rechargez la page et recommencez."


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
OWN_DATA_ONLY = "Un compte de collectivité ne voit que les données de sa collectivité : retirez ce filtre."
TOKEN_IN_USE = "Ce jeton est celui qui fait cette demande : révoquez-le avec un autre jeton ou depuis un compte."


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
    "nav_reception": "Vente",
    "nav_reports": "Bilans",
    "collected_between": "Collectés entre le",
    "nav_stock": "Stock",
    "nav_locations": "Emplacements",
    "nav_parts": "Pièces",
    "nav_lots": "Recyclage",
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
    "medium_kind": "Type de support",
    "erasure_level": "Niveau d'effacement",
    "erasure_technique": "Technique d'effacement",
    "erasure_verification": "Vérification",
    "erasure_result": "Résultat",
    "verify_title": "Vérifier un certificat d'effacement",
    "verify_code": "Code du certificat",
    "verify_button": "Vérifier",
}

REPORT_KINDS = {
    "dmidecode": "dmidecode",
    "smartctl": "smartctl (texte)",
    "smartctl-json": "smartctl -j",
    "lshw-json": "lshw -json",
}
DRIVE_KINDS = {"hdd": "Disque dur", "ssd": "SSD", "nvme": "SSD NVMe"}


def report_serial_mismatch(report_serial: str, device_serial: str) -> str:
    return (
        f"N° de série du rapport ({report_serial}) différent de celui de l'appareil ({device_serial}) : "
        "ce rapport est-il bien celui de cette machine ? Il n'a rien modifié."
    )


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
EMPTY_SITE_NAME = "Le nom du site ne peut pas être vide."


NO_LABEL = (
    "Aucune étiquette à imprimer : indiquez au moins un code d'appareil, une collecte, "
    "ou un filtre (état, catégorie, site) qui retrouve des appareils."
)


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
    return (
        f"{name} : rapport {tool} sans « {section} » : le fichier est coupé ou incomplet. "
        "Relancez la commande et joignez sa sortie entière."
    )


NO_REPORT = (
    "Aucun rapport joint : envoyez un ou plusieurs fichiers (dmidecode, smartctl -a / -x / -j, "
    "lshw -json) dans le champ « files »."
)


def too_many_reports(count: int, maximum: int) -> str:
    return f"{count} rapports envoyés : {maximum} au plus à la fois. Envoyez-les en plusieurs fois."


def report_too_large(name: str, maximum: int) -> str:
    return f"{name[:200]} : fichier trop gros pour un rapport ({maximum // (1024 * 1024)} Mo au plus)."


# --- The sale gate, erasure and prices ----------------------------------------------------------------


def euros(cents: int) -> str:
    return f"{cents / 100:.2f} €".replace(".", ",")


def too_old_for_reuse(age: int, maximum: int, rules_source: str) -> str:
    return (
        f"Appareil de {age} ans : au-delà de {maximum} ans, il part en pièces détachées ou en recyclage, "
        f"pas en vente ({rules_source})."
    )


GATE_NOT_TESTED = "Test fonctionnel : aucun enregistré. Testez chaque fonction de la liste."
GATE_TEST_FAILED = "Test fonctionnel : le dernier a échoué. Réparez puis refaites le test."
GATE_NO_MEDIUM = (
    "Stockage : aucun support enregistré. Joignez le rapport smartctl ou ajoutez le disque, puis son effacement."
)
GATE_DESTROYED_NOT_REPLACED = (
    "Stockage : le disque d'origine a été détruit ; montez et enregistrez un disque de remplacement."
)
GATE_NOT_GRADED = "Grade : aucun (A, B ou C)."
GATE_NOT_PRICED = "Prix : aucun. Indiquez le prix de vente."
NEGATIVE_PRICE = "Le prix ne peut pas être négatif."


def gate_medium_not_erased(label: str) -> str:
    return f"Effacement : {label} n'est ni effacé ni détruit."


def gate_refused(code: str, missing: list[str]) -> str:
    return f"{code} ne peut pas être mis en vente : " + " ; ".join(missing)


def price_above_cap(price_cents: int, cap_cents: int, source: str) -> str:
    return (
        f"Prix de {euros(price_cents)} au-dessus du plafond légal de {euros(cap_cents)} pour un appareil donné "
        f"par une personne publique ({source})."
    )


def overwrite_on_flash(kind: str) -> str:
    return (
        f"Écrasement sur un support {kind} : sur la mémoire flash, l'écrasement n'atteint pas les cellules "
        "réallouées (NIST SP 800-88). Préférez ATA Secure Erase, NVMe sanitize ou l'effacement cryptographique."
    )


GRADE_NEEDED = "Indiquez le grade : A, B ou C."
BAD_PRICE = "Prix illisible : un montant en euros (par exemple 95 ou 95,50) ou un nombre entier de centimes."
BAD_BATTERY_PERCENT = "Santé de la batterie : un pourcentage entre 0 et 150."
DESTROY_IS_PHYSICAL = "Le niveau « destroy » va avec la technique « physical_destruction », et elle seule."
ERASURE_ENDS_BEFORE_START = "L'effacement se termine avant d'avoir commencé : vérifiez les heures de début et de fin."
ERASURE_IN_FUTURE = "L'effacement se termine dans le futur : vérifiez la date et l'heure de fin."
ERASURE_NEEDS_TOOL = "Indiquez l'outil d'effacement (par exemple nwipe, hdparm, nvme-cli, Blancco)."
BAD_PASSES = "Nombre de passes : entre 1 et 100."


def unknown_choice(what: str, value: str, allowed: Iterable[str]) -> str:
    return f"{what} « {str(value)[:40]} » inconnu. Choix possibles : {', '.join(allowed)}."


def unknown_checks(unknown: list[str], checks: list[str]) -> str:
    return f"Contrôles inconnus pour cette catégorie : {', '.join(unknown)}. La liste : {', '.join(checks)}."


def unanswered_checks(checks: list[str]) -> str:
    return f"Contrôles sans réponse : {', '.join(checks)}. Chacun est réussi (pass), échoué (fail) ou sans objet (na)."


def bad_outcomes(checks: list[str], outcomes: Iterable[str]) -> str:
    return f"Résultat illisible pour : {', '.join(checks)}. Résultats possibles : {', '.join(outcomes)}."


def battery_too_weak(percent: int, minimum: int) -> str:
    return f"Batterie à {percent} % de sa capacité d'origine, sous le minimum de l'atelier ({minimum} %)."


def medium_not_on_device(medium_id: int, code: str) -> str:
    return f"Le support n° {medium_id} n'appartient pas à l'appareil {code}."


def grid_above_cap(category: str, grade: str, cents: int, cap: int, source: str) -> str:
    return (
        f"Grille de prix, {CATEGORIES.get(category, category)} grade {grade} : {euros(cents)} dépasse le plafond "
        f"légal de {euros(cap)} ({source})."
    )


NAIVE_DATETIME = "Date et heure sans fuseau : écrivez-les avec leur décalage, par exemple 2026-11-26T14:30:00+01:00."


def certificate_code_mistyped(code: str) -> str:
    return (
        f"Le code {code} a été mal recopié : son caractère de contrôle ne correspond pas. "
        "Vérifiez chaque caractère sur le certificat."
    )


def certificate_unknown(code: str) -> str:
    return f"Aucun certificat ne porte le code {code}. Ce document n'a pas été émis par cet atelier."


def nothing_erased(code: str) -> str:
    return f"Aucun effacement réussi n'est enregistré pour {code} : rien à certifier pour l'instant."


def nothing_erased_in_collection(collection_id: int) -> str:
    return f"Aucun effacement réussi n'est enregistré dans la collecte n° {collection_id} : rien à certifier."


CERTIFICATE = {
    "title": "Certificat d'effacement des données",
    "number": "Certificat n°",
    "issued": "Émis le",
    "standard": "Référentiel :",
    "who": "Qui a effacé, pour qui",
    "organisation": "Atelier",
    "location": "Adresse",
    "donor": "Donateur",
    "collection": "collecte",
    "of": "du",
    "media": "Supports effacés",
    "devices": "appareil(s)",
    "serial": "n° de série",
    "medium": "Support",
    "method": "Méthode (NIST SP 800-88)",
    "tool": "Outil",
    "verification": "Vérification",
    "result": "Résultat",
    "when": "Début → fin",
    "operator": "Opérateur",
    "pending": "Appareils de la collecte sans effacement enregistré à ce jour",
    "check": "Vérifier ce certificat",
    "check_how": "Ce certificat se vérifie avec son code, ou en scannant le QR code :",
    "verifier": "Vérifié par (nom, fonction)",
    "date": "Date",
    "signature": "Signature",
}
NIST_LEVELS = {"clear": "Clear (nettoyage)", "purge": "Purge", "destroy": "Destroy (destruction)"}
TECHNIQUES = {
    "overwrite": "écrasement",
    "ata_secure_erase": "ATA Secure Erase",
    "nvme_sanitize": "NVMe Sanitize",
    "nvme_format": "NVMe Format (effacement sécurisé)",
    "crypto_erase": "effacement cryptographique",
    "factory_reset": "réinitialisation d'usine",
    "physical_destruction": "destruction physique",
}
VERIFICATIONS = {"full": "complète", "sampled": "par échantillonnage", "none": "aucune"}
ERASURE_RESULTS = {"success": "réussi", "failure": "échec"}


def verify_ok(code: str, issued: str) -> str:
    return f"Certificat {code} authentique, émis le {issued} par cet atelier. Son contenu est celui ci-dessous."


def verify_altered(code: str) -> str:
    return (
        f"Le certificat {code} existe, mais les données conservées depuis son émission ont été modifiées : "
        "ne vous y fiez pas et contactez l'atelier."
    )


CHECKS = {
    "power": "Démarrage, alimentation",
    "screen": "Écran (pixels, rétroéclairage, charnières)",
    "keyboard": "Clavier",
    "touchpad": "Pavé tactile",
    "battery": "Batterie",
    "charger": "Chargeur",
    "wifi": "Wi-Fi",
    "bluetooth": "Bluetooth",
    "webcam": "Webcam",
    "audio": "Son (haut-parleurs, micro, prise casque)",
    "usb_ports": "Ports USB",
    "video_out": "Sortie vidéo",
    "network": "Réseau filaire",
    "video_in": "Entrées vidéo",
    "stand": "Pied, réglages",
    "touch": "Écran tactile",
    "cellular": "Réseau mobile (appels, SMS, données)",
    "camera": "Appareils photo",
    "buttons": "Boutons",
    "print": "Impression",
    "paper_feed": "Alimentation papier",
    "connection": "Connexion (USB, réseau)",
    "scan": "Numérisation",
    "function": "Fonctionnement",
    "ports": "Ports",
}
OUTCOME_LABELS = {"pass": "OK", "fail": "en panne", "na": "sans objet"}
WORKBENCH = {
    "title": "Atelier",
    "missing": "Pour la mise en vente, il manque :",
    "complete": "Tout y est pour la mise en vente.",
    "test": "Test fonctionnel",
    "last_test": "Dernier test",
    "passed": "réussi",
    "failed": "échoué",
    "never": "jamais testé",
    "battery_percent": "Santé de la batterie (% de la capacité d'origine)",
    "note": "Remarque",
    "record_test": "Enregistrer le test",
    "storage": "Stockage et effacement",
    "no_medium": "Aucun support enregistré (joignez le rapport smartctl, ou ajoutez-le ci-dessous).",
    "erased": "effacé",
    "destroyed": "détruit",
    "to_erase": "à effacer",
    "replacement": "neuf (remplacement)",
    "record_erasure": "Enregistrer l'effacement",
    "started": "Début",
    "ended": "Fin",
    "tool": "Outil",
    "tool_version": "Version",
    "passes": "Passes",
    "add_medium": "Ajouter un support",
    "model": "Modèle",
    "serial": "N° de série",
    "is_replacement": "Disque neuf monté par l'atelier",
    "certificate": "Certificat d'effacement (PDF)",
    "grade": "Grade",
    "cosmetic_notes": "État esthétique (rayures, marques…)",
    "price": "Prix (€)",
    "test_recorded": "Test enregistré",
    "medium_added": "Support ajouté.",
    "erasure_recorded": "Effacement enregistré.",
    "bad_date": "Date ou heure illisible : utilisez le sélecteur (JJ/MM/AAAA HH:MM).",
}
MEDIUM_KINDS = {
    "hdd": "disque dur",
    "ssd": "SSD",
    "nvme": "SSD NVMe",
    "emmc": "mémoire interne (eMMC, UFS)",
    "other": "autre",
}

NOT_A_WHOLE_NUMBER = "Un nombre entier est attendu (chiffres seulement)."

# --- Exits, repairs and parts, recycling lots, stock, donor documents --------------------------------

PART_KINDS = {
    "ram": "Mémoire vive",
    "storage": "Disque, SSD",
    "battery": "Batterie",
    "charger": "Chargeur",
    "screen": "Dalle d'écran",
    "keyboard": "Clavier",
    "motherboard": "Carte mère",
    "power_supply": "Alimentation",
    "fan": "Ventilateur",
    "case": "Coque, châssis",
    "cable": "Câble, nappe",
    "other": "Autre",
}
PART_ORIGINS = {"new": "neuve", "harvested": "récupérée"}
PART_NEEDS_DESCRIPTION = "Décrivez chaque pièce (par exemple « DDR4 8 Go SO-DIMM »)."
BAD_PART_QUANTITY = "Quantité de pièces : un nombre entier entre 1 et 10 000."
REPAIR_NEEDS_ACTIONS = "Décrivez ce qui a été fait (par exemple « remplacement du clavier, nettoyage du ventilateur »)."
BAD_MINUTES = "Temps passé : un nombre entier de minutes entre 0 et 6 000."


def part_unknown(part_id: int) -> str:
    return f"Aucune pièce n° {part_id} dans le stock de pièces."


def part_other_site(part_id: int, code: str) -> str:
    return f"La pièce n° {part_id} est dans le stock d'un autre site que l'appareil {code} : transférez-la d'abord."


def part_short(part_id: int, description: str, left: int, wanted: int) -> str:
    return (
        f"Pièce n° {part_id} ({description}) : il en reste {left}, il en faut {wanted}. "
        "Ajoutez des pièces au stock ou corrigez la quantité."
    )


def repair_needs_repair_state(code: str, state: str) -> str:
    return (
        f"{code} est « {STATES.get(state, state)} » : une réparation s'enregistre sur un appareil « en réparation ». "
        "Envoyez-le d'abord en réparation."
    )


def dismantle_refused(code: str, state: str) -> str:
    return f"{code} est « {STATES.get(state, state)} » : il ne peut plus être démonté."


ECO_ORGANISM_NEEDED = "Indiquez l'éco-organisme ou le prestataire de traitement (par exemple ecosystem, Ecologic)."
LOT_EMPTY = "Le lot est vide : ajoutez-y au moins un appareil avant de le clôturer."
LOT_CLOSE_NEEDS = (
    "Pour clôturer un lot, indiquez le n° du bordereau de suivi, le poids pesé (kg) et la date d'enlèvement."
)
NO_CODES = "Aucun code : scannez ou saisissez au moins un code d'appareil."


def lot_unknown(lot_id: int) -> str:
    return f"Aucun lot de recyclage n° {lot_id}."


def lot_closed(lot_id: int, slip: str) -> str:
    return f"Le lot n° {lot_id} est clôturé (bordereau {slip}) : ouvrez un nouveau lot pour ces appareils."


def lot_other_site(code: str, lot_id: int) -> str:
    return f"{code} n'est pas sur le site du lot n° {lot_id} : un lot part d'un seul site."


def deee_mismatch(code: str, category: int, lot_category: int) -> str:
    return (
        f"{code} relève de la catégorie DEEE {category}, le lot de la catégorie {lot_category} : "
        "mettez-le dans un lot de sa catégorie."
    )


def codes_repeated(codes: list[str]) -> str:
    return f"Codes scannés deux fois : {', '.join(codes)}. Chaque appareil ne compte qu'une fois."


def too_many_codes(count: int, maximum: int) -> str:
    return f"{count} codes d'un coup : c'est au plus {maximum}. Procédez en plusieurs fois."


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


ATTESTATION = {
    "title": "Attestation de prise en charge",
    "number": "Attestation n°",
    "issued": "Émise le",
    "workshop": "Preneur (atelier de réemploi)",
    "donor": "Donateur",
    "collection": "Collecte n°",
    "collected_on": "collectée le",
    "devices": "Équipements pris en charge",
    "count": "équipement(s)",
    "code": "Code atelier",
    "category": "Type",
    "deee": "DEEE",
    "model": "Marque et modèle",
    "serial": "N° de série",
    "asset_tag": "N° d'inventaire",
    "commitments": "Engagements du preneur",
    "check": "Vérifier cette attestation",
    "check_how": "Cette attestation se vérifie avec son code, ou en scannant le QR code :",
    "signature": "Pour l'atelier (nom, fonction, signature)",
    "donor_signature": "Pour le donateur (nom, fonction, signature)",
}


def nothing_to_attest(collection_id: int) -> str:
    return (
        f"La collecte n° {collection_id} ne compte encore aucun appareil : enregistrez-les (réception ou "
        "manifeste) avant d'émettre l'attestation."
    )


def attestation_code_shape(text: str) -> str:
    return (
        f"« {text[:60]} » n'est pas un code de document : il s'écrit EFF- (certificat d'effacement) ou ATT- "
        "(attestation de prise en charge) suivi de quatre groupes de quatre caractères et d'un caractère de "
        "contrôle, par exemple ATT-7K3M-9QXT-2HJD-4PZA-X."
    )


OUTCOMES = {
    "reused": "réemployé",
    "in_progress": "en cours de traitement",
    "dismantled": "démonté pour pièces",
    "recycled": "recyclé",
    "returned_to_donor": "rendu au donateur",
    "lost": "perdu",
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
ERASURE_STATUS = {
    "erased": "effacé",
    "destroyed": "détruit",
    "none": "aucun support effacé",
    "not_needed": "sans objet",
}
BAD_PERIOD = "Période : la date de fin précède la date de début."
PERIOD_TOO_LONG = "Période : au plus 10 ans d'un coup."
PERIOD_OUT_OF_RANGE = "Période invraisemblable : ses dates doivent être entre l'an 2000 et 2100."
YES_NO = {True: "oui", False: "non"}

EXITS = {
    "title": "Sorties",
    "dismantle": "Démonter pour pièces",
    "parts_harvested": "Pièces récupérées (une par ligne : type ; description ; quantité)",
    "return_to_donor": "Rendre au donateur",
    "recycle": "Mettre dans un lot de recyclage",
    "lot": "Lot",
    "dismantled": "Appareil démonté ; pièces au stock",
    "repair": "Réparation",
    "actions": "Ce qui a été fait",
    "minutes": "Temps passé (minutes)",
    "parts_used": "Pièces utilisées",
    "record_repair": "Enregistrer la réparation",
    "finish_repair": "Réparation terminée : retour au test",
    "repair_recorded": "Réparation enregistrée.",
    "no_parts": "Aucune pièce disponible sur ce site.",
    "weight": "Poids",
    "estimated": "estimé",
}
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
BAD_WEIGHT = "Poids illisible : un nombre de kilogrammes, par exemple 7,2."
BAD_DAY = "Date illisible : utilisez le sélecteur de date (JJ/MM/AAAA)."

# --- Reception: beneficiaries, till, sales, receipts ---------------------------------------------

ELIGIBILITY_REASONS = {
    "rsa": "RSA",
    "aah": "AAH",
    "ass": "ASS",
    "css": "Complémentaire santé solidaire",
    "student_grant": "Bourse étudiante",
    "jobseeker": "Demandeur d'emploi",
    "low_income": "Faibles ressources (évaluation)",
    "other": "Autre",
}
AGE_BANDS = {
    "under_18": "moins de 18 ans",
    "18_25": "18-25 ans",
    "26_44": "26-44 ans",
    "45_64": "45-64 ans",
    "65_plus": "65 ans et plus",
}
PAYMENT_METHODS = {
    "cash": "Espèces",
    "card": "Carte bancaire",
    "cheque": "Chèque",
    "transfer": "Virement",
    "voucher": "Bon / chèque solidaire",
}
BENEFICIARY_ANONYMISED = "Ce bénéficiaire a été anonymisé : il ne peut plus acheter. Créez une nouvelle fiche."
BENEFICIARY_NEEDS_NAME = "Indiquez le nom du bénéficiaire."
BENEFICIARY_NEEDS_VERIFIER = "Indiquez qui a vérifié l'éligibilité (nom de la personne ou de la structure)."
BAD_COMMUNE = "Code INSEE de commune : 5 caractères, par exemple 69266 (Villeurbanne) ou 2A004."
PAYMENT_NOT_POSITIVE = "Chaque paiement doit être d'un montant positif."
VOUCHER_NEEDS_REFERENCE = "Un paiement par bon demande la référence du bon."
NO_TILL_OPEN = "La caisse de ce site est fermée : ouvrez-la (comptage du fond de caisse) avant d'encaisser."
TILL_ALREADY_OPEN = "Une caisse est déjà ouverte sur ce site : fermez-la avant d'en ouvrir une autre."
DONATION_HAS_NO_PAYMENT = "Un don n'a ni prix ni paiement : retirez les paiements, ou faites une vente."
SALE_NEEDS_DEVICES = "Scannez au moins un appareil prêt à la vente."
MOVEMENT_NEEDS_REASON = "Indiquez la raison de l'entrée ou de la sortie d'espèces."


def eligibility_expired(until: date | None) -> str:
    when = f"a expiré le {until.strftime('%d/%m/%Y')}" if until else "n'a pas de date de validité"
    return (
        f"Éligibilité : elle {when}. Faites vérifier à nouveau les justificatifs et mettez à jour la date "
        "de validité de la fiche."
    )


def quota_reached(categories: list[str], bought: dict[str, int], quota: int, months: int) -> str:
    listed = ", ".join(f"{CATEGORIES.get(c, c)} (déjà {bought[c]})" for c in categories)
    return (
        f"Quota atteint : {quota} appareil(s) par catégorie sur {months} mois — {listed}. "
        "Pour passer outre, écrivez la raison (elle est conservée avec la vente)."
    )


def payments_do_not_add_up(paid: int, total: int) -> str:
    return f"Les paiements font {euros(paid)} pour un total de {euros(total)} : ajustez les montants."


def not_for_sale(code: str, state: str) -> str:
    return f"{code} est « {STATES.get(state, state)} » : seul un appareil prêt à la vente (ou réservé) se vend."


def device_without_price(code: str) -> str:
    return f"{code} n'a pas de prix : classez-le et fixez son prix avant de le vendre."


def till_closed(session_id: int) -> str:
    return f"La caisse n° {session_id} est fermée : plus rien ne peut y être enregistré."


def beneficiary_unknown(beneficiary_id: int) -> str:
    return f"Aucun bénéficiaire n° {beneficiary_id}."


def sale_unknown(sale_id: int) -> str:
    return f"Aucune vente n° {sale_id}."


def till_unknown(session_id: int) -> str:
    return f"Aucune caisse n° {session_id}."


def likely_duplicates(numbers: list[str]) -> str:
    return f"Fiche(s) au même nom déjà enregistrée(s) : {', '.join(numbers)}. Vérifiez qu'il ne s'agit pas de la même personne."


RECEIPT = {
    "title": "Ticket de vente",
    "donation_title": "Bon de don",
    "number": "N°",
    "date": "Date",
    "beneficiary": "Bénéficiaire",
    "device": "Appareil",
    "serial": "n° de série",
    "grade": "grade",
    "price": "Prix TTC",
    "total": "Total TTC",
    "payments": "Paiements",
    "seller": "Vendeur",
    "reconditioned": "Appareil reconditionné : toutes ses fonctions ont été testées et les données des précédents "
    "utilisateurs effacées (Code de la consommation, art. R.122-4).",
    "thanks": "Merci, et bon usage !",
    "ht": "dont montant HT",
    "vat": "dont TVA",
}


def guarantee_mention(years: int, months: int, source: str) -> str:
    return (
        f"Garantie légale de conformité : {years} ans à compter de la délivrance ; pour un bien d'occasion, le "
        f"défaut est présumé exister à la délivrance s'il apparaît dans les {months} mois ({source})."
    )


RECEPTION = {
    "title": "Accueil — vente solidaire",
    "sell_at_desk": "Vendre ou donner à l'accueil",
    "past_tills": "Caisses et rapports Z",
    "site": "Site",
    "till": "Caisse",
    "till_closed": "La caisse est fermée.",
    "open_till": "Ouvrir la caisse",
    "float": "Fond de caisse compté (€)",
    "till_open": "Caisse ouverte depuis",
    "by": "par",
    "expected": "Attendu",
    "counted": "Compté",
    "close_till": "Fermer la caisse",
    "cash_in_out": "Entrée / sortie d'espèces",
    "cash_in": "Entrée",
    "cash_out": "Sortie",
    "reason": "Raison",
    "record": "Enregistrer",
    "basket": "1. Appareils",
    "scan": "Scanner un appareil",
    "add": "Ajouter",
    "remove": "Retirer",
    "empty_basket": "Aucun appareil : scannez l'étiquette d'un appareil prêt à la vente.",
    "who": "2. Bénéficiaire",
    "search": "Nom ou numéro",
    "find": "Chercher",
    "choose": "Choisir",
    "change": "Changer",
    "nobody": "Personne trouvé : vérifiez l'orthographe, ou créez la fiche.",
    "new_beneficiary": "Nouvelle fiche bénéficiaire",
    "eligible_until": "éligible jusqu'au",
    "pay": "3. Paiement",
    "method": "Moyen de paiement",
    "amount": "Montant (€)",
    "reference": "Référence (bon, chèque)",
    "second_payment": "Second moyen de paiement (facultatif)",
    "donation": "Don (gratuit, sans paiement)",
    "override": "Passer outre le quota : raison écrite (facultatif)",
    "sell": "Encaisser et imprimer le ticket",
    "done": "Vente enregistrée",
    "receipt_a4": "Ticket A4 (PDF)",
    "receipt_80": "Ticket 80 mm (PDF)",
    "next_sale": "Nouvelle vente",
    "total": "Total",
    "create": "Créer la fiche",
    "name": "Nom et prénom",
    "contact": "Téléphone ou e-mail (facultatif)",
    "commune": "Commune (code INSEE)",
    "age_band": "Tranche d'âge",
    "reason_label": "Motif d'éligibilité",
    "verified_by": "Vérifié par",
    "until": "Valable jusqu'au",
    "referrer": "Structure prescriptrice",
    "referred_on": "Date de la prescription",
    "duplicate_warning": "Attention",
    "bad_amount": "Montant illisible : en euros, par exemple 95 ou 95,50.",
}
RETURN_NEEDS_REASON = "Indiquez la panne constatée ou la raison du retour."
EXCHANGE_HAS_NO_REFUND = "Un échange ne rembourse rien : retirez les remboursements, ou choisissez « remboursement »."
REFUND_NEEDS_PAYMENT = "Indiquez comment le remboursement est fait (moyen et montant)."


def guarantee_over(receipt: str, years: int) -> str:
    return (
        f"La vente {receipt} date de plus de {years} ans : la garantie légale de conformité est échue. "
        "Un geste commercial se fait hors de ce retour."
    )


def not_in_sale(code: str, receipt: str) -> str:
    return f"{code} ne fait pas partie de la vente {receipt}."


def already_returned(code: str) -> str:
    return f"{code} a déjà été rendu pour cette vente."


def refund_too_high(refund: int, worth: int) -> str:
    return f"Le remboursement ({euros(refund)}) dépasse le prix payé pour ces appareils ({euros(worth)})."


TILL_REPORT = {
    "z": "Rapport Z — caisse",
    "x": "Rapport X (caisse ouverte)",
    "opened": "Ouverte le",
    "closed": "fermée le",
    "still_open": "toujours ouverte",
    "float": "fond de caisse",
    "totals": "Par moyen de paiement",
    "taken": "Encaissé",
    "sales": "Ventes et dons",
    "refunds": "Remboursements (avoirs)",
    "movements": "Entrées et sorties d'espèces",
}
BAD_SIRET = "SIRET invalide : 14 chiffres dont le dernier est une clé de contrôle (voir l'avis de situation INSEE)."
BAD_QUOTA = "Quota : de 0 à 100 appareils par catégorie, sur 1 à 120 mois."


def step_done_elsewhere(code: str, action: str) -> str:
    where = {
        "return_under_warranty": "depuis la vente (poste « Vente », ou POST /api/v1/sales/{id}/returns)",
        "dismantle": "avec les pièces récupérées (fiche de l'appareil, ou POST /api/v1/devices/{code}/dismantle)",
        "recycle": "en le mettant dans un lot de recyclage (Recyclage, ou POST /api/v1/recycling-lots/{id}/devices)",
        "sell_to_organisation": "sur facture (POST /api/v1/invoices)",
        "grade": "à l'établi, avec sa note et son prix (fiche de l'appareil, ou POST /api/v1/devices/{code}/grade)",
        "put_on_sale": "à l'établi, une fois tout contrôlé (fiche de l'appareil, ou POST /api/v1/devices/{code}/put-on-sale)",
    }.get(action, "à l'accueil (poste « Vente », ou POST /api/v1/sales) : le bénéficiaire, le paiement et le ticket")
    return f"{code} : « {ACTIONS.get(action, action)} » ne se fait pas comme une simple étape, mais {where}."


ERASURE_DATE_RANGE = "Date de l'effacement invraisemblable : elle doit être entre 2000 et 2100."


def media_left_to_erase(code: str, labels: list[str]) -> str:
    return (
        f"{code} a encore un support non effacé ({', '.join(labels)}) : effacez-le ou détruisez-le, "
        "le certificat sera émis ensuite."
    )


BUYER_NOT_ORGANISATION = (
    "Une vente sur facture se fait à une organisation (collectivité, entreprise, association), pas à un particulier."
)
INVOICE = {
    "invoice": "Facture",
    "quote": "Devis",
    "date": "Date",
    "due": "échéance",
    "valid_until": "valable jusqu'au",
    "order": "Bon de commande",
    "seller": "Vendeur",
    "buyer": "Acheteur",
    "product_type": "Type de produit (AGEC, art. 58)",
    "ht": "HT",
    "vat": "TVA",
    "ttc": "TTC",
    "total": "Total",
    "refurbished": "reconditionné",
    "agec": (
        "Biens issus du réemploi : à déclarer au titre de l'article 58 de la loi AGEC (n° 2020-105), au montant HT, "
        "sous le type de produit indiqué."
    ),
    "late": (
        "Paiement à {days} jours. En cas de retard : pénalités au taux légal et indemnité forfaitaire de 40 € pour "
        "frais de recouvrement (Code de commerce, art. L.441-10)."
    ),
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
    "table_csv": "CSV",
    "list": "voir les appareils",
    "nothing": "Rien sur cette période.",
    "as_of": "Situation au",
    "none": "—",
    "whole": "Tout l'atelier",
}


def receipt_shape(text: str) -> str:
    return f"« {text[:40]} » n'est pas un n° de ticket : il s'écrit année-numéro, par exemple 2026-000042 (FA-2026-000001 pour une facture)."


def receipt_unknown(code: str) -> str:
    return f"Aucune vente ne porte le n° {code}."


RETURNS = {
    "title": "Retour sous garantie",
    "receipt": "N° du ticket",
    "find": "Chercher",
    "devices": "Appareils rendus",
    "outcome": "Issue",
    "refund": "Remboursement",
    "exchange": "Échange (pas de remboursement)",
    "amount": "Montant remboursé (€)",
    "method": "Moyen",
    "reason": "Panne constatée",
    "record": "Enregistrer le retour",
    "done": "Retour enregistré",
    "credit_note": "Avoir",
    "link": "Retour sous garantie",
}


def withdraw_first(code: str) -> str:
    return (
        f"{code} est en vente : retirez-le de la vente (« retirer de la vente ») avant de le tester à nouveau "
        "ou d'y ajouter un support."
    )


def serial_ambiguous(serial: str) -> str:
    return f"Plusieurs appareils portent le n° de série {serial} : scannez plutôt l'étiquette de l'atelier."
