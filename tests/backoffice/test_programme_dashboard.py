"""Curation and business matching on the officials' dashboard and in the statistics (issue 16):
counts scoped to the official's region, aggregates only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from curation.models import Round
from matching.models import BuyerRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(province_official):
    today = timezone.localdate()
    Round.objects.create(
        title="Kurasi Sanggau", slug="k-sanggau", kabupaten_id="61.03",
        submission_deadline=timezone.now(), period_start=today,
        period_end=today + datetime.timedelta(days=9), status=Round.Status.SCORING,
        created_by=province_official,
    )  # fmt: skip
    for kab, status, value in (
        ("61.03", "new", None),
        ("61.03", "closed_deal", 12_500_000),
        ("61.04", "new", None),
        ("61.04", "rejected", None),
    ):
        BuyerRequest.objects.create(
            product_wanted="lempok", quantity="1", kabupaten_id=kab, buyer_name="X",
            buyer_email="x@example.id", status=status, deal_value=value,
        )  # fmt: skip


def _tiles(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    return {t.key: t.count for t in response.context["dashboard"].tiles}


def test_tiles_are_scoped(
    client, programme, official_sanggau, official_ketapang, province_official
):
    sanggau = _tiles(client, official_sanggau)
    assert (sanggau["curation_scoring"], sanggau["matching_new"]) == (1, 1)
    ketapang = _tiles(client, official_ketapang)
    assert (ketapang["curation_scoring"], ketapang["matching_new"]) == (0, 1)
    province = _tiles(client, province_official)
    assert (province["curation_scoring"], province["matching_new"]) == (1, 2)


def test_statistics_aggregates(client, programme, official_sanggau, province_official):
    client.force_login(province_official)
    stats = client.get(reverse("admin:statistics")).context["programme"]
    assert (stats.requests, stats.deals, stats.deal_value) == (3, 1, 12_500_000)  # spam left out
    client.force_login(official_sanggau)
    stats = client.get(reverse("admin:statistics")).context["programme"]
    assert (stats.requests, stats.deals, stats.deal_value) == (2, 1, 12_500_000)
