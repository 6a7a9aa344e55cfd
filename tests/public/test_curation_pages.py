"""Public curation pages: rounds announced, results with the chosen products only."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from curation.models import Round, Submission
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_results_list_only_chosen_products_of_published_rounds(client):
    user = UserFactory()
    today = timezone.localdate()
    round_ = Round.objects.create(
        title="Kurasi Sanggau 2026", slug="kurasi-sanggau-2026", kabupaten_id="61.03",
        submission_deadline=timezone.now(), period_start=today,
        period_end=today + datetime.timedelta(days=30), status=Round.Status.PUBLISHED,
        created_by=user,
    )  # fmt: skip
    chosen, other = ProductFactory(name="Lempok Terpilih"), ProductFactory(name="Madu Lain")
    for product, status in ((chosen, "chosen"), (other, "not_chosen")):
        Submission.objects.create(
            round=round_, product=product, unit=product.unit, status=status, submitted_by=user
        )
    draft = Round.objects.create(
        title="Konsep rahasia", slug="konsep", submission_deadline=timezone.now(),
        period_start=today, period_end=today, created_by=user,
    )  # fmt: skip
    index = client.get("/kurasi/").content.decode()
    assert "Kurasi Sanggau 2026" in index and "Konsep rahasia" not in index
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Lempok Terpilih" in page and "Madu Lain" not in page
    assert client.get(f"/kurasi/{draft.slug}/").status_code == 404
