"""Device codes: short, sequential per site, with a check character so a mistyped code is refused.

Format `SITE-NNNNNN-C`: the site's code (1-4 letters/digits, starting with a letter), a 6-digit
sequence number and an ISO 7064 MOD 37,36 check character, which catches every single wrong
character and every swap of two neighbours. Pure module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.iso7064 import mod_37_36

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEQUENCE_DIGITS = 6
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1
SITE_CODE = re.compile(r"[A-Z][A-Z0-9]{0,3}")
# Dashes are optional when typed by hand; the sequence has a fixed width so the parse is unambiguous.
_CODE = re.compile(rf"({SITE_CODE.pattern})-?(\d{{{SEQUENCE_DIGITS}}})-?([0-9A-Z])")


class SequenceExhausted(Exception):
    pass


def _check_character(body: str) -> str:
    return mod_37_36.calc_check_digit(body, alphabet=ALPHABET)


def make_code(site_code: str, number: int) -> str:
    if not SITE_CODE.fullmatch(site_code):
        raise ValueError(f"site code {site_code!r} must be 1 to 4 capital letters or digits, starting with a letter")
    if not 1 <= number <= MAX_SEQUENCE:
        raise SequenceExhausted(f"site {site_code} has used all {MAX_SEQUENCE} device numbers")
    digits = f"{number:0{SEQUENCE_DIGITS}d}"
    return f"{site_code}-{digits}-{_check_character(site_code + digits)}"


@dataclass(frozen=True, slots=True)
class ParsedCode:
    """What a scanned text is, as a device code."""

    text: str  # the normalised text (upper case, no spaces)
    looks_like_code: bool
    valid: bool
    canonical: str | None  # SITE-NNNNNN-C, when valid


def normalise(text: str) -> str:
    return "".join(text.split()).upper()


def parse_code(text: str) -> ParsedCode:
    norm = normalise(text)
    match = _CODE.fullmatch(norm)
    if not match:
        return ParsedCode(norm, looks_like_code=False, valid=False, canonical=None)
    site, digits, check = match.groups()
    valid = _check_character(site + digits) == check
    canonical = f"{site}-{digits}-{check}" if valid else None
    return ParsedCode(norm, looks_like_code=True, valid=valid, canonical=canonical)
