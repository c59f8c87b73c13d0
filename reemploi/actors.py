"""Who did something, as written into every device event: a person's account, an API token, or a
command run on the server (`reemploi import-manifest`, `reemploi demo`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Actor:
    label: str  # what the history shows: a login, "jeton:<name>", "cli:<system user>"
    user_id: int | None = None
    token_id: int | None = None

    def columns(self) -> dict[str, Any]:
        """The record's actor columns (reemploi.db.ActorColumns)."""
        return {"actor": self.label, "actor_user_id": self.user_id, "actor_token_id": self.token_id}

    @classmethod
    def command(cls, name: str) -> Actor:
        return cls(f"cli:{name}")
