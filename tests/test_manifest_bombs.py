"""A manifest is a donor's spreadsheet, and also whatever anyone uploads (issue 18): an XLSX that
expands a thousandfold, or a sheet of endless empty rows, is refused before it is parsed — with a
French reason that says what to send instead — and nothing is written, on both engines. (How fast,
and that the server keeps answering scans meanwhile: bench/manifest_bomb.py.)"""

from __future__ import annotations

import io
import zipfile

import openpyxl

from reemploi.collections import manifest
from tests.test_collections_api import XLSX, device_total, upload, workshop
from tests.through_api import Client
from tests.through_api import problem as _problem


def _workbook() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Numéro de série", "Catégorie", "Fabricant"])
    sheet.append(["5CG1234XYZ", "Portable", "HP"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _with_sheet(sheet_xml: bytes) -> bytes:
    """The same workbook, its first sheet replaced (the zip entries otherwise kept as they are)."""
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for entry in source.infolist():
            body = sheet_xml if entry.filename == "xl/worksheets/sheet1.xml" else source.read(entry)
            target.writestr(entry.filename, body)
    return out.getvalue()


def _sheet(rows: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Num\xc3\xa9ro de s\xc3\xa9rie</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>Cat\xc3\xa9gorie</t></is></c></row>' + rows + b"</sheetData></worksheet>"
    )


def _bomb() -> bytes:
    """A 0.3 MB file that would expand to about 100 MB of sheet XML."""
    cell = b'<c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c>"
    row = b"<row>" + cell * 100 + b"</row>"  # 100 KB a row
    return _with_sheet(_sheet(row * 1000))


async def test_an_xlsx_that_expands_a_thousandfold_is_refused_before_parsing(client: Client) -> None:
    _, _, collection = await workshop(client)
    bomb = _bomb()
    assert len(bomb) < 400_000, len(bomb)
    assert sum(e.file_size for e in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) > 99_000_000

    body = _problem(await upload(client, collection["id"], bomb, "manifeste.xlsx", XLSX), 422, "manifest-invalid")

    (error,) = body["errors"]
    assert "trop volumineux une fois décompressé" in error["reason"]
    assert "au plus 40 Mo" in error["reason"] and ".xlsx ou CSV" in error["reason"]
    assert await device_total(client) == 0


async def test_a_sheet_of_endless_empty_rows_is_refused_with_what_to_do(client: Client) -> None:
    _, _, collection = await workshop(client)
    empty_rows = b"".join(b'<row r="%d"><c r="A%d" s="0"/></row>' % (n, n) for n in range(3, 25_000))
    small_but_long = _with_sheet(_sheet(b'<row r="2"><c t="inlineStr"><is><t>SN1</t></is></c></row>' + empty_rows))
    assert len(small_but_long) < 1_000_000

    body = _problem(
        await upload(client, collection["id"], small_but_long, "manifeste.xlsx", XLSX), 422, "manifest-invalid"
    )

    (error,) = body["errors"]
    assert f"plus de {manifest.MAX_SHEET_ROWS} lignes, vides comprises" in error["reason"]
    assert await device_total(client) == 0


def test_a_real_manifest_is_far_below_the_budget() -> None:
    """The budget leaves room: a 5,000-device manifest with a dozen columns passes the zip check."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Numéro de série", "Catégorie", "Fabricant", "Modèle", "Poids (kg)", "Inventaire", *"ABCDEF"])
    for n in range(manifest.MAX_ROWS):
        sheet.append([f"SN{n:08d}", "Portable", "Lenovo", "ThinkPad T480", 1.6, f"INV-{n}", *["texte libre"] * 6])
    out = io.BytesIO()
    workbook.save(out)
    manifest._check_zip(out.getvalue())
    assert len(manifest.parse_manifest(out.getvalue(), "gros.xlsx").rows) == manifest.MAX_ROWS
