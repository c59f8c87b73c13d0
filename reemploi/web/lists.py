"""The pages' lists, one way: a page of rows with the total ("1–50 sur 1 234"), a text search, a sort
by a shown column, and a French CSV of what is shown (the same search, filters and sort, every page).

Built on advanced-alchemy's filters (`SearchFilter`, `OrderBy`, `LimitOffset`): a list names its
columns, what the search looks in and its unique key; the query string says the rest. An unknown sort
key or direction is the list's default; a page number or size that cannot be read is refused (400)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Annotated, Any, Literal, cast
from urllib.parse import urlencode

from advanced_alchemy.filters import LimitOffset, OrderBy, SearchFilter, StatementFilter
from advanced_alchemy.service import OffsetPagination
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter
from litestar.response import Response
from sqlalchemy import Row, Select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import formats, texts
from reemploi.db import fold_text, folded, paginated
from reemploi.errors import Invalid
from reemploi.spreadsheets import french_csv
from reemploi.web import Offset

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# A CSV holds every row of the list at once; beyond this many, the person narrows the list first.
MAX_EXPORT = 10_000

Direction = Literal["asc", "desc"]


@dataclass(frozen=True, slots=True)
class Column:
    """A column a list shows: its key in the query string (`sort=`), its French header, what it sorts
    by (None: not sortable) and its CSV cell from a row (None: not in the CSV, a column of links)."""

    key: str
    label: str
    sort: Any = None
    cell: Callable[[Any], Any] | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """What a list can be searched and sorted by. `unique` sorts last, so pages neither overlap nor skip."""

    columns: tuple[Column, ...]
    searched: tuple[Any, ...]  # the texts the search looks in, compared case and accents aside
    unique: Any
    default: str  # the sort key when none (or an unknown one) is asked
    default_direction: Direction = "asc"

    def sortable(self) -> dict[str, Any]:
        return {c.key: c.sort for c in self.columns if c.sort is not None}


@dataclass(frozen=True, slots=True)
class Asked:
    """What the query string asks of a list: the search, the sort and its direction, which page."""

    q: str = ""
    sort: str = ""
    order: str = ""
    offset: int = 0
    limit: int = PAGE_SIZE

    def within(self, listing: Listing) -> Asked:
        """The same, with a sort and a direction the list knows (else its defaults) and the search trimmed."""
        sort = self.sort if self.sort in listing.sortable() else listing.default
        order = self.order if self.order in ("asc", "desc") else listing.default_direction
        # Invisible characters (a NUL, a control code) are no search: PostgreSQL refuses a NUL in a text.
        searched = " ".join("".join(c if c.isprintable() else " " for c in self.q).split())
        return replace(self, q=searched, sort=sort, order=order)


SearchText = Annotated[str, QueryParameter(max_length=100, description="Texte cherché")]
SortKey = Annotated[str, QueryParameter(max_length=40, description="Colonne de tri")]
SortOrder = Annotated[str, QueryParameter(max_length=40, description="asc ou desc")]
PageSize = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="Lignes par page (1 à 200)")]


def _asked(
    q: SearchText = "", sort: SortKey = "", order: SortOrder = "", offset: Offset = 0, limit: PageSize = PAGE_SIZE
) -> Asked:
    return Asked(q, sort, order, offset, limit)


# A page handler takes `asked: AskedList` with `dependencies=LIST_QUERY`: the query string, read once.
LIST_QUERY = {"asked": Provide(_asked, sync_to_thread=False)}
AskedList = NamedDependency[Asked]


def _filters(listing: Listing, asked: Asked) -> list[StatementFilter]:
    chosen: list[StatementFilter] = []
    if asked.q:
        # advanced-alchemy takes columns or expressions as well as attribute names.
        searched = cast("set[str]", {folded(text) for text in listing.searched})
        chosen.append(SearchFilter(field_name=searched, value=fold_text(asked.q) or "", escape_wildcards=True))
    direction = cast("Direction", asked.order)
    chosen.append(OrderBy(listing.sortable()[asked.sort], direction, nulls="last"))
    chosen.append(OrderBy(listing.unique, direction))
    return chosen


def _applied(query: Select[*tuple[Any, ...]], listing: Listing, asked: Asked) -> Select[*tuple[Any, ...]]:
    for chosen in _filters(listing, asked):
        query = chosen.append_to_statement(query, cast("Any", None))  # expressions: no model to look in
    return query


@dataclass(frozen=True, slots=True)
class Shown:
    """One page of a list as a page shows it (`_list.html`): its rows, the total, the links."""

    page: OffsetPagination[Row[Any]]
    asked: Asked
    columns: tuple[Column, ...]
    path: str  # the page's address
    kept: Mapping[str, Any] = field(default_factory=dict)  # the page's own filters, kept in every link

    @property
    def first(self) -> int:
        return self.page.offset + 1 if self.page.items else self.page.offset

    @property
    def last(self) -> int:
        return self.page.offset + len(self.page.items)

    def _query(self, **changed: Any) -> str:
        asked = replace(self.asked, **changed)
        values = {
            **{k: v for k, v in self.kept.items() if v not in (None, "")},
            "q": asked.q,
            "sort": asked.sort,
            "order": asked.order,
            "offset": asked.offset or "",
            "limit": asked.limit if asked.limit != PAGE_SIZE else "",
        }
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    def href(self, **changed: Any) -> str:
        return f"{self.path}?{self._query(**changed)}"

    def sort_href(self, key: str) -> str:
        """The column's header link: sorted by it, or the other way when it already is; from page one."""
        order = ("desc" if self.asked.order == "asc" else "asc") if key == self.asked.sort else "asc"
        return self.href(sort=key, order=order, offset=0)

    def previous_href(self) -> str | None:
        return self.href(offset=max(self.page.offset - self.page.limit, 0)) if self.page.offset > 0 else None

    def next_href(self) -> str | None:
        following = self.page.offset + self.page.limit
        return self.href(offset=following) if following < self.page.total else None

    def csv_href(self) -> str:
        return f"{self.path}.csv?{self._query(offset=0)}"

    def hidden(self) -> dict[str, Any]:
        """What the search form sends again besides the search: the page's filters and the sort."""
        kept = {k: v for k, v in self.kept.items() if v not in (None, "")}
        return {**kept, "sort": self.asked.sort, "order": self.asked.order}


async def shown(
    session: AsyncSession,
    query: Select[*tuple[Any, ...]],
    listing: Listing,
    asked: Asked,
    path: str,
    kept: Mapping[str, Any] | None = None,
) -> Shown:
    """The page `asked` of `query`'s rows, searched and sorted as asked, with how many match in all."""
    asked = asked.within(listing)
    found = await paginated(session, _applied(query, listing, asked), LimitOffset(asked.limit, asked.offset))
    return Shown(found, asked, listing.columns, path, kept or {})


async def exported(
    session: AsyncSession, query: Select[*tuple[Any, ...]], listing: Listing, asked: Asked, name: str
) -> Response[bytes]:
    """Every row of the list as shown (same search, filters and sort), as a French CSV file `name`;
    refused (422) past MAX_EXPORT rows, saying so, rather than cut."""
    asked = asked.within(listing)
    found = await paginated(session, _applied(query, listing, asked), LimitOffset(MAX_EXPORT, 0))
    if found.total > MAX_EXPORT:
        raise Invalid(texts.export_too_large(found.total, MAX_EXPORT))
    columns = [c for c in listing.columns if c.cell is not None]
    body = french_csv([c.label for c in columns], ([_cell(c, row) for c in columns] for row in found.items))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _cell(column: Column, row: Row[Any]) -> Any:
    """A row's cell, dates and moments as French spreadsheets read them (28/03/2026, 28/03/2026 14:30)."""
    assert column.cell is not None
    value = column.cell(row)
    if isinstance(value, datetime):
        return formats.moment(value)
    return formats.day(value) if isinstance(value, date) else value


def columns_of(*columns: Column | None) -> tuple[Column, ...]:
    """The columns a person sees: those given, without the ones left out for their role (None)."""
    return tuple(c for c in columns if c is not None)
