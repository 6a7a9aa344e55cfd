"""Owner portal: curation (submit, withdraw, facilitation prompt) and buyers' requests (answer),
each only for the owner's own units."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from curation.models import Criterion, Round, Submission
from matching import services as matching_services
from matching.models import BuyerRequest, Routing
from tests.factories import ProductFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(owner):
    return UnitFactory(owner=owner, name="Lempok Bu Siti")


@pytest.fixture
def product(unit):
    return ProductFactory(unit=unit, name="Lempok durian 250 g")


@pytest.fixture
def round_open(province_official):
    today = timezone.localdate()
    r = Round.objects.create(
        title="Kurasi Sanggau", slug="kurasi-sanggau", kabupaten_id="61.03",
        submission_deadline=timezone.now() + datetime.timedelta(days=5), period_start=today,
        period_end=today + datetime.timedelta(days=60), status=Round.Status.OPEN,
        created_by=province_official,
    )  # fmt: skip
    Criterion.objects.create(round=r, name="Mutu", weight=1, max_score=5)
    return r


def test_owner_submits_sees_the_prompt_and_withdraws(client, owner, product, round_open):
    client.force_login(owner)
    page = client.get("/portal/kurasi/").content.decode()
    assert "Kurasi Sanggau" in page and "Lempok durian 250 g" in page
    response = client.post(
        f"/portal/kurasi/{round_open.pk}/ajukan/", {"product": product.pk, "note": "Terlaris"},
        follow=True,
    )  # fmt: skip
    sub = Submission.objects.get()
    assert (sub.product, sub.status, sub.note) == (product, "submitted", "Terlaris")
    body = response.content.decode()
    assert sub.reference in body
    # the facilitation prompt: food without halal, SPP-IRT and merek; links prefilled
    for kind in ("halal_self_declare", "spp_irt", "merek"):
        assert f"/portal/permohonan/baru/{kind}/?produk={product.pk}" in body
    # the same product again: refused with a message beside the field (not offered any more)
    again = client.post(f"/portal/kurasi/{round_open.pk}/ajukan/", {"product": product.pk})
    assert "sudah diajukan ke putaran ini" in again.content.decode()
    assert Submission.objects.count() == 1
    client.post(f"/portal/kurasi/pengajuan/{sub.pk}/tarik/")
    sub.refresh_from_db()
    assert sub.status == "withdrawn"


def test_other_owner_cannot_submit_or_withdraw(client, other_owner, owner, product, round_open):
    client.force_login(other_owner)
    client.post(f"/portal/kurasi/{round_open.pk}/ajukan/", {"product": product.pk})
    assert not Submission.objects.exists()
    sub = Submission.objects.create(
        round=round_open, product=product, unit=product.unit, submitted_by=owner
    )
    assert client.post(f"/portal/kurasi/pengajuan/{sub.pk}/tarik/").status_code == 404
    assert Submission.objects.get(pk=sub.pk).status == "submitted"


def test_owner_answers_a_routed_request(client, owner, other_owner, unit, official_sanggau):
    req = matching_services.request_create(
        product_wanted="lempok", quantity="50", kabupaten_id="61.03", buyer_name="Rina",
        buyer_email="rina@example.id",
    )  # fmt: skip
    matching_services.request_route(
        request_id=req.pk, official=official_sanggau, unit_ids=[unit.pk]
    )
    routing = Routing.objects.get()
    client.force_login(other_owner)
    assert "lempok" not in client.get("/portal/temu-bisnis/").content.decode()
    assert client.post(f"/portal/temu-bisnis/{routing.pk}/jawab/", {}).status_code == 404
    client.force_login(owner)
    page = client.get("/portal/temu-bisnis/").content.decode()
    assert req.reference in page and "rina@example.id" not in page  # contact stays with the Dinas
    prefix = f"r{routing.pk}"
    response = client.post(
        f"/portal/temu-bisnis/{routing.pk}/jawab/", {f"{prefix}-interested": "1"}
    )
    assert "Tulis penawaran Anda" in response.content.decode()
    assert Routing.objects.get().answer == "pending"
    client.post(
        f"/portal/temu-bisnis/{routing.pk}/jawab/",
        {f"{prefix}-interested": "1", f"{prefix}-offer": "Rp 30.000/bungkus"},
    )
    routing.refresh_from_db()
    assert (routing.answer, routing.offer) == ("interested", "Rp 30.000/bungkus")
    assert BuyerRequest.objects.get().status == "answered"
