"""`UI`, the words of the pages (`t.UI.…` in templates), gathered from each domain's share."""

from __future__ import annotations

from reemploi.texts.accounts import UI_ACCOUNTS
from reemploi.texts.certificates import UI_CERTIFICATES
from reemploi.texts.collections import UI_COLLECTIONS
from reemploi.texts.common import UI_SHARED
from reemploi.texts.devices import UI_DEVICES
from reemploi.texts.hardware import UI_HARDWARE
from reemploi.texts.labels import UI_LABELS
from reemploi.texts.partners import UI_PARTNERS
from reemploi.texts.sites import UI_SITES
from reemploi.texts.stock import UI_STOCK
from reemploi.texts.workshop import UI_WORKSHOP


def _gathered(*shares: dict[str, str]) -> dict[str, str]:
    # One flat table, as the pages have always read it; two domains claiming one key is a mistake.
    words: dict[str, str] = {}
    for share in shares:
        if taken := words.keys() & share.keys():
            raise ValueError(f"UI keys defined twice: {sorted(taken)}")
        words.update(share)
    return words


UI = _gathered(
    UI_SHARED,
    UI_ACCOUNTS,
    UI_DEVICES,
    UI_COLLECTIONS,
    UI_STOCK,
    UI_LABELS,
    UI_HARDWARE,
    UI_WORKSHOP,
    UI_CERTIFICATES,
    UI_PARTNERS,
    UI_SITES,
)
