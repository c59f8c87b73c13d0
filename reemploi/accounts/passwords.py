"""Passwords: hashed with Argon2id (argon2-cffi's current parameters), and a policy that refuses
short and easily guessed ones (zxcvbn: common passwords, keyboard walks, dates, the user's own name).
"""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from reemploi import texts
from reemploi.errors import Invalid

MIN_LENGTH = 12  # ANSSI's recommendation for a password that is the only factor
MAX_LENGTH = 200  # beyond, hashing is a denial-of-service lever, not security
MIN_SCORE = 3  # zxcvbn: "safely unguessable", moderate protection against offline attacks
# Words anyone would try first at a reuse workshop.
WORKSHOP_WORDS = ("reemploi", "réemploi", "atelier", "recyclage", "informatique", "ordinateur", "solidaire",
                  "motdepasse", "azerty", "bonjour", "soleil")

_hasher = PasswordHasher()


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
    words = [w for w in about_the_user if w] + list(WORKSHOP_WORDS)
    if zxcvbn(password[:100], user_inputs=words)["score"] < MIN_SCORE:
        raise Invalid(texts.password_too_guessable())
