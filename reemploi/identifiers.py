"""How identifiers typed, scanned or imported are compared: one normalisation for all of them."""

from __future__ import annotations

from reemploi.devices.codes import normalise

# Manufacturers print "To Be Filled By O.E.M." and similar where no serial was set: not an identity.
PLACEHOLDER_SERIALS = frozenset(
    {
        "",
        "-",
        "--",
        "N/A",
        "NA",
        "NONE",
        "NULL",
        "0",
        "TOBEFILLEDBYO.E.M.",
        "DEFAULTSTRING",
        "NOTSPECIFIED",
        "SYSTEMSERIALNUMBER",
        "0123456789",
        "123456789",
        "CHASSISSERIALNUMBER",
        "NOTAPPLICABLE",
    }
)


def identifier(value: str | None) -> str | None:
    """A serial or asset tag as stored and compared: no spaces, upper case; placeholders are None."""
    if value is None:
        return None
    norm = normalise(value)
    return None if norm in PLACEHOLDER_SERIALS else norm
