"""Accounts as the workshop lives them: the admin opens an account for each person, people log in
at the bench or the desk (a form) or from a script (the JSON API), log out, get locked out for a
while when someone guesses at their password, and integrations hold API tokens that can be
revoked. Everything through HTTP; the database is only read to check what is stored (hashes,
never secrets) and written to make time pass (a wait that ended, a session that expired)."""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from argon2 import PasswordHasher
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi.accounts import passwords
from reemploi.accounts.models import ApiToken, AuthEvent, LoginThrottle, User, WebSession
from reemploi.db import utcnow
from tests.through_api import API, Client, make_donor, make_site, ok, problem

SESSION = f"{API}/session"
LOGOUT = f"{API}/session/logout"
ME = f"{API}/me"
USERS = f"{API}/users"
TOKENS = f"{API}/tokens"
SITES = f"{API}/sites"
COOKIE = "reemploi_session"
CSRF = "X-CSRF-Token"
HOST = "http://testserver.local"  # where the test client's requests go

# A passphrase that passes the policy (12+ characters, zxcvbn score 4).
PASSPHRASE = "Velo orange sous la pluie 42"
WRONG = "Pas le bon mot de passe 77"

GENERIC_FAILURE = "Identifiant ou mot de passe incorrect."
WAIT = re.compile(r"Réessayez dans (\d+) s")


# --- Helpers ------------------------------------------------------------------------------------


async def open_account(
    client: Client, login: str, role: str = "technician", password: str = PASSPHRASE, **fields: Any
) -> dict[str, Any]:
    """An account created by whoever `client` is (the admin's token unless told otherwise)."""
    return ok(
        await client.post(
            USERS,
            json={
                "login": login,
                "name": fields.pop("name", f"Compte {login}"),
                "role": role,
                "password": password,
                **fields,
            },
        )
    )


async def log_in(
    browser: Client | httpx.AsyncClient, login: str, password: str = PASSPHRASE, **headers: str
) -> httpx.Response:
    return await browser.post(SESSION, json={"login": login, "password": password}, headers=headers)


async def logged_in(browser: Client, login: str) -> str:
    """Log `browser` in through the API; its cookie jar now holds the session. Returns the CSRF token."""
    return ok(await log_in(browser, login))["csrf_token"]


def wait_announced(response: httpx.Response) -> int:
    """The seconds a 429 tells the person to wait, read from its French message."""
    body = problem(response, 429, "too-many-requests")
    found = WAIT.search(body["detail"])
    assert found, body["detail"]
    return int(found.group(1))


async def the_wait_ends(session: AsyncSession) -> None:
    """Time passes until every current lockout is over (the failures stay counted)."""
    await session.execute(update(LoginThrottle).values(blocked_until=utcnow() - timedelta(seconds=1)))
    await session.commit()


async def throttle(session: AsyncSession, key: str) -> LoginThrottle | None:
    session.expire_all()
    row = await session.get(LoginThrottle, key)
    await session.commit()
    return row


async def stored_sessions(session: AsyncSession) -> list[WebSession]:
    session.expire_all()
    rows = list((await session.execute(select(WebSession).order_by(WebSession.id))).scalars())
    await session.commit()
    return rows


async def age_sessions(session: AsyncSession, **columns: Any) -> None:
    await session.execute(update(WebSession).values(**columns))
    await session.commit()


def set_cookie_header(response: httpx.Response) -> str:
    cookies = [v for k, v in response.headers.multi_items() if k.lower() == "set-cookie" and v.startswith(f"{COOKIE}=")]
    assert len(cookies) == 1, response.headers
    return cookies[0]


def with_cookie(browser: Client, key: str) -> None:
    """What a thief (or a stale tab) does: send a cookie value it kept."""
    browser.cookies.clear()
    browser.cookies.set(COOKIE, key)


def redirect_target(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    return response.headers["location"]


def all_values(row: Any) -> list[str]:
    return [str(getattr(row, column.key)) for column in row.__table__.columns]


@pytest.fixture(autouse=True)
def quick_argon2(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with its cheapest parameters: the same code paths at a fraction of a millisecond a
    hash, instead of ~0.1 s. Tests that ask for `real_argon2` keep the production parameters."""
    if "real_argon2" not in request.fixturenames:
        monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def real_argon2() -> None:
    """The production hashing parameters (see quick_argon2)."""


@pytest.fixture
async def from_elsewhere(app: Litestar, anonymous: Client) -> AsyncIterator[httpx.AsyncClient]:
    """A browser on another computer (its own address, so its own throttling counter).

    Its requests run in the test's event loop, so several can be in flight at once; AsyncTestClient
    runs each request to its end through a blocking portal, one at a time. The app is running
    (lifespan) thanks to `anonymous`."""
    transport = httpx.ASGITransport(app=app, client=("198.51.100.23", 51000))
    async with httpx.AsyncClient(transport=transport, base_url=HOST) as browser:
        yield browser


# --- 1. Accounts of each role, logging in and out ----------------------------------------------


async def test_the_admin_opens_an_account_for_each_role_and_each_person_logs_in(client: Client, app: Litestar) -> None:
    commune = await make_donor(client, "Ville de Villeurbanne")
    people = {
        "admin": {"login": "it.atelier"},
        "manager": {"login": "claire.responsable"},
        "technician": {"login": "karim.banc"},
        "reception": {"login": "sophie.accueil"},
        "collectivity": {"login": "mairie.villeurbanne", "partner_id": commune["id"]},
    }
    for role, fields in people.items():
        created = await open_account(client, role=role, name=f"Personne {role}", **fields)
        assert (created["login"], created["role"], created["active"]) == (fields["login"], role, True)
        assert created["partner_id"] == fields.get("partner_id")
        assert created["last_login_at"] is None
        assert "password" not in created and "password_hash" not in created

    for role, fields in people.items():
        async with AsyncTestClient(app) as browser:  # each person at their own computer
            opened = ok(await log_in(browser, fields["login"]), 201)
            assert (opened["login"], opened["role"], opened["name"]) == (fields["login"], role, f"Personne {role}")
            me = ok(await browser.get(ME), 200)
            assert me == {
                "login": fields["login"],
                "name": f"Personne {role}",
                "role": role,
                "partner_id": fields.get("partner_id"),
                "kind": "user",
                "csrf_token": opened["csrf_token"],
            }

    listed = {u["login"]: u for u in ok(await client.get(USERS), 200)["items"]}
    assert set(listed) == {f["login"] for f in people.values()}
    assert all(u["last_login_at"] is not None for u in listed.values()), "each login is dated"


async def test_a_collectivity_account_is_bound_to_a_collectivity_and_no_other_account_is(client: Client) -> None:
    commune = await make_donor(client, "Ville de Villeurbanne")
    association = ok(await client.post(f"{API}/partners", json={"kind": "association", "name": "Lien Numérique"}))

    missing = problem(
        await client.post(
            USERS,
            json={
                "login": "mairie",
                "name": "Mairie",
                "role": "collectivity",
                "password": PASSPHRASE,
            },
        ),
        422,
        "invalid-input",
    )
    assert "partner_id" in missing["detail"]
    not_a_collectivity = problem(
        await client.post(
            USERS,
            json={
                "login": "mairie",
                "name": "Mairie",
                "role": "collectivity",
                "password": PASSPHRASE,
                "partner_id": association["id"],
            },
        ),
        422,
        "invalid-input",
    )
    assert str(association["id"]) in not_a_collectivity["detail"]

    for role in ("admin", "manager", "technician", "reception"):
        refused = problem(
            await client.post(
                USERS,
                json={
                    "login": f"x.{role}",
                    "name": "X",
                    "role": role,
                    "password": PASSPHRASE,
                    "partner_id": commune["id"],
                },
            ),
            422,
            "invalid-input",
        )
        assert "collectivité" in refused["detail"], role

    assert ok(await client.get(USERS), 200)["items"] == [], "no account was half-created"


async def test_the_sites_of_an_account_must_exist(client: Client) -> None:
    site = await make_site(client, "VIL")
    refused = problem(
        await client.post(
            USERS,
            json={
                "login": "karim",
                "name": "Karim",
                "role": "technician",
                "password": PASSPHRASE,
                "site_ids": [site["id"] + 1],
            },
        ),
        422,
        "invalid-input",
    )
    assert str(site["id"] + 1) in refused["detail"]
    await open_account(client, "karim", site_ids=[site["id"]])


async def test_a_login_is_taken_once_whatever_its_case_and_is_typed_in_any_case(
    client: Client, anonymous: Client
) -> None:
    await open_account(client, "Martine.Lefevre")
    taken = problem(
        await client.post(
            USERS,
            json={
                "login": "martine.lefevre",
                "name": "Homonyme",
                "role": "reception",
                "password": PASSPHRASE,
            },
        ),
        409,
        "duplicate",
    )
    assert "martine.lefevre" in taken["detail"]

    opened = ok(await log_in(anonymous, "  MARTINE.lefevre "), 201)
    assert opened["login"] == "martine.lefevre"


async def test_logging_in_through_the_api_sets_an_httponly_session_cookie_whose_key_is_stored_hashed(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    await open_account(client, "karim")
    response = await log_in(anonymous, "karim")
    opened = ok(response, 201)
    assert opened["csrf_token"]
    lifetime = datetime.fromisoformat(opened["expires_at"]) - utcnow()
    assert timedelta(hours=11, minutes=59) < lifetime <= timedelta(hours=12), "a working day"

    cookie = set_cookie_header(response).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    key = response.cookies[COOKIE]
    [stored] = await stored_sessions(session)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest() != key
    assert key not in all_values(stored)
    assert stored.csrf_token == opened["csrf_token"]

    me = ok(await anonymous.get(ME), 200)
    assert (me["login"], me["kind"]) == ("karim", "user")


async def test_over_https_the_session_cookie_is_marked_secure(client: Client, app: Litestar) -> None:
    await open_account(client, "karim")
    async with AsyncTestClient(app, base_url="https://reemploi.example") as browser:
        response = await log_in(browser, "karim", Origin="https://reemploi.example")
        ok(response, 201)
        assert "secure" in set_cookie_header(response).lower()


async def test_logging_in_through_the_form_goes_on_to_the_page_asked_for(client: Client, anonymous: Client) -> None:
    await open_account(client, "sophie", role="reception", name="Sophie Martin")
    form = await anonymous.get("/login?next=/")
    assert form.status_code == 200 and 'name="password"' in form.text

    response = await anonymous.post(
        "/login", data={"login": "sophie", "password": PASSPHRASE, "next": "/"}, follow_redirects=False
    )
    assert redirect_target(response) == "/"
    assert "httponly" in set_cookie_header(response).lower()

    assert redirect_target(await anonymous.get("/", follow_redirects=False)) == "/reception"  # the desk's page
    home = await anonymous.get("/reception", follow_redirects=False)
    assert home.status_code == 200
    assert "Sophie Martin" in home.text
    assert ok(await anonymous.get(ME), 200)["login"] == "sophie"


async def test_a_page_asked_without_a_session_sends_to_the_login_and_back(anonymous: Client) -> None:
    response = await anonymous.get("/", follow_redirects=False)
    target = urlsplit(redirect_target(response))
    assert target.path == "/login"
    assert parse_qs(target.query) == {"next": ["/"]}


async def test_logging_out_ends_the_session_on_the_server_and_a_replayed_cookie_is_refused(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    await open_account(client, "karim")
    response = await log_in(anonymous, "karim")
    key, csrf = response.cookies[COOKIE], response.json()["csrf_token"]
    assert len(await stored_sessions(session)) == 1

    out = await anonymous.post(LOGOUT, headers={CSRF: csrf})
    assert out.status_code == 204, out.text
    forget = set_cookie_header(out).lower()
    assert "max-age=0" in forget, "the browser is told to forget the cookie"
    assert await stored_sessions(session) == [], "the session is gone from the server"

    with_cookie(anonymous, key)
    refused = problem(await anonymous.get(ME), 401, "not-authenticated")
    assert "reconnectez-vous" in refused["detail"]
    problem(
        await anonymous.post(SITES, json={"code": "VIL", "name": "Atelier"}, headers={CSRF: csrf}),
        401,
        "not-authenticated",
    )


async def test_logging_out_through_the_form_ends_the_session_too(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    await open_account(client, "sophie", role="reception")
    response = await anonymous.post(
        "/login", data={"login": "sophie", "password": PASSPHRASE, "next": "/"}, follow_redirects=False
    )
    key = response.cookies[COOKIE]
    csrf = ok(await anonymous.get(ME), 200)["csrf_token"]
    home = await anonymous.get("/reception", follow_redirects=False)
    assert f'name="_csrf" value="{csrf}"' in home.text, "the page's logout form carries the CSRF token"

    out = await anonymous.post("/logout", data={"_csrf": csrf}, follow_redirects=False)
    assert redirect_target(out) == "/login"
    assert "max-age=0" in set_cookie_header(out).lower()
    assert await stored_sessions(session) == []

    with_cookie(anonymous, key)
    assert urlsplit(redirect_target(await anonymous.get("/", follow_redirects=False))).path == "/login"
    assert "reconnectez-vous" in problem(await anonymous.get(ME), 401, "not-authenticated")["detail"]


async def test_a_switched_off_account_cannot_log_in_and_its_open_session_ends(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    """Someone leaves the workshop (no screen for it yet: the `active` flag is set in the database)."""
    await open_account(client, "karim")
    await logged_in(anonymous, "karim")
    await session.execute(update(User).where(User.login == "karim").values(active=False))
    await session.commit()

    problem(await anonymous.get(ME), 401, "not-authenticated")
    anonymous.cookies.clear()
    assert problem(await log_in(anonymous, "karim"), 401, "login-failed")["detail"] == GENERIC_FAILURE


# --- 2. Failed logins and throttling -----------------------------------------------------------


async def test_an_unknown_login_and_a_wrong_password_get_the_very_same_answer(
    client: Client, anonymous: Client
) -> None:
    await open_account(client, "karim")
    unknown = problem(await log_in(anonymous, "personne", WRONG), 401, "login-failed")
    wrong = problem(await log_in(anonymous, "karim", WRONG), 401, "login-failed")
    assert unknown == wrong
    assert unknown["detail"] == GENERIC_FAILURE
    assert COOKIE not in anonymous.cookies

    unknown_page = await anonymous.post(
        "/login", data={"login": "personne", "password": WRONG, "next": "/"}, follow_redirects=False
    )
    wrong_page = await anonymous.post(
        "/login", data={"login": "karim", "password": WRONG, "next": "/"}, follow_redirects=False
    )
    assert unknown_page.status_code == wrong_page.status_code == 401
    assert GENERIC_FAILURE in unknown_page.text and GENERIC_FAILURE in wrong_page.text
    assert unknown_page.text.replace("personne", "karim") == wrong_page.text
    assert WRONG not in wrong_page.text, "the password typed is never sent back"


async def test_after_five_failures_the_sixth_try_waits_even_with_the_right_password(
    client: Client, anonymous: Client, from_elsewhere: httpx.AsyncClient, session: AsyncSession
) -> None:
    await open_account(client, "karim")
    for attempt, typed in enumerate(["karim", "KARIM", "Karim", " karim", "kArIm"], start=1):
        problem(await log_in(anonymous, typed, f"{WRONG} {attempt}"), 401, "login-failed")  # one account

    locked = await log_in(anonymous, "karim", PASSPHRASE)
    body = problem(locked, 429, "too-many-requests")
    assert body["detail"].startswith("Trop de tentatives de connexion.")
    assert wait_announced(locked) == 1
    assert COOKIE not in anonymous.cookies
    assert wait_announced(await log_in(from_elsewhere, "karim")) == 1, "the account is locked, not the computer"
    assert (await throttle(session, "login:karim")).failures == 5, "a refused try is not a failure"

    await the_wait_ends(session)
    ok(await log_in(anonymous, "karim", PASSPHRASE), 201)
    assert await throttle(session, "login:karim") is None, "a success clears the account's counter"


async def test_each_further_failure_doubles_the_wait(client: Client, anonymous: Client, session: AsyncSession) -> None:
    await open_account(client, "karim")
    for _ in range(5):
        problem(await log_in(anonymous, "karim", WRONG), 401, "login-failed")
    assert wait_announced(await log_in(anonymous, "karim", WRONG)) == 1

    await the_wait_ends(session)
    problem(await log_in(anonymous, "karim", WRONG), 401, "login-failed")
    assert wait_announced(await log_in(anonymous, "karim", PASSPHRASE)) == 2

    await the_wait_ends(session)
    problem(await log_in(anonymous, "karim", WRONG), 401, "login-failed")
    assert wait_announced(await log_in(anonymous, "karim", PASSPHRASE)) == 4


async def test_a_success_resets_the_account_counter(
    client: Client, anonymous: Client, from_elsewhere: httpx.AsyncClient, session: AsyncSession
) -> None:
    await open_account(client, "karim")
    for _ in range(4):
        problem(await log_in(anonymous, "karim", WRONG), 401, "login-failed")
    assert (await throttle(session, "login:karim")).failures == 4
    ok(await log_in(anonymous, "karim"), 201)
    assert await throttle(session, "login:karim") is None

    # From another computer (its own address counter), four more slips: without the reset the
    # account would have reached its fifth failure at the first one and be locked.
    for _ in range(4):
        problem(await log_in(from_elsewhere, "karim", WRONG), 401, "login-failed")
    ok(await log_in(from_elsewhere, "karim"), 201)


async def test_one_address_guessing_at_unknown_logins_is_slowed_but_a_right_password_still_logs_in(
    client: Client, anonymous: Client, from_elsewhere: httpx.AsyncClient, session: AsyncSession
) -> None:
    """A workshop's benches share one public address (issue 16): five guesses at unknown logins slow
    further unknown logins from it, but a colleague with the right password logs in, and a wrong
    password for a real account is still checked and counted, against that account."""
    await open_account(client, "karim")
    for n in range(5):
        problem(await log_in(anonymous, f"inconnu{n}", WRONG), 401, "login-failed")

    assert wait_announced(await log_in(anonymous, "inconnu5", WRONG)) >= 1, "unknown logins wait"
    problem(await log_in(anonymous, "karim", WRONG), 401, "login-failed")
    assert (await throttle(session, "login:karim")).failures == 1
    ok(await log_in(anonymous, "karim", PASSPHRASE), 201)
    ok(await log_in(from_elsewhere, "karim"), 201)


async def test_ten_failures_for_one_account_never_keep_a_colleague_at_the_same_address_out(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    await open_account(client, "karim")
    await open_account(client, "amina")
    statuses = [(await log_in(anonymous, "karim", f"{WRONG} {n}")).status_code for n in range(10)]
    # Karim's own account locks after five failures (a slow machine may see a short lock end and one
    # more failure counted, which locks it longer).
    assert statuses[:6] == [401] * 5 + [429], statuses
    assert set(statuses[6:]) <= {401, 429}, statuses
    assert (await throttle(session, "address:testclient")).failures == statuses.count(401)

    ok(await log_in(anonymous, "amina", PASSPHRASE), 201)
    assert (await throttle(session, "login:karim")).failures >= 5, "karim's count stays"


async def test_the_form_tells_a_locked_out_person_how_long_to_wait(client: Client, anonymous: Client) -> None:
    await open_account(client, "karim")
    for _ in range(5):
        await log_in(anonymous, "karim", WRONG)
    page = await anonymous.post(
        "/login", data={"login": "karim", "password": PASSPHRASE, "next": "/"}, follow_redirects=False
    )
    assert page.status_code == 429
    assert page.headers["content-type"].startswith("text/html")
    assert WAIT.search(page.text), page.text
    assert COOKIE not in anonymous.cookies


async def test_guesses_sent_in_parallel_get_no_more_than_five_password_checks(
    client: Client, from_elsewhere: httpx.AsyncClient, real_argon2: None
) -> None:
    await open_account(client, "karim")
    answers = await asyncio.gather(*(log_in(from_elsewhere, "karim", f"{WRONG} {n}") for n in range(8)))
    statuses = sorted(a.status_code for a in answers)
    checked = [s for s in statuses if s != 429]
    assert len(checked) <= 5, f"{len(checked)} passwords checked in a burst of 8: {statuses}"


async def test_guesses_sent_in_parallel_are_each_answered_and_each_counted(
    client: Client,
    from_elsewhere: httpx.AsyncClient,
    session: AsyncSession,
    engine_name: str,
    request: pytest.FixtureRequest,
) -> None:
    await open_account(client, "karim")
    answers = await asyncio.gather(*(log_in(from_elsewhere, "karim", f"{WRONG} {n}") for n in range(8)))
    statuses = [a.status_code for a in answers]
    assert set(statuses) <= {401, 429}, [a.text for a in answers if a.status_code not in (401, 429)]
    assert (await throttle(session, "login:karim")).failures == statuses.count(401)
    assert (await throttle(session, "address:198.51.100.23")).failures == statuses.count(401)
    problem(await log_in(from_elsewhere, "karim"), 429, "too-many-requests")


# --- 3. Password policy and storage -------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("Velo-orange", "trop court"),  # 11 characters
        ("motdepasse123", "trop facile"),
        ("azertyuiop12", "trop facile"),
        ("mlefevre123456", "trop facile"),  # the login and digits
    ],
)
async def test_a_weak_password_is_refused_with_what_to_change(client: Client, password: str, says: str) -> None:
    refused = problem(
        await client.post(
            USERS,
            json={
                "login": "mlefevre",
                "name": "Martine Lefèvre",
                "role": "technician",
                "password": password,
            },
        ),
        422,
        "invalid-input",
    )
    assert says in refused["detail"], refused["detail"]
    assert ok(await client.get(USERS), 200)["items"] == []


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("mlefevre.mlefevre", id="the-login-twice"),
        pytest.param("mlefevre-atelier", id="the-login-and-atelier"),
        pytest.param("reemploi.reemploi", id="the-workshop-word-twice"),
    ],
)
async def test_a_password_made_of_the_login_or_the_workshop_words_is_refused(client: Client, password: str) -> None:
    problem(
        await client.post(
            USERS,
            json={
                "login": "mlefevre",
                "name": "Martine Lefèvre",
                "role": "technician",
                "password": password,
            },
        ),
        422,
        "invalid-input",
    )


async def test_the_login_itself_is_what_makes_a_password_guessable(client: Client) -> None:
    """The same password is fine for someone else: the policy knows whose password it is."""
    problem(
        await client.post(
            USERS,
            json={
                "login": "mlefevre",
                "name": "Martine Lefèvre",
                "role": "technician",
                "password": "mlefevre123456",
            },
        ),
        422,
        "invalid-input",
    )
    await open_account(client, "karim", password="mlefevre123456")


async def test_the_password_is_stored_as_an_argon2id_hash_and_nowhere_in_clear(
    client: Client, anonymous: Client, session: AsyncSession, real_argon2: None
) -> None:
    await open_account(client, "karim")
    problem(await log_in(anonymous, "karim", WRONG), 401, "login-failed")
    ok(await log_in(anonymous, "karim"), 201)

    user = (await session.execute(select(User).where(User.login == "karim"))).scalar_one()
    assert user.password_hash.startswith("$argon2id$")
    assert not PasswordHasher().check_needs_rehash(user.password_hash), "today's recommended parameters"
    assert not any(PASSPHRASE in value for value in all_values(user))
    events = list((await session.execute(select(AuthEvent))).scalars())
    assert {e.kind for e in events} >= {"login_failed", "login_succeeded"}
    for event in events:
        assert not any(PASSPHRASE in v or WRONG in v for v in all_values(event))
    await session.commit()


async def test_a_hash_made_with_weaker_parameters_is_upgraded_at_the_next_login(
    client: Client, anonymous: Client, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await open_account(client, "karim")  # hashed with the cheap test parameters
    old = (await session.execute(select(User.password_hash).where(User.login == "karim"))).scalar_one()
    await session.commit()
    monkeypatch.undo()  # the production parameters are back, as after an upgrade of argon2-cffi
    assert PasswordHasher().check_needs_rehash(old)

    ok(await log_in(anonymous, "karim"), 201)
    new = (await session.execute(select(User.password_hash).where(User.login == "karim"))).scalar_one()
    await session.commit()
    assert new != old and new.startswith("$argon2id$")
    assert not PasswordHasher().check_needs_rehash(new)
    anonymous.cookies.clear()
    ok(await log_in(anonymous, "karim"), 201)  # and the new hash checks the same password


# --- 4. CSRF and login from another site --------------------------------------------------------


async def test_with_a_cookie_session_a_change_needs_the_csrf_token(client: Client, anonymous: Client) -> None:
    await open_account(client, "it.atelier", role="admin")
    csrf = await logged_in(anonymous, "it.atelier")
    site = {"code": "VIL", "name": "Atelier de Villeurbanne"}

    missing = problem(await anonymous.post(SITES, json=site), 403, "forbidden")
    assert "CSRF" in missing["detail"]
    problem(await anonymous.post(SITES, json=site, headers={CSRF: csrf[::-1]}), 403, "forbidden")
    assert ok(await anonymous.get(SITES), 200)["items"] == [], "reads need no token, and nothing was created"

    created = ok(await anonymous.post(SITES, json=site, headers={CSRF: csrf}))
    assert created["code"] == "VIL"


async def test_logging_out_with_the_cookie_alone_is_refused_and_the_session_stays(
    client: Client, anonymous: Client
) -> None:
    await open_account(client, "karim")
    csrf = await logged_in(anonymous, "karim")
    problem(await anonymous.post(LOGOUT), 403, "forbidden")
    page = await anonymous.post("/logout", data={}, follow_redirects=False)  # the form: a page says why
    assert page.status_code == 403 and page.headers["content-type"].startswith("text/html")
    assert "CSRF" in page.text
    assert ok(await anonymous.get(ME), 200)["login"] == "karim"

    out = await anonymous.post(LOGOUT, headers={CSRF: csrf})
    assert out.status_code == 204


async def test_a_bearer_token_needs_no_csrf_token(client: Client) -> None:
    assert CSRF not in client.headers
    site = await make_site(client, "VIL")
    assert site["code"] == "VIL"
    assert ok(await client.get(ME), 200)["csrf_token"] is None


@pytest.mark.parametrize(
    "header",
    [
        {"Origin": "https://evil.example"},
        {"Referer": "https://evil.example/formulaire.html"},
    ],
)
async def test_a_login_posted_from_another_site_is_refused(
    client: Client, anonymous: Client, session: AsyncSession, header: dict[str, str]
) -> None:
    await open_account(client, "karim")
    refused = problem(await log_in(anonymous, "karim", **header), 403, "forbidden")
    assert "CSRF" in refused["detail"]

    page = await anonymous.post(
        "/login", data={"login": "karim", "password": PASSPHRASE, "next": "/"}, headers=header, follow_redirects=False
    )
    assert page.status_code == 403
    assert COOKIE not in anonymous.cookies
    assert await stored_sessions(session) == []

    ok(await log_in(anonymous, "karim", Origin=HOST), 201)  # from the workshop's own page: fine


# --- 5. API tokens ------------------------------------------------------------------------------


async def test_a_new_token_is_shown_once_works_and_is_stored_only_hashed(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    created = ok(await client.post(TOKENS, json={"name": "Balance de pesée", "role": "technician"}))
    secret = created["secret"]
    assert secret.startswith("rmp_") and len(secret) > 40
    assert secret.startswith(created["prefix"]) and created["prefix"] != secret

    anonymous.headers["Authorization"] = f"Bearer {secret}"
    me = ok(await anonymous.get(ME), 200)
    assert (me["kind"], me["role"], me["name"]) == ("token", "technician", "Balance de pesée")

    listing = await client.get(TOKENS)
    assert secret not in listing.text
    listed = {t["name"]: t for t in ok(listing, 200)["items"]}
    assert listed["Balance de pesée"]["secret"] is None
    assert listed["Balance de pesée"]["prefix"] == created["prefix"]

    stored = await session.get(ApiToken, created["id"])
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest() != secret
    assert not any(secret in value for value in all_values(stored))
    events = list((await session.execute(select(AuthEvent))).scalars())
    assert not any(secret in value for event in events for value in all_values(event))
    await session.commit()


async def test_a_token_s_last_use_is_dated(client: Client, anonymous: Client) -> None:
    created = ok(await client.post(TOKENS, json={"name": "Scanner du banc 2", "role": "technician"}))
    before = {t["id"]: t for t in ok(await client.get(TOKENS), 200)["items"]}
    assert before[created["id"]]["last_used_at"] is None

    anonymous.headers["Authorization"] = f"Bearer {created['secret']}"
    ok(await anonymous.get(SITES), 200)

    after = {t["id"]: t for t in ok(await client.get(TOKENS), 200)["items"]}
    assert after[created["id"]]["last_used_at"] is not None


async def test_a_revoked_token_is_refused_at_once(client: Client, anonymous: Client) -> None:
    created = ok(await client.post(TOKENS, json={"name": "Ancien script", "role": "manager"}))
    anonymous.headers["Authorization"] = f"Bearer {created['secret']}"
    ok(await anonymous.get(ME), 200)

    revoked = ok(await client.post(f"{TOKENS}/{created['id']}/revoke"), 200)
    assert revoked["revoked_at"] is not None and revoked["secret"] is None

    problem(await anonymous.get(ME), 401, "not-authenticated")
    problem(await anonymous.post(SITES, json={"code": "VIL", "name": "Atelier"}), 401, "not-authenticated")
    again = ok(await client.post(f"{TOKENS}/{created['id']}/revoke"), 200)
    assert again["revoked_at"] == revoked["revoked_at"], "revoking twice changes nothing"
    problem(await client.post(f"{TOKENS}/{created['id'] + 100}/revoke"), 404, "not-found")


async def test_a_collectivity_token_is_bound_to_its_collectivity(client: Client, anonymous: Client) -> None:
    commune = await make_donor(client, "Ville de Villeurbanne")
    problem(
        await client.post(TOKENS, json={"name": "Tableau de bord mairie", "role": "collectivity"}), 422, "invalid-input"
    )
    problem(
        await client.post(TOKENS, json={"name": "Banc", "role": "technician", "partner_id": commune["id"]}),
        422,
        "invalid-input",
    )
    created = ok(
        await client.post(
            TOKENS,
            json={
                "name": "Tableau de bord mairie",
                "role": "collectivity",
                "partner_id": commune["id"],
            },
        )
    )
    anonymous.headers["Authorization"] = f"Bearer {created['secret']}"
    me = ok(await anonymous.get(ME), 200)
    assert (me["role"], me["partner_id"]) == ("collectivity", commune["id"])


async def test_an_expired_token_is_refused(client: Client, anonymous: Client, session: AsyncSession) -> None:
    created = ok(await client.post(TOKENS, json={"name": "Stagiaire", "role": "reception", "expires_in_days": 30}))
    validity = datetime.fromisoformat(created["expires_at"]) - utcnow()
    assert timedelta(days=29, hours=23) < validity <= timedelta(days=30)
    anonymous.headers["Authorization"] = f"Bearer {created['secret']}"
    ok(await anonymous.get(ME), 200)

    await session.execute(
        update(ApiToken).where(ApiToken.id == created["id"]).values(expires_at=utcnow() - timedelta(minutes=1))
    )
    await session.commit()
    problem(await anonymous.get(ME), 401, "not-authenticated")


async def test_a_token_cannot_revoke_itself(client: Client) -> None:
    [own] = [t for t in ok(await client.get(TOKENS), 200)["items"] if t["name"] == "tests"]
    refused = problem(await client.post(f"{TOKENS}/{own['id']}/revoke"), 409, "token-in-use")
    assert "autre jeton" in refused["detail"]
    assert ok(await client.get(ME), 200)["kind"] == "token", "it still works"
    [still] = [t for t in ok(await client.get(TOKENS), 200)["items"] if t["id"] == own["id"]]
    assert still["revoked_at"] is None


async def test_a_manager_cannot_grant_the_admin_role(client: Client, anonymous: Client) -> None:
    manager = ok(await client.post(TOKENS, json={"name": "Outil de la responsable", "role": "manager"}))
    anonymous.headers["Authorization"] = f"Bearer {manager['secret']}"

    token = problem(await anonymous.post(TOKENS, json={"name": "Passe-partout", "role": "admin"}), 403, "forbidden")
    assert "administration" in token["detail"]
    user = problem(
        await anonymous.post(
            USERS,
            json={
                "login": "nouvel.admin",
                "name": "Nouvel admin",
                "role": "admin",
                "password": PASSPHRASE,
            },
        ),
        403,
        "forbidden",
    )
    assert "administration" in user["detail"]
    [admins_token] = [t for t in ok(await client.get(TOKENS), 200)["items"] if t["name"] == "tests"]
    problem(await anonymous.post(f"{TOKENS}/{admins_token['id']}/revoke"), 403, "forbidden")
    assert ok(await client.get(ME), 200)["role"] == "admin", "the admin's token still works"

    # What a manager may grant, they can.
    ok(await anonymous.post(TOKENS, json={"name": "Scanner", "role": "technician"}))
    await open_account(anonymous, "nouveau.technicien")
    roles = sorted(t["role"] for t in ok(await client.get(TOKENS), 200)["items"])
    assert roles == ["admin", "manager", "technician"], "the refused admin token was not created"
    assert [u["role"] for u in ok(await client.get(USERS), 200)["items"]] == ["technician"]


async def test_a_technician_cannot_manage_tokens_or_accounts(client: Client, anonymous: Client) -> None:
    bench = ok(await client.post(TOKENS, json={"name": "Banc 1", "role": "technician"}))
    anonymous.headers["Authorization"] = f"Bearer {bench['secret']}"
    problem(await anonymous.post(TOKENS, json={"name": "Autre", "role": "technician"}), 403, "forbidden")
    problem(await anonymous.get(TOKENS), 403, "forbidden")
    problem(await anonymous.get(USERS), 403, "forbidden")


# --- 6. Sessions that expire --------------------------------------------------------------------


async def test_an_expired_session_is_refused_by_the_api_and_pages_send_back_to_login(
    client: Client, anonymous: Client, session: AsyncSession
) -> None:
    await open_account(client, "karim")
    await logged_in(anonymous, "karim")
    ok(await anonymous.get(ME), 200)

    await age_sessions(session, expires_at=utcnow() - timedelta(minutes=1))
    refused = problem(await anonymous.get(ME), 401, "not-authenticated")
    assert "expiré" in refused["detail"]

    page = await anonymous.get("/", follow_redirects=False)
    target = urlsplit(redirect_target(page))
    assert (target.path, parse_qs(target.query)) == ("/login", {"next": ["/"]})


async def test_a_session_left_idle_for_hours_expires(client: Client, anonymous: Client, session: AsyncSession) -> None:
    await open_account(client, "karim")
    await logged_in(anonymous, "karim")
    await age_sessions(session, last_seen_at=utcnow() - timedelta(hours=3))
    problem(await anonymous.get(ME), 401, "not-authenticated")


async def test_a_session_in_use_stays_open(client: Client, anonymous: Client, session: AsyncSession) -> None:
    """Working steadily: an hour and a half since the last request is not idle, and the visit is noted."""
    await open_account(client, "karim")
    await logged_in(anonymous, "karim")
    an_hour_and_a_half_ago = utcnow() - timedelta(minutes=90)
    await age_sessions(session, last_seen_at=an_hour_and_a_half_ago)
    ok(await anonymous.get(ME), 200)
    [stored] = await stored_sessions(session)
    assert stored.last_seen_at > an_hour_and_a_half_ago + timedelta(minutes=80)


# --- 7. Where a login may send the browser ------------------------------------------------------


async def test_after_logging_in_the_browser_never_goes_to_another_site(client: Client, anonymous: Client) -> None:
    await open_account(client, "sophie", role="reception")
    for elsewhere in (
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "https:evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
    ):
        anonymous.cookies.clear()
        response = await anonymous.post(
            "/login", data={"login": "sophie", "password": PASSPHRASE, "next": elsewhere}, follow_redirects=False
        )
        assert redirect_target(response) == "/", elsewhere

    anonymous.cookies.clear()
    response = await anonymous.post(
        "/login", data={"login": "sophie", "password": PASSPHRASE, "next": "/?onglet=stock"}, follow_redirects=False
    )
    assert redirect_target(response) == "/?onglet=stock", "a page of this site is kept"


async def test_the_login_page_does_not_carry_a_foreign_next_into_its_form(anonymous: Client) -> None:
    page = await anonymous.get("/login", params={"next": "https://evil.example/piege"})
    assert page.status_code == 200
    assert "evil.example" not in page.text
    assert 'name="next" value="/"' in page.text


# --- Issue 16: an expired session on an htmx request ------------------------------------------------


@pytest.mark.parametrize(
    ("current_url", "back_to"),
    [
        ("http://testserver.local/scan?code=ABC", "/scan?code=ABC"),
        ("http://elsewhere.example/phish", "/"),  # another site's page is never a target
        ("", "/"),
    ],
)
async def test_an_htmx_request_without_a_session_sends_the_whole_page_to_the_login(
    anonymous: Client, current_url: str, back_to: str
) -> None:
    headers = {"HX-Request": "true", **({"HX-Current-URL": current_url} if current_url else {})}
    answer = await anonymous.get("/scan/card?code=ABC", headers=headers, follow_redirects=False)
    assert answer.headers["HX-Redirect"] == "/login?" + urlencode({"next": back_to})
    assert "<form" not in answer.text, "no login form to swap into the card"
