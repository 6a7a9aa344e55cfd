"""Owners' data rights (UU PDP): requests with deadlines, anonymisation in live and history rows,
the erasure log and its re-application after a restore (``manage.py reapply_erasures``)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from certifications.models import DocumentType, RequestDocument
from certifications.privacy import owner_erase
from ikm import nik as nik_module
from ikm import privacy
from ikm.models import DataSubjectRequest, Erasure, IKMUnit, UnitClaim
from jobs.models import OutboundMail
from tests.support.requests import (
    file_roots,  # noqa: F401 - fixture
    make_request,
)

pytestmark = pytest.mark.django_db

NIK_A = "6103014512850001"
NIK_B = "6104015506900002"


@pytest.fixture(autouse=True)
def journal(settings, tmp_path):
    settings.ERASURE_JOURNAL = tmp_path / "erasures.jsonl"
    return settings.ERASURE_JOURNAL


def give_personal_data(unit: IKMUnit, nik: str, address: str, phone: str) -> IKMUnit:
    """Personal fields set through a save, so simple-history keeps a row holding them."""
    sealed = nik_module.seal(nik)
    unit.nik_ciphertext, unit.nik_digest, unit.nik_last4 = (
        sealed.ciphertext,
        sealed.digest,
        sealed.last4,
    )
    unit.owner_address, unit.owner_phone = address, phone
    unit.save()
    return unit


@pytest.fixture
def unit_a(owner):
    from tests.factories import UnitFactory

    unit = UnitFactory(
        owner=owner, nib="6103000000001", name="Lempok Durian Bu Siti", owner_name="Siti Aminah"
    )
    return give_personal_data(unit, NIK_A, "Jl. Kenanga 7, Sanggau", "081234567890")


@pytest.fixture
def unit_b(other_owner):
    from ikm.models import Region
    from tests.factories import DESA_KETAPANG, UnitFactory

    unit = UnitFactory(
        owner=other_owner,
        nib="6104000000002",
        name="Amplang Pak Rudi",
        owner_name="Rudi Hartono",
        desa=Region.objects.get(code=DESA_KETAPANG),
    )
    return give_personal_data(unit, NIK_B, "Jl. Merdeka 2, Ketapang", "081298765432")


# --- requests and deadlines ------------------------------------------------------------------
def test_correction_request_gets_the_legal_deadline(owner):
    dsr = privacy.dsr_create(
        user=owner,
        kind="koreksi",
        field="owner_address",
        requested_value="Jl. Melati 3, Sanggau",
        note="Pindah rumah",
    )
    dsr.refresh_from_db()
    assert dsr.status == DataSubjectRequest.Status.OPEN
    assert dsr.deadline - dsr.requested_at == datetime.timedelta(hours=72)
    assert (dsr.field, dsr.requested_value) == ("owner_address", "Jl. Melati 3, Sanggau")


def test_correction_request_needs_a_field_and_never_holds_a_whole_nik(owner):
    with pytest.raises(ValidationError) as exc:
        privacy.dsr_create(user=owner, kind="koreksi", field="", requested_value="x")
    assert "field" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        privacy.dsr_create(user=owner, kind="koreksi", field="nik", requested_value=NIK_A)
    assert "requested_value" in exc.value.error_dict
    assert not DataSubjectRequest.objects.exists()


def test_one_open_deletion_request_at_a_time(owner):
    first = privacy.dsr_create(user=owner, kind="penghapusan")
    assert first.deadline - first.requested_at == datetime.timedelta(hours=72)
    with pytest.raises(ValidationError):
        privacy.dsr_create(user=owner, kind="penghapusan")
    assert DataSubjectRequest.objects.filter(kind="penghapusan").count() == 1


def test_officials_scope_and_closing(owner, unit_a, official_sanggau, official_ketapang):
    dsr = privacy.dsr_create(user=owner, kind="koreksi", field="other", note="Nama akun salah")
    assert list(privacy.dsr_in_scope(official_sanggau)) == [dsr]
    assert not privacy.dsr_in_scope(official_ketapang).exists()
    from django.core.exceptions import PermissionDenied

    from certifications.privacy import dsr_complete, dsr_reject

    with pytest.raises(PermissionDenied):
        dsr_complete(dsr_id=dsr.pk, official=official_ketapang, note="x")
    with pytest.raises(ValidationError):
        dsr_reject(dsr_id=dsr.pk, official=official_sanggau, note="  ")  # a reason is required
    dsr.refresh_from_db()
    assert dsr.status == DataSubjectRequest.Status.OPEN and dsr.handled_by is None
    dsr_complete(dsr_id=dsr.pk, official=official_sanggau, note="Sudah diperbaiki")
    dsr.refresh_from_db()
    assert dsr.status == DataSubjectRequest.Status.DONE
    assert dsr.handled_by == official_sanggau and dsr.handled_at is not None
    assert dsr.resolution_note == "Sudah diperbaiki"
    with pytest.raises(ValidationError):  # closed is closed
        dsr_reject(dsr_id=dsr.pk, official=official_sanggau, note="terlambat")


# --- anonymisation -----------------------------------------------------------------------------
def _history(unit):
    return IKMUnit.history.model.objects.filter(id=unit.pk)


@pytest.mark.usefixtures("file_roots")
def test_erasure_clears_live_and_history_rows_and_keeps_business_data(
    owner,
    unit_a,
    unit_b,
    journal,
):
    request = make_request(unit_a, owner)
    assert request.documents.filter(doc_type=DocumentType.KTP).exists()
    UnitClaim.objects.create(unit=unit_b, user=owner, note="NIK saya 6103014512850001")
    OutboundMail.objects.create(
        from_email="dinas@example.id", to=[owner.email], subject="Konfirmasi", body="Halo Siti"
    )
    client = Client()
    client.force_login(owner)
    assert Session.objects.count() == 1
    from accounts.models import SecurityEvent

    assert SecurityEvent.objects.filter(user=owner, username="pemilik_a").exists()
    assert _history(unit_a).filter(nik_last4="0001", owner_name="Siti Aminah").exists()
    old_email = owner.email

    erasure = owner_erase(user_id=owner.pk)

    unit_a.refresh_from_db()
    assert unit_a.owner_name == "Dihapus"
    assert (unit_a.nik_ciphertext, unit_a.nik_digest, unit_a.nik_last4) == ("", "", "")
    assert (unit_a.owner_address, unit_a.owner_phone) == ("", "")
    # the statistics exception: the business data stays
    assert (unit_a.name, unit_a.nib, unit_a.workers, unit_a.verified) == (
        "Lempok Durian Bu Siti",
        "6103000000001",
        5,
        True,
    )
    history = _history(unit_a)
    assert history.count() >= 2
    assert set(history.values_list("owner_name", flat=True)) == {"Dihapus"}
    assert not history.exclude(nik_ciphertext="", nik_digest="", nik_last4="").exists()
    assert not history.exclude(owner_address="", owner_phone="").exists()
    # another owner's unit and history untouched
    unit_b.refresh_from_db()
    assert unit_b.owner_name == "Rudi Hartono" and nik_module.unseal(unit_b.nik_ciphertext) == NIK_B
    assert _history(unit_b).filter(owner_name="Rudi Hartono", nik_last4="0002").exists()
    # the account
    owner.refresh_from_db()
    assert owner.username == f"dihapus-{owner.pk}" and owner.email == ""
    assert not owner.is_active and not owner.has_usable_password()
    assert not Session.objects.exists()
    assert client.get("/portal/").status_code == 302  # logged out
    assert UnitClaim.objects.get(user=owner).note == ""
    assert SecurityEvent.objects.filter(user=owner).exists()  # kept, pseudonymised
    assert not SecurityEvent.objects.filter(username__in=["pemilik_a", old_email]).exists()
    assert not SecurityEvent.objects.filter(user=owner, ip_address__isnull=False).exists()
    assert not OutboundMail.objects.filter(to__contains=[old_email]).exists()
    # the KTP scan is gone (row and file); other documents stay
    assert not RequestDocument.objects.filter(doc_type=DocumentType.KTP).exists()
    assert RequestDocument.objects.filter(request=request).exists()
    # the log: no personal data, a journal line outside the database
    assert erasure.user_id_erased == owner.pk and erasure.unit_ids == [unit_a.pk]
    assert erasure.email_digest == privacy.email_digest(old_email)
    assert old_email not in json.dumps(erasure.unit_ids) + erasure.email_digest


def test_journal_line_written_after_commit(
    owner, unit_a, journal, django_capture_on_commit_callbacks
):
    email = owner.email
    with django_capture_on_commit_callbacks(execute=True):
        owner_erase(user_id=owner.pk)
    lines = journal.read_text().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["user_id"] == owner.pk and entry["unit_ids"] == [unit_a.pk]
    assert "Siti" not in lines[0] and email not in lines[0] and NIK_A not in lines[0]


def _resurrect(owner, unit, email: str) -> None:
    """What restoring a backup taken before the erasure brings back."""
    sealed = nik_module.seal(NIK_A)
    personal = {
        "owner_name": "Siti Aminah",
        "nik_ciphertext": sealed.ciphertext,
        "nik_digest": sealed.digest,
        "nik_last4": sealed.last4,
        "owner_address": "Jl. Kenanga 7, Sanggau",
        "owner_phone": "081234567890",
    }
    IKMUnit.objects.filter(pk=unit.pk).update(**personal)
    IKMUnit.history.model.objects.filter(id=unit.pk).update(**personal)
    type(owner).objects.filter(pk=owner.pk).update(
        username=email, email=email, first_name="Siti", is_active=True
    )


def test_reapply_erasures_after_a_restore(
    owner, unit_a, unit_b, journal, django_capture_on_commit_callbacks
):
    email = owner.email
    with django_capture_on_commit_callbacks(execute=True):
        owner_erase(user_id=owner.pk)
    # the restored backup predates the erasure: its log row is not there, the journal is
    Erasure.objects.all().delete()
    _resurrect(owner, unit_a, email)

    call_command("reapply_erasures", stdout=open("/dev/null", "w"))  # noqa: SIM115

    unit_a.refresh_from_db()
    assert (
        unit_a.owner_name == "Dihapus" and unit_a.nik_ciphertext == "" and unit_a.owner_phone == ""
    )
    assert set(_history(unit_a).values_list("owner_name", flat=True)) == {"Dihapus"}
    assert not _history(unit_a).exclude(nik_digest="").exists()
    owner.refresh_from_db()
    assert owner.email == "" and not owner.is_active and owner.username.startswith("dihapus-")
    erasure = Erasure.objects.get(user_id_erased=owner.pk)
    assert erasure.reapplied_at is not None and erasure.unit_ids == [unit_a.pk]
    unit_b.refresh_from_db()
    assert unit_b.owner_name == "Rudi Hartono" and unit_b.nik_last4 == "0002"


def test_reapply_erasures_from_the_database_log_alone(owner, unit_a, journal):
    email = owner.email
    owner_erase(user_id=owner.pk)  # the on_commit journal write never runs in this test
    assert not journal.exists()
    _resurrect(owner, unit_a, email)
    call_command("reapply_erasures", stdout=open("/dev/null", "w"))  # noqa: SIM115
    unit_a.refresh_from_db()
    assert unit_a.owner_name == "Dihapus" and unit_a.owner_address == ""
