"""The rules of the workshop's last steps, as pure functions: what a device still lacks to be sold
as "reconditionné" (Code de la consommation R.122-4), whether an erasure is good enough for its
medium, whether a price is within the legal cap. No I/O: the service gathers the facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reemploi import formats, rules, texts

GRADES = ("A", "B", "C")


@dataclass(frozen=True, slots=True)
class Medium:
    label: str  # what the technician reads: "SSD NVMe Samsung MZVLB256 (S4…)"
    kind: str | None  # hdd, ssd, nvme, emmc, other
    replacement: bool = False  # a new medium fitted by the workshop: no previous owner's data
    erased: bool = False  # a successful erasure is recorded
    destroyed: bool = False  # physically destroyed (and so removed)


@dataclass(frozen=True, slots=True)
class SaleFacts:
    category: str
    test_passed: bool | None  # the latest functional test; None: never tested
    media: list[Medium] = field(default_factory=list)
    grade: str | None = None
    price_cents: int | None = None
    price_cap_cents: int | None = None  # the legal cap when the donor is a public body
    age_years: int | None = None


def missing_for_sale(facts: SaleFacts) -> list[str]:
    """Everything that keeps the device from "ready for sale", in the order a technician fixes it;
    empty when it may go on sale."""
    missing = []
    if facts.age_years is not None and facts.age_years > rules.max_reuse_age_years():
        missing.append(texts.too_old_for_reuse(facts.age_years, rules.max_reuse_age_years(), rules.reuse_age_source()))
    if facts.test_passed is None:
        missing.append(texts.GATE_NOT_TESTED)
    elif not facts.test_passed:
        missing.append(texts.GATE_TEST_FAILED)
    kept = [m for m in facts.media if not m.destroyed]
    for medium in kept:
        if not medium.replacement and not medium.erased:
            missing.append(texts.gate_medium_not_erased(medium.label))
    if rules.storage_required(facts.category):
        if not facts.media:
            missing.append(texts.GATE_NO_MEDIUM)
        elif not kept:
            missing.append(texts.GATE_DESTROYED_NOT_REPLACED)
    if facts.grade not in GRADES:
        missing.append(texts.GATE_NOT_GRADED)
    if facts.price_cents is None:
        missing.append(texts.GATE_NOT_PRICED)
    elif facts.price_cap_cents is not None and facts.price_cents > facts.price_cap_cents:
        cap = rules.price_cap(facts.category)
        missing.append(
            texts.price_above_cap(
                formats.euros_plain(facts.price_cents),
                formats.euros_plain(facts.price_cap_cents),
                cap.source if cap else "",
            )
        )
    return missing


def erasure_warning(kind: str | None, technique: str) -> str | None:
    """A warning when the technique does not reach all the data of this kind of medium (NIST SP 800-88:
    overwriting flash leaves remapped cells): recorded with the erasure, shown on the certificate."""
    if technique == "overwrite" and not rules.overwrite_is_enough_for(kind):
        return texts.overwrite_on_flash(kind or "?")
    return None


def price_refusal(category: str, price_cents: int, donated_by_public_body: bool) -> str | None:
    """Why this price may not be asked (with the cap and its source), or None."""
    if price_cents < 0:
        return texts.NEGATIVE_PRICE
    cap = rules.price_cap(category) if donated_by_public_body else None
    if cap is not None and price_cents > cap.cents:
        return texts.price_above_cap(formats.euros_plain(price_cents), formats.euros_plain(cap.cents), cap.source)
    return None
