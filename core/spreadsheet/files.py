"""Spreadsheet files: CSV (UTF-8/cp1252, `,`/`;`) and XLSX formats, the error report."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _g
from import_export.formats import base_formats
from import_export.results import Result

from .cells import escape_formula, text


# --- files --------------------------------------------------------------------------------------
class SpreadsheetFileError(ValueError):
    """A file that cannot be read at all (its message, in Indonesian, says why)."""


_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# A two- or three-byte UTF-8 sequence (é = C3 A9, ’ = E2 80 99).
_UTF8_SEQUENCE_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def decode_bytes(data: bytes | str) -> str:
    """The text of a CSV file, whichever way Excel saved it.

    UTF-16 with a byte-order mark ("Unicode text"), UTF-8 with or without BOM, then Windows-1252
    (Excel's "CSV" on Windows). Nothing is replaced: bytes that are not text in any of these
    raise :class:`SpreadsheetFileError` naming the encoding tried and the place.
    """
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    for bom, encoding in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as exc:
                raise SpreadsheetFileError(
                    _g(
                        "Berkas bertanda UTF-16 tetapi tidak dapat dibaca sebagai UTF-16 "
                        "(byte ke-%(pos)s). Simpan ulang sebagai CSV UTF-8."
                    )
                    % {"pos": exc.start + len(bom) + 1}
                ) from None
    if b"\x00" in data[:4096]:
        raise SpreadsheetFileError(
            _g(
                "Berkas ini bukan teks CSV yang dikenal (UTF-16 tanpa tanda BOM atau berkas "
                "biner). Simpan ulang dari Excel sebagai CSV UTF-8."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _UTF8_SEQUENCE_RE.search(data):
            # Mostly UTF-8 (accents as UTF-8) with a stray byte: reading it as cp1252 would
            # garble every accent, so it is refused instead.
            raise SpreadsheetFileError(
                _g(
                    "Berkas tampaknya UTF-8 tetapi byte ke-%(pos)s (0x%(byte)s) bukan UTF-8. "
                    "Simpan ulang dari Excel sebagai CSV UTF-8."
                )
                % {"byte": data[exc.start : exc.start + 1].hex().upper(), "pos": exc.start + 1}
            ) from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SpreadsheetFileError(
            _g(
                "Berkas tidak dapat dibaca sebagai UTF-8 maupun Windows-1252 (cp1252): byte "
                "0x%(byte)s di byte ke-%(pos)s. Simpan ulang dari Excel sebagai CSV UTF-8."
            )
            % {"byte": data[exc.start : exc.start + 1].hex().upper(), "pos": exc.start + 1}
        ) from None


def sniff_delimiter(header_line: str) -> str:
    """``;`` when the lines have more semicolons than commas (Excel in Indonesian locale).

    ``header_line`` may hold several lines (the top of the file, title rows included): the
    delimiter is the one most used on a single line."""
    counts = {
        d: max((line.count(d) for line in header_line.splitlines() or [""]), default=0)
        for d in (";", ",", "\t")
    }
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


#: (the sheet's own row number, cells) of one non-blank row
SheetRow = tuple[int, list]


def csv_rows(data: bytes | str, limit: int | None = None) -> list[SheetRow]:
    """The non-blank rows of a CSV with their row numbers as a spreadsheet program shows them
    (a record over several lines, a quoted cell with line breaks, is one row)."""
    content = decode_bytes(data)
    top = "\n".join(content[:65536].split("\n")[:20])
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=sniff_delimiter(top))
    rows: list[SheetRow] = []
    for number, cells in enumerate(reader, 1):
        if not "".join(cells).strip():
            continue
        rows.append((number, cells))
        if limit is not None and len(rows) >= limit:
            break
    return rows


def xlsx_rows(data: bytes, limit: int | None = None) -> list[SheetRow]:
    """The non-blank rows of an XLSX's active sheet with their row numbers (read-only mode:
    ``limit`` stops early, whatever the size of the sheet)."""
    rows: list[SheetRow] = []
    reader = read_xlsx_rows(data)
    try:
        for number, values in enumerate(reader, 1):
            if all(_blank(v) for v in values):
                continue
            rows.append((number, list(values)))
            if limit is not None and len(rows) >= limit:
                break
    finally:
        reader.close()  # closes the workbook when stopped early
    return rows


def dataset_from_rows(rows: list[SheetRow], matcher=None) -> tablib.Dataset:
    """A dataset of the rows below the header row (found below title and blank rows by
    ``matcher``, a :class:`~core.spreadsheet.mapping.Matcher`, else as the widest top row).

    The dataset's headers are the file's own; ``row_numbers`` holds the sheet row number of each
    data row and ``header_row`` that of the header, so that every message names the row as the
    official sees it in their spreadsheet program."""
    from .mapping import find_header_row

    dataset = tablib.Dataset()
    dataset.row_numbers = []
    dataset.header_row = 0
    if not rows:
        return dataset
    index = find_header_row(rows, matcher)
    header_number, header = rows[index]
    headers = [text(h) for h in header]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    dataset.headers = headers
    dataset.header_row = header_number
    data = dataset._data  # appending one by one validates each row: slow on 100k rows
    row_cls = tablib.core.Row
    numbers = dataset.row_numbers
    new_row = row_cls.__new__
    for number, cells in rows[index + 1 :]:  # rows are not blank as a whole
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        elif len(cells) > width:
            cells = list(cells[:width])
            if all(_blank(c) for c in cells):  # filled only beyond the header's columns
                continue
        row = new_row(row_cls)
        row._row = cells if isinstance(cells, list) else list(cells)
        row.tags = []
        data.append(row)
        numbers.append(number)
    return dataset


def read_csv(data: bytes | str, matcher=None) -> tablib.Dataset:
    return dataset_from_rows(csv_rows(data), matcher)


def escape_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of the dataset with every formula-like text cell escaped."""
    escaped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        escaped.append([escape_formula(cell) for cell in row])
    return escaped


class CSV(base_formats.CSV):
    """CSV read as bytes (UTF-8 with/without BOM or cp1252, `,` or `;`), written as UTF-8 with BOM
    (so that Excel shows accents), formula-like cells escaped."""

    def get_title(self):
        return "csv"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + escape_dataset(dataset).export("csv")


# A formula cell with no cached value: ``<f>…</f>`` or ``<f …/>`` then no ``<v>`` (or an empty one).
_UNCACHED_FORMULA_RE = re.compile(rb"(?:</f>|<f [^>]*/>)\s*(?:</c>|<v\s*/>|<v></v>)")


def _has_uncached_formulas(data: bytes) -> bool:
    """Whether a worksheet of the XLSX holds a formula whose value Excel did not store."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            for name in book.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with book.open(name) as fh:
                        tail = b""
                        while chunk := fh.read(1 << 20):
                            if _UNCACHED_FORMULA_RE.search(tail + chunk):
                                return True
                            tail = chunk[-64:]
    except zipfile.BadZipFile:
        return False
    return False


def _formula_text(value: Any) -> Any:
    text_value = getattr(value, "text", value)  # an ArrayFormula has its formula in .text
    return text_value if isinstance(text_value, str) and text_value.startswith("=") else None


def read_xlsx_rows(data: bytes):
    """The active sheet's rows as tuples of values, formulas never evaluated.

    A formula cell gives the value Excel cached for it; a formula without a cached value (a file
    written by a program, not saved by Excel) gives its formula text (``=B2*2``), which is then
    read as text like any other cell. The workbook is read a second time, for its formulas, only
    when it has such cells, so ordinary files are read once.
    """
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.active
        if not _has_uncached_formulas(data):
            yield from sheet.iter_rows(values_only=True)
            return
        formulas_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            formula_rows = formulas_book[sheet.title].iter_rows(values_only=True)
            for values in sheet.iter_rows(values_only=True):
                formulas = next(formula_rows, ())
                if None in values:
                    values = tuple(
                        _formula_text(formulas[i]) if v is None and i < len(formulas) else v
                        for i, v in enumerate(values)
                    )
                yield values
        finally:
            formulas_book.close()
    finally:
        book.close()


class XLSX(base_formats.XLSX):
    """XLSX: blank rows skipped (their numbers kept) on import; formula cells read as their
    cached value (else their formula text, never evaluated); formula-like text cells escaped on
    export."""

    def create_dataset(self, in_stream):
        return dataset_from_rows(xlsx_rows(in_stream))

    def export_data(self, dataset, **kwargs):
        return super().export_data(escape_dataset(dataset), **kwargs)


IMPORT_FORMATS = [CSV, XLSX]
EXPORT_FORMATS = [CSV, XLSX]


def format_for_filename(filename: str):
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return XLSX()
    return CSV()


def sheet_rows(data: bytes, filename: str, limit: int | None = None) -> list[SheetRow]:
    """The non-blank rows of a CSV or XLSX file (by its name) with their sheet row numbers."""
    if isinstance(format_for_filename(filename), XLSX):
        return xlsx_rows(data, limit)
    return csv_rows(data, limit)


def read_file(path_or_bytes, filename: str | None = None, matcher=None) -> tablib.Dataset:
    if isinstance(path_or_bytes, bytes):
        data, name = path_or_bytes, filename or "data.csv"
    else:
        name = filename or str(path_or_bytes)
        with open(path_or_bytes, "rb") as fh:
            data = fh.read()
    return dataset_from_rows(sheet_rows(data, name), matcher)


# --- error report -------------------------------------------------------------------------------
def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return [force_str(m) for m in error.messages]
    return [force_str(error)]


def error_rows(result: Result) -> list[tuple[int | str, str, str]]:
    """(spreadsheet row, column, message) for every problem of an import, in row order."""
    rows: list[tuple[int | str, str, str]] = []
    for error in result.base_errors:
        rows.append(("", "", friendly_error(error.error)))
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            label = "" if column == NON_FIELD_ERRORS else column
            for message in messages:
                rows.append((invalid.number, label, force_str(message)))
    for number, errors in result.row_errors():
        for error in errors:
            rows.append((number, "", friendly_error(error.error)))
    rows.sort(key=lambda r: (r[0] if isinstance(r[0], int) else 0, r[1]))
    return rows


def friendly_error(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(_messages(error))
    if isinstance(error, IntegrityError):
        return _g("Data bertentangan dengan aturan basis data: %(detail)s") % {
            "detail": str(error).splitlines()[0]
        }
    if isinstance(error, KeyError):
        return _g("Kolom wajib tidak ada: %(detail)s") % {"detail": str(error)}
    return str(error)


class SpreadsheetResult(Result):
    """Row numbers as the user sees them in the spreadsheet: ``sheet_row(n)`` turns the n-th
    data row into the sheet's own row number (title and blank rows counted); by default the
    header is row 1."""

    def __init__(self, *args, sheet_row=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet_row = sheet_row or (lambda number: number + 1)

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(self.sheet_row(number), row, validation_error)

    def append_error_row(self, number, row, errors):
        super().append_error_row(self.sheet_row(number), row, errors)

    def error_report(self) -> list[tuple[int | str, str, str]]:
        return error_rows(self)


# --- the error report for the official -----------------------------------------------------------
def error_report_table(
    errors: list[tuple[Any, str, str]],
    dataset: tablib.Dataset | None = None,
    key_columns: tuple[str, ...] = (),
) -> tuple[list[str], list[list[Any]]]:
    """The error report: per problem the row, the column (the resource's and the file's own
    header), the message, the row's key columns (e.g. NIB and name) and then every cell of the
    official's own columns under their own headers, so that a bad row is found and fixed in the
    office's spreadsheet as it is kept."""
    mapping = getattr(dataset, "column_mapping", None)
    source_headers = list(getattr(dataset, "source_headers", None) or [])
    if dataset is not None and not source_headers:
        source_headers = list(dataset.headers or [])
    source_rows = getattr(dataset, "source_rows", None)
    if source_rows is None and dataset is not None:
        source_rows = dataset._data
    mapped_headers = list(dataset.headers or []) if dataset is not None else []
    keys = [c for c in key_columns if c in mapped_headers]
    key_index = [mapped_headers.index(c) for c in keys]
    index_of: dict[int, int] = {}
    if dataset is not None:
        numbers = getattr(dataset, "row_numbers", None) or range(2, len(dataset) + 2)
        wanted = {r for r, _c, _m in errors if isinstance(r, int)}
        index_of = {n: i for i, n in enumerate(numbers) if n in wanted}
    headers = [
        _g("Baris"),
        _g("Kolom"),
        _g("Kolom di berkas"),
        _g("Kesalahan"),
        *keys,
        *[h or _g("(tanpa judul)") for h in source_headers],
    ]
    table = []
    for number, column, message in errors:
        own = mapping.source_header(column) if mapping is not None and column else ""
        line: list[Any] = [number, column, own, message]
        i = index_of.get(number) if isinstance(number, int) else None
        if i is not None:
            mapped_row = dataset._data[i]
            line += [text(mapped_row[k]) for k in key_index]
            source = list(source_rows[i])
            line += [_report_cell(c) for c in source[: len(source_headers)]]
        table.append(line)
    return headers, table


def _report_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return text(value)


def error_report_csv(rows, headers: list[str] | None = None, delimiter: str = ",") -> str:
    """The report as CSV (UTF-8 with BOM; ``delimiter=";"`` for Excel in Indonesian locale).

    ``rows`` are (row, column, message) triples, or full lines under ``headers``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if headers is None:
        headers = [_g("Baris"), _g("Kolom"), _g("Kesalahan")]
    writer.writerow([escape_formula(h) for h in headers])
    for line in rows:
        writer.writerow([escape_formula(c) if isinstance(c, str) else c for c in line])
    return "\ufeff" + out.getvalue()


def error_report_xlsx(headers: list[str], rows) -> bytes:
    """The report as an XLSX workbook (write-only: fast on many rows), text escaped."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(_g("Kesalahan"))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = openpyxl.cell.WriteOnlyCell(sheet, value=escape_formula(h))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for line in rows:
        sheet.append([escape_formula(c) if isinstance(c, str) else c for c in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
