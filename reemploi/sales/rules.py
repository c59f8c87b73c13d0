"""The reception's rules, as pure functions: is the person eligible on the sale day, is their quota
reached, do the payments add up, what the till should hold. No I/O: the service gathers the facts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from reemploi import formats, rules, texts


@dataclass(frozen=True, slots=True)
class SaleRules:
    quota_devices: int
    quota_months: int
    eligibility_required: bool


def default_rules() -> SaleRules:
    figures = rules.sales()
    return SaleRules(int(figures["quota_devices"]), int(figures["quota_months"]), bool(figures["eligibility_required"]))


@dataclass(frozen=True, slots=True)
class Payment:
    method: str
    amount_cents: int
    reference: str = ""


def eligibility_refusal(eligible_until: date | None, anonymised: bool, sale_day: date, required: bool) -> str | None:
    """Why this person may not buy at solidarity prices on that day, or None."""
    if anonymised:
        return texts.BENEFICIARY_ANONYMISED
    if required and (eligible_until is None or eligible_until < sale_day):
        return texts.eligibility_expired(formats.day(eligible_until) if eligible_until else None)
    return None


def quota_refusal(already: Mapping[str, int], basket: Iterable[str], rule: SaleRules, override: str) -> str | None:
    """Why the basket exceeds the person's quota (devices of one category over the period), or None;
    a written reason overrides it (and is kept with the sale)."""
    wanted: dict[str, int] = {}
    for category in basket:
        wanted[category] = wanted.get(category, 0) + 1
    over = sorted(c for c, n in wanted.items() if already.get(c, 0) + n > rule.quota_devices)
    if not over or override.strip():
        return None
    return texts.quota_reached(over, {c: already.get(c, 0) for c in over}, rule.quota_devices, rule.quota_months)


def payment_refusal(total_cents: int, payments: Iterable[Payment]) -> str | None:
    """Why these payments do not settle the total, or None. A donation has a total of 0 and no payment."""
    paid = 0
    methods = rules.sales()["payment_methods"]
    for payment in payments:
        if payment.method not in methods:
            return texts.unknown_choice(texts.RECEPTION["method"], payment.method, methods)
        if payment.amount_cents <= 0:
            return texts.PAYMENT_NOT_POSITIVE
        if payment.method == "voucher" and not payment.reference.strip():
            return texts.VOUCHER_NEEDS_REFERENCE
        paid += payment.amount_cents
    if paid != total_cents:
        return texts.payments_do_not_add_up(formats.euros_plain(paid), formats.euros_plain(total_cents))
    return None


def till_expected(
    opening_float_cents: int, payments: Iterable[Payment], movements: Iterable[tuple[str, int]]
) -> dict[str, int]:
    """What the till should hold at closing, per payment method: the float plus cash taken plus cash put
    in minus cash taken out for cash; the sum taken for the others."""
    expected = dict.fromkeys(rules.sales()["payment_methods"], 0)
    expected["cash"] = opening_float_cents
    for payment in payments:
        expected[payment.method] = expected.get(payment.method, 0) + payment.amount_cents
    for direction, cents in movements:
        expected["cash"] += cents if direction == "in" else -cents
    return expected
