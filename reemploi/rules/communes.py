"""The communes of France (INSEE code → name), read once from communes.csv: a collectivity's territory
is checked against them and shown with their names. The file's first lines give its source, its date
and its licence; a new year's list replaces the file, nothing else."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

COMMUNES = Path(__file__).with_name("communes.csv")


@cache
def communes() -> dict[str, str]:
    """Every commune of the list, by INSEE code, in the file's order (by code)."""
    found: dict[str, str] = {}
    with COMMUNES.open(encoding="utf-8") as file:
        for line in file:
            if line.startswith("#") or not line.strip():
                continue
            code, name = line.rstrip("\n").split(";", 1)
            found[code] = name
    return found


def commune_name(code: str) -> str | None:
    """The commune's name, or None for a code that is no commune of the list (a typing error, or a
    commune merged into another since)."""
    return communes().get(code.strip().upper())


def _folded(text: str) -> str:
    """A name as a person types it to find it: no accents, no case, hyphens and apostrophes as spaces."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(flat.replace("-", " ").replace("'", " ").split())


@cache
def _index() -> list[tuple[str, str, str]]:
    return [(_folded(name), code, name) for code, name in communes().items()]


def find_communes(text: str, limit: int = 30) -> list[tuple[str, str]]:
    """The communes whose name contains what was typed (names that start with it first), or whose
    code starts with it: (code, name) pairs, at most `limit`."""
    typed = text.strip()
    if not typed:
        return []
    if typed[:1].isdigit() or typed.upper()[:2] in {"2A", "2B"}:
        prefix = typed.upper()
        return [(code, name) for code, name in communes().items() if code.startswith(prefix)][:limit]
    wanted = _folded(typed)
    if not wanted:
        return []
    starting = [(code, name) for folded, code, name in _index() if folded.startswith(wanted)]
    inside = [(code, name) for folded, code, name in _index() if wanted in folded and not folded.startswith(wanted)]
    return (sorted(starting, key=lambda c: (len(c[1]), c[1])) + inside)[:limit]
