"""NIB/NIK normalisers, the one "already registered" check, and the owner-editable field list."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ikm.identifiers import normalize_nib, normalize_nik
from ikm.models import OWNER_EDITABLE_FIELDS, IKMUnit, unit_fields
from ikm.selectors import identifier_taken
from ikm.services import unit_set_nik
from tests.factories import UnitFactory

NIK = "6103014507800123"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9120301234567", "9120301234567"),
        (" 9120 3012.3456-7 ", "9120301234567"),
        ("", None),
        (" . - ", None),
        (None, None),
    ],
)
def test_nib_normalised(raw, expected):
    assert normalize_nib(raw) == expected


@pytest.mark.parametrize("raw", ["912030123456", "91203012345678", "912030123456A"])
def test_nib_not_13_digits(raw):
    with pytest.raises(ValidationError) as err:
        normalize_nib(raw)
    assert err.value.messages == ["NIB harus 13 digit angka."]
    assert err.value.code == "nib_format"


def test_nik_normalised():
    assert normalize_nik("6103 0145.0780-0123") == NIK


@pytest.mark.parametrize(
    "raw", ["", None, "610301450780012", "61030145078001234", "61030145O7800123"]
)
def test_nik_not_16_digits(raw):
    with pytest.raises(ValidationError) as err:
        normalize_nik(raw)
    assert err.value.messages == ["NIK harus 16 digit angka."]
    assert err.value.code == "invalid_nik"


@pytest.mark.django_db
def test_identifier_taken_by_another_unit_only():
    unit = UnitFactory(nib="9120301234567")
    unit_set_nik(unit, "6103 0145 0780 0123")
    unit.save()
    assert identifier_taken(nib="9120301234567")
    assert identifier_taken(nik=NIK)
    assert not identifier_taken(nib="9120301234567", unit_pk=unit.pk)
    assert not identifier_taken(nik=NIK, unit_pk=unit.pk)
    assert not identifier_taken(nib="9120301234568")
    assert not identifier_taken(nik="6103014507800124")
    with pytest.raises(TypeError):
        identifier_taken()


def test_owner_editable_fields_are_editable_unit_fields():
    editable = {f.name for f in IKMUnit._meta.get_fields() if getattr(f, "editable", False)}
    assert set(OWNER_EDITABLE_FIELDS) <= editable
    assert len(set(OWNER_EDITABLE_FIELDS)) == len(OWNER_EDITABLE_FIELDS)
    for forbidden in ("owner", "verified", "slug", "sentra", "nik_digest"):
        assert forbidden not in OWNER_EDITABLE_FIELDS


def test_unit_fields_drops_and_expands_in_order():
    assert unit_fields(("a", "b", "c"), without=("b",), expand={"c": ("x", "c", "y")}) == (
        "a",
        "x",
        "c",
        "y",
    )
    assert unit_fields() == OWNER_EDITABLE_FIELDS
