"""Donor manifests as donors really send them: French Excel CSVs, cp1252 exports, XLSX workbooks."""

from __future__ import annotations

import csv
import io
import random
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reemploi.collections.manifest import (
    CATEGORY_ALIASES,
    MAX_ROWS,
    Manifest,
    ManifestError,
    ManifestInvalid,
    ManifestRow,
    parse_manifest,
)
from reemploi.devices.categories import Category
from reemploi.identifiers import identifier

FRENCH_HEADER = ["N° de série", "Étiquette", "Catégorie", "Marque", "Modèle", "Poids (kg)"]


def csv_bytes(*rows: list[str], sep: str = ";", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(*rows: list[object]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def errors_of(data: bytes, filename: str | None = None, content_type: str | None = None):
    with pytest.raises(ManifestInvalid) as refused:
        parse_manifest(data, filename, content_type)
    return refused.value.errors


def only_error(data: bytes, filename: str | None = None) -> ManifestError:
    errors = errors_of(data, filename)
    assert len(errors) == 1, errors
    return errors[0]


# --- The files donors send ------------------------------------------------------------------------


def test_french_excel_csv_with_semicolons_and_decimal_commas():
    data = csv_bytes(
        FRENCH_HEADER,
        ["5CG7301XYZ", "MAIRIE-0042", "Portable", "HP", "EliteBook 840 G5", "1,65"],
        ["cz2049abc", "", "Unité centrale", "Dell", "OptiPlex 7050", "5,2 kg"],
        ["", "MAIRIE-0043", "Écran", "Iiyama", "ProLite E2283HS", ""],
        encoding="utf-8-sig",
    )

    manifest = parse_manifest(data, "collecte-mairie.csv", "text/csv")

    assert manifest == Manifest(
        rows=(
            ManifestRow(2, "5CG7301XYZ", "MAIRIE-0042", Category.LAPTOP, "HP", "EliteBook 840 G5", 1650),
            ManifestRow(3, "CZ2049ABC", None, Category.DESKTOP, "Dell", "OptiPlex 7050", 5200),
            ManifestRow(4, None, "MAIRIE-0043", Category.SCREEN, "Iiyama", "ProLite E2283HS", None),
        ),
        ignored_columns=(),
    )


def test_english_csv_with_commas_decimal_points_and_a_quoted_comma():
    data = csv_bytes(
        ["Serial Number", "Asset Tag", "Category", "Manufacturer", "Model", "Weight (kg)"],
        ["PF1ABCDE", "IT-001", "laptop", "Lenovo", "ThinkPad T480, 14 inch", "1.58"],
        sep=",",
    )

    (row,) = parse_manifest(data, "donation.csv").rows

    assert row == ManifestRow(2, "PF1ABCDE", "IT-001", Category.LAPTOP, "Lenovo", "ThinkPad T480, 14 inch", 1580)


def test_utf8_bom_does_not_hide_the_first_column():
    data = csv_bytes(["Numéro de série", "Catégorie"], ["ABC123", "tablette"], encoding="utf-8-sig")

    (row,) = parse_manifest(data).rows

    assert (row.serial, row.category) == ("ABC123", Category.TABLET)


def test_cp1252_export_from_an_old_french_excel_keeps_its_accents():
    data = csv_bytes(
        ["Numéro d'inventaire", "Catégorie", "Fabricant", "Modèle", "Poids"],
        ["CCAS-7", "Téléphone", "Crosscall", "Core-M4 à clapet", "0,2"],
        encoding="cp1252",
    )
    assert b"\xe9" in data  # really cp1252, not UTF-8

    (row,) = parse_manifest(data, "inventaire.csv").rows

    assert row == ManifestRow(2, None, "CCAS-7", Category.SMARTPHONE, "Crosscall", "Core-M4 à clapet", 200)


def test_unicode_text_export_from_excel_in_utf16_with_tabs():
    data = "Serial\tCategory\r\nAB12\tprinter\r\n".encode("utf-16")

    (row,) = parse_manifest(data, "export.txt").rows

    assert (row.serial, row.category) == ("AB12", Category.PRINTER)


def test_excel_separator_hint_line_is_obeyed_and_not_counted():
    data = b'sep=,\r\nSerial,Category,Weight\r\nAB12,screen,"3,5"\r\n'

    (row,) = parse_manifest(data).rows

    assert (row.line, row.weight_grams) == (2, 3500)


def test_xlsx_with_serial_typed_as_a_number_and_weight_as_a_float():
    data = xlsx_bytes(
        ["N° de série", "Catégorie", "Modèle", "Poids (kg)"],
        [123456.0, "portable", 840, 1.65],
        [987654, "fixe", "OptiPlex", 7],
        ["SN-3", "écran", None, "2,4"],
    )

    manifest = parse_manifest(data, "don.xlsx")

    assert [(r.serial, r.model, r.weight_grams) for r in manifest.rows] == [
        ("123456", "840", 1650),
        ("987654", "OptiPlex", 7000),
        ("SN-3", None, 2400),
    ]


def test_xlsx_errors_name_the_sheet_rows_even_across_blank_rows():
    data = xlsx_bytes(
        ["Serial", "Category", "Weight"],
        ["A1", "laptop", 1.2],
        [],
        [None, None, None],
        ["A2", "ordi", -1.5],
    )

    errors = errors_of(data, "don.xlsx")

    assert [(e.line, e.column) for e in errors] == [(5, "Category"), (5, "Weight")]


def test_xlsx_is_recognised_by_its_bytes_when_the_name_says_csv():
    data = xlsx_bytes(["Serial", "Category"], ["A1", "laptop"])

    assert parse_manifest(data, "liste.csv").rows[0].serial == "A1"
    assert parse_manifest(data).rows[0].serial == "A1"


# --- Column and category aliases ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "attribute", "cell", "expected"),
    [
        ("Numéro de série", "serial", "ab1", "AB1"),
        ("N° de série", "serial", "ab1", "AB1"),
        ("no serie", "serial", "ab1", "AB1"),
        ("NUMEROS DE SERIE", "serial", "ab1", "AB1"),
        ("Serial", "serial", "ab1", "AB1"),
        ("Serial number", "serial", "ab1", "AB1"),
        ("S/N", "serial", "ab1", "AB1"),
        ("SN", "serial", "ab1", "AB1"),
        ("Étiquette", "asset_tag", "t-1", "T-1"),
        ("n° d'inventaire", "asset_tag", "t-1", "T-1"),
        ("Numéro d’inventaire", "asset_tag", "t-1", "T-1"),  # typographic apostrophe
        ("Inventaire", "asset_tag", "t-1", "T-1"),
        ("Asset tag", "asset_tag", "t-1", "T-1"),
        ("Asset", "asset_tag", "t-1", "T-1"),
        ("TAG", "asset_tag", "t-1", "T-1"),
        ("Fabricant", "manufacturer", "Dell", "Dell"),
        ("marque", "manufacturer", "Dell", "Dell"),
        ("Constructeur", "manufacturer", "Dell", "Dell"),
        ("Manufacturer", "manufacturer", "Dell", "Dell"),
        ("Brand", "manufacturer", "Dell", "Dell"),
        ("Make", "manufacturer", "Dell", "Dell"),
        ("Modèle", "model", "Latitude 5490", "Latitude 5490"),
        ("MODELE", "model", "Latitude 5490", "Latitude 5490"),
        ("Model", "model", "Latitude 5490", "Latitude 5490"),
        ("Référence", "model", "Latitude 5490", "Latitude 5490"),
        ("Poids", "weight_grams", "1,5", 1500),
        ("Poids (kg)", "weight_grams", "1,5", 1500),
        ("poids kg", "weight_grams", "1,5", 1500),
        ("Weight", "weight_grams", "1,5", 1500),
        ("Weight (kg)", "weight_grams", "1,5", 1500),
        ("weight kg", "weight_grams", "1,5", 1500),
    ],
)
def test_headers_are_recognised_in_french_or_english_whatever_the_accents(header, attribute, cell, expected):
    if attribute in {"serial", "asset_tag"}:
        data = csv_bytes([header, "Catégorie"], [cell, "portable"])
    else:
        data = csv_bytes([header, "Catégorie", "Serial"], [cell, "portable", "X1"])

    (row,) = parse_manifest(data).rows

    assert getattr(row, attribute) == expected


@pytest.mark.parametrize("header", ["Catégorie", "categorie", "Type", "Category", "Type de matériel"])
def test_category_column_is_recognised_under_its_usual_names(header):
    (row,) = parse_manifest(csv_bytes(["Serial", header], ["A1", "fixe"])).rows

    assert row.category is Category.DESKTOP


@pytest.mark.parametrize(
    ("written", "category"),
    [
        ("portable", Category.LAPTOP),
        ("Ordinateur portable", Category.LAPTOP),
        ("PC portable", Category.LAPTOP),
        ("ordinateurs portables", Category.LAPTOP),
        ("laptop", Category.LAPTOP),
        ("Notebook", Category.LAPTOP),
        ("fixe", Category.DESKTOP),
        ("Unité centrale", Category.DESKTOP),
        ("UC", Category.DESKTOP),
        ("ordinateur fixe", Category.DESKTOP),
        ("PC fixe", Category.DESKTOP),
        ("tour", Category.DESKTOP),
        ("Desktop", Category.DESKTOP),
        ("tout-en-un", Category.ALL_IN_ONE),
        ("Tout en un", Category.ALL_IN_ONE),
        ("All in one", Category.ALL_IN_ONE),
        ("AIO", Category.ALL_IN_ONE),
        ("écran", Category.SCREEN),
        ("ECRAN", Category.SCREEN),
        ("Moniteur", Category.SCREEN),
        ("screen", Category.SCREEN),
        ("monitor", Category.SCREEN),
        ("tablette", Category.TABLET),
        ("tablet", Category.TABLET),
        ("smartphone", Category.SMARTPHONE),
        ("téléphone", Category.SMARTPHONE),
        ("téléphone portable", Category.SMARTPHONE),
        ("mobile", Category.SMARTPHONE),
        ("phone", Category.SMARTPHONE),
        ("imprimante", Category.PRINTER),
        ("printer", Category.PRINTER),
        ("multifonction", Category.MULTIFUNCTION_PRINTER),
        ("Imprimante multifonction", Category.MULTIFUNCTION_PRINTER),
        ("MFP", Category.MULTIFUNCTION_PRINTER),
        ("clavier", Category.PERIPHERAL),
        ("souris", Category.PERIPHERAL),
        ("périphérique", Category.PERIPHERAL),
        ("peripheral", Category.PERIPHERAL),
        ("keyboard", Category.PERIPHERAL),
        ("mouse", Category.PERIPHERAL),
        ("switch", Category.NETWORK),
        ("routeur", Category.NETWORK),
        ("borne wifi", Category.NETWORK),
        ("Borne Wi-Fi", Category.NETWORK),
        ("network", Category.NETWORK),
        ("router", Category.NETWORK),
        ("autre", Category.OTHER),
        ("other", Category.OTHER),
        *((category.value, category) for category in Category),
    ],
)
def test_category_words_of_french_and_english_donors(written, category):
    (row,) = parse_manifest(csv_bytes(["Serial", "Catégorie"], ["A1", written])).rows

    assert row.category is category


def test_every_category_has_words_a_french_donor_would_use():
    assert set(CATEGORY_ALIASES) == set(Category)


# --- Cell by cell ---------------------------------------------------------------------------------


def test_unknown_category_tells_which_words_to_use():
    error = only_error(csv_bytes(["Serial", "Catégorie"], ["A1", "ordi"]))

    assert (error.line, error.column) == (2, "Catégorie")
    assert error.reason.startswith("catégorie « ordi » inconnue : utilisez portable, fixe")
    assert "écran" in error.reason and "smartphone" in error.reason


def test_empty_category_is_refused():
    error = only_error(csv_bytes(["Serial", "Catégorie"], ["A1", "  "]))

    assert (error.line, error.column) == (2, "Catégorie")
    assert error.reason.startswith("catégorie vide")


def test_unreadable_weight_asks_for_kilograms():
    error = only_error(csv_bytes(["Serial", "Catégorie", "Poids"], ["A1", "fixe", "abc"]))

    assert error == ManifestError(2, "Poids", "poids « abc » illisible : écrivez un nombre en kg, par exemple 1,65")


@pytest.mark.parametrize("weight", ["-1,2", "0", "0,0", "1000", "1200,5"])
def test_weight_must_be_above_zero_and_below_a_tonne(weight):
    error = only_error(csv_bytes(["Serial", "Catégorie", "Poids"], ["A1", "fixe", weight]))

    assert error.column == "Poids"
    assert error.reason.startswith(f"poids « {weight} » impossible")


@pytest.mark.parametrize(
    ("written", "grams"),
    [
        ("1,65", 1650),
        ("1.65", 1650),
        ("1,65 kg", 1650),
        ("1,65kg", 1650),
        ("2 KG", 2000),
        ("0,2", 200),
        (",5", 500),
        ("1,2345", 1235),
        ("999,999", 999_999),
        ("", None),
        ("   ", None),
    ],
)
def test_weights_are_read_in_kilograms_and_stored_in_grams(written, grams):
    (row,) = parse_manifest(csv_bytes(["Serial", "Catégorie", "Poids"], ["A1", "fixe", written])).rows

    assert row.weight_grams == grams


def test_weight_under_a_gram_is_refused():
    error = only_error(csv_bytes(["Serial", "Catégorie", "Poids"], ["A1", "fixe", "0,0004"]))

    assert error.reason.startswith("poids « 0,0004 » trop faible")


def test_device_with_neither_serial_nor_asset_tag_cannot_be_identified():
    error = only_error(csv_bytes(["Serial", "Étiquette", "Catégorie"], ["A1", "", "fixe"], [" ", "", "écran"]))

    assert error == ManifestError(
        3,
        "Serial",
        "ni numéro de série ni étiquette : il en faut au moins un pour identifier l'appareil "
        "(« To Be Filled By O.E.M. » et autres valeurs par défaut ne comptent pas)",
    )


def test_asset_tag_alone_is_enough_to_identify_a_device():
    (row,) = parse_manifest(csv_bytes(["Étiquette", "Catégorie"], ["  inv 12  ", "tour"])).rows

    assert (row.serial, row.asset_tag) == (None, "INV12")  # stored as the API stores it


def test_serial_is_stored_as_the_api_stores_it_without_spaces_and_upper_cased():
    (row,) = parse_manifest(csv_bytes(["Serial", "Catégorie"], ["  5cg 7301\u00a0", "fixe"])).rows

    assert row.serial == "5CG7301"


def test_line_break_typed_inside_a_model_cell_is_refused():
    error = only_error(csv_bytes(["Serial", "Catégorie", "Modèle"], ["A1", "fixe", "OptiPlex\n7050"]))

    assert (error.column, error.reason) == (
        "Modèle",
        "modèle contient un caractère invisible (tabulation, saut de ligne…) : retapez-le",
    )


def test_serial_with_an_invisible_character_is_refused():
    error = only_error(csv_bytes(["Serial", "Catégorie"], ["AB\u200b12", "fixe"]))

    assert error.reason.startswith("numéro de série contient un caractère invisible")


@pytest.mark.parametrize(
    ("header", "label"),
    [("Serial", "numéro de série"), ("Étiquette", "étiquette"), ("Marque", "fabricant"), ("Modèle", "modèle")],
)
def test_texts_longer_than_a_hundred_characters_are_refused(header, label):
    other = [] if header in {"Serial", "Étiquette"} else ["Tag"]
    data = csv_bytes([header, "Catégorie", *other], ["X" * 101, "fixe", *(["T"] if other else [])])

    error = only_error(data)

    assert (error.column, error.reason) == (header, f"{label} trop long : 101 caractères, 100 au plus")
    assert parse_manifest(csv_bytes([header, "Catégorie", *other], ["X" * 100, "fixe", *(["T"] if other else [])]))


def test_same_serial_twice_whatever_the_case_names_the_earlier_line():
    data = csv_bytes(["Serial", "Catégorie"], ["ab12", "fixe"], ["CD34", "fixe"], [" AB12 ", "écran"])

    error = only_error(data)

    assert (error.line, error.column) == (4, "Serial")
    assert error.reason.startswith("numéro de série déjà présent ligne 2")


def test_same_asset_tag_twice_names_the_earlier_line():
    data = csv_bytes(["Serial", "Étiquette", "Catégorie"], ["A1", "MAIRIE-1", "fixe"], ["A2", "mairie-1", "fixe"])

    error = only_error(data)

    assert (error.line, error.column) == (3, "Étiquette")
    assert error.reason.startswith("étiquette déjà présente ligne 2")


def test_short_rows_from_trimmed_exports_read_as_blank_cells():
    data = b"Serial;Categorie;Marque;Poids\r\nA1;fixe\r\n"

    (row,) = parse_manifest(data).rows

    assert (row.manufacturer, row.weight_grams) == (None, None)


def test_quoted_cell_spanning_two_lines_is_one_spreadsheet_row():
    data = b'Serial;Categorie;Commentaire\r\nA1;fixe;"rayure\nsur le capot"\r\nA2;ordi;x\r\n'

    error = only_error(data)

    assert error.line == 3


# --- The whole file -------------------------------------------------------------------------------


def test_every_bad_line_is_reported_at_once_with_the_file_line_numbers():
    data = csv_bytes(
        FRENCH_HEADER,  # line 1
        ["A1", "", "portable", "HP", "", "1,6"],  # line 2: fine
        ["", "", "", "", "", ""],  # line 3: blank, skipped
        ["A2", "", "ordi", "HP", "", "lourd"],  # line 4: two problems
        [],  # line 5: blank, skipped
        ["", "", "écran", "", "", ""],  # line 6: no identifier
        ["a1", "", "fixe", "", "", "-2"],  # line 7: duplicate, negative weight
        ["A3", "", "tablette", "", "", ""],  # line 8: fine
    )

    errors = errors_of(data, "collecte.csv")

    assert [(e.line, e.column, e.reason.split(" :")[0]) for e in errors] == [
        (4, "Catégorie", "catégorie « ordi » inconnue"),
        (4, "Poids (kg)", "poids « lourd » illisible"),
        (6, "N° de série", "ni numéro de série ni étiquette"),
        (7, "N° de série", "numéro de série déjà présent ligne 2"),
        (7, "Poids (kg)", "poids « -2 » impossible"),
    ]


def test_refusal_message_lists_every_problem_for_the_staff():
    data = csv_bytes(["Serial", "Catégorie"], ["A1", "ordi"], ["", "fixe"])

    with pytest.raises(ManifestInvalid) as refused:
        parse_manifest(data)

    message = str(refused.value)
    assert message.startswith("manifeste refusé : 2 erreurs")
    assert "ligne 2, colonne « Catégorie » : catégorie « ordi » inconnue" in message
    assert "ligne 3, colonne « Serial » : ni numéro de série ni étiquette" in message


def test_unknown_columns_are_ignored_and_reported():
    data = csv_bytes(
        ["Commentaire", "Serial", "Catégorie", "", "État", "Date de collecte"],
        ["rayure", "A1", "fixe", "", "bon", "12/03/2025"],
    )

    manifest = parse_manifest(data)

    assert manifest.ignored_columns == ("Commentaire", "État", "Date de collecte")
    assert manifest.rows[0].serial == "A1"


def test_missing_category_column_is_refused_before_any_row():
    error = only_error(csv_bytes(["Serial", "Marque"], ["A1", "HP"]))

    assert (error.line, error.column) == (1, "catégorie")
    assert error.reason.startswith("colonne catégorie absente")


def test_missing_both_identifier_columns_is_refused():
    error = only_error(csv_bytes(["Catégorie", "Marque"], ["fixe", "HP"]))

    assert (error.line, error.column) == (1, "numéro de série")
    assert error.reason.startswith("ni colonne numéro de série ni colonne étiquette")


def test_two_columns_for_the_same_thing_are_refused():
    error = only_error(csv_bytes(["Serial", "Catégorie", "Marque", "Fabricant"], ["A1", "fixe", "HP", "HP"]))

    assert (error.line, error.column) == (1, "Fabricant")
    assert "« Marque » et « Fabricant » en double" in error.reason


def test_first_line_without_any_column_name_is_refused():
    error = only_error(csv_bytes(["A1", "portable", "HP"], ["A2", "fixe", "Dell"]))

    assert error.line == 1
    assert error.reason.startswith("aucune colonne reconnue sur la ligne d'en-tête")


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b" ;;\r\n;\r\n"])
def test_empty_file_is_refused(data):
    error = only_error(data, "vide.csv")

    assert error.line is None
    assert error.reason.startswith("le fichier est vide")


def test_header_without_any_device_is_refused():
    error = only_error(csv_bytes(FRENCH_HEADER, ["", "", "", "", "", ""]))

    assert error.reason.startswith("aucun appareil dans le fichier")


def test_garbage_bytes_are_neither_csv_nor_xlsx():
    garbage = random.Random(2025).randbytes(4096)

    error = only_error(garbage, "liste.csv")

    assert error.line is None
    assert "ni un CSV ni un classeur Excel" in error.reason


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "vieux.xls", "ancien format Excel (.xls)"),
        (b"%PDF-1.7\n...", "liste.pdf", "un fichier .pdf n'est pas un tableau"),
        (b"%PDF-1.7\n...", None, "un fichier .pdf n'est pas un tableau"),
        (b"Serial;Category\r\nA1;fixe\r\n", "liste.xlsx", "porte le nom d'un classeur Excel"),
        (b"PK\x03\x04 not really a zip", "liste.xlsx", "classeur Excel illisible"),
        (b"whatever", "liste.ods", "format LibreOffice (.ods) non pris en charge"),
    ],
)
def test_files_that_are_not_a_readable_spreadsheet(data, filename, expected):
    error = only_error(data, filename)

    assert error.line is None
    assert expected in error.reason


def test_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photo.txt", "hello")

    error = only_error(out.getvalue(), "don.xlsx")

    assert error.reason.startswith("classeur Excel illisible")


def test_text_export_named_xls_is_read_as_csv():
    (row,) = parse_manifest(b"Serial;Category\r\nA1;fixe\r\n", "export-glpi.xls").rows

    assert row.category is Category.DESKTOP


def test_a_full_van_of_devices_is_accepted_but_not_one_more():
    header = ["Serial", "Catégorie"]
    full = csv_bytes(header, *([f"S{i}", "portable"] for i in range(MAX_ROWS)), [], [])

    assert len(parse_manifest(full).rows) == MAX_ROWS

    error = only_error(csv_bytes(header, *([f"S{i}", "portable"] for i in range(MAX_ROWS + 1))))
    assert error.line is None
    assert error.reason.startswith(f"plus de {MAX_ROWS} appareils")


# --- Property: what a donor writes comes back as it was meant -------------------------------------

_SERIALS = st.from_regex(r"[A-Z0-9]([A-Z0-9 ./-]{0,30}[A-Z0-9])?", fullmatch=True)
_TAGS = st.text(st.characters(exclude_categories=("C",)), min_size=1, max_size=40).map(str.strip).filter(bool)
_FREE_TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=100)
_CATEGORY_WORDS = [(word, category) for category, words in CATEGORY_ALIASES.items() for word in words]


@st.composite
def donor_rows(draw):
    """(cells as the donor types them, what the workshop should read) for one device."""
    serial = draw(st.none() | _SERIALS)
    tag = draw(_TAGS) if serial is None else draw(st.none() | _TAGS)
    word, category = draw(st.sampled_from(_CATEGORY_WORDS))
    manufacturer, model = draw(_FREE_TEXT), draw(_FREE_TEXT)
    grams = draw(st.none() | st.integers(1, 999_999))
    weight = "" if grams is None else f"{grams // 1000},{grams % 1000:03d}" + draw(st.sampled_from(["", " kg"]))
    typed_serial = (
        ""
        if serial is None
        else draw(st.sampled_from(["{}", " {} ", "{}\u00a0"])).format(serial.lower() if draw(st.booleans()) else serial)
    )
    cells = [typed_serial, tag or "", draw(st.sampled_from([word, word.upper()])), manufacturer, model, weight]
    # Identifiers come back as the API stores them (reemploi.identifiers): no spaces, upper case.
    expected = (
        identifier(serial),
        identifier(tag),
        category,
        manufacturer.strip() or None,
        model.strip() or None,
        grams,
    )
    return cells, expected


def _one_device_each(rows):
    seen_serials, seen_tags, kept = set(), set(), []
    for cells, expected in rows:
        serial, tag = expected[0], expected[1]
        if serial is None and tag is None:  # only placeholders, such as "0": not an identity
            continue
        if (serial is not None and serial in seen_serials) or (tag is not None and tag in seen_tags):
            continue
        if serial is not None:
            seen_serials.add(serial)
        if tag is not None:
            seen_tags.add(tag)
        kept.append((cells, expected))
    return kept


@settings(deadline=None)
@given(rows=st.lists(donor_rows(), min_size=1, max_size=25).map(_one_device_each).filter(bool), bom=st.booleans())
def test_what_a_donor_writes_in_a_french_csv_comes_back_exactly(rows, bom):
    data = csv_bytes(FRENCH_HEADER, *(cells for cells, _ in rows), encoding="utf-8-sig" if bom else "utf-8")

    manifest = parse_manifest(data, "collecte.csv")

    assert manifest.ignored_columns == ()
    assert manifest.rows == tuple(ManifestRow(line, *expected) for line, (_, expected) in enumerate(rows, start=2))
