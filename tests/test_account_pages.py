"""The accounts run from the pages (issue 16): an admin or a manager opens an account and hands its
person a one-time code, the person sets their own password with it (once, before it expires), a
deactivated person is out at once, nobody deactivates themself or the last admin, everyone changes
their own password, and API tokens are created (the secret shown once) and revoked. Through HTTP
as the browser sends it; the database is only read to check what is stored, or to make time pass."""

from __future__ import annotations

import asyncio
import hashlib
import html
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reemploi.accounts import passwords
from reemploi.accounts import service as accounts
from reemploi.accounts.models import ApiToken, PasswordReset, User, WebSession
from reemploi.accounts.roles import Role
from reemploi.accounts.service import Principal
from reemploi.actors import Actor
from reemploi.db import utcnow
from reemploi.errors import LastAdmin, LoginFailed
from tests.factories import make_world
from tests.through_api import API, PASSWORD, Client, logged_in

NEW_PASSWORD = "Velo orange sous la pluie 42"
CODE = re.compile(r'id="one-time-code"[^>]*>([A-Z0-9-]+)<')


@pytest.fixture
async def other(app: Litestar) -> AsyncIterator[Client]:
    """A second browser: the person the admin opens an account for."""
    async with AsyncTestClient(app) as browser:
        yield browser


def shown(answer: object) -> str:
    return html.unescape(answer.text)  # type: ignore[attr-defined]


async def _open_account(admin: Client, csrf: str, login: str, role: str = "technician", **more: str) -> str:
    """An account created from the page; returns the one-time code the page shows."""
    answer = await admin.post(
        "/users/new", data={"login": login, "name": f"{login.title()} Martin", "role": role, "_csrf": csrf, **more}
    )
    assert answer.status_code == 201, shown(answer)[:800]
    assert answer.headers["cache-control"] == "no-store"
    found = CODE.search(answer.text)
    assert found, shown(answer)[:800]
    return found.group(1)


async def _set_password(browser: Client, login: str, code: str, password: str = NEW_PASSWORD) -> object:
    return await browser.post(
        "/login/code",
        data={"login": login, "code": code, "password": password, "again": password},
        follow_redirects=False,
    )


async def test_a_new_account_gets_a_code_shown_once_with_which_its_person_sets_a_password_once(
    anonymous: Client, other: Client, session: AsyncSession
) -> None:
    site, _, _ = await make_world(session)
    csrf = await logged_in(anonymous, session, "karim", Role.ADMIN)

    code = await _open_account(anonymous, csrf, "julie", site_ids=str(site.id))

    stored = (await session.execute(select(User).where(User.login == "julie"))).scalar_one()
    reset = (await session.execute(select(PasswordReset).where(PasswordReset.user_id == stored.id))).scalar_one()
    assert reset.code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert code not in str(vars(reset)) and stored.password_hash == "!"
    listed = shown(await anonymous.get("/users"))
    assert "julie" in listed and "karim" in listed and code not in listed and "$argon2" not in listed
    account = shown(await anonymous.get(f"/users/{stored.id}"))
    assert code not in account and 'value="technician" selected' in account and f'value="{site.id}" checked' in account

    # Typed in lower case with spaces, as a person copies it from a sticky note.
    answer = await _set_password(other, "julie", code.lower().replace("-", " "))
    assert answer.status_code == 303, shown(answer)[:800]  # type: ignore[attr-defined]
    assert answer.headers["location"] == "/"  # type: ignore[attr-defined]
    home = await other.get("/scan", follow_redirects=False)
    assert home.status_code == 200 and "Julie Martin" in home.text

    again = await _set_password(other, "julie", code, "Un autre mot de passe 77 bis")
    assert again.status_code == 401  # type: ignore[attr-defined]
    words = shown(again)
    assert "déjà utilisé" in words and "Un autre mot de passe" not in words and code not in words
    assert (await other.post(f"{API}/session", json={"login": "julie", "password": NEW_PASSWORD})).status_code == 201


async def test_an_expired_code_is_refused_and_the_password_stays_unset(
    anonymous: Client, other: Client, session: AsyncSession
) -> None:
    csrf = await logged_in(anonymous, session, "karim", Role.ADMIN)
    code = await _open_account(anonymous, csrf, "julie")
    await session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(minutes=1)))
    await session.commit()

    answer = await _set_password(other, "julie", code)

    assert answer.status_code == 401  # type: ignore[attr-defined]
    assert "expiré" in shown(answer) and 'value="julie"' in shown(answer) and NEW_PASSWORD not in shown(answer)
    assert (await session.execute(select(User.password_hash).where(User.login == "julie"))).scalar() == "!"


async def test_a_new_code_replaces_the_earlier_one_and_the_old_password_works_until_it_is_used(
    anonymous: Client, other: Client, session: AsyncSession
) -> None:
    csrf = await logged_in(anonymous, session, "karim", Role.ADMIN)
    await logged_in(other, session, "julie", Role.TECHNICIAN)
    julie = (await session.execute(select(User.id).where(User.login == "julie"))).scalar_one()
    first = CODE.search((await anonymous.post(f"/users/{julie}/reset", data={"_csrf": csrf})).text)
    second = CODE.search((await anonymous.post(f"/users/{julie}/reset", data={"_csrf": csrf})).text)
    assert first and second and first.group(1) != second.group(1)
    assert (await other.get("/scan", follow_redirects=False)).status_code == 200  # still logged in meanwhile

    assert (await _set_password(other, "julie", first.group(1))).status_code == 401  # type: ignore[attr-defined]
    assert (await _set_password(other, "julie", second.group(1))).status_code == 303  # type: ignore[attr-defined]
    refused = await other.post(f"{API}/session", json={"login": "julie", "password": PASSWORD})
    assert refused.status_code == 401


async def test_a_deactivated_person_is_out_at_once_and_cannot_log_in_until_reactivated(
    anonymous: Client, other: Client, session: AsyncSession
) -> None:
    csrf = await logged_in(anonymous, session, "karim", Role.ADMIN)
    await logged_in(other, session, "julie", Role.TECHNICIAN)
    julie = (await session.execute(select(User.id).where(User.login == "julie"))).scalar_one()

    answer = await anonymous.post(f"/users/{julie}/active", data={"active": "false", "_csrf": csrf})

    assert answer.status_code == 200 and "Désactivé" in shown(answer)  # back on the account's page
    await session.commit()  # a fresh read: a SQLite reader keeps its snapshot
    assert (await session.execute(select(WebSession.id).where(WebSession.user_id == julie))).first() is None
    assert (await other.get("/scan", follow_redirects=False)).headers["location"].startswith("/login")
    form = await other.post("/login", data={"login": "julie", "password": PASSWORD}, follow_redirects=False)
    assert form.status_code == 401 and "incorrect" in shown(form)
    assert (await anonymous.post(f"/users/{julie}/active", data={"active": "true", "_csrf": csrf})).status_code == 200
    assert (await other.post(f"{API}/session", json={"login": "julie", "password": PASSWORD})).status_code == 201


async def test_the_last_active_admin_stays_and_nobody_deactivates_themself(
    anonymous: Client, other: Client, session: AsyncSession
) -> None:
    csrf = await logged_in(anonymous, session, "karim", Role.ADMIN)
    await logged_in(other, session, "ines", Role.ADMIN)
    ids = dict((await session.execute(select(User.login, User.id))).all())

    mine = await anonymous.post(f"/users/{ids['karim']}/active", data={"active": "false", "_csrf": csrf})
    assert mine.status_code == 409 and "votre propre compte" in shown(mine)
    gone = await anonymous.post(f"/users/{ids['ines']}/active", data={"active": "false", "_csrf": csrf})
    assert gone.status_code == 200

    demoted = await anonymous.post(f"/users/{ids['karim']}", data={"role": "manager", "_csrf": csrf})

    assert demoted.status_code == 409 and "dernier compte d'administration" in shown(demoted)
    assert 'value="manager" selected' in shown(demoted)  # what was chosen stays chosen
    assert (await session.execute(select(User.role).where(User.id == ids["karim"]))).scalar() == "admin"


async def test_a_manager_runs_the_workshops_accounts_but_not_the_admins(
    anonymous: Client, session: AsyncSession
) -> None:
    await accounts.create_user(session, accounts.NewUser("karim", "Karim Admin", Role.ADMIN, PASSWORD))
    csrf = await logged_in(anonymous, session, "maud", Role.MANAGER)
    karim = (await session.execute(select(User.id).where(User.login == "karim"))).scalar_one()

    new = shown(await anonymous.get("/users/new"))
    assert 'value="technician"' in new and 'value="admin"' not in new
    code = await _open_account(anonymous, csrf, "julie", role="reception")
    assert code
    promoted = await anonymous.post(
        "/users/new", data={"login": "chef", "name": "Chef", "role": "admin", "_csrf": csrf}
    )
    assert promoted.status_code == 403 and "administration" in shown(promoted) and 'value="chef"' in shown(promoted)
    page = shown(await anonymous.get(f"/users/{karim}"))
    assert "/active" not in page and "/reset" not in page
    refused = await anonymous.post(f"/users/{karim}/reset", data={"_csrf": csrf})
    assert refused.status_code == 403
    assert (await session.execute(select(PasswordReset.id).where(PasswordReset.user_id == karim))).first() is None


async def test_the_list_of_accounts_searches_and_counts(anonymous: Client, session: AsyncSession) -> None:
    csrf = await logged_in(anonymous, session, "karim", Role.ADMIN)
    for login in ("julie.dupont", "julien.martin", "sofiane"):
        await _open_account(anonymous, csrf, login)

    found = shown(await anonymous.get("/users", params={"q": "JULI"}))

    assert "julie.dupont" in found and "julien.martin" in found and "sofiane" not in found
    assert "Nombre de comptes : 2" in found
    assert "Nombre de comptes : 4" in shown(await anonymous.get("/users"))
    assert "Aucun compte" in shown(await anonymous.get("/users", params={"q": "100%_"}))


async def test_everyone_changes_their_own_password_the_current_one_first(
    anonymous: Client, other: Client, session: AsyncSession
) -> None:
    csrf = await logged_in(anonymous, session, "julie", Role.TECHNICIAN)
    await other.post(f"{API}/session", json={"login": "julie", "password": PASSWORD})  # at another bench

    wrong = await anonymous.post(
        "/account/password",
        data={"current": "Pas le bon mot de passe 77", "password": NEW_PASSWORD, "again": NEW_PASSWORD, "_csrf": csrf},
    )
    assert wrong.status_code == 422 and "actuel incorrect" in shown(wrong)
    assert NEW_PASSWORD not in shown(wrong) and "Pas le bon" not in shown(wrong)
    differ = await anonymous.post(
        "/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD, "again": "autre", "_csrf": csrf}
    )
    assert differ.status_code == 422 and "pas identiques" in shown(differ)
    weak = await anonymous.post(
        "/account/password", data={"current": PASSWORD, "password": "julie2026", "again": "julie2026", "_csrf": csrf}
    )
    assert weak.status_code == 422 and "trop court" in shown(weak)

    done = await anonymous.post(
        "/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD, "again": NEW_PASSWORD, "_csrf": csrf}
    )

    assert done.status_code == 200 and "Mot de passe changé" in shown(done)
    assert (await anonymous.get("/scan", follow_redirects=False)).status_code == 200  # this session stays
    ended = await other.get("/scan", follow_redirects=False)
    assert ended.status_code == 303 and ended.headers["location"].startswith("/login")  # the other bench's
    assert (await other.post(f"{API}/session", json={"login": "julie", "password": NEW_PASSWORD})).status_code == 201


async def test_a_token_is_created_with_its_secret_shown_once_and_revoked(
    anonymous: Client, other: Client, session: AsyncSession
) -> None:
    csrf = await logged_in(anonymous, session, "karim", Role.ADMIN)

    created = await anonymous.post("/tokens", data={"name": "diagnostic USB", "role": "technician", "_csrf": csrf})

    assert created.status_code == 201 and created.headers["cache-control"] == "no-store"
    secret = re.search(r'id="token-secret"[^>]*>(rmp_[^<]+)<', created.text)
    assert secret, shown(created)[:1000]
    token = (await session.execute(select(ApiToken).where(ApiToken.name == "diagnostic USB"))).scalar_one()
    assert token.key_hash == hashlib.sha256(secret.group(1).encode()).hexdigest()
    listed = shown(await anonymous.get("/tokens"))
    assert "diagnostic USB" in listed and secret.group(1) not in listed and f"{secret.group(1)[:12]}…" in listed
    other.headers["Authorization"] = f"Bearer {secret.group(1)}"
    assert (await other.get(f"{API}/me")).status_code == 200

    revoked = await anonymous.post(f"/tokens/{token.id}/revoke", data={"_csrf": csrf})

    assert revoked.status_code == 200 and "Révoqué le" in shown(revoked)
    assert (await other.get(f"{API}/me")).status_code == 401


@pytest.mark.parametrize(
    ("role", "links", "not_links"),
    [
        (Role.ADMIN, ("/users", "/tokens", "/account/password"), ()),
        (Role.MANAGER, ("/users", "/tokens", "/account/password"), ()),
        (Role.TECHNICIAN, ("/account/password",), ("/users", "/tokens")),
        (Role.RECEPTION, ("/account/password",), ("/users", "/tokens")),
    ],
)
async def test_the_navigation_offers_the_accounts_pages_to_whoever_may_use_them(
    anonymous: Client, session: AsyncSession, role: Role, links: tuple[str, ...], not_links: tuple[str, ...]
) -> None:
    await logged_in(anonymous, session, "karim", role)
    nav = re.search(r"<nav.*?</nav>", (await anonymous.get("/scan")).text, re.S)
    assert nav
    for link in links:
        assert f'href="{link}"' in nav.group(0), link
    for link in not_links:
        assert f'href="{link}"' not in nav.group(0), link
        assert (await anonymous.get(link)).status_code == 403


async def test_two_admins_deactivating_each_other_at_once_leave_one_admin(
    sessions: async_sessionmaker[AsyncSession], session: AsyncSession
) -> None:
    """Each sees the other as a second admin; without the lock on the admins both would go through."""
    admins = [
        await accounts.create_user(session, accounts.NewUser(login, login.title(), Role.ADMIN, PASSWORD))
        for login in ("karim", "ines")
    ]

    async def deactivate(target: User, by: User) -> str:
        principal = Principal(Role.ADMIN, Actor(by.login, user_id=by.id), by.name)
        async with sessions() as own:
            try:
                await accounts.set_active(own, target.id, False, principal, "")
            except LastAdmin:
                return "refused"
            return "done"

    outcomes = await asyncio.gather(*(deactivate(t, b) for t, b in [(admins[1], admins[0]), (admins[0], admins[1])]))

    assert sorted(outcomes) == ["done", "refused"]
    await session.commit()
    active = (await session.execute(select(User.login).where(User.active.is_(True)))).scalars().all()
    assert len(active) == 1


async def test_guessing_codes_is_throttled_like_guessing_passwords(
    anonymous: Client, other: Client, session: AsyncSession
) -> None:
    csrf = await logged_in(anonymous, session, "karim", Role.ADMIN)
    code = await _open_account(anonymous, csrf, "julie")
    statuses = [
        (await _set_password(other, "julie", f"AAAA-BBBB-CCCC-{n:04d}")).status_code  # type: ignore[attr-defined]
        for n in range(7)
    ]

    assert statuses[:5] == [401] * 5 and 429 in statuses[5:], statuses
    locked = await _set_password(other, "julie", code)
    assert locked.status_code == 429 and "Réessayez dans" in shown(locked)  # type: ignore[attr-defined]


async def test_a_code_posted_from_another_site_is_refused(other: Client, session: AsyncSession) -> None:
    answer = await other.post(
        "/login/code",
        data={"login": "julie", "code": "AAAA", "password": NEW_PASSWORD, "again": NEW_PASSWORD},
        headers={"Origin": "https://attaquant.example"},
        follow_redirects=False,
    )
    assert answer.status_code == 403 and "CSRF" in shown(answer)


async def test_a_code_sent_twice_at_once_sets_one_password(
    sessions: async_sessionmaker[AsyncSession], session: AsyncSession
) -> None:
    admin = await accounts.create_user(session, accounts.NewUser("karim", "Karim", Role.ADMIN, PASSWORD))
    by = Principal(Role.ADMIN, Actor("karim", user_id=admin.id), "Karim")
    issued = await accounts.invite_user(session, accounts.NewUser("julie", "Julie Dupont", Role.TECHNICIAN, ""), by)

    async def use(password: str) -> str:
        async with sessions() as own:
            try:
                await accounts.log_in_with_code(own, "julie", issued.code, password, "")
            except LoginFailed:
                return "refused"
            return password

    outcomes = await asyncio.gather(use(NEW_PASSWORD), use("Un autre mot de passe 77 bis"))

    assert outcomes.count("refused") == 1, outcomes
    kept = next(o for o in outcomes if o != "refused")
    await session.commit()
    stored = (await session.execute(select(User.password_hash).where(User.login == "julie"))).scalar_one()
    assert passwords.verify(stored, kept)[0]
