"""Accounts work: create users, log in and out (with throttling), open and check web sessions,
create, check and revoke API tokens. Everything lives in the database: any app process can check
any session or token, and a logout or a revocation takes effect at once everywhere.

Session keys and API tokens are random (secrets.token_urlsafe) and stored as SHA-256 digests:
a stolen database does not give working credentials. Passwords are Argon2id (passwords.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from sqlalchemy import and_, bindparam, case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from reemploi import texts
from reemploi.accounts import passwords
from reemploi.accounts.models import (
    ApiToken,
    AuthEvent,
    LoginThrottle,
    PasswordReset,
    User,
    UserSite,
    WebSession,
)
from reemploi.accounts.roles import Role, may_grant
from reemploi.actors import Actor
from reemploi.db import DriverStatement, affected_rows, dialect_insert, paginated_scalars, utcnow, write_transaction
from reemploi.errors import (
    Conflict,
    Duplicate,
    Forbidden,
    Invalid,
    LastAdmin,
    LoginFailed,
    NotFound,
    OwnAccount,
    Throttled,
    TokenInUse,
)
from reemploi.partners.models import Partner, PartnerKind
from reemploi.sites.models import Site

SESSION_LIFETIME = timedelta(hours=12)  # a working day, then log in again
SESSION_IDLE = timedelta(hours=2)  # a bench left alone
TOUCH_EVERY = timedelta(minutes=5)  # how often a session's or token's last use is written
FREE_FAILURES = 5  # failed logins before each further try waits
MAX_WAIT = timedelta(minutes=15)
FAILURES_FORGOTTEN_AFTER = timedelta(hours=1)
TOKEN_PREFIX = "rmp_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting on this request, and what they may see."""

    role: Role
    actor: Actor
    name: str
    partner_id: int | None = None  # a collectivity's own partner: its data, and nothing else
    session_id: int | None = None
    csrf_token: str | None = None  # for requests authenticated by the session cookie

    @property
    def by_cookie(self) -> bool:
        return self.session_id is not None


@dataclass(frozen=True, slots=True)
class NewUser:
    login: str
    name: str
    role: Role
    password: str
    partner_id: int | None = None
    site_ids: tuple[int, ...] = field(default_factory=tuple)


def normalise_login(login: str) -> str:
    return login.strip().lower()


async def _check_partner(session: AsyncSession, role: Role, partner_id: int | None) -> None:
    if role is Role.COLLECTIVITY:
        if partner_id is None:
            raise Invalid(texts.COLLECTIVITY_NEEDS_PARTNER)
        partner = await session.get(Partner, partner_id)
        if partner is None or partner.kind != PartnerKind.COLLECTIVITY:
            raise Invalid(texts.unknown_reference("partner_id", texts.NAMES["collectivity"], partner_id))
    elif partner_id is not None:
        raise Invalid(texts.ONLY_COLLECTIVITY_HAS_PARTNER)


async def create_user(session: AsyncSession, new: NewUser, granted_by: Role | None = None) -> User:
    """A new account. `granted_by` is the role of who creates it (None: a command on the server)."""
    login = normalise_login(new.login)
    if granted_by is not None and not may_grant(granted_by, new.role):
        raise Forbidden(texts.role_not_grantable(new.role))
    await asyncio.to_thread(passwords.check_policy, new.password, (login, *new.name.split()))
    password_hash = await asyncio.to_thread(passwords.hash_password, new.password)
    async with write_transaction(session):
        return await _insert_user(session, new, login, password_hash)


async def _insert_user(session: AsyncSession, new: NewUser, login: str, password_hash: str) -> User:
    await _check_partner(session, new.role, new.partner_id)
    if (await session.execute(select(User.id).where(User.login == login))).first() is not None:
        raise Duplicate(texts.login_taken(login))
    await _check_sites(session, new.site_ids)
    user = User(
        login=login,
        name=new.name,
        role=new.role.value,
        partner_id=new.partner_id,
        password_hash=password_hash,
        active=True,
    )
    session.add(user)
    await session.flush()
    session.add_all(UserSite(user_id=user.id, site_id=site_id) for site_id in dict.fromkeys(new.site_ids))
    return user


async def _check_sites(session: AsyncSession, site_ids: tuple[int, ...]) -> None:
    for site_id in site_ids:
        if await session.get(Site, site_id) is None:
            raise Invalid(texts.unknown_reference("site_ids", texts.NAMES["site"], site_id))


async def list_users(session: AsyncSession, window: LimitOffset, search: str = "") -> OffsetPagination[User]:
    """Accounts by login; `search` finds a piece of the login or of the name, whatever its case."""
    query = select(User).order_by(User.login, User.id)
    if words := search.strip():
        wanted = words.lower()
        query = query.where(
            or_(
                func.lower(User.login).contains(wanted, autoescape=True),
                func.lower(User.name).contains(wanted, autoescape=True),
            )
        )
    return await paginated_scalars(session, query, window)


async def sites_of(session: AsyncSession, user_ids: list[int]) -> dict[int, list[int]]:
    """The sites each of these accounts works at (none: no entry)."""
    rows = await session.execute(
        select(UserSite.user_id, UserSite.site_id).where(UserSite.user_id.in_(user_ids)).order_by(UserSite.site_id)
    )
    found: dict[int, list[int]] = {}
    for user_id, site_id in rows:
        found.setdefault(user_id, []).append(site_id)
    return found


# --- Logging in -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenedSession:
    user: User
    key: str  # goes into the cookie; never stored
    csrf_token: str
    expires_at: datetime


def _throttle_keys(login: str, address: str) -> tuple[str, str]:
    return f"login:{login}"[:120], f"address:{address}"[:120]


def _wait_after(failures: int) -> timedelta:
    """Nothing for the first few failures, then 1 s, 2 s, 4 s … up to 15 minutes."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - FREE_FAILURES)), MAX_WAIT)


async def _record(
    session: AsyncSession,
    kind: str,
    address: str,
    login: str = "",
    user_id: int | None = None,
    token_id: int | None = None,
) -> None:
    session.add(AuthEvent(kind=kind, login=login[:80], user_id=user_id, token_id=token_id, address=address[:64]))


async def _count_failure(session: AsyncSession, key: str, now: datetime) -> int:
    """Count a failure against `key` (an account's attempts are counted before their password is
    checked; a success takes it back); return how many seconds to wait instead if `key` is locked
    (the attempt is then not counted).

    One atomic upsert, which waits for the row's lock: guesses sent in parallel are each counted in
    turn, and those arriving once the lock is set are refused without a password check."""
    table = LoginThrottle.__table__
    locked = and_(table.c.blocked_until.is_not(None), table.c.blocked_until > now)
    statement = dialect_insert(session, table).values(key=key, failures=1, last_failure_at=now, blocked_until=None)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "failures": case(
                (locked, table.c.failures),
                (table.c.last_failure_at < now - FAILURES_FORGOTTEN_AFTER, 1),
                else_=table.c.failures + 1,
            ),
            "last_failure_at": case((locked, table.c.last_failure_at), else_=now),
        },
    ).returning(table.c.failures, table.c.blocked_until)
    failures, blocked_until = (await session.execute(statement)).one()
    if wait := _seconds_left(blocked_until, now):
        return wait
    if pause := _wait_after(failures):
        await session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(blocked_until=now + pause))
    return 0


async def _locked_for(session: AsyncSession, key: str, now: datetime) -> int:
    """How many seconds `key` is still locked for (0: not locked)."""
    until = (await session.execute(select(LoginThrottle.blocked_until).where(LoginThrottle.key == key))).scalar()
    return _seconds_left(until, now)


def _seconds_left(until: datetime | None, now: datetime) -> int:
    """Whole seconds until `until` (at least 1 while it is ahead), 0 once it has passed."""
    return max(1, int((until - now).total_seconds() + 0.999)) if until is not None and until > now else 0


async def log_in(session: AsyncSession, login: str, password: str, address: str) -> OpenedSession:
    """Check the password and open a web session; every outcome is recorded.

    One generic message for a wrong login or a wrong password. Each attempt is counted against its
    account before its password is checked; past FREE_FAILURES for an account, each try waits longer
    (429), whatever the password, and a success clears the account's count. An address is counted
    only for its failures, and a locked address slows only logins that name no active account: a
    workshop's benches share one public address, and a colleague's slips must never keep a person
    with the right password out (their own account's count still does).
    """
    login = normalise_login(login)[:80]
    account_key, address_key = _throttle_keys(login, address)
    now = utcnow()
    blocked: Throttled | None = None
    async with write_transaction(session):
        user = (await session.execute(select(User).where(User.login == login))).scalar_one_or_none()
        known = user is not None and user.active
        wait = await _count_failure(session, account_key, now)
        if not wait and not known:
            wait = await _locked_for(session, address_key, now)
        if wait:
            await _record(session, "login_throttled", address, login)
            blocked = Throttled(texts.login_throttled(wait), retry_after=wait)
    if blocked is not None:
        raise blocked

    # No transaction is held while hashing (a tenth of a second, in a thread).
    if user is None or not user.active:
        await asyncio.to_thread(passwords.spend_verification_time, password)
        matches, new_hash = False, None
    else:
        matches, new_hash = await asyncio.to_thread(passwords.verify, user.password_hash, password)

    now = utcnow()
    async with write_transaction(session):
        if not matches:
            await _count_failure(session, address_key, now)
            await _record(session, "login_failed", address, login, user.id if user else None)
        else:
            assert user is not None
            await session.execute(delete(LoginThrottle).where(LoginThrottle.key == account_key))
            changes: dict[str, object] = {"last_login_at": now}
            if new_hash:
                changes["password_hash"] = new_hash
            await session.execute(update(User).where(User.id == user.id).values(**changes))
            opened = await _open_session(session, user, address, now)
    if not matches:
        raise LoginFailed(texts.LOGIN_FAILED)
    return opened


async def _open_session(session: AsyncSession, user: User, address: str, now: datetime) -> OpenedSession:
    """A new web session for `user` (their login is recorded); expired sessions are forgotten."""
    await session.execute(delete(WebSession).where(WebSession.expires_at < now))
    key, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires_at = now + SESSION_LIFETIME
    session.add(
        WebSession(
            key_hash=digest(key),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=expires_at,
            last_seen_at=now,
            address=address[:64],
        )
    )
    await _record(session, "login_succeeded", address, user.login, user.id)
    return OpenedSession(user, key, csrf, expires_at)


async def log_out(session: AsyncSession, principal: Principal, address: str) -> None:
    async with write_transaction(session):
        if principal.session_id is not None:
            await session.execute(delete(WebSession).where(WebSession.id == principal.session_id))
        await _record(session, "logout", address, user_id=principal.actor.user_id)


# --- Running the accounts from the pages: one-time codes, roles and sites, deactivation, passwords ----

RESET_CODE_LIFETIME = timedelta(hours=48)  # handed over today, used tomorrow at the latest
# Letters and digits no one misreads on a screen or a sticky note (no 0/O, 1/I/L); 16 of them are
# 79 bits: out of reach of guessing, even before the throttling counts a wrong code as a failed login.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 16
# The password of an account whose person has not set one yet: no Argon2 hash matches it.
NO_PASSWORD = "!"


@dataclass(frozen=True, slots=True)
class OneTimeCode:
    """A code to give a person, shown this once; only its digest is stored."""

    user: User
    code: str
    expires_at: datetime


def normalise_code(typed: str) -> str:
    """A code as typed: case, spaces and dashes do not matter."""
    return "".join(c for c in typed.upper() if c.isascii() and c.isalnum())


async def _issue_code(session: AsyncSession, user: User, by: Principal, now: datetime) -> OneTimeCode:
    """A new code for `user`; earlier codes not used yet stop working."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    code = "-".join(raw[i : i + 4] for i in range(0, _CODE_LENGTH, 4))
    await _forget_codes(session, user.id)
    expires_at = now + RESET_CODE_LIFETIME
    session.add(
        PasswordReset(
            user_id=user.id,
            code_hash=digest(raw),
            created_by=by.actor.user_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    await _record(session, "reset_code_issued", "", by.actor.label, user.id)
    return OneTimeCode(user, code, expires_at)


async def _forget_codes(session: AsyncSession, user_id: int) -> None:
    """The person's codes not used yet stop working."""
    await session.execute(
        delete(PasswordReset).where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
    )


async def invite_user(session: AsyncSession, new: NewUser, by: Principal) -> OneTimeCode:
    """A new account without a password, and the one-time code with which its person sets one
    (`new.password` is not used: whoever creates the account never knows it)."""
    login = normalise_login(new.login)
    if not may_grant(by.role, new.role):
        raise Forbidden(texts.role_not_grantable(new.role))
    async with write_transaction(session):
        user = await _insert_user(session, new, login, NO_PASSWORD)
        return await _issue_code(session, user, by, utcnow())


async def _user_to_manage(session: AsyncSession, user_id: int, by: Principal) -> User:
    """The account `by` is about to change: it exists, and `by` may grant its role."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(texts.not_found(texts.USER_NAME, user_id))
    if not may_grant(by.role, Role(user.role)):
        raise Forbidden(texts.role_not_grantable(user.role))
    return user


async def _keep_an_admin(session: AsyncSession, user: User) -> None:
    """Refuse to take away the workshop's last active admin: nobody could then run its sites and users.

    The active admins are locked first, in id order (PostgreSQL; SQLite's write transaction holds
    the database): two admins removed at once are decided one after the other."""
    admins = select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True)).order_by(User.id)
    ids = (await session.execute(admins.with_for_update())).scalars().all()
    if user.role == Role.ADMIN.value and user.active and set(ids) <= {user.id}:
        raise LastAdmin(texts.LAST_ADMIN)


async def issue_reset_code(session: AsyncSession, user_id: int, by: Principal) -> OneTimeCode:
    """A one-time code for a person who lost their password; their password works until it is used."""
    async with write_transaction(session):
        user = await _user_to_manage(session, user_id, by)
        if not user.active:
            raise Conflict(texts.RESET_NEEDS_ACTIVE)
        return await _issue_code(session, user, by, utcnow())


@dataclass(frozen=True, slots=True)
class AccountChange:
    role: Role
    partner_id: int | None = None
    site_ids: tuple[int, ...] = field(default_factory=tuple)


async def change_user(session: AsyncSession, user_id: int, change: AccountChange, by: Principal) -> User:
    """Another role (and collectivity) and other sites for an account."""
    async with write_transaction(session):
        user = await _user_to_manage(session, user_id, by)
        if not may_grant(by.role, change.role):
            raise Forbidden(texts.role_not_grantable(change.role))
        await _check_partner(session, change.role, change.partner_id)
        await _check_sites(session, change.site_ids)
        if change.role is not Role.ADMIN:
            await _keep_an_admin(session, user)
        if user.role != change.role.value:
            await _record(session, "role_changed", "", by.actor.label, user.id)
        user.role, user.partner_id = change.role.value, change.partner_id
        await session.execute(delete(UserSite).where(UserSite.user_id == user.id))
        session.add_all(UserSite(user_id=user.id, site_id=site_id) for site_id in dict.fromkeys(change.site_ids))
    return user


async def set_active(session: AsyncSession, user_id: int, active: bool, by: Principal, address: str) -> User:
    """Deactivate an account (it can no longer log in; its sessions end at once and its codes stop
    working) or reactivate it. Nobody deactivates themself, nor the last active admin."""
    async with write_transaction(session):
        user = await _user_to_manage(session, user_id, by)
        if active == user.active:
            return user
        if not active:
            if user.id == by.actor.user_id:
                raise OwnAccount(texts.CANNOT_DEACTIVATE_ONESELF)
            await _keep_an_admin(session, user)
            await session.execute(delete(WebSession).where(WebSession.user_id == user.id))
            await _forget_codes(session, user.id)
        user.active = active
        await _record(session, "user_activated" if active else "user_deactivated", address, by.actor.label, user.id)
    return user


async def log_in_with_code(
    session: AsyncSession, login: str, code: str, new_password: str, address: str
) -> OpenedSession:
    """Set one's password with a one-time code, and be logged in. The code serves once, before it
    expires; a wrong code counts as a failed login (and waits as long). Every session the person had
    ends: whoever knew the old password is out."""
    login = normalise_login(login)[:80]
    account_key, address_key = _throttle_keys(login, address)
    now = utcnow()
    if wait := await _locked_for(session, account_key, now) or await _locked_for(session, address_key, now):
        raise Throttled(texts.login_throttled(wait), retry_after=wait)
    user = (await session.execute(select(User).where(User.login == login))).scalar_one_or_none()
    about = (login, *user.name.split()) if user is not None else (login,)
    await asyncio.to_thread(passwords.check_policy, new_password, about)
    password_hash = await asyncio.to_thread(passwords.hash_password, new_password)

    now = utcnow()
    refused = False
    async with write_transaction(session):
        used = affected_rows(
            await session.execute(
                update(PasswordReset)
                .where(
                    PasswordReset.user_id == (user.id if user is not None and user.active else None),
                    PasswordReset.code_hash == digest(normalise_code(code)),
                    PasswordReset.used_at.is_(None),
                    PasswordReset.expires_at > now,
                )
                .values(used_at=now)
            )
        )
        if not used or user is None:
            refused = True
            await _count_failure(session, account_key, now)
            await _count_failure(session, address_key, now)
            await _record(session, "reset_code_refused", address, login, user.id if user else None)
        else:
            await session.execute(delete(LoginThrottle).where(LoginThrottle.key == account_key))
            await session.execute(delete(WebSession).where(WebSession.user_id == user.id))
            await session.execute(
                update(User).where(User.id == user.id).values(password_hash=password_hash, last_login_at=now)
            )
            await _record(session, "reset_code_used", address, login, user.id)
            opened = await _open_session(session, user, address, now)
    if refused:
        raise LoginFailed(texts.CODE_REFUSED)
    return opened


async def change_password(
    session: AsyncSession, principal: Principal, current: str, new_password: str, address: str
) -> None:
    """One's own password, the current one given first. The person's other sessions end; this one stays."""
    user = await session.get(User, principal.actor.user_id) if principal.actor.user_id is not None else None
    if user is None or principal.session_id is None:
        raise Forbidden(texts.TOKEN_HAS_NO_PASSWORD)
    account_key, _ = _throttle_keys(user.login, address)
    if wait := await _locked_for(session, account_key, utcnow()):
        raise Throttled(texts.login_throttled(wait), retry_after=wait)
    matches, _ = await asyncio.to_thread(passwords.verify, user.password_hash, current)
    if not matches:
        async with write_transaction(session):
            await _count_failure(session, account_key, utcnow())
            await _record(session, "password_change_refused", address, user.login, user.id)
        raise Invalid(texts.CURRENT_PASSWORD_WRONG)
    await asyncio.to_thread(passwords.check_policy, new_password, (user.login, *user.name.split()))
    if new_password == current:
        raise Invalid(texts.PASSWORD_UNCHANGED)
    password_hash = await asyncio.to_thread(passwords.hash_password, new_password)
    async with write_transaction(session):
        await session.execute(update(User).where(User.id == user.id).values(password_hash=password_hash))
        await session.execute(
            delete(WebSession).where(WebSession.user_id == user.id, WebSession.id != principal.session_id)
        )
        await _record(session, "password_changed", address, user.login, user.id)


# --- Who is this request? ---------------------------------------------------------------------------

_S, _U, _T = WebSession.__table__, User.__table__, ApiToken.__table__
# Validity is decided in SQL: the rows carry no timestamp to decode, only whether to write the
# last use again (every TOUCH_EVERY). These run on every request.
_SESSION_LOOKUP = DriverStatement(
    select(
        _S.c.id,
        _S.c.csrf_token,
        _U.c.id,
        _U.c.login,
        _U.c.name,
        _U.c.role,
        _U.c.partner_id,
        (_S.c.last_seen_at < bindparam("touch_before", type_=_S.c.last_seen_at.type)).label("stale"),
    )
    .join(_U, _U.c.id == _S.c.user_id)
    .where(
        _S.c.key_hash == bindparam("key_hash"),
        _S.c.expires_at > bindparam("now", type_=_S.c.expires_at.type),
        _S.c.last_seen_at > bindparam("idle_since", type_=_S.c.last_seen_at.type),
        _U.c.active.is_(True),
    )
)
_TOKEN_LOOKUP = DriverStatement(
    select(
        _T.c.id,
        _T.c.name,
        _T.c.role,
        _T.c.partner_id,
        or_(
            _T.c.last_used_at.is_(None), _T.c.last_used_at < bindparam("touch_before", type_=_T.c.last_used_at.type)
        ).label("stale"),
    ).where(
        _T.c.key_hash == bindparam("key_hash"),
        _T.c.revoked_at.is_(None),
        or_(_T.c.expires_at.is_(None), _T.c.expires_at > bindparam("now", type_=_T.c.expires_at.type)),
    )
)


_TOUCH_SESSION = DriverStatement(
    update(_S)
    .where(_S.c.id == bindparam("session_id"))
    .values(last_seen_at=bindparam("now", type_=_S.c.last_seen_at.type))
)
_TOUCH_TOKEN = DriverStatement(
    update(_T)
    .where(_T.c.id == bindparam("token_id"))
    .values(
        last_used_at=bindparam("now", type_=_T.c.last_used_at.type),
        last_used_address=bindparam("address"),
    )
)


async def principal_of_session(engine: AsyncEngine, key: str) -> Principal | None:
    """The user behind a session cookie, or None if the session is unknown, expired or idle too long."""
    now = utcnow()
    rows = await _SESSION_LOOKUP.rows(
        engine, key_hash=digest(key), now=now, idle_since=now - SESSION_IDLE, touch_before=now - TOUCH_EVERY
    )
    if not rows:
        return None
    session_id, csrf, user_id, login, name, role, partner_id, stale = rows[0]
    if stale:  # on the same connection: a request holding one never asks the pool for another
        await _TOUCH_SESSION.rows(engine, session_id=session_id, now=now)
    return Principal(Role(role), Actor(login, user_id=user_id), name, partner_id, session_id, csrf)


async def principal_of_token(engine: AsyncEngine, secret: str, address: str) -> Principal | None:
    """The token behind a bearer secret, or None if it is unknown, revoked or expired."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = utcnow()
    rows = await _TOKEN_LOOKUP.rows(engine, key_hash=digest(secret), now=now, touch_before=now - TOUCH_EVERY)
    if not rows:
        return None
    token_id, name, role, partner_id, stale = rows[0]
    if stale:
        await _TOUCH_TOKEN.rows(engine, token_id=token_id, now=now, address=address[:64])
    return Principal(Role(role), Actor(f"jeton:{name}", token_id=token_id), name, partner_id)


# --- API tokens -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewToken:
    name: str
    role: Role
    partner_id: int | None = None
    expires_in_days: int | None = None


async def create_token(session: AsyncSession, new: NewToken, by: Principal | None) -> tuple[ApiToken, str]:
    """A token and its secret, which is shown this once and never again."""
    if by is not None and not may_grant(by.role, new.role):
        raise Forbidden(texts.role_not_grantable(new.role))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    async with write_transaction(session):
        await _check_partner(session, new.role, new.partner_id)
        token = ApiToken(
            name=new.name,
            prefix=secret[:12],
            key_hash=digest(secret),
            role=new.role.value,
            partner_id=new.partner_id,
            created_by=by.actor.user_id if by else None,
            created_at=now,
            expires_at=now + timedelta(days=new.expires_in_days) if new.expires_in_days else None,
        )
        session.add(token)
        await session.flush()
        await _record(
            session, "token_created", "", by.actor.label if by else "", by.actor.user_id if by else None, token.id
        )
    return token, secret


async def list_tokens(session: AsyncSession, window: LimitOffset) -> OffsetPagination[ApiToken]:
    return await paginated_scalars(session, select(ApiToken).order_by(ApiToken.id), window)


async def revoke_token(session: AsyncSession, token_id: int, by: Principal, address: str) -> ApiToken:
    async with write_transaction(session):
        token = await session.get(ApiToken, token_id)
        if token is None:
            raise NotFound(texts.not_found(texts.NAMES["token"], token_id))
        if not may_grant(by.role, Role(token.role)):
            raise Forbidden(texts.role_not_grantable(token.role))
        if token.id == by.actor.token_id:
            raise TokenInUse(texts.TOKEN_IN_USE)
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            await _record(session, "token_revoked", address, by.actor.label, by.actor.user_id, token.id)
    return token


async def purge(session: AsyncSession) -> tuple[int, int]:
    """Forget expired sessions and stale throttling counters: (sessions, counters) deleted."""
    now = utcnow()
    async with write_transaction(session):
        sessions = affected_rows(
            await session.execute(
                delete(WebSession).where(or_(WebSession.expires_at < now, WebSession.last_seen_at < now - SESSION_IDLE))
            )
        )
        counters = affected_rows(
            await session.execute(
                delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - FAILURES_FORGOTTEN_AFTER)
            )
        )
    return sessions, counters
