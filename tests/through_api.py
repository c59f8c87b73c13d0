"""Building a workshop through the JSON API, as a client would, and reading its answers."""

from __future__ import annotations

from typing import Any

from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts import service as accounts
from reemploi.accounts.roles import Role
from tests.factories import siren

Client = AsyncTestClient[Litestar]
API = "/api/v1"
PROBLEM_JSON = "application/problem+json"
PASSWORD = "tournevis vert établi 42"


async def logged_in(anonymous: Client, session: AsyncSession, login: str, role: Role, **fields: Any) -> str:
    """Create an account and log `anonymous` in with it (session cookie); returns its CSRF token."""
    await accounts.create_user(session, accounts.NewUser(login, login.title(), role, PASSWORD, **fields))
    opened = ok(await anonymous.post(f"{API}/session", json={"login": login, "password": PASSWORD}), 201)
    return str(opened["csrf_token"])


def ok(response: Response, status: int = 201) -> Any:
    """The JSON body of a success with this status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def problem(response: Response, status: int, slug: str) -> dict[str, Any]:
    """The RFC 9457 problem document of a refusal with this status and type, which says what is wrong."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    assert body["type"] == f"/problems/{slug}"
    assert body["status"] == status
    assert body["detail"]
    return body


async def make_site(client: Client, code: str = "TST") -> dict[str, Any]:
    return ok(await client.post(f"{API}/sites", json={"code": code, "name": f"Atelier {code}"}))


async def make_donor(
    client: Client, name: str = "Ville de Villeurbanne", seed: int = 1, insee: str = "69266"
) -> dict[str, Any]:
    """A collectivity (Luhn-valid SIREN from the seed) that gives devices."""
    return ok(
        await client.post(
            f"{API}/partners",
            json={
                "kind": "collectivity",
                "name": name,
                "siren": siren(seed),
                "insee_code": insee,
            },
        )
    )


async def make_collection(
    client: Client, site_id: int, donor_id: int, collected_on: str = "2026-11-02", **extra: Any
) -> dict[str, Any]:
    return ok(
        await client.post(
            f"{API}/collections",
            json={
                "donor_id": donor_id,
                "site_id": site_id,
                "collected_on": collected_on,
                **extra,
            },
        )
    )


async def register(client: Client, collection_id: int, **fields: Any) -> dict[str, Any]:
    """A device registered at intake (a laptop unless `category` says otherwise)."""
    return ok(
        await client.post(f"{API}/devices", json={"collection_id": collection_id, "category": "laptop", **fields})
    )


async def prepare_for_sale(client: Client, code: str) -> None:
    """Through the API, what a technician records before grading: the checklist passed, the disk, its erasure."""
    from datetime import UTC, datetime, timedelta

    bench = ok(await client.get(f"{API}/devices/{code}/workbench"), 200)
    results = {check: {"outcome": "pass"} for check in bench["checklist"]}
    ok(await client.post(f"{API}/devices/{code}/tests", json={"results": results}), 201)
    medium = ok(await client.post(f"{API}/devices/{code}/media", json={"kind": "hdd", "model": "WDC WD5000LPVX"}), 201)
    ended = datetime.now(UTC) - timedelta(minutes=5)
    ok(
        await client.post(
            f"{API}/devices/{code}/erasures",
            json={
                "medium_id": medium["id"],
                "level": "clear",
                "technique": "overwrite",
                "tool": "nwipe",
                "tool_version": "0.35",
                "passes": 1,
                "verification": "sampled",
                "result": "success",
                "started_at": (ended - timedelta(hours=2)).isoformat(),
                "ended_at": ended.isoformat(),
            },
        ),
        201,
    )
