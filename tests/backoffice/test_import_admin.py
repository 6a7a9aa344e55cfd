"""The admin's import (upload -> inspect job and mapping screen -> preview job -> confirm ->
import job), the error report, export.

The jobs here are run in this process by ``jobs.tasks.run_job``, the function the worker runs
(tests/backoffice/test_import_jobs.py runs them in a real worker, killed one included). Jobs
need committed rows (their progress goes through the "direct" connection): transactional tests.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

import backoffice.tasks  # noqa: F401 - registers the import handlers, as the worker does
from ikm.models import IKMUnit, PersonalDataExport
from jobs.models import Job
from jobs.tasks import run_job
from tests.factories import DESA_KETAPANG, DESA_SANGGAU, UnitFactory
from tests.ikm.test_resources import GOOD_ROWS
from tests.support.spreadsheets import UNIT_HEADERS, make_csv

IMPORT_URL = "/admin/ikm/ikmunit/import/"
PROCESS_URL = "/admin/ikm/ikmunit/process_import/"
EXPORT_URL = "/admin/ikm/ikmunit/export/"
S = Job.Status
jobs_db = pytest.mark.django_db(transaction=True, databases=["default", "direct"])


def grant(user, *codenames):
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def prov(province_official):
    return grant(province_official, "view_ikmunit", "add_ikmunit", "change_ikmunit")


@pytest.fixture
def sanggau(official_sanggau):
    return grant(official_sanggau, "view_ikmunit", "add_ikmunit", "change_ikmunit")


def upload(client, data: bytes, name="unit.csv", fmt="0"):
    return client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, data, "text/csv"), "format": fmt, "resource": "0"},
    )


def job_of(response) -> Job:
    """The job a response redirected to (its page)."""
    assert response.status_code == 302, response.content[:2000]
    location = response["Location"]
    assert location.startswith("/admin/jobs/job/"), location
    return Job.objects.get(pk=int(location.rstrip("/").split("/")[-2]))


def run(job: Job) -> Job:
    run_job(job.pk)  # in this process: the same code the worker runs
    return Job.objects.get(pk=job.pk)


def page(client, job: Job) -> str:
    response = client.get(f"/admin/jobs/job/{job.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def confirm(client, job: Job):
    return client.post(f"/admin/ikm/ikmunit/import/confirm/{job.pk}/")


def mapped(client, response, changes: dict[int, str] | None = None, template: str = ""):
    """The upload's inspect job run, then its mapping screen sent (as proposed, with
    ``changes`` {column index: field}): the response starting the preview job."""
    inspect = run(job_of(response))
    assert inspect.status == S.DONE, inspect.error
    assert inspect.params["step"] == "inspect"
    fields = list(inspect.result["mapping"]["fields"])
    for index, field in (changes or {}).items():
        fields[index] = field
    data = {f"kolom_{i}": f for i, f in enumerate(fields)}
    data["templat"] = template
    model = inspect.kind.removeprefix("import:").replace(".", "/")
    return client.post(f"/admin/{model}/import/mapping/{inspect.pk}/", data)


def preview_of(client, data: bytes, **kwargs) -> Job:
    return run(job_of(mapped(client, upload(client, data, **kwargs))))


def preview_then_import(client, data: bytes) -> tuple[Job, Job]:
    preview = preview_of(client, data)
    assert preview.status == S.DONE, preview.error
    return preview, run(job_of(confirm(client, preview)))


@jobs_db
def test_upload_preview_confirm(client, regions, prov, job_files):
    client.force_login(prov)
    assert client.get(IMPORT_URL).status_code == 200
    data = make_csv(UNIT_HEADERS, GOOD_ROWS, delimiter=";", bom=True)
    response = upload(client, data)
    inspect = job_of(response)
    # The request only stored the file and queued the inspect job (header and mapping).
    assert (inspect.status, inspect.kind, inspect.created_by) == (
        S.QUEUED,
        "import:ikm.ikmunit",
        prov,
    )
    assert inspect.params == {
        "model": "ikm.ikmunit",
        "format": "csv",
        "resource": 0,
        "user": prov.pk,
        "dry_run": False,
        "file_name": "unit.csv",
        "batch_size": 2000,
        "step": "inspect",
    }
    assert inspect.input_file.read() == data
    content = page(client, inspect)
    assert "Menunggu" in content and 'hx-trigger="every 1s"' in content
    job = job_of(mapped(client, response))
    assert job.params["dry_run"] and job.params["inspect_job"] == inspect.pk
    assert job.params["mapping"]["fields"] == UNIT_HEADERS  # the file's headers are ours
    assert job.input_file.read() == data
    preview = run(job)
    assert preview.status == S.DONE, preview.error
    assert (preview.done, preview.total) == (3, 3)
    assert not IKMUnit.objects.exists()  # the preview is a dry run
    content = page(client, preview)
    assert "Lempok Durian Bu Siti" in content and "Penyeladi" in content
    assert "Bila diimpor: 3 baru, 0 diubah, 0 tetap (dari 3 baris)." in content
    assert "6103014501800001" not in content  # NIK masked in the preview
    assert "Konfirmasi impor" in content and "hx-trigger" not in content
    response = confirm(client, preview)
    imported = run(job_of(response))
    assert imported.status == S.DONE, imported.error
    assert imported.params["preview_job"] == preview.pk and not imported.params["dry_run"]
    assert {k: imported.result[k] for k in ("rows", "new", "update", "skip", "dry_run")} == {
        "rows": 3,
        "new": 3,
        "update": 0,
        "skip": 0,
        "dry_run": False,
    }
    assert imported.params["mapping"] == preview.params["mapping"]
    assert IKMUnit.objects.count() == 3
    created = IKMUnit.history.filter(history_type="+")
    assert created.count() == 3
    assert set(created.values_list("history_user", flat=True)) == {prov.pk}
    content = page(client, imported)
    assert "Impor selesai" in content and "3 baru, 0 diubah, 0 tetap" in content
    assert 'href="/admin/ikm/ikmunit/"' in content  # back to the list
    # The preview can be confirmed once: a second click goes to the running import.
    assert job_of(confirm(client, preview)) == imported
    assert Job.objects.count() == 3  # inspect, preview, import
    # import-export's in-request "process_import" is not offered.
    response = client.post(PROCESS_URL, {"import_file_name": "x"}, follow=True)
    assert response.status_code == 404


@jobs_db
def test_bad_file_shows_rows_and_offers_error_report(client, regions, prov, job_files):
    client.force_login(prov)
    rows = [
        GOOD_ROWS[0],
        ["12345", "Usaha Salah", "Ani", "", "Makanan", "", "", "Desa Entah", "", "", "", "", ""],
    ]
    job = preview_of(client, make_csv(UNIT_HEADERS, rows))
    assert job.status == S.FAILED
    assert job.error == "Impor dibatalkan: ada baris yang salah, tidak ada data yang disimpan."
    assert job.result["errors"] == 2 and job.report_file
    response = client.get(f"/admin/jobs/job/{job.pk}/change/")
    error_rows = response.context["error_rows"]
    assert {(r, c) for r, c, _m in error_rows} == {("3", "NIB"), ("3", "Desa/Kelurahan")}
    content = response.content.decode()
    url = f"/admin/jobs/job/{job.pk}/report/"
    assert url in content and "Konfirmasi impor" not in content
    report = client.get(url)
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0][:6] == ["Baris", "Kolom", "Kolom di berkas", "Kesalahan", "NIB", "Nama usaha"]
    assert lines[0][6:] == UNIT_HEADERS  # the official's own columns
    assert {(line[0], line[1]) for line in lines[1:]} == {("3", "NIB"), ("3", "Desa/Kelurahan")}
    assert not IKMUnit.objects.exists()
    # A failed preview cannot be confirmed.
    assert confirm(client, job)["Location"] == f"/admin/jobs/job/{job.pk}/change/"
    assert Job.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "name", "fmt", "message"),
    [
        (b"\x00\x01\x02 not a spreadsheet", "x.xlsx", "1", "bukan XLSX"),
        (b"PK\x03\x04 truncated zip", "x.xlsx", "1", "rusak atau terpotong"),
        (b"\x00\x01\x02 not text", "x.csv", "0", "bukan CSV"),
        (b"", "kosong.csv", "0", "kosong"),
    ],
)
def test_unreadable_or_garbage_file_is_not_a_500(client, prov, data, name, fmt, message):
    client.force_login(prov)
    response = upload(client, data, name=name, fmt=fmt)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Job.objects.exists() and not IKMUnit.objects.exists()


def test_xlsx_chosen_for_a_csv_and_too_big_files_are_refused(client, prov, monkeypatch):
    import openpyxl

    from backoffice import importexport

    book = openpyxl.Workbook()
    book.active.append(UNIT_HEADERS)
    xlsx = io.BytesIO()
    book.save(xlsx)
    client.force_login(prov)
    response = upload(client, xlsx.getvalue(), name="unit.csv", fmt="0")
    assert "Berkas ini XLSX, bukan CSV" in response.content.decode()
    monkeypatch.setattr(importexport, "MAX_UPLOAD_BYTES", 100)
    response = upload(client, make_csv(UNIT_HEADERS, GOOD_ROWS))
    assert "Berkas terlalu besar" in response.content.decode()
    assert not Job.objects.exists()


@jobs_db
def test_unreadable_xlsx_content_fails_the_job_with_a_message(client, regions, prov, job_files):
    """A zip with a workbook entry that openpyxl cannot read: refused by the worker, not a 500."""
    import zipfile

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as book:
        book.writestr("xl/workbook.xml", "bukan xml")
    client.force_login(prov)
    job = run(job_of(upload(client, data.getvalue(), name="u.xlsx", fmt="1")))
    assert job.status == S.FAILED
    assert "tidak dapat dibaca sebagai XLSX" in job.error
    assert "tidak dapat dibaca" in page(client, job)


@jobs_db
def test_kabupaten_official_import_refuses_other_region(client, regions, sanggau, job_files):
    client.force_login(sanggau)
    job = preview_of(client, make_csv(UNIT_HEADERS, GOOD_ROWS[:2]))
    assert job.status == S.FAILED
    response = client.get(f"/admin/jobs/job/{job.pk}/change/")
    errors = {(r, c): m for r, c, m in response.context["error_rows"]}
    assert "di luar wilayah kerja" in errors[("3", "Kab/Kota")]
    assert not IKMUnit.objects.exists()


@jobs_db
def test_error_report_only_for_its_owner_or_a_superuser(
    client, regions, sanggau, official_ketapang, province_official, superuser, job_files
):
    client.force_login(sanggau)
    job = preview_of(client, make_csv(UNIT_HEADERS, GOOD_ROWS[:2]))
    url = f"/admin/jobs/job/{job.pk}/report/"
    assert client.get(url).status_code == 200
    client.force_login(official_ketapang)  # does not see the job at all
    assert client.get(url).status_code == 404
    assert client.get(f"/admin/jobs/job/{job.pk}/change/").status_code == 404
    client.force_login(province_official)  # sees the job, not the rows of the file
    assert client.get(url).status_code == 403
    response = client.get(f"/admin/jobs/job/{job.pk}/change/")
    assert response.status_code == 200 and response.context["error_rows"] == []
    assert url not in response.content.decode()
    client.force_login(superuser)
    assert client.get(url).status_code == 200
    # Nobody but the person who started a preview confirms it.
    client.force_login(grant(province_official, "add_ikmunit"))
    preview = preview_of(client, make_csv(UNIT_HEADERS, GOOD_ROWS[2:]))
    client.force_login(superuser)
    assert confirm(client, preview).status_code == 404
    assert Job.objects.count() == 4  # two inspect jobs, two previews


def _export(client, fmt="0"):
    form = client.get(EXPORT_URL).context["form"]
    data = {"format": fmt, "resource": "0"}
    for name in form.fields:
        if name.startswith("ikmunitresource_"):
            data[name] = "on"
    return client.post(EXPORT_URL, data), form


def test_admin_export_scoped_and_without_nik(client, sanggau):
    UnitFactory(name="Unit Sanggau", nib="9120000000011", desa_id=DESA_SANGGAU)
    UnitFactory(name="Unit Ketapang", nib="9120000000012", desa_id=DESA_KETAPANG)
    client.force_login(sanggau)
    response, form = _export(client)
    assert "ikmunitresource_nik" not in form.fields  # not even offered
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "Unit Sanggau" in body and "Unit Ketapang" not in body
    assert "NIK" not in next(csv.reader(io.StringIO(body)))
    assert not PersonalDataExport.objects.exists()


def test_admin_export_with_view_nik_is_logged(client, prov):
    from ikm.services import unit_set_nik

    unit = UnitFactory(name="Unit Sanggau", nib="9120000000011", desa_id=DESA_SANGGAU)
    unit_set_nik(unit, "6103014501800001")
    unit.save()
    user = grant(prov, "view_nik")
    client.force_login(user)
    response, form = _export(client, fmt="1")
    assert "ikmunitresource_nik" in form.fields
    assert response.status_code == 200
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][rows[0].index("NIK")] == "6103014501800001"
    log = PersonalDataExport.objects.get()
    assert (log.user_id, log.file_format, log.row_count) == (user.pk, "xlsx", 1)


@jobs_db
def test_confirm_step_failure_shows_errors_and_writes_nothing(client, regions, prov, job_files):
    """Data changed between preview and confirm: the import job refuses, lists the row."""
    from ikm.services import unit_set_nik

    client.force_login(prov)
    preview = preview_of(client, make_csv(UNIT_HEADERS, GOOD_ROWS, delimiter=";"))
    assert preview.status == S.DONE
    other = UnitFactory(nib="9120009999999", name="Pemilik NIK", desa_id=DESA_KETAPANG)
    unit_set_nik(other, "6103014501800001")
    other.save()
    job = run(job_of(confirm(client, preview)))
    assert job.status == S.FAILED
    response = client.get(f"/admin/jobs/job/{job.pk}/change/")
    errors = {(r, c): m for r, c, m in response.context["error_rows"]}
    assert "sudah terdaftar" in errors[("2", "NIK")]
    assert "tidak ada data yang disimpan" in response.content.decode()
    assert list(IKMUnit.objects.values_list("name", flat=True)) == ["Pemilik NIK"]


@pytest.mark.parametrize(
    ("url", "perm"),
    [
        ("/admin/products/product/import/", "add_product"),
        ("/admin/certifications/certification/import/", "add_certification"),
        ("/admin/ikm/ikmunit/import/", "add_ikmunit"),
    ],
)
def test_import_pages_render_and_need_the_model_permission(client, province_official, url, perm):
    province_official.groups.clear()  # an official whose role grants no model permission
    client.force_login(province_official)
    assert client.get(url).status_code == 403  # import-export's own permission check stays
    user = grant(province_official, perm, perm.replace("add_", "view_"))
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert "semua-atau-tidak-sama-sekali" in response.content.decode()


def test_every_admin_import_has_a_job_handler():
    from django.contrib import admin

    from backoffice.importexport import ScopedImportExportMixin, import_kind
    from jobs.registry import HANDLERS

    kinds = {
        import_kind(model)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ScopedImportExportMixin)
    }
    assert kinds == set(backoffice.tasks.IMPORT_KINDS)
    assert all(HANDLERS[kind] is backoffice.importexport.run_import for kind in kinds)


@jobs_db
def test_product_import_runs_as_jobs_too(client, regions, province_official, job_files):
    """Products (written row by row, with their marketplace links) go through the same jobs."""
    from products.models import Product

    UnitFactory(name="Lempok Sanggau", nib="9120000000011", desa_id=DESA_SANGGAU)
    client.force_login(province_official)
    data = make_csv(
        ["NIB unit", "Nama produk", "Kategori", "Harga (Rp)", "Shopee"],
        [
            ["9120000000011", "Lempok durian 250 g", "makanan", "35.000", "shopee.co.id/lempok"],
            ["9120000000011", "Tempoyak", "makanan", "20000", ""],
        ],
    )
    response = client.post(
        "/admin/products/product/import/",
        {"import_file": SimpleUploadedFile("p.csv", data), "format": "0", "resource": "0"},
    )
    preview = run(job_of(mapped(client, response)))
    assert preview.status == S.DONE, preview.error
    assert preview.kind == "import:products.product" and not Product.objects.exists()
    job = run(job_of(client.post(f"/admin/products/product/import/confirm/{preview.pk}/")))
    assert job.status == S.DONE, job.error
    assert job.result["new"] == 2
    lempok = Product.objects.get(name="Lempok durian 250 g")
    assert lempok.price == 35_000
    assert [link.url for link in lempok.marketplace_links.all()] == ["https://shopee.co.id/lempok"]
    assert lempok.history.get().history_user_id == province_official.pk
