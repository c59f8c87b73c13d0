"""Partners as the workshop manager records them: collectivities with a checked SIREN and INSEE code
(their territory counts in their reports), companies with a SIRET, associations, people."""

from __future__ import annotations

from typing import Any

from httpx import Response
from stdnum import luhn

from tests.through_api import Client
from tests.through_api import ok as _ok
from tests.through_api import problem as _problem

PARTNERS = "/api/v1/partners"

# Real identifiers (INSEE / Sirene public data): the commune of Villeurbanne and its town hall.
VILLEURBANNE_SIREN = "216902668"
VILLEURBANNE_SIRET = "21690266800013"
VILLEURBANNE_INSEE = "69266"


def siren(body: str) -> str:
    """A Luhn-valid SIREN from 8 digits."""
    assert len(body) == 8
    return body + luhn.calc_check_digit(body)


def siret(of_siren: str, nic: str) -> str:
    """A Luhn-valid SIRET: the SIREN, a 4-digit establishment number, a Luhn key."""
    body = of_siren + nic
    assert len(body) == 13
    return body + luhn.calc_check_digit(body)


def wrong_key(number: str) -> str:
    """The same number with its Luhn key off by one: what a typo on the last digit gives."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


async def create(client: Client, **fields: Any) -> Response:
    return await client.post(PARTNERS, json=fields)


async def count(client: Client) -> int:
    return _ok(await client.get(PARTNERS), 200)["total"]


def test_the_helpers_make_numbers_that_pass_and_fail_the_luhn_check() -> None:
    from stdnum.fr import siren as siren_number
    from stdnum.fr import siret as siret_number

    assert siren_number.is_valid(VILLEURBANNE_SIREN)
    assert siret_number.is_valid(VILLEURBANNE_SIRET)
    made = siren("12345678")
    assert siren_number.is_valid(made) and not siren_number.is_valid(wrong_key(made))
    assert siret_number.is_valid(siret(made, "0001")) and not siret_number.is_valid(wrong_key(siret(made, "0001")))


# --- Collectivities -----------------------------------------------------------------------------------


async def test_a_commune_with_its_real_siren_and_insee_code_is_recorded(client: Client) -> None:
    partner = _ok(
        await create(
            client,
            kind="collectivity",
            name=" Ville de Villeurbanne ",
            siren=VILLEURBANNE_SIREN,
            insee_code=VILLEURBANNE_INSEE,
            address="Place Lazare-Goujon, 69100 Villeurbanne",
            contact_name="Service du numérique",
            email="numerique@example.org",
            phone="04 78 03 67 67",
        )
    )
    assert partner["kind"] == "collectivity"
    assert partner["name"] == "Ville de Villeurbanne"
    assert partner["siren"] == VILLEURBANNE_SIREN
    assert partner["siret"] is None
    assert partner["insee_code"] == VILLEURBANNE_INSEE
    # Its territory is at least the commune itself: its residents count in its report.
    assert partner["communes"] == [VILLEURBANNE_INSEE]
    assert partner["contact_name"] == "Service du numérique"
    assert _ok(await client.get(f"{PARTNERS}/{partner['id']}"), 200) == partner


async def test_a_siren_typed_with_spaces_is_stored_as_nine_digits(client: Client) -> None:
    number = siren("21750001")
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    partner = _ok(await create(client, kind="collectivity", name="Ville de Paris", siren=spaced, insee_code="75056"))
    assert partner["siren"] == number
    assert partner["communes"] == ["75056"]


async def test_a_departement_covers_the_communes_it_lists(client: Client) -> None:
    communes = ["69266", "69123", "69034", "69123"]  # one written twice
    partner = _ok(
        await create(
            client,
            kind="collectivity",
            name="Département du Rhône",
            siren=siren("22690001"),
            insee_code="69",
            communes=communes,
        )
    )
    assert partner["insee_code"] == "69"
    # A département's own code is not a commune: its territory is exactly the listed communes.
    assert partner["communes"] == ["69034", "69123", "69266"]
    assert _ok(await client.get(f"{PARTNERS}/{partner['id']}"), 200)["communes"] == ["69034", "69123", "69266"]


async def test_a_commune_of_corsica_is_accepted_with_its_letter(client: Client) -> None:
    partner = _ok(
        await create(client, kind="collectivity", name="Ajaccio", siren=siren("21200040"), insee_code="2a004")
    )
    assert partner["insee_code"] == "2A004"
    assert partner["communes"] == ["2A004"]


async def test_an_overseas_commune_code_is_accepted(client: Client) -> None:
    partner = _ok(
        await create(
            client, kind="collectivity", name="Saint-Denis (La Réunion)", siren=siren("21974110"), insee_code="97411"
        )
    )
    assert partner["communes"] == ["97411"]


async def test_a_collectivity_given_only_its_siret_gets_its_siren_from_it(client: Client) -> None:
    partner = _ok(
        await create(
            client,
            kind="collectivity",
            name="Mairie de Villeurbanne",
            siret=VILLEURBANNE_SIRET,
            insee_code=VILLEURBANNE_INSEE,
        )
    )
    assert partner["siret"] == VILLEURBANNE_SIRET
    assert partner["siren"] == VILLEURBANNE_SIREN


async def test_a_company_given_only_its_siret_gets_its_siren_from_it(client: Client) -> None:
    company_siren = siren("43211234")
    company_siret = siret(company_siren, "0027")
    partner = _ok(await create(client, kind="company", name="Transports Rhodaniens SA", siret=company_siret))
    assert (partner["siren"], partner["siret"]) == (company_siren, company_siret)
    assert partner["insee_code"] is None and partner["communes"] == []


async def test_a_siren_and_a_siret_both_mistyped_are_refused_listing_each_problem(client: Client) -> None:
    bad_siren = wrong_key(siren("43211234"))
    bad_siret = wrong_key(siret(siren("43211234"), "0027"))
    response = await create(client, kind="company", name="Fautes de frappe SARL", siren=bad_siren, siret=bad_siret)
    body = _problem(response, 422, "invalid-input")
    assert [e["field"] for e in body["errors"]] == ["siren", "siret"]
    assert bad_siren in body["errors"][0]["message"]
    assert "Luhn" in body["errors"][0]["message"]
    assert bad_siret in body["errors"][1]["message"]
    assert bad_siren in body["detail"] and bad_siret in body["detail"]
    assert await count(client) == 0


async def test_a_siren_that_is_not_nine_digits_with_a_good_key_is_refused(client: Client) -> None:
    for bad in ("21690266", "2169026680", "21690266A", "216902669", "216902663"):
        body = _problem(
            await create(client, kind="collectivity", name="Villeurbanne", siren=bad, insee_code="69266"),
            422,
            "invalid-input",
        )
        assert [e["field"] for e in body["errors"]] == ["siren"], bad
        assert bad in body["errors"][0]["message"]
    assert await count(client) == 0


async def test_a_siret_that_does_not_start_with_the_siren_is_refused(client: Client) -> None:
    one, other = siren("43211234"), siren("55566677")
    response = await create(client, kind="company", name="Incohérente SA", siren=one, siret=siret(other, "0001"))
    body = _problem(response, 422, "invalid-input")
    assert [e["field"] for e in body["errors"]] == ["siret"]
    assert "ne commence pas par le SIREN" in body["errors"][0]["message"]
    assert one in body["detail"]
    assert await count(client) == 0


async def test_a_collectivity_without_siren_nor_insee_code_is_refused_saying_both(client: Client) -> None:
    body = _problem(await create(client, kind="collectivity", name="Commune sans papiers"), 422, "invalid-input")
    assert [e["field"] for e in body["errors"]] == ["siren", "insee_code"]
    assert "SIREN" in body["errors"][0]["message"]
    assert "code INSEE" in body["errors"][1]["message"]
    assert "AGEC" in body["detail"]
    assert await count(client) == 0


async def test_an_insee_code_that_cannot_exist_is_refused(client: Client) -> None:
    for insee in ("7505", "ABCDE", "2C004", "750 5"):
        response = await create(
            client, kind="collectivity", name="Nulle part", siren=VILLEURBANNE_SIREN, insee_code=insee
        )
        body = _problem(response, 422, "invalid-input")
        assert [e["field"] for e in body["errors"]] == ["insee_code"], insee
        assert "INSEE" in body["errors"][0]["message"]
        assert f"« {insee} »" in body["errors"][0]["message"]
    assert await count(client) == 0


async def test_a_bad_commune_in_a_territory_is_refused_and_named(client: Client) -> None:
    body = _problem(
        await create(
            client,
            kind="collectivity",
            name="Métropole",
            siren=siren("20004697"),
            insee_code="69",
            communes=["69123", "6926", "69266"],
        ),
        422,
        "invalid-input",
    )
    assert [e["field"] for e in body["errors"]] == ["communes"]
    assert "« 6926 »" in body["errors"][0]["message"]
    assert await count(client) == 0


async def test_a_departement_code_that_does_not_exist_is_refused(client: Client) -> None:
    for insee in ("00", "20", "96", "99", "970", "977"):
        response = await create(
            client, kind="collectivity", name="Département imaginaire", siren=siren("22990001"), insee_code=insee
        )
        body = _problem(response, 422, "invalid-input")
        assert [e["field"] for e in body["errors"]] == ["insee_code"], insee
    assert await count(client) == 0


async def test_every_real_departement_code_is_accepted(client: Client) -> None:
    for insee in ("01", "19", "21", "2A", "2b", "95", "971", "976"):
        partner = _ok(
            await create(
                client, kind="collectivity", name=f"Département {insee}", siren=siren("22990001"), insee_code=insee
            )
        )
        assert partner["insee_code"] == insee.upper()
        # A département's own code is not a commune of its territory.
        assert partner["communes"] == [], insee


async def test_two_partners_cannot_share_a_siret_however_it_is_typed(client: Client) -> None:
    first = _ok(
        await create(
            client, kind="collectivity", name="Mairie de Villeurbanne", siret=VILLEURBANNE_SIRET, insee_code="69266"
        )
    )
    spaced = f"{VILLEURBANNE_SIRET[:3]} {VILLEURBANNE_SIRET[3:6]} {VILLEURBANNE_SIRET[6:9]} {VILLEURBANNE_SIRET[9:]}"
    body = _problem(await create(client, kind="company", name="Homonyme", siret=spaced), 409, "duplicate")
    assert VILLEURBANNE_SIRET in body["detail"]
    assert str(first["id"]) in body["detail"]
    assert await count(client) == 1
    # Another establishment of the same SIREN is another partner.
    other = _ok(
        await create(
            client, kind="collectivity", name="CCAS", siret=siret(VILLEURBANNE_SIREN, "0021"), insee_code="69266"
        )
    )
    assert other["siren"] == VILLEURBANNE_SIREN


async def test_associations_and_people_need_no_siren(client: Client) -> None:
    association = _ok(await create(client, kind="association", name="Lien Numérique"))
    person = _ok(await create(client, kind="individual", name="Mme Martin"))
    assert (association["siren"], association["insee_code"], association["communes"]) == (None, None, [])
    assert person["kind"] == "individual"


async def test_an_unknown_kind_of_partner_is_a_bad_request(client: Client) -> None:
    _problem(await create(client, kind="government", name="?"), 400, "bad-request")
    _problem(await create(client, kind="company", name=""), 400, "bad-request")
    _problem(await create(client, kind="company", name="X", colour="red"), 400, "bad-request")


# --- Reading partners -----------------------------------------------------------------------------------


async def test_partners_are_listed_by_name_filtered_by_kind_and_paginated(client: Client) -> None:
    names = {
        "Ville de Villeurbanne": ("collectivity", {"siren": VILLEURBANNE_SIREN, "insee_code": "69266"}),
        "Département du Rhône": ("collectivity", {"siren": siren("22690001"), "insee_code": "69"}),
        "Ajaccio": ("collectivity", {"siren": siren("21200040"), "insee_code": "2A004"}),
        "Transports Rhodaniens": ("company", {"siren": siren("43211234")}),
        "Lien Numérique": ("association", {}),
    }
    for name, (kind, extra) in names.items():
        _ok(await create(client, kind=kind, name=name, **extra))

    everyone = _ok(await client.get(PARTNERS), 200)
    assert everyone["total"] == 5
    assert [p["name"] for p in everyone["items"]] == sorted(names)

    collectivities = _ok(await client.get(PARTNERS, params={"kind": "collectivity"}), 200)
    assert collectivities["total"] == 3
    assert [p["name"] for p in collectivities["items"]] == ["Ajaccio", "Département du Rhône", "Ville de Villeurbanne"]

    page = _ok(await client.get(PARTNERS, params={"kind": "collectivity", "limit": 2, "offset": 1}), 200)
    assert ([p["name"] for p in page["items"]], page["total"], page["limit"], page["offset"]) == (
        ["Département du Rhône", "Ville de Villeurbanne"],
        3,
        2,
        1,
    )
    companies = _ok(await client.get(PARTNERS, params={"kind": "company"}), 200)
    assert [p["name"] for p in companies["items"]] == ["Transports Rhodaniens"]
    assert _ok(await client.get(PARTNERS, params={"kind": "individual"}), 200) == {
        "items": [],
        "total": 0,
        "limit": 50,
        "offset": 0,
    }
    _problem(await client.get(PARTNERS, params={"kind": "government"}), 400, "bad-request")
    _problem(await client.get(PARTNERS, params={"limit": 0}), 400, "bad-request")
    _problem(await client.get(PARTNERS, params={"limit": 501}), 400, "bad-request")


async def test_an_unknown_partner_is_not_found(client: Client) -> None:
    _ok(await create(client, kind="association", name="Lien Numérique"))
    body = _problem(await client.get(f"{PARTNERS}/999"), 404, "not-found")
    assert "999" in body["detail"]
