"""Who did something, as written into every device event: a person's account, an API token, or a
command run on the server (`reemploi import-manifest`, `reemploi demo`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    label: str  # what the history shows: a login, "jeton:<name>", "cli:<system user>"
    user_id: int | None = None
    token_id: int | None = None

    @classmethod
    def command(cls, name: str) -> Actor:
        return cls(f"cli:{name}")
