"""The lifecycle's states and actions as people say them, and why a step is refused."""

from __future__ import annotations

from collections.abc import Iterable

# --- Names: each value of the code as people say it -----------------------------------------------

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
    "cancelled": "enregistrement annulé",
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
    "cancel_registration": "annuler l'enregistrement",
}


# --- Refusals and notices -------------------------------------------------------------------------


def _list(words: Iterable[str]) -> str:
    words = [f"« {w} »" for w in words]
    if not words:
        return "aucune"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " ou " + words[-1]


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


def final_exit_unconfirmed(action: str) -> str:
    return (
        f"« {ACTIONS.get(action, action)} » fait sortir l'appareil de l'atelier pour de bon : cochez la case "
        "de confirmation à côté du bouton, puis recommencez."
    )


FINAL_EXIT_CONFIRM = "Je confirme : l'appareil sort de l'atelier pour de bon"


def unknown_step(action: str) -> str:
    return f"Étape « {action} » inconnue. Rechargez la page."


def step_done_elsewhere(code: str, action: str) -> str:
    where = {
        "return_under_warranty": "depuis la vente (poste « Vente », ou POST /api/v1/sales/{id}/returns)",
        "dismantle": "avec les pièces récupérées (fiche de l'appareil, ou POST /api/v1/devices/{code}/dismantle)",
        "recycle": "en le mettant dans un lot de recyclage (Recyclage, ou POST /api/v1/recycling-lots/{id}/devices)",
        "sell_to_organisation": "sur facture (POST /api/v1/invoices)",
        "grade": "à l'établi, avec sa note et son prix (fiche de l'appareil, ou POST /api/v1/devices/{code}/grade)",
        "put_on_sale": "à l'établi, une fois tout contrôlé (fiche de l'appareil, ou POST /api/v1/devices/{code}/put-on-sale)",
        "cancel_registration": (
            "en le confirmant (fiche de l'appareil, ou POST /api/v1/devices/{code}/cancel-registration)"
        ),
    }.get(action, "à l'accueil (poste « Vente », ou POST /api/v1/sales) : le bénéficiaire, le paiement et le ticket")
    return f"{code} : « {ACTIONS.get(action, action)} » ne se fait pas comme une simple étape, mais {where}."


def registration_not_cancellable(code: str, state: str, exits: Iterable[str]) -> str:
    exits = list(exits)
    then = f"Sortez-le plutôt par une sortie : {_list(ACTIONS[a] for a in exits)}." if exits else ""
    return (
        f"L'enregistrement de l'appareil {code} ne peut plus être annulé : il a déjà une autre étape dans "
        f"son historique (il est « {STATES[state]} »). {then}"
    ).strip()


def registration_cancelled(code: str) -> str:
    return f"Enregistrement de l'appareil {code} annulé : il ne compte plus nulle part, son historique est gardé."


def cancel_needs_confirmation(code: str) -> str:
    return f"Cochez la case pour confirmer que l'appareil {code} a été enregistré par erreur, puis recommencez."
