"""The accounts in the pages: users (create, role and sites, deactivate, a one-time code for a new
password), one's own password, API tokens, and the public page where a one-time code sets a password.
Thin: reemploi.accounts.service does the work; a code or a token secret is shown once, never cached."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from advanced_alchemy.filters import LimitOffset
from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts import service
from reemploi.accounts.auth import PUBLIC_ROUTE, client_address, permission
from reemploi.accounts.models import User
from reemploi.accounts.roles import Permission, Role, may_grant
from reemploi.accounts.routes import same_origin, session_cookie
from reemploi.accounts.service import Principal
from reemploi.errors import Invalid
from reemploi.partners import service as partners
from reemploi.partners.models import PartnerKind
from reemploi.sites import service as sites
from reemploi.web import DbSession, Offset, PathId, page
from reemploi.web.forms import Form, OptionalNumber, Reference, ShortText, WholeNumber, form_page, read_form, typed_in

USERS_PER_PAGE = 50
TOKENS_PER_PAGE = 100
LOGIN_PATTERN = re.compile(r"[A-Za-z0-9._@-]{2,80}")  # as the API's UserIn says
Search = Annotated[str, QueryParameter(max_length=200)]
Saved = Annotated[bool, QueryParameter()]  # back from a change that went through
# Pages that show a one-time code or a token's secret: neither the browser nor a proxy keeps them.
NOT_KEPT = {"Cache-Control": "no-store"}


class NewUserForm(Form):
    login: ShortText = ""
    name: ShortText = ""
    role: ShortText = ""
    partner_id: OptionalNumber = None
    site_ids: list[WholeNumber] = []


class AccountForm(Form):
    role: ShortText = ""
    partner_id: OptionalNumber = None
    site_ids: list[WholeNumber] = []


class ActiveForm(Form):
    active: bool = False


class TokenForm(Form):
    name: Reference = ""
    role: ShortText = ""
    partner_id: OptionalNumber = None
    expires_in_days: OptionalNumber = None


class PasswordForm(Form):
    """Passwords are never shown again, refused or not."""

    current: ShortText = ""
    password: ShortText = ""
    again: ShortText = ""


class CodeLoginForm(Form):
    login: ShortText = ""
    code: ShortText = ""
    password: ShortText = ""
    again: ShortText = ""


def _role(typed: str) -> Role:
    try:
        return Role(typed)
    except ValueError:
        raise Invalid(texts.PICK_ROLE) from None


def _new_password(form: PasswordForm | CodeLoginForm) -> str:
    if form.password != form.again:
        raise Invalid(texts.PASSWORDS_DIFFER)
    return form.password


async def _typed(request: Request[Any, Any, Any], *secret: str) -> dict[str, Any]:
    """What the form sent, to show again when it is refused; `secret` fields are never shown again."""
    typed: dict[str, Any] = {name: value for name, value in (await typed_in(request)).items() if name not in secret}
    typed["site_ids"] = [str(v) for v in (await request.form()).getall("site_ids", [])]
    return typed


async def _choices(session: AsyncSession, by: Principal) -> dict[str, Any]:
    """What the account forms offer: the roles this person may grant, the sites, the collectivities."""
    collectivities, _ = await partners.list_partners(session, PartnerKind.COLLECTIVITY, 500, 0)
    return {
        "roles": [r for r in Role if may_grant(by.role, r)],
        "all_sites": await sites.list_all(session),
        "collectivities": collectivities,
    }


def _shown_once(request: Request[Any, Any, Any], template: str, **context: Any) -> Template:
    shown = page(request, template, status=201, **context)
    shown.headers.update(NOT_KEPT)
    return shown


class AccountPages(Controller):
    include_in_schema = False

    # --- Users ---------------------------------------------------------------------------------

    @get("/users", opt=permission(Permission.USERS_MANAGE))
    async def users(
        self, request: Request[Principal, Any, Any], db_session: DbSession, q: Search = "", offset: Offset = 0
    ) -> Template:
        found = await service.list_users(db_session, LimitOffset(USERS_PER_PAGE, offset), q)
        site_codes = {s.id: s.code for s in await sites.list_all(db_session)}
        sites_of = await service.sites_of(db_session, [u.id for u in found.items])
        return page(
            request,
            "users.html",
            paging=found,
            paging_query=urlencode({"q": q}) if q else "",
            q=q,
            sites_of={uid: [site_codes[s] for s in ids] for uid, ids in sites_of.items()},
        )

    @get("/users/new", opt=permission(Permission.USERS_MANAGE))
    async def new_user(self, request: Request[Principal, Any, Any], db_session: DbSession) -> Template:
        return await _new_user_page(db_session, request, {})

    @post("/users/new", opt=permission(Permission.USERS_MANAGE), status_code=201)
    async def create_user(self, request: Request[Principal, Any, Any], db_session: DbSession) -> Template:
        async def work() -> Template:
            form = await read_form(request, NewUserForm)
            if not LOGIN_PATTERN.fullmatch(form.login):
                raise Invalid(texts.LOGIN_FORMAT)
            if not form.name:
                raise Invalid(texts.NAME_NEEDED)
            new = service.NewUser(
                form.login, form.name, _role(form.role), "", form.partner_id, tuple(int(s) for s in form.site_ids)
            )
            issued = await service.invite_user(db_session, new, request.user)
            return _shown_once(request, "one_time_code.html", issued=issued)

        return await form_page(work, partial(_new_user_page, db_session, request, await _typed(request)))

    @get("/users/{user_id:int}", opt=permission(Permission.USERS_MANAGE))
    async def user(
        self, request: Request[Principal, Any, Any], db_session: DbSession, user_id: PathId, saved: Saved = False
    ) -> Template:
        return await _user_page(db_session, request, user_id, {}, notice=texts.ACCOUNTS["saved"] if saved else "")

    @post("/users/{user_id:int}", opt=permission(Permission.USERS_MANAGE), status_code=303, media_type="text/html")
    async def change_user(
        self, request: Request[Principal, Any, Any], db_session: DbSession, user_id: PathId
    ) -> Redirect | Template:
        async def work() -> Redirect:
            form = await read_form(request, AccountForm)
            change = service.AccountChange(_role(form.role), form.partner_id, tuple(int(s) for s in form.site_ids))
            await service.change_user(db_session, user_id, change, request.user)
            return Redirect(f"/users/{user_id}?saved=true", status_code=303)

        return await form_page(work, partial(_user_page, db_session, request, user_id, await _typed(request)))

    @post(
        "/users/{user_id:int}/active", opt=permission(Permission.USERS_MANAGE), status_code=303, media_type="text/html"
    )
    async def set_active(
        self, request: Request[Principal, Any, Any], db_session: DbSession, user_id: PathId
    ) -> Redirect | Template:
        async def work() -> Redirect:
            form = await read_form(request, ActiveForm)
            await service.set_active(db_session, user_id, form.active, request.user, client_address(request))
            return Redirect(f"/users/{user_id}?saved=true", status_code=303)

        return await form_page(work, partial(_user_page, db_session, request, user_id, {}))

    @post("/users/{user_id:int}/reset", opt=permission(Permission.USERS_MANAGE), status_code=201)
    async def reset(self, request: Request[Principal, Any, Any], db_session: DbSession, user_id: PathId) -> Template:
        async def work() -> Template:
            issued = await service.issue_reset_code(db_session, user_id, request.user)
            return _shown_once(request, "one_time_code.html", issued=issued)

        return await form_page(work, partial(_user_page, db_session, request, user_id, {}))

    # --- My password ---------------------------------------------------------------------------

    @get("/account/password", opt=permission(Permission.ME))
    async def password(self, request: Request[Principal, Any, Any]) -> Template:
        return page(request, "password.html")

    @post("/account/password", opt=permission(Permission.ME), status_code=200)
    async def change_password(self, request: Request[Principal, Any, Any], db_session: DbSession) -> Template:
        async def work() -> Template:
            form = await read_form(request, PasswordForm)
            new = _new_password(form)
            await service.change_password(db_session, request.user, form.current, new, client_address(request))
            return page(request, "password.html", notice=texts.ACCOUNTS["password_changed"])

        return await form_page(work, partial(page, request, "password.html"))

    # --- API tokens ----------------------------------------------------------------------------

    @get("/tokens", opt=permission(Permission.TOKENS_MANAGE))
    async def tokens(
        self, request: Request[Principal, Any, Any], db_session: DbSession, offset: Offset = 0
    ) -> Template:
        return await _tokens_page(db_session, request, {}, offset=offset)

    @post("/tokens", opt=permission(Permission.TOKENS_MANAGE), status_code=201)
    async def create_token(self, request: Request[Principal, Any, Any], db_session: DbSession) -> Template:
        async def work() -> Template:
            form = await read_form(request, TokenForm)
            if not form.name:
                raise Invalid(texts.TOKEN_NAME_NEEDED)
            new = service.NewToken(form.name, _role(form.role), form.partner_id, form.expires_in_days)
            token, secret = await service.create_token(db_session, new, request.user)
            shown = await _tokens_page(db_session, request, {}, created=token, secret=secret)
            shown.status_code = 201
            shown.headers.update(NOT_KEPT)
            return shown

        return await form_page(work, partial(_tokens_page, db_session, request, await _typed(request)))

    @post(
        "/tokens/{token_id:int}/revoke",
        opt=permission(Permission.TOKENS_MANAGE),
        status_code=303,
        media_type="text/html",
    )
    async def revoke_token(
        self, request: Request[Principal, Any, Any], db_session: DbSession, token_id: PathId
    ) -> Redirect | Template:
        async def work() -> Redirect:
            await service.revoke_token(db_session, token_id, request.user, client_address(request))
            return Redirect("/tokens", status_code=303)

        return await form_page(work, partial(_tokens_page, db_session, request, {}))

    # --- Setting one's password with a one-time code (no account needed: the code is the proof) ---

    @get("/login/code", opt=PUBLIC_ROUTE)
    async def code_login_page(self, login: Annotated[str, QueryParameter(max_length=80)] = "") -> Template:
        return Template("login_code.html", context={"login": login, "message": ""})

    @post("/login/code", opt=PUBLIC_ROUTE, status_code=303, media_type="text/html")
    async def code_login(self, request: Request[Any, Any, Any], db_session: DbSession) -> Redirect | Template:
        async def work() -> Redirect:
            same_origin(request)
            form = await read_form(request, CodeLoginForm)
            opened = await service.log_in_with_code(
                db_session, form.login, form.code, _new_password(form), client_address(request)
            )
            return Redirect("/", status_code=303, cookies=[session_cookie(request, opened)])

        typed = await _typed(request, "code", "password", "again")

        def again(message: str) -> Template:
            return Template("login_code.html", context={"login": typed.get("login", "")[:80], "message": message})

        return await form_page(work, again, say="message")


async def _new_user_page(
    session: AsyncSession, request: Request[Principal, Any, Any], form: Mapping[str, Any], error: str = ""
) -> Template:
    return page(request, "user_new.html", form=form, error=error, **await _choices(session, request.user))


async def _user_page(
    session: AsyncSession,
    request: Request[Principal, Any, Any],
    user_id: int,
    form: Mapping[str, Any],
    error: str = "",
    notice: str = "",
) -> Template:
    user = await session.get(User, user_id)
    if user is None:
        return page(request, "user.html", status=404, user=None, error=texts.not_found(texts.USER_NAME, user_id))
    site_ids = (await service.sites_of(session, [user.id])).get(user.id, [])
    shown = {"role": user.role, "partner_id": str(user.partner_id or ""), "site_ids": [str(s) for s in site_ids]}
    return page(
        request,
        "user.html",
        user=user,
        form={**shown, **form},
        manageable=may_grant(request.user.role, Role(user.role)),
        is_me=user.id == request.user.actor.user_id,
        error=error,
        notice=notice,
        **await _choices(session, request.user),
    )


async def _tokens_page(
    session: AsyncSession,
    request: Request[Principal, Any, Any],
    form: Mapping[str, Any],
    error: str = "",
    offset: int = 0,
    **shown: Any,
) -> Template:
    found = await service.list_tokens(session, LimitOffset(TOKENS_PER_PAGE, offset))
    return page(
        request,
        "tokens.html",
        paging=found,
        form=form,
        error=error,
        may_revoke={t.id for t in found.items if may_grant(request.user.role, Role(t.role))},
        **shown,
        **await _choices(session, request.user),
    )


# What this domain adds to the application (pages); reemploi.app assembles every domain's.
ROUTES = [AccountPages]
