"""Admin imports run by a real Celery worker (a separate process on the test database and the
test run's Redis queue): upload -> job page -> worker -> done; bad and out-of-scope files; a
worker killed in the middle of an import; and the progress the resource reports."""

from __future__ import annotations

import csv
import io
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from backoffice.importexport import start_import_job
from ikm.models import IKMUnit
from jobs.models import Job
from tests.factories import DESA_SANGGAU
from tests.ikm.test_resources import GOOD_ROWS
from tests.support.otp import admin_login
from tests.support.spreadsheets import UNIT_HEADERS, make_csv
from tests.support.worker import wait_for

S = Job.Status
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "direct"])
IMPORT_URL = "/admin/ikm/ikmunit/import/"


def sanggau_rows(count: int, start: int = 0) -> list[list[str]]:
    """Valid unit rows in Kabupaten Sanggau (by region code), NIBs 94…"""
    return [
        [f"94{i:011d}", f"Usaha Sanggau {i}", f"Pemilik {i}", "", "makanan", "", "", "",
         DESA_SANGGAU, f"Jl. Kapuas {i}", str(i % 40 + 1), "Rp 15.000.000,00", ""]
        for i in range(start, start + count)
    ]  # fmt: skip


def job_of(response) -> Job:
    assert response.status_code == 302, response.content[:2000]
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-2]))
    assert response["Location"] == f"/admin/jobs/job/{job.pk}/change/"
    return job


def upload(client, data: bytes, name="unit.csv") -> Job:
    """The upload, its inspect job (by the worker) and the mapping screen sent as proposed:
    the preview job."""
    response = client.post(
        IMPORT_URL,
        {"import_file": SimpleUploadedFile(name, data, "text/csv"), "format": "0", "resource": "0"},
    )
    inspect = finished(job_of(response))
    assert inspect.status == S.DONE, inspect.error
    fields = inspect.result["mapping"]["fields"]
    data = {f"kolom_{i}": f for i, f in enumerate(fields)}
    return job_of(client.post(f"/admin/ikm/ikmunit/import/mapping/{inspect.pk}/", data))


def finished(job: Job, timeout: float = 60) -> Job:
    return wait_for(
        lambda: Job.objects.filter(pk=job.pk, status__in=(S.DONE, S.FAILED)).first(),
        timeout=timeout,
    )


def test_admin_import_through_a_real_worker(client, regions, official_sanggau, start_worker,
                                            job_files):  # fmt: skip
    """A kabupaten official (role group permissions) imports 300 units of their kabupaten."""
    start_worker(job_files)
    client.force_login(official_sanggau)
    data = make_csv(UNIT_HEADERS, sanggau_rows(300), delimiter=";", bom=True)
    preview = upload(client, data)
    page = client.get(f"/admin/jobs/job/{preview.pk}/change/").content.decode()
    assert 'id="job-progress"' in page and "htmx.min.js" in page  # the live bar, from the row
    preview = finished(preview)
    assert preview.status == S.DONE, preview.error
    assert (preview.done, preview.total, preview.attempts) == (300, 300, 1)
    assert not IKMUnit.objects.exists()
    status = client.get(f"/admin/jobs/job/{preview.pk}/status/").content.decode()
    assert "Bila diimpor: 300 baru, 0 diubah, 0 tetap (dari 300 baris)." in status
    assert "hx-get" not in status  # finished: the block stops polling
    assert status.count('<tr class="new">') == 100  # the preview's first rows
    response = client.post(f"/admin/ikm/ikmunit/import/confirm/{preview.pk}/")
    job = Job.objects.get(params__preview_job=preview.pk)
    assert response["Location"] == f"/admin/jobs/job/{job.pk}/change/"
    job = finished(job)
    assert job.status == S.DONE, job.error
    assert {k: job.result[k] for k in ("rows", "new", "update", "skip", "dry_run")} == {
        "rows": 300,
        "new": 300,
        "update": 0,
        "skip": 0,
        "dry_run": False,
    }
    assert (job.done, job.total) == (300, 300)
    assert IKMUnit.objects.filter(desa_id=DESA_SANGGAU).count() == 300
    history = IKMUnit.history.filter(history_type="+")
    assert history.count() == 300
    assert set(history.values_list("history_user", flat=True)) == {official_sanggau.pk}
    page = client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert "Impor selesai" in page and "300 baru" in page
    # The official's job list shows both jobs.
    listing = client.get("/admin/jobs/job/").content.decode()
    assert f"/admin/jobs/job/{job.pk}/change/" in listing
    assert f"/admin/jobs/job/{preview.pk}/change/" in listing


def test_bad_and_out_of_scope_files_fail_in_the_worker_and_write_nothing(
    client, regions, official_sanggau, start_worker, job_files
):
    start_worker(job_files)
    client.force_login(official_sanggau)
    bad = sanggau_rows(50)
    bad[9][0] = "12345"  # row 11 of the file: a NIB of 5 digits
    bad[29][4] = "Barang antik"  # row 31: no such commodity group
    job = finished(upload(client, make_csv(UNIT_HEADERS, bad)))
    assert job.status == S.FAILED
    assert "tidak ada data yang disimpan" in job.error
    report = client.get(f"/admin/jobs/job/{job.pk}/report/")
    assert report.status_code == 200
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert {(line[0], line[1]) for line in lines[1:]} == {
        ("11", "NIB"),
        ("31", "Kelompok komoditas"),
    }
    page = client.get(f"/admin/jobs/job/{job.pk}/change/").content.decode()
    assert "Impor ditolak: tidak ada data yang disimpan" in page and "Konfirmasi impor" not in page

    # Rows of another kabupaten (Ketapang) among the official's own: refused, as before.
    rows = sanggau_rows(20) + [GOOD_ROWS[1]]
    job = finished(upload(client, make_csv(UNIT_HEADERS, rows)))
    assert job.status == S.FAILED
    response = client.get(f"/admin/jobs/job/{job.pk}/change/")
    errors = {(r, c): m for r, c, m in response.context["error_rows"]}
    assert list(errors) == [("22", "Kab/Kota")]
    assert "di luar wilayah kerja" in errors[("22", "Kab/Kota")]
    assert not IKMUnit.objects.exists()
    assert not IKMUnit.history.exists()


def test_worker_killed_in_the_middle_of_an_import(regions, province_official, start_worker,
                                                 job_files):  # fmt: skip
    """SIGKILL during the import's transaction: nothing is written; the broker delivers the task
    again (a short visibility timeout) to a second worker, which imports every row once."""
    rows = 4000
    data = make_csv(UNIT_HEADERS, sanggau_rows(rows))
    first = start_worker(job_files)
    job = start_import_job(
        model=IKMUnit,
        user=province_official,
        upload=ContentFile(data, name="besar.csv"),
        file_format="csv",
        file_name="besar.csv",
        dry_run=False,
        batch_size=2,  # slow batches: the job takes a few seconds
    )
    running = wait_for(
        lambda: Job.objects.filter(pk=job.pk, status=S.RUNNING, done__gte=200).first(),
        timeout=60,
        interval=0.05,
    )
    assert running.done < rows, "the import finished before the kill"
    first.kill()
    # Nothing of the killed transaction is visible, and the job still says "running".
    assert not IKMUnit.objects.exists() and not IKMUnit.history.exists()
    assert Job.objects.get(pk=job.pk).status == S.RUNNING
    # The second worker restores the unacknowledged task once it is older than its visibility
    # timeout (3 s), then runs it from the start.
    time.sleep(max(0.0, running.started_at.timestamp() + 3.5 - time.time()))
    start_worker({**job_files, "CELERY_VISIBILITY_TIMEOUT": "3"})
    job = finished(job, timeout=120)
    if job.status == S.DONE:
        assert job.attempts == 2
        assert job.result["new"] == rows
        assert IKMUnit.objects.count() == rows
        assert IKMUnit.objects.values("nib").distinct().count() == rows
        assert IKMUnit.history.count() == rows  # one "created" row each: written exactly once
    else:
        assert job.status == S.FAILED
        assert not IKMUnit.objects.exists()


@pytest.mark.django_db
def test_progress_is_reported_per_batch(province_official):
    """The resource reports settled rows (a bulk batch counts when written), ending at the total."""
    from core.spreadsheet import read_file
    from ikm.resources import IKMUnitResource

    calls = []
    resource = IKMUnitResource(
        user=province_official,
        bulk=True,
        batch_size=10,
        progress=lambda done, total: calls.append((done, total)),
    )
    dataset = read_file(make_csv(UNIT_HEADERS, sanggau_rows(35)), "u.csv")
    result = resource.import_data(dataset)
    assert not result.has_validation_errors(), result.error_report()
    assert calls[0] == (0, 35) and calls[-1] == (35, 35)
    done = [d for d, _t in calls]
    assert done == sorted(done)  # never backwards
    assert {10, 20, 30} <= set(done) and not {5, 15, 25} & set(done)  # batch by batch
    assert IKMUnit.objects.count() == 35


@pytest.mark.browser
def test_job_page_follows_the_job_live(
    live_server, page, screenshot, regions, official_sanggau, start_worker, job_files
):
    """In Chromium: the progress block is rendered from the Job row and refreshed by htmx every
    second (no reload); then a real upload, the preview and "Konfirmasi impor" in the browser."""
    base = live_server.url
    admin_login(page, base, official_sanggau, "rahasia-Kalbar-2026", next_path="/admin/jobs/job/")

    job = Job.objects.create(
        kind="import:ikm.ikmunit",
        label="Impor unit IKM: contoh.csv",
        created_by=official_sanggau,
        params={"model": "ikm.ikmunit", "dry_run": False, "file_name": "contoh.csv"},
    )
    page.goto(base + f"/admin/jobs/job/{job.pk}/change/")
    assert page.locator("#job-status-label").inner_text() == "Menunggu"
    Job.objects.filter(pk=job.pk).update(status=S.RUNNING, done=40, total=100)
    page.wait_for_selector('#job-progress[value="40"]', timeout=5000)  # polled, not reloaded
    assert page.locator("#job-progress-text").inner_text() == "40 dari 100 baris (40%)"
    screenshot(page, "running")
    page.reload()  # the same bar, rendered by the server from the row
    assert page.locator("#job-progress").get_attribute("value") == "40"
    Job.objects.filter(pk=job.pk).update(
        status=S.DONE,
        done=100,
        result={"rows": 100, "new": 100, "update": 0, "skip": 0, "dry_run": False},
    )
    page.wait_for_selector("#job-outcome", timeout=5000)
    assert page.locator("#job-summary").inner_text() == (
        "100 baru, 0 diubah, 0 tetap (dari 100 baris)."
    )
    assert page.locator("#job-status[hx-get]").count() == 0  # finished: no more polling

    start_worker(job_files)
    page.goto(base + IMPORT_URL)
    page.set_input_files(
        "#id_import_file",
        files=[
            {
                "name": "unit.csv",
                "mimeType": "text/csv",
                "buffer": make_csv(UNIT_HEADERS, sanggau_rows(120)),
            }
        ],
    )
    page.select_option("#id_format", "0")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/jobs/job/*/change/")
    page.wait_for_selector("#import-mapping", timeout=30_000)  # the mapping screen
    page.locator("#mapping-submit").click()
    page.wait_for_selector("#import-confirm", timeout=30_000)
    assert "Bila diimpor: 120 baru" in page.locator("#job-summary").inner_text()
    assert page.locator("#import-preview tbody tr").count() == 100
    screenshot(page, "preview")
    page.locator("#import-confirm input[type=submit]").click()
    page.wait_for_selector("#job-outcome:has-text('Impor selesai')", timeout=30_000)
    screenshot(page, "done")
    assert IKMUnit.objects.count() == 120
    page.locator("#job-back").click()
    page.wait_for_url("**/admin/ikm/ikmunit/")
