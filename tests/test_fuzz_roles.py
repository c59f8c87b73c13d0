"""The served API fuzzed as each role sees it (issue 18, item 7): schemathesis with every check it has.

tests/test_openapi.py runs the schema as an admin's integration. Here the same server (`reemploi
serve`, on SQLite and on PostgreSQL) is run once per role — manager, technician, reception and a
collectivity's reader — with that role's own token, on the same seeded world, and with
schemathesis's whole set of checks (`--checks all`): no 5xx, statuses, content types, headers and
bodies as documented, schema-valid data accepted (or refused 403 where the role may not go) and
invalid data refused, the Allow header of a 405. Which role may use which route is
tests/test_access.py's table; this run checks that every role's answers, refusals included, keep
to the schema and never fail.

Bounded: a few examples per operation and mode (REEMPLOI_FUZZ_ROLE_EXAMPLES for a deeper run by
hand), and a time budget per role.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import PositiveDataAcceptanceConfig

from tests.support.server import LiveServer
from tests.test_openapi import SCHEMA_PATH, RunLog, World, _seed, aim_at_world, run_operations

MAX_EXAMPLES = int(os.environ.get("REEMPLOI_FUZZ_ROLE_EXAMPLES", "6"))
TIME_BUDGET_S = 120 + 10 * MAX_EXAMPLES  # per role; going past it means something hangs

ROLES = ("manager", "technician", "reception", "collectivity")

# Every check schemathesis has, but one: `max_response_time` has no bound unless one is set, and a
# time in a test would measure the machine, not the product.
load_all_checks()
ALL_CHECKS = [check for check in CHECKS.get_all() if check.__name__ != "max_response_time"]
assert len(ALL_CHECKS) >= 14, [check.__name__ for check in ALL_CHECKS]  # schemathesis 4.32 has 14


class RoleWorld:
    def __init__(self, world: World, tokens: dict[str, str]) -> None:
        self.world = world
        self.tokens = tokens


@pytest.fixture
def role_world(live_server: LiveServer, admin_token: str) -> RoleWorld:
    """The seeded world, and one API token per role (the collectivity's for the seeded commune)."""

    async def seed() -> RoleWorld:
        headers = {"Authorization": f"Bearer {admin_token}"}
        async with httpx.AsyncClient(base_url=live_server.url, timeout=15, trust_env=False, headers=headers) as http:
            world = await _seed(http)
            tokens: dict[str, str] = {}
            for role in ROLES:
                body: dict[str, Any] = {"name": f"fuzz-{role}", "role": role}
                if role == "collectivity":
                    body["partner_id"] = world.partner_ids[0]  # the commune
                created = await http.post("/api/v1/tokens", json=body)
                assert created.status_code == 201, created.text
                tokens[role] = created.json()["secret"]
            return RoleWorld(world, tokens)

    return asyncio.run(seed())


def _role_schema(url: str, token: str, world: World) -> Any:
    schema = schemathesis.openapi.from_url(
        f"{url}{SCHEMA_PATH}", timeout=15, headers={"Authorization": f"Bearer {token}"}
    )
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        # 403: the role may not go there (what this run is for); the rest as in test_openapi.
        expected_statuses=["2xx", "401", "403", "404", "409", "422", "429"]
    )
    aim_at_world(schema, world)
    return schema


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_only_documented_answers_and_no_5xx(
    live_server: LiveServer, role_world: RoleWorld, role: str
) -> None:
    token = role_world.tokens[role]
    schema = _role_schema(live_server.url, token, role_world.world)
    log = RunLog()
    started = time.monotonic()
    operations, failures = run_operations(
        schema, live_server, token, ALL_CHECKS, log, budget_s=TIME_BUDGET_S, examples=MAX_EXAMPLES
    )
    print(f"\n{role}: schemathesis run in {time.monotonic() - started:.1f} s: {log.summary()}")
    assert len(operations) >= 10
    # The role was refused somewhere (else the tokens were not the role's) and let in somewhere.
    statuses = {status for _, status in log.statuses}
    assert 403 in statuses and statuses & {200, 201}, log.summary()
    assert not failures, (
        "\n\n".join(failures) + f"\n\n{log.summary()}\n--- server log ---\n{live_server.log(tail=6000)}"
    )
