"""Legal mentions printed on receipts and invoices, each naming the text it comes from."""

from __future__ import annotations

# On every receipt: what "reconditionné" promises.
RECONDITIONED_DEVICE = (
    "Appareil reconditionné : toutes ses fonctions ont été testées et les données des précédents "
    "utilisateurs effacées (Code de la consommation, art. R.122-4)."
)


def guarantee_mention(years: int, months: int, source: str) -> str:
    return (
        f"Garantie légale de conformité : {years} ans à compter de la délivrance ; pour un bien d'occasion, le "
        f"défaut est présumé exister à la délivrance s'il apparaît dans les {months} mois ({source})."
    )


# On every invoice to an organisation.
AGEC_PURCHASE = (
    "Biens issus du réemploi : à déclarer au titre de l'article 58 de la loi AGEC (n° 2020-105), au montant HT, "
    "sous le type de produit indiqué."
)
LATE_PAYMENT = (
    "Paiement à {days} jours. En cas de retard : pénalités au taux légal et indemnité forfaitaire de 40 € pour "
    "frais de recouvrement (Code de commerce, art. L.441-10)."
)
