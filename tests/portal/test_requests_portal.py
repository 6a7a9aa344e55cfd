"""Owner-side request pages: create with documents, uploads refused by content, double submit."""

from __future__ import annotations

import io
import uuid

import pytest
from django.urls import reverse
from PIL import Image

from certifications.models import Request, RequestDocument
from certifications.uploads import REQUIRED_DOCUMENTS, check_document
from tests.support.requests import files_under, jpeg_bytes, minimal_pdf, png_bytes, upload

pytestmark = pytest.mark.django_db
KIND = "halal_self_declare"
S = Request.Status


def full_post(unit, product=None, token=None, **overrides):
    data = {
        "unit": unit.pk,
        "notes": "Mohon dibantu sertifikasi halal lempok.",
        "client_token": str(token or uuid.uuid4()),
    }
    if product:
        data["products"] = [product.pk]
    for doc_type in REQUIRED_DOCUMENTS[KIND]:
        if doc_type == "photo":
            data[f"doc_{doc_type}"] = upload("foto.png", png_bytes(), "image/png")
        else:
            data[f"doc_{doc_type}"] = upload(
                f"{doc_type}.pdf", minimal_pdf(doc_type), "application/pdf"
            )
    data.update(overrides)
    return data


def test_create_draft_with_documents_then_submit(client, owner, unit_a, product_a, file_roots):
    client.force_login(owner)
    url = reverse("portal:request_create", args=[KIND])
    response = client.get(url)
    assert response.status_code == 200
    assert "KTP pemilik" in response.content.decode()
    response = client.post(url, full_post(unit_a, product_a))
    req = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == req.get_absolute_url()
    assert req.status == S.DRAFT and req.created_by == owner and req.unit == unit_a
    assert list(req.products.all()) == [product_a]
    docs = RequestDocument.objects.filter(request=req)
    assert docs.count() == len(REQUIRED_DOCUMENTS[KIND])
    stored = files_under(file_roots["private"])
    assert len(stored) == docs.count()
    assert not files_under(file_roots["media"])  # nothing under MEDIA_ROOT
    ktp = docs.get(doc_type="ktp")
    assert ktp.original_name == "ktp.pdf" and ktp.content_type == "application/pdf"
    assert "ktp" not in ktp.file.name  # random storage name
    response = client.post(reverse("portal:request_submit", args=[req.pk]))
    req.refresh_from_db()
    assert req.status == S.SUBMITTED and req.submitted_at is not None
    detail = client.get(req.get_absolute_url()).content.decode()
    assert "Diajukan" in detail and "Tunggu petugas" in detail


def test_double_submit_creates_one_request(client, owner, unit_a, file_roots):
    client.force_login(owner)
    url = reverse("portal:request_create", args=[KIND])
    token = uuid.uuid4()
    first = client.post(url, full_post(unit_a, token=token, submit="1"))
    second = client.post(url, full_post(unit_a, token=token, submit="1"))
    assert Request.objects.count() == 1
    req = Request.objects.get()
    assert first["Location"] == second["Location"] == req.get_absolute_url()
    assert req.documents.count() == len(REQUIRED_DOCUMENTS[KIND])
    assert len(files_under(file_roots["private"])) == len(REQUIRED_DOCUMENTS[KIND])
    # One submission: draft row + one submitted row.
    assert list(req.status_changes.values_list("to_status", flat=True)) == ["draft", "submitted"]


def big_png() -> bytes:
    buf = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buf, "PNG", optimize=True)  # 48 megapixels, small file
    return buf.getvalue()


BAD_FILES = {
    "png_named_pdf": ("ktp.pdf", png_bytes, "Nama berkas berakhiran “.pdf” tetapi isinya PNG"),
    "html_named_jpg": (
        "ktp.jpg",
        lambda: b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        "isinya bukan PDF, JPEG atau PNG",
    ),
    "too_many_pixels": ("ktp.png", big_png, "Gambar terlalu besar"),
    "empty": ("ktp.pdf", lambda: b"", "kosong"),
    "truncated_pdf": ("ktp.pdf", lambda: minimal_pdf()[:200], "PDF rusak"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_upload_is_refused_next_to_the_field_and_the_good_files_are_kept(
    case, client, owner, unit_a, file_roots
):
    """Issue 14: one bad file no longer discards the good ones; they are on the draft."""
    name, make, message = BAD_FILES[case]
    client.force_login(owner)
    data = full_post(unit_a, doc_ktp=upload(name, make()), submit="1")
    response = client.post(reverse("portal:request_create", args=[KIND]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    # The message sits beside the KTP field, which points at it.
    assert 'id="id_doc_ktp_error"' in html
    assert 'aria-describedby="id_doc_ktp_helptext id_doc_ktp_error"' in html
    assert set(response.context["form"].errors) == {"doc_ktp"}
    # The draft holds every good file, not the bad one, and was not submitted.
    req = Request.objects.get()
    assert req.status == S.DRAFT
    stored = set(req.documents.values_list("doc_type", flat=True))
    assert stored == set(REQUIRED_DOCUMENTS[KIND]) - {"ktp"}
    assert list(req.status_changes.values_list("to_status", flat=True)) == ["draft"]
    assert len(files_under(file_roots["private"])) == len(stored)
    assert files_under(file_roots["media"]) == []
    # The re-shown form is the draft's: it posts to the draft, says what was kept.
    assert f'action="{reverse("portal:request_edit", args=[req.pk])}"' in html
    assert req.reference in html and "Berkas yang tersimpan" in html


def test_storage_failure_midway_leaves_no_row_and_no_file(
    client, owner, unit_a, file_roots, monkeypatch
):
    """If saving the 3rd document fails, the request and the first two files are gone."""
    from certifications import services

    calls = {"n": 0}
    original = services._save_document

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_save_document", flaky)
    client.force_login(owner)
    client.raise_request_exception = False
    response = client.post(reverse("portal:request_create", args=[KIND]), full_post(unit_a))
    assert response.status_code == 500
    assert not Request.objects.exists()
    assert files_under(file_roots["private"]) == []


def test_check_document_accepts_jpeg_png_pdf():
    assert check_document(upload("a.jpg", jpeg_bytes())).content_type == "image/jpeg"
    assert check_document(upload("a.PNG", png_bytes())).content_type == "image/png"
    assert check_document(upload("a.pdf", minimal_pdf())).content_type == "application/pdf"


def test_too_large_file_refused(settings):
    from django.core.exceptions import ValidationError

    data = minimal_pdf() + b"%" * (5 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        check_document(upload("a.pdf", data))
    assert "terlalu besar" in exc.value.messages[0]


def test_returned_request_can_be_fixed_and_resubmitted(
    client, owner, unit_a, official_sanggau, file_roots
):
    from certifications import services
    from tests.support.requests import make_request

    req = make_request(unit_a, owner, status=S.IN_REVIEW)
    services.request_return_for_revision(
        request_id=req.pk, official=official_sanggau, note="Foto produk kurang jelas."
    )
    client.force_login(owner)
    detail = client.get(req.get_absolute_url()).content.decode()
    assert "Foto produk kurang jelas." in detail
    assert "Ajukan ulang" in detail
    old_photo = req.documents.get(doc_type="photo")
    old_path = file_roots["private"] / old_photo.file.name
    assert old_path.exists()
    from django.test import TestCase  # noqa: F401  (keeps imports explicit)

    response = client.post(
        reverse("portal:request_edit", args=[req.pk]),
        {
            "notes": "Foto sudah diganti.",
            "doc_photo": upload("baru.jpg", jpeg_bytes(), "image/jpeg"),
            "submit": "1",
        },
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == S.RESUBMITTED
    photo = req.documents.get(doc_type="photo")
    assert photo.original_name == "baru.jpg"
    assert req.notes == "Foto sudah diganti."


def test_submitted_request_cannot_be_edited(client, owner, unit_a, file_roots):
    from tests.support.requests import make_request

    req = make_request(unit_a, owner, status=S.SUBMITTED)
    client.force_login(owner)
    before = set(req.documents.values_list("pk", flat=True))
    response = client.post(
        reverse("portal:request_edit", args=[req.pk]),
        {"doc_ktp": upload("x.pdf", minimal_pdf())},
    )
    assert response.status_code == 302
    assert set(req.documents.values_list("pk", flat=True)) == before


def test_owner_withdraws(client, owner, unit_a, file_roots):
    from tests.support.requests import make_request

    req = make_request(unit_a, owner, status=S.RETURNED)
    client.force_login(owner)
    client.post(reverse("portal:request_withdraw", args=[req.pk]), {"note": "Tidak jadi."})
    req.refresh_from_db()
    assert req.status == S.WITHDRAWN
    assert req.status_changes.get().note == "Tidak jadi."
