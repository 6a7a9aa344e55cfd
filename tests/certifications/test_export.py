"""Exports: only in-scope rows, NIK only with ikm.view_nik (and then logged), formula escaping,
XLSX round trip."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from core.spreadsheet import CSV, XLSX, read_file
from ikm.models import IKMUnit, PersonalDataExport
from ikm.resources import IKMUnitResource
from ikm.services import unit_set_nik
from products.models import Product
from products.resources import ProductResource
from tests.factories import DESA_KETAPANG, DESA_SANGGAU, ProductFactory, UnitFactory
from tests.support.spreadsheets import run_import


def export(resource, file_format, queryset=None, **kwargs):
    dataset = resource.export(queryset, export_format=file_format.get_extension(), **kwargs)
    return file_format.export_data(dataset)


def csv_rows(data: str) -> list[list[str]]:
    assert data.startswith("\ufeff")
    return list(csv.reader(io.StringIO(data[1:])))


def xlsx_rows(data: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [list(r) for r in book.active.iter_rows(values_only=True)]


@pytest.fixture
def units_two_regions(db):
    sanggau = UnitFactory(nib="9120000000001", name="Lempok Sanggau", desa_id=DESA_SANGGAU)
    unit_set_nik(sanggau, "6103014501800001")
    sanggau.owner_address = "Jl. Rumah 1"
    sanggau.owner_phone = "081234"
    sanggau.save()
    ketapang = UnitFactory(nib="9120000000002", name="Amplang Ketapang", desa_id=DESA_KETAPANG)
    return sanggau, ketapang


def test_export_for_kabupaten_official_has_only_their_rows(units_two_regions, official_sanggau):
    rows = csv_rows(export(IKMUnitResource(user=official_sanggau), CSV()))
    header, body = rows[0], rows[1:]
    names = [r[header.index("Nama usaha")] for r in body]
    assert names == ["Lempok Sanggau"]
    assert body[0][header.index("Kab/Kota")] == "Kabupaten Sanggau"
    assert body[0][header.index("Kode wilayah")] == DESA_SANGGAU


def test_product_export_scoped(units_two_regions, official_ketapang):
    ProductFactory(unit=units_two_regions[0], name="Lempok 250 g")
    ProductFactory(unit=units_two_regions[1], name="Amplang 100 g")
    rows = csv_rows(export(ProductResource(user=official_ketapang), CSV()))
    assert [r[rows[0].index("Nama produk")] for r in rows[1:]] == ["Amplang 100 g"]


def test_nik_absent_without_permission(units_two_regions, province_official):
    data = export(IKMUnitResource(user=province_official), CSV())
    header = csv_rows(data)[0]
    for column in ("NIK", "Alamat rumah pemilik", "Telepon pribadi pemilik"):
        assert column not in header
    assert "6103014501800001" not in data and "Jl. Rumah 1" not in data
    assert not PersonalDataExport.objects.exists()
    # XLSX too.
    xrows = xlsx_rows(export(IKMUnitResource(user=province_official), XLSX()))
    assert "NIK" not in xrows[0]


def test_nik_present_and_logged_with_permission(units_two_regions, nik_viewer):
    data = export(IKMUnitResource(user=nik_viewer), CSV())
    rows = csv_rows(data)
    header = rows[0]
    by_name = {r[header.index("Nama usaha")]: r for r in rows[1:]}
    assert by_name["Lempok Sanggau"][header.index("NIK")] == "6103014501800001"
    assert by_name["Lempok Sanggau"][header.index("Alamat rumah pemilik")] == "Jl. Rumah 1"
    log = PersonalDataExport.objects.get()
    assert log.user == nik_viewer
    assert log.model == "ikm.IKMUnit"
    assert log.file_format == "csv"
    assert log.row_count == 2


def test_formula_escaping_csv_and_xlsx(db, province_official):
    unit = UnitFactory(
        nib="9120000000003",
        name="=1+1",
        owner_name="@x",
        address="-5 Jalan",
        description="\tx",
        capacity_unit="\rkg",
        whatsapp="+6281234567890",
        desa_id=DESA_SANGGAU,
        workers=5,
    )
    ProductFactory(unit=unit, name='=HYPERLINK("http://evil")', price=15000)
    # CSV read as text: every dangerous cell starts with a quote.
    data = export(IKMUnitResource(user=province_official), CSV())
    rows = csv_rows(data)
    header, row = rows[0], rows[1]
    assert row[header.index("Nama usaha")] == "'=1+1"
    assert row[header.index("Nama pemilik")] == "'@x"
    assert row[header.index("Alamat usaha")] == "'-5 Jalan"
    assert row[header.index("Deskripsi usaha")] == "'\tx"
    assert row[header.index("Satuan kapasitas")] == "'\rkg"
    assert row[header.index("WhatsApp")] == "'+6281234567890"
    # XLSX read with openpyxl: text escaped, numbers stay numbers.
    xrows = xlsx_rows(export(IKMUnitResource(user=province_official), XLSX()))
    xh, xr = xrows[0], xrows[1]
    assert xr[xh.index("Nama usaha")] == "'=1+1"
    assert xr[xh.index("WhatsApp")] == "'+6281234567890"
    assert xr[xh.index("Tenaga kerja")] == 5 and isinstance(xr[xh.index("Tenaga kerja")], int)
    prows = xlsx_rows(export(ProductResource(user=province_official), XLSX()))
    assert prows[1][prows[0].index("Nama produk")] == '\'=HYPERLINK("http://evil")'
    assert prows[1][prows[0].index("Harga (Rp)")] == 15000
    # Stored values unchanged.
    unit.refresh_from_db()
    assert unit.name == "=1+1" and unit.whatsapp == "+6281234567890"


def test_negative_number_stays_numeric_in_xlsx():
    import tablib

    dataset = tablib.Dataset(headers=["Teks", "Angka", "Desimal"])
    from decimal import Decimal

    dataset.append(["-5", -5, Decimal("-1.25")])
    rows = xlsx_rows(XLSX().export_data(dataset))
    assert rows[1] == ["'-5", -5, -1.25]
    text = CSV().export_data(dataset)
    assert csv_rows(text)[1] == ["'-5", "-5", "-1.25"]


def test_xlsx_round_trip_changes_nothing(db, nik_viewer):
    unit = UnitFactory(
        nib="9120000000004",
        name="=Keramik Sakkok",
        desa_id="61.72.01.1001",
        whatsapp="+6281123456789",
        address="Kel. Sedau",
        latitude="0.906000",
        longitude="108.987654",
        capacity="1500.50",
        capacity_unit="pcs",
        workers=7,
        investment=150_000_000,
    )
    unit_set_nik(unit, "6172010101900002")
    unit.save()
    guci = ProductFactory(unit=unit, name="Guci Naga", price=1_250_000)
    from certifications.resources import CertificationResource
    from tests.factories import CertificationFactory

    cert = CertificationFactory(unit=unit, valid_until="2030-05-01")
    cert.products.add(guci)
    CertificationFactory(
        unit=unit, type="ovop", number="KEP/7/IKMA/2023", ovop_stars=4, ovop_year=2023
    )
    history = IKMUnit.history.count()
    for resource_class in (IKMUnitResource, ProductResource, CertificationResource):
        data = export(resource_class(user=nik_viewer), XLSX())
        result = run_import(resource_class, data, user=nik_viewer, filename="export.xlsx")
        assert not result.has_validation_errors(), result.error_report()
        assert result.totals["new"] == 0 and result.totals["update"] == 0
    unit.refresh_from_db()
    assert unit.name == "=Keramik Sakkok" and unit.whatsapp == "+6281123456789"
    assert IKMUnit.history.count() == history
    assert Product.objects.count() == 1


def test_csv_round_trip_changes_nothing(db, province_official):
    UnitFactory(nib="9120000000005", name="-Minus", desa_id=DESA_SANGGAU, capacity="2.75")
    data = export(IKMUnitResource(user=province_official), CSV())
    dataset = read_file(data.encode("utf-8"), "x.csv")
    result = IKMUnitResource(user=province_official).import_data(dataset)
    assert not result.has_validation_errors(), result.error_report()
    assert result.totals["skip"] == 1 and result.totals["update"] == 0
