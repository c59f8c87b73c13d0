"""Every value a person reads, shown one way: money, weights, numbers, percentages, dates and times in
French (fr_FR) by Babel from CLDR's rules, its spaces included (U+202F between thousands and before
"kg", U+00A0 before "€" and "%"), moments in the workshop's time zone; `plain` trades those spaces for
ordinary ones where plain text is wanted. Machine formats (CSV cells, JSON, the API's figures) are not
made here; `amount` is the one value a person types back into a form."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import NumberPattern, format_currency, format_decimal, parse_pattern
from babel.units import format_unit
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from reemploi import texts

LOCALE = Locale.parse("fr_FR")
PARIS = ZoneInfo("Europe/Paris")
Number = int | float | Decimal
Moment = datetime | str  # a datetime, or its ISO text as documents keep it (Sale.facts, certificates)
Day = date | datetime | str  # a datetime counts on the workshop's calendar
_TYPED_AMOUNT = parse_pattern("0.00")  # what the amount fields read back ("95,50"): no group separator


def _decimals(pattern: NumberPattern, least: int, most: int) -> NumberPattern:
    """CLDR's own pattern for fr_FR with another number of decimals."""
    changed = copy.copy(pattern)
    changed.frac_prec = (least, most)
    return changed


def _decimal_pattern(decimals: int, fixed: bool) -> str:
    """CLDR's decimal pattern for fr_FR ("#,##0.###") with at most, or exactly (`fixed`), `decimals`
    decimals; as text, the form babel.units takes."""
    return "#,##0" + ("." + ("0" if fixed else "#") * decimals if decimals else "")


def _cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def euros(cents: int | None) -> str:
    """An amount in euros, from cents: 123456 → "1 234,56 €" (empty for None)."""
    if cents is None:
        return ""
    return format_currency(_cents(cents), "EUR", locale=LOCALE)


def plain(shown: str) -> str:
    """`shown` with ordinary spaces in place of CLDR's U+00A0 and U+202F. For what travels as plain
    text (the refusal messages of reemploi.texts, in the API's problem details and logs) and, for now,
    for the HTML pages: their tests (and a browser test reading innerText) pin ordinary spaces
    ("95,00 €"). The PDF documents keep CLDR's spaces."""
    return shown.replace("\u202f", " ").replace("\u00a0", " ")


def euros_plain(cents: int) -> str:
    """`euros` with ordinary spaces (`plain`), for a refusal message: "1 234,56 €"."""
    return plain(euros(cents))


def amount(cents: int | None) -> str:
    """An amount as the forms read it back (an input's value): 9550 → "95,50", no sign, no group
    separator (reemploi.amounts parses it again)."""
    if cents is None:
        return ""
    return format_decimal(_cents(cents), _TYPED_AMOUNT, locale=LOCALE)


def number(value: Number | None, decimals: int = 2, *, fixed: bool = False) -> str:
    """A plain number, at most `decimals` decimals and no trailing zero: 1234.5 → "1 234,5"; exactly
    `decimals` with `fixed` (a column of figures): "1 234,50"."""
    if value is None:
        return ""
    return format_decimal(value, _decimal_pattern(decimals, fixed), locale=LOCALE)


def kilograms(kg: Number | None, decimals: int = 2, *, fixed: bool = False, unit: bool = True) -> str:
    """A weight in kilograms: 7.2 → "7,2 kg" (`fixed`: "7,20 kg"); `unit=False` for a column or a
    label that already says "kg"."""
    if kg is None:
        return ""
    if not unit:
        return number(kg, decimals, fixed=fixed)
    return format_unit(kg, "mass-kilogram", length="short", format=_decimal_pattern(decimals, fixed), locale=LOCALE)


def weight(grams: int | None, decimals: int = 2, *, fixed: bool = False, unit: bool = True) -> str:
    """A weight kept in grams, shown in kilograms: 7200 → "7,2 kg"."""
    if grams is None:
        return ""
    return kilograms(Decimal(grams).scaleb(-3), decimals, fixed=fixed, unit=unit)


def percent(ratio: Number | None, decimals: int = 1) -> str:
    """A ratio as a percentage, with exactly `decimals` decimals: 0.4286 → "42,9 %"."""
    if ratio is None:
        return ""
    pattern = _decimals(LOCALE.percent_formats[None], decimals, decimals)
    return str(pattern.apply(ratio, LOCALE))


def _aware(moment: Moment, zone: tzinfo) -> datetime:
    """The moment in `zone`. Stored moments are UTC (reemploi.db.Timestamp); a naive one means UTC."""
    found = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return (found if found.tzinfo else found.replace(tzinfo=UTC)).astimezone(zone)


def _calendar_day(value: Day, zone: tzinfo) -> date:
    """The day a value names; a moment's day is the one in `zone`."""
    if isinstance(value, datetime) or (isinstance(value, str) and len(value) > 10):
        return _aware(value, zone).date()
    return date.fromisoformat(value) if isinstance(value, str) else value


def day(value: Day | None, zone: tzinfo = PARIS) -> str:
    """A day: 2026-03-28 → "28/03/2026"; a moment gives its day in `zone` (23:30 UTC is the next day
    in Paris in summer)."""
    return "" if value is None else format_date(_calendar_day(value, zone), "short", locale=LOCALE)


def long_day(value: Day | None, zone: tzinfo = PARIS) -> str:
    """A day in words, for a sentence: 2026-11-12 → "12 novembre 2026" (a moment: its day in `zone`)."""
    return "" if value is None else format_date(_calendar_day(value, zone), "long", locale=LOCALE)


def moment(value: Moment | None, zone: tzinfo = PARIS) -> str:
    """A date and time in `zone`: 2026-03-28 23:30 UTC → "29/03/2026 00:30"."""
    if value is None:
        return ""
    return format_datetime(_aware(value, zone), "short", tzinfo=zone, locale=LOCALE)


def time(value: Moment | None, zone: tzinfo = PARIS) -> str:
    """The time of day in `zone`: "00:30"."""
    if value is None:
        return ""
    return format_time(_aware(value, zone), "short", tzinfo=zone, locale=LOCALE)


def _zone_of(context: Context) -> tzinfo:
    """The time zone a template shows moments in: its `timezone` (REEMPLOI_TIMEZONE), else Paris."""
    name = context.get("timezone")
    return ZoneInfo(name) if isinstance(name, str) and name else PARIS


@pass_context
def _day_filter(context: Context, value: Day | None) -> str:
    return day(value, _zone_of(context))


@pass_context
def _long_day_filter(context: Context, value: Day | None) -> str:
    return long_day(value, _zone_of(context))


@pass_context
def _moment_filter(context: Context, value: Moment | None) -> str:
    return moment(value, _zone_of(context))


@pass_context
def _time_filter(context: Context, value: Moment | None) -> str:
    return time(value, _zone_of(context))


# The filters whose output holds CLDR's spaces (the others hold none, or only ordinary ones).
_SPACED = ("euros", "number", "kilograms", "weight", "percent")
FILTERS: dict[str, Any] = {
    "euros": euros,
    "amount": amount,
    "number": number,
    "kilograms": kilograms,
    "weight": weight,
    "percent": percent,
    "day": _day_filter,
    "long_day": _long_day_filter,
    "moment": _moment_filter,
    "time": _time_filter,
}


def _plainly(show: Callable[..., str]) -> Callable[..., str]:
    def shown(*args: Any, **kwargs: Any) -> str:
        return plain(show(*args, **kwargs))

    return shown


def register(environment: Environment, timezone: str | None = None, *, plain_spaces: bool = False) -> Environment:
    """Installs the filters (`{{ sale.total_cents | euros }}`, `{{ event.at | moment }}`…); moments
    are shown in `timezone` unless the template's context names another one. `plain_spaces`: ordinary
    spaces in place of CLDR's (see `plain`)."""
    environment.filters.update(FILTERS)
    environment.filters["who"] = texts.who
    if plain_spaces:
        environment.filters.update({name: _plainly(FILTERS[name]) for name in _SPACED})
    if timezone:
        environment.globals["timezone"] = timezone
    return environment
