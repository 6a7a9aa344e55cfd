"""Writes for jobs: start (queue after commit), claim, progress, finish, fail, reap.

Every state change after the start goes through the ``direct`` connection, outside whatever
transaction the job's own work holds, so the job's page sees it at once and a job killed in the
middle of its transaction still shows where it was.
"""

from __future__ import annotations

import datetime
import logging
import time

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Job

logger = logging.getLogger(__name__)
DIRECT = "direct"
S = Job.Status
# A job delivered this many times (its worker died each time) is failed, not tried again.
MAX_ATTEMPTS = 3


def _jobs():
    return Job.objects.using(DIRECT)


def queue_task(name: str, row_id: int) -> None:
    """Queue task ``name`` for a row by name. When the broker is down this only logs: the row
    stays queued and beat's maintenance task (jobs.reap, jobs.mail_maintain) queues it again."""
    try:
        current_app.send_task(name, args=[row_id])
    except Exception:
        logger.exception("%s for %s could not be queued", name, row_id)


def _enqueue(job_id: int) -> None:
    queue_task("jobs.run", job_id)  # jobs.tasks.run_job


@transaction.atomic
def job_start(*, kind: str, label: str, user=None, params: dict | None = None, input_file=None):
    """Record a job and queue it after commit (a rolled-back request queues nothing)."""
    job = Job(kind=kind, label=label[:200], created_by=user, params=params or {})
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "masukan"), input_file, save=False)
    job.save()
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def job_claim(job_id: int) -> Job | None:
    """Mark the job running for this delivery; None when it is finished (a duplicate delivery)
    or has used up its attempts (then it is failed)."""
    now = timezone.now()
    claimed = (
        _jobs()
        .filter(pk=job_id, status__in=(S.QUEUED, S.RUNNING))
        .update(status=S.RUNNING, attempts=F("attempts") + 1, heartbeat_at=now, done=0)
    )
    if not claimed:
        return None
    job = _jobs().get(pk=job_id)
    if job.started_at is None:
        _jobs().filter(pk=job_id).update(started_at=now)
        job.started_at = now
    if job.attempts > MAX_ATTEMPTS:
        job_fail(job, error="Pekerjaan dihentikan: pekerja latar berhenti berulang kali.")
        return None
    return job


class Progress:
    """``progress(done, total=None)``: writes at most twice a second (and always the last call
    that completes the total), with a heartbeat."""

    interval = 0.5

    def __init__(self, job: Job):
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        complete = total is not None and done >= total
        if not complete and now - self._last < self.interval:
            return
        self._last = now
        fields = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        _jobs().filter(pk=self.job.pk).update(**fields)
        self.job.done = done
        if total is not None:
            self.job.total = total


def job_save_report(job: Job, *, name: str, content: bytes) -> None:
    """Store the job's report (e.g. an import's error list) in private storage and record it."""
    field = job.report_file
    stored = field.storage.save(field.field.generate_filename(job, name), ContentFile(content))
    _jobs().filter(pk=job.pk).update(report_file=stored)
    field.name = stored


def job_finish(job: Job, result: dict) -> None:
    now = timezone.now()
    _jobs().filter(pk=job.pk).update(
        status=S.DONE, result=result, error="", finished_at=now, heartbeat_at=now
    )


def job_fail(job: Job, *, error: str, result: dict | None = None) -> None:
    now = timezone.now()
    _jobs().filter(pk=job.pk).update(
        status=S.FAILED, error=error[:4000], result=result or {}, finished_at=now
    )


def job_reap(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Queued jobs that never reached a worker are queued again; running jobs whose heartbeat
    stopped long ago (their worker died and the broker did not deliver them again) are failed."""
    now = now or timezone.now()
    stale_after = datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    requeue = list(
        _jobs()
        .filter(status=S.QUEUED, created_at__lt=now - datetime.timedelta(minutes=5))
        .values_list("pk", flat=True)
    )
    for job_id in requeue:
        _enqueue(job_id)
    failed = (
        _jobs()
        .filter(status=S.RUNNING, heartbeat_at__lt=now - stale_after)
        .update(
            status=S.FAILED,
            finished_at=now,
            error="Pekerjaan dihentikan: pekerja latar tidak lagi memberi kabar.",
        )
    )
    return {"requeued": len(requeue), "failed": failed}


def job_files_cleanup(*, now: datetime.datetime | None = None, progress=None) -> dict[str, int]:
    """Delete the uploads and reports of jobs finished more than JOB_FILE_DAYS ago."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.JOB_FILE_DAYS)
    old = Job.objects.filter(finished_at__lt=cutoff).exclude(input_file="", report_file="")
    total = old.count()
    removed = 0
    for i, job in enumerate(old.iterator(), start=1):
        for field in (job.input_file, job.report_file):
            if field:
                field.delete(save=False)
                removed += 1
        Job.objects.filter(pk=job.pk).update(input_file="", report_file="")
        if progress:
            progress(i, total)
    return {"jobs": total, "files_removed": removed}
