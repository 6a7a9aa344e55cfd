"""The request life cycle: every allowed and every refused transition, who may act, mail."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from certifications import services, workflow
from certifications.models import Certification, Request, StatusChange
from certifications.workflow import ALLOWED_TRANSITIONS, OFFICIAL, OWNER
from tests.support.requests import make_request

pytestmark = pytest.mark.django_db
S = Request.Status

# verb -> (target status, role, extra keyword arguments)
VERBS = {
    "request_submit": (S.SUBMITTED, OWNER, {}),
    "request_resubmit": (S.RESUBMITTED, OWNER, {}),
    "request_withdraw": (S.WITHDRAWN, OWNER, {}),
    "request_start_review": (S.IN_REVIEW, OFFICIAL, {}),
    "request_return_for_revision": (S.RETURNED, OFFICIAL, {"note": "Foto produk buram."}),
    "request_forward": (S.FORWARDED, OFFICIAL, {}),
    "request_reject": (S.REJECTED, OFFICIAL, {"reason": "Bukan produk pangan."}),
    "request_issue": (
        S.ISSUED,
        OFFICIAL,
        {
            "number": "ID61110000123450924",
            "issuer": "BPJPH",
            "issued_on": datetime.date(2026, 11, 1),
        },
    ),
}
CASES = [(verb, status) for verb in VERBS for status in S.values]


def call(verb: str, req: Request, owner, official):
    target, role, extra = VERBS[verb]
    actor = {"owner": owner} if role == OWNER else {"official": official}
    return getattr(services, verb)(request_id=req.pk, **actor, **extra)


def test_table_only_names_known_statuses_and_roles():
    for (frm, to), who in ALLOWED_TRANSITIONS.items():
        assert frm in S.values and to in S.values and who in (OWNER, OFFICIAL)


@pytest.mark.parametrize(("verb", "status"), CASES)
def test_every_transition_allowed_or_refused(
    verb, status, file_roots, unit_a, product_a, owner, official_sanggau
):
    req = make_request(unit_a, owner, status=status, products=[product_a])
    target, role, _extra = VERBS[verb]
    before = StatusChange.objects.filter(request=req).count()
    if ALLOWED_TRANSITIONS.get((status, target)) == role:
        call(verb, req, owner, official_sanggau)
        req.refresh_from_db()
        assert req.status == target
        change = StatusChange.objects.filter(request=req).latest("created_at", "id")
        assert (change.from_status, change.to_status) == (status, target)
        assert change.actor == (owner if role == OWNER else official_sanggau)
        assert StatusChange.objects.filter(request=req).count() == before + 1
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            call(verb, req, owner, official_sanggau)
        req.refresh_from_db()
        assert req.status == status
        assert StatusChange.objects.filter(request=req).count() == before
        assert not Certification.objects.exists()


OFFICIAL_VERBS = [v for v, (_t, role, _e) in VERBS.items() if role == OFFICIAL]
OWNER_VERBS = [v for v, (_t, role, _e) in VERBS.items() if role == OWNER]
# A status from which each verb is allowed.
FROM = {
    "request_submit": S.DRAFT,
    "request_resubmit": S.RETURNED,
    "request_withdraw": S.SUBMITTED,
    "request_start_review": S.SUBMITTED,
    "request_return_for_revision": S.IN_REVIEW,
    "request_forward": S.IN_REVIEW,
    "request_reject": S.IN_REVIEW,
    "request_issue": S.FORWARDED,
}


@pytest.mark.parametrize("verb", OFFICIAL_VERBS)
def test_official_of_another_kabupaten_cannot_act(
    verb, file_roots, unit_a, owner, official_ketapang
):
    req = make_request(unit_a, owner, status=FROM[verb])
    with pytest.raises(PermissionDenied):
        call(verb, req, owner, official_ketapang)
    req.refresh_from_db()
    assert req.status == FROM[verb]
    assert not req.status_changes.exists()


@pytest.mark.parametrize("verb", OFFICIAL_VERBS)
def test_owner_cannot_make_official_moves(verb, file_roots, unit_a, owner):
    req = make_request(unit_a, owner, status=FROM[verb])
    with pytest.raises(PermissionDenied):
        call(verb, req, owner, owner)
    req.refresh_from_db()
    assert req.status == FROM[verb]


@pytest.mark.parametrize("verb", OWNER_VERBS)
def test_other_owner_and_officials_cannot_make_owner_moves(
    verb, file_roots, unit_a, owner, other_owner, province_official
):
    req = make_request(unit_a, owner, status=FROM[verb])
    for intruder in (other_owner, province_official):
        with pytest.raises(PermissionDenied):
            call(verb, req, intruder, None)
    req.refresh_from_db()
    assert req.status == FROM[verb]
    assert not req.status_changes.exists()


def test_province_official_may_act_anywhere(file_roots, unit_b, other_owner, province_official):
    req = make_request(unit_b, other_owner, status=S.SUBMITTED)
    services.request_start_review(request_id=req.pk, official=province_official)
    req.refresh_from_db()
    assert req.status == S.IN_REVIEW


def test_return_needs_a_note(file_roots, unit_a, owner, official_sanggau):
    req = make_request(unit_a, owner, status=S.IN_REVIEW)
    with pytest.raises(ValidationError) as exc:
        services.request_return_for_revision(request_id=req.pk, official=official_sanggau, note=" ")
    assert "note" in exc.value.error_dict
    req.refresh_from_db()
    assert req.status == S.IN_REVIEW and not req.status_changes.exists()


def test_reject_needs_a_reason(file_roots, unit_a, owner, official_sanggau):
    req = make_request(unit_a, owner, status=S.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.request_reject(request_id=req.pk, official=official_sanggau, reason="")
    req.refresh_from_db()
    assert req.status == S.IN_REVIEW and not req.status_changes.exists()


def test_submit_needs_every_required_document(file_roots, unit_a, owner):
    req = make_request(unit_a, owner, complete=False)
    with pytest.raises(ValidationError) as exc:
        services.request_submit(request_id=req.pk, owner=owner)
    assert "KTP pemilik" in str(exc.value)
    req.refresh_from_db()
    assert req.status == S.DRAFT and req.submitted_at is None
    assert not req.status_changes.exists()


def test_issue_creates_the_certification(file_roots, unit_a, product_a, owner, official_sanggau):
    req = make_request(unit_a, owner, status=S.FORWARDED, products=[product_a])
    services.request_issue(
        request_id=req.pk,
        official=official_sanggau,
        number="id 6111 0000 1234 50924",
        issuer="BPJPH",
        issued_on=datetime.date(2026, 11, 1),
    )
    req.refresh_from_db()
    cert = req.certification
    assert req.status == S.ISSUED and req.decided_at is not None
    assert cert.type == "halal" and cert.number == "ID61110000123450924"
    assert cert.unit == unit_a and list(cert.products.all()) == [product_a]
    assert cert.issuer == "BPJPH" and cert.valid_until is None


def test_issue_with_a_taken_number_writes_nothing(file_roots, unit_a, owner, official_sanggau):
    from tests.factories import CertificationFactory

    CertificationFactory(number="ID61110000999990924", unit=unit_a)
    req = make_request(unit_a, owner, status=S.FORWARDED)
    with pytest.raises(ValidationError) as exc:
        services.request_issue(
            request_id=req.pk,
            official=official_sanggau,
            number="ID61110000999990924",
            issuer="BPJPH",
            issued_on=datetime.date(2026, 11, 1),
        )
    assert "sudah terdaftar" in " ".join(exc.value.message_dict["number"])
    req.refresh_from_db()
    assert req.status == S.FORWARDED and req.certification is None
    assert Certification.objects.count() == 1
    assert not req.status_changes.exists()


def test_issue_with_a_malformed_number_writes_nothing(file_roots, unit_a, owner, official_sanggau):
    req = make_request(unit_a, owner, kind="merek", status=S.FORWARDED)
    with pytest.raises(ValidationError) as exc:
        services.request_issue(
            request_id=req.pk,
            official=official_sanggau,
            number="12345",
            issuer="DJKI",
            issued_on=datetime.date(2026, 11, 1),
        )
    assert "IDM" in " ".join(exc.value.message_dict["number"])
    req.refresh_from_db()
    assert req.status == S.FORWARDED
    assert not Certification.objects.exists()


def test_mail_goes_to_the_owner_after_commit(
    file_roots, unit_a, owner, official_sanggau, django_capture_on_commit_callbacks
):
    req = make_request(unit_a, owner, status=S.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.request_return_for_revision(
            request_id=req.pk, official=official_sanggau, note="Lengkapi foto label."
        )
    assert len(callbacks) == 1
    assert mail.outbox == []  # nothing before commit
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "Dikembalikan" in message.subject
    assert "Lengkapi foto label." in message.body
    assert f"/portal/permohonan/{req.pk}/" in message.body


def test_no_mail_when_the_transition_is_refused(
    file_roots, unit_a, owner, official_sanggau, django_capture_on_commit_callbacks
):
    req = make_request(unit_a, owner, status=S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.request_forward(request_id=req.pk, official=official_sanggau)
    assert mail.outbox == []
