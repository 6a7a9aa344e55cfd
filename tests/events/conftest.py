"""Events fixtures: owners with a unit each in Sanggau, one in Ketapang; officials of both."""

from __future__ import annotations

import pytest

from tests.factories import DESA_KETAPANG, UnitFactory, UserFactory


@pytest.fixture
def unit_a(owner):
    return UnitFactory(name="Lempok Durian Mak Iyah", owner=owner)


@pytest.fixture
def unit_b(other_owner):
    return UnitFactory(name="Madu Kelulut Sanggau", owner=other_owner)


@pytest.fixture
def unit_c(db):
    return UnitFactory(
        name="Gula Aren Kapuas", owner=UserFactory(username="pemilik_c", email="c@example.id")
    )


@pytest.fixture
def unit_ketapang(db):
    from ikm.models import Region

    return UnitFactory(
        name="Amplang Ketapang",
        desa=Region.objects.get(code=DESA_KETAPANG),
        owner=UserFactory(username="pemilik_k", email="k@example.id"),
    )
