"""Officials import the Dinas's own spreadsheets as they keep them (issue 10): the header row
below title rows, the office's own column names (synonyms, similarity), the mapping screen with
saved templates, ignored columns listed, messages and the error report naming the rows as the
spreadsheet program shows them and repeating the office's own columns; ``import_data --mapping``.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

import backoffice.tasks  # noqa: F401 - registers the import handlers, as the worker does
from backoffice.models import ImportMapping
from ikm.models import IKMUnit
from jobs.models import Job
from jobs.tasks import run_job
from tests.support.dinas import (
    DINAS_HEADER_ROW,
    DINAS_HEADERS,
    REAL_SHEET_ROWS,
    dinas_csv,
    dinas_row,
    dinas_rows,
    dinas_xlsx,
    real_dinas_xlsx,
    sheet_row_of,
)
from tests.support.otp import admin_login
from tests.support.worker import wait_for

S = Job.Status
IMPORT_URL = "/admin/ikm/ikmunit/import/"
jobs_db = pytest.mark.django_db(transaction=True, databases=["default", "direct"])
XLSX_FORMAT = "1"


def upload(client, data: bytes, name="daftar-ikm.xlsx", fmt=XLSX_FORMAT) -> Job:
    response = client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, data), "format": fmt, "resource": "0"},
    )
    return job_of(response)


def job_of(response) -> Job:
    assert response.status_code == 302, response.content[:3000]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-2]))


def run(job: Job) -> Job:
    run_job(job.pk)
    return Job.objects.get(pk=job.pk)


def send_mapping(client, inspect: Job, fields: list[str], template: str = ""):
    data = {f"kolom_{i}": f for i, f in enumerate(fields)}
    data["templat"] = template
    return client.post(f"/admin/ikm/ikmunit/import/mapping/{inspect.pk}/", data)


def page(client, job: Job) -> str:
    response = client.get(f"/admin/jobs/job/{job.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def proposed(inspect: Job) -> list[str]:
    return list(inspect.result["mapping"]["fields"])


EXPECTED_FIELDS = [
    "",  # NO
    "Nama usaha",
    "Nama pemilik",
    "Alamat usaha",
    "Desa/Kelurahan",
    "Kecamatan",
    "Kab/Kota",
    "WhatsApp",
    "Kelompok komoditas",
    "Deskripsi usaha",
    "Tenaga kerja",
    "Nilai investasi (Rp)",
    "Kapasitas produksi/tahun",
    "Satuan kapasitas",
    "Nilai produksi/tahun (Rp)",
    "Tahun berdiri",
    "NIB",
    "",  # KETERANGAN TAMBAHAN
]


# --- the command ----------------------------------------------------------------------------------
def test_command_imports_the_dinas_file_as_kept_and_a_reimport_changes_nothing(
    tmp_path, regions, province_official, capsys
):
    path = tmp_path / "daftar-ikm-sanggau-2025.xlsx"
    path.write_bytes(dinas_xlsx(dinas_rows(3)))
    call_command("import_data", "units", str(path), "--user", province_official.username)
    out = capsys.readouterr().out
    assert f"Judul kolom dibaca dari baris {DINAS_HEADER_ROW}." in out
    assert "Kolom diabaikan: NO, KETERANGAN TAMBAHAN" in out
    assert "3 baru, 0 diubah, 0 tetap" in out
    unit = IKMUnit.objects.get(nib="9120009900001")
    assert unit.name == "Kerupuk Basah Sanggau 1" and unit.owner_name == "Pemilik Nomor 1"
    assert unit.desa_id == "61.03.01.2007" and unit.address == "Jl. Kapuas No. 1"
    assert (unit.commodity_group, unit.description) == ("makanan", "Kerupuk basah")
    assert (unit.workers, unit.investment, unit.production_value) == (3, 15_000_001, 60_000_000)
    assert (unit.capacity, unit.capacity_unit, unit.year_established) == (1200, "kg", 2015)
    assert unit.whatsapp.endswith("81234567001") and not unit.phone
    before = list(IKMUnit.objects.order_by("pk").values())
    call_command("import_data", "units", str(path), "--user", province_official.username)
    assert "0 baru, 0 diubah, 3 tetap" in capsys.readouterr().out
    assert list(IKMUnit.objects.order_by("pk").values()) == before
    assert IKMUnit.history.count() == 3


def test_a_real_looking_dinas_file_imports_as_kept(tmp_path, regions, province_official, capsys):
    """Title rows, the office's headers, region names in other spellings, amounts and phones as
    written: imported as kept, the spellings read noted with their sheet rows; then unchanged."""
    path = tmp_path / "daftar-ikm-binaan-2025.xlsx"
    path.write_bytes(real_dinas_xlsx())
    call_command("import_data", "units", str(path), "--user", province_official.username)
    out = capsys.readouterr().out
    assert "Kolom diabaikan: NO, KETERANGAN TAMBAHAN" in out
    assert (
        f"catatan baris {REAL_SHEET_ROWS[0]}, kolom Desa/Kelurahan: 'Sungai Bangkong' dibaca "
        "sebagai Sungaibangkong (61.71.05.1001)."
    ) in out
    assert f"catatan baris {REAL_SHEET_ROWS[1]}, kolom Desa/Kelurahan: 'Kalinilam'" in out
    assert "3 baru, 0 diubah, 0 tetap" in out
    kopi = IKMUnit.objects.get(nib="9120001111101")
    assert (kopi.desa_id, kopi.investment, kopi.production_value) == (
        "61.71.05.1001",
        100_000_000,
        240_000_000,
    )
    assert (kopi.commodity_group, kopi.whatsapp, kopi.capacity) == (
        "minuman",
        "+6281256789001",
        1200,
    )
    amplang = IKMUnit.objects.get(name="Amplang Kalinilam")
    assert (amplang.desa_id, amplang.investment, amplang.production_value) == (
        "61.04.16.2007",
        1_500_000,
        1_200_000_000,
    )
    call_command("import_data", "units", str(path), "--user", province_official.username)
    assert "0 baru, 0 diubah, 3 tetap" in capsys.readouterr().out
    assert IKMUnit.history.count() == 3


def test_command_messages_and_error_report_name_the_sheet_rows(db, tmp_path, regions, capsys):
    rows = dinas_rows(5)
    rows[2][16] = "12345"  # data row 3: sheet row 8 (title rows, header and a blank row above)
    rows[3][1] = ""  # data row 4: no name
    rows[4][16] = rows[0][16]  # data row 5: the NIB of data row 1
    assert (sheet_row_of(3), sheet_row_of(4), sheet_row_of(5)) == (8, 9, 10)
    path = tmp_path / "daftar.xlsx"
    path.write_bytes(dinas_xlsx(rows))
    report = tmp_path / "kesalahan.xlsx"
    with pytest.raises(CommandError, match="tidak ada data yang disimpan"):
        call_command("import_data", "units", str(path), "--errors-out", str(report))
    err = capsys.readouterr().err
    assert "baris 8, kolom NIB: NIB harus 13 digit" in err
    assert "baris 9, kolom Nama usaha (NAMA IKM): Wajib diisi." in err
    assert "baris 10, kolom NIB: NIB 9120009900001 muncul lebih dari sekali" in err
    assert "(baris 5, 10)" in err  # the duplicate's rows, as the sheet numbers them
    assert not IKMUnit.objects.exists()
    sheet = openpyxl.load_workbook(report).active
    lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert lines[0] == ["Baris", "Kolom", "Kolom di berkas", "Kesalahan", "NIB", "Nama usaha",
                        *DINAS_HEADERS]  # fmt: skip
    by_row = {line[0]: line for line in lines[1:]}
    assert set(by_row) == {8, 9, 10}
    bad_nib = by_row[8]
    assert bad_nib[1:3] == ["NIB", "NIB"] and "13 digit" in bad_nib[3]
    assert bad_nib[4:6] == ["12345", "Kerupuk Basah Sanggau 3"]  # NIB and name of the row
    own = dict(zip(DINAS_HEADERS, bad_nib[6:], strict=True))  # the office's own cells
    assert own["NO"] == "3" and own["NAMA IKM"] == "Kerupuk Basah Sanggau 3"
    assert own["NO. HP/WA"] == "0812-3456-7003" and own["KETERANGAN TAMBAHAN"] == "binaan 2024"
    assert by_row[9][1:3] == ["Nama usaha", "NAMA IKM"]
    # The same report as CSV with ";" (Excel in Indonesian locale).
    report_csv = tmp_path / "kesalahan.csv"
    with pytest.raises(CommandError):
        call_command("import_data", "units", str(path), "--errors-out", str(report_csv))
    csv_lines = list(csv.reader(report_csv.open(encoding="utf-8-sig"), delimiter=";"))
    assert csv_lines[0] == lines[0]
    assert csv_lines[1][:2] == ["8", "NIB"] and csv_lines[1][6:8] == [
        "3",
        "Kerupuk Basah Sanggau 3",
    ]


def test_import_data_with_a_saved_template(tmp_path, regions, province_official, capsys):
    headers = ["URUT", "USAHA", "PENGUSAHA", "GOLONGAN", "DESA", "KECAMATAN", "KAB"]
    path = tmp_path / "lama.csv"
    path.write_text(
        ";".join(headers) + "\n1;Amplang Kapuas;Ani;makanan;Penyeladi;Kapuas;Sanggau\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import_data", "units", str(path))
    assert "Kolom wajib tidak ditemukan: Nama usaha" in capsys.readouterr().err
    with pytest.raises(CommandError, match="Templat pemetaan 'Daftar lama' tidak ada"):
        call_command("import_data", "units", str(path), "--mapping", "Daftar lama")
    fields = ["", "Nama usaha", "Nama pemilik", "Kelompok komoditas", "Desa/Kelurahan",
              "Kecamatan", "Kab/Kota"]  # fmt: skip
    from core.spreadsheet.mapping import ColumnMapping

    saved = ColumnMapping(headers, fields)
    ImportMapping.objects.create(
        name="Daftar lama",
        model_label="ikm.ikmunit",
        signature="signature of other headers",  # named explicitly, not found by headers
        headers=headers,
        mapping=saved.by_name(),
        created_by=province_official,
    )
    call_command("import_data", "units", str(path), "--mapping", "Daftar lama")
    captured = capsys.readouterr()
    assert "Memakai templat 'Daftar lama'." in captured.out
    assert "judul kolom berkas berbeda dari templat" in captured.err
    assert "Kolom diabaikan: URUT" in captured.out and "1 baru" in captured.out
    unit = IKMUnit.objects.get()
    assert (unit.name, unit.owner_name, unit.desa_id) == ("Amplang Kapuas", "Ani", "61.03.01.2007")


# --- the admin: mapping screen, template, preview summary, error report ---------------------------
@jobs_db
def test_mapping_screen_shows_columns_samples_and_refuses_a_wrong_mapping(
    client, regions, province_official, job_files
):
    client.force_login(province_official)
    inspect = run(upload(client, dinas_xlsx(dinas_rows(4))))
    assert inspect.status == S.DONE, inspect.error
    assert inspect.result["header_row"] == DINAS_HEADER_ROW
    assert proposed(inspect) == EXPECTED_FIELDS
    assert inspect.result["samples"][1] == [
        "Kerupuk Basah Sanggau 1",
        "Kerupuk Basah Sanggau 2",
        "Kerupuk Basah Sanggau 3",
    ]
    content = page(client, inspect)
    assert 'id="import-mapping"' in content
    assert "Judul kolom dibaca dari baris 4" in content
    assert "Kerupuk Basah Sanggau 2" in content  # samples
    assert '<option value="WhatsApp" selected>' in content
    assert '<span id="mapping-ignored-list">NO, KETERANGAN TAMBAHAN</span>' in content
    # Two columns for one field, and a required field left out: the screen again, no job.
    fields = proposed(inspect)
    fields[17] = "Deskripsi usaha"  # KETERANGAN TAMBAHAN, while JENIS PRODUK is that already
    fields[1] = ""  # NAMA IKM ignored
    response = send_mapping(client, inspect, fields)
    assert response.status_code == 200
    body = response.content.decode()
    assert "&#x27;Deskripsi usaha&#x27; dipilih untuk lebih dari satu kolom berkas: " in body
    assert "JENIS PRODUK, KETERANGAN TAMBAHAN" in body
    assert "Kolom wajib belum dipetakan: Nama usaha." in body
    assert '<option value="Deskripsi usaha" selected>' in body  # the official's choices kept
    assert Job.objects.count() == 1
    fields[1] = "Bukan kolom"
    assert send_mapping(client, inspect, fields).status_code == 200
    assert Job.objects.count() == 1


@jobs_db
def test_failed_preview_shows_summary_rows_and_both_reports(
    client, regions, province_official, job_files
):
    client.force_login(province_official)
    rows = dinas_rows(4)
    rows[2][16] = "12345"
    inspect = run(upload(client, dinas_xlsx(rows)))
    preview = run(job_of(send_mapping(client, inspect, proposed(inspect))))
    assert preview.status == S.FAILED
    assert preview.result["errors"] == 1
    assert (preview.result["new"], preview.result["ignored"]) == (3, ["NO", "KETERANGAN TAMBAHAN"])
    response = client.get(f"/admin/jobs/job/{preview.pk}/change/")
    assert response.context["error_rows"] == [("8", "NIB", response.context["error_rows"][0][2])]
    content = response.content.decode()
    assert "Baris yang benar: 3 baru, 0 diubah, 0 tetap (dari 4 baris)." in content
    assert "Kolom diabaikan: NO, KETERANGAN TAMBAHAN" in content
    xlsx = client.get(f"/admin/jobs/job/{preview.pk}/report/?format=xlsx")
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert lines[0][6:] == DINAS_HEADERS and lines[1][:2] == [8, "NIB"]
    assert lines[1][6:9] == ["3", "Kerupuk Basah Sanggau 3", "Pemilik Nomor 3"]
    report = client.get(f"/admin/jobs/job/{preview.pk}/report/")
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith(
        "Baris;Kolom;Kolom di berkas;Kesalahan;NIB;Nama usaha;NO;"
    )
    assert "Ubah pemetaan kolom" in content  # back to the mapping screen
    assert not IKMUnit.objects.exists()


@jobs_db
def test_mapping_changed_saved_as_template_reused_and_reimport_changes_nothing(
    client, regions, official_sanggau, start_worker, job_files
):
    """Through a real worker: the official reads "NO. HP/WA" as the unit's phone instead of its
    WhatsApp and saves the mapping as a template; the next file with the same headers (spelled
    differently) uses it automatically; a re-import of the same file changes nothing."""

    def finished(job: Job) -> Job:
        return wait_for(
            lambda: Job.objects.filter(pk=job.pk, status__in=(S.DONE, S.FAILED)).first(),
            timeout=60,
        )

    start_worker(job_files)
    client.force_login(official_sanggau)
    data = dinas_xlsx(dinas_rows(6))
    inspect = finished(upload(client, data))
    assert inspect.status == S.DONE, inspect.error
    fields = proposed(inspect)
    fields[7] = "Telepon usaha"  # NO. HP/WA
    preview = job_of(send_mapping(client, inspect, fields, template="  Daftar IKM   Dinas "))
    template = ImportMapping.objects.get()
    assert (template.name, template.model_label) == ("Daftar IKM Dinas", "ikm.ikmunit")
    assert template.created_by == official_sanggau and template.headers == DINAS_HEADERS
    assert template.mapping["nohpwa"] == "Telepon usaha" and template.mapping["no"] == ""
    assert preview.params["mapping"]["fields"] == fields
    assert preview.params["mapping"]["template"] == "Daftar IKM Dinas"
    preview = finished(preview)
    assert preview.status == S.DONE, preview.error
    content = page(client, preview)
    assert "Bila diimpor: 6 baru, 0 diubah, 0 tetap (dari 6 baris)." in content
    assert "Memakai templat 'Daftar IKM Dinas'" in content
    assert "Kolom diabaikan: NO, KETERANGAN TAMBAHAN" in content
    job = finished(job_of(client.post(f"/admin/ikm/ikmunit/import/confirm/{preview.pk}/")))
    assert job.status == S.DONE, job.error
    assert job.params["mapping"]["fields"] == fields
    unit = IKMUnit.objects.get(nib="9120009900001")
    assert unit.phone.endswith("81234567001") and not unit.whatsapp

    # The next file: the same headers in another spelling, other rows: the template is used.
    headers = [h.lower() for h in DINAS_HEADERS]
    headers[7] = "No HP / WA"
    book = openpyxl.Workbook()
    book.active.append(["DAFTAR IKM TAHUN 2026"])
    book.active.append(headers)
    book.active.append(dinas_row(7))
    out = io.BytesIO()
    book.save(out)
    inspect = finished(upload(client, out.getvalue(), name="daftar-2026.xlsx"))
    assert inspect.result["mapping"]["template"] == "Daftar IKM Dinas"
    assert proposed(inspect) == fields
    content = page(client, inspect)
    assert "Memakai templat 'Daftar IKM Dinas'" in content
    assert '<option value="Telepon usaha" selected>' in content

    # The first file again: nothing would change.
    inspect = finished(upload(client, data))
    assert proposed(inspect) == fields  # the template again
    preview = finished(job_of(send_mapping(client, inspect, proposed(inspect))))
    assert preview.status == S.DONE, preview.error
    assert (preview.result["new"], preview.result["update"], preview.result["skip"]) == (0, 0, 6)
    assert "Bila diimpor: 0 baru, 0 diubah, 6 tetap (dari 6 baris)." in page(client, preview)
    assert ImportMapping.objects.count() == 1


@jobs_db
def test_csv_with_title_rows_and_semicolons_through_the_admin(
    client, regions, province_official, job_files
):
    client.force_login(province_official)
    inspect = run(upload(client, dinas_csv(dinas_rows(3)), name="daftar.csv", fmt="0"))
    assert inspect.status == S.DONE, inspect.error
    assert inspect.result["header_row"] == DINAS_HEADER_ROW
    assert proposed(inspect) == EXPECTED_FIELDS
    preview = run(job_of(send_mapping(client, inspect, proposed(inspect))))
    assert preview.status == S.DONE, preview.error
    assert preview.result["new"] == 3 and preview.result["header_row"] == DINAS_HEADER_ROW


@pytest.mark.browser
def test_mapping_screen_in_the_browser_at_1366(
    live_server, page, screenshot, regions, province_official, start_worker, job_files
):
    """Chromium at 1366 px: upload a real-looking Dinas file, the mapping screen (samples,
    choices, ignored columns), one column changed and the template named, then the preview with
    its notes ("dibaca sebagai …") and the import."""
    start_worker(job_files)
    page.set_viewport_size({"width": 1366, "height": 900})
    base = live_server.url
    admin_login(page, base, province_official, "rahasia-Kalbar-2026", next_path=IMPORT_URL)
    page.set_input_files(
        "#id_import_file",
        files=[
            {
                "name": "daftar-ikm-binaan-2025.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": real_dinas_xlsx(),
            }
        ],
    )
    page.select_option("#id_format", XLSX_FORMAT)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/jobs/job/*/change/")
    page.wait_for_selector("#import-mapping", timeout=30_000)
    assert page.locator("#mapping-table tbody tr").count() == len(DINAS_HEADERS)
    assert page.locator("#kolom_1").input_value() == "Nama usaha"
    assert page.locator("#kolom_0").input_value() == ""  # NO: abaikan
    assert "NO, KETERANGAN TAMBAHAN" in page.locator("#mapping-ignored").inner_text()
    # The table fits the 1366 px window: no horizontal scrolling of the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.select_option("#kolom_3", "")  # ALAMAT ignored: the list follows at once
    assert page.locator("#mapping-ignored-list").inner_text() == "NO, ALAMAT, KETERANGAN TAMBAHAN"
    assert "ignored" in page.locator("#mapping-table tbody tr").nth(3).get_attribute("class")
    page.select_option("#kolom_3", "Alamat usaha")
    assert page.locator("#mapping-ignored-list").inner_text() == "NO, KETERANGAN TAMBAHAN"
    page.select_option("#kolom_7", "Telepon usaha")
    page.fill("#templat", "Daftar IKM Dinas")
    screenshot(page, "mapping")
    page.locator("#mapping-submit").click()
    page.wait_for_selector("#import-confirm", timeout=30_000)
    assert page.locator("#job-summary").inner_text() == (
        "Bila diimpor: 3 baru, 0 diubah, 0 tetap (dari 3 baris)."
    )
    assert "Daftar IKM Dinas" in page.locator("#import-template").inner_text()
    notes = page.locator("#import-notes").inner_text()
    assert "dibaca sebagai Sungaibangkong (61.71.05.1001)" in notes
    assert "dibaca sebagai Kali Nilam (61.04.16.2007)" in notes
    screenshot(page, "preview")
    assert ImportMapping.objects.get().mapping["nohpwa"] == "Telepon usaha"
    page.locator("#import-confirm input[type=submit]").click()
    page.wait_for_selector("#job-outcome:has-text('Impor selesai')", timeout=30_000)
    assert IKMUnit.objects.get(nib="9120001111101").phone == "+6281256789001"


@jobs_db
def test_notes_of_the_resource_are_listed_on_the_preview_and_downloadable(
    client, regions, province_official, job_files, monkeypatch
):
    """The notes channel: what the resource notes (e.g. a region name read as another spelling)
    is kept with the sheet's row numbers, listed on the preview page and in the notes file."""
    from ikm.resources import IKMUnitResource

    original = IKMUnitResource.import_row_extra

    def noting(self, instance, row, errors, **kwargs):
        original(self, instance, row, errors, **kwargs)
        if kwargs["row_number"] in (1, 3):
            self.add_note(kwargs["row_number"], "Desa/Kelurahan", "dibaca sebagai Penyeladi")

    monkeypatch.setattr(IKMUnitResource, "import_row_extra", noting)
    client.force_login(province_official)
    inspect = run(upload(client, dinas_xlsx(dinas_rows(3))))
    preview = run(job_of(send_mapping(client, inspect, proposed(inspect))))
    assert preview.status == S.DONE, preview.error
    expected = [[sheet_row_of(1), "Desa/Kelurahan", "dibaca sebagai Penyeladi"],
                [sheet_row_of(3), "Desa/Kelurahan", "dibaca sebagai Penyeladi"]]  # fmt: skip
    assert preview.result["notes"] == expected and expected[1][0] == 8
    assert preview.result["notes_count"] == 2
    response = client.get(f"/admin/jobs/job/{preview.pk}/change/")
    content = response.content.decode()
    assert 'id="import-notes"' in content and "2 catatan (bukan kesalahan)" in content
    assert "<td>8</td><td>Desa/Kelurahan</td><td>dibaca sebagai Penyeladi</td>" in content
    notes = client.get(f"/admin/jobs/job/{preview.pk}/report/")
    lines = b"".join(notes.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == ["Baris;Kolom;Catatan", "5;Desa/Kelurahan;dibaca sebagai Penyeladi",
                     "8;Desa/Kelurahan;dibaca sebagai Penyeladi"]  # fmt: skip


def test_products_and_certificates_are_mapped_by_their_synonyms(db, tmp_path, regions, capsys):
    from certifications.models import Certification
    from products.models import Product
    from tests.factories import UnitFactory

    UnitFactory(name="Lempok Sanggau", nib="9120000000011")
    products = tmp_path / "produk.csv"
    products.write_text(
        "DAFTAR PRODUK IKM 2025\n\nNO;NIB;PRODUK;KATEGORI;HARGA JUAL;KETERANGAN\n"
        "1;9120000000011;Lempok durian 250 g;makanan;35.000;Oleh-oleh khas\n",
        encoding="utf-8",
    )
    call_command("import_data", "products", str(products))
    assert "Kolom diabaikan: NO" in capsys.readouterr().out
    product = Product.objects.get()
    assert (product.name, product.price, product.description) == (
        "Lempok durian 250 g",
        35_000,
        "Oleh-oleh khas",
    )
    certificates = tmp_path / "sertifikat.csv"
    certificates.write_text(
        "NO;NIB IKM;JENIS SERTIFIKAT;NO. SERTIFIKAT;TGL TERBIT;MASA BERLAKU\n"
        "1;9120000000011;Halal;ID61110000123456;12 Januari 2024;11/01/2028\n",
        encoding="utf-8",
    )
    call_command("import_data", "certifications", str(certificates))
    cert = Certification.objects.get()
    assert (cert.type, cert.number, str(cert.issued_on)) == (
        "halal",
        "ID61110000123456",
        "2024-01-12",
    )


@jobs_db
def test_the_page_shows_the_first_1000_errors_and_the_report_has_all(
    client, regions, province_official, job_files
):
    client.force_login(province_official)
    rows = [dinas_row(i, nib="12345") for i in range(1, 1051)]
    inspect = run(upload(client, dinas_csv(rows, blank_after=()), name="besar.csv", fmt="0"))
    preview = run(job_of(send_mapping(client, inspect, proposed(inspect))))
    assert preview.status == S.FAILED and preview.result["errors"] == 1050
    response = client.get(f"/admin/jobs/job/{preview.pk}/change/")
    shown = response.context["error_rows"]
    assert len(shown) == 1000
    assert shown[0][:2] == ("5", "NIB") and shown[-1][0] == "1004"  # sheet rows: header is 4
    content = response.content.decode()
    assert "1050 kesalahan ditemukan" in content and "Di bawah ini 1000 yang pertama" in content
    report = client.get(f"/admin/jobs/job/{preview.pk}/report/")
    lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 1050 and lines[-1].startswith("1054;NIB;NIB;")
