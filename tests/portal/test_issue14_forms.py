"""Issue 14 in the owner portal, without a browser: errors beside their fields with a summary,
limits refused (never cut), good files kept on the draft, one message per action, the request
number on pages, in the admin and in the mail, "klaim unit ini" for a taken NIB, wording."""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from certifications import services
from certifications.models import Request, RequestDocument, parse_request_reference
from certifications.uploads import REQUIRED_DOCUMENTS
from ikm.models import IKMUnit
from jobs.models import OutboundMail
from portal.checklist import owner_checklist
from tests.factories import DESA_SANGGAU, CertificationFactory, ProductFactory
from tests.support.requests import files_under, make_request, minimal_pdf, png_bytes, upload

pytestmark = pytest.mark.django_db
KIND = "halal_self_declare"
S = Request.Status


def unit_post(**overrides) -> dict:
    data = {
        "name": "Lempok Durian Dayang",
        "owner_name": "Dayang Sumbi",
        "nik": "",
        "nib": "6103000000099",
        "kabupaten": DESA_SANGGAU[:5],
        "kecamatan": DESA_SANGGAU[:8],
        "desa": DESA_SANGGAU,
        "address": "Jl. Kenanga 7",
        "commodity_group": "makanan",
        "description": "",
        "workers": "3",
        "investment": "20000000",
    }
    data.update(overrides)
    return data


def documents_post(**overrides) -> dict:
    data = {}
    for doc_type in REQUIRED_DOCUMENTS[KIND]:
        if doc_type == "photo":
            data[f"doc_{doc_type}"] = upload("foto.png", png_bytes(), "image/png")
        else:
            data[f"doc_{doc_type}"] = upload(f"{doc_type}.pdf", minimal_pdf(doc_type))
    data.update(overrides)
    return data


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- errors beside their fields, a summary linking to them ----------------------------------
def test_errors_sit_beside_their_fields_with_a_summary_of_links(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("portal:unit_register"), unit_post(nib="610300000009", investment="-5")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert not IKMUnit.objects.exists()
    for name in ("nib", "investment"):
        # the input says it is invalid and points at its own message, which follows the label
        field = re.search(rf'<input[^>]*id="id_{name}"[^>]*>', html).group()
        assert 'aria-invalid="true"' in field
        assert f"id_{name}_error" in re.search(r'aria-describedby="([^"]*)"', field).group(1)
        block = html[html.index(f'<label for="id_{name}"') :]
        assert block.index(f'id="id_{name}_error"') < block.index(f'id="id_{name}"')
        # and the summary at the top links to the field
        summary = html[
            html.index('id="error-summary"') : html.index(
                "</div>", html.index('id="error-summary"')
            )
        ]
        assert f'href="#id_{name}"' in summary
    assert re.search(r'<div class="error-summary" id="error-summary" role="alert"', html)
    assert "Periksa lagi 2 isian berikut" in html
    # a field without an error is not marked
    name_input = re.search(r'<input[^>]*id="id_name"[^>]*>', html).group()
    assert "aria-invalid" not in name_input


def test_a_too_long_name_is_refused_with_a_message_never_cut(client, owner):
    client.force_login(owner)
    page = client.get(reverse("portal:unit_register")).content.decode()
    name_input = re.search(r'<input[^>]*id="id_name"[^>]*>', page).group()
    assert 'data-maxlength="200"' in name_input and " maxlength=" not in name_input
    response = client.post(reverse("portal:unit_register"), unit_post(name="L" * 5600))
    assert response.status_code == 200
    assert not IKMUnit.objects.exists()  # not saved cut to 200 either
    errors = response.context["form"].errors["name"]
    assert "200" in errors[0] and "5600" in errors[0]
    assert 'id="id_name_error"' in response.content.decode()


def test_new_unit_nik_help_does_not_speak_of_changing_it(client, owner, unit_a):
    client.force_login(owner)
    new = client.get(reverse("portal:unit_register")).content.decode()
    assert "Kosongkan bila tidak ingin mengubahnya" not in new
    assert "Disimpan terenkripsi" in new


def test_duplicate_nib_offers_to_claim_the_unit(client, owner, unit_b):
    client.force_login(owner)
    response = client.post(reverse("portal:unit_register"), unit_post(nib=unit_b.nib))
    html = response.content.decode()
    assert IKMUnit.objects.filter(nib=unit_b.nib).count() == 1
    claim = f"{reverse('portal:unit_claim')}?nib={unit_b.nib}"
    assert f'href="{claim}"' in html and "Klaim unit ini" in html
    # the claim form opens with that NIB filled in
    page = client.get(claim).content.decode()
    assert re.search(rf'<input[^>]*name="nib"[^>]*value="{unit_b.nib}"', page)
    # an unrelated error shows no claim link
    html = client.post(reverse("portal:unit_register"), unit_post(nib="123")).content.decode()
    assert "Klaim unit ini" not in html


# --- request documents: the good ones are kept ----------------------------------------------
def test_one_bad_file_among_six_keeps_the_five_good_ones_on_the_draft(
    client, owner, unit_a, product_a, file_roots
):
    client.force_login(owner)
    data = {
        "unit": unit_a.pk,
        "products": [product_a.pk],
        "notes": "Mohon dibantu.",
        "client_token": str(uuid.uuid4()),
        **documents_post(doc_process=upload("proses.pdf", b"<html>bukan pdf</html>")),
    }
    response = client.post(reverse("portal:request_create", args=[KIND]), data)
    assert response.status_code == 200
    req = Request.objects.get()
    stored = dict(req.documents.values_list("doc_type", "original_name"))
    assert set(stored) == set(REQUIRED_DOCUMENTS[KIND]) - {"process"}
    assert stored["ktp"] == "ktp.pdf" and stored["photo"] == "foto.png"
    assert list(req.products.all()) == [product_a] and req.notes == "Mohon dibantu."
    assert len(files_under(file_roots["private"])) == 5
    assert flashed(response) == []  # the page itself says it, once
    html = response.content.decode()
    assert 'id="id_doc_process_error"' in html and "Berkas yang tersimpan" in html
    # Choosing only the failed file again completes the draft; nothing else is re-sent.
    form = response.context["form"]
    again = {
        "notes": "Mohon dibantu.",
        "products": [product_a.pk],
        "_version": form.initial.get("_version", ""),
        "doc_process": upload("proses.pdf", minimal_pdf("proses")),
        "submit": "1",
    }
    response = client.post(reverse("portal:request_edit", args=[req.pk]), again)
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == S.SUBMITTED
    assert req.documents.count() == 6
    assert flashed(response) == [f"Permohonan {req.reference} diajukan ke Dinas."]


def test_edit_with_a_bad_file_keeps_the_good_replacement(client, owner, unit_a, file_roots):
    req = make_request(unit_a, owner)
    old_ktp = req.documents.get(doc_type="ktp").file.name
    client.force_login(owner)
    page = client.get(reverse("portal:request_edit", args=[req.pk]))
    version = page.context["form"].initial.get("_version", "")
    data = {
        "notes": "Revisi",
        "_version": version,
        "doc_ktp": upload("ktp-baru.pdf", minimal_pdf("baru")),
        "doc_nib": upload("nib.pdf", b""),
    }
    response = client.post(reverse("portal:request_edit", args=[req.pk]), data)
    assert response.status_code == 200
    names = dict(req.documents.values_list("doc_type", "original_name"))
    assert names["ktp"] == "ktp-baru.pdf" and names["nib"] == "nib.pdf"  # the old NIB stays
    assert RequestDocument.objects.filter(request=req, doc_type="nib").count() == 1
    req.refresh_from_db()
    assert req.notes == "Revisi" and req.status == S.DRAFT
    assert old_ktp not in [p.name for p in files_under(file_roots["private"])]


# --- one message per action; the number everywhere ------------------------------------------
def test_save_and_submit_gives_one_message_with_the_number(
    client, owner, unit_a, product_a, file_roots, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "jobs.mail.QueuedEmailBackend"
    client.force_login(owner)
    data = {
        "unit": unit_a.pk,
        "products": [product_a.pk],
        "notes": "",
        "client_token": str(uuid.uuid4()),
        "submit": "1",
        **documents_post(),
    }
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("portal:request_create", args=[KIND]), data)
    req = Request.objects.get()
    assert req.status == S.SUBMITTED
    assert re.fullmatch(r"PRM-\d{4}-\d{6}", req.reference)
    assert req.reference.endswith(f"-{req.pk:06d}")
    assert flashed(response) == [f"Permohonan {req.reference} diajukan ke Dinas."]
    # the mail the owner gets names it, in the subject and the body
    for callback in callbacks:
        callback()
    mail = OutboundMail.objects.get(to=[owner.email])
    assert req.reference in mail.subject and req.reference in mail.body
    # the pages name it: detail (title and body), edit form, dashboard
    detail = client.get(req.get_absolute_url()).content.decode()
    assert f"<title>{req.reference}" in detail and 'id="request-ref"' in detail
    assert req.reference in client.get(reverse("portal:dashboard")).content.decode()


def test_save_draft_gives_one_message(client, owner, unit_a, file_roots):
    client.force_login(owner)
    page = client.get(reverse("portal:request_create", args=[KIND])).content.decode()
    assert 'id="kept-files"' not in page and "error-summary" not in page
    data = {"unit": unit_a.pk, "notes": "", "client_token": str(uuid.uuid4()), "save": "1"}
    response = client.post(reverse("portal:request_create", args=[KIND]), data)
    req = Request.objects.get()
    assert flashed(response) == [f"Konsep permohonan {req.reference} disimpan."]


def test_refused_submit_after_save_is_one_message(client, owner, unit_a, file_roots):
    client.force_login(owner)
    data = {"unit": unit_a.pk, "notes": "", "client_token": str(uuid.uuid4()), "submit": "1"}
    response = client.post(reverse("portal:request_create", args=[KIND]), data)
    req = Request.objects.get()
    assert req.status == S.DRAFT
    (message,) = flashed(response)
    assert message.startswith(f"Konsep {req.reference} disimpan, tetapi belum diajukan:")
    assert "Dokumen wajib belum lengkap" in message


def test_identity_change_is_one_message(client, owner, unit_a):
    client.force_login(owner)
    page = client.get(reverse("portal:unit_edit", args=[unit_a.pk]))
    form = page.context["form"]
    data = {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(unit_post(nib=unit_a.nib or ""), name="Lempok Durian Bu Siti Baru")
    data["_version"] = form.initial.get("_version", "")
    response = client.post(reverse("portal:unit_edit", args=[unit_a.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    (message,) = flashed(response)
    assert message.startswith("Data unit disimpan.") and "diverifikasi ulang" in message


def test_reference_is_stable_and_read_back(owner, unit_a, file_roots):
    req = make_request(unit_a, owner)
    year = req.created_at.year
    assert req.reference == f"PRM-{year}-{req.pk:06d}"
    assert str(req).startswith(req.reference)
    req.refresh_from_db()
    assert req.reference == f"PRM-{year}-{req.pk:06d}"
    for text in (req.reference, req.reference.lower(), f"PRM-{req.pk:06d}", str(req.pk)):
        assert parse_request_reference(text) == req.pk
    assert parse_request_reference("Lempok") is None


def test_admin_shows_and_finds_the_number(client, owner, unit_a, file_roots, province_official):
    req = make_request(unit_a, owner, status=S.SUBMITTED)
    other = make_request(unit_a, owner, status=S.SUBMITTED)
    from ikm.roles import ensure_role_groups
    from ikm.services import official_assign

    ensure_role_groups()
    official_assign(user=province_official, kabupaten_id=None)
    province_official.refresh_from_db()
    client.force_login(province_official)
    url = reverse("admin:certifications_request_changelist")
    response = client.get(url, {"q": req.reference})
    assert [r.pk for r in response.context["cl"].result_list] == [req.pk]
    assert req.reference in response.content.decode()
    assert other.reference not in response.content.decode()
    # an official's verb says the number, not "#id"
    services.request_start_review(request_id=req.pk, official=province_official)
    change = client.get(reverse("admin:certifications_request_change", args=[req.pk]))
    assert req.reference in change.content.decode()


# --- wording -----------------------------------------------------------------------------------
def test_required_documents_list_has_no_space_before_commas(client, owner):
    client.force_login(owner)
    html = client.get(reverse("portal:request_choose")).content.decode()
    assert "KTP pemilik, NIB" in html
    assert not re.search(r"\s,", re.sub(r"<[^>]+>", "", html))


def test_password_pages_say_kata_sandi_and_anda(client, owner):
    client.force_login(owner)
    html = client.get(reverse("portal:password_change")).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Kata sandi lama" in text and "Kata sandi baru" in text
    assert not re.search(r"(?<![Kk]ata )\b[Ss]andi\b", text)
    assert not re.search(r"\banda\b", text)
    client.logout()
    login = re.sub(r"<[^>]+>", " ", client.get(reverse("portal:login")).content.decode())
    assert "Kata sandi" in login


# --- the dashboard checklist --------------------------------------------------------------------
def test_checklist_gives_one_next_action_per_item(owner, unit_a, file_roots):
    items = {i.key: i for i in owner_checklist(owner)}
    assert list(items) == ["unit", "photos", "certificates", "request"]
    assert items["unit"].done  # the factory's unit is verified
    assert not items["photos"].done
    assert items["photos"].action_url == reverse("portal:product_create", args=[unit_a.pk])
    product = ProductFactory(unit=unit_a, name="Lempok 250 g")
    items = {i.key: i for i in owner_checklist(owner)}
    assert items["photos"].action_url == reverse("portal:photo_add", args=[product.pk])
    assert items["certificates"].action_url == reverse("portal:request_choose")
    assert items["request"].action_url == reverse("portal:request_choose")
    req = make_request(unit_a, owner, status=S.RETURNED)
    CertificationFactory(unit=unit_a)
    items = {i.key: i for i in owner_checklist(owner)}
    assert items["certificates"].done and not items["certificates"].action_url
    assert items["request"].action_url == req.get_absolute_url()
    assert req.reference in items["request"].action_label
    for item in items.values():  # each open item has exactly one action
        assert item.done == (not item.action_url)


def test_checklist_without_a_unit(client, owner):
    client.force_login(owner)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{reverse("portal:unit_register")}">Daftarkan unit usaha</a>' in html
