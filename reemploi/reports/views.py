"""What the report's page and its PDF show besides the figures: the charts (SVG) drawn from them, and
where each figure's devices are listed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from reemploi import texts
from reemploi.reports.charts import bars


def devices_link(report: dict[str, Any], **filters: str) -> str:
    """The device list behind a figure: this donor's devices collected in the period, filtered further."""
    query = {"collected_from": report["period"]["from"], "collected_to": report["period"]["to"], **filters}
    if report.get("partner"):
        query["donor_id"] = report["partner"]["id"]
    return "/devices?" + urlencode(query)


def charts(report: dict[str, Any]) -> dict[str, str]:
    given = report["given"]["by_category"]
    outcomes = report["outcomes"]["by_outcome"]
    residents = report["residents"]
    return {
        "given": bars(
            [(texts.CATEGORIES.get(r["category"], r["category"]), r["weighed_kg"] + r["estimated_kg"]) for r in given],
            "kg",
            texts.REPORT["given_chart"],
        ),
        "outcomes": bars(
            [(texts.OUTCOMES.get(r["outcome"], r["outcome"]), r["devices"]) for r in outcomes],
            "",
            texts.REPORT["outcomes_chart"],
        ),
        "residents": bars(
            [(texts.CATEGORIES.get(r["key"], r["key"]), r["devices"]) for r in residents["by_category"]],
            "",
            texts.REPORT["residents_chart"],
        ),
        "purchases": bars(
            [(r["type_produit_acquis"], r["ht_cents"] / 100) for r in report["purchases"]["by_product_type"]],
            texts.REPORT["euros_ht"],
            texts.REPORT["purchases_chart"],
        ),
    }
