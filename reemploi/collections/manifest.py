"""Donor manifests: the CSV or XLSX spreadsheet in which a donor lists what a collection contains.

Pure parsing, all or nothing: `parse_manifest` gives back every row checked and normalised, or raises
`ManifestInvalid` listing every problem, each with the line number the spreadsheet shows, the column
as the donor wrote it, and a reason in French for the workshop staff who will fix the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal
from time import monotonic
from typing import TypeVar

from reemploi import identifiers, texts
from reemploi.devices.categories import Category

# --- What donors write, as data -------------------------------------------------------------------
# Matching ignores case, accents, spaces, punctuation and a plural "s" (see `_key`), so "N° de série",
# "no serie" and "NUMEROS DE SERIE" are one alias. Two aliases landing on different targets is a
# programming error caught at import.

COLUMN_ALIASES: Mapping[str, tuple[str, ...]] = {
    "serial": (
        "numéro de série",
        "n° de série",
        "n° série",
        "no de série",
        "no serie",
        "num série",
        "numéro série",
        "série",
        "serial",
        "serial number",
        "serial no",
        "S/N",
        "SN",
    ),
    "asset_tag": (
        "étiquette",
        "n° d'inventaire",
        "n° inventaire",
        "no d'inventaire",
        "numéro d'inventaire",
        "inventaire",
        "asset tag",
        "asset",
        "tag",
    ),
    "category": ("catégorie", "type", "category", "type de matériel", "type d'appareil"),
    "manufacturer": ("fabricant", "marque", "constructeur", "manufacturer", "brand", "make"),
    "model": ("modèle", "model", "référence"),
    "weight": (
        "poids",
        "poids (kg)",
        "poids kg",
        "poids en kg",
        "weight",
        "weight (kg)",
        "weight kg",
        "weight in kg",
    ),
}


# The enum values themselves ("laptop", "all_in_one", …) are accepted too.
CATEGORY_ALIASES: Mapping[Category, tuple[str, ...]] = {
    Category.LAPTOP: (
        "portable",
        "ordinateur portable",
        "pc portable",
        "ultraportable",
        "laptop",
        "notebook",
        "netbook",
    ),
    Category.DESKTOP: (
        "fixe",
        "unité centrale",
        "uc",
        "ordinateur fixe",
        "pc fixe",
        "ordinateur de bureau",
        "pc de bureau",
        "tour",
        "desktop",
    ),
    Category.ALL_IN_ONE: (
        "tout-en-un",
        "ordinateur tout-en-un",
        "pc tout-en-un",
        "all in one",
        "aio",
    ),
    Category.SCREEN: ("écran", "moniteur", "screen", "monitor"),
    Category.TABLET: ("tablette", "tablet"),
    Category.SMARTPHONE: (
        "smartphone",
        "téléphone",
        "téléphone portable",
        "téléphone mobile",
        "mobile",
        "gsm",
        "phone",
        "mobile phone",
    ),
    Category.PRINTER: ("imprimante", "printer"),
    Category.MULTIFUNCTION_PRINTER: (
        "multifonction",
        "imprimante multifonction",
        "mfp",
        "multifunction printer",
    ),
    Category.PERIPHERAL: (
        "clavier",
        "souris",
        "webcam",
        "périphérique",
        "peripheral",
        "keyboard",
        "mouse",
    ),
    Category.NETWORK: (
        "switch",
        "routeur",
        "borne wifi",
        "point d'accès",
        "réseau",
        "matériel réseau",
        "network",
        "router",
        "access point",
    ),
    Category.OTHER: ("autre", "divers", "other"),
}

MAX_ROWS = 5000
# What an XLSX may hold before it is opened at all (a zip can expand a thousandfold): 5,000 rows of
# a dozen columns are a few megabytes of XML; more is a bomb or not a manifest. Its rows are counted
# blank or not (a sheet of a million formatted empty rows is work too), and reading stops at a time
# budget whatever the file.
MAX_XLSX_UNCOMPRESSED = 40_000_000
MAX_XLSX_ENTRIES = 500
MAX_SHEET_ROWS = 4 * MAX_ROWS
PARSE_SECONDS = 30.0
MAX_TEXT_LENGTH = 100
MAX_WEIGHT_KG = Decimal(1000)

_XLSX_EXTENSIONS = frozenset({"xlsx", "xlsm"})
_XLSX_CONTENT_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel.sheet.macroenabled.12",
    }
)
# CSV is what is left once the bytes show no binary format, so CSV names and types need no list;
# browsers on Windows even send "application/vnd.ms-excel" for a .csv file.
_ZIP_MAGIC = b"PK"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and any password-protected workbook
_PDF_MAGIC = b"%PDF"

_WEIGHT = re.compile(
    r"(?P<number>[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+))\s*(?:kgs?|kilos?|kilogrammes?)?\.?",
    re.IGNORECASE,
)
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- Results and errors ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One device as the donor listed it, checked and normalised."""

    line: int  # as the spreadsheet shows it: the header is line 1
    serial: str | None  # upper case
    asset_tag: str | None
    category: Category
    manufacturer: str | None
    model: str | None
    weight_grams: int | None


@dataclass(frozen=True, slots=True)
class Manifest:
    rows: tuple[ManifestRow, ...]
    ignored_columns: tuple[str, ...]  # headers we did not recognise, as written, in file order


@dataclass(frozen=True, slots=True)
class ManifestError:
    line: int | None  # None for a problem with the whole file
    column: str | None  # the header as written in the file, or texts.MANIFEST_COLUMNS[...] when it is missing
    reason: str  # in French, for the workshop staff

    def __str__(self) -> str:
        return texts.manifest_problem(self.line, self.column, self.reason)


class ManifestInvalid(Exception):
    """The manifest is refused as a whole; `errors` lists every problem found."""

    def __init__(self, errors: Sequence[ManifestError]) -> None:
        if not errors:
            raise ValueError("ManifestInvalid needs at least one error")
        self.errors: list[ManifestError] = list(errors)
        super().__init__(self.errors)

    def __str__(self) -> str:
        title = texts.manifest_refused(len(self.errors))
        return "\n".join([title, *(f"- {error}" for error in self.errors)])


# --- Entry point ----------------------------------------------------------------------------------


def parse_manifest(data: bytes, filename: str | None = None, content_type: str | None = None) -> Manifest:
    """Read a donor's CSV or XLSX manifest; raise `ManifestInvalid` with every problem found."""
    if _detect_format(data, filename, content_type) == "xlsx":
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(data)
    try:
        return _read_rows(rows)
    finally:
        rows.close()


# --- Format, encoding, separator ------------------------------------------------------------------


def _file_error(reason: str, line: int | None = None, column: str | None = None) -> ManifestInvalid:
    return ManifestInvalid([ManifestError(line, column, reason)])


def _detect_format(data: bytes, filename: str | None, content_type: str | None) -> str:
    if not data:
        raise _file_error(texts.MANIFEST_EMPTY_FILE)
    extension = ""
    if filename:
        basename = filename.replace("\\", "/").rsplit("/", 1)[-1]
        if "." in basename:
            extension = basename.rsplit(".", 1)[-1].strip().lower()
    mime = (content_type or "").split(";", 1)[0].strip().lower()

    # The bytes are trusted over the name: a renamed file is common, a lying magic number is not.
    if data.startswith(_OLE2_MAGIC):
        raise _file_error(texts.MANIFEST_OLD_EXCEL)
    # No ".xls" here: a real one is caught by its bytes above, and many tools name a text export .xls.
    if extension in texts.MANIFEST_REFUSED_EXTENSIONS:
        raise _file_error(texts.MANIFEST_REFUSED_EXTENSIONS[extension])
    if data.startswith(_PDF_MAGIC):
        raise _file_error(texts.MANIFEST_REFUSED_EXTENSIONS["pdf"])
    if data.startswith(_ZIP_MAGIC):
        return "xlsx"
    if extension in _XLSX_EXTENSIONS or (not extension and mime in _XLSX_CONTENT_TYPES):
        raise _file_error(texts.MANIFEST_NOT_REALLY_XLSX)
    # Named .csv or .txt, sent as text, or nothing said: the bytes showed no binary format.
    return "csv"


def _decode(data: bytes) -> str:
    """Excel writes UTF-8 with a BOM, older French Windows setups cp1252, "texte Unicode" UTF-16."""
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise _file_error(texts.MANIFEST_NOT_A_SPREADSHEET) from None
    text = text.rstrip("\x1a")  # DOS end-of-file marker some old exports still append
    if _BINARY_CONTROLS.search(text):
        raise _file_error(texts.MANIFEST_NOT_A_SPREADSHEET)
    return text


def _guess_delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    # On a tie (or a one-column header) the French Excel separator wins.
    return max(";,\t", key=header.count)


def _csv_rows(data: bytes) -> Generator[tuple[int, Sequence[object]]]:
    text = _decode(data)
    if not text.strip():
        raise _file_error(texts.MANIFEST_EMPTY_FILE)
    hint = re.match(r"sep=(.)\r?\n", text)  # Excel's separator hint line, which Excel itself hides
    if hint:
        delimiter, text = hint.group(1), text[hint.end() :]
    else:
        delimiter = _guess_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # A record is a spreadsheet row even when a quoted cell spans several text lines.
    line = 0
    while True:
        line += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _file_error(texts.MANIFEST_BAD_QUOTES, line=line) from None
        if line > MAX_SHEET_ROWS:
            raise _file_error(texts.manifest_sheet_too_long(MAX_SHEET_ROWS, MAX_ROWS))
        yield line, row


def _check_zip(data: bytes) -> None:
    """Refuse, before any XML is parsed, an XLSX whose entries would expand past the budget. The
    sizes are those the zip declares: reading never goes past them (a lying entry fails its CRC)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _file_error(texts.MANIFEST_XLSX_UNREADABLE) from None
    expanded = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_XLSX_ENTRIES or expanded > MAX_XLSX_UNCOMPRESSED:
        raise _file_error(texts.manifest_xlsx_too_big(expanded, MAX_XLSX_UNCOMPRESSED))


def _xlsx_rows(data: bytes) -> Generator[tuple[int, Sequence[object]]]:
    import openpyxl  # only XLSX manifests pay for it

    unreadable = texts.MANIFEST_XLSX_UNREADABLE
    _check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises a zoo of types (BadZipFile, KeyError, XML errors…)
        raise _file_error(unreadable) from None
    try:
        if not workbook.worksheets:
            raise _file_error(texts.MANIFEST_NO_SHEET)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some tools write a wrong <dimension>; read-only mode would cut
        try:
            # Read-only mode yields empty tuples for missing rows, so the count is the row number.
            deadline = monotonic() + PARSE_SECONDS
            for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if line > MAX_SHEET_ROWS or (line % 500 == 0 and monotonic() > deadline):
                    raise _file_error(texts.manifest_sheet_too_long(MAX_SHEET_ROWS, MAX_ROWS))
                yield line, cells
        except ManifestInvalid:
            raise
        except Exception:  # noqa: BLE001 - the sheet XML is parsed lazily; a broken one fails here
            raise _file_error(unreadable) from None
    finally:
        workbook.close()


# --- Header ---------------------------------------------------------------------------------------


def _key(text: str) -> str:
    """'N° de Séries' -> 'ndeserie': no case, accents, spaces, punctuation or plural 's'."""
    folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded)
    return "".join(w[:-1] if len(w) > 2 and w.endswith("s") else w for w in words)


_T = TypeVar("_T")


def _index(aliases: Mapping[_T, Sequence[str]]) -> dict[str, _T]:
    index: dict[str, _T] = {}
    for target, words in aliases.items():
        for word in words:
            key = _key(word)
            if index.setdefault(key, target) != target:
                raise ValueError(f"alias {word!r} means both {index[key]!r} and {target!r}")
    return index


_COLUMN_INDEX = _index(COLUMN_ALIASES)
_CATEGORY_INDEX = _index({c: (c.value, *CATEGORY_ALIASES.get(c, ())) for c in Category})


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    header: str  # as written in the file


def _read_header(line: int, cells: Sequence[object]) -> tuple[dict[str, _Column], tuple[str, ...]]:
    columns: dict[str, _Column] = {}
    ignored: list[str] = []
    errors: list[ManifestError] = []
    for index, cell in enumerate(cells):
        header = _text(cell)
        if header is None:
            continue
        field = _COLUMN_INDEX.get(_key(header))
        if field is None:
            ignored.append(header)
        elif field in columns:
            errors.append(
                ManifestError(line, header, texts.manifest_columns_twice(columns[field].header, header, field))
            )
        else:
            columns[field] = _Column(index, header)
    if not columns:
        raise _file_error(texts.MANIFEST_NO_KNOWN_COLUMN, line=line)
    if "category" not in columns:
        errors.append(ManifestError(line, texts.MANIFEST_COLUMNS["category"], texts.MANIFEST_NO_CATEGORY_COLUMN))
    if "serial" not in columns and "asset_tag" not in columns:
        errors.append(ManifestError(line, texts.MANIFEST_COLUMNS["serial"], texts.MANIFEST_NO_IDENTIFIER_COLUMN))
    if errors:
        raise ManifestInvalid(errors)
    return columns, tuple(ignored)


# --- Cells ----------------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _text(value: object) -> str | None:
    """A cell as text, stripped; None when blank. XLSX numbers come back as the donor typed them."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))  # a serial typed as a number: 123456.0 is "123456"
    elif isinstance(value, (date, time)):
        text = value.isoformat()
    else:
        text = str(value)
    return text.strip() or None


def _echo(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def _checked_text(value: object, label: str, *, identifier: bool) -> str | None:
    text = _text(value)
    if text is None:
        return None
    # An identifier is matched against what a scanner types: no invisible character may hide in it.
    invisible = ("C",) if identifier else ("Cc",)
    if any(unicodedata.category(c).startswith(invisible) for c in text):
        raise _Refused(texts.manifest_invisible_character(label))
    if len(text) > MAX_TEXT_LENGTH:
        raise _Refused(texts.manifest_text_too_long(label, len(text), MAX_TEXT_LENGTH))
    return text


def _serial(value: object) -> str | None:
    """As the API stores it (reemploi.identifiers): no spaces, upper case, BIOS placeholders are none."""
    return identifiers.identifier(_checked_text(value, texts.MANIFEST_COLUMNS["serial"], identifier=True))


def _asset_tag(value: object) -> str | None:
    return identifiers.identifier(_checked_text(value, texts.MANIFEST_COLUMNS["asset_tag"], identifier=True))


def _category(value: object) -> Category:
    text = _text(value)
    if text is None:
        raise _Refused(texts.MANIFEST_CATEGORY_EMPTY)
    category = _CATEGORY_INDEX.get(_key(text))
    if category is None:
        raise _Refused(texts.manifest_category_unknown(_echo(text)))
    return category


def _weight_grams(value: object) -> int | None:
    text = _text(value)
    if text is None:
        return None
    unreadable = _Refused(texts.manifest_weight_unreadable(_echo(text)))
    if isinstance(value, bool):
        raise unreadable
    if isinstance(value, (int, float)):
        kg = Decimal(repr(value))  # repr is the shortest exact form: 1.65, not 1.6499999…
        if not kg.is_finite():
            raise unreadable
    else:
        match = _WEIGHT.fullmatch(text)
        if match is None:
            raise unreadable
        kg = Decimal(match["number"].replace(",", "."))
    if not 0 < kg < MAX_WEIGHT_KG:
        raise _Refused(texts.manifest_weight_impossible(_echo(text), MAX_WEIGHT_KG))
    grams = int((kg * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if grams == 0:
        raise _Refused(texts.manifest_weight_too_small(_echo(text)))
    return grams


# --- Rows -----------------------------------------------------------------------------------------


def _manufacturer(value: object) -> str | None:
    return _checked_text(value, texts.MANIFEST_COLUMNS["manufacturer"], identifier=False)


def _model(value: object) -> str | None:
    return _checked_text(value, texts.MANIFEST_COLUMNS["model"], identifier=False)


def _is_blank(cells: Sequence[object]) -> bool:
    return all(_text(cell) is None for cell in cells)


_V = TypeVar("_V")


class _RowReader:
    """One data row read cell by cell; a refused cell reads as None and leaves its error behind."""

    def __init__(self, line: int, cells: Sequence[object], columns: Mapping[str, _Column]) -> None:
        self.line = line
        self.errors: list[ManifestError] = []
        self._cells = cells
        self._columns = columns

    def read(self, field: str, parse: Callable[[object], _V]) -> _V | None:
        column = self._columns.get(field)
        if column is None:
            return None
        cell = self._cells[column.index] if column.index < len(self._cells) else None
        try:
            return parse(cell)
        except _Refused as refused:
            self.error(field, refused.reason)
            return None

    def refused(self, field: str) -> bool:
        column = self._columns.get(field)
        return column is not None and any(e.column == column.header for e in self.errors)

    def error(self, field: str, reason: str) -> None:
        self.errors.append(ManifestError(self.line, self._columns[field].header, reason))

    def errors_left_to_right(self) -> list[ManifestError]:
        position = {column.header: column.index for column in self._columns.values()}
        return sorted(self.errors, key=lambda e: position.get(e.column or "", -1))


def _read_rows(rows: Generator[tuple[int, Sequence[object]]]) -> Manifest:
    header = next(((line, cells) for line, cells in rows if not _is_blank(cells)), None)
    if header is None:
        raise _file_error(texts.MANIFEST_EMPTY_FILE)
    columns, ignored = _read_header(*header)

    parsed: list[ManifestRow] = []
    errors: list[ManifestError] = []
    first_line_of_serial: dict[str, int] = {}
    first_line_of_tag: dict[str, int] = {}
    count = 0
    for line, cells in rows:
        if _is_blank(cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _file_error(texts.manifest_too_many_rows(MAX_ROWS))
        row = _RowReader(line, cells, columns)
        serial = row.read("serial", _serial)
        asset_tag = row.read("asset_tag", _asset_tag)
        category = row.read("category", _category)
        manufacturer = row.read("manufacturer", _manufacturer)
        model = row.read("model", _model)
        weight_grams = row.read("weight", _weight_grams)

        if serial is None and asset_tag is None and not (row.refused("serial") or row.refused("asset_tag")):
            row.error("serial" if "serial" in columns else "asset_tag", texts.MANIFEST_NO_IDENTIFIER)
        if serial is not None:
            earlier = first_line_of_serial.setdefault(serial, line)  # already upper case
            if earlier != line:
                row.error("serial", texts.manifest_serial_repeated(earlier))
        if asset_tag is not None:
            earlier = first_line_of_tag.setdefault(asset_tag.casefold(), line)
            if earlier != line:
                row.error("asset_tag", texts.manifest_tag_repeated(earlier))

        if row.errors or category is None:  # no category always comes with its error
            errors.extend(row.errors_left_to_right())
            continue
        parsed.append(
            ManifestRow(
                line=line,
                serial=serial,
                asset_tag=asset_tag,
                category=category,
                manufacturer=manufacturer,
                model=model,
                weight_grams=weight_grams,
            )
        )

    if errors:
        raise ManifestInvalid(errors)
    if not parsed:
        raise _file_error(texts.MANIFEST_NO_DEVICE)
    return Manifest(rows=tuple(parsed), ignored_columns=ignored)
