"""Logging in and out (a page and the API), one's own account, users and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody, QueryParameter
from litestar.response import Redirect, Template

from reemploi import texts
from reemploi.accounts import service
from reemploi.accounts.auth import PUBLIC_ROUTE, SESSION_COOKIE, client_address, permission
from reemploi.accounts.models import ApiToken, User
from reemploi.accounts.roles import Permission, Role, allows
from reemploi.accounts.service import Principal
from reemploi.db import utcnow
from reemploi.devices import dashboard
from reemploi.errors import Forbidden, problem_responses
from reemploi.web import DbSession, Limit, Offset, PathId, RowId, out_of, page, page_of, settings_of
from reemploi.web.forms import form_page

Login = Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]

# Where each role starts its day, and what it needs to open it: the bench scans, the desk sells, a
# collectivity reads its reports; managers and admins get the dashboard on the home page.
LANDINGS: dict[Role, tuple[str, Permission]] = {
    Role.TECHNICIAN: ("/scan", Permission.DEVICES_READ),
    Role.RECEPTION: ("/reception", Permission.SALES),
    Role.COLLECTIVITY: ("/reports", Permission.PARTNERS_READ),
}


def session_cookie(request: Request[Any, Any, Any], opened: service.OpenedSession | None) -> Cookie:
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
    if opened is None:  # logging out: the browser forgets it
        return Cookie(key=SESSION_COOKIE, value="", max_age=0, httponly=True, samesite="lax", secure=secure, path="/")
    max_age = int(service.SESSION_LIFETIME.total_seconds())
    return Cookie(
        key=SESSION_COOKIE, value=opened.key, max_age=max_age, httponly=True, samesite="lax", secure=secure, path="/"
    )


# Tells the browser to forget its session cookie (matched by name and path, whatever its flags).
FORGET_SESSION = Cookie(key=SESSION_COOKIE, value="", max_age=0, httponly=True, samesite="lax", path="/")


def same_origin(request: Request[Any, Any, Any]) -> None:
    """A login posted from another site is refused (login CSRF): the browser says where it came from."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    # "null" is what a sandboxed frame of another site sends: not this site either.
    if origin and (origin == "null" or urlsplit(origin).netloc != request.headers.get("host", "")):
        raise Forbidden(texts.CSRF_MISSING)


def safe_next(target: str) -> str:
    """Where to go after logging in: a path of this site only, never another site."""
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc or "\\" in target:
        return "/"
    return target


class LoginForm(msgspec.Struct):
    login: str = ""
    password: str = ""
    next: str = "/"


class LoginIn(msgspec.Struct, forbid_unknown_fields=True):
    login: Login
    password: Password


class MeOut(msgspec.Struct):
    login: str
    name: str
    role: str
    partner_id: int | None
    kind: str  # "user" or "token"
    csrf_token: str | None = None  # for cookie-borne requests that change something


class SessionOut(msgspec.Struct):
    login: str
    name: str
    role: str
    csrf_token: str
    expires_at: datetime


class UserIn(msgspec.Struct, forbid_unknown_fields=True):
    login: Annotated[
        str, msgspec.Meta(pattern=r"^[A-Za-z0-9._@-]{2,80}$", description="2 à 80 lettres, chiffres, . _ @ -")
    ]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    role: Role
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    partner_id: RowId | None = None
    site_ids: Annotated[list[RowId], msgspec.Meta(max_length=100)] = msgspec.field(default_factory=list)


class UserOut(msgspec.Struct):
    id: int
    login: str
    name: str
    role: str
    partner_id: int | None
    active: bool
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, u: User) -> UserOut:
        return out_of(cls, u)


class TokenIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    role: Role
    partner_id: RowId | None = None
    expires_in_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] | None = None


class TokenOut(msgspec.Struct):
    id: int
    name: str
    prefix: str
    role: str
    partner_id: int | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    secret: str | None = None  # only in the answer that creates it

    @classmethod
    def of(cls, t: ApiToken, secret: str | None = None) -> TokenOut:
        return out_of(cls, t, secret=secret)


class PageController(Controller):
    include_in_schema = False

    @get("/login", opt=PUBLIC_ROUTE)
    async def login_page(
        self, next_page: Annotated[str, QueryParameter(name="next", max_length=2000)] = "/"
    ) -> Template:
        return Template("login.html", context={"next": safe_next(next_page), "login": "", "message": ""})

    @post("/login", opt=PUBLIC_ROUTE, status_code=303)
    async def login_form(
        self,
        db_session: DbSession,
        request: Request[Any, Any, Any],
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        target = safe_next(data.next)

        async def work() -> Redirect:
            same_origin(request)
            opened = await service.log_in(db_session, data.login, data.password, client_address(request))
            return Redirect(target, status_code=303, cookies=[session_cookie(request, opened)])

        def again(message: str) -> Template:
            return Template("login.html", context={"next": target, "login": data.login[:80], "message": message})

        return await form_page(work, again, say="message")

    @post("/logout", opt=permission(Permission.ME), status_code=303)
    async def logout_form(self, db_session: DbSession, request: Request[Principal, Any, Any]) -> Redirect:
        await service.log_out(db_session, request.user, client_address(request))
        return Redirect("/login", status_code=303, cookies=[session_cookie(request, None)])

    @get("/", opt=permission(Permission.ME))
    async def home(self, db_session: DbSession, request: Request[Principal, Any, Any]) -> Template | Redirect:
        role = request.user.role
        landing = LANDINGS.get(role)
        # Only to a page this role may open: an unusual mix of permissions keeps the home page.
        if landing is not None and allows(role, landing[1]):
            return Redirect(landing[0], status_code=303)
        if not allows(role, Permission.WORKSHOP_REPORTS):
            return page(request, "home.html")
        seen = await dashboard.sites_seen(db_session, request.user)
        zone = ZoneInfo(settings_of(request).timezone)
        return page(request, "home.html", board=await dashboard.dashboard(db_session, seen, utcnow(), zone))


class AccountController(Controller):
    path = "/api/v1"
    tags = ["accounts"]

    @post(
        "/session",
        opt=PUBLIC_ROUTE,
        status_code=201,
        summary="Se connecter (cookie de session)",
        responses=problem_responses(401, 403, 429, public=True),
    )
    async def open_session(
        self, db_session: DbSession, request: Request[Any, Any, Any], data: JSONBody[LoginIn]
    ) -> Response[SessionOut]:
        same_origin(request)
        opened = await service.log_in(db_session, data.login, data.password, client_address(request))
        body = SessionOut(opened.user.login, opened.user.name, opened.user.role, opened.csrf_token, opened.expires_at)
        return Response(body, status_code=201, cookies=[session_cookie(request, opened)])

    @post(
        "/session/logout",
        opt=permission(Permission.ME),
        status_code=204,
        summary="Se déconnecter",
        responses=problem_responses(),
        response_cookies=[FORGET_SESSION],
    )
    async def close_session(self, db_session: DbSession, request: Request[Principal, Any, Any]) -> None:
        await service.log_out(db_session, request.user, client_address(request))

    @get("/me", opt=permission(Permission.ME), summary="Mon compte", responses=problem_responses())
    async def me(self, request: Request[Principal, Any, Any]) -> MeOut:
        p = request.user
        kind = "token" if p.actor.token_id is not None else "user"
        return MeOut(p.actor.label, p.name, p.role, p.partner_id, kind, p.csrf_token)

    @get("/users", opt=permission(Permission.USERS_MANAGE), summary="Lister les comptes", responses=problem_responses())
    async def list_users(
        self, db_session: DbSession, limit: Limit = 50, offset: Offset = 0
    ) -> OffsetPagination[UserOut]:
        return page_of(await service.list_users(db_session, LimitOffset(limit, offset)), UserOut.of)

    @post(
        "/users",
        opt=permission(Permission.USERS_MANAGE),
        summary="Créer un compte",
        responses=problem_responses(409, 422),
    )
    async def create_user(
        self, db_session: DbSession, request: Request[Principal, Any, Any], data: JSONBody[UserIn]
    ) -> UserOut:
        new = service.NewUser(data.login, data.name, data.role, data.password, data.partner_id, tuple(data.site_ids))
        return UserOut.of(await service.create_user(db_session, new, granted_by=request.user.role))

    @get(
        "/tokens",
        opt=permission(Permission.TOKENS_MANAGE),
        summary="Lister les jetons d'API",
        responses=problem_responses(),
    )
    async def list_tokens(
        self, db_session: DbSession, limit: Limit = 50, offset: Offset = 0
    ) -> OffsetPagination[TokenOut]:
        return page_of(await service.list_tokens(db_session, LimitOffset(limit, offset)), TokenOut.of)

    @post(
        "/tokens",
        opt=permission(Permission.TOKENS_MANAGE),
        summary="Créer un jeton d'API (son secret n'est montré qu'une fois)",
        responses=problem_responses(422),
    )
    async def create_token(
        self, db_session: DbSession, request: Request[Principal, Any, Any], data: JSONBody[TokenIn]
    ) -> TokenOut:
        new = service.NewToken(data.name, data.role, data.partner_id, data.expires_in_days)
        token, secret = await service.create_token(db_session, new, request.user)
        return TokenOut.of(token, secret)

    @post(
        "/tokens/{token_id:int}/revoke",
        opt=permission(Permission.TOKENS_MANAGE),
        status_code=200,
        summary="Révoquer un jeton d'API",
        responses=problem_responses(404, 409),
    )
    async def revoke_token(
        self, db_session: DbSession, request: Request[Principal, Any, Any], token_id: PathId
    ) -> TokenOut:
        return TokenOut.of(await service.revoke_token(db_session, token_id, request.user, client_address(request)))


# What this domain adds to the application (API); reemploi.app assembles every domain's.
ROUTES = [AccountController, PageController]
