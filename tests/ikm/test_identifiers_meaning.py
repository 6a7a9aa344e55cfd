"""The one rule each for phone numbers, NIK by meaning and the year founded, and the forms that
use them (the owner portal's unit form and the admin's unit form), like the import does."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ikm.identifiers import (
    kecamatan_codes,
    normalize_nik,
    normalize_phone,
    validate_year_established,
)
from ikm.models import IKMUnit
from tests.factories import UnitFactory
from tests.portal.test_units_products import unit_post


# --- phones ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        (81234567890, "+6281234567890"),  # a number cell that lost its leading 0
        (81234567890.0, "+6281234567890"),
        ("(0561) 734567", "+62561734567"),
        ("0561-734567", "+62561734567"),
        ("+60 12-345 6789", "+60123456789"),  # Sarawak, across the border
        ("", ""),
        (None, ""),
        ("   ", ""),
    ],
)
def test_phone_normalised_to_e164(raw, stored):
    assert normalize_phone(raw) == stored


@pytest.mark.parametrize(
    "raw", ["telepon saya", "+++", "12", "0812 3456 7890 / 0813 1111 2222", "0812-ABC", "+62+812"]
)
def test_not_a_phone_number(raw):
    with pytest.raises(ValidationError) as err:
        normalize_phone(raw)
    assert err.value.code == "invalid_phone"
    assert f"'{raw}' bukan nomor telepon" in err.value.messages[0]


# --- NIK by meaning ----------------------------------------------------------------------------
def test_national_kecamatan_list_is_loaded():
    codes = kecamatan_codes()
    assert len(codes) == 7285
    assert {"61.03.01", "31.71.01", "91.03.01"} <= codes


@pytest.mark.parametrize(
    "nik",
    [
        "6103011203850001",  # a man born 12 March 1985 in Kapuas, Sanggau
        "6103015203850001",  # a woman born 12 March 1985 (12 + 40)
        "3171016902000001",  # a woman born 29 February 2000, Jakarta
        "1101010101010001",  # Aceh
    ],
)
def test_nik_with_meaning_accepted(nik):
    assert normalize_nik(nik) == nik


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("0000000000000000", "nik_zeros"),
        ("6199011203850001", "nik_region"),  # no kab/kota 61.99
        ("6103991203850001", "nik_region"),  # no kecamatan 61.03.99
        ("6103013203850001", "nik_date"),  # day 32
        ("6103017203850001", "nik_date"),  # day 72 (32 + 40)
        ("6103011213850001", "nik_date"),  # month 13
        ("6103012902010001", "nik_date"),  # 29 February 1901/2001
        ("6103011203850000", "nik_serial"),
        ("61030112038500", "invalid_nik"),
    ],
)
def test_nik_without_meaning_refused(nik, code):
    with pytest.raises(ValidationError) as err:
        normalize_nik(nik)
    assert err.value.code == code


# --- year founded ------------------------------------------------------------------------------
def test_year_founded_not_in_the_future():
    this_year = timezone.localdate().year
    validate_year_established(this_year)
    validate_year_established(None)
    with pytest.raises(ValidationError, match="masa depan"):
        validate_year_established(this_year + 1)
    with pytest.raises(ValidationError):
        validate_year_established(1899)


# --- forms: the owner portal -------------------------------------------------------------------
@pytest.mark.django_db
def test_portal_form_stores_phones_in_one_format(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("portal:unit_register"),
        unit_post(whatsapp="0812-3456-7890", phone="(0561) 734567", owner_phone="0813 1111 2222"),
    )
    assert response.status_code == 302, response.context["form"].errors
    unit = IKMUnit.objects.get()
    assert (unit.whatsapp, unit.phone, unit.owner_phone) == (
        "+6281234567890",
        "+62561734567",
        "+6281311112222",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("whatsapp", "telepon saya", "bukan nomor telepon"),
        ("phone", "+++", "bukan nomor telepon"),
        ("nik", "6103013203850001", "tanggal lahir"),
        ("nik", "6199011203850001", "kode kecamatan"),
        ("year_established", str(timezone.localdate().year + 1), "masa depan"),
    ],
)
def test_portal_form_refuses(client, owner, field, value, words):
    client.force_login(owner)
    response = client.post(reverse("portal:unit_register"), unit_post(**{field: value}))
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert IKMUnit.objects.count() == 0


@pytest.mark.django_db
def test_public_unit_page_links_whatsapp_by_digits(client):
    unit = UnitFactory(verified=True, whatsapp="+6281234567890", whatsapp_public=True)
    html = client.get(unit.get_absolute_url()).content.decode()
    assert 'href="https://wa.me/6281234567890"' in html
    assert "+62 812-3456-7890" in html


@pytest.mark.django_db
def test_migration_rewrites_stored_phones_and_leaves_non_numbers():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("ikm.migrations.0004_import_names")
    a = UnitFactory(whatsapp="6281234567890", phone="0561-734567", owner_phone="")
    b = UnitFactory(whatsapp="telepon saya", phone="", owner_phone="0813 1111 2222")
    migration.phones_to_e164(apps, None)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.whatsapp, a.phone, a.owner_phone) == ("+6281234567890", "+62561734567", "")
    assert (b.whatsapp, b.phone, b.owner_phone) == ("telepon saya", "", "+6281311112222")
