"""The law's and the trade's figures, read once from figures.toml (the one place they live, each with
its source). Pure: no database; the workshop's rules (reemploi.workshop.gate) take them from here."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FIGURES = Path(__file__).with_name("figures.toml")


@cache
def figures() -> dict[str, Any]:
    with FIGURES.open("rb") as file:
        return tomllib.load(file)


@dataclass(frozen=True, slots=True)
class PriceCap:
    cents: int
    source: str


def price_cap(category: str) -> PriceCap | None:
    """The legal resale cap of a category for devices given by public bodies (None: no cap)."""
    caps = figures()["price_caps"]
    euros = caps.get(category)
    return PriceCap(int(euros) * 100, caps["source"]) if isinstance(euros, int) else None


def max_reuse_age_years() -> int:
    return int(figures()["reuse_age"]["max_years"])


def reuse_age_source() -> str:
    return str(figures()["reuse_age"]["source"])


def checklist(category: str) -> list[str]:
    """The functional checks of a category, in the order a technician goes through them."""
    return list(figures()["functional_tests"].get(category) or figures()["functional_tests"]["other"])


def battery_min_percent() -> int:
    return int(figures()["functional_tests"]["battery_min_percent"])


def overwrite_is_enough_for(kind: str | None) -> bool:
    return kind in figures()["erasure"]["overwrite_is_enough_for"]


def erasure_levels() -> list[str]:
    return list(figures()["erasure"]["levels"])


def erasure_techniques() -> list[str]:
    return list(figures()["erasure"]["techniques"])


def storage_required(category: str) -> bool:
    return category in figures()["erasure"]["storage_required"]


def erasure_source() -> str:
    return str(figures()["erasure"]["source"])


@dataclass(frozen=True, slots=True)
class Weight:
    grams: int
    estimated: bool  # from the unit weights table, not weighed


def weight_of(category: str, weighed_g: int | None) -> Weight:
    """A device's weight: weighed when it was, else the median unit weight of its category."""
    if weighed_g:
        return Weight(weighed_g, False)
    table = figures()["unit_weights"]
    kg = table.get(category, table["other"])
    return Weight(round(float(kg) * 1000), True)


def unit_weights_source() -> str:
    return str(figures()["unit_weights"]["source"])


def deee_category(category: str) -> int:
    return int(figures()["deee"].get(category, figures()["deee"]["other"]))


def deee_categories() -> list[int]:
    """The DEEE categories the workshop's devices fall in (2 and 6)."""
    return sorted({value for key, value in figures()["deee"].items() if key != "source"})


def eco_organisms() -> list[str]:
    return list(figures()["recycling"]["eco_organisms"])


def attestation_commitments() -> list[str]:
    return list(figures()["attestation"]["commitments"])


def attestation_source() -> str:
    return str(figures()["attestation"]["source"])


def sales() -> dict[str, Any]:
    """The reception's default rules and lists (figures.toml [sales])."""
    return dict(figures()["sales"])


def guarantee() -> dict[str, Any]:
    return dict(figures()["guarantee"])


def agec_product_type(category: str) -> str:
    """The data.gouv `type_produit_acquis` label a public buyer declares a device of this category under."""
    agec = figures()["agec"]
    return str(agec["printing"] if category in agec["printing_categories"] else agec["it"])


def agec() -> dict[str, Any]:
    return dict(figures()["agec"])


def co2_factors() -> dict[str, float]:
    """kg CO2e to manufacture a new device, by category (only the categories with a sourced figure)."""
    return {k: float(v) for k, v in figures()["co2"].items() if k != "source"}


def co2_source() -> str:
    return str(figures()["co2"]["source"])


def unit_weights_g() -> dict[str, int]:
    return {k: round(float(v) * 1000) for k, v in figures()["unit_weights"].items() if k != "source"}


def datagouv_columns() -> list[str]:
    return list(figures()["datagouv"]["columns"])
