"""Job uploads and reports in a temporary private storage (this process and its workers)."""

from __future__ import annotations

import pytest
from django.core.files.storage import FileSystemStorage


@pytest.fixture
def job_files(tmp_path, monkeypatch):
    """Point the Job file fields at tmp_path/private; returns the worker env that does the same
    (``start_worker(job_files)``)."""
    from jobs.models import Job

    root = tmp_path / "private"
    root.mkdir()
    storage = FileSystemStorage(location=root, base_url=None)
    for name in ("input_file", "report_file"):
        monkeypatch.setattr(Job._meta.get_field(name), "storage", storage)
    return {"PRIVATE_MEDIA_ROOT": str(root)}
