"""The served OpenAPI schema: it lists every route, documents each error as problem+json, and the real
server (`reemploi serve`, on SQLite and on PostgreSQL) honours it under a bounded schemathesis run.

The tests at the end of this file pin the bugs that run found (and probing around them), now fixed.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from litestar import Litestar
from litestar.routes import HTTPRoute
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import PositiveDataAcceptanceConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)
from stdnum import luhn

from reemploi.web import MAX_ID
from tests.support.server import LiveServer

SCHEMA_PATH = "/schema/openapi.json"
PROBLEM_JSON = "application/problem+json"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


async def _served_schema(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get(SCHEMA_PATH)
    assert response.status_code == 200, response.text
    return response.json()


def _openapi_path(route_path: str) -> str:
    """Litestar's `/sites/{site_id:int}` is OpenAPI's `/sites/{site_id}`."""
    return re.sub(r"\{(\w+):[^}]*\}", r"{\1}", route_path)


def _is_documentation(path: str) -> bool:
    return path == "/schema" or path.startswith("/schema/")


def _is_automatic_options(handler: Any) -> bool:
    """The OPTIONS handler Litestar adds to every route by itself (left out of schemas by design)."""
    return set(handler.http_methods) == {"OPTIONS"} and handler.fn.__name__ == "options_handler"


def _route_operations(app: Litestar) -> set[tuple[str, str]]:
    operations: set[tuple[str, str]] = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or _is_documentation(route.path):
            continue
        for handler in route.route_handlers:
            if not _is_automatic_options(handler) and handler.resolve_include_in_schema():
                operations.update((method.lower(), _openapi_path(route.path)) for method in handler.http_methods)
    return operations


def _schema_operations(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"only local references are expected, got {ref}"
        target: Any = schema
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


async def test_every_route_is_in_the_served_openapi_schema(app: Litestar, client: httpx.AsyncClient) -> None:
    served = _schema_operations(await _served_schema(client))
    routes = _route_operations(app)

    assert len(routes) >= 10, sorted(routes)
    missing = sorted(routes - served.keys())
    assert not missing, f"routes absent from {SCHEMA_PATH}: {missing}"
    # And the converse: the schema promises nothing the application does not serve.
    phantom = sorted(served.keys() - routes)
    assert not phantom, f"operations in {SCHEMA_PATH} with no route behind them: {phantom}"
    assert not any(_is_documentation(path) for _, path in served), "the documentation routes document themselves"


async def test_every_operation_documents_its_errors_as_problem_json(client: httpx.AsyncClient) -> None:
    schema = await _served_schema(client)
    operations = {
        key: op
        for key, op in _schema_operations(schema).items()
        if key[1] == "/health" or key[1].startswith("/api/v1/")
    }
    assert len(operations) >= 10, sorted(operations)
    problems: list[str] = []
    for (method, path), operation in sorted(operations.items()):
        label = f"{method.upper()} {path}"
        responses: dict[str, Any] = operation.get("responses", {})
        if not (operation.get("summary") or "").strip():
            problems.append(f"{label}: no summary")
        if "400" not in responses:
            problems.append(f"{label}: 400 not documented")
        for status, response in responses.items():
            if not status.startswith("4"):
                continue
            content = _resolve(schema, response).get("content") or {}
            if set(content) != {PROBLEM_JSON}:
                problems.append(f"{label}: {status} documented as {sorted(content)}, not ['{PROBLEM_JSON}']")
                continue
            body = content[PROBLEM_JSON].get("schema")
            if not body:
                problems.append(f"{label}: {status} has no schema")
                continue
            problem = _resolve(schema, body)
            if not {"type", "title", "status", "detail"} <= set(problem.get("required", ())):
                problems.append(f"{label}: {status} schema is not RFC 9457 problem details: {problem}")
        if "{" in path and "404" not in responses:
            problems.append(f"{label}: has path parameters but does not document 404")
        if method == "post" and operation.get("requestBody") and not {"409", "422", "429"} & responses.keys():
            problems.append(f"{label}: POST with a body documents none of 409, 422, 429")
    assert not problems, "\n".join(problems)


# --- What the schemathesis run seeds, so that generated requests also reach real rows -----------------


@dataclass
class World:
    site_ids: list[int] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)
    collection_ids: list[int] = field(default_factory=list)
    device_codes: list[str] = field(default_factory=list)


def _siren(seed: int) -> str:
    body = f"{21_000_000 + seed:08d}"
    return body + luhn.calc_check_digit(body)


async def _seed(http: httpx.AsyncClient) -> World:
    """A site, a commune (Luhn-valid SIREN) and a company that give, their collections, a few devices."""
    world = World()

    async def created(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await http.post(path, json=body)
        assert response.status_code == 201, f"seeding POST {path} {body}: {response.status_code} {response.text}"
        return response.json()

    world.site_ids.append((await created("/api/v1/sites", {"code": "FUZ", "name": "Atelier fuzz"}))["id"])
    commune = {"kind": "collectivity", "name": "Ville de Villeurbanne", "siren": _siren(7), "insee_code": "69266"}
    world.partner_ids.append((await created("/api/v1/partners", commune))["id"])
    world.partner_ids.append((await created("/api/v1/partners", {"kind": "company", "name": "Donateur SA"}))["id"])
    for donor in world.partner_ids:
        collection = {"donor_id": donor, "site_id": world.site_ids[0], "collected_on": "2026-11-02"}
        world.collection_ids.append((await created("/api/v1/collections", collection))["id"])
    for n, category in enumerate(("laptop", "desktop", "screen", "smartphone")):
        device = {"collection_id": world.collection_ids[0], "category": category, "serial": f"SN-FUZZ-{n}"}
        world.device_codes.append((await created("/api/v1/devices", device))["code"])
    # One device a step further, so that transitions start from more than one state.
    moved = await http.post(f"/api/v1/devices/{world.device_codes[0]}/transitions", json={"action": "receive"})
    assert moved.status_code == 200, moved.text
    return world


# --- A bounded schemathesis run against the real server ---------------------------------------------

# Per operation and per mode (positive, negative): about 800 requests per engine, ~20 s on 2 cores.
# REEMPLOI_FUZZ_EXAMPLES=500 for a deeper run by hand.
MAX_EXAMPLES = int(os.environ.get("REEMPLOI_FUZZ_EXAMPLES", "25"))
# Far above the usual ~20 s: going past it means something hangs or has become very slow.
TIME_BUDGET_S = 150 + 6 * MAX_EXAMPLES

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,  # with 404/409/422 accepted: the domain may refuse what the schema allows
    negative_data_rejection,
]


@dataclass
class RunLog:
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)

    def summary(self) -> str:
        operations = sorted({label for label, _ in self.statuses})
        lines = [f"{sum(self.statuses.values())} requests over {len(operations)} operations"]
        for label in operations:
            counts = ", ".join(f"{status}×{n}" for (op, status), n in sorted(self.statuses.items()) if op == label)
            lines.append(f"  {label}: {counts}")
        return "\n".join(lines)


@pytest.fixture
def live_server(database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """`reemploi serve` on a fresh migrated database of the engine under test; always stopped."""
    server = LiveServer(database_url, tmp_path)
    server.start()  # on failure, the exception carries the server's output
    try:
        yield server
    finally:
        server.stop()
        # pytest shows this captured output only for a failed test.
        sys.stderr.write(f"--- reemploi server log ({database_url.split(':', 1)[0]}) ---\n{server.log()}\n")


@pytest.fixture
def served_world(live_server: LiveServer, admin_token: str) -> World:
    async def seed() -> World:
        headers = {"Authorization": f"Bearer {admin_token}"}
        async with httpx.AsyncClient(base_url=live_server.url, timeout=15, trust_env=False, headers=headers) as http:
            return await _seed(http)

    return asyncio.run(seed())


@pytest.fixture
def served_schema(live_server: LiveServer, served_world: World, admin_token: str) -> Any:
    """The schema as the server serves it, with generation aimed at the seeded rows half of the time."""
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}{SCHEMA_PATH}", timeout=15, headers={"Authorization": f"Bearer {admin_token}"}
    )
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        # 401 and 429: a schema-valid login with a wrong password, and the throttling that follows.
        expected_statuses=["2xx", "401", "404", "409", "422", "429"]
    )
    aim_at_world(schema, served_world)
    return schema


def aim_at_world(schema: Any, world: World) -> None:
    """Aim generation at the seeded rows half of the time (path ids, body ids)."""
    real_path_values: dict[str, list[Any]] = {
        "site_id": world.site_ids,
        "partner_id": world.partner_ids,
        "collection_id": world.collection_ids,
        "code": world.device_codes,
    }
    real_body_ids: dict[str, list[int]] = {
        "site_id": world.site_ids,
        "donor_id": world.partner_ids,
        "collection_id": world.collection_ids,
    }

    def aimed(values: dict[str, Any], real: dict[str, list[Any]]) -> Any:
        # Only an id that is already well formed is aimed at a real row: a negative case's broken id
        # (0, -5, "x", 2**40) stays broken, or the case would be sent valid and counted as accepted.
        names = [name for name, value in values.items() if name in real and _well_formed_id(name, value)]
        if not names:
            return st.just(values)
        chosen = st.fixed_dictionaries({name: st.sampled_from(real[name]) for name in names})
        return st.one_of(st.just(values), chosen.map(lambda picked: {**values, **picked}))

    @schema.hook
    def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
        return aimed(path_parameters, real_path_values) if path_parameters else st.just(path_parameters)

    @schema.hook
    def flatmap_body(context: Any, body: Any) -> Any:
        if not isinstance(body, dict):
            return st.just(body)
        return aimed(body, {k: v for k, v in real_body_ids.items() if isinstance(body.get(k), int)})


def _well_formed_id(name: str, value: Any) -> bool:
    if name == "code":
        return isinstance(value, str) and 0 < len(value) <= 40  # a device code in a path
    if isinstance(value, str):
        # A number's id mutated into text ("x", "1") is the negative case itself: aiming it at a real
        # row would send a valid path, and the case would count as a broken request accepted.
        return False
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def run_operations(
    schema: Any,
    server: LiveServer,
    token: str,
    checks: list[Any],
    log: RunLog,
    *,
    budget_s: float,
    examples: int,
) -> tuple[list[Any], list[str]]:
    """Every operation of `schema`, positive and negative cases, called on `server` with `token`.

    Returns the operations and the failures found (each with schemathesis's curl command to
    reproduce it); fails the test when the time budget is spent (something hangs).
    """
    failures: list[str] = []
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]  # .ok() raises on a broken one
    headers = {"Authorization": f"Bearer {token}"}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if time.monotonic() - started > budget_s:
                pytest.fail(
                    f"time budget of {budget_s} s spent before {operation.label} ({mode.value})\n"
                    f"{log.summary()}\n--- server log (end) ---\n{server.log(tail=6000)}"
                )

            @settings(
                max_examples=examples,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
                print_blob=False,
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def exercise(case: schemathesis.Case) -> None:
                response = case.call(base_url=server.url, timeout=15, headers=headers)
                log.statuses[(case.operation.label, response.status_code)] += 1
                case.validate_response(response, checks=checks)

            try:
                exercise()
            except Unsatisfiable:
                # No parameter and no body: nothing can be made wrong (GET /health, GET /api/v1/sites).
                assert mode is GenerationMode.NEGATIVE, f"{operation.label}: no valid request could be generated"
            except FailureGroup as exc:  # the checks' findings, each with a curl command to reproduce it
                failures.append(f"{operation.label} ({mode.value} cases):\n{exc}")
            except Exception:  # noqa: BLE001 - every operation runs; all failures are reported together
                failures.append(f"{operation.label} ({mode.value} cases):\n{traceback.format_exc()}")
    return operations, failures


@pytest.mark.slow
def test_the_served_api_never_answers_5xx_and_keeps_to_its_schema(
    live_server: LiveServer, served_schema: Any, admin_token: str
) -> None:
    """Every operation of the served schema, positive and negative cases, against the real server."""
    log = RunLog()
    started = time.monotonic()
    operations, failures = run_operations(
        served_schema, live_server, admin_token, CHECKS, log, budget_s=TIME_BUDGET_S, examples=MAX_EXAMPLES
    )
    print(f"\nschemathesis run in {time.monotonic() - started:.1f} s: {log.summary()}")
    assert len(operations) >= 10, [op.label for op in operations]
    assert not failures, (
        "\n\n".join(failures) + f"\n\n{log.summary()}\n--- server log (end) ---\n{live_server.log(tail=6000)}"
    )


# --- Bugs the run found (and probing around them), fixed; these keep them fixed -------------------------------------


async def _status_of(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> tuple[str, int, str]:
    response = await client.request(method, url, **kwargs)
    shown = kwargs.get("json") or kwargs.get("params") or ""
    return f"{method} {url} {shown}".rstrip(), response.status_code, response.text[:200]


async def test_integers_beyond_the_database_range_are_refused_not_500(client: httpx.AsyncClient) -> None:
    world = await _seed(client)
    site = world.site_ids[0]
    answers = []
    for n in (2**31, 2**63):
        answers += [
            await _status_of(client, "GET", f"/api/v1/sites/{n}"),
            await _status_of(client, "GET", f"/api/v1/partners/{n}"),
            await _status_of(client, "GET", f"/api/v1/collections/{n}"),
            await _status_of(client, "GET", "/api/v1/partners", params={"offset": n}),
            await _status_of(client, "GET", "/api/v1/devices", params={"site_id": n}),
            await _status_of(client, "GET", "/api/v1/collections", params={"donor_id": n}),
            await _status_of(
                client,
                "POST",
                "/api/v1/collections",
                json={"donor_id": n, "site_id": site, "collected_on": "2026-11-02"},
            ),
            await _status_of(client, "POST", "/api/v1/devices", json={"collection_id": n, "category": "laptop"}),
        ]
    server_errors = [answer for answer in answers if answer[1] >= 500]
    assert not server_errors, "\n".join(map(str, server_errors))


async def test_text_with_nul_characters_is_refused_not_500(client: httpx.AsyncClient) -> None:
    world = await _seed(client)
    device, collection = world.device_codes[1], world.collection_ids[0]
    answers = [
        await _status_of(client, "POST", "/api/v1/sites", json={"code": "NUL", "name": "a\x00b"}),
        await _status_of(client, "POST", "/api/v1/partners", json={"kind": "company", "name": "a\x00b"}),
        await _status_of(
            client,
            "POST",
            "/api/v1/devices",
            json={"collection_id": collection, "category": "laptop", "serial": "a\x00b"},
        ),
        await _status_of(
            client,
            "POST",
            "/api/v1/devices",
            json={"collection_id": collection, "category": "laptop", "specs": {"ram": "a\x00b"}},
        ),
        await _status_of(
            client, "POST", f"/api/v1/devices/{device}/transitions", json={"action": "receive", "note": "a\x00b"}
        ),
        await _status_of(client, "GET", "/api/v1/scan", params={"code": "a\x00b"}),
        await _status_of(client, "GET", "/api/v1/devices/a%00b"),
    ]
    server_errors = [answer for answer in answers if answer[1] >= 500]
    assert not server_errors, "\n".join(map(str, server_errors))


async def test_weights_that_round_to_no_gram_are_refused_as_invalid_not_as_conflicts(client: httpx.AsyncClient) -> None:
    world = await _seed(client)
    answers = [
        await _status_of(
            client,
            "POST",
            "/api/v1/devices",
            json={
                "collection_id": world.collection_ids[0],
                "category": "laptop",
                "weight_kg": 0.0004,
            },
        ),
        await _status_of(
            client,
            "POST",
            "/api/v1/collections",
            json={
                "donor_id": world.partner_ids[0],
                "site_id": world.site_ids[0],
                "collected_on": "2026-11-02",
                "declared_weight_kg": 0.0004,
            },
        ),
    ]
    wrong = [answer for answer in answers if answer[1] not in (400, 422)]
    assert not wrong, "\n".join(map(str, wrong))


async def test_request_schemas_forbid_the_unknown_fields_the_server_refuses(client: httpx.AsyncClient) -> None:
    refused = await client.post("/api/v1/sites", json={"code": "XTR", "name": "Atelier", "surprise": 1})
    assert refused.status_code == 400, refused.text  # what the server does, and what the schema must say
    schema = await _served_schema(client)
    lax = []
    for (method, path), operation in sorted(_schema_operations(schema).items()):
        body = (operation.get("requestBody") or {}).get("content", {}).get("application/json")
        if body is not None and _resolve(schema, body["schema"]).get("additionalProperties") is not False:
            lax.append(f"{method.upper()} {path}")
    assert not lax, f"request bodies whose schema allows unknown fields: {lax}"


async def test_request_schemas_document_the_bounds_the_server_enforces(client: httpx.AsyncClient) -> None:
    schema = await _served_schema(client)
    components = schema["components"]["schemas"]

    def lower_bound(node: dict[str, Any]) -> Any:
        return node.get("exclusiveMinimum", node.get("minimum"))

    missing = [
        f"{struct}.{name} has no lower bound"
        for struct, names in (
            ("DeviceIn", ["weight_kg"]),
            ("CollectionIn", ["declared_weight_kg", "weighed_weight_kg"]),
        )
        for name in names
        if lower_bound(components[struct]["properties"][name]) is None
    ]
    communes = components["PartnerIn"]["properties"]["communes"]
    if communes.get("items", {}).get("maxLength") != 5:
        missing.append(f"PartnerIn.communes items have no maxLength 5: {communes}")
    assert not missing, "\n".join(missing)


async def test_method_not_allowed_says_which_methods_are_allowed(client: httpx.AsyncClient) -> None:
    response = await client.delete("/api/v1/sites")
    assert response.status_code == 405
    assert response.headers.get("content-type", "").startswith(PROBLEM_JSON)
    assert {"GET", "POST"} <= {m.strip() for m in response.headers.get("allow", "").split(",")}, response.headers
