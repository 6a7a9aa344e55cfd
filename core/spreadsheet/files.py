"""Spreadsheet files: CSV (UTF-8/cp1252, `,`/`;`) and XLSX formats, the error report."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
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
def decode_bytes(data: bytes | str) -> str:
    """UTF-8 (with or without BOM) first, then Windows-1252 (Excel's 'CSV' on Windows)."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(header_line: str) -> str:
    """``;`` when the header line has more semicolons than commas (Excel in Indonesian locale)."""
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes | str) -> tablib.Dataset:
    content = decode_bytes(data)
    first_line = content.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=sniff_delimiter(first_line))
    dataset = tablib.Dataset()
    try:
        headers = next(reader)
    except StopIteration:
        return dataset
    headers = [h.strip() for h in headers]
    width = len(headers)
    dataset.headers = headers
    rows = dataset._data  # appending one by one validates each row: slow on 100k rows
    row_cls = tablib.core.Row
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        elif len(cells) > width:
            extra = cells[width:]
            if any(c.strip() for c in extra):
                cells = cells[:width] + [" ".join(extra)]  # kept so that the row is refused
            cells = cells[:width]
        rows.append(row_cls(cells))
    return dataset


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


class XLSX(base_formats.XLSX):
    """XLSX: blank lines ignored on import; formula-like text cells escaped on export."""

    def create_dataset(self, in_stream):
        from io import BytesIO

        import openpyxl

        book = openpyxl.load_workbook(BytesIO(in_stream), read_only=True, data_only=True)
        sheet = book.active
        dataset = tablib.Dataset()
        rows = sheet.iter_rows(values_only=True)
        try:
            header = next(rows)
        except StopIteration:
            return dataset
        headers = [text(h) for h in header]
        while headers and not headers[-1]:
            headers.pop()
        width = len(headers)
        dataset.headers = headers
        for values in rows:
            values = list(values[:width]) + [None] * max(0, width - len(values))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            dataset.append(values)
        book.close()
        return dataset

    def export_data(self, dataset, **kwargs):
        return super().export_data(escape_dataset(dataset), **kwargs)


IMPORT_FORMATS = [CSV, XLSX]
EXPORT_FORMATS = [CSV, XLSX]


def format_for_filename(filename: str):
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return XLSX()
    return CSV()


def read_file(path_or_bytes, filename: str | None = None) -> tablib.Dataset:
    if isinstance(path_or_bytes, bytes):
        data, name = path_or_bytes, filename or "data.csv"
    else:
        name = filename or str(path_or_bytes)
        with open(path_or_bytes, "rb") as fh:
            data = fh.read()
    return format_for_filename(name).create_dataset(data)


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


def error_report_csv(rows: Iterable[tuple[Any, str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_g("Baris"), _g("Kolom"), _g("Kesalahan")])
    for number, column, message in rows:
        writer.writerow([number, escape_formula(column), escape_formula(message)])
    return "\ufeff" + out.getvalue()


class SpreadsheetResult(Result):
    """Row numbers as the user sees them in the spreadsheet: the header is row 1."""

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(number + 1, row, validation_error)

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + 1, row, errors)

    def error_report(self) -> list[tuple[int | str, str, str]]:
        return error_rows(self)
