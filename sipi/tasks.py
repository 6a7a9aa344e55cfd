"""Operations tasks (Celery autodiscovery): the worker's heartbeat and the nightly backup."""

from __future__ import annotations

from celery import shared_task

from jobs.registry import JobError, handler
from jobs.services import job_start

from . import health
from .backup import BackupError, backup_create, read_manifest


@shared_task(name="health.beat", ignore_result=True)
def heartbeat() -> None:
    """Sent by beat every HEALTH_BEAT_SECONDS; /healthz reads what it writes."""
    health.record_heartbeat()


@handler("sipi.backup")
def backup_job(job, progress) -> dict:
    try:
        path = backup_create(progress=progress)
    except BackupError as exc:
        raise JobError(str(exc)) from exc
    manifest = read_manifest(path)
    return {
        "backup": path.name,
        "seconds": manifest["seconds"],
        "tables": len(manifest["database"]["tables"]),
        "files": len(manifest["checksums"]),
        "physical": bool(manifest["physical"]),
    }


@shared_task(name="sipi.backup", acks_late=True)
def backup_nightly() -> int:
    """The nightly backup as a job (visible in the back-office like any other)."""
    return job_start(kind="sipi.backup", label="Cadangan basis data dan berkas").pk
