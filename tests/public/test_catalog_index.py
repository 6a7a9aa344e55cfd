"""The catalog index (public/models.py) is kept in step by the database triggers (issue 11)."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db import connection

from certifications.models import CertificationType
from ikm.models import Region
from public.models import CatalogCount, CatalogRow, UnitCount
from tests.factories import CertificationFactory, MarketplaceLinkFactory, ProductFactory

pytestmark = pytest.mark.django_db


def row(product):
    return CatalogRow.objects.filter(pk=product.pk).first()


def assert_counts_match_rows():
    """The count tables equal a GROUP BY of what they count, and no row is missing or extra."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT product_id FROM public_catalog_source ORDER BY 1")
        source = [r[0] for r in cursor.fetchall()]
    assert sorted(CatalogRow.objects.values_list("pk", flat=True)) == source
    expected = Counter(
        (r.category, r.desa, tuple(r.certs), r.marketplace) for r in CatalogRow.objects.all()
    )
    stored = Counter(
        {
            (c.category, c.desa, tuple(c.certs), c.marketplace): c.n
            for c in CatalogCount.objects.filter(n__gt=0)
        }
    )
    assert stored == expected
    assert not CatalogCount.objects.filter(n__lt=0).exists()
    from ikm.models import IKMUnit

    units = Counter(IKMUnit.objects.filter(verified=True).values_list("desa_id", flat=True))
    assert {u.desa: u.n for u in UnitCount.objects.filter(n__gt=0)} == dict(units)


def test_rows_follow_products(catalog_data):
    lempok = catalog_data.products["lempok"]
    r = row(lempok)
    assert (r.category, r.kab, r.kec, r.desa) == (
        lempok.category,
        "61.03",
        lempok.unit.desa_id[:8],
        lempok.unit.desa_id,
    )
    assert r.certs == ["halal", "ovop", "ovop:4"] and r.marketplace is True
    assert row(catalog_data.products["draft"]) is None  # not published
    assert row(catalog_data.products["hidden"]) is None  # unit not verified
    assert_counts_match_rows()

    lempok.name = "Lempok Durian Super"
    lempok.price = 50_000
    lempok.save()
    r = row(lempok)
    assert r.price == 50_000
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vector @@ plainto_tsquery('indonesian', 'super') FROM public_catalogrow "
            "WHERE product_id = %s",
            [lempok.pk],
        )
        assert cursor.fetchone()[0] is True

    draft = catalog_data.products["draft"]
    draft.is_published = True
    draft.save()
    assert row(draft) is not None
    lempok.is_published = False
    lempok.save()
    assert row(lempok) is None
    assert_counts_match_rows()

    new = ProductFactory(unit=catalog_data.units["amplang"], name="Amplang Baru", slug="amplang-b")
    assert row(new) is not None
    new.delete()
    assert not CatalogRow.objects.filter(pk=new.pk).exists()
    assert_counts_match_rows()


def test_rows_follow_units(catalog_data):
    unit = catalog_data.units["lempok"]
    ids = list(unit.products.filter(is_published=True).values_list("pk", flat=True))
    unit.verified = False
    unit.save()
    assert not CatalogRow.objects.filter(pk__in=ids).exists()
    assert_counts_match_rows()
    unit.verified = True
    unit.desa = Region.objects.get(code="61.04.01.2011")
    unit.save()
    assert set(CatalogRow.objects.filter(pk__in=ids).values_list("kab", flat=True)) == {"61.04"}
    assert_counts_match_rows()

    hidden = catalog_data.units["hidden"]
    hidden.verified = True
    hidden.save()
    assert row(catalog_data.products["hidden"]) is not None
    assert_counts_match_rows()


def test_rows_follow_certificates_and_links(catalog_data):
    tikar = catalog_data.products["tikar"]
    assert row(tikar).certs == [] and row(tikar).marketplace is False
    cert = CertificationFactory(
        unit=tikar.unit, type=CertificationType.MEREK, number="IDM000999", issuer="DJKI"
    )
    cert.products.add(tikar)
    assert row(tikar).certs == ["merek"]
    cert.revoked_at = datetime.date(2025, 1, 1)
    cert.save()
    assert row(tikar).certs == []
    cert.revoked_at = None
    cert.valid_until = datetime.date(2030, 1, 31)
    cert.save()
    assert row(tikar).certs == ["merek"]
    assert row(tikar).certs_until == datetime.date(2030, 2, 1)  # the first day it stops counting
    cert.products.remove(tikar)
    assert row(tikar).certs == [] and row(tikar).certs_until is None
    cert.products.add(tikar)
    cert.products.clear()
    assert row(tikar).certs == []

    link = MarketplaceLinkFactory(product=tikar)
    assert row(tikar).marketplace is True
    link.delete()
    assert row(tikar).marketplace is False
    assert_counts_match_rows()


def test_expired_certificates_leave_the_rows_on_the_daily_refresh(catalog_data):
    lempok = catalog_data.products["lempok"]
    halal = catalog_data.certs["halal_lempok"]
    # As if the certificate had expired overnight (no write happened since).
    CatalogRow.objects.filter(pk=lempok.pk).update(certs_until=datetime.date(2000, 1, 1))
    with connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL session_replication_role = replica;"  # no trigger fires
            "UPDATE certifications_certification SET valid_until = issued_on WHERE id = %s;"
            "SET LOCAL session_replication_role = origin;",
            [halal.pk],
        )
    assert "halal" in row(lempok).certs  # stale until the refresh
    from public.tasks import expire_certificates

    assert expire_certificates() == 1
    assert row(lempok).certs == ["ovop", "ovop:4"]
    assert_counts_match_rows()


def test_rebuild_gives_the_same_rows(catalog_data):
    before = {r.pk: (r.category, r.desa, r.certs, r.marketplace) for r in CatalogRow.objects.all()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT public_catalog_rebuild()")
    after = {r.pk: (r.category, r.desa, r.certs, r.marketplace) for r in CatalogRow.objects.all()}
    assert after == before and len(after) == 6
    assert_counts_match_rows()
