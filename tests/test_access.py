"""Who may reach what: every route has an access rule, each role gets exactly what the matrix gives
it, and a collectivity cannot reach another collectivity's data by changing an id in a URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts import service as accounts
from reemploi.accounts.auth import PUBLIC
from reemploi.accounts.roles import MATRIX, Permission, Role, allows
from tests.through_api import API, Client, make_collection, make_donor, make_site, ok, problem, register

PUBLIC_ROUTES = {
    ("GET", "/health"),
    ("GET", "/login"),
    ("POST", "/login"),
    # A person given a one-time code sets their password with it: the code is the proof.
    ("GET", "/login/code"),
    ("POST", "/login/code"),
    ("POST", "/api/v1/session"),
    ("GET", "/static/{file_path:path}"),
    ("HEAD", "/static/{file_path:path}"),  # style sheet, htmx, the probe
    # A donor holding an erasure certificate checks it without an account (an unguessable code).
    ("GET", "/verifier"),
    ("GET", "/api/v1/certificates/{certificate_code:str}"),
}


def _operations(app: Litestar) -> list[tuple[str, str, Any]]:
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods):
                if method != "OPTIONS":
                    found.append((method, route.path, handler))
    return found


def test_every_route_has_an_explicit_access_rule(app: Litestar) -> None:
    operations = _operations(app)
    assert len(operations) >= 25
    without_rule = [
        f"{method} {path}"
        for method, path, handler in operations
        if not handler.opt.get(PUBLIC) and not isinstance(handler.opt.get("permission"), Permission)
    ]
    assert not without_rule, f"routes with no access rule: {without_rule}"
    public = {(method, path) for method, path, handler in operations if handler.opt.get(PUBLIC)}
    assert public == PUBLIC_ROUTES, "only login, health, static files and the certificate check are public"


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


async def test_without_credentials_the_api_answers_401_and_pages_send_to_the_login(
    app: Litestar, anonymous: AsyncTestClient[Litestar]
) -> None:
    for method, path, handler in _operations(app):
        if handler.opt.get(PUBLIC):
            continue
        response = await anonymous.request(method, _concrete(path), follow_redirects=False)
        if path.startswith("/api/"):
            assert response.status_code == 401, f"{method} {path}: {response.status_code}"
            assert response.headers["content-type"].startswith("application/problem+json"), path
        elif method != "GET":  # a form posted without a session: a page that says so
            assert response.status_code == 401, f"{method} {path}: {response.status_code}"
            assert response.headers["content-type"].startswith("text/html"), path
            assert "Connexion requise" in response.text, path
        else:
            assert response.status_code == 303, f"{method} {path}: {response.status_code}"
            assert response.headers["location"] == f"/login?next={_concrete(path).replace('/', '%2F')}"


# --- Each role, each resource, each action -------------------------------------------------------


@dataclass
class World:
    site: dict[str, Any]
    own: dict[str, Any]  # the collectivity the collectivity tokens belong to
    other: dict[str, Any]  # another collectivity
    own_collection: dict[str, Any]
    other_collection: dict[str, Any]
    own_device: dict[str, Any]
    other_device: dict[str, Any]


async def _world(client: Client) -> World:
    site = await make_site(client)
    own = await make_donor(client, "Ville de Villeurbanne", seed=1, insee="69266")
    other = await make_donor(client, "Ville de Vénissieux", seed=2, insee="69259")
    own_collection = await make_collection(client, site["id"], own["id"])
    other_collection = await make_collection(client, site["id"], other["id"])
    own_device = await register(client, own_collection["id"], serial="OWN0001", asset_tag="VILLEURBANNE-1")
    other_device = await register(client, other_collection["id"], serial="OTHER0001", asset_tag="VENISSIEUX-1")
    return World(site, own, other, own_collection, other_collection, own_device, other_device)


async def _token(session: AsyncSession, role: Role, partner_id: int | None = None) -> str:
    _, secret = await accounts.create_token(session, accounts.NewToken(f"{role}-test", role, partner_id), by=None)
    return secret


def _requests(w: World) -> list[tuple[Permission, str, str, dict[str, Any] | None]]:
    """One real request per protected API route, with the permission it needs."""
    code = w.own_device["code"]
    return [
        (Permission.ME, "GET", "/api/v1/me", None),
        (Permission.SITES_READ, "GET", "/api/v1/sites", None),
        (Permission.SITES_READ, "GET", f"/api/v1/sites/{w.site['id']}", None),
        (Permission.SITES_WRITE, "POST", "/api/v1/sites", {"code": "NEW", "name": "Nouvel atelier"}),
        (Permission.SITES_WRITE, "PATCH", f"/api/v1/sites/{w.site['id']}", {"label_template": "dymo-11354"}),
        (Permission.PARTNERS_READ, "GET", "/api/v1/partners", None),
        (Permission.PARTNERS_READ, "GET", f"/api/v1/partners/{w.own['id']}", None),
        (Permission.PARTNERS_WRITE, "POST", "/api/v1/partners", {"kind": "association", "name": "Asso"}),
        (Permission.COLLECTIONS_READ, "GET", "/api/v1/collections", None),
        (Permission.COLLECTIONS_READ, "GET", f"/api/v1/collections/{w.own_collection['id']}", None),
        (
            Permission.COLLECTIONS_WRITE,
            "POST",
            "/api/v1/collections",
            {"donor_id": w.own["id"], "site_id": w.site["id"], "collected_on": "2026-11-20"},
        ),
        (Permission.DEVICES_READ, "GET", "/api/v1/devices", None),
        (Permission.DEVICES_READ, "GET", f"/api/v1/devices/{code}", None),
        (Permission.DEVICES_READ, "GET", f"/api/v1/devices/{code}/history", None),
        (Permission.DEVICES_READ, "GET", f"/api/v1/scan?code={code}", None),
        (
            Permission.DEVICES_REGISTER,
            "POST",
            "/api/v1/devices",
            {"collection_id": w.own_collection["id"], "category": "laptop"},
        ),
        (Permission.DEVICES_MOVE, "POST", f"/api/v1/devices/{code}/transitions", {"action": "receive"}),
        (Permission.LABELS_PRINT, "GET", f"/api/v1/labels?codes={code}", None),
        (Permission.DEVICES_READ, "GET", f"/api/v1/devices/{code}/reports", None),
        (Permission.WORKSHOP_WRITE, "POST", f"/api/v1/devices/{code}/reports", None),
        (Permission.DEVICES_READ, "GET", f"/api/v1/devices/{code}/workbench", None),
        (Permission.DEVICES_READ, "GET", f"/api/v1/devices/{code}/erasure-certificate", None),
        (Permission.COLLECTIONS_READ, "GET", f"/api/v1/collections/{w.own_collection['id']}/erasure-certificate", None),
        (Permission.WORKSHOP_WRITE, "POST", f"/api/v1/devices/{code}/tests", {"results": {}}),
        (Permission.WORKSHOP_WRITE, "POST", f"/api/v1/devices/{code}/media", {"kind": "ssd"}),
        (Permission.WORKSHOP_WRITE, "POST", f"/api/v1/devices/{code}/erasures", {}),
        (Permission.SITES_READ, "GET", f"/api/v1/sites/{w.site['id']}/prices", None),
        (Permission.PRICES_WRITE, "PUT", f"/api/v1/sites/{w.site['id']}/prices", {"prices": []}),
        (Permission.LABELS_PRINT, "PUT", "/api/v1/me/label-template", {"template": "dymo-11354"}),
        (Permission.USERS_MANAGE, "GET", "/api/v1/users", None),
        (Permission.TOKENS_MANAGE, "GET", "/api/v1/tokens", None),
    ]


@pytest.mark.parametrize("role", list(Role))
async def test_each_role_reaches_exactly_what_the_matrix_gives_it(
    role: Role, client: Client, app: Litestar, session: AsyncSession
) -> None:
    w = await _world(client)
    secret = await _token(session, role, w.own["id"] if role is Role.COLLECTIVITY else None)
    wrong = []
    async with AsyncTestClient(app) as as_role:
        as_role.headers["Authorization"] = f"Bearer {secret}"
        for needed, method, path, body in _requests(w):
            response = await as_role.request(method, path, json=body)
            if allows(role, needed):
                if response.status_code in (401, 403) or response.status_code >= 500:
                    wrong.append(f"{role} {method} {path}: refused {response.status_code} {response.text[:150]}")
            elif response.status_code != 403:
                wrong.append(f"{role} {method} {path}: {response.status_code}, expected 403")
            elif "ne permet pas" not in response.json()["detail"]:
                wrong.append(f"{role} {method} {path}: 403 without a clear message: {response.text[:150]}")
    assert not wrong, "\n".join(wrong)


def test_the_matrix_says_what_the_trade_expects() -> None:
    """Written out by hand, not derived from MATRIX: a change to the matrix must change this too."""
    assert allows(Role.TECHNICIAN, Permission.DEVICES_MOVE) and allows(Role.TECHNICIAN, Permission.DEVICES_REGISTER)
    assert not allows(Role.TECHNICIAN, Permission.USERS_MANAGE)
    assert not allows(Role.TECHNICIAN, Permission.SITES_WRITE)
    assert not allows(Role.RECEPTION, Permission.USERS_MANAGE) and not allows(Role.RECEPTION, Permission.TOKENS_MANAGE)
    assert not allows(Role.RECEPTION, Permission.DEVICES_REGISTER)
    assert not allows(Role.MANAGER, Permission.SITES_WRITE)
    assert all(allows(role, Permission.LABELS_PRINT) for role in (Role.TECHNICIAN, Role.RECEPTION, Role.MANAGER))
    assert allows(Role.TECHNICIAN, Permission.WORKSHOP_WRITE) and not allows(Role.RECEPTION, Permission.WORKSHOP_WRITE)
    assert allows(Role.MANAGER, Permission.PRICES_WRITE) and not allows(Role.TECHNICIAN, Permission.PRICES_WRITE)
    # Beneficiaries' personal data: the desk and the managers, not the bench.
    assert allows(Role.RECEPTION, Permission.BENEFICIARIES) and allows(Role.RECEPTION, Permission.SALES)
    assert not allows(Role.TECHNICIAN, Permission.BENEFICIARIES) and not allows(Role.TECHNICIAN, Permission.SALES)
    assert allows(Role.MANAGER, Permission.BENEFICIARIES)
    assert allows(Role.MANAGER, Permission.WORKSHOP_REPORTS) and not allows(Role.RECEPTION, Permission.WORKSHOP_REPORTS)
    assert allows(Role.TECHNICIAN, Permission.STOCK_WRITE) and allows(Role.RECEPTION, Permission.STOCK_WRITE)
    assert {p for p in Permission if allows(Role.COLLECTIVITY, p)} == {
        Permission.ME,
        Permission.SITES_READ,
        Permission.PARTNERS_READ,
        Permission.COLLECTIONS_READ,
        Permission.DEVICES_READ,
    }
    assert MATRIX[Role.ADMIN] == frozenset(Permission)


# --- A collectivity sees what it gave, and nothing of anyone else -----------------------------------


@pytest.mark.parametrize("connects_with", ["its login", "an API token"])
async def test_a_collectivity_cannot_reach_another_collectivitys_data_by_changing_an_id(
    client: Client, app: Litestar, session: AsyncSession, connects_with: str
) -> None:
    w = await _world(client)
    async with AsyncTestClient(app) as mairie:
        if connects_with == "its login":  # as a new user would: the workshop opens the account, they log in
            ok(
                await client.post(
                    f"{API}/users",
                    json={
                        "login": "mairie.villeurbanne",
                        "name": "Service numérique",
                        "role": "collectivity",
                        "password": "tramway gratte-ciel 1934",
                        "partner_id": w.own["id"],
                    },
                ),
                201,
            )
            ok(
                await mairie.post(
                    f"{API}/session",
                    json={
                        "login": "mairie.villeurbanne",
                        "password": "tramway gratte-ciel 1934",
                    },
                ),
                201,
            )
        else:
            mairie.headers["Authorization"] = f"Bearer {await _token(session, Role.COLLECTIVITY, w.own['id'])}"

        # Its own: readable.
        ok(await mairie.get(f"{API}/collections/{w.own_collection['id']}"), 200)
        ok(await mairie.get(f"{API}/devices/{w.own_device['code']}"), 200)
        ok(await mairie.get(f"{API}/devices/{w.own_device['code']}/history"), 200)
        ok(await mairie.get(f"{API}/partners/{w.own['id']}"), 200)
        assert ok(await mairie.get(f"{API}/scan", params={"code": "OWN0001"}), 200)["matched_by"] == "serial"

        # Another collectivity's, by id, code, serial or asset tag: as if it did not exist.
        for path in (
            f"{API}/collections/{w.other_collection['id']}",
            f"{API}/devices/{w.other_device['code']}",
            f"{API}/devices/{w.other_device['code']}/history",
            f"{API}/devices/{w.other_device['code']}/reports",
            f"{API}/devices/{w.other_device['code']}/reports/1/raw",
            f"{API}/devices/{w.other_device['code']}/workbench",
            f"{API}/devices/{w.other_device['code']}/erasure-certificate",
            f"{API}/collections/{w.other_collection['id']}/erasure-certificate",
            f"{API}/partners/{w.other['id']}",
        ):
            problem(await mairie.get(path), 404, "not-found")
        for typed in (w.other_device["code"], "OTHER0001", "VENISSIEUX-1"):
            problem(await mairie.get(f"{API}/scan", params={"code": typed}), 404, "not-found")

        # Lists hold its own data only; asking for another's is refused, not silently emptied.
        collections = ok(await mairie.get(f"{API}/collections"), 200)
        assert [c["id"] for c in collections["items"]] == [w.own_collection["id"]]
        devices = ok(await mairie.get(f"{API}/devices"), 200)
        assert [d["code"] for d in devices["items"]] == [w.own_device["code"]]
        partners = ok(await mairie.get(f"{API}/partners"), 200)
        assert [p["id"] for p in partners["items"]] == [w.own["id"]]
        refused = problem(await mairie.get(f"{API}/collections", params={"donor_id": w.other["id"]}), 403, "forbidden")
        assert "collectivité" in refused["detail"]

        # And it changes nothing.
        problem(
            await mairie.post(f"{API}/devices/{w.own_device['code']}/transitions", json={"action": "receive"}),
            403,
            "forbidden",
        )

    # The workshop's staff still see both.
    assert ok(await client.get(f"{API}/collections"), 200)["total"] == 2


# --- Issue 18: a donor reads where its device went, not to whom ---------------------------------------


def test_a_donor_reads_that_an_organisation_bought_never_which_nor_who_sold_at_what_price() -> None:
    from datetime import UTC, datetime

    from reemploi.devices.models import DeviceEvent
    from reemploi.devices.service import for_donor

    at = datetime(2026, 11, 30, 10, tzinfo=UTC)
    sold = DeviceEvent(
        version=7, at=at, actor="camille", action="sell_to_organisation", from_state="ready",
        to_state="sold_to_organisation", data={"buyer": "Ville de Vénissieux", "price_cents": 9500}, note="facture FA-1",
    )  # fmt: skip
    given = DeviceEvent(
        version=7, at=at, actor="jeton:desk", action="donate", from_state="ready", to_state="donated",
        data={"beneficiary": "B-000042"}, note="",
    )  # fmt: skip
    recycled = DeviceEvent(
        version=5, at=at, actor="karim", action="recycle", from_state="received", to_state="recycled",
        data={"lot_id": 3, "eco_organism": "ecosystem", "deee_category": "6", "weight_kg": 2.1}, note="écran cassé",
    )  # fmt: skip

    assert for_donor(sold).data == {"buyer": "une organisation"}
    assert for_donor(given).data == {}
    assert for_donor(recycled).data == {
        "lot_id": 3,
        "eco_organism": "ecosystem",
        "deee_category": "6",
        "weight_kg": 2.1,
    }
    for event in (sold, given, recycled):
        shown = for_donor(event)
        assert (shown.actor, shown.note) == ("l'atelier", "")
        assert (shown.version, shown.at, shown.action, shown.to_state) == (
            event.version, event.at, event.action, event.to_state,
        )  # fmt: skip


async def test_a_collectivity_reads_its_devices_history_without_the_workshops_people(
    client: Client, app: Litestar, session: AsyncSession
) -> None:
    w = await _world(client)
    staff = ok(await client.get(f"{API}/devices/{w.own_device['code']}/history"), 200)
    assert staff["events"][0]["actor"] != "l'atelier"
    async with AsyncTestClient(app) as mairie:
        mairie.headers["Authorization"] = f"Bearer {await _token(session, Role.COLLECTIVITY, w.own['id'])}"
        seen = ok(await mairie.get(f"{API}/devices/{w.own_device['code']}/history"), 200)
    assert [(e["action"], e["to_state"]) for e in seen["events"]] == [
        (e["action"], e["to_state"]) for e in staff["events"]
    ]
    assert {e["actor"] for e in seen["events"]} == {"l'atelier"}
    assert seen["events"][0]["data"] == {"collection_id": w.own_collection["id"]}
