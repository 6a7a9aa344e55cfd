"""The officials' request queue and claims in the admin: scoped, and acting through services."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from certifications.models import Certification, Request
from ikm.models import UnitClaim
from ikm.services import official_assign
from tests.factories import UnitFactory
from tests.support.requests import make_request

pytestmark = pytest.mark.django_db
S = Request.Status


@pytest.fixture
def sanggau(official_sanggau):
    official_assign(user=official_sanggau, kabupaten_id="61.03")
    return official_sanggau


@pytest.fixture
def ketapang(official_ketapang):
    official_assign(user=official_ketapang, kabupaten_id="61.04")
    return official_ketapang


def change_url(req):
    return reverse("admin:certifications_request_change", args=[req.pk])


def verb_url(req, verb):
    return reverse("admin:certifications_request_verb", args=[req.pk, verb])


def test_queue_is_scoped(client, file_roots, unit_a, unit_b, owner, other_owner, sanggau):
    mine = make_request(unit_a, owner, status=S.SUBMITTED)
    theirs = make_request(unit_b, other_owner, status=S.SUBMITTED)
    client.force_login(sanggau)
    response = client.get(reverse("admin:certifications_request_changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert shown == {mine.pk}
    assert client.get(change_url(mine)).status_code == 200
    assert client.get(change_url(theirs)).status_code == 404
    assert client.post(verb_url(theirs, "periksa")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == S.SUBMITTED
    # Filters by status, kind, kab/kota and age work.
    for query in (
        "?status=submitted",
        "?kind=halal_self_declare",
        "?kab=61.03",
        "?umur=7",
        "?antrean=perlu",
    ):
        assert (
            client.get(reverse("admin:certifications_request_changelist") + query).status_code
            == 200
        )


def test_official_reviews_returns_and_issues_through_buttons(
    client, file_roots, unit_a, product_a, owner, sanggau, django_capture_on_commit_callbacks
):
    req = make_request(unit_a, owner, status=S.SUBMITTED, products=[product_a])
    client.force_login(sanggau)
    page = client.get(change_url(req)).content.decode()
    assert "Mulai periksa" in page
    assert reverse("portal:document_download", args=[req.documents.first().pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(verb_url(req, "periksa"))
    req.refresh_from_db()
    assert req.status == S.IN_REVIEW

    # Return without a note: the form says so and nothing changes.
    response = client.post(verb_url(req, "kembalikan"), {"note": ""})
    assert response.status_code == 200 and response.context["form"].errors["note"]
    req.refresh_from_db()
    assert req.status == S.IN_REVIEW

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(verb_url(req, "kembalikan"), {"note": "KTP tidak terbaca."})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == S.RETURNED
    assert req.status_changes.last().note == "KTP tidak terbaca."
    assert mail.outbox[-1].to == [owner.email] and "KTP tidak terbaca." in mail.outbox[-1].body

    Request.objects.filter(pk=req.pk).update(status=S.FORWARDED)
    response = client.post(
        verb_url(req, "terbit"),
        {"number": "ABC", "issuer": "BPJPH", "issued_on": "2026-11-20"},
    )
    assert response.status_code == 200 and "number" in response.context["form"].errors
    assert not Certification.objects.exists()
    response = client.post(
        verb_url(req, "terbit"),
        {"number": "ID61110000555550924", "issuer": "BPJPH", "issued_on": "2026-11-20"},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == S.ISSUED and req.certification.number == "ID61110000555550924"
    assert list(req.certification.products.all()) == [product_a]


def test_refused_verb_in_admin_changes_nothing(client, file_roots, unit_a, owner, sanggau):
    req = make_request(unit_a, owner, status=S.DRAFT)
    client.force_login(sanggau)
    response = client.post(verb_url(req, "teruskan"), {"note": ""})
    assert response.status_code == 200
    assert "tidak dapat diubah" in response.content.decode()
    req.refresh_from_db()
    assert req.status == S.DRAFT and not req.status_changes.exists()


def test_bulk_start_review_action(client, file_roots, unit_a, owner, sanggau):
    a = make_request(unit_a, owner, status=S.SUBMITTED)
    b = make_request(unit_a, owner, status=S.DRAFT)
    client.force_login(sanggau)
    client.post(
        reverse("admin:certifications_request_changelist"),
        {"action": "action_start_review", "_selected_action": [a.pk, b.pk]},
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == S.IN_REVIEW and b.status == S.DRAFT


def test_claim_admin_approve_scoped(client, owner, other_owner, sanggau):
    unit_sanggau = UnitFactory(nib="6103000000777", owner=None)
    claim = UnitClaim.objects.create(unit=unit_sanggau, user=owner)
    from ikm.models import Region

    unit_ketapang = UnitFactory(
        nib="6104000000777", owner=None, desa=Region.objects.get(code="61.04.01.2011")
    )
    other = UnitClaim.objects.create(unit=unit_ketapang, user=other_owner)
    client.force_login(sanggau)
    response = client.get(reverse("admin:ikm_unitclaim_changelist"))
    assert {c.pk for c in response.context["cl"].result_list} == {claim.pk}
    client.post(
        reverse("admin:ikm_unitclaim_changelist"),
        {"action": "approve_claims", "_selected_action": [claim.pk, other.pk]},
    )
    claim.refresh_from_db()
    other.refresh_from_db()
    unit_sanggau.refresh_from_db()
    assert claim.status == UnitClaim.Status.APPROVED and unit_sanggau.owner == owner
    assert other.status == UnitClaim.Status.PENDING


def test_queue_query_count_does_not_grow(
    client, file_roots, owner, sanggau, django_assert_max_num_queries
):
    for i in range(6):
        unit = UnitFactory(owner=owner, nib=f"610300000020{i}")
        make_request(unit, owner, status=S.SUBMITTED, complete=False)
    client.force_login(sanggau)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:certifications_request_changelist"))
    assert len(response.context["cl"].result_list) == 6
