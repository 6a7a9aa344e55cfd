"""Chosen products are produk terseleksi during the round's period (home page and catalog),
not before and not after; a selection made by hand is never cleared; the facilitation prompt."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certifications.models import CertificationType, RequestKind
from curation import services
from curation.models import Round, Submission
from products.models import Product
from public.models import CatalogRow
from tests.factories import CertificationFactory, ProductFactory

R = Round.Status
S = Submission.Status
pytestmark = pytest.mark.django_db


def _publish_with_choice(round_, product, owner, official):
    sub = services.submission_create(owner=owner, round_id=round_.pk, product_id=product.pk)
    services.round_start_scoring(round_id=round_.pk, official=official)
    kualitas, kemasan = round_.criteria.order_by("position")
    services.score_record(
        submission_id=sub.pk, official=official, values={kualitas.pk: 5, kemasan.pk: 9}
    )
    services.submission_decide(submission_id=sub.pk, official=official, chosen=True)
    return sub


def test_chosen_product_is_selected_in_the_period_and_not_after(
    make_round, product, owner, official_sanggau, client
):
    today = timezone.localdate()
    round_ = make_round(
        status=R.OPEN, period_start=today + datetime.timedelta(days=2),
        period_end=today + datetime.timedelta(days=10),
    )  # fmt: skip
    sub = _publish_with_choice(round_, product, owner, official_sanggau)
    services.round_publish(round_id=round_.pk, official=official_sanggau, today=today)
    product.refresh_from_db()
    assert not product.is_selected  # the period has not started
    # The period starts: the daily sync marks it; the catalog row and the home page follow.
    result = services.selection_sync(today=today + datetime.timedelta(days=2))
    assert result == {"marked": 1, "cleared": 0}
    product.refresh_from_db()
    assert product.is_selected
    assert Submission.objects.get(pk=sub.pk).holds_selection
    assert CatalogRow.objects.get(product_id=product.pk).is_selected
    home = client.get(reverse("public:home"))
    assert product.name in [p.name for p in home.context["selected_products"]]
    # Running it again changes nothing.
    assert services.selection_sync(today=today + datetime.timedelta(days=5)) == {
        "marked": 0, "cleared": 0,
    }  # fmt: skip
    # After the period: no longer selected, anywhere.
    assert services.selection_sync(today=today + datetime.timedelta(days=11)) == {
        "marked": 0, "cleared": 1,
    }  # fmt: skip
    product.refresh_from_db()
    assert not product.is_selected
    assert not Submission.objects.get(pk=sub.pk).holds_selection
    assert not CatalogRow.objects.get(product_id=product.pk).is_selected
    home = client.get(reverse("public:home"))
    assert product.name not in [p.name for p in home.context["selected_products"]]
    # the change is in the product's history
    assert product.history.filter(is_selected=True).exists()


def test_hand_selected_product_stays_selected_after_the_period(
    make_round, product, owner, official_sanggau, unit_owner
):
    today = timezone.localdate()
    hand = ProductFactory(unit=unit_owner, name="Dipilih manual", is_selected=True)
    round_ = make_round(status=R.OPEN, period_end=today + datetime.timedelta(days=3))
    services.submission_create(owner=owner, round_id=round_.pk, product_id=hand.pk)
    sub = _publish_with_choice(round_, product, owner, official_sanggau)
    hand_sub = Submission.objects.get(product=hand)
    kualitas, kemasan = round_.criteria.order_by("position")
    services.score_record(
        submission_id=hand_sub.pk, official=official_sanggau, values={kualitas.pk: 4, kemasan.pk: 4}
    )
    services.submission_decide(submission_id=hand_sub.pk, official=official_sanggau, chosen=True)
    services.round_publish(round_id=round_.pk, official=official_sanggau, today=today)
    product.refresh_from_db()
    assert product.is_selected  # published inside the period: selected at once
    assert Submission.objects.get(pk=sub.pk).holds_selection
    assert not Submission.objects.get(pk=hand_sub.pk).holds_selection  # it was selected already
    services.selection_sync(today=today + datetime.timedelta(days=4))
    assert not Product.objects.get(pk=product.pk).is_selected
    assert Product.objects.get(pk=hand.pk).is_selected


def test_missing_certificates_and_prefilled_facilitation_link(product, owner, client):
    assert services.missing_certificates(product) == [
        RequestKind.HALAL_SELF_DECLARE, RequestKind.SPP_IRT, RequestKind.MEREK,
    ]  # fmt: skip
    halal = CertificationFactory(unit=product.unit, type=CertificationType.HALAL)
    halal.products.add(product)
    CertificationFactory(unit=product.unit, type=CertificationType.MEREK, number="IDM000123456")
    assert services.missing_certificates(product) == [RequestKind.SPP_IRT]
    craft = ProductFactory(unit=product.unit, category="kerajinan")
    assert services.missing_certificates(craft) == []  # merek of the unit covers it
    # The prompt's link opens the request form of that kind with the product ticked.
    client.force_login(owner)
    url = reverse("portal:request_create", kwargs={"kind": "spp_irt"}) + f"?produk={product.pk}"
    form = client.get(url).context["form"]
    assert form.initial["unit"] == product.unit
    assert form.initial["products"] == [product]
    # someone else's product is not prefilled
    other = ProductFactory(name="Bukan milik")
    form = client.get(url.replace(str(product.pk), str(other.pk))).context["form"]
    assert "products" not in form.initial


def test_the_nightly_task_is_scheduled_and_runs_as_of_a_day(
    make_round, product, owner, official_sanggau, settings
):
    from curation.tasks import selection_sync

    assert settings.CELERY_BEAT_SCHEDULE["curation-selection-sync"]["task"] == selection_sync.name
    today = timezone.localdate()
    round_ = make_round(
        status=R.OPEN,
        period_start=today + datetime.timedelta(days=1),
        period_end=today + datetime.timedelta(days=2),
    )
    _publish_with_choice(round_, product, owner, official_sanggau)
    services.round_publish(round_id=round_.pk, official=official_sanggau, today=today)
    day = (today + datetime.timedelta(days=1)).isoformat()
    assert selection_sync.run(today=day) == {"marked": 1, "cleared": 0}
    assert Product.objects.get(pk=product.pk).is_selected
