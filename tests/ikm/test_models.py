"""Rules PostgreSQL itself enforces on regions, units and products; scale; sealed NIK."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from ikm import nik as nik_module
from ikm.models import IKMUnit, Region, Scale
from ikm.services import unit_set_nik
from products.models import Product
from tests.factories import DESA_SANGGAU, ProductFactory, UnitFactory

pytestmark = pytest.mark.django_db

KEL_SIANTAN_HULU = "61.71.04.1001"  # Kota Pontianak, Kec. Pontianak Utara


def refused(create) -> None:
    """``create()`` must be refused by the database (not by Python validation)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


# --- IKM unit constraints ----------------------------------------------------------------------
def test_duplicate_nib_refused():
    UnitFactory(nib="9120301234567")
    refused(lambda: UnitFactory(nib="9120301234567"))
    assert IKMUnit.objects.filter(nib="9120301234567").count() == 1
    assert IKMUnit.objects.count() == 1


@pytest.mark.parametrize("nib", ["912030123456", "91203012345AB", "9120-30123456", ""])
def test_nib_not_13_digits_refused(nib):
    refused(lambda: UnitFactory(nib=nib))
    assert not IKMUnit.objects.exists()


def test_many_units_without_nib_allowed():
    UnitFactory(nib=None)
    UnitFactory(nib=None)
    assert IKMUnit.objects.filter(nib__isnull=True).count() == 2


@pytest.mark.parametrize("code", ["61.03.01", "61.03", "61.71", "61"])
def test_unit_at_kecamatan_kabupaten_or_province_refused(code):
    region = Region.objects.get(code=code)
    refused(lambda: UnitFactory(desa=region))
    assert not IKMUnit.objects.exists()


@pytest.mark.parametrize("code", [DESA_SANGGAU, KEL_SIANTAN_HULU])
def test_unit_at_desa_or_kelurahan_allowed_and_region_codes_derived(code):
    unit = UnitFactory(desa=Region.objects.get(code=code))
    unit.refresh_from_db()
    assert unit.kabupaten_code == code[:5] and unit.kecamatan_code == code[:8]


@pytest.mark.parametrize(
    "fields",
    [
        {"investment": -1},
        {"production_value": -5},
        {"capacity": -1},
        {"year_established": 1800},
        {"latitude": 91},
        {"longitude": -181},
        {"kbli": "1079"},
    ],
)
def test_unit_value_checks(fields):
    refused(lambda: UnitFactory(**fields))
    assert not IKMUnit.objects.exists()


def test_negative_price_refused():
    unit = UnitFactory()
    refused(lambda: ProductFactory(unit=unit, price=-1))
    assert not Product.objects.exists()
    ProductFactory(unit=unit, price=0)  # free samples are fine
    assert Product.objects.count() == 1


def test_duplicate_slug_refused():
    UnitFactory(slug="lempok-durian-dara")
    refused(lambda: UnitFactory(slug="lempok-durian-dara"))
    assert IKMUnit.objects.count() == 1


# --- regions -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("61.03.01.2999", "kelurahan", "61.03.01"),  # 2xxx is a desa
        ("61.03.01.1999", "desa", "61.03.01"),  # 1xxx is a kelurahan
        ("61.50", "kota", "61"),  # kota codes are 71 and above
        ("61.73", "kabupaten", "61"),
        ("61.03.99", "desa", "61.03"),
        ("61.03.01.2999", "desa", "61.04.01"),  # parent is not the code's prefix
        ("61.3", "kabupaten", "61"),  # not a Kemendagri code
    ],
)
def test_region_level_or_parent_not_matching_code_refused(code, level, parent):
    before = Region.objects.count()
    refused(lambda: Region.objects.create(code=code, name="Uji", level=level, parent_id=parent))
    assert Region.objects.count() == before


# --- scale (Permenperin 64/M-IND/PER/7/2016) -------------------------------------------------
@pytest.mark.parametrize(
    ("workers", "investment", "scale"),
    [
        (19, 999_999_999, Scale.KECIL),
        (1, 0, Scale.KECIL),
        (19, 1_000_000_000, Scale.MENENGAH),
        (20, 999_999_999, Scale.MENENGAH),
        (20, 1_000_000_000, Scale.MENENGAH),
        (20, 15_000_000_000, Scale.MENENGAH),
        (19, 15_000_000_001, Scale.MENENGAH),  # <= 19 workers and >= Rp 1 miliar
        (20, 15_000_000_001, Scale.BESAR),
        (500, 90_000_000_000, Scale.BESAR),
        (None, 500_000_000, None),
        (10, None, None),
        (None, None, None),
    ],
)
def test_scale_at_each_threshold(workers, investment, scale):
    unit = UnitFactory(workers=workers, investment=investment)
    unit.refresh_from_db()
    assert unit.scale == scale
    assert unit.is_above_ikm is (scale == Scale.BESAR)
    assert IKMUnit.objects.filter(scale=scale).count() == 1


def test_scale_follows_updates_done_in_sql():
    unit = UnitFactory(workers=5, investment=100_000_000)
    IKMUnit.objects.filter(pk=unit.pk).update(workers=40, investment=20_000_000_000)
    unit.refresh_from_db()
    assert unit.scale == Scale.BESAR and unit.is_above_ikm


# --- NIK sealed at rest ----------------------------------------------------------------------
NIK = "6103014507800123"


def _unit_with_nik(nik: str, **kw) -> IKMUnit:
    unit = UnitFactory.build(**kw)
    unit_set_nik(unit, nik)
    unit.save()
    return unit


def test_nik_is_sealed_not_stored_in_clear():
    unit = _unit_with_nik(NIK)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM ikm_ikmunit WHERE id = %s", [unit.pk])
        row = cursor.fetchone()
    assert not any(NIK in str(value) for value in row)
    unit.refresh_from_db()
    assert NIK not in unit.nik_ciphertext and unit.nik_ciphertext
    assert len(unit.nik_digest) == 64 and NIK not in unit.nik_digest
    assert unit.nik_last4 == "0123"
    assert unit.nik_masked == "************0123"
    assert nik_module.unseal(unit.nik_ciphertext) == NIK


def test_same_nik_seals_differently_but_digest_is_unique():
    a = _unit_with_nik(NIK)
    b = UnitFactory.build()
    unit_set_nik(b, "6103 0145 0780 0123")  # spaces are normalised away
    assert b.nik_digest == a.nik_digest
    assert b.nik_ciphertext != a.nik_ciphertext  # Fernet is randomised
    refused(b.save)
    assert IKMUnit.objects.count() == 1


def test_units_without_nik_do_not_clash():
    UnitFactory()
    UnitFactory()
    assert IKMUnit.objects.filter(nik_digest="").count() == 2


@pytest.mark.parametrize("bad", ["123", "61030145078001234", "61030145O7800123"])
def test_bad_nik_refused_with_message(bad):
    unit = UnitFactory.build()
    with pytest.raises(ValidationError) as err:
        unit_set_nik(unit, bad)
    assert err.value.messages == ["NIK harus 16 digit angka."]
    assert unit.nik_digest == ""
