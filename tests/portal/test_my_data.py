"""The owner portal's "Data saya" (UU PDP): the page, the JSON and PDF downloads, correction
and deletion requests, consent at sign-up, and the privacy notice."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.urls import reverse

from certifications.models import StatusChange
from ikm import nik as nik_module
from ikm.models import Consent, DataSubjectRequest, IKMUnit, UnitClaim
from ikm.privacy import NOTICE_VERSION
from tests.support.requests import make_request

pytestmark = pytest.mark.django_db

NIK_A = "6103014512850001"
NIK_B = "6104015506900002"
PASSWORD = "rahasia-Kalbar-2026"  # tests.factories.UserFactory


def _personal(unit, nik, address, phone):
    sealed = nik_module.seal(nik)
    unit.nik_ciphertext, unit.nik_digest, unit.nik_last4 = (
        sealed.ciphertext,
        sealed.digest,
        sealed.last4,
    )
    unit.owner_address, unit.owner_phone = address, phone
    unit.save()


@pytest.fixture
def world(owner, other_owner, unit_a, unit_b, product_a, product_b, file_roots):
    _personal(unit_a, NIK_A, "Jl. Kenanga 7, Sanggau", "081234567890")
    _personal(unit_b, NIK_B, "Jl. Merdeka 2, Ketapang", "081298765432")
    req = make_request(unit_a, owner, products=[product_a])
    StatusChange.objects.create(
        request=req, from_status="draft", to_status="submitted", actor=owner
    )
    make_request(unit_b, other_owner, products=[product_b])
    UnitClaim.objects.create(unit=unit_b, user=owner, note="Unit kakak saya")
    Consent.objects.create(user=owner, notice_version=NOTICE_VERSION)
    return {"request": req}


def test_page_lists_data_masked_nik_and_legal_basis(client, owner, world):
    client.force_login(owner)
    response = client.get(reverse("portal:my_data"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "************0001" in html and NIK_A not in html
    assert "Jl. Kenanga 7, Sanggau" in html
    assert "Pasal 20 ayat (2)" in html and "Persetujuan Anda saat mendaftar" in html
    assert "Amplang Pak Rudi" not in html and NIK_B not in html
    assert "no-store" in response["Cache-Control"]


def test_json_download_holds_the_owners_data_and_nobody_elses(client, owner, world):
    client.force_login(owner)
    response = client.get(reverse("portal:my_data_download", args=["json"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["akun"]["email"] == "pemilik.a@example.id"
    assert [u["nama_usaha"] for u in data["unit"]] == ["Lempok Durian Bu Siti"]
    personal = data["unit"][0]["pemilik"]
    assert personal == {
        "nama_pemilik": "Siti Aminah",
        "nik": NIK_A,  # whole, in their own download
        "alamat_rumah": "Jl. Kenanga 7, Sanggau",
        "telepon_pribadi": IKMUnit.objects.get(name="Lempok Durian Bu Siti").owner_phone,
    }
    assert personal["telepon_pribadi"].endswith("81234567890")
    assert [p["nama"] for p in data["produk"]] == ["Lempok Durian 250 g"]
    (req,) = data["permohonan"]
    assert {d["jenis"] for d in req["dokumen"]} >= {"KTP pemilik", "NIB"}
    assert req["riwayat_status"][0]["ke"] == "Diajukan"
    assert data["klaim_unit"][0]["catatan"] == "Unit kakak saya"
    assert data["persetujuan"][0]["versi_kebijakan"] == NOTICE_VERSION
    body = response.content.decode()
    assert "Amplang Pak Rudi" not in json.dumps(data["unit"]) + json.dumps(data["produk"])
    assert NIK_B not in body and "Jl. Merdeka 2" not in body and "pemilik.b@" not in body
    # the download is logged as an access request, fulfilled at once
    dsr = DataSubjectRequest.objects.get(user=owner)
    assert (dsr.kind, dsr.status) == ("akses", "selesai") and dsr.handled_at is not None


def test_pdf_download_is_a_pdf_with_pages(client, owner, world):
    client.force_login(owner)
    response = client.get(reverse("portal:my_data_download", args=["pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 2  # the data runs over pages
    assert pdf.rstrip().endswith(b"%%EOF")
    assert DataSubjectRequest.objects.filter(user=owner, kind="akses").count() == 1


def test_pdf_of_another_owner_differs(client, owner, other_owner, world):
    """Each owner gets their own file: the other owner's PDF is built from their data."""
    from certifications.privacy import export_personal_data

    data = export_personal_data(other_owner)
    assert [u["nama_usaha"] for u in data["unit"]] == ["Amplang Pak Rudi"]
    assert data["unit"][0]["pemilik"]["nik"] == NIK_B


def test_download_needs_login_and_a_known_format(client, owner, world):
    response = client.get(reverse("portal:my_data_download", args=["json"]))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    client.force_login(owner)
    assert client.get("/portal/data-saya/unduh.xml").status_code == 404
    assert not DataSubjectRequest.objects.exists()


def test_correction_request_creates_a_row_with_deadline(client, owner, world):
    client.force_login(owner)
    response = client.post(
        reverse("portal:my_data_correction"),
        {"field": "account_email", "requested_value": "siti.baru@example.id", "note": "ganti"},
    )
    assert response.status_code == 302
    dsr = DataSubjectRequest.objects.get(user=owner)
    assert (dsr.kind, dsr.status, dsr.field) == ("koreksi", "diterima", "account_email")
    assert dsr.requested_value == "siti.baru@example.id"
    assert dsr.deadline - dsr.requested_at == datetime.timedelta(hours=72)


def test_correction_request_without_a_field_is_refused(client, owner, world):
    client.force_login(owner)
    response = client.post(reverse("portal:my_data_correction"), {"requested_value": "x"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not DataSubjectRequest.objects.exists()


def test_deletion_request_needs_password_and_confirmation(client, owner, world):
    client.force_login(owner)
    url = reverse("portal:my_data_deletion")
    response = client.post(url, {"password": "salah-sekali", "confirm": "on"})
    assert response.status_code == 400 and "Kata sandi salah" in response.content.decode()
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 400
    assert not DataSubjectRequest.objects.exists()
    response = client.post(url, {"password": PASSWORD, "confirm": "on", "note": "tutup usaha"})
    assert response.status_code == 302
    dsr = DataSubjectRequest.objects.get(user=owner)
    assert (dsr.kind, dsr.status, dsr.note) == ("penghapusan", "diterima", "tutup usaha")
    assert dsr.deadline - dsr.requested_at == datetime.timedelta(hours=72)
    page = client.get(reverse("portal:my_data")).content.decode()
    assert "sedang diproses" in page
    # nothing is erased until an official finishes the request
    owner.refresh_from_db()
    assert owner.is_active and owner.email == "pemilik.a@example.id"


# --- consent and the notice -----------------------------------------------------------------
SIGNUP = {
    "full_name": "Siti Aminah",
    "email": "siti.daftar@example.id",
    "password1": "Lempok-Durian-Sanggau-2026",
    "password2": "Lempok-Durian-Sanggau-2026",
}


def test_signup_records_consent_with_the_notice_version(client):
    from django.contrib.auth import get_user_model

    response = client.post(reverse("portal:account_signup"), {**SIGNUP, "consent": "on"})
    assert response.status_code == 302
    user = get_user_model().objects.get(email="siti.daftar@example.id")
    consent = Consent.objects.get(user=user)
    assert consent.notice_version == NOTICE_VERSION and consent.given_at is not None


def test_signup_without_consent_is_refused(client):
    from django.contrib.auth import get_user_model

    response = client.post(reverse("portal:account_signup"), SIGNUP)
    assert response.status_code == 200
    assert "Centang persetujuan kebijakan privasi" in response.content.decode()
    assert not get_user_model().objects.filter(email="siti.daftar@example.id").exists()
    assert not Consent.objects.exists()


def test_privacy_notice_is_public_and_linked(client):
    response = client.get(reverse("public:privacy"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kebijakan privasi" in html and NOTICE_VERSION in html and "3 × 24 jam" in html
    assert reverse("public:privacy") in client.get(reverse("public:home")).content.decode()
    signup = client.get(reverse("portal:account_signup")).content.decode()
    assert reverse("public:privacy") in signup and 'name="consent"' in signup
