"""Cell values as Dinas spreadsheets hold them: rupiah amounts, dates, CSV encodings and XLSX
formula cells. Every file is made inside the test."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from core.spreadsheet import (
    SpreadsheetFileError,
    decode_bytes,
    parse_amount,
    parse_date,
    read_csv,
    read_xlsx_rows,
)
from core.spreadsheet.files import XLSX


# --- amounts ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "rupiah"),
    [
        ("Rp. 100.000.000.-", 100_000_000),
        ("Rp 240.000.000,-", 240_000_000),
        ("Rp 1.500.000,00", 1_500_000),
        ("Rp1.500.000", 1_500_000),
        ("IDR 2.500.000", 2_500_000),
        ("15000000", 15_000_000),
        ("1,500,000", 1_500_000),
        ("Rp1,5 jt", 1_500_000),
        ("1,5jt", 1_500_000),
        ("3 juta", 3_000_000),
        ("Rp 2,75 Juta", 2_750_000),
        ("1,2 M", 1_200_000_000),
        ("1 M", 1_000_000_000),
        ("2 miliar", 2_000_000_000),
        ("2 milyar", 2_000_000_000),
        ("Rp 500 rb", 500_000),
        ("750 ribu", 750_000),
        ("Rp 1.250 jt", 1_250_000_000),
        ("1.5 jt", 1_500_000),
        (" Rp\u00a0100.000 ", 100_000),
        (1_500_000, 1_500_000),
        (1500000.0, 1_500_000),
        ("", None),
        (None, None),
    ],
)
def test_amount_shapes(cell, rupiah):
    assert parse_amount(cell) == rupiah


@pytest.mark.parametrize(
    "cell",
    [
        "1.5.00",  # neither thousands nor a decimal
        "100.000,5,-",  # half a rupiah
        "1,5",  # 1.5 rupiah: a thousands comma or a decimal one?
        "sekitar 5 juta",  # words around the amount
        "5 juta - 10 juta",  # a range
        "Rp",
        "lima juta",
        "5 jt 500 rb",
        "12.34.567",
    ],
)
def test_ambiguous_amounts_are_errors_quoting_the_cell(cell):
    with pytest.raises(ValueError) as err:
        parse_amount(cell)
    assert f"'{cell}'" in str(err.value)


def test_negative_amount_and_maximum():
    with pytest.raises(ValueError, match="negatif"):
        parse_amount("-5.000")
    with pytest.raises(ValueError, match="Maksimal"):
        parse_amount("3 M", maximum=2_000_000_000)


# --- dates --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12/01/2021", datetime.date(2021, 1, 12)),
        ("12-01-2021", datetime.date(2021, 1, 12)),
        ("12.01.2021", datetime.date(2021, 1, 12)),
        ("2021-01-12", datetime.date(2021, 1, 12)),
        ("12-01-21", datetime.date(2021, 1, 12)),
        ("12/01/21", datetime.date(2021, 1, 12)),
        ("01-07-85", datetime.date(1985, 7, 1)),  # as Excel reads two digits: 30-99 is 19xx
        (44208, datetime.date(2021, 1, 12)),  # an Excel serial number
        ("44208", datetime.date(2021, 1, 12)),
        (44208.0, datetime.date(2021, 1, 12)),
        ("12 Januari 2021", datetime.date(2021, 1, 12)),
        ("12 januari 2021", datetime.date(2021, 1, 12)),
        ("12 Jan 2021", datetime.date(2021, 1, 12)),
        ("12-Jan-2021", datetime.date(2021, 1, 12)),
        ("5 Pebruari 2020", datetime.date(2020, 2, 5)),
        ("17 Agustus 1945", datetime.date(1945, 8, 17)),
        ("17 Agt 2020", datetime.date(2020, 8, 17)),
        ("17 Ags 2020", datetime.date(2020, 8, 17)),
        ("1 Mei 2022", datetime.date(2022, 5, 1)),
        ("3 Okt 2023", datetime.date(2023, 10, 3)),
        ("30 Nopember 2019", datetime.date(2019, 11, 30)),
        ("25 Des 2024", datetime.date(2024, 12, 25)),
        ("3 March 2019", datetime.date(2019, 3, 3)),
        ("3 October 2019", datetime.date(2019, 10, 3)),
        ("Senin, 12 Januari 2021", datetime.date(2021, 1, 12)),
        ("12 Jan 21", datetime.date(2021, 1, 12)),
        (datetime.datetime(2021, 1, 12, 0, 0), datetime.date(2021, 1, 12)),  # noqa: DTZ001
        (datetime.date(2021, 1, 12), datetime.date(2021, 1, 12)),
        ("", None),
    ],
)
def test_date_shapes(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    "cell", ["31 Februari 2021", "12 Foo 2021", "32/01/2021", "2021", "kemarin", "12/13/2021"]
)
def test_bad_dates_are_errors_quoting_the_cell(cell):
    with pytest.raises(ValueError) as err:
        parse_date(cell)
    assert cell in str(err.value)


# --- CSV encodings ------------------------------------------------------------------------------
def test_cp1252_with_semicolons_is_read():
    data = "Nama usaha;Alamat\nCafé Müller;Jl. Ahmad Yani – 5\n".encode("cp1252")
    dataset = read_csv(data)
    assert dataset.headers == ["Nama usaha", "Alamat"]
    assert list(dataset[0]) == ["Café Müller", "Jl. Ahmad Yani – 5"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded(encoding):
    text = "Nama usaha\tAlamat\nKopi Aroma Pontianak\tJl. Gajah Mada\n"
    data = text.encode(encoding)
    if encoding != "utf-16":  # Python's "utf-16" writes the BOM itself
        data = ("\ufeff" + text).encode(encoding)
    assert decode_bytes(data) == text
    dataset = read_csv(data)
    assert list(dataset[0]) == ["Kopi Aroma Pontianak", "Jl. Gajah Mada"]


def test_utf8_with_and_without_bom():
    text = "a,b\nCafé,1\n"
    assert decode_bytes(text.encode("utf-8")) == text
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


def test_undecodable_csv_is_refused_naming_the_encoding():
    with pytest.raises(SpreadsheetFileError) as err:
        decode_bytes(b"Nama;Alamat\nToko\x81;Jl. A\n")  # 0x81 is no cp1252 character
    message = str(err.value)
    assert "UTF-8" in message and "Windows-1252" in message and "0x81" in message


def test_mostly_utf8_with_a_stray_byte_is_refused_not_garbled():
    with pytest.raises(SpreadsheetFileError) as err:
        decode_bytes("Nama\nCafé\n".encode() + b"Caf\xe9\n")
    assert "UTF-8" in str(err.value) and "0xE9" in str(err.value)


def test_utf16_without_bom_or_binary_is_refused():
    with pytest.raises(SpreadsheetFileError, match="UTF-16"):
        decode_bytes("Nama\nToko\n".encode("utf-16-le"))


# --- XLSX formula cells -------------------------------------------------------------------------
def _xlsx_with_formulas(cached: bool) -> bytes:
    """A workbook whose C column holds formulas; with ``cached`` each has the value Excel would
    have stored (written by hand in the sheet XML, as openpyxl never writes cached values)."""
    import re
    import zipfile

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nama usaha", "Tenaga kerja", "Nilai investasi (Rp)"])
    sheet.append(["Lempok", 4, "=B2*1000000"])
    sheet.append(["Amplang", 6, "=B3*1000000"])
    buffer = io.BytesIO()
    book.save(buffer)
    if not cached:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = re.sub(
                    r"<f>B(\d)\*1000000</f><v\s*/>|<f>B(\d)\*1000000</f>(<v></v>)?",
                    lambda m: (
                        f"<f>B{m.group(1) or m.group(2)}*1000000</f>"
                        f"<v>{int(m.group(1) or m.group(2)) * 2000000}</v>"
                    ),
                    text,
                )
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def test_formula_cells_give_their_cached_value():
    rows = list(read_xlsx_rows(_xlsx_with_formulas(cached=True)))
    assert rows[1] == ("Lempok", 4, 4_000_000) and rows[2] == ("Amplang", 6, 6_000_000)


def test_formula_cells_without_cached_value_give_the_formula_text_never_evaluated():
    rows = list(read_xlsx_rows(_xlsx_with_formulas(cached=False)))
    assert rows[1] == ("Lempok", 4, "=B2*1000000")
    assert rows[2] == ("Amplang", 6, "=B3*1000000")
    dataset = XLSX().create_dataset(_xlsx_with_formulas(cached=False))
    assert dataset[0][2] == "=B2*1000000"  # taken as text: an amount column then refuses it
    with pytest.raises(ValueError, match="=B2"):
        parse_amount(dataset[0][2])


def test_formula_text_is_escaped_again_on_export():
    import tablib

    dataset = tablib.Dataset(headers=["Nama usaha"])
    dataset.append(["=B2*1000000"])
    book = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(dataset)))
    assert book.active["A2"].value == "'=B2*1000000"
