"""Importing products (marketplace links) and certifications (number formats, OVOP)."""

from __future__ import annotations

import datetime

from certifications.models import Certification
from certifications.resources import CertificationResource
from products.models import MarketplaceLink, Product
from products.resources import ProductResource
from tests.factories import DESA_KETAPANG, DESA_SANGGAU, ProductFactory, UnitFactory
from tests.support.spreadsheets import errors_of, make_csv, run_import

PRODUCT_HEADERS = [
    "NIB unit",
    "Nama produk",
    "Kategori",
    "Harga (Rp)",
    "Satuan",
    "Deskripsi",
    "Tayang",
    "Shopee",
    "Tokopedia",
]


def test_products_import_with_links_and_history(province_official):
    unit = UnitFactory(nib="9120000000001", desa_id=DESA_SANGGAU)
    rows = [
        [
            "9120000000001",
            "Lempok Durian 250 g",
            "Makanan",
            "Rp 35.000",
            "Kotak",
            "Lempok asli Sanggau",
            "ya",
            "https://shopee.co.id/lempok",
            "tokopedia.com/lempok",
        ],
        ["9120000000001", "Madu Hutan", "herbal", "120.000", "botol", "", "tidak", "", ""],
    ]
    result = run_import(ProductResource, make_csv(PRODUCT_HEADERS, rows), user=province_official)
    assert not result.has_validation_errors(), result.error_report()
    lempok = Product.objects.get(name="Lempok Durian 250 g")
    assert (lempok.unit, lempok.price, lempok.price_unit, lempok.is_published) == (
        unit,
        35_000,
        "kotak",
        True,
    )
    assert lempok.slug == "lempok-durian-250-g"
    assert set(lempok.marketplace_links.values_list("platform", "url")) == {
        ("shopee", "https://shopee.co.id/lempok"),
        ("tokopedia", "https://tokopedia.com/lempok"),
    }
    assert Product.history.filter(history_type="+", history_user=province_official).count() == 2
    # Idempotent.
    again = run_import(ProductResource, make_csv(PRODUCT_HEADERS, rows), user=province_official)
    assert again.totals["skip"] == 2 and again.totals["new"] == 0 and again.totals["update"] == 0
    assert Product.history.count() == 2 and MarketplaceLink.objects.count() == 2


def test_products_bad_rows_write_nothing(province_official):
    UnitFactory(nib="9120000000001", desa_id=DESA_SANGGAU)
    rows = [
        ["9120000000001", "Produk Baik", "Makanan", "10.000", "pcs", "", "ya", "", ""],
        ["9120000000001", "Harga Minus", "Makanan", "-5.000", "pcs", "", "ya", "", ""],
        [
            "9129999999999",
            "Unit Entah",
            "Makanan",
            "1",
            "pcs",
            "",
            "ya",
            "https://evil.example/x",
            "",
        ],
    ]
    result = run_import(ProductResource, make_csv(PRODUCT_HEADERS, rows), user=province_official)
    errors = errors_of(result)
    assert "negatif" in errors[(3, "Harga (Rp)")]
    assert "9129999999999" in errors[(4, "NIB unit")]
    assert "bukan alamat Shopee" in errors[(4, "Shopee")]
    assert not Product.objects.exists()


def test_product_of_other_region_refused(official_sanggau):
    UnitFactory(nib="9120000000002", desa_id=DESA_KETAPANG)
    rows = [["9120000000002", "Amplang", "Makanan", "10.000", "pcs", "", "ya", "", ""]]
    result = run_import(ProductResource, make_csv(PRODUCT_HEADERS, rows), user=official_sanggau)
    assert "di luar wilayah kerja" in errors_of(result)[(2, "NIB unit")]
    assert not Product.objects.exists()


CERT_HEADERS = [
    "Jenis",
    "Nomor",
    "Penerbit",
    "Tanggal terbit",
    "Berlaku sampai",
    "Bintang OVOP",
    "Tahun OVOP",
    "NIB unit",
    "Produk",
]


def test_certifications_import(province_official):
    unit = UnitFactory(nib="9120000000001", desa_id=DESA_SANGGAU)
    ProductFactory(unit=unit, name="Lempok Durian")
    rows = [
        [
            "Halal",
            "ID 6111 0000 1234 5678",
            "",
            "15/03/2024",
            "",
            "",
            "",
            "9120000000001",
            "Lempok Durian",
        ],
        [
            "OVOP",
            "KEP/12/IKMA/2023",
            "Kemenperin",
            "2023-08-01",
            "",
            "4",
            "2023",
            "9120000000001",
            "",
        ],
        ["spp_irt", "2066171010123", "", "45292", "01/01/2029", "", "", "9120000000001", ""],
    ]
    result = run_import(CertificationResource, make_csv(CERT_HEADERS, rows), user=province_official)
    assert not result.has_validation_errors(), result.error_report()
    halal = Certification.objects.get(type="halal")
    assert halal.number == "ID61110000123456 78".replace(" ", "")
    assert halal.issuer == "BPJPH" and halal.issued_on == datetime.date(2024, 3, 15)
    assert list(halal.products.values_list("name", flat=True)) == ["Lempok Durian"]
    ovop = Certification.objects.get(type="ovop")
    assert (ovop.ovop_stars, ovop.ovop_year) == (4, 2023)
    pirt = Certification.objects.get(type="spp_irt")
    assert pirt.issued_on == datetime.date(2024, 1, 1)  # Excel serial 45292
    assert pirt.valid_until == datetime.date(2029, 1, 1)
    assert Certification.history.filter(history_user=province_official).count() >= 3
    again = run_import(CertificationResource, make_csv(CERT_HEADERS, rows), user=province_official)
    assert again.totals["skip"] == 3, again.error_report()


def test_certifications_bad_rows(province_official):
    UnitFactory(nib="9120000000001", desa_id=DESA_SANGGAU)
    rows = [
        ["Halal", "XX123", "", "15/03/2024", "", "", "", "9120000000001", ""],
        ["OVOP", "KEP/12/IKMA/2023", "", "01/08/2023", "", "", "", "9120000000001", ""],
        ["Merek", "IDM000123456", "", "01/08/2023", "01/01/2020", "3", "", "9120000000001", ""],
        ["Jimat", "123", "", "kemarin", "", "", "", "9120000000001", ""],
    ]
    result = run_import(CertificationResource, make_csv(CERT_HEADERS, rows), user=province_official)
    errors = errors_of(result)
    assert "ID" in errors[(2, "Nomor")]
    assert "bintang" in errors[(3, "Bintang OVOP")]
    assert "sebelum tanggal terbit" in errors[(4, "Berlaku sampai")]
    assert "hanya untuk sertifikat OVOP" in errors[(4, "Bintang OVOP")]
    assert "tidak dikenal" in errors[(5, "Jenis")]
    assert "bukan tanggal" in errors[(5, "Tanggal terbit")]
    assert not Certification.objects.exists()
