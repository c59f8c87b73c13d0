"""Domain errors and their one translation into RFC 9457 problem+json responses.

Services raise these; no route catches them. Each carries the message a person acts on.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode, urlsplit

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Redirect, Template
from litestar.types import ExceptionHandlersMap
from sqlalchemy.exc import DBAPIError, IntegrityError

from reemploi import texts

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("reemploi")


class DomainError(Exception):
    status_code = 400
    slug = "bad-request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    status_code = 404
    slug = "not-found"


class Invalid(DomainError):
    status_code = 422
    slug = "invalid-input"


class MistypedCode(Invalid):
    slug = "mistyped-code"


class UnexplainedFailure(Invalid):
    """A functional test with a check "en panne" and no word on what fails."""

    slug = "failed-check-without-note"


class Unconfirmed(Invalid):
    """A final exit (dismantled, recycled, returned to the donor, lost) asked without its confirmation."""

    slug = "final-exit-unconfirmed"


class Conflict(DomainError):
    status_code = 409
    slug = "edit-conflict"


class TransitionRefused(Conflict):
    slug = "transition-not-allowed"


class SaleRefused(Conflict):
    """The device may not go on sale yet: `missing` lists every condition of the gate it lacks."""

    slug = "not-ready-for-sale"


class Duplicate(Conflict):
    slug = "duplicate"


# Each conflict of the trade its own problem type (issue 18), so that a client can tell a device
# already sold from a till left closed without reading the French message.
class DeviceNotAvailable(Conflict):
    """Not (or no longer) for sale: sold, given, at the workshop, reserved elsewhere."""

    slug = "device-not-available"


class DeviceOnSale(Conflict):
    """On sale: withdrawn from the sale first, before the bench works on it again."""

    slug = "device-on-sale"


class NotInRepair(Conflict):
    slug = "device-not-in-repair"


class NoTillOpen(Conflict):
    slug = "no-till-open"


class TillAlreadyOpen(Conflict):
    """One till open per site: the problem carries the open one's `till_id`."""

    slug = "till-already-open"


class TillClosed(Conflict):
    slug = "till-closed"


class GuaranteeOver(Conflict):
    slug = "guarantee-over"


class AlreadyReturned(Conflict):
    slug = "already-returned"


class LotClosed(Conflict):
    slug = "lot-closed"


class PartOutOfStock(Conflict):
    slug = "part-out-of-stock"


class TokenInUse(Conflict):
    slug = "token-in-use"


class SerialInCollection(Conflict):
    """A device of the same collection has this serial: most often the same label scanned twice.
    The problem's `errors` name each such device; the client may confirm a second device."""

    slug = "serial-in-collection"


class SerialKnown(Conflict):
    """A device of another collection has this serial; the client may confirm it is another one."""

    slug = "serial-known"


class RegistrationNotCancellable(TransitionRefused):
    """Something else happened to the device since its registration: it leaves by an exit instead."""

    slug = "registration-not-cancellable"


class CodesExhausted(Conflict):
    slug = "codes-exhausted"


class LastAdmin(Conflict):
    """The change would leave the workshop without an active admin."""

    slug = "last-admin"


class OwnAccount(Conflict):
    """What nobody does to their own account (deactivate it)."""

    slug = "own-account"


class ManifestRefused(Invalid):
    slug = "manifest-invalid"


class ManifestAlreadyImported(Conflict):
    """The same file, or serials an earlier import brought: the earlier import is named."""

    slug = "manifest-already-imported"


class LoginFailed(DomainError):
    status_code = 401
    slug = "login-failed"


class Throttled(DomainError):
    status_code = 429
    slug = "too-many-requests"


class Forbidden(DomainError):
    status_code = 403
    slug = "forbidden"


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details, with extension members where the problem has more to say."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None
    current_state: str | None = None
    allowed_actions: list[str] | None = None
    version: int | None = None
    missing: list[str] | None = None  # what a device lacks to go on sale
    till_id: int | None = None  # the till already open on the site
    device_code: str | None = None  # the device that already holds a refurbisher key


def problem_responses(*statuses: int, public: bool = False) -> dict[int, ResponseSpec]:
    """OpenAPI entries documenting the problems a route may answer with (400 and 422 always included,
    and 401 and 403 unless the route is public)."""
    described = {
        400: "Requête mal formée : champ manquant, type ou format incorrect (détail dans `errors`).",
        401: "Connexion requise, ou identifiants refusés.",
        403: "Votre rôle ne permet pas cette action.",
        429: "Trop de tentatives : attendez avant de réessayer.",
        404: "Ressource introuvable.",
        409: "Conflit : étape impossible depuis l'état actuel, modification concurrente ou doublon.",
        413: "Fichier ou lot trop volumineux.",
        415: "Format de fichier non pris en charge.",
        422: "Données refusées par les règles du métier (détail et, le cas échéant, liste `errors`).",
    }
    return {
        s: ResponseSpec(
            data_container=Problem, media_type=PROBLEM_JSON, description=described[s], generate_examples=False
        )
        # 422 always: any text may carry what the database refuses (a NUL character), any number its range.
        for s in sorted({400, 422, *statuses, *(() if public else (401, 403))})
    }


def _problem(
    request: Request[Any, Any, Any],
    status: int,
    slug: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[Problem]:
    known = {k: v for k, v in extra.items() if k in Problem.__struct_fields__}
    body = Problem(
        type=f"/problems/{slug}",
        title=texts.TITLES.get(slug, texts.TITLES["bad-request"]),
        status=status,
        detail=detail,
        instance=request.url.path,
        **known,
    )
    if _wants_a_page(request):
        return _error_page(request, body, headers)  # type: ignore[return-value]
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _wants_a_page(request: Request[Any, Any, Any]) -> bool:
    """A person at a page (not the API): answer with a readable page, or the piece htmx swaps in."""
    return not request.url.path.startswith(("/api/", "/schema", "/health"))


def _error_page(request: Request[Any, Any, Any], body: Problem, headers: dict[str, str] | None) -> Template:
    me = request.scope.get("user")
    context = {
        "title": body.title,
        "detail": body.detail,
        "me": me,
        "nav": [],
        "may": set(),
        "csrf_token": getattr(me, "csrf_token", None) or "",
    }
    template = "_error.html" if request.headers.get("hx-request") else "error.html"
    # A fragment keeps its real status: base.html tells htmx to swap 4xx and 5xx answers too.
    return Template(template, context=context, status_code=body.status, headers=headers)


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Problem]:
    extra = dict(exc.extra)
    retry_after = extra.pop("retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return _problem(request, exc.status_code, exc.slug, exc.detail, headers=headers, **extra)


_HTTP_SLUGS = {
    401: "not-authenticated",
    403: "forbidden",
    429: "too-many-requests",
    404: "not-found",
    405: "method-not-allowed",
    413: "payload-too-large",
    415: "unsupported-media-type",
}


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    if isinstance(exc, ValidationException):
        errors = exc.extra if isinstance(exc.extra, list) else None
        detail = (
            texts.request_fields_invalid(
                (e.get("key", "?"), e.get("message", "")) for e in errors if isinstance(e, dict)
            )
            if errors
            else texts.request_invalid(exc.detail)
        )
        return _problem(request, 400, "bad-request", detail, errors=errors)
    if isinstance(exc, NotFoundException) and exc.detail == "Not Found":
        return _problem(request, 404, "not-found", texts.no_such_address(request.url.path))
    status = exc.status_code
    if status == 401 and request.headers.get("hx-request") == "true":
        # A fragment asked once the session has expired (a scan, a form in the card): the whole
        # page goes to the login page, then back to the page the person was on.
        login = f"/login?{urlencode({'next': _page_of_fragment(request)})}"
        return _problem(request, 401, _HTTP_SLUGS[401], str(exc.detail), headers={"HX-Redirect": login})
    if status == 401 and request.method == "GET" and not request.url.path.startswith("/api/"):
        # A page asked without a valid session: the login page, then back here.
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(f"/login?{urlencode({'next': target})}", status_code=303)
    if status >= 500:
        return internal_error_handler(request, exc)
    # Keep the headers Litestar set (Allow on a 405, RFC 9110 §15.5.6).
    return _problem(request, status, _HTTP_SLUGS.get(status, "bad-request"), str(exc.detail), headers=exc.headers)


def _page_of_fragment(request: Request[Any, Any, Any]) -> str:
    """The page an htmx request came from (its HX-Current-URL), as a path on this site; else "/"."""
    current = urlsplit(request.headers.get("hx-current-url", ""))
    if current.netloc and current.netloc != request.url.netloc:
        return "/"
    path = current.path if current.path.startswith("/") and not current.path.startswith("//") else "/"
    return path + (f"?{current.query}" if current.query else "")


def integrity_error_handler(request: Request[Any, Any, Any], exc: IntegrityError) -> Response[Problem]:
    # Services check what they can first; this is the net for races the database caught.
    log.warning("integrity error on %s: %s", request.url.path, exc.orig)
    return _problem(
        request,
        409,
        "duplicate",
        texts.CONFLICT_WITH_SAVED_DATA,
    )


def data_error_handler(request: Request[Any, Any, Any], exc: DBAPIError) -> Response[Problem]:
    """A value the database cannot hold (SQLSTATE class 22: NUL character in a text, out-of-range number).

    Request schemas bound what they can; this is the net for the rest. The transaction was rolled back.
    """
    sqlstate = str(getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None) or "")
    if not sqlstate.startswith("22"):
        return internal_error_handler(request, exc)
    log.warning("data refused by the database on %s: %s", request.url.path, exc.orig)
    # Well-formed, schema-valid, yet not storable: an invalid value (422), as a domain refusal is.
    return _problem(request, 422, "invalid-input", texts.value_refused_by_database())


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return _problem(
        request,
        500,
        "internal-error",
        texts.INTERNAL_ERROR,
    )


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: domain_error_handler,
    HTTPException: http_error_handler,
    IntegrityError: integrity_error_handler,
    DBAPIError: data_error_handler,
    Exception: internal_error_handler,
}


class LicenceKeyUsed(Conflict):
    """A refurbisher's Windows key already recorded on another device: a key goes on one device only."""

    slug = "licence-key-already-used"
