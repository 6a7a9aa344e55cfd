"""Jobs run by a real Celery worker (Redis broker, separate process), and their bookkeeping."""

from __future__ import annotations

import datetime
import subprocess
import sys
import uuid

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from jobs import services
from jobs.models import Job
from tests.support.worker import BASE_DIR, wait_for

S = Job.Status


def test_cache_is_shared_between_processes():
    """Set in this process, read in another (a second Django process on the same Redis)."""
    key, value = f"shared-{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 60)
    out = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from django.core.cache import cache; print(cache.get({key!r}))",
        ],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert value in out
    # and the other way round
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from django.core.cache import cache; cache.set({key!r}, 'from-there', 60)",
        ],
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
    )
    assert cache.get(key) == "from-there"


def test_a_job_runs_in_the_worker_and_records_its_outcome(celery_worker, settings):
    private = storages["private"]
    stale = Job.objects.create(
        kind="import",
        label="lama",
        status=S.DONE,
        finished_at=timezone.now() - datetime.timedelta(days=30),
    )
    stale.report_file.save("lama.csv", ContentFile(b"baris,kolom\n"), save=True)
    fresh = Job.objects.create(
        kind="import", label="baru", status=S.DONE, finished_at=timezone.now()
    )
    fresh.report_file.save("baru.csv", ContentFile(b"x\n"), save=True)
    stale_name, fresh_name = stale.report_file.name, fresh.report_file.name

    job = services.job_start(kind="jobs.cleanup_files", label="bersih-bersih")
    done = wait_for(lambda: Job.objects.filter(pk=job.pk, status__in=(S.DONE, S.FAILED)).first())

    assert done.status == S.DONE, done.error
    assert done.attempts == 1 and done.started_at and done.finished_at
    assert done.result == {"jobs": 1, "files_removed": 1}
    assert (done.done, done.total) == (1, 1)
    assert not private.exists(stale_name)
    assert private.exists(fresh_name)
    stale.refresh_from_db()
    assert stale.report_file.name == ""
    private.delete(fresh_name)


@pytest.mark.django_db(transaction=True, databases=["default", "direct"])
def test_an_unknown_kind_fails_with_a_message():
    from jobs.tasks import run_job

    job = Job.objects.create(kind="tidak-ada", label="x")
    run_job(job.pk)  # called in-process: the same code the worker runs
    job.refresh_from_db()
    assert job.status == S.FAILED
    assert "tidak dikenal" in job.error


@pytest.mark.django_db(transaction=True, databases=["default", "direct"])
def test_claim_is_idempotent_and_gives_up_after_max_attempts():
    job = Job.objects.create(kind="jobs.cleanup_files", label="x")
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        claimed = services.job_claim(job.pk)
        assert claimed is not None and claimed.attempts == attempt
    assert services.job_claim(job.pk) is None  # a fourth delivery: the worker kept dying
    job.refresh_from_db()
    assert job.status == S.FAILED and "berulang kali" in job.error

    finished = Job.objects.create(kind="jobs.cleanup_files", label="y", status=S.DONE)
    assert services.job_claim(finished.pk) is None  # a duplicate delivery does nothing
    finished.refresh_from_db()
    assert finished.attempts == 0 and finished.status == S.DONE


@pytest.mark.django_db(transaction=True, databases=["default", "direct"])
def test_reaper_fails_silent_running_jobs_and_leaves_live_ones(settings):
    now = timezone.now()
    silent = Job.objects.create(
        kind="x",
        label="silent",
        status=S.RUNNING,
        heartbeat_at=now - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS + 60),
    )
    live = Job.objects.create(kind="x", label="live", status=S.RUNNING, heartbeat_at=now)
    assert services.job_reap(now=now)["failed"] == 1
    silent.refresh_from_db()
    live.refresh_from_db()
    assert silent.status == S.FAILED and silent.finished_at == now
    assert live.status == S.RUNNING


@pytest.mark.django_db(transaction=True, databases=["default", "direct"])
def test_progress_is_written_outside_the_jobs_transaction():
    """Progress goes through the "direct" connection; its throttle keeps the final count."""
    job = Job.objects.create(kind="x", label="x", status=S.RUNNING)
    progress = services.Progress(job)
    progress(1, 10)
    progress(2, 10)  # within the throttle interval: not written
    assert Job.objects.get(pk=job.pk).done == 1
    progress(10, 10)  # complete: always written
    row = Job.objects.get(pk=job.pk)
    assert (row.done, row.total, row.percent) == (10, 10, 100)
    assert row.heartbeat_at is not None


@pytest.mark.django_db(transaction=True, databases=["default", "direct"])
def test_sessions_are_stored_in_the_database_and_cached(client, django_user_model):
    from django.contrib.sessions.models import Session

    user = django_user_model.objects.create_user("sesi", "sesi@example.id", "Sandi-Uji-2026")
    client.force_login(user)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert cache.get("django.contrib.sessions.cached_db" + key) is not None
