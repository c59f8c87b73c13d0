"""Solidarity sales: beneficiaries, the till, sales and receipts, returns, invoices to organisations."""

from __future__ import annotations

from reemploi.texts.devices import CATEGORIES
from reemploi.texts.legal import AGEC_PURCHASE, LATE_PAYMENT, RECONDITIONED_DEVICE
from reemploi.texts.lifecycle import STATES

# --- Names: each value of the code as people say it -----------------------------------------------

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


# --- Pages and documents --------------------------------------------------------------------------

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
    "nobody": "Aucune personne trouvée : vérifiez l'orthographe, ou créez la fiche.",
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
    "direction": "Sens",
}

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
    "reconditioned": RECONDITIONED_DEVICE,
    "thanks": "Merci, et bon usage !",
    "ht": "dont montant HT",
    "vat": "dont TVA",
}

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
    "agec": AGEC_PURCHASE,
    "late": LATE_PAYMENT,
}


# --- Refusals: beneficiaries ----------------------------------------------------------------------

BENEFICIARY_ANONYMISED = "Ce bénéficiaire a été anonymisé : il ne peut plus acheter. Créez une nouvelle fiche."

BENEFICIARY_NEEDS_NAME = "Indiquez le nom du bénéficiaire."

BENEFICIARY_NEEDS_VERIFIER = "Indiquez qui a vérifié l'éligibilité (nom de la personne ou de la structure)."

BAD_COMMUNE = "Code INSEE de commune : 5 caractères, par exemple 69266 (Villeurbanne) ou 2A004."


def beneficiary_unknown(beneficiary_id: int) -> str:
    return f"Aucun bénéficiaire n° {beneficiary_id}."


def likely_duplicates(numbers: list[str]) -> str:
    return f"Fiche(s) au même nom déjà enregistrée(s) : {', '.join(numbers)}. Vérifiez qu'il ne s'agit pas de la même personne."


def eligibility_expired(until: str | None) -> str:
    """`until` as reemploi.formats shows a day (texts stay a leaf: they do not format)."""
    when = f"a expiré le {until}" if until else "n'a pas de date de validité"
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


BAD_QUOTA = "Quota : de 0 à 100 appareils par catégorie, sur 1 à 120 mois."


# --- Refusals: the till and the sale --------------------------------------------------------------

NO_TILL_OPEN = "La caisse de ce site est fermée : ouvrez-la (comptage du fond de caisse) avant d'encaisser."

TILL_ALREADY_OPEN = "Une caisse est déjà ouverte sur ce site : fermez-la avant d'en ouvrir une autre."


def till_closed(session_id: int) -> str:
    return f"La caisse n° {session_id} est fermée : plus rien ne peut y être enregistré."


def till_unknown(session_id: int) -> str:
    return f"Aucune caisse n° {session_id}."


MOVEMENT_NEEDS_REASON = "Indiquez la raison de l'entrée ou de la sortie d'espèces."

SALE_NEEDS_DEVICES = "Scannez au moins un appareil prêt à la vente."

DONATION_HAS_NO_PAYMENT = "Un don n'a ni prix ni paiement : retirez les paiements, ou faites une vente."

PAYMENT_NOT_POSITIVE = "Chaque paiement doit être d'un montant positif."

VOUCHER_NEEDS_REFERENCE = "Un paiement par bon demande la référence du bon."


def payments_do_not_add_up(paid: str, total: str) -> str:
    return f"Les paiements font {paid} pour un total de {total} : ajustez les montants."


def not_for_sale(code: str, state: str) -> str:
    return f"{code} est « {STATES.get(state, state)} » : seul un appareil prêt à la vente (ou réservé) se vend."


def device_without_price(code: str) -> str:
    return f"{code} n'a pas de prix : classez-le et fixez son prix avant de le vendre."


def sale_unknown(sale_id: int) -> str:
    return f"Aucune vente n° {sale_id}."


def receipt_shape(text: str) -> str:
    return f"« {text[:40]} » n'est pas un n° de ticket : il s'écrit année-numéro, par exemple 2026-000042 (FA-2026-000001 pour une facture)."


def receipt_unknown(code: str) -> str:
    return f"Aucune vente ne porte le n° {code}."


# --- Refusals: returns under warranty, invoices ---------------------------------------------------

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


def refund_too_high(refund: str, worth: str) -> str:
    return f"Le remboursement ({refund}) dépasse le prix payé pour ces appareils ({worth})."


BUYER_NOT_ORGANISATION = (
    "Une vente sur facture se fait à une organisation (collectivité, entreprise, association), pas à un particulier."
)


# A site's sale rules page.
SALE_SETTINGS = {
    "title": "Règles de vente",
    "quota_devices": "Appareils d'une même catégorie par personne",
    "quota_months": "… sur combien de mois",
    "eligibility_required": "Vérifier l'éligibilité de la personne à chaque vente",
    "vat_subject": "L'association est assujettie à la TVA",
    "vat_hint": "Sinon les tickets portent la mention",
    "legal_name": "Nom de l'organisme sur les tickets",
    "legal_name_hint": "Vide : le nom du site.",
    "siret": "SIRET sur les tickets",
    "save": "Enregistrer les règles de vente",
    "saved": "Règles de vente enregistrées.",
}
