"""The owner's journey in Debian's headless Chromium, with an official working in the real admin.

sign up → confirm from the mail → register a unit (and a product) → an official verifies it →
submit a halal self-declare request with documents → the official returns it with a note →
the owner fixes and resubmits → the official records issuance → the certificate shows on the
public product page and on the verification page.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from certifications.models import Certification, Request
from ikm.models import IKMUnit
from products.models import Product
from tests.factories import DESA_SANGGAU, UserFactory
from tests.support.otp import admin_login
from tests.support.requests import minimal_pdf, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "dayang.sumbi@example.id"
PASSWORD = "Lempok-Durian-Sanggau-2026"
OFFICIAL_PASSWORD = "Pejabat-Sanggau-2026"
CERT_NUMBER = "ID61110000777770924"


def write_documents(tmp_path) -> dict[str, str]:
    files = {}
    for doc_type in ("ktp", "nib", "product_list", "process", "halal_pledge"):
        path = tmp_path / f"{doc_type}.pdf"
        path.write_bytes(minimal_pdf(f"Dokumen {doc_type}"))
        files[doc_type] = str(path)
    photo = tmp_path / "foto-produk.png"
    photo.write_bytes(png_bytes((320, 240), (230, 180, 60)))
    files["photo"] = str(photo)
    fixed = tmp_path / "foto-produk-baru.png"
    fixed.write_bytes(png_bytes((640, 480), (200, 140, 30)))
    files["photo_fixed"] = str(fixed)
    return files


def test_owner_journey(
    regions, live_server, browser, page, screenshot, file_roots, tmp_path, settings
):
    from ikm.services import official_assign

    settings.SITE_URL = live_server.url
    base = live_server.url
    files = write_documents(tmp_path)
    shots = []

    def shot(p, name):
        shots.append(screenshot(p, name))

    # --- 1. sign up -----------------------------------------------------------------------
    page.goto(f"{base}/akun/daftar/")
    page.get_by_label("Nama lengkap").fill("Dayang Sumbi")
    page.get_by_label("Email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_consent").check()  # the privacy notice (UU PDP)
    shot(page, "01-daftar")
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_url(re.compile(r"/akun/daftar/terkirim/"))
    assert EMAIL in page.content()
    shot(page, "02-periksa-email")

    # --- 2. confirm from the mail, log in ----------------------------------------------------
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    link = re.search(r"https?://\S+/akun/konfirmasi/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.wait_for_url(re.compile(r"/akun/masuk/"))
    assert "sudah dikonfirmasi" in page.content()
    page.get_by_label("Email").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    shot(page, "03-masuk")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/portal/$"))
    shot(page, "04-dasbor-kosong")

    # --- 3. register a unit with the kab/kota → kecamatan → desa chooser ----------------------
    page.get_by_role("link", name="Daftarkan unit baru").click()
    page.get_by_label("Nama usaha").fill("Lempok Durian Dayang")
    page.get_by_label("Nama pemilik/penanggung jawab").fill("Dayang Sumbi")
    page.get_by_label("Kelompok komoditas").select_option("makanan")
    page.get_by_label("Kabupaten/kota").select_option("61.03")
    page.wait_for_selector(f"#id_kecamatan option[value='{DESA_SANGGAU[:8]}']", state="attached")
    page.get_by_label("Kecamatan").select_option(DESA_SANGGAU[:8])
    page.wait_for_selector(f"#id_desa option[value='{DESA_SANGGAU}']", state="attached")
    page.get_by_label("Desa/kelurahan").select_option(DESA_SANGGAU)
    page.get_by_label("WhatsApp usaha").fill("6281234567890")
    page.get_by_label("Tenaga kerja").fill("4")
    page.get_by_label("Nilai investasi (Rp)").fill("40000000")
    shot(page, "05-daftar-unit")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url(re.compile(r"/portal/$"))
    assert "Menunggu verifikasi Dinas" in page.content()
    unit = IKMUnit.objects.get(name="Lempok Durian Dayang")
    assert unit.owner.email == EMAIL and not unit.verified and unit.desa_id == DESA_SANGGAU

    # a product with a photo, published
    page.get_by_role("link", name="+ Tambah produk").click()
    page.get_by_label("Nama produk").fill("Lempok Durian Dayang 250 g")
    page.get_by_label("Kategori").select_option("makanan")
    page.get_by_label("Harga (Rp)").fill("45000")
    page.get_by_label("Tayang").check()
    page.get_by_role("button", name="Simpan produk").click()
    page.wait_for_url(re.compile(r"/portal/produk/\d+/ubah/"))
    page.locator("#id_image").set_input_files(files["photo"])
    page.get_by_label("Keterangan foto (untuk pembaca layar)").fill("Lempok durian dalam kemasan")
    page.get_by_role("button", name="Unggah foto").click()
    page.wait_for_url(re.compile(r"/portal/produk/\d+/ubah/"))
    assert "Foto ditambahkan" in page.content()
    shot(page, "06-produk-dengan-foto")
    product = Product.objects.get(unit=unit)
    assert product.is_published and product.photos.count() == 1

    # --- 4. an official verifies the unit in the admin ----------------------------------------
    official = UserFactory(username="pejabat.sanggau", password=OFFICIAL_PASSWORD)
    official_assign(user=official, kabupaten_id="61.03")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    admin = ctx.new_page()
    admin_login(admin, base, official, OFFICIAL_PASSWORD)  # password, then the TOTP code
    admin.goto(f"{base}/admin/ikm/ikmunit/?verified__exact=0")
    admin.locator(f"input[name=_selected_action][value='{unit.pk}']").check()
    admin.select_option("select[name=action]", "verify_units")
    admin.locator("button[name=index]").click()
    admin.wait_for_load_state()
    shot(admin, "07-admin-verifikasi-unit")
    unit.refresh_from_db()
    assert unit.verified

    # --- 5. the owner submits a halal self-declare request with documents ----------------------
    page.goto(f"{base}/portal/permohonan/baru/")
    shot(page, "08-pilih-jenis-permohonan")
    page.get_by_role("link", name=re.compile("pernyataan mandiri")).click()
    page.get_by_label("Lempok Durian Dayang 250 g").check()
    page.get_by_label("Keterangan untuk petugas").fill("Mohon fasilitasi sertifikat halal.")
    for doc_type in ("ktp", "nib", "product_list", "process", "halal_pledge", "photo"):
        page.locator(f"#id_doc_{doc_type}").set_input_files(files[doc_type])
    shot(page, "09-formulir-halal")
    page.get_by_role("button", name="Simpan dan ajukan").click()
    page.wait_for_url(re.compile(r"/portal/permohonan/\d+/$"))
    assert page.locator("#request-status").inner_text() == "Diajukan"
    shot(page, "10-permohonan-diajukan")
    req = Request.objects.get()
    assert req.status == "submitted" and req.documents.count() == 6

    # --- 6. the official starts review and returns it with a note ------------------------------
    admin.goto(f"{base}/admin/certifications/request/?antrean=perlu")
    shot(admin, "11-admin-antrean")
    admin.goto(f"{base}/admin/certifications/request/{req.pk}/change/")
    shot(admin, "11b-admin-permohonan-tombol")
    admin.get_by_role("button", name="Mulai periksa").click()
    admin.wait_for_load_state()
    admin.get_by_role("link", name="Kembalikan untuk perbaikan").click()
    admin.get_by_label("Catatan perbaikan untuk pemilik").fill(
        "Foto produk terlalu kecil; unggah foto kemasan yang jelas."
    )
    shot(admin, "12-admin-kembalikan")
    admin.locator("input[type=submit]").click()
    admin.wait_for_url(re.compile(rf"/admin/certifications/request/{req.pk}/change/"))
    req.refresh_from_db()
    assert req.status == "returned"

    # --- 7. the owner reads the note, fixes the photo and resubmits ----------------------------
    page.reload()
    assert "Foto produk terlalu kecil" in page.locator("#official-note").inner_text()
    assert page.locator("#request-status").inner_text() == "Dikembalikan untuk perbaikan"
    shot(page, "13-dikembalikan-dengan-catatan")
    assert any("Foto produk terlalu kecil" in m.body for m in mail.outbox if m.to == [EMAIL])
    page.get_by_role("link", name="Ubah keterangan dan dokumen").click()
    page.locator("#id_doc_photo").set_input_files(files["photo_fixed"])
    page.get_by_role("button", name="Simpan dan ajukan ulang").click()
    page.wait_for_url(re.compile(r"/portal/permohonan/\d+/$"))
    assert page.locator("#request-status").inner_text() == "Diajukan ulang"
    shot(page, "14-diajukan-ulang")

    # --- 8. the official reviews, forwards and records issuance -------------------------------
    admin.goto(f"{base}/admin/certifications/request/{req.pk}/change/")
    admin.get_by_role("button", name="Mulai periksa").click()
    admin.wait_for_load_state()
    admin.get_by_role("link", name="Teruskan/setujui").click()
    admin.locator("input[type=submit]").click()
    admin.wait_for_url(re.compile(rf"/admin/certifications/request/{req.pk}/change/"))
    admin.get_by_role("link", name="Catat sertifikat terbit").click()
    admin.get_by_label("Nomor sertifikat").fill(CERT_NUMBER)
    admin.get_by_label("Tanggal terbit").fill("2026-11-20")
    shot(admin, "15-admin-catat-terbit")
    admin.locator("input[type=submit]").click()
    admin.wait_for_url(re.compile(rf"/admin/certifications/request/{req.pk}/change/"))
    shot(admin, "16-admin-terbit")
    req.refresh_from_db()
    assert req.status == "issued"
    cert = Certification.objects.get(number=CERT_NUMBER)
    assert cert.unit == unit and list(cert.products.all()) == [product]

    page.reload()
    assert page.locator("#request-status").inner_text() == "Terbit"
    shot(page, "17-pemilik-terbit")

    # --- 9. public pages ----------------------------------------------------------------------
    page.goto(f"{base}/produk/{product.slug}/")
    assert page.get_by_text(CERT_NUMBER).first.is_visible()
    shot(page, "18-halaman-produk-publik")
    page.goto(f"{base}/verifikasi/?nomor={CERT_NUMBER}")
    body = page.content()
    assert CERT_NUMBER in body and "Lempok Durian Dayang" in body
    shot(page, "19-verifikasi")
    ctx.close()
    assert len(shots) == 20
