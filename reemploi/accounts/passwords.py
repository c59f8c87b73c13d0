"""Passwords: hashed with Argon2id (argon2-cffi's current parameters), and a policy that refuses
short and easily guessed ones (zxcvbn: common passwords, keyboard walks, dates, the user's own name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from reemploi import texts
from reemploi.errors import Invalid

MIN_LENGTH = 12  # ANSSI's recommendation for a password that is the only factor
MAX_LENGTH = 200  # beyond, hashing is a denial-of-service lever, not security
MIN_SCORE = 3  # zxcvbn: "safely unguessable", moderate protection against offline attacks
# Words anyone would try first at a reuse workshop.
WORKSHOP_WORDS = (
    "reemploi",
    "réemploi",
    "atelier",
    "recyclage",
    "informatique",
    "ordinateur",
    "solidaire",
    "motdepasse",
    "azerty",
    "bonjour",
    "soleil",
)

_hasher = PasswordHasher()
_COMMON = frozenset(FREQUENCY_LISTS["passwords"])  # the 30,000 most common passwords


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(stored_hash: str, password: str) -> tuple[bool, str | None]:
    """(matches, new hash to store if the parameters changed since it was hashed)."""
    try:
        _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False, None
    return True, _hasher.hash(password) if _hasher.check_needs_rehash(stored_hash) else None


_DUMMY_HASH = _hasher.hash("a password nobody has, hashed to spend the time a real check spends")


def spend_verification_time(password: str) -> None:
    """For an unknown login: cost what a real check costs, so timing does not reveal which logins exist."""
    verify(_DUMMY_HASH, password)


def check_policy(password: str, about_the_user: Iterable[str] = ()) -> None:
    """Raise Invalid with a French message saying what to change."""
    if len(password) < MIN_LENGTH:
        raise Invalid(texts.password_too_short(MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise Invalid(texts.password_too_long(MAX_LENGTH))
    known = {w.lower() for w in about_the_user if w} | set(WORKSHOP_WORDS)
    if _only_known_words(password, known) or zxcvbn(password[:100], user_inputs=sorted(known))["score"] < MIN_SCORE:
        raise Invalid(texts.password_too_guessable())


def _only_known_words(password: str, known: set[str]) -> bool:
    """True for 'jdupont.jdupont', 'atelier-2026', 'azerty azerty': nothing but the person's own words,
    the workshop's, or common passwords, with digits and punctuation between them (zxcvbn scores
    such joins as strong)."""
    words = [w for w in re.split(r"[^\w]+|\d+|_", password.lower()) if w]
    return all(w in known or w in _COMMON for w in words)
