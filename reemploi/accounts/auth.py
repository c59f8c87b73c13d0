"""Who is asking, and may they: the authentication middleware and the one access guard.

A request is authenticated by an API token (`Authorization: Bearer rmp_…`) or by the session
cookie a login set. Every route declares its rule in `opt`: `public=True` (login, health) or
`permission=Permission.X`, checked against the role matrix (roles.py); a route with neither is
refused, so a forgotten rule fails closed. Requests carried by the cookie that change something
must also carry the session's CSRF token (header `X-CSRF-Token` or form field `_csrf`).
"""

from __future__ import annotations

import hmac
from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.handlers import HTTPRouteHandler
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.base import DefineMiddleware
from litestar.types import Receive, Scope, Send

from reemploi import texts
from reemploi.accounts import service
from reemploi.accounts.roles import Permission, allows
from reemploi.accounts.service import Principal
from reemploi.db import driver_connection
from reemploi.errors import Forbidden
from reemploi.web import ENGINE_STATE_KEY

SESSION_COOKIE = "reemploi_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "_csrf"
PUBLIC = "public"  # the opt key of routes anyone may reach
# The opt key of routes that use only driver statements (reemploi.db.DriverStatement), never a
# session: the request holds one pooled connection from authentication to its answer.
DRIVER_ONLY = "driver_only"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return connection.client.host if connection.client else ""


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = scope.get("route_handler")
        if scope["type"] == ScopeType.HTTP and handler is not None and handler.opt.get(DRIVER_ONLY):
            # One pooled connection for the token lookup and the route's own driver statements.
            async with driver_connection(scope["litestar_app"].state[ENGINE_STATE_KEY]):
                await super().__call__(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        engine = connection.app.state[ENGINE_STATE_KEY]
        principal: Principal | None = None
        scheme, _, secret = connection.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and secret.strip():
            principal = await service.principal_of_token(engine, secret.strip(), client_address(connection))
        elif key := connection.cookies.get(SESSION_COOKIE):
            principal = await service.principal_of_session(engine, key)
            if principal is None:
                raise NotAuthorizedException(detail=texts.SESSION_EXPIRED)
        if principal is None:
            raise NotAuthorizedException(detail=texts.NOT_AUTHENTICATED)
        return AuthenticationResult(user=principal, auth=None)


def authentication_middleware() -> DefineMiddleware:
    return DefineMiddleware(AuthenticationMiddleware, exclude_from_auth_key=PUBLIC)


async def access_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """The role matrix for every route, and CSRF for cookie-borne changes."""
    if handler.opt.get(PUBLIC) or (isinstance(handler, HTTPRouteHandler) and set(handler.http_methods) == {"OPTIONS"}):
        return  # a public route, or the OPTIONS answer Litestar adds to every path (it only lists methods)
    permission = handler.opt.get("permission")
    principal: Principal = connection.user
    if not isinstance(permission, Permission):
        raise Forbidden(texts.no_access_rule(connection.url.path))
    if not allows(principal.role, permission):
        raise Forbidden(texts.forbidden(principal.role))
    if principal.by_cookie and connection.scope.get("method", "GET") not in SAFE_METHODS:
        await check_csrf(connection, principal.csrf_token or "")


async def check_csrf(connection: ASGIConnection[Any, Any, Any, Any], expected: str) -> None:
    sent = connection.headers.get(CSRF_HEADER, "")
    if not sent and "form" in connection.headers.get("content-type", ""):
        form = await connection.form()  # type: ignore[attr-defined]  # an HTTP request: cached for the handler
        sent = str(form.get(CSRF_FIELD, ""))
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Forbidden(texts.CSRF_MISSING)


def permission(p: Permission) -> dict[str, Any]:
    """The `opt` of a route that needs `p`: `@get(…, opt=permission(Permission.DEVICES_READ))`."""
    return {"permission": p}


PUBLIC_ROUTE: dict[str, Any] = {PUBLIC: True}
