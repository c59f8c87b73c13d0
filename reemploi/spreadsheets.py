"""CSV as French spreadsheet users open it: UTF-8 with a BOM (Excel reads the accents), `;` between
fields, decimal comma. Every CSV the product hands out goes through here."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float | Decimal):
        return format(value, "f").rstrip("0").rstrip(".").replace(".", ",") if value != int(value) else str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    # A text a donor typed (a model, a serial) must not run as a formula when the file is opened.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def french_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode()
