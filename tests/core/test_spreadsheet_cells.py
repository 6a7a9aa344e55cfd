"""Cell parsing: Indonesian numbers, dates, choices, files (encodings, delimiters), slugs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from core.spreadsheet import (
    choice_parser,
    escape_formula,
    parse_date,
    parse_decimal,
    parse_int,
    read_csv,
    sniff_delimiter,
    unescape_formula,
)
from ikm.importing import SlugAllocator
from ikm.models import CommodityGroup, IKMUnit
from ikm.services import unique_slug
from tests.factories import UnitFactory


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1.500.000", Decimal("1500000")),
        ("Rp 1.500.000,00", Decimal("1500000.00")),
        ("Rp1.500.000", Decimal("1500000")),
        ("IDR 2.000", Decimal("2000")),
        ("1,5", Decimal("1.5")),
        ("1.5", Decimal("1.5")),
        ("1.500", Decimal("1500")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("-5", Decimal("-5")),
        ("(5.000)", Decimal("-5000")),
        (" 12 ", Decimal("12")),
        (1500000, Decimal("1500000")),
        (2.5, Decimal("2.5")),
        ("", None),
        (None, None),
    ],
)
def test_indonesian_numbers(cell, expected):
    assert parse_decimal(cell) == expected


@pytest.mark.parametrize("cell", ["abc", "1.2.3", "Rp", "1..5", "12a"])
def test_not_numbers(cell):
    with pytest.raises(ValueError):
        parse_decimal(cell)


def test_coordinates_keep_the_dot_as_decimal_point():
    assert parse_decimal("0.026", thousands_dot=False) == Decimal("0.026")
    assert parse_decimal("0.026") == Decimal("26")  # money: the dot groups thousands


def test_integers_refuse_fractions_and_negatives():
    assert parse_int("1.500.000") == 1_500_000
    with pytest.raises(ValueError, match="bulat"):
        parse_int("1,5")
    with pytest.raises(ValueError, match="negatif"):
        parse_int("-1")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("15/03/2024", datetime.date(2024, 3, 15)),
        ("15-03-2024", datetime.date(2024, 3, 15)),
        ("2024-03-15", datetime.date(2024, 3, 15)),
        ("45366", datetime.date(2024, 3, 15)),
        (45366, datetime.date(2024, 3, 15)),
        (datetime.datetime(2024, 3, 15, 0, 0), datetime.date(2024, 3, 15)),  # noqa: DTZ001
        ("", None),
    ],
)
def test_dates(cell, expected):
    assert parse_date(cell) == expected


def test_bad_date():
    with pytest.raises(ValueError, match="bukan tanggal"):
        parse_date("31/02/2024")


def test_choices_by_value_or_label_any_case():
    parse = choice_parser(CommodityGroup.choices)
    assert parse("Fesyen") == parse("FASHION") == parse("fashion") == "fashion"
    assert parse("produk logam") == parse("Produk_Logam") == "produk_logam"
    with pytest.raises(ValueError, match="pilihan"):
        parse("Elektronik")


def test_formula_escape_round_trip():
    for value in ["=1+1", "+62", "-5", "@x", "\tx", "\rx"]:
        assert escape_formula(value) == "'" + value
        assert unescape_formula(escape_formula(value)) == value
    assert escape_formula(-5) == -5
    assert escape_formula("Rp 5") == "Rp 5"
    assert unescape_formula("'biasa") == "'biasa"


def test_csv_encodings_and_delimiters():
    assert sniff_delimiter("NIB;Nama usaha;Harga (Rp)") == ";"
    assert sniff_delimiter("NIB,Nama usaha") == ","
    text = "Nama usaha;Harga (Rp)\r\nPâté;1.500,00\r\n;\r\n"
    for data in (
        text.encode("utf-8"),
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.encode("cp1252"),
    ):
        dataset = read_csv(data)
        assert dataset.headers == ["Nama usaha", "Harga (Rp)"]
        assert list(dataset) == [("Pâté", "1.500,00")]  # the blank line is dropped


def test_slug_allocator_follows_unique_slug(db):
    UnitFactory(slug="lempok-durian")
    UnitFactory(slug="lempok-durian-2")
    allocator = SlugAllocator(IKMUnit)
    assert unique_slug(IKMUnit, "Lempok Durian") == "lempok-durian-3"
    assert allocator.allocate("Lempok Durian") == "lempok-durian-3"
    assert allocator.allocate("Lempok  durian!") == "lempok-durian-4"  # the file's own rows too
    assert allocator.allocate("") == unique_slug(IKMUnit, "") == "item"
