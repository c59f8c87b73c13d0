"""Every page, on a laptop and on a phone (issue 16): each HTML page of the application is opened in
Chromium at 1366×768 and at 390×844 by the role that works with it, screenshotted in
test-artifacts/pages/, and must not be wider than the screen (a wide table scrolls inside its
panel, the navigation collapses). The list of pages is checked against the application's route
table, so a new page cannot escape it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar.response import Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts import service as accounts
from reemploi.accounts.models import User
from reemploi.accounts.roles import Role
from reemploi.actors import Actor
from reemploi.devices import service as devices
from reemploi.devices.lifecycle import Action
from reemploi.parts import service as parts
from reemploi.recycling import service as recycling
from reemploi.sales import rules as sale_rules
from reemploi.sales import service as sales
from reemploi.sales import till
from reemploi.stock import service as stock
from tests.factories import make_beneficiary, make_collection, make_commune, make_device, make_ready, make_site
from tests.support.server import LiveServer
from tests.test_browser import ARTIFACTS, PASSWORD

WIDTHS = {1366: 768, 390: 844}
ANONYMOUS = None


@dataclass(frozen=True)
class Visit:
    route: str  # as in the route table
    role: Role | None  # who opens it (None: nobody logged in)
    url: str  # {collection}, {site}, {partner}, {user}, {lot}, {sale}, {device} filled from the world


VISITS = (
    Visit("/login", ANONYMOUS, "/login"),
    Visit("/login/code", ANONYMOUS, "/login/code"),
    Visit("/verifier", ANONYMOUS, "/verifier"),
    Visit("/", Role.MANAGER, "/"),
    Visit("/account/password", Role.MANAGER, "/account/password"),
    Visit("/users", Role.ADMIN, "/users"),
    Visit("/users/new", Role.ADMIN, "/users/new"),
    Visit("/users/{user_id:int}", Role.ADMIN, "/users/{user}"),
    Visit("/tokens", Role.ADMIN, "/tokens"),
    Visit("/sites", Role.MANAGER, "/sites"),
    Visit("/sites/new", Role.ADMIN, "/sites/new"),
    Visit("/sites/{site_id:int}", Role.MANAGER, "/sites/{site}"),
    Visit("/sites/{site_id:int}/prices", Role.MANAGER, "/sites/{site}/prices"),
    Visit("/sites/{site_id:int}/sale-settings", Role.MANAGER, "/sites/{site}/sale-settings"),
    Visit("/partners", Role.MANAGER, "/partners"),
    Visit("/partners/new", Role.MANAGER, "/partners/new"),
    Visit("/partners/{partner_id:int}", Role.MANAGER, "/partners/{partner}"),
    Visit("/collections", Role.MANAGER, "/collections"),
    Visit("/collections/new", Role.MANAGER, "/collections/new"),
    Visit("/collections/{collection_id:int}/intake", Role.TECHNICIAN, "/collections/{collection}/intake"),
    Visit("/devices", Role.MANAGER, "/devices"),
    Visit("/scan", Role.TECHNICIAN, "/scan?code={device}"),
    Visit("/stock", Role.MANAGER, "/stock"),
    Visit("/stock/locations", Role.MANAGER, "/stock/locations"),
    Visit("/labels", Role.MANAGER, "/labels"),
    Visit("/parts", Role.MANAGER, "/parts"),
    Visit("/recycling-lots", Role.MANAGER, "/recycling-lots"),
    Visit("/recycling-lots/{lot_id:int}", Role.MANAGER, "/recycling-lots/{lot}"),
    Visit("/reception", Role.RECEPTION, "/reception"),
    Visit("/reception/returns", Role.RECEPTION, "/reception/returns"),
    Visit("/reception/sales/{sale_id:int}", Role.RECEPTION, "/reception/sales/{sale}"),
    Visit("/reception/beneficiaries", Role.RECEPTION, "/reception/beneficiaries"),
    Visit("/reception/beneficiaries/new", Role.RECEPTION, "/reception/beneficiaries/new"),
    Visit("/reports", Role.COLLECTIVITY, "/reports"),
)

EXCLUDED = {
    "/first-steps": "an htmx fragment, shown inside the home page (visited with /)",
    "/scan/card": "an htmx fragment, the device card shown inside /scan (visited with /scan?code=)",
    "/partners/communes": "an htmx fragment, the communes found while typing on a partner's page",
    "/labels/print": "answers a PDF; its refusal is the labels page's form again",
}


def _page_routes(app: Litestar) -> set[str]:
    """The GET routes that render a page (a Template), outside the API and the static files."""
    found = set()
    for route in app.routes:
        if route.path.startswith(("/api", "/static", "/schema")):
            continue
        for handler in getattr(route, "route_handlers", []):
            answer = handler.parsed_fn_signature.return_type.annotation
            if "GET" in handler.http_methods and Template in (answer, *getattr(answer, "__args__", ())):
                found.add(route.path)
    return found


def test_every_page_of_the_application_is_visited_or_excluded_with_a_reason(app: Litestar) -> None:
    pages = _page_routes(app)
    visited = {visit.route for visit in VISITS}
    assert pages - visited - set(EXCLUDED) == set(), "a page is neither visited here nor excluded"
    assert (visited | set(EXCLUDED)) - pages == set(), "a listed page is no longer in the route table"


async def _world(session: AsyncSession) -> dict[str, Any]:
    """A site, a collectivity that gives, a collection with devices in several states (one sold,
    with its receipt), a beneficiary, a recycling lot, a part, a stock location, a person per role."""
    site = await make_site(session)
    commune = await make_commune(session)
    collection_id = (await make_collection(session, site, commune)).collection.id
    collected = await make_device(session, collection_id, serial="PF1PAGE-WITH-A-RATHER-LONG-SERIAL-0001")
    diagnosed = await make_device(session, collection_id, serial="PF1PAGE2")
    for action in (Action.RECEIVE, Action.START_DIAGNOSIS):
        await devices.transition(session, diagnosed, action, Actor("test"))
    await make_ready(session, collection_id, "PF1PAGE3")
    sold = await make_ready(session, collection_id, "PF1PAGE4", price="95")
    beneficiary = await make_beneficiary(session)
    await till.open_till(session, site.id, 5000, Actor("test"))
    sale = await sales.sell(
        session,
        sales.NewSale(site.id, beneficiary, [sold], [sale_rules.Payment("cash", 9500)]),
        Actor("test"),
    )
    lot = await recycling.open_lot(session, site.id, "ecosystem", Actor("test"))
    await parts.add_new_parts(session, site.id, parts.NewPart("ram", "DDR4 8 Go SO-DIMM 2666 MHz"), Actor("test"))
    await stock.add_location(session, site.id, "A-01", "étagère du fond")
    for role in Role:
        await accounts.create_user(
            session,
            accounts.NewUser(
                role.value,
                f"Personne {role.value}",
                role,
                PASSWORD,
                partner_id=commune.id if role is Role.COLLECTIVITY else None,
                site_ids=(site.id,),
            ),
        )
    technician = (await session.execute(select(User.id).where(User.login == "technician"))).scalar_one()
    await session.commit()
    return {
        "collection": collection_id,
        "site": site.id,
        "partner": commune.id,
        "user": technician,
        "lot": lot.id,
        "sale": sale.id,
        "device": collected,
    }


# Whether the page is wider than the screen and, if so, which elements stick out: those past the
# right edge that hold nothing else past it (the cause, not its parents), outside any scrolling box.
OVERFLOW = """() => {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width) return null;
    const clipped = (element) => {
        for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== 'visible') return true;
        }
        return false;
    };
    const past = [...document.body.querySelectorAll('*')].filter(
        (element) => element.getBoundingClientRect().right > width + 0.5 && !clipped(element));
    const causes = past.filter((element) => !past.some((other) => other !== element && element.contains(other)));
    const name = (element) => element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
        + [...element.classList].map((c) => '.' + c).join('')
        + ' (' + Math.round(element.getBoundingClientRect().right) + ' px: '
        + (element.textContent || '').trim().slice(0, 40) + ')';
    causes.sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right);
    return {scrollWidth, width, widest: causes.slice(0, 3).map(name)};
}"""


def _slug(visit: Visit, url: str) -> str:
    who = visit.role.value if visit.role else "anonymous"
    return f"{who}-" + (re.sub(r"[^a-z0-9]+", "-", url.split("?")[0].lower()).strip("-") or "home")


async def _context(browser: Any, base_url: str, width: int, role: Role | None) -> Any:
    context = await browser.new_context(viewport={"width": width, "height": WIDTHS[width]}, locale="fr-FR")
    if role is not None:
        page = await context.new_page()
        await page.goto(f"{base_url}/login")
        await page.get_by_label("Identifiant").fill(role.value)
        await page.get_by_label("Mot de passe").fill(PASSWORD)
        await page.get_by_role("button", name="Se connecter").click()
        await page.wait_for_url(lambda url: "/login" not in url)
        await page.close()
    return context


async def _the_menu_folds_on_a_phone_and_opens_from_the_keyboard(
    page: Any, base_url: str, width: int, shot: str
) -> None:
    """On a phone the links hide under "Menu", which Tab reaches and Enter opens; on a laptop they show."""
    await page.goto(f"{base_url}/devices")
    menu = page.get_by_text(texts.UI["menu"], exact=True)
    link = page.get_by_role("link", name=texts.UI["nav_stock"])
    if width > 640:
        assert not await menu.is_visible() and await link.is_visible()
        return
    assert await menu.is_visible() and not await link.is_visible()
    while not await menu.evaluate("element => element === document.activeElement"):
        await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await link.wait_for()
    await page.screenshot(path=shot, full_page=True)
    await link.click()
    await page.wait_for_url(f"{base_url}/stock")


async def test_no_page_is_wider_than_a_laptop_or_a_phone_screen(
    browser: Any, live_server: LiveServer, session: AsyncSession, engine_name: str
) -> None:
    world = await _world(session)
    shots = ARTIFACTS / "pages"
    shots.mkdir(parents=True, exist_ok=True)
    too_wide = []
    for width in WIDTHS:
        for role in (ANONYMOUS, *Role):
            context = await _context(browser, live_server.url, width, role)
            page = await context.new_page()
            if role is Role.MANAGER:
                shot = str(shots / f"{engine_name}-{width}-manager-menu-open.png")
                await _the_menu_folds_on_a_phone_and_opens_from_the_keyboard(page, live_server.url, width, shot)
            for visit in (v for v in VISITS if v.role is role):
                url = visit.url.format(**world)
                answer = await page.goto(f"{live_server.url}{url}")
                await page.wait_for_load_state("networkidle")
                assert answer is not None and answer.status == 200, (url, role, answer and answer.status)
                assert "/login" not in page.url or role is None, f"{url}: {role} was sent to the login page"
                await page.screenshot(
                    path=str(shots / f"{engine_name}-{width}-{_slug(visit, url)}.png"), full_page=True
                )
                overflow = await page.evaluate(OVERFLOW)
                if overflow:
                    too_wide.append(f"{url} at {width} px ({role}): {overflow}")
            await context.close()
    assert not too_wide, "pages wider than the screen:\n" + "\n".join(too_wide)
