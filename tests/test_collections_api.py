"""Collections as the workshop records them: one pickup from one donor to one site, its progress
device by device, and the donor's manifest imported all or nothing, on both engines."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from httpx import Response

from reemploi.devices.codes import make_code, next_numbers
from tests.factories import siren
from tests.through_api import API, PROBLEM_JSON, Client, make_collection, make_donor, make_site, register
from tests.through_api import ok as _ok
from tests.through_api import problem as _problem

COLLECTIONS = f"{API}/collections"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def workshop(client: Client, site_code: str = "TST") -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    site = await make_site(client, site_code)
    donor = await make_donor(client)
    return site, donor, await make_collection(client, site["id"], donor["id"])


async def upload(
    client: Client,
    collection_id: int,
    data: bytes,
    filename: str = "manifeste.csv",
    content_type: str = CSV,
    **params: Any,
) -> Response:
    return await client.post(
        f"{COLLECTIONS}/{collection_id}/manifest",
        files={"file": (filename, data, content_type)},
        params=params,
    )


async def device_total(client: Client, **params: Any) -> int:
    return _ok(await client.get(f"{API}/devices", params=params), 200)["total"]


def codes(site_code: str, count: int, after: int = 0) -> list[str]:
    return [make_code(site_code, n) for n in next_numbers(site_code, after, count)]


def french_csv(*rows: str, header: str = "Numéro de série;Catégorie;Marque;Modèle;Poids (kg)") -> bytes:
    """What French Excel writes with "CSV (séparateur : point-virgule)": UTF-8 with a BOM, CRLF."""
    return ("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


# --- Collections ----------------------------------------------------------------------------------------


async def test_a_collection_records_its_donor_site_and_weights_in_kilograms(client: Client) -> None:
    site = await make_site(client)
    donor = await make_donor(client)
    created = await make_collection(
        client,
        site["id"],
        donor["id"],
        collected_on="2026-10-15",
        pickup_address=" Hôtel de ville, 69100 Villeurbanne ",
        declared_weight_kg=250.5,
        weighed_weight_kg=243.275,
        notes="3 palettes",
    )
    assert created["donor_id"] == donor["id"]
    assert created["donor_name"] == "Ville de Villeurbanne"
    assert created["site_id"] == site["id"]
    assert created["collected_on"] == "2026-10-15"
    assert created["pickup_address"] == "Hôtel de ville, 69100 Villeurbanne"
    assert created["declared_weight_kg"] == 250.5
    assert created["weighed_weight_kg"] == 243.275
    assert created["notes"] == "3 palettes"
    assert (created["device_count"], created["devices_by_state"]) == (0, {})

    again = _ok(await client.get(f"{COLLECTIONS}/{created['id']}"), 200)
    assert again == created


async def test_a_collection_without_weights_keeps_them_unknown(client: Client) -> None:
    _, _, collection = await workshop(client)
    assert (collection["declared_weight_kg"], collection["weighed_weight_kg"]) == (None, None)


async def test_a_collection_for_an_unknown_donor_and_site_names_both(client: Client) -> None:
    await make_site(client)
    response = await client.post(COLLECTIONS, json={"donor_id": 404, "site_id": 405, "collected_on": "2026-11-02"})
    body = _problem(response, 422, "invalid-input")
    assert [e["field"] for e in body["errors"]] == ["donor_id", "site_id"]
    assert "404" in body["errors"][0]["message"] and "partenaire" in body["errors"][0]["message"]
    assert "405" in body["errors"][1]["message"] and "site" in body["errors"][1]["message"]
    assert "donor_id" in body["detail"] and "site_id" in body["detail"]
    assert _ok(await client.get(COLLECTIONS), 200)["total"] == 0


async def test_a_malformed_collection_is_a_bad_request(client: Client) -> None:
    site, donor, _ = await workshop(client)
    good = {"donor_id": donor["id"], "site_id": site["id"], "collected_on": "2026-11-02"}
    for body, named in (
        ({"site_id": site["id"], "collected_on": "2026-11-02"}, "donor_id"),
        ({**good, "collected_on": "02/11/2026"}, "collected_on"),
        ({**good, "declared_weight_kg": 0}, "declared_weight_kg"),
        ({**good, "weighed_weight_kg": -3}, "weighed_weight_kg"),
        ({**good, "truck": "VL"}, "truck"),
    ):
        problem = _problem(await client.post(COLLECTIONS, json=body), 400, "bad-request")
        assert named in problem["detail"], (body, problem["detail"])
    assert _ok(await client.get(COLLECTIONS), 200)["total"] == 1


async def test_a_declared_weight_under_a_gram_is_refused_as_a_weight_problem(client: Client) -> None:
    site = await make_site(client)
    donor = await make_donor(client)
    response = await client.post(
        COLLECTIONS,
        json={
            "donor_id": donor["id"],
            "site_id": site["id"],
            "collected_on": "2026-11-02",
            "declared_weight_kg": 0.0001,
        },
    )
    assert response.status_code in (400, 422), response.text


async def test_collections_are_listed_newest_first_with_their_progress(client: Client) -> None:
    site = await make_site(client)
    commune = await make_donor(client)
    company = _ok(
        await client.post(
            f"{API}/partners", json={"kind": "company", "name": "Transports Rhodaniens", "siren": siren(9)}
        )
    )
    october = await make_collection(client, site["id"], commune["id"], collected_on="2026-10-01")
    november = await make_collection(client, site["id"], company["id"], collected_on="2026-11-20")
    september = await make_collection(client, site["id"], commune["id"], collected_on="2026-09-05")
    november_too = await make_collection(client, site["id"], commune["id"], collected_on="2026-11-20")

    devices = [await register(client, october["id"]) for _ in range(3)]
    await register(client, november["id"], category="screen")
    moved = _ok(await client.post(f"{API}/devices/{devices[1]['code']}/transitions", json={"action": "receive"}), 200)
    assert moved["state"] == "received"

    listing = _ok(await client.get(COLLECTIONS), 200)
    assert listing["total"] == 4
    assert [c["id"] for c in listing["items"]] == [november_too["id"], november["id"], october["id"], september["id"]]
    progress = {c["id"]: (c["device_count"], c["devices_by_state"]) for c in listing["items"]}
    assert progress == {
        october["id"]: (3, {"collected": 2, "received": 1}),
        november["id"]: (1, {"collected": 1}),
        september["id"]: (0, {}),
        november_too["id"]: (0, {}),
    }
    assert {c["id"]: c["donor_name"] for c in listing["items"]}[november["id"]] == "Transports Rhodaniens"

    one = _ok(await client.get(f"{COLLECTIONS}/{october['id']}"), 200)
    assert (one["device_count"], one["devices_by_state"]) == (3, {"collected": 2, "received": 1})

    page = _ok(await client.get(COLLECTIONS, params={"limit": 2, "offset": 1}), 200)
    assert ([c["id"] for c in page["items"]], page["total"]) == ([november["id"], october["id"]], 4)
    by_donor = _ok(await client.get(COLLECTIONS, params={"donor_id": company["id"]}), 200)
    assert ([c["id"] for c in by_donor["items"]], by_donor["total"]) == ([november["id"]], 1)
    _problem(await client.get(COLLECTIONS, params={"limit": 501}), 400, "bad-request")


async def test_an_unknown_collection_is_not_found(client: Client) -> None:
    await workshop(client)
    body = _problem(await client.get(f"{COLLECTIONS}/999"), 404, "not-found")
    assert "999" in body["detail"]


# --- Manifest import ------------------------------------------------------------------------------------


async def test_a_french_csv_manifest_creates_one_device_a_line_with_sequential_codes(client: Client) -> None:
    site, _, collection = await workshop(client)
    data = french_csv(
        "pf1abcde;Portable;Lenovo;ThinkPad T480;1,58",
        "CN0X1234;Écran;Dell;P2419H;5,6",
        "5CD1234XYZ;unité centrale;HP;ProDesk 600 G1;5,4",
        "R9AN12345;Smartphone;Samsung;Galaxy A52;0,189",
        "DMPX1234;tablette;Apple;iPad (6e génération);",
    )
    result = _ok(await upload(client, collection["id"], data), 201)
    assert result["dry_run"] is False
    assert result["created"] == 5
    assert result["warnings"] == []
    assert result["ignored_columns"] == []
    devices = result["devices"]
    assert [d["code"] for d in devices] == codes("TST", 5)
    assert [(d["serial"], d["category"], d["manufacturer"], d["model"], d["weight_kg"]) for d in devices] == [
        ("PF1ABCDE", "laptop", "Lenovo", "ThinkPad T480", 1.58),
        ("CN0X1234", "screen", "Dell", "P2419H", 5.6),
        ("5CD1234XYZ", "desktop", "HP", "ProDesk 600 G1", 5.4),
        ("R9AN12345", "smartphone", "Samsung", "Galaxy A52", 0.189),
        ("DMPX1234", "tablet", "Apple", "iPad (6e génération)", None),
    ]
    assert {(d["state"], d["version"], d["collection_id"], d["site_id"]) for d in devices} == {
        ("collected", 1, collection["id"], site["id"]),
    }
    assert await device_total(client, collection_id=collection["id"]) == 5
    again = _ok(await client.get(f"{COLLECTIONS}/{collection['id']}"), 200)
    assert (again["device_count"], again["devices_by_state"]) == (5, {"collected": 5})
    # Each imported device has its history opened, and the sequence goes on after the import.
    history = _ok(await client.get(f"{API}/devices/{devices[0]['code']}/history"), 200)
    assert [(e["action"], e["to_state"]) for e in history["events"]] == [("register", "collected")]
    assert (await register(client, collection["id"]))["code"] == codes("TST", 1, after=5)[0]


async def test_an_xlsx_manifest_made_in_excel_is_imported(client: Client) -> None:
    _, _, collection = await workshop(client)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["N° de série", "Étiquette", "Type", "Fabricant", "Poids", "Commentaire"])
    sheet.append(["PF1ABCDE", "INV-001", "portable", "Lenovo", 1.58, "rayé"])
    sheet.append([123456789012, "INV-002", "écran", "Dell", 5.6, None])
    sheet.append([None, "INV-003", "imprimante", "Brother", "7,2", None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = _ok(
        await upload(client, collection["id"], buffer.getvalue(), filename="inventaire.xlsx", content_type=XLSX), 201
    )
    assert result["created"] == 3
    assert result["ignored_columns"] == ["Commentaire"]
    assert [d["code"] for d in result["devices"]] == codes("TST", 3)
    assert [(d["serial"], d["asset_tag"], d["category"], d["weight_kg"]) for d in result["devices"]] == [
        ("PF1ABCDE", "INV-001", "laptop", 1.58),
        ("123456789012", "INV-002", "screen", 5.6),
        (None, "INV-003", "printer", 7.2),
    ]
    found = _ok(await client.get(f"{API}/scan", params={"code": "inv-003"}), 200)
    assert [d["code"] for d in found["devices"]] == [result["devices"][2]["code"]]


async def test_a_manifest_with_bad_lines_is_refused_whole_listing_every_line_and_nothing_is_written(
    client: Client,
) -> None:
    site, _, collection = await workshop(client)
    data = french_csv(
        "SN0001;portable;Lenovo;T480;1,58",  # line 2: fine
        "SN0002;grille-pain;Moulinex;X;2",  # line 3: unknown category
        "SN0003;écran;Dell;P2419H;5,6",  # line 4: fine
        ";portable;HP;840 G3;1,5",  # line 5: neither serial nor asset tag
        "SN0005;portable;Dell;7490;lourd",  # line 6: unreadable weight
        "SN0001;tablette;Apple;iPad;0,47",  # line 7: serial already on line 2
    )
    body = _problem(await upload(client, collection["id"], data), 422, "manifest-invalid")
    assert "rien n'a été enregistré" in body["detail"]
    errors = body["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [
        (3, "Catégorie"),
        (5, "Numéro de série"),
        (6, "Poids (kg)"),
        (7, "Numéro de série"),
    ]
    assert "grille-pain" in errors[0]["reason"]
    assert "ni numéro de série ni étiquette" in errors[1]["reason"]
    assert "lourd" in errors[2]["reason"]
    assert "ligne 2" in errors[3]["reason"]

    assert await device_total(client) == 0
    again = _ok(await client.get(f"{COLLECTIONS}/{collection['id']}"), 200)
    assert (again["device_count"], again["devices_by_state"]) == (0, {})
    # The site's counter did not move: the next device still gets the site's first number.
    assert (await register(client, collection["id"]))["code"] == codes(site["code"], 1)[0]


async def test_a_dry_run_reports_what_would_happen_and_writes_nothing(client: Client) -> None:
    site, _, collection = await workshop(client)
    known = await register(client, collection["id"], serial="PF1ABCDE")
    data = french_csv("PF1ABCDE;portable;Lenovo;T480;1,58", "NEW00001;écran;Dell;P2419H;5,6")

    result = _ok(await upload(client, collection["id"], data, dry_run="true"), 201)
    assert result["dry_run"] is True
    assert result["created"] == 0
    assert result["devices"] == []
    assert len(result["warnings"]) == 1
    assert "PF1ABCDE" in result["warnings"][0] and known["code"] in result["warnings"][0]

    assert await device_total(client) == 1
    assert (await register(client, collection["id"]))["code"] == codes(site["code"], 1, after=1)[0]

    refused = french_csv("X1;grille-pain;;;")
    body = _problem(await upload(client, collection["id"], refused, dry_run="true"), 422, "manifest-invalid")
    assert [e["line"] for e in body["errors"]] == [2]


async def test_serials_the_workshop_already_knows_are_imported_with_a_warning(client: Client) -> None:
    _, _, collection = await workshop(client)
    first = await register(client, collection["id"], serial="PF1ABCDE")
    result = _ok(
        await upload(
            client,
            collection["id"],
            french_csv(
                "NEW00001;portable;Lenovo;T480;1,58",
                "pf1abcde;portable;Lenovo;T480;1,58",
            ),
        ),
        201,
    )
    assert result["created"] == 2
    assert len(result["warnings"]) == 1
    assert "PF1ABCDE" in result["warnings"][0]
    assert first["code"] in result["warnings"][0]
    assert [d["warnings"] for d in result["devices"]] == [[], result["warnings"]]
    found = _ok(await client.get(f"{API}/scan", params={"code": "PF1ABCDE"}), 200)
    assert [d["code"] for d in found["devices"]] == [first["code"], result["devices"][1]["code"]]


async def test_a_manifest_for_an_unknown_collection_is_not_found(client: Client) -> None:
    await workshop(client)
    body = _problem(await upload(client, 999, french_csv("SN1;portable;;;")), 404, "not-found")
    assert "999" in body["detail"]
    assert await device_total(client) == 0


async def test_an_empty_or_garbage_file_is_refused_with_a_reason(client: Client) -> None:
    site, _, collection = await workshop(client)
    for data, filename, reason in (
        (b"", "manifeste.csv", "vide"),
        (b"\x00\x01\x02garbage\xff\xfe\x00", "manifeste.csv", "illisible"),
        (b"PK\x03\x04 this is no workbook", "manifeste.xlsx", "illisible"),
        (b"Bonjour,\r\nVeuillez trouver ci-joint la liste.\r\n", "manifeste.csv", "aucune colonne reconnue"),
        (b"%PDF-1.7 ...", "manifeste.pdf", "pas un tableau"),
    ):
        body = _problem(await upload(client, collection["id"], data, filename=filename), 422, "manifest-invalid")
        assert len(body["errors"]) == 1, filename
        assert reason in body["errors"][0]["reason"], (filename, body["errors"])
    assert await device_total(client) == 0
    assert (await register(client, collection["id"]))["code"] == codes(site["code"], 1)[0]


async def test_a_file_far_too_big_for_a_manifest_is_refused_before_it_is_read(client: Client) -> None:
    _, _, collection = await workshop(client)
    line = b"S%09d;portable;" + b"x" * 300 + b"\n"
    huge = b"Numero de serie;Categorie\n" + b"".join(line % n for n in range(40_000))  # about 12 MB
    body = _problem(await upload(client, collection["id"], huge), 413, "payload-too-large")
    assert body["title"] == "Fichier trop volumineux"
    assert await device_total(client) == 0


async def test_a_request_without_a_file_is_a_bad_request(client: Client) -> None:
    _, _, collection = await workshop(client)
    response = await client.post(f"{COLLECTIONS}/{collection['id']}/manifest", data={"other": "x"})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert await device_total(client) == 0


async def test_the_same_serial_written_with_and_without_a_space_is_caught_as_a_duplicate_line(client: Client) -> None:
    _, _, collection = await workshop(client)
    response = await upload(client, collection["id"], french_csv("AB 12;portable;;;", "AB12;portable;;;"))
    assert response.status_code == 422, response.text
    assert [e["line"] for e in response.json()["errors"]] == [3]


async def test_several_machines_with_a_bios_placeholder_serial_but_their_own_tags_are_imported(client: Client) -> None:
    _, _, collection = await workshop(client)
    data = french_csv(
        "To Be Filled By O.E.M.;INV-1;fixe",
        "To Be Filled By O.E.M.;INV-2;fixe",
        header="Numéro de série;Étiquette;Catégorie",
    )
    result = _ok(await upload(client, collection["id"], data), 201)
    assert [(d["serial"], d["asset_tag"]) for d in result["devices"]] == [(None, "INV-1"), (None, "INV-2")]


async def test_a_line_whose_only_identifier_is_a_bios_placeholder_is_refused(client: Client) -> None:
    _, _, collection = await workshop(client)
    data = french_csv("To Be Filled By O.E.M.;fixe", header="Numéro de série;Catégorie")
    response = await upload(client, collection["id"], data)
    assert response.status_code == 422, response.text
    assert [e["line"] for e in response.json()["errors"]] == [2]
