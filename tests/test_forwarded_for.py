"""Behind a reverse proxy, the person's address is the proxy's X-Forwarded-For, and only from a
proxy REEMPLOI_FORWARDED_ALLOW_IPS trusts: a real `reemploi serve`, the address read back from the
audit log its login failures write."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts.models import AuthEvent
from tests.support.server import LiveServer

pytestmark = pytest.mark.slow


async def _failed_login_address(server: LiveServer, session: AsyncSession, login: str) -> str:
    async with httpx.AsyncClient(base_url=server.url) as client:
        answer = await client.post(
            "/api/v1/session",
            json={"login": login, "password": "pas le bon mot de passe"},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
    assert answer.status_code == 401, answer.text
    session.expire_all()
    address = (await session.execute(select(AuthEvent.address).where(AuthEvent.login == login))).scalar_one()
    await session.commit()
    return address


@pytest.mark.parametrize(
    ("trusted", "seen"),
    [("127.0.0.1", "203.0.113.9"), ("10.9.9.9", "127.0.0.1")],
    ids=["proxy-trusted", "proxy-not-trusted"],
)
async def test_the_address_comes_from_a_trusted_proxy_only(
    database_url: str, tmp_path: Path, session: AsyncSession, trusted: str, seen: str
) -> None:
    with LiveServer(database_url, tmp_path, env={"REEMPLOI_FORWARDED_ALLOW_IPS": trusted}) as server:
        assert await _failed_login_address(server, session, f"inconnu-{trusted}") == seen
