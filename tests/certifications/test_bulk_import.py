"""Products and certificates import in bulk, as the admin's jobs run them (``bulk=True``): their
links and products are written set-based, history included, and the number of queries does not
grow with the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certifications.models import Certification
from certifications.resources import CertificationResource
from products.models import MarketplaceLink, Product
from products.resources import ProductResource
from tests.factories import DESA_SANGGAU, ProductFactory, UnitFactory
from tests.support.spreadsheets import make_csv

pytestmark = pytest.mark.django_db

PRODUCT_HEADERS = ["NIB unit", "Nama produk", "Kategori", "Harga (Rp)", "Shopee", "Tokopedia"]
CERT_HEADERS = ["Jenis", "Nomor", "Tanggal terbit", "NIB unit", "Produk"]
NIB = "9120000000001"


def bulk_import(resource_class, data, user, **kwargs):
    resource = resource_class(user=user, bulk=True, batch_size=2000)
    dataset = resource.read_dataset(data, "data.csv")
    return resource.import_data(dataset, **kwargs)


def product_rows(n, start=0, shop="lama"):
    return [
        [NIB, f"Produk {i}", "Makanan", "10.000", f"https://shopee.co.id/{shop}{i}", ""]
        for i in range(start, start + n)
    ]


def queries_of(resource_class, data, user) -> int:
    user.get_all_permissions()  # the user's permission cache, read once per user object
    with CaptureQueriesContext(connection) as ctx:
        result = bulk_import(resource_class, data, user)
    assert not result.has_errors() and not result.has_validation_errors(), result.error_report()
    return len(ctx.captured_queries)


def test_products_in_bulk_with_links_and_history(province_official):
    UnitFactory(nib=NIB, desa_id=DESA_SANGGAU)
    result = bulk_import(
        ProductResource, make_csv(PRODUCT_HEADERS, product_rows(3)), province_official
    )
    assert result.totals["new"] == 3
    assert set(MarketplaceLink.objects.values_list("platform", "url")) == {
        ("shopee", f"https://shopee.co.id/lama{i}") for i in range(3)
    }
    assert Product.history.filter(history_type="+", history_user=province_official).count() == 3
    # A second file replaces the Shopee links of the existing products and adds Tokopedia.
    rows = product_rows(3, shop="baru")
    rows[0][5] = "tokopedia.com/produk0"
    result = bulk_import(ProductResource, make_csv(PRODUCT_HEADERS, rows), province_official)
    assert result.totals["update"] == 3 and Product.objects.count() == 3
    assert set(MarketplaceLink.objects.values_list("platform", "url")) == {
        ("shopee", f"https://shopee.co.id/baru{i}") for i in range(3)
    } | {("tokopedia", "https://tokopedia.com/produk0")}
    # The same file again: nothing changes.
    again = bulk_import(ProductResource, make_csv(PRODUCT_HEADERS, rows), province_official)
    assert again.totals["skip"] == 3 and MarketplaceLink.objects.count() == 4


def test_product_queries_do_not_grow_with_rows(province_official):
    UnitFactory(nib=NIB, desa_id=DESA_SANGGAU)
    ProductFactory(unit__nib="9120000000099", name="Sudah ada")  # the loader reads some links
    ProductFactory(unit=Product.objects.get().unit, name="Produk awal")
    queries_of(ProductResource, make_csv(PRODUCT_HEADERS, product_rows(1, 1000)), province_official)
    few = queries_of(ProductResource, make_csv(PRODUCT_HEADERS, product_rows(5)), province_official)
    many = queries_of(
        ProductResource, make_csv(PRODUCT_HEADERS, product_rows(60, start=5)), province_official
    )
    assert Product.objects.count() == 68 and MarketplaceLink.objects.count() == 66
    assert many == few
    # Updating them all (links replaced) costs the same whatever the number of rows, too.
    update_few = queries_of(
        ProductResource, make_csv(PRODUCT_HEADERS, product_rows(5, shop="x")), province_official
    )
    update_many = queries_of(
        ProductResource, make_csv(PRODUCT_HEADERS, product_rows(60, 5, shop="x")), province_official
    )
    assert update_many == update_few
    assert MarketplaceLink.objects.filter(url__contains="/x").count() == 65


def cert_rows(n, start=0, products="Lempok; Madu"):
    return [
        ["Halal", f"ID61110000{i:08d}", "15/03/2024", NIB, products]
        for i in range(start, start + n)
    ]


def test_certificates_in_bulk_with_products_and_their_history(province_official):
    unit = UnitFactory(nib=NIB, desa_id=DESA_SANGGAU)
    lempok = ProductFactory(unit=unit, name="Lempok")
    madu = ProductFactory(unit=unit, name="Madu")
    result = bulk_import(
        CertificationResource, make_csv(CERT_HEADERS, cert_rows(2)), province_official
    )
    assert result.totals["new"] == 2
    cert = Certification.objects.get(number="ID6111000000000000")
    assert set(cert.products.all()) == {lempok, madu}
    record = cert.history.get()
    assert record.history_type == "+" and record.history_user == province_official
    assert {p.product_id for p in record.products.all()} == {lempok.pk, madu.pk}
    # Products changed in a second file: the through rows and a new history record follow.
    rows = cert_rows(2, products="Madu")
    result = bulk_import(CertificationResource, make_csv(CERT_HEADERS, rows), province_official)
    assert result.totals["update"] == 2
    assert list(cert.products.all()) == [madu]
    latest = cert.history.order_by("-history_id").first()
    assert latest.history_type == "~" and [p.product_id for p in latest.products.all()] == [madu.pk]
    again = bulk_import(CertificationResource, make_csv(CERT_HEADERS, rows), province_official)
    assert again.totals["skip"] == 2 and cert.history.count() == 2


def test_certificate_queries_do_not_grow_with_rows(province_official):
    unit = UnitFactory(nib=NIB, desa_id=DESA_SANGGAU)
    ProductFactory(unit=unit, name="Lempok")
    ProductFactory(unit=unit, name="Madu")
    queries_of(CertificationResource, make_csv(CERT_HEADERS, cert_rows(1, 1000)), province_official)
    few = queries_of(CertificationResource, make_csv(CERT_HEADERS, cert_rows(5)), province_official)
    many = queries_of(
        CertificationResource, make_csv(CERT_HEADERS, cert_rows(60, start=5)), province_official
    )
    assert Certification.objects.count() == 66
    assert Certification.products.through.objects.count() == 132
    assert many == few
    update_few = queries_of(
        CertificationResource,
        make_csv(CERT_HEADERS, cert_rows(5, products="Madu")),
        province_official,
    )
    update_many = queries_of(
        CertificationResource,
        make_csv(CERT_HEADERS, cert_rows(60, start=5, products="Madu")),
        province_official,
    )
    assert update_many == update_few
    assert Certification.products.through.objects.count() == 67  # 65 changed to Madu only


def test_bulk_certificate_file_with_a_bad_row_writes_nothing(province_official):
    UnitFactory(nib=NIB, desa_id=DESA_SANGGAU)
    rows = cert_rows(3, products="")
    rows[2][1] = "XX"
    result = bulk_import(CertificationResource, make_csv(CERT_HEADERS, rows), province_official)
    assert result.has_validation_errors()
    assert Certification.objects.count() == 0 and Certification.history.count() == 0
