"""Owners' data requests in the back-office: scoped list with deadline colours, "selesaikan" and
"tolak" with a note, deletion requests erasing the person; the erasure log for superusers."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ikm import privacy
from ikm.models import DataSubjectRequest, Erasure, IKMUnit

pytestmark = pytest.mark.django_db

LIST = "admin:ikm_datasubjectrequest_changelist"


@pytest.fixture(autouse=True)
def journal(settings, tmp_path):
    settings.ERASURE_JOURNAL = tmp_path / "erasures.jsonl"


@pytest.fixture
def requests_ab(owner, other_owner, unit_a, unit_b):
    """Owner A (unit in Sanggau) asks for a correction; owner B (Ketapang) for deletion."""
    a = privacy.dsr_create(user=owner, kind="koreksi", field="account_email", note="email baru")
    b = privacy.dsr_create(user=other_owner, kind="penghapusan", note="tutup usaha")
    return a, b


def test_kabupaten_official_sees_only_their_regions_requests(client, official_sanggau, requests_ab):
    a, b = requests_ab
    client.force_login(official_sanggau)
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert shown == {a.pk}
    assert (
        client.get(reverse("admin:ikm_datasubjectrequest_change", args=[a.pk])).status_code == 200
    )
    out_of_scope = reverse("admin:ikm_datasubjectrequest_change", args=[b.pk])
    assert client.get(out_of_scope).status_code == 404


def test_province_official_sees_all_with_deadline_colours(client, province_official, requests_ab):
    a, b = requests_ab
    DataSubjectRequest.objects.filter(pk=a.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=4),
        deadline=timezone.now() - datetime.timedelta(days=1),
    )
    DataSubjectRequest.objects.filter(pk=b.pk).update(
        deadline=timezone.now() + datetime.timedelta(hours=5)
    )
    client.force_login(province_official)
    response = client.get(reverse(LIST))
    html = response.content.decode()
    assert {o.pk for o in response.context["cl"].result_list} == {a.pk, b.pk}
    assert 'class="dsr-deadline late"' in html and 'class="dsr-deadline soon"' in html


def test_complete_with_a_note(
    client, official_sanggau, requests_ab, django_capture_on_commit_callbacks
):
    a, _b = requests_ab
    client.force_login(official_sanggau)
    url = reverse(LIST)
    confirm = client.post(url, {"action": "complete_requests", ACTION_CHECKBOX_NAME: [a.pk]})
    assert confirm.status_code == 200 and "resolution_note" in confirm.content.decode()
    a.refresh_from_db()
    assert a.status == "diterima"  # the confirmation page changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "action": "complete_requests",
                ACTION_CHECKBOX_NAME: [a.pk],
                "apply": "1",
                "resolution_note": "Email akun sudah diganti.",
            },
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["pemilik.a@example.id"] and "selesai" in message.subject
    assert "Email akun sudah diganti." in message.body
    a.refresh_from_db()
    assert a.status == "selesai" and a.handled_by == official_sanggau
    assert a.resolution_note == "Email akun sudah diganti." and a.handled_at is not None


def test_reject_needs_a_reason(client, official_sanggau, requests_ab):
    a, _b = requests_ab
    client.force_login(official_sanggau)
    data = {"action": "reject_requests", ACTION_CHECKBOX_NAME: [a.pk], "apply": "1"}
    client.post(reverse(LIST), {**data, "resolution_note": ""})
    a.refresh_from_db()
    assert a.status == "diterima" and a.handled_by is None
    client.post(reverse(LIST), {**data, "resolution_note": "Email itu milik orang lain."})
    a.refresh_from_db()
    assert a.status == "ditolak" and a.resolution_note == "Email itu milik orang lain."


def test_out_of_scope_official_cannot_act_on_a_posted_id(client, official_sanggau, requests_ab):
    _a, b = requests_ab
    client.force_login(official_sanggau)
    client.post(
        reverse(LIST),
        {
            "action": "complete_requests",
            ACTION_CHECKBOX_NAME: [b.pk],
            "apply": "1",
            "resolution_note": "x",
        },
    )
    b.refresh_from_db()
    assert b.status == "diterima"
    assert not Erasure.objects.exists()


def test_completing_a_deletion_request_erases_the_owner(
    client, official_ketapang, other_owner, unit_b, requests_ab, django_capture_on_commit_callbacks
):
    _a, b = requests_ab
    IKMUnit.objects.filter(pk=unit_b.pk).update(
        owner_address="Jl. Merdeka 2", owner_phone="+6281234567890"
    )
    client.force_login(official_ketapang)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(LIST),
            {
                "action": "complete_requests",
                ACTION_CHECKBOX_NAME: [b.pk],
                "apply": "1",
                "resolution_note": "Data pribadi Anda sudah dihapus.",
            },
        )
    # the owner is told, at the address they had (UU PDP Pasal 45), in the last mail
    (message,) = mail.outbox
    assert message.to == ["pemilik.b@example.id"] and "sudah dihapus" in message.subject
    b.refresh_from_db()
    assert b.status == "selesai" and b.handled_by == official_ketapang
    unit_b.refresh_from_db()
    assert (unit_b.owner_name, unit_b.owner_address, unit_b.owner_phone) == ("Dihapus", "", "")
    assert unit_b.name == "Amplang Pak Rudi"
    other_owner.refresh_from_db()
    assert not other_owner.is_active and other_owner.email == ""
    erasure = Erasure.objects.get()
    assert erasure.user_id_erased == other_owner.pk and erasure.request_id == b.pk
    assert erasure.erased_by == official_ketapang
    # the request stays in the official's list after the erasure
    assert reverse("admin:ikm_datasubjectrequest_change", args=[b.pk])
    response = client.get(reverse(LIST) + "?status__exact=selesai")
    assert {o.pk for o in response.context["cl"].result_list} == {b.pk}


def test_erasure_log_is_for_superusers_only(client, province_official, superuser):
    client.force_login(province_official)
    assert client.get(reverse("admin:ikm_erasure_changelist")).status_code == 403
    client.force_login(superuser)
    assert client.get(reverse("admin:ikm_erasure_changelist")).status_code == 200
