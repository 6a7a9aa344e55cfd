"""Celery tasks of the jobs app: run one job, reap stalled ones, deliver queued mail."""

from __future__ import annotations

import logging

from celery import shared_task

from . import mail, services
from .registry import HANDLERS, JobError, handler

logger = logging.getLogger(__name__)


@shared_task(name="jobs.run", acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: int) -> None:
    """Run a job once per delivery. Idempotent: a finished job is not run again; a job whose
    worker died is run again from the start (its handler's transaction was rolled back)."""
    job = services.job_claim(job_id)
    if job is None:
        return
    handler = HANDLERS.get(job.kind)
    if handler is None:
        services.job_fail(job, error=f"Jenis pekerjaan tidak dikenal: {job.kind}")
        return
    try:
        result = handler(job, services.Progress(job))
    except JobError as exc:
        services.job_fail(job, error=str(exc), result=getattr(exc, "result", None))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        services.job_fail(job, error="Terjadi kesalahan tak terduga; petugas teknis diberi tahu.")
    else:
        services.job_finish(job, result or {})


@shared_task(name="jobs.reap", acks_late=True)
def reap_jobs() -> dict[str, int]:
    return services.job_reap()


@handler("jobs.cleanup_files")
def cleanup_files(job, progress) -> dict[str, int]:
    return services.job_files_cleanup(progress=progress)


@shared_task(name="jobs.cleanup_files", acks_late=True)
def cleanup_files_daily() -> int:
    """The daily chore as a job (visible in the back-office like any other)."""
    return services.job_start(kind="jobs.cleanup_files", label="Hapus berkas impor/laporan lama").pk


# --- the mail queue (jobs.mail) ----------------------------------------------------------------
@shared_task(name="jobs.deliver_mail", bind=True, acks_late=True, max_retries=None)
def deliver_mail(self, mail_id: int) -> None:
    """Send one queued mail; on failure try again after the back-off (the row counts the tries)."""
    delay = mail.mail_deliver(mail_id)
    if delay is not None:
        raise self.retry(countdown=delay)


@shared_task(name="jobs.mail_maintain", acks_late=True)
def maintain_mail() -> dict[str, int]:
    return mail.mail_maintain()
