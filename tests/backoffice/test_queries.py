"""Changelists and back-office pages do a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ikm.models import Region
from tests.factories import (
    DESA_KETAPANG,
    CertificationFactory,
    MarketplaceLinkFactory,
    ProductFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock_stands_still(monkeypatch):
    """The session's last-activity stamp is written at most once a minute (accounts.sessions):
    on a slow run that write would land in one count and not the other. Time stands still."""
    now = time.time()
    monkeypatch.setattr("accounts.sessions._now", lambda: now)


PAGES = [
    reverse("admin:ikm_ikmunit_changelist"),
    reverse("admin:products_product_changelist"),
    reverse("admin:certifications_certification_changelist"),
    reverse("admin:ikm_sentra_changelist"),
    reverse("admin:quality_duplicates"),
    reverse("admin:quality_missing"),
    reverse("admin:quality_expiring") + "?hari=90",
    reverse("admin:quality_waiting"),
    reverse("admin:statistics"),
]


def _add_rows(n: int, start: int) -> None:
    import datetime

    from django.utils import timezone

    ketapang = Region.objects.get(code=DESA_KETAPANG)
    for i in range(start, start + n):
        unit = UnitFactory(
            desa=ketapang if i % 2 else Region.objects.get(code="61.03.01.2007"),
            verified=bool(i % 3),
            nib=None if i % 4 == 0 else f"61{i:011d}",
        )
        product = ProductFactory(unit=unit)
        MarketplaceLinkFactory(product=product)
        CertificationFactory(
            unit=unit, valid_until=timezone.localdate() + datetime.timedelta(days=10 + i)
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["province_official", "official_sanggau"])
def test_changelists_do_a_fixed_number_of_queries(
    client, who, request, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(who))
    _add_rows(5, 0)
    with_5 = {url: _count(client, url) for url in PAGES}
    _add_rows(25, 5)
    for url in PAGES:
        with django_assert_max_num_queries(with_5[url]):
            response = client.get(url)
        assert response.status_code == 200
    # The lists really did grow (the figure above is not from an empty page).
    response = client.get(PAGES[0])
    expected = 30 if who == "province_official" else 15
    assert response.context["cl"].result_count == expected


def test_desa_autocomplete_query_count_is_fixed(
    client, official_sanggau, django_assert_max_num_queries
):
    client.force_login(official_sanggau)
    url = reverse("admin:autocomplete")
    params = {"app_label": "ikm", "model_name": "ikmunit", "field_name": "desa", "term": "a"}
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert len(response.json()["results"]) == 20  # a full page
    assert len(ctx.captured_queries) <= 7  # session, user, scope, count, page: not per result
