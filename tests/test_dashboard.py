"""Where each person lands on `/`: the bench on the scan station, the desk on the reception, a
collectivity on its reports, a manager on a dashboard of today's intake, the stock ready for sale
and the devices waiting longest, counted on the workshop's calendar (Paris) and on their own sites."""

from __future__ import annotations

import html
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts import roles
from reemploi.accounts.roles import Permission, Role
from reemploi.actors import Actor
from reemploi.db import utcnow
from reemploi.devices import service as devices
from reemploi.devices import steps
from reemploi.devices.lifecycle import Action
from tests.factories import make_collection, make_device, make_site, make_world, prepare_for_sale
from tests.through_api import Client, logged_in

PARIS = ZoneInfo("Europe/Paris")
MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()  # noqa: SIM905
)


def in_words(moment: datetime) -> str:
    """A moment's day in Paris as a French sentence says it, written here without the app's formats."""
    d = moment.astimezone(PARIS).date()
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


async def _device(
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
    collection_id: int,
    serial: str,
    *moves: tuple[datetime, tuple[Action, ...]],
    category: str = "laptop",
) -> str:
    """A device registered and moved at the moments given, oldest first (events cannot be edited)."""
    monkeypatch.setattr(devices, "utcnow", lambda: moves[0][0] - timedelta(hours=1))
    code = await make_device(session, collection_id, serial=serial, category=category)
    for at, actions in moves:
        monkeypatch.setattr(devices, "utcnow", lambda at=at: at)
        for action in actions:
            data = {}
            if action is Action.GRADE:
                await prepare_for_sale(session, code)
                data = {"grade": "B", "price": "25"}
            await steps.take_step(session, code, action, Actor("test"), data=data)
    monkeypatch.setattr(devices, "utcnow", utcnow)
    return code


def section(page: str, name: str) -> str:
    found = re.search(rf'<section class="panel" id="dashboard-{name}">(.*?)</section>', page, re.S)
    assert found, name
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))))


async def test_a_manager_sees_today_the_stock_and_who_waits_longest_on_their_sites(
    anonymous: Client, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, commune, collection_id = await make_world(session)
    now = utcnow()
    yesterday_late = datetime.combine(now.astimezone(PARIS).date() - timedelta(days=1), time(23, 30), PARIS)
    ten_days_ago = now - timedelta(days=10)
    received = (Action.RECEIVE,)
    today_laptop = await _device(session, monkeypatch, collection_id, "A", (now, received))
    late_laptop = await _device(session, monkeypatch, collection_id, "B", (yesterday_late, received))
    await _device(session, monkeypatch, collection_id, "C", (now, received), category="screen")
    stuck = await _device(
        session,
        monkeypatch,
        collection_id,
        "D",
        (ten_days_ago - timedelta(days=1), received),
        (ten_days_ago, (Action.START_DIAGNOSIS,)),
    )
    ready_path = (Action.RECEIVE, Action.START_DIAGNOSIS, Action.START_ERASURE, Action.GRADE, Action.PUT_ON_SALE)
    ready = await _device(session, monkeypatch, collection_id, "E", (now, ready_path))
    # Another site's devices: not this manager's figures.
    other_site = await make_site(session, "AUT", "Autre atelier")
    elsewhere = await make_collection(session, other_site, commune)
    theirs = await _device(session, monkeypatch, elsewhere.collection.id, "F", (now, received))
    await logged_in(anonymous, session, "maud", Role.MANAGER, site_ids=(site.id,))

    home = await anonymous.get("/", follow_redirects=False)

    assert home.status_code == 200
    # Received today: A, C and E (F is on another site; B came yesterday at 23:30, D eleven days ago).
    assert "ordinateur portable 2 écran 1 Total : 3" in section(home.text, "today")
    today = now.astimezone(PARIS).date().isoformat()
    assert f'href="/devices?collected_from={today}&amp;collected_to={today}"' in home.text
    assert "ordinateur portable 1 Total : 1" in section(home.text, "ready")
    assert 'href="/devices?state=ready"' in home.text
    waiting = section(home.text, "waiting")
    # Received: B (since yesterday), then A and C (today); D in diagnosis for 10 days; E on the shelf.
    assert f"réceptionné 3 {late_laptop} depuis le {in_words(yesterday_late)} (1 jour) {today_laptop}" in waiting
    assert f"en diagnostic 1 {stuck} depuis le {in_words(ten_days_ago)} (10 jours)" in waiting
    assert f"prêt à la vente 1 {ready}" in waiting
    assert theirs not in home.text and f'href="/scan?code={stuck}"' in home.text
    assert 'hx-get="/first-steps"' in home.text  # the set-up steps stay on the home page


async def test_an_admin_counts_every_site(anonymous: Client, session: AsyncSession) -> None:
    _, commune, collection_id = await make_world(session)
    other_site = await make_site(session, "AUT", "Autre atelier")
    elsewhere = await make_collection(session, other_site, commune)
    codes = [await make_device(session, c, serial=f"S{c}") for c in (collection_id, elsewhere.collection.id)]
    await logged_in(anonymous, session, "karim", Role.ADMIN)

    waiting = section((await anonymous.get("/")).text, "waiting")

    assert waiting.startswith(" Ceux qui attendent le plus") and "collecté 2" in waiting
    assert all(code in waiting for code in codes)
    assert "Aucun appareil réceptionné aujourd'hui." in section((await anonymous.get("/")).text, "today")


@pytest.mark.parametrize(
    ("role", "landing"),
    [(Role.TECHNICIAN, "/scan"), (Role.RECEPTION, "/reception"), (Role.COLLECTIVITY, "/reports")],
)
async def test_each_role_lands_on_its_own_page(
    anonymous: Client, session: AsyncSession, role: Role, landing: str
) -> None:
    _, commune, _ = await make_world(session)
    await logged_in(anonymous, session, "quelqu-un", role, partner_id=commune.id if role is Role.COLLECTIVITY else None)
    home = await anonymous.get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == landing
    assert (await anonymous.get(landing)).status_code == 200


async def test_a_role_that_may_not_open_its_landing_keeps_the_home_page(
    anonymous: Client, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await logged_in(anonymous, session, "julie", Role.TECHNICIAN)
    without_scan = roles.MATRIX[Role.TECHNICIAN] - {Permission.DEVICES_READ}
    monkeypatch.setitem(roles.MATRIX, Role.TECHNICIAN, without_scan)

    home = await anonymous.get("/", follow_redirects=False)

    assert home.status_code == 200 and "Bonjour Julie" in home.text
    assert 'id="dashboard-today"' not in home.text  # the dashboard is a manager's
