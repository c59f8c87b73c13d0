"""Erasure certificates and taking-charge attestations: what they say, and what checking one answers."""

from __future__ import annotations

# --- Names: each value of the code as people say it -----------------------------------------------

NIST_LEVELS = {"clear": "Clear (nettoyage)", "purge": "Purge", "destroy": "Destroy (destruction)"}
NIST_LEVELS_HINT = (
    "Niveaux de la norme NIST SP 800-88 : Clear = réécrire toutes les données lisibles (écrasement) ; "
    "Purge = effacement cryptographique ou par le firmware du disque, qui rend la récupération "
    "impossible même en laboratoire ; Destroy = destruction physique du support."
)

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


# --- Pages and documents --------------------------------------------------------------------------

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

UI_CERTIFICATES = {
    "verify_title": "Vérifier un certificat d'effacement",
    "verify_code": "Code du certificat",
    "verify_button": "Vérifier",
}


# --- Refusals and notices -------------------------------------------------------------------------


def nothing_erased(code: str) -> str:
    return f"Aucun effacement réussi n'est enregistré pour {code} : rien à certifier pour l'instant."


def nothing_erased_in_collection(collection_id: int) -> str:
    return f"Aucun effacement réussi n'est enregistré dans la collecte n° {collection_id} : rien à certifier."


def media_left_to_erase(code: str, labels: list[str]) -> str:
    return (
        f"{code} a encore un support non effacé ({', '.join(labels)}) : effacez-le ou détruisez-le, "
        "le certificat sera émis ensuite."
    )


def nothing_to_attest(collection_id: int) -> str:
    return (
        f"La collecte n° {collection_id} ne compte encore aucun appareil : enregistrez-les (réception ou "
        "manifeste) avant d'émettre l'attestation."
    )


def certificate_code_mistyped(code: str) -> str:
    return (
        f"Le code {code} a été mal recopié : son caractère de contrôle ne correspond pas. "
        "Vérifiez chaque caractère sur le certificat."
    )


def certificate_unknown(code: str) -> str:
    return f"Aucun certificat ne porte le code {code}. Ce document n'a pas été émis par cet atelier."


def attestation_code_shape(text: str) -> str:
    return (
        f"« {text[:60]} » n'est pas un code de document : il s'écrit EFF- (certificat d'effacement) ou ATT- "
        "(attestation de prise en charge) suivi de quatre groupes de quatre caractères et d'un caractère de "
        "contrôle, par exemple ATT-7K3M-9QXT-2HJD-4PZA-X."
    )


def verify_ok(code: str, issued: str) -> str:
    return f"Certificat {code} authentique, émis le {issued} par cet atelier. Son contenu est celui ci-dessous."


def verify_altered(code: str) -> str:
    return (
        f"Le certificat {code} existe, mais les données conservées depuis son émission ont été modifiées : "
        "ne vous y fiez pas et contactez l'atelier."
    )
