"""What people type in the pages' forms, read once: each shared type on what a keyboard (or a curious
visitor) can send, the form helper, and a refused page that keeps what was typed."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import pytest
from litestar.response import Redirect, Template
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules, texts
from reemploi.accounts.roles import Role
from reemploi.errors import Conflict, DomainError, Invalid
from reemploi.web import form_cents, form_day, form_grams, form_id, form_number, scanned_lines
from reemploi.web.forms import (
    Cents,
    Checkbox,
    Day,
    Form,
    Grams,
    OptionalNumber,
    ScannedCodes,
    ShortText,
    WholeNumber,
    form_page,
    parse_form,
)
from tests.factories import make_world
from tests.through_api import Client, logged_in

HOSTILE = ["inf", "nan", "-5", "²", "١٢", "1e3", str(10**30), "x" * 100_000, "", "   ", "12abc", "0x1F", "+5"]
AMOUNT = texts.RECEPTION["bad_amount"]


class Everything(Form):
    site_id: WholeNumber
    quantity: OptionalNumber = None
    amount: Cents | None = None
    weight_kg: Grams | None = None
    shipped_on: Day | None = None
    codes: ScannedCodes = ScannedCodes("")
    name: ShortText = ""
    donation: Checkbox = False
    part_id: list[WholeNumber] = []


def refusal(data: dict[str, Any]) -> str:
    with pytest.raises(Invalid) as refused:
        parse_form(Everything, {"site_id": "1", **data})
    return refused.value.detail


@pytest.mark.parametrize("typed", [*HOSTILE, "12.0", "1 234", "1234567890"])
def test_a_whole_number_is_ascii_digits_only_nine_at_most(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        form_id(typed)
    assert refused.value.detail == texts.NOT_A_WHOLE_NUMBER
    assert refusal({"site_id": typed}) == "Site — Un nombre entier est attendu (chiffres seulement)."


def test_a_whole_number_read_as_typed() -> None:
    assert form_id("42") == 42 and form_id(" 42 ") == 42 and form_id(7) == 7 and form_id("999999999") == 999_999_999
    assert form_number("") is None and form_number("  ") is None and form_number("3") == 3
    assert parse_form(Everything, {"site_id": "3", "quantity": ""}).quantity is None
    assert parse_form(Everything, {"site_id": "3", "quantity": " 12 "}).quantity == 12
    with pytest.raises(Invalid, match="Quantité — Un nombre entier"):
        parse_form(Everything, {"site_id": "3", "quantity": "1e3"})


@pytest.mark.parametrize("typed", [t for t in HOSTILE if t.strip()] + ["9O", "95,5,0", "--1", "€"])
def test_an_amount_refused_says_how_to_type_it(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        form_cents(typed)
    assert refused.value.detail == AMOUNT
    assert refusal({"amount": typed}) == AMOUNT  # the field is called "Montant": said once


def test_an_amount_in_euros_is_read_in_cents() -> None:
    for typed, cents in (("95", 9500), ("95,5", 9550), ("95.50", 9550), ("1 234,50", 123450), ("12 €", 1200)):
        assert form_cents(typed) == cents
        assert parse_form(Everything, {"site_id": "1", "amount": typed}).amount == cents
    assert form_cents("0") == 0 and form_cents("100000") == 10_000_000
    with pytest.raises(Invalid, match="Montant illisible"):
        form_cents("100000,01")  # beyond 100,000 €: a typing error
    with pytest.raises(Invalid, match="Montant illisible"):
        form_cents("")  # a required amount left empty


@pytest.mark.parametrize("typed", [t for t in HOSTILE if t.strip()] + ["0", "100000", "7,2,1"])
def test_a_weight_refused_says_how_to_type_it(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        form_grams(typed)
    assert refused.value.detail == texts.BAD_WEIGHT
    assert refusal({"weight_kg": typed}) == texts.BAD_WEIGHT  # the field is called "Poids": said once


def test_a_weight_in_kilograms_is_read_in_grams() -> None:
    assert form_grams("7,2") == 7200 and form_grams("7.2") == 7200 and form_grams(" 0,5 ") == 500
    assert form_grams("") is None and form_grams("   ") is None and form_grams("99999") == 99_999_000


@pytest.mark.parametrize("typed", ["31/12/2099", "2026-13-01", "2026-02-30", "demain", "²", "1e3", "x" * 100_000])
def test_a_day_refused_says_to_use_the_date_picker(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        form_day(typed)
    assert refused.value.detail == texts.BAD_DAY
    assert refusal({"shipped_on": typed}) == f"Date d'enlèvement — {texts.BAD_DAY}"


def test_a_day_is_an_iso_date_or_nothing() -> None:
    assert form_day("2026-11-27") == date(2026, 11, 27) and form_day(" ") is None
    assert parse_form(Everything, {"site_id": "1", "shipped_on": "2026-11-27"}).shipped_on == date(2026, 11, 27)


def test_scanned_codes_are_kept_as_typed_and_bounded() -> None:
    read = parse_form(Everything, {"site_id": "1", "codes": "R1-000001-K\nR1-000002-X  r1-000003-z\n"})
    assert read.codes.codes == ["R1-000001-K", "R1-000002-X", "r1-000003-z"]
    assert scanned_lines(" a\nb ") == ["a", "b"]
    assert refusal({"codes": "R1-000001-K\n" * 10_000}) == "Codes scannés — Texte trop long : 80000 caractères au plus."


def test_a_short_text_is_trimmed_and_a_long_one_refused() -> None:
    assert parse_form(Everything, {"site_id": "1", "name": "  Awa  "}).name == "Awa"
    assert parse_form(Everything, {"site_id": "1", "name": "x" * 200}).name == "x" * 200
    assert refusal({"name": "x" * 10_000}) == "Nom — Texte trop long : 200 caractères au plus."


def test_a_checkbox_is_ticked_or_not() -> None:
    assert parse_form(Everything, {"site_id": "1", "donation": "true"}).donation is True
    assert parse_form(Everything, {"site_id": "1"}).donation is False
    assert refusal({"donation": "peut-être"}) == f"Don — {texts.BAD_CHECKBOX}"


def test_every_value_of_a_list_field_is_read_and_the_first_bad_one_named() -> None:
    class Many:  # a FormMultiDict's interface
        def get(self, name: str, default: Any = None) -> Any:
            return {"site_id": "1"}.get(name, default)

        def getall(self, name: str, default: Any = None) -> list[str]:
            return {"part_id": ["4", " 5 "]}.get(name, default or [])

    assert parse_form(Everything, Many()).part_id == [4, 5]  # type: ignore[arg-type]
    assert refusal({"part_id": ["4", "²"]}) == "Pièce — Un nombre entier est attendu (chiffres seulement)."


def test_a_required_field_left_empty_or_missing_is_named() -> None:
    for data in ({}, {"site_id": ""}, {"site_id": "  "}):
        with pytest.raises(Invalid, match=r"^Site — Un nombre entier"):
            parse_form(Everything, data)


def test_a_form_may_word_a_refusal_its_own_way_with_its_own_status() -> None:
    class OldHabits(Form):
        refused_as = DomainError
        refusals = {"shipped_on": "Date ou poids illisible"}
        shipped_on: Day | None = None

    with pytest.raises(DomainError) as refused:
        parse_form(OldHabits, {"shipped_on": "32/13/2026"})
    assert refused.value.detail == "Date ou poids illisible" and refused.value.status_code == 400


# --- The helper ------------------------------------------------------------------------------------


def _page(**context: Any) -> Template:
    return Template("x.html", context=context)


async def test_the_helper_answers_what_the_work_answers() -> None:
    async def work() -> Redirect:
        return Redirect("/done", status_code=303)

    answered = await form_page(work, _page)
    assert isinstance(answered, Redirect)


async def test_a_refusal_answers_the_page_again_with_its_status_message_and_what_was_typed() -> None:
    async def work() -> Redirect:
        parse_form(Everything, {"site_id": "inf"})
        raise AssertionError("not reached")

    shown = await form_page(work, _page, typed={"site_id": "inf"})
    assert isinstance(shown, Template) and shown.status_code == 422
    assert shown.context == {
        "error": "Site — Un nombre entier est attendu (chiffres seulement).",
        "typed": {"site_id": "inf"},
    }


async def test_a_refusal_keeps_its_status_under_the_pages_name_with_its_problems() -> None:
    async def work() -> Template:
        raise Conflict("Déjà fait.", errors=[{"line": 2}])

    async def again(**context: Any) -> Template:
        return _page(**context)

    shown = await form_page(work, again, say="message", problems="problems")
    assert isinstance(shown, Template) and shown.status_code == 409
    assert shown.context == {"message": "Déjà fait.", "problems": [{"line": 2}]}


async def test_what_is_not_a_domain_error_is_not_hidden() -> None:
    async def work() -> Template:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError):
        await form_page(work, _page)


# --- Through the pages -------------------------------------------------------------------------------


def said(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return html.unescape(response.text)


async def test_a_refused_put_away_keeps_the_codes_typed_and_says_which_field(
    anonymous: Client, session: AsyncSession
) -> None:
    site, _, _ = await make_world(session)
    csrf = await logged_in(anonymous, session, "karim", Role.MANAGER)
    shelf = await anonymous.post("/stock/locations", data={"_csrf": csrf, "site_id": str(site.id), "code": "A-01"})
    assert shelf.status_code == 200 and "A-01" in shelf.text
    for location in ("²", "inf", "-5", "1e3", str(10**30), ""):
        refused = said(
            await anonymous.post(
                "/stock/put-away", data={"_csrf": csrf, "location_id": location, "codes": "R1-000001-K\nPF1-TYPED"}
            ),
            422,
        )
        assert "Emplacement — Un nombre entier est attendu (chiffres seulement)." in refused
        assert ">R1-000001-K\nPF1-TYPED</textarea>" in refused, "what was typed is kept"
    pasted = said(
        await anonymous.post("/stock/put-away", data={"_csrf": csrf, "location_id": "1", "codes": "x" * 100_000}), 422
    )
    assert "Codes scannés — Texte trop long" in pasted


async def test_a_refused_lot_weight_answers_the_lot_again_and_closes_nothing(
    anonymous: Client, session: AsyncSession
) -> None:
    site, _, _ = await make_world(session)
    csrf = await logged_in(anonymous, session, "karim", Role.MANAGER)
    opened = await anonymous.post(
        "/recycling-lots",
        data={"_csrf": csrf, "site_id": str(site.id), "eco_organism": rules.eco_organisms()[0]},
        follow_redirects=False,
    )
    assert opened.status_code == 303, opened.text
    lot = opened.headers["location"]
    for weight in ("inf", "nan", "-5", "1e3", "١٢", "x" * 10_000):
        refused = said(
            await anonymous.post(f"{lot}/close", data={"_csrf": csrf, "slip_number": "B1", "weight_kg": weight}), 422
        )
        assert texts.BAD_WEIGHT in refused
    assert (
        await session.execute(text("SELECT count(*) FROM recycling_lots WHERE closed_at IS NOT NULL"))
    ).scalar_one() == 0
    bad_site = said(await anonymous.post("/recycling-lots", data={"_csrf": csrf, "site_id": "١٢"}), 422)
    assert "Site — Un nombre entier" in bad_site
