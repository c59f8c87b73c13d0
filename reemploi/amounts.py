"""Amounts as people type them, read once: euros with a comma or a point ("95", "95,50", "1 200 €")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

MAX_CENTS = 10_000_000  # 100,000 €: beyond, a typing error (a till, a price, a refund)


def euros_to_cents(text: str | float) -> int:
    """The cents of an amount in euros; ValueError when it is not one (or beyond what a workshop handles)."""
    cleaned = str(text).replace("€", "").replace(" ", "").replace("\u202f", "").replace(",", ".").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None
    if not value.is_finite() or abs(value * 100) > MAX_CENTS:
        raise ValueError(f"not an amount: {text!r}")
    return int((value * 100).quantize(Decimal("1")))
