"""Every API list answers one way: a page of advanced-alchemy's OffsetPagination {items, limit, offset,
total}, asked with `limit` (1 to 500, 50 by default) and `offset`, in a stable order; nothing stops
silently at a cap. Checked on the route table (a GET that answers a bare list fails) and on each list,
through the API, on both engines."""

from __future__ import annotations

import json
import re
import typing
from typing import Any

from advanced_alchemy.service import OffsetPagination
from litestar import Litestar
from litestar.routes import HTTPRoute

from reemploi.web import MAX_PAGE
from tests.through_api import API, PROBLEM_JSON, Client, make_collection, make_donor, make_site, ok, register


def _list_routes(app: Litestar) -> dict[str, Any]:
    """The API's GET handlers whose answer is a list of things, by path: paginated or a bare list."""
    found: dict[str, Any] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith(API):
            continue
        for handler in route.route_handlers:
            if "GET" not in handler.http_methods:
                continue
            answer = handler.parsed_fn_signature.return_type.annotation
            origin = typing.get_origin(answer) or answer
            if origin is OffsetPagination or origin in (list, tuple, set, frozenset) or "Sequence" in str(origin):
                found[route.path] = handler
    return found


def test_every_get_that_answers_a_list_answers_a_page_asked_with_limit_and_offset(app: Litestar) -> None:
    lists = _list_routes(app)
    assert len(lists) >= 14, sorted(lists)
    problems = []
    for path, handler in sorted(lists.items()):
        answer = handler.parsed_fn_signature.return_type.annotation
        if (typing.get_origin(answer) or answer) is not OffsetPagination:
            problems.append(f"GET {path} answers {answer}, not an OffsetPagination page")
            continue
        parameters = handler.parsed_fn_signature.parameters
        for name in ("limit", "offset"):
            if name not in parameters:
                problems.append(f"GET {path} has no `{name}` query parameter")
    assert not problems, "\n".join(problems)


async def _everything_twice(client: Client) -> dict[str, dict[str, Any]]:
    """A workshop holding two of everything a list shows; the paths of the lists, with their query."""
    site = await make_site(client, "LST")
    await make_site(client, "LS2")
    donor = await make_donor(client, name="Ville de Bron", seed=7, insee="69029")
    await make_donor(client, name="Ville de Vaulx-en-Velin", seed=8, insee="69256")
    collection = await make_collection(client, site["id"], donor["id"])
    await make_collection(client, site["id"], donor["id"], collected_on="2026-11-03")
    codes = [(await register(client, collection["id"], serial=f"PF1LIST{n}"))["code"] for n in range(4)]
    for login in ("camille", "dominique"):
        user = {"login": login, "name": login.title(), "role": "technician", "password": "tournevis vert 42"}
        ok(await client.post(f"{API}/users", json=user))
    ok(await client.post(f"{API}/tokens", json={"name": "Balance de pesée", "role": "technician"}))
    for description in ("DDR4 8 Go", "Batterie 48 Wh"):
        part = {"site_id": site["id"], "kind": "ram", "description": description, "quantity": 2}
        ok(await client.post(f"{API}/parts", json=part))
    for eco_organism in ("Ecologic", "ecosystem"):
        ok(await client.post(f"{API}/recycling-lots", json={"site_id": site["id"], "eco_organism": eco_organism}))
    for name in ("Zoé Dupont", "Marc Dupont"):
        person = {"name": name, "eligibility_reason": "rsa", "eligibility_verified_by": "CCAS de Bron"}
        ok(await client.post(f"{API}/beneficiaries", json=person))
    shelves = [
        ok(await client.post(f"{API}/stock/locations", json={"site_id": site["id"], "code": code}))
        for code in ("A-01", "A-02")
    ]
    for shelf in shelves:
        ok(await client.post(f"{API}/stock/locations/{shelf['id']}/audits", json={"scanned": []}))
    prices = [{"category": "laptop", "grade": g, "price_cents": 5000} for g in ("A", "B")]
    ok(await client.put(f"{API}/sites/{site['id']}/prices", json={"prices": prices}), 200)
    device = codes[0]
    for name in ("smartctl-sda.json", "smartctl-sdb.json"):
        report = {
            "json_format_version": [1, 0],
            "smartctl": {"version": [7, 3]},
            "model_name": name,
            "serial_number": name,
        }
        files = [("files", (name, json.dumps(report).encode()))]
        ok(await client.post(f"{API}/devices/{device}/reports", files=files))
    for action in ("receive", "start_diagnosis", "send_to_repair"):
        ok(await client.post(f"{API}/devices/{device}/transitions", json={"action": action}), 200)
    for minutes in (10, 20):
        ok(await client.post(f"{API}/devices/{device}/repairs", json={"actions": "Nettoyage", "minutes": minutes}))
    for name in ("Linux Mint 22.1", "Debian 12"):
        system = {"family": "linux", "name": name, "licence": "free"}
        ok(await client.post(f"{API}/devices/{device}/systems", json=system))
    return {
        f"{API}/sites": {},
        f"{API}/sites/{site['id']}/prices": {},
        f"{API}/partners": {},
        f"{API}/collections": {},
        f"{API}/devices": {},
        f"{API}/users": {},
        f"{API}/tokens": {},
        f"{API}/parts": {},
        f"{API}/recycling-lots": {},
        f"{API}/beneficiaries": {"q": "dupont"},
        f"{API}/stock/locations": {},
        f"{API}/stock/audits": {},
        f"{API}/devices/{device}/reports": {},
        f"{API}/devices/{device}/repairs": {},
        f"{API}/devices/{device}/systems": {},
    }


def _template(path: str, app: Litestar) -> str:
    """The route a concrete path is served by (`/api/v1/sites/1/prices` → `/api/v1/sites/{site_id:int}/prices`)."""
    for route in app.routes:
        if isinstance(route, HTTPRoute) and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", route.path), path):
            return route.path
    raise AssertionError(f"no route serves {path}")


async def test_every_list_pages_with_a_total_and_refuses_a_page_size_out_of_bounds(
    app: Litestar, client: Client
) -> None:
    lists = await _everything_twice(client)
    assert {_template(path, app) for path in lists} == set(_list_routes(app)), "every list is checked here"
    for path, query in lists.items():
        whole = ok(await client.get(path, params=query), 200)
        assert set(whole) == {"items", "total", "limit", "offset"}, path
        assert (whole["limit"], whole["offset"]) == (50, 0), path
        total = whole["total"]
        assert total >= 2 and len(whole["items"]) == total, (path, whole)

        # One at a time: each page holds one, says the total, and the pages put together are the list.
        pages = [ok(await client.get(path, params={**query, "limit": 1, "offset": n}), 200) for n in range(total)]
        assert all(
            (p["total"], p["limit"], p["offset"], len(p["items"])) == (total, 1, n, 1) for n, p in enumerate(pages)
        )
        assert [p["items"][0] for p in pages] == whole["items"], f"{path}: the order is not stable across pages"

        past = ok(await client.get(path, params={**query, "offset": total}), 200)
        assert (past["items"], past["total"], past["offset"]) == ([], total, total), path

        for bad in (0, MAX_PAGE + 1, -1):
            refused = await client.get(path, params={**query, "limit": bad})
            assert refused.status_code == 400, (path, bad, refused.text)
            assert refused.headers["content-type"].startswith(PROBLEM_JSON), (path, bad)
        refused = await client.get(path, params={**query, "offset": -1})
        assert refused.status_code == 400 and refused.headers["content-type"].startswith(PROBLEM_JSON), path


async def test_a_list_longer_than_the_old_caps_is_read_to_its_end_page_by_page(client: Client) -> None:
    """Recycling lots used to stop at 200 without a word: a client now follows the pages to the last lot."""
    site = await make_site(client, "CAP")
    for _ in range(3):
        ok(await client.post(f"{API}/recycling-lots", json={"site_id": site["id"], "eco_organism": "Ecologic"}))
    seen: list[int] = []
    offset = 0
    while True:
        page = ok(await client.get(f"{API}/recycling-lots", params={"limit": 2, "offset": offset}), 200)
        seen += [lot["id"] for lot in page["items"]]
        offset += page["limit"]
        if offset >= page["total"]:
            break
    assert len(seen) == len(set(seen)) == 3
    assert seen == sorted(seen, reverse=True), "newest first"
