"""What every API route shares: pagination, who is acting, answers built from models by name."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Request
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from reemploi import texts
from reemploi.accounts.roles import Permission, allows
from reemploi.actors import Actor
from reemploi.db import page_of as page_of  # the routes convert a page of models to their answers
from reemploi.scope import Scope
from reemploi.settings import Settings
from reemploi.web.forms import Cents, Day, Grams, ScannedCodes, WholeNumber, read_value

S = TypeVar("S", bound=msgspec.Struct)

# The request's database session, provided by the advanced-alchemy plugin.
DbSession = NamedDependency[AsyncSession]
# Where the application keeps its engine (reemploi.app.create_app).
ENGINE_STATE_KEY = "reemploi_engine"
SETTINGS_STATE_KEY = "reemploi_settings"

# Every API list answers one page, advanced-alchemy's OffsetPagination {items, limit, offset, total},
# asked with `limit` and `offset`: past the page size a client reads the next page, nothing is cut.
MAX_PAGE = 500

# The largest PostgreSQL INTEGER: every id fits in it, and a larger number is refused (400) before it
# reaches either database (asyncpg cannot send it; SQLite overflows at 2**63).
MAX_ID = 2**31 - 1

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description="Taille de la page (1 à 500).")]
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_ID, description="Nombre d'éléments à sauter.")]
# A period asked in the query string: ?from=2026-01-01&to=2026-12-31 (both days included).
From = Annotated[date | None, QueryParameter(name="from", description="Premier jour (inclus) ; 1er janvier par défaut")]
To = Annotated[date | None, QueryParameter(name="to", description="Dernier jour (inclus) ; 31 décembre par défaut")]
RowId = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]  # an id in a request body
PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]


class _Attributes:
    """An object's attributes, some given another value by name (see `out_of`)."""

    __slots__ = ("_derived", "_source")

    def __init__(self, source: object, derived: dict[str, Any]) -> None:
        self._source = source
        self._derived = derived

    def __getattr__(self, name: str) -> Any:
        if name in self._derived:
            return self._derived[name]
        return getattr(self._source, name)


def out_of(out: type[S], source: object, **derived: Any) -> S:
    """The answer struct `out` from a model (or any object), each field from the attribute of its name.

    `derived` gives, by name, the fields the model does not hold as such: renamed, converted
    (grams to kilograms), computed, or told by the caller (warnings, a secret shown once). Never by
    position: a reordered field cannot take its neighbour's value. A field the model lacks and
    `derived` does not give takes its default, or fails if it has none."""
    unknown = derived.keys() - set(out.__struct_fields__)
    if unknown:
        raise TypeError(f"{out.__name__} has no field {', '.join(sorted(unknown))}")
    return msgspec.convert(_Attributes(source, derived), out, from_attributes=True)


def actor_of(request: Request[Any, Any, Any]) -> Actor:
    """Who performs this request, as written in device events: the authenticated account or token."""
    actor: Actor = request.user.actor
    return actor


def kg_to_grams(kg: float | None) -> int | None:
    return None if kg is None else round(kg * 1000)


def grams_to_kg(grams: int | None) -> float | None:
    return None if grams is None else grams / 1000


def scope_of(request: Request[Any, Any, Any]) -> Scope:
    """What this request may see: a collectivity what it gave, the workshop's staff the workshop.

    A function of the request rather than a dependency: a second dependency would make Litestar
    resolve them in a task group, which on the scan costs more than the lookup's own work."""
    principal = request.user
    return Scope(principal.partner_id if principal.role == "collectivity" else None)


def engine_of(request: Request[Any, Any, Any]) -> AsyncEngine:
    return request.app.state[ENGINE_STATE_KEY]  # type: ignore[no-any-return]


def settings_of(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state[SETTINGS_STATE_KEY]  # type: ignore[no-any-return]


# The pages' navigation: (address, text key, permission needed). Each person sees what they may use.
NAVIGATION = (
    ("/", "nav_home", Permission.ME),
    ("/scan", "nav_scan", Permission.DEVICES_READ),
    ("/devices", "nav_devices", Permission.DEVICES_READ),
    ("/reception", "nav_reception", Permission.SALES),
    ("/reception/beneficiaries", "nav_beneficiaries", Permission.BENEFICIARIES),
    ("/stock", "nav_stock", Permission.DEVICES_READ),
    ("/stock/locations", "nav_locations", Permission.STOCK_WRITE),
    ("/parts", "nav_parts", Permission.WORKSHOP_WRITE),
    ("/recycling-lots", "nav_lots", Permission.WORKSHOP_WRITE),
    ("/labels", "nav_labels", Permission.LABELS_PRINT),
    ("/collections", "nav_collections", Permission.COLLECTIONS_READ),
    ("/reports", "nav_reports", Permission.PARTNERS_READ),
    ("/partners", "nav_partners", Permission.PARTNERS_WRITE),
    ("/sites", "nav_sites", Permission.PRICES_WRITE),
    ("/collections/new", "nav_new_collection", Permission.COLLECTIONS_WRITE),
)


# --- What people type in forms, read once for every page (the types and structs: web/forms.py) -----------


def form_id(value: Any) -> int:
    """A whole number typed in a form: ASCII digits only ("²" is a digit to Python, not to a person)."""
    return int(read_value(WholeNumber, str(value or "")))


def form_number(text: str) -> int | None:
    """A whole number typed in a form, or None when left empty."""
    return form_id(text) if text.strip() else None


def form_cents(text: str) -> int:
    """An amount typed in euros ("95", "95,50"), in cents, from 0 to 100,000 €."""
    return int(read_value(Cents, text))


def form_grams(text: str) -> int | None:
    """A weight typed in kilograms ("7,2"), in grams; None when left empty."""
    return int(read_value(Grams, text)) if text.strip() else None


def form_day(text: str) -> date | None:
    """A date field (2026-11-27), or None when left empty."""
    return read_value(Day, text) if text.strip() else None


def scanned_lines(text: str) -> list[str]:
    """What a scanner typed into a text area: one code per line (or separated by spaces)."""
    return ScannedCodes(text).codes


def page(request: Request[Any, Any, Any], template: str, status: int = 200, **context: Any) -> Template:
    """A full page: its context plus who is logged in, the navigation they may use, the CSRF token;
    `status` is the answer's (a refused form answers its page again with the refusal's 4xx)."""
    me = request.user
    nav = [
        {"href": href, "label": texts.UI[key], "current": request.url.path == href}
        for href, key, needed in NAVIGATION
        if allows(me.role, needed)
    ]
    return Template(
        template,
        status_code=status,
        context={
            "me": me,
            "nav": nav,
            "may": permissions_of(request),
            "csrf_token": me.csrf_token or "",
            "here": request.url.path,
            **context,
        },
    )


def permissions_of(request: Request[Any, Any, Any]) -> set[str]:
    """What this person may do, for the pages to offer only the links and buttons that will work."""
    return {p.value for p in Permission if allows(request.user.role, p)}
