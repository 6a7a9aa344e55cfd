"""Curation fixtures: a round in Sanggau with two criteria, a product of the owner in Sanggau."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import ProductFactory, UnitFactory


@pytest.fixture
def unit_owner(owner):
    return UnitFactory(owner=owner, name="Lempok Durian Bu Siti")


@pytest.fixture
def product(unit_owner):
    return ProductFactory(unit=unit_owner, name="Lempok durian 250 g")


@pytest.fixture
def make_round(province_official):
    from curation.models import Criterion, Round

    def make(*, kabupaten_id="61.03", status=Round.Status.DRAFT, slug="kurasi-2027", **kwargs):
        today = timezone.localdate()
        round_ = Round.objects.create(
            title=kwargs.pop("title", "Kurasi Produk Unggulan 2027"),
            slug=slug,
            kabupaten_id=kabupaten_id,
            submission_deadline=timezone.now() + datetime.timedelta(days=14),
            period_start=kwargs.pop("period_start", today),
            period_end=kwargs.pop("period_end", today + datetime.timedelta(days=180)),
            status=status,
            created_by=province_official,
            **kwargs,
        )
        Criterion.objects.create(round=round_, name="Kualitas", weight=3, max_score=5, position=1)
        Criterion.objects.create(round=round_, name="Kemasan", weight=1, max_score=10, position=2)
        return round_

    return make


@pytest.fixture
def round_open(make_round):
    from curation.models import Round

    return make_round(status=Round.Status.OPEN)
