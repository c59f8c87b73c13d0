"""Values as people read them (reemploi.formats), written out by hand from CLDR's French rules: a
comma for decimals, U+202F (narrow no-break space) between thousands and before "kg", U+00A0 (no-break
space) before "€" and "%", moments in Paris time, day and month first."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from jinja2 import Environment
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import amounts, formats
from reemploi.accounts.roles import Role
from reemploi.labels.render import templates
from tests.factories import make_device, make_world
from tests.through_api import Client, logged_in


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        (123456, "1\u202f234,56\u00a0€"),
        (9500, "95,00\u00a0€"),
        (5, "0,05\u00a0€"),
        (0, "0,00\u00a0€"),
        (-100, "-1,00\u00a0€"),
        (-123456, "-1\u202f234,56\u00a0€"),
        (123456789, "1\u202f234\u202f567,89\u00a0€"),
        (None, ""),
    ],
)
def test_euros_from_cents_with_cldrs_spaces(cents: int | None, shown: str) -> None:
    assert formats.euros(cents) == shown


def test_in_a_refusal_message_an_amount_has_plain_spaces() -> None:
    assert formats.euros_plain(123456) == "1 234,56 €"


@pytest.mark.parametrize(("cents", "typed"), [(9550, "95,50"), (9500, "95,00"), (123456, "1234,56"), (0, "0,00")])
def test_an_amount_in_a_form_is_what_the_form_reads_back(cents: int, typed: str) -> None:
    assert formats.amount(cents) == typed
    assert amounts.euros_to_cents(typed) == cents


def test_an_amount_may_be_negative_or_missing() -> None:
    assert (formats.amount(-100), formats.amount(None)) == ("-1,00", "")


@pytest.mark.parametrize(
    ("grams", "shown"),
    [
        (7200, "7,2\u202fkg"),
        (1650, "1,65\u202fkg"),
        (1654, "1,65\u202fkg"),
        (2000, "2\u202fkg"),
        (0, "0\u202fkg"),
        (1234567, "1\u202f234,57\u202fkg"),
        (987654321, "987\u202f654,32\u202fkg"),
        (None, ""),
    ],
)
def test_a_weight_in_grams_is_shown_in_kilograms(grams: int | None, shown: str) -> None:
    assert formats.weight(grams) == shown


def test_a_weight_without_its_unit_or_with_fixed_decimals_for_a_column() -> None:
    assert formats.weight(1234567, unit=False) == "1\u202f234,57"
    assert formats.weight(3300, fixed=True, unit=False) == "3,30"
    assert formats.kilograms(9.8, fixed=True) == "9,80\u202fkg"
    assert formats.kilograms(Decimal("13.54")) == "13,54\u202fkg"
    assert formats.kilograms(None) == ""


def test_plain_numbers_and_percentages() -> None:
    assert formats.number(1234.5) == "1\u202f234,5"
    assert formats.number(170.3) == "170,3"
    assert formats.number(-0.25) == "-0,25"
    assert formats.number(542.6, 1, fixed=True) == "542,6"
    assert formats.number(9.8, 1, fixed=True) == "9,8"
    assert formats.number(10, 1, fixed=True) == "10,0"
    assert formats.number(None) == ""
    assert formats.percent(3 / 7) == "42,9\u00a0%"
    assert formats.percent(0.2, 0) == "20\u00a0%"
    assert formats.percent(0) == "0,0\u00a0%"
    assert formats.percent(12.345) == "1\u202f234,5\u00a0%"
    assert formats.percent(None) == ""


def test_a_moment_is_shown_in_paris_time_and_a_late_evening_in_utc_is_the_next_day() -> None:
    late = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # winter time still: UTC+1
    assert formats.moment(late) == "29/03/2026 00:30"
    assert formats.day(late) == "29/03/2026"
    assert formats.time(late) == "00:30"
    assert formats.day(date(2026, 3, 28)) == "28/03/2026"
    assert formats.day("2026-03-28") == "28/03/2026"
    assert formats.moment("2026-03-28T23:30:00+00:00") == "29/03/2026 00:30"
    assert formats.day("2026-03-28T23:30:00+00:00") == "29/03/2026"
    assert (formats.moment(None), formats.day(None), formats.time(None)) == ("", "", "")


def test_the_days_the_clocks_change() -> None:
    # Sunday 29 March 2026: at 01:00 UTC Paris goes from 02:00 (UTC+1) to 03:00 (UTC+2).
    assert formats.moment(datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) == "29/03/2026 01:59"
    assert formats.moment(datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == "29/03/2026 03:00"
    assert formats.moment(datetime(2026, 3, 29, 22, 30, tzinfo=UTC)) == "30/03/2026 00:30"
    # Sunday 25 October 2026: at 01:00 UTC Paris goes back from 03:00 (UTC+2) to 02:00 (UTC+1);
    # 02:30 happens twice.
    assert formats.moment(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == "25/10/2026 02:30"
    assert formats.moment(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) == "25/10/2026 02:30"
    assert formats.moment(datetime(2026, 10, 25, 23, 30, tzinfo=UTC)) == "26/10/2026 00:30"
    assert formats.moment(datetime(2026, 10, 24, 22, 30, tzinfo=UTC)) == "25/10/2026 00:30"


def test_a_naive_moment_means_utc() -> None:
    assert formats.moment(datetime(2026, 3, 28, 23, 30)) == "29/03/2026 00:30"
    assert formats.moment("2026-07-14T10:00:00") == "14/07/2026 12:00"
    assert formats.day(datetime(2026, 12, 31, 23, 30)) == "01/01/2027"


def test_another_time_zone_when_the_workshop_is_elsewhere() -> None:
    reunion = ZoneInfo("Indian/Reunion")  # UTC+4, no summer time
    assert formats.moment(datetime(2026, 3, 28, 23, 30, tzinfo=UTC), reunion) == "29/03/2026 03:30"


def test_the_filters_show_moments_in_the_templates_time_zone() -> None:
    page = templates().from_string("{{ at | moment }} · {{ at | day }} · {{ cents | euros }} · {{ grams | weight }}")
    at = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
    assert page.render(at=at, cents=9550, grams=7200) == "29/03/2026 00:30 · 29/03/2026 · 95,50\u00a0€ · 7,2\u202fkg"
    assert page.render(at=at, cents=0, grams=None, timezone="Indian/Reunion").startswith("29/03/2026 03:30")


def test_pages_may_ask_for_ordinary_spaces_and_documents_keep_cldrs() -> None:
    page = formats.register(Environment(), plain_spaces=True).from_string(
        "{{ cents | euros }} · {{ grams | weight }} · {{ ratio | percent }} · {{ cents | amount }}"
    )
    assert page.render(cents=123456, grams=1234567, ratio=0.5) == "1 234,56 € · 1 234,57 kg · 50,0 % · 1234,56"
    document = templates().from_string("{{ cents | euros }}")
    assert document.render(cents=123456) == "1\u202f234,56\u00a0€"


async def test_the_scan_card_shows_the_weight_and_types_back_the_price(
    anonymous: Client, session: AsyncSession
) -> None:
    _, _, collection_id = await make_world(session)
    code = await make_device(session, collection_id, serial="PF1FMT01", weight_g=1234567)
    await session.execute(
        text("UPDATE devices SET state = 'graded', grade = 'B', price_cents = 123456 WHERE code = :c"), {"c": code}
    )
    await session.commit()
    await logged_in(anonymous, session, "karim", Role.TECHNICIAN)
    response = await anonymous.get("/scan", params={"code": code})
    assert response.status_code == 200, response.text
    card = html.unescape(response.text)
    assert "1 234,57 kg" in card, "pages have ordinary spaces for now (reemploi.formats.plain)"
    assert 'value="1234,56"' in card, "the price field holds what it reads back: no group separator, no sign"


def test_the_history_names_who_did_it_as_a_person_reads_it() -> None:
    from jinja2 import Environment

    from reemploi import formats

    shown = formats.register(Environment()).from_string("{{ a | who }}")
    assert shown.render(a="karim") == "karim"
    assert shown.render(a="cli:demo") == "données de démonstration"
    assert shown.render(a="cli:root") == "commande sur le serveur (root)"
    assert shown.render(a="jeton:portique") == "jeton d'API « portique »"
    assert shown.render(a="cli") == "cli", "a bare label stays as it is"
