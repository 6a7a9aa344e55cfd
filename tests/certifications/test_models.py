"""Certificates: database constraints, number formats, and a status that follows from the dates."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from certifications.formats import validate_number
from certifications.models import Certification, CertificationStatus, CertificationType
from tests.factories import CertificationFactory, UnitFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)


def refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.fixture
def unit():
    return UnitFactory()


def test_duplicate_type_and_number_refused(unit):
    CertificationFactory(unit=unit, type="merek", number="IDM000123456")
    refused(lambda: CertificationFactory(unit=unit, type="merek", number="IDM000123456"))
    assert Certification.objects.count() == 1
    # The same number under another type is another certificate.
    CertificationFactory(unit=unit, type="hak_cipta", number="IDM000123456")
    assert Certification.objects.count() == 2


@pytest.mark.parametrize("stars", [0, 6])
def test_ovop_stars_outside_1_to_5_refused(unit, stars):
    refused(
        lambda: CertificationFactory(
            unit=unit, type="ovop", number="12/IKMA/2025", ovop_stars=stars, ovop_year=2025
        )
    )
    assert not Certification.objects.exists()


@pytest.mark.parametrize("stars", [1, 5])
def test_ovop_stars_1_to_5_accepted(unit, stars):
    CertificationFactory(
        unit=unit, type="ovop", number=f"{stars}/IKMA/2025", ovop_stars=stars, ovop_year=2025
    )
    assert Certification.objects.filter(ovop_stars=stars).count() == 1


def test_ovop_without_year_and_stars_on_other_types_refused(unit):
    refused(
        lambda: CertificationFactory(unit=unit, type="ovop", number="1/IKMA/2025", ovop_stars=3)
    )
    refused(lambda: CertificationFactory(unit=unit, type="halal", ovop_stars=3, ovop_year=2025))
    assert not Certification.objects.exists()


def test_valid_until_before_issue_refused(unit):
    refused(
        lambda: CertificationFactory(
            unit=unit, issued_on=datetime.date(2025, 5, 1), valid_until=datetime.date(2025, 4, 30)
        )
    )
    assert not Certification.objects.exists()
    CertificationFactory(
        unit=unit, issued_on=datetime.date(2025, 5, 1), valid_until=datetime.date(2025, 5, 1)
    )
    assert Certification.objects.count() == 1


def test_blank_number_refused(unit):
    refused(lambda: CertificationFactory(unit=unit, number=""))
    assert not Certification.objects.exists()


# --- status ------------------------------------------------------------------------------------
@pytest.fixture
def certs(unit):
    make = CertificationFactory
    return {
        "halal_new": make(unit=unit, number="ID61110000000010424", valid_until=None),
        "active": make(
            unit=unit,
            type="spp_irt",
            number="210610300000129",
            issued_on=datetime.date(2024, 1, 1),
            valid_until=datetime.date(2029, 1, 1),
        ),
        "expired": make(
            unit=unit,
            number="ID61110000000020519",
            issued_on=datetime.date(2019, 5, 1),
            valid_until=datetime.date(2023, 5, 1),
        ),
        "last_day": make(
            unit=unit,
            type="merek",
            number="IDM000480001",
            issued_on=datetime.date(2016, 6, 1),
            valid_until=DAY,
        ),
        "revoked": make(
            unit=unit,
            number="ID61110000000030324",
            issued_on=datetime.date(2024, 3, 1),
            valid_until=None,
            revoked_at=datetime.date(2025, 11, 3),
            revoked_reason="Komposisi bahan berubah.",
        ),
        "revoked_and_expired": make(
            unit=unit,
            type="sni",
            number="LSPRO/0001/SNI/2019",
            issued_on=datetime.date(2019, 1, 1),
            valid_until=datetime.date(2023, 1, 1),
            revoked_at=datetime.date(2020, 1, 1),
        ),
    }


EXPECTED = {
    "halal_new": CertificationStatus.ACTIVE,  # UU 6/2023: no end date, stays active
    "active": CertificationStatus.ACTIVE,
    "expired": CertificationStatus.EXPIRED,
    "last_day": CertificationStatus.ACTIVE,  # valid through its last day
    "revoked": CertificationStatus.REVOKED,
    "revoked_and_expired": CertificationStatus.REVOKED,  # a revocation wins
}


def test_status_with_status_annotation(certs):
    by_pk = dict(Certification.objects.with_status(DAY).values_list("pk", "current_status"))
    assert {key: by_pk[c.pk] for key, c in certs.items()} == EXPECTED


def test_status_on_a_given_day(certs):
    assert {key: c.status_on(DAY) for key, c in certs.items()} == EXPECTED
    # The day after its last day, the merek has expired; before its revocation, halal was fine.
    assert certs["last_day"].status_on(DAY + datetime.timedelta(days=1)) == "expired"
    assert certs["revoked"].status_on(datetime.date(2025, 1, 1)) == "revoked"  # revoked for good
    assert certs["expired"].status_on(datetime.date(2022, 1, 1)) == "active"


def test_status_property_uses_annotation_and_display(certs):
    cert = Certification.objects.with_status(DAY).get(pk=certs["expired"].pk)
    assert cert.status == "expired"
    assert str(cert.get_status_display()) == "Kedaluwarsa"


def test_active_queryset_matches_status(certs):
    active = set(Certification.objects.active(DAY).values_list("pk", flat=True))
    assert active == {c.pk for key, c in certs.items() if EXPECTED[key] == "active"}


# --- number formats ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cert_type", "raw", "normalised"),
    [
        ("halal", "id 6111 0000 0000 10424", "ID61110000000010424"),
        ("merek", "IDM000123456", "IDM000123456"),
        ("spp_irt", "2106-1030-0000-129", "210610300000129"),
        ("bpom_md", "MD 224613001234", "MD224613001234"),
        ("ovop", "35/ikma/kep/9/2023", "35/IKMA/KEP/9/2023"),
    ],
)
def test_number_formats_normalised(cert_type, raw, normalised):
    assert validate_number(cert_type, raw) == normalised


@pytest.mark.parametrize(
    ("cert_type", "raw"),
    [("halal", "61110000"), ("merek", "IDD000123456"), ("bpom_md", "ML123456789"), ("spp_irt", "")],
)
def test_bad_numbers_refused_with_message(cert_type, raw):
    with pytest.raises(ValidationError) as err:
        validate_number(cert_type, raw)
    assert err.value.messages[0]


def test_every_type_has_a_number_rule():
    from certifications.formats import NUMBER_FORMATS

    assert set(NUMBER_FORMATS) == set(CertificationType.values)
