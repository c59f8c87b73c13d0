"""The pages speak French to people: no ISO date, no English word of the code (unknown, None, True,
False), no decimal point in a figure. Every main page of a small world is rendered and its visible
text (tags and their attributes removed, so input values and links keep machine formats) is read."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import texts
from reemploi.accounts.roles import Role
from reemploi.actors import Actor
from reemploi.devices import steps
from reemploi.devices.lifecycle import Action
from reemploi.recycling import service as recycling
from tests.factories import make_beneficiary, make_device, make_ready, make_world
from tests.through_api import Client, logged_in

LEAKS = (
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "an ISO date"),
    (re.compile(r"\b(?:unknown|None|True|False|null)\b"), "an English word of the code"),
    (re.compile(r"\b\d+\.\d+\s*(?:kg|€|%)"), "a decimal point"),
)


def visible_text(page: str) -> str:
    """What a person reads: the text between tags, scripts, styles and text areas left out."""
    page = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]*>", " ", page))


def leaks_in(text: str) -> list[str]:
    return [f"{what}: {found.group(0)!r}" for pattern, what in LEAKS for found in pattern.finditer(text)]


@pytest.mark.parametrize(
    ("shown", "leak"),
    [
        ("<td>2026-12-03</td>", "an ISO date"),
        ("<td>None</td>", "an English word"),
        ("<p>état : unknown</p>", "an English word"),
        ("<td>1.32 kg</td>", "a decimal point"),
    ],
)
def test_the_check_finds_each_leak(shown: str, leak: str) -> None:
    assert any(found.startswith(leak) for found in leaks_in(visible_text(shown)))


def test_the_check_leaves_machine_formats_in_attributes_alone() -> None:
    page = '<input name="day" value="2026-12-03"><a href="/devices?collected_from=2026-12-03">3 décembre 2026</a>'
    assert leaks_in(visible_text(page)) == []


async def test_the_main_pages_show_dates_words_and_figures_in_french(anonymous: Client, session: AsyncSession) -> None:
    site, _, collection_id = await make_world(session)
    ready = await make_ready(session, collection_id, "READY1", weight_g=1320)
    stuck = await make_device(session, collection_id, serial="DIAG1", weight_g=2500)
    for action in (Action.RECEIVE, Action.START_DIAGNOSIS):
        await steps.take_step(session, stuck, action, Actor("test"))
    lot = await recycling.open_lot(session, site.id, "ecosystem", Actor("test"), deee_category=2)
    await make_beneficiary(session)
    await logged_in(anonymous, session, "maud", Role.MANAGER)

    pages = [
        "/",
        "/devices",
        "/stock",
        f"/scan?code={ready}",
        f"/scan?code={stuck}",
        "/collections",
        f"/collections/{collection_id}/intake",
        "/reports",
        "/partners",
        "/sites",
        f"/sites/{site.id}/prices",
        "/users",
        "/tokens",
        "/recycling-lots",
        f"/recycling-lots/{lot.id}",
        "/parts",
        "/labels",
        "/reception",
        "/reception/beneficiaries",
        "/stock/locations",
    ]
    read = {}
    for path in pages:
        answer = await anonymous.get(path)
        assert answer.status_code == 200, path
        read[path] = visible_text(answer.text)
    assert {path: leaks for path, text in read.items() if (leaks := leaks_in(text))} == {}
    # The jargon, explained where it is chosen or shown.
    assert texts.DEEE_HINT in read["/recycling-lots"] and texts.DEEE_HINT in read[f"/recycling-lots/{lot.id}"]
    assert "pas pour une personne" in read["/tokens"]


def test_a_report_row_left_empty_reads_non_renseigne_not_unknown() -> None:
    """The residents' tables count a beneficiary without an age band under the key "unknown"."""
    assert texts.tallied(texts.AGE_BANDS, "unknown") == "non renseigné"
    assert texts.tallied(texts.AGE_BANDS, "26_44") == "26-44 ans"


def test_the_jargon_is_explained_next_to_it() -> None:
    assert "2 = écrans" in texts.DEEE_HINT and "6 = petits équipements" in texts.DEEE_HINT
    assert all(level in texts.NIST_LEVELS_HINT for level in ("Clear =", "Purge =", "Destroy =", "SP 800-88"))
    assert "pas pour une personne" in texts.ACCOUNTS["tokens_help"]


async def test_a_refused_address_says_why_in_french_not_in_msgspecs_english(
    anonymous: Client, session: AsyncSession
) -> None:
    await make_world(session)
    await logged_in(anonymous, session, "maud", Role.MANAGER)
    for path, said in (
        ("/devices?limit=100000", "limit : au plus 200"),
        ("/devices?offset=-1", "offset : au moins 0"),
        ("/scan?code=" + "x" * 300, "code : au plus 100 caractère(s)"),
        ("/collections/new?donor_id=abc", "donor_id : il faut un nombre entier"),
        ("/reports?year=deux-mille", "year : il faut un nombre entier"),
    ):
        answer = await anonymous.get(path)
        text = " ".join(visible_text(answer.text).split())
        assert answer.status_code == 400 and answer.headers["content-type"].startswith("text/html"), path
        assert f"Requête invalide : {said}" in text, (path, text[-200:])
        assert "Expected" not in text and "got `" not in text, path


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Expected `int` <= 200", "au plus 200"),
        ("Expected `str` of length >= 1", "au moins 1 caractère(s)"),
        ("Expected `bool`, got `str`", "il faut oui ou non (true / false)"),
        ("Invalid enum value 'ghost'", "valeur « ghost » inconnue"),
        ("Object missing required field `name`", "le champ name est obligatoire"),
        ("Invalid RFC 3339 encoded date", "date illisible (il faut AAAA-MM-JJ)"),
        ("Something no one translated yet", "valeur illisible"),
    ],
)
def test_msgspec_refusals_are_said_in_french(english: str, french: str) -> None:
    assert texts.constraint_in_french(english) == french
