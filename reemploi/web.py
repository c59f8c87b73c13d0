"""What every API route shares: pagination, who is acting, and the page envelope."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

import msgspec
from litestar import Request
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from reemploi.actors import Actor
from reemploi.scope import Scope

T = TypeVar("T")

# The request's database session, and the engine, provided by the advanced-alchemy plugin.
DbSession = NamedDependency[AsyncSession]
DbEngine = NamedDependency[AsyncEngine]
# What the request's principal may see (reemploi.scope), provided by `provide_data_scope`.
DataScope = NamedDependency[Scope]

MAX_PAGE = 500

# The largest PostgreSQL INTEGER: every id fits in it, and a larger number is refused (400) before it
# reaches either database (asyncpg cannot send it; SQLite overflows at 2**63).
MAX_ID = 2**31 - 1

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description="Taille de la page (1 à 500).")]
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_ID, description="Nombre d'éléments à sauter.")]
RowId = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]  # an id in a request body
PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def actor_of(request: Request[Any, Any, Any]) -> Actor:
    """Who performs this request, as written in device events: the authenticated account or token."""
    return request.user.actor


def kg_to_grams(kg: float | None) -> int | None:
    return None if kg is None else round(kg * 1000)


def grams_to_kg(grams: int | None) -> float | None:
    return None if grams is None else grams / 1000


def provide_data_scope(request: Request[Any, Any, Any]) -> Scope:
    """A collectivity sees what it gave; the workshop's staff see the workshop."""
    principal = request.user
    return Scope(principal.partner_id if principal.role == "collectivity" else None)
