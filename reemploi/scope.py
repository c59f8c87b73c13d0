"""What one request may see. Staff see the workshop's data; a collectivity sees only what it gave
(its collections, its devices, itself). Services take a Scope and filter by it; a record outside the
scope is answered as not found, so guessing another collectivity's ids reveals nothing."""

from __future__ import annotations

from dataclasses import dataclass

from reemploi import texts
from reemploi.errors import Forbidden


@dataclass(frozen=True, slots=True)
class Scope:
    donor_id: int | None = None  # a collectivity's own partner id; None: the whole workshop

    def sees_donor(self, donor_id: int) -> bool:
        return self.donor_id is None or self.donor_id == donor_id

    def donor_filter(self, asked: int | None) -> int | None:
        """The donor a list is filtered on: the one asked for, or, for a collectivity, itself only."""
        if self.donor_id is None:
            return asked
        if asked is not None and asked != self.donor_id:
            raise Forbidden(texts.OWN_DATA_ONLY)
        return self.donor_id


EVERYTHING = Scope()
