"""Device codes: short, sequential per site, with a check character so a mistyped code is refused.

Format `SITE-NNNNNN-C`: the site's code (1-4 letters/digits, starting with a letter), a 6-digit
sequence number and an ISO 7064 MOD 37-2 check character. MOD 37-2 is a pure system with a prime
modulus, so it catches every single wrong character and every swap of two neighbours (the hybrid
MOD 37,36 misses some swaps, e.g. OGY-026500 / OGY-025600). Its 37th check symbol is "*", awkward
to read and type, so the few numbers whose check would be "*" (1 in 37) are skipped. Pure module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from stdnum.iso7064 import mod_37_2

from reemploi import texts
from reemploi.errors import Invalid

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEQUENCE_DIGITS = 6
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1
SITE_CODE = re.compile(r"[A-Z][A-Z0-9]{0,3}")
# Dashes are optional when typed by hand; the sequence has a fixed width so the parse is unambiguous.
_CODE = re.compile(rf"({SITE_CODE.pattern})-?(\d{{{SEQUENCE_DIGITS}}})-?([0-9A-Z])")


_SKIPPED_CHECK = "*"


class SequenceExhausted(Exception):
    pass


class UnusableNumber(ValueError):
    """This number's check character would be "*": the sequence skips it."""


def _check_character(body: str) -> str:
    return mod_37_2.calc_check_digit(body)


def _body(site_code: str, number: int) -> str:
    if not SITE_CODE.fullmatch(site_code):
        raise ValueError(f"site code {site_code!r} must be 1 to 4 capital letters or digits, starting with a letter")
    if not 1 <= number <= MAX_SEQUENCE:
        raise SequenceExhausted(f"site {site_code} has used all {MAX_SEQUENCE} device numbers")
    return f"{site_code}{number:0{SEQUENCE_DIGITS}d}"


def make_code(site_code: str, number: int) -> str:
    body = _body(site_code, number)
    check = _check_character(body)
    if check == _SKIPPED_CHECK:
        raise UnusableNumber(f"{body} would end in '*'; the sequence skips it")
    return f"{site_code}-{body[len(site_code) :]}-{check}"


def next_numbers(site_code: str, last: int, count: int) -> list[int]:
    """The `count` numbers after `last` that make usable codes (skipping those ending in '*')."""
    numbers: list[int] = []
    number = last
    while len(numbers) < count:
        number += 1
        if _check_character(_body(site_code, number)) != _SKIPPED_CHECK:
            numbers.append(number)
    return numbers


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


# A list scanned in one go (a pallet for a recycling lot, a shelf, a sale): at most this many codes.
MAX_CODES = 500


def scanned_codes(codes: Sequence[str]) -> list[str]:
    """Codes as scanned: blanks dropped; none, too many or the same twice refused."""
    cleaned = [c.strip().upper() for c in codes if c.strip()]
    if not cleaned:
        raise Invalid(texts.NO_CODES)
    if len(cleaned) > MAX_CODES:
        raise Invalid(texts.too_many_codes(len(cleaned), MAX_CODES))
    repeated = sorted({c for c in cleaned if cleaned.count(c) > 1})
    if repeated:
        raise Invalid(texts.codes_repeated(repeated))
    return cleaned
