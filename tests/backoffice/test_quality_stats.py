"""Data-quality lists and the statistics export: right rows, scoped, formula-safe files."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from backoffice import quality, stats
from ikm.models import IKMUnit, Region, UnitClaim
from ikm.services import unit_set_nik
from tests.factories import (
    DESA_KETAPANG,
    DESA_SANGGAU,
    CertificationFactory,
    ProductFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def pks(items) -> set:
    return {i.pk for i in items}


# --- duplicates --------------------------------------------------------------------------------
def test_duplicates_same_name_in_same_desa(world, province_official):
    """Same NIB and same NIK are refused by the database (unique constraints); the same name in
    the same desa is the duplicate officials actually meet."""
    twin = UnitFactory(name="  lempok durian SANGGAU ", nib=None)  # same desa as unit_sanggau
    elsewhere = UnitFactory(
        name="Lempok Durian Sanggau", desa=Region.objects.get(code=DESA_KETAPANG)
    )
    a = UnitFactory(name="Madu A")
    unit_set_nik(a, "6103014501900002")
    a.save()
    groups = quality.duplicate_unit_groups(province_official)
    by_reason = {(g.reason, frozenset(u.pk for u in g.units)) for g in groups}
    assert by_reason == {
        ("Nama sama di desa/kelurahan yang sama", frozenset({world.unit_sanggau.pk, twin.pk})),
    }
    assert elsewhere.pk not in {u.pk for g in groups for u in g.units}


def test_duplicates_are_scoped(world, official_ketapang, official_sanggau):
    UnitFactory(name="Lempok Durian Sanggau")
    assert quality.duplicate_unit_groups(official_ketapang) == []
    assert len(quality.duplicate_unit_groups(official_sanggau)) == 1


def test_duplicates_page(client, world, official_sanggau):
    twin = UnitFactory(name="LEMPOK DURIAN SANGGAU")
    client.force_login(official_sanggau)
    html = client.get(reverse("admin:quality_duplicates")).content.decode()
    assert f'data-pk="{twin.pk}"' in html and f'data-pk="{world.unit_sanggau.pk}"' in html


# --- missing fields ----------------------------------------------------------------------------
def test_units_missing_fields(world, province_official):
    no_nib = UnitFactory(nib=None, whatsapp="628123", desa=Region.objects.get(code=DESA_SANGGAU))
    ProductFactory(unit=no_nib)
    no_size = UnitFactory(nib="6103000000077", workers=None, whatsapp="628123")
    ProductFactory(unit=no_size)
    complete = UnitFactory(nib="6103000000078", whatsapp="628123")
    ProductFactory(unit=complete)
    # world units: NIB, size, a product, but no contact at all
    rows = {
        u.pk: quality.annotate_missing(u) for u in quality.units_missing_fields(province_official)
    }
    assert rows == {
        no_nib.pk: ["NIB"],
        no_size.pk: ["tenaga kerja/investasi"],
        world.unit_sanggau.pk: ["kontak"],
        world.unit_ketapang.pk: ["kontak"],
    }
    no_products = UnitFactory(nib="6103000000079", whatsapp="628123")
    rows = {
        u.pk: quality.annotate_missing(u) for u in quality.units_missing_fields(province_official)
    }
    assert rows[no_products.pk] == ["produk"]
    assert complete.pk not in rows


def test_missing_page_is_scoped(client, world, official_ketapang):
    client.force_login(official_ketapang)
    response = client.get(reverse("admin:quality_missing"))
    assert {u.pk for u, _m in response.context["rows"]} == {world.unit_ketapang.pk}


# --- expiring certificates ---------------------------------------------------------------------
def test_certifications_expiring_windows(world, province_official):
    today = timezone.localdate()
    unit = world.unit_sanggau
    in_45 = CertificationFactory(unit=unit, valid_until=today + datetime.timedelta(days=45))
    in_90 = CertificationFactory(unit=unit, valid_until=today + datetime.timedelta(days=90))
    CertificationFactory(unit=unit, valid_until=today + datetime.timedelta(days=91))
    CertificationFactory(unit=unit, valid_until=today - datetime.timedelta(days=1))  # expired
    CertificationFactory(unit=unit, valid_until=None)  # halal without end date
    CertificationFactory(
        unit=unit, valid_until=today + datetime.timedelta(days=5), revoked_at=today
    )
    both_20 = {world.cert_sanggau.pk, world.cert_ketapang.pk}
    assert pks(quality.certifications_expiring(province_official, days=30)) == both_20
    assert pks(quality.certifications_expiring(province_official, days=60)) == both_20 | {in_45.pk}
    assert pks(quality.certifications_expiring(province_official, days=90)) == both_20 | {
        in_45.pk,
        in_90.pk,
    }


def test_expiring_page_is_scoped(client, world, official_sanggau):
    client.force_login(official_sanggau)
    response = client.get(reverse("admin:quality_expiring") + "?hari=60")
    assert pks(response.context["page"].object_list) == {world.cert_sanggau.pk}
    assert response.context["days"] == 60
    # A window not offered falls back to 30 days rather than failing.
    assert client.get(reverse("admin:quality_expiring") + "?hari=abc").context["days"] == 30


# --- waiting for verification ------------------------------------------------------------------
def test_units_and_claims_waiting(client, world, official_ketapang, province_official):
    IKMUnit.objects.filter(pk__in=[world.unit_sanggau.pk, world.unit_ketapang.pk]).update(
        verified=False
    )
    claimant = UserFactory(username="pemilik_klaim")
    claim_s = UnitClaim.objects.create(unit=world.unit_sanggau, user=claimant)
    claim_k = UnitClaim.objects.create(unit=world.unit_ketapang, user=claimant)
    UnitClaim.objects.create(
        unit=world.unit_ketapang, user=UserFactory(), status=UnitClaim.Status.REJECTED
    )
    assert pks(quality.units_awaiting_verification(province_official)) == {
        world.unit_sanggau.pk,
        world.unit_ketapang.pk,
    }
    assert pks(quality.claims_awaiting_verification(province_official)) == {
        claim_s.pk,
        claim_k.pk,
    }
    client.force_login(official_ketapang)
    response = client.get(reverse("admin:quality_waiting"))
    assert pks(response.context["page"].object_list) == {world.unit_ketapang.pk}
    assert pks(response.context["claims"]) == {claim_k.pk}
    counts = client.get(reverse("admin:quality_index")).context["counts"]
    assert counts == {
        "duplicates": 0,
        "missing": 1,
        "expiring": 1,
        "units_waiting": 1,
        "claims_waiting": 1,
    }


# --- statistics --------------------------------------------------------------------------------
def _stats_world(world):
    UnitFactory(workers=30, investment=2_000_000_000, commodity_group="kerajinan")  # menengah
    UnitFactory(verified=False)  # not public
    UnitFactory(workers=None)  # scale unknown
    CertificationFactory(unit=world.unit_sanggau, type="merek", number="IDM000123456")
    CertificationFactory(
        unit=world.unit_sanggau,
        valid_until=timezone.localdate() - datetime.timedelta(days=3),
        issued_on=datetime.date(2020, 1, 1),
    )  # expired: not counted


def test_kabupaten_statistics_figures(world):
    _stats_world(world)
    figures = stats.kabupaten_statistics()
    rows = {r.code: r for r in figures.rows}
    assert len(rows) == 14
    sanggau = rows["61.03"]
    # verified: the world unit (kecil), the menengah one, the one without workers
    assert sanggau.units == 3
    assert sanggau.by_scale == {"kecil": 1, "menengah": 1, "besar": 0, "tidak_diketahui": 1}
    assert sanggau.by_group["kerajinan"] == 1 and sanggau.by_group["makanan"] == 2
    certs = (sanggau.certificates, sanggau.by_cert_type["merek"], sanggau.by_cert_type["halal"])
    assert certs == (2, 1, 1)  # the expired certificate is not counted
    assert rows["61.04"].units == 1 and rows["61.71"].units == 0
    assert figures.total.units == 4 and figures.total.certificates == 3
    everything = stats.kabupaten_statistics(verified_only=False)
    assert {r.code: r for r in everything.rows}["61.03"].units == 4


def test_statistics_are_scoped_for_a_kabupaten_official(world, official_ketapang):
    figures = stats.kabupaten_statistics(official_ketapang)
    assert [r.code for r in figures.rows] == ["61.04"]
    assert figures.total.units == 1


def test_statistics_query_count(world, django_assert_num_queries):
    with django_assert_num_queries(3):
        stats.kabupaten_statistics()


def test_statistics_csv_and_xlsx_downloads(client, world, province_official):
    _stats_world(world)
    client.force_login(province_official)
    url = reverse("admin:statistics")
    response = client.get(url + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Kode wilayah", "Kabupaten/kota", "Jumlah unit"]
    assert len(rows) == 1 + 14 + 1
    sanggau = next(r for r in rows if r[0] == "61.03")
    assert sanggau[1:3] == ["Kabupaten Sanggau", "3"]
    response = client.get(url + "?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][1] == "Kabupaten/kota"
    xlsx_sanggau = next(r for r in values if r[0] == "61.03")
    assert xlsx_sanggau[2] == 3  # a number, not text
    assert values[-1][1] == "Jumlah" and values[-1][2] == 4


def test_statistics_download_is_scoped(client, world, official_sanggau):
    client.force_login(official_sanggau)
    text = client.get(reverse("admin:statistics") + "?format=csv").content.decode("utf-8-sig")
    codes = [r[0] for r in csv.reader(io.StringIO(text))][1:]
    assert codes == ["61.03", ""]  # Sanggau, then the total row


@pytest.mark.parametrize("dangerous", ["=1+2", "+62", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_statistics_dataset_escapes_formula_cells(dangerous):
    from certifications.models import CertificationType
    from ikm.models import CommodityGroup

    def figures(code, name, units):
        return stats.KabupatenStats(
            code=code,
            name=name,
            units=units,
            by_scale=dict.fromkeys(stats._scale_keys(), 0),
            by_group={g.value: 0 for g in CommodityGroup},
            by_cert_type={t.value: 0 for t in CertificationType},
        )

    rows = [figures("61.03", dangerous, -5), figures("61.04", "Ketapang", 2)]
    dataset = stats.statistics_dataset(stats.Statistics(rows, figures("", "Jumlah", 0), True))
    assert dataset[0][1] == "'" + dangerous
    assert dataset[1][1] == "Ketapang"
    assert dataset[0][2] == -5  # numbers stay numbers
