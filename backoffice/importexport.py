"""Import/export integration for the admin.

Every back-office ModelAdmin with spreadsheets inherits ``ScopedImportExportMixin`` (next to
SimpleHistoryAdmin) and sets ``resource_classes``. The mixin adds, on top of django-import-export
(whose model-permission checks stay):

* the request user handed to the resource (scope of every row, audit user, personal data);
* our CSV (UTF-8 with/without BOM or cp1252, ``,``/``;``) and XLSX formats, formula escaping;
* personal-data columns offered in the export form only to holders of ``ikm.view_nik``;
* imports as background jobs (``jobs``): nothing larger than a look at the upload runs in the
  web request.

The import, step by step:

1. The official uploads a file on the import page. The request only checks its size and that
   its content is the chosen format, stores it as the ``input_file`` of a *preview* job (kind
   ``import:<app>.<model>``, a dry run) and redirects to the job's page (``backoffice/admin/
   jobs.py``), whose progress bar follows the worker.
2. The worker (:func:`run_import`, registered in ``backoffice/tasks.py``) runs the same resource
   in bulk mode, in one transaction that a dry run always rolls back: the page then shows how
   many rows would be new, changed or unchanged and the first rows as they would be saved, or
   every bad row (row, column, message; the list is the job's ``report_file``) — nothing written.
3. "Konfirmasi impor" on a finished preview starts the real import (a second job on a copy of
   the same file), all or nothing, with the same checks run again (the data may have changed).
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from types import SimpleNamespace

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.results import RowResult

from core.spreadsheet import EXPORT_FORMATS, IMPORT_FORMATS, error_report_csv
from jobs.models import Job
from jobs.registry import JobError
from jobs.services import job_save_report, job_start

#: the largest upload accepted (a 300,000-row unit file in XLSX is about 25 MB)
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: rows of a preview shown on the job page
PREVIEW_ROWS = 100
#: rows per bulk batch of an import job
BATCH_SIZE = 2000
#: error rows shown on the job page (the CSV report has them all)
ERROR_ROWS_SHOWN = 1000
KIND_PREFIX = "import:"


def restricted_resource(resource_class):
    """The same resource without personal-data columns (for users without ``ikm.view_nik``)."""
    if not getattr(resource_class, "include_personal_data", False):
        return resource_class
    cache = resource_class.__dict__.get("_restricted_variant")
    if cache is not None:
        return cache
    variant = type(
        resource_class.__name__,
        (resource_class,),
        {"include_personal_data": False, "__module__": resource_class.__module__},
    )
    resource_class._restricted_variant = variant
    return variant


def import_kind(model) -> str:
    """The job kind of an import into ``model``: ``import:ikm.ikmunit``."""
    return KIND_PREFIX + model._meta.label_lower


def job_url(job: Job) -> str:
    return reverse("admin:jobs_job_change", args=[job.pk])


# --- the upload ---------------------------------------------------------------------------------
def upload_problem(upload, file_format: str) -> str | None:
    """Why ``upload`` cannot be imported as ``file_format`` ("csv"/"xlsx"), or None.

    Looks only at the size and the first bytes (and an XLSX's zip directory): cheap for any size.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        return _g("Berkas terlalu besar (%(size)s MB; paling besar %(max)s MB).") % {
            "size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","),
            "max": MAX_UPLOAD_BYTES // (1024 * 1024),
        }
    if not upload.size:
        return _g("Berkas kosong.")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    is_zip = head.startswith(b"PK\x03\x04")
    if file_format == "xlsx":
        if not is_zip:
            return _g("Berkas ini bukan XLSX. Pilih format yang sesuai dengan berkas.")
        try:
            with zipfile.ZipFile(upload) as book:
                if "xl/workbook.xml" not in book.namelist():
                    return _g("Berkas ini bukan buku kerja XLSX (Excel).")
        except zipfile.BadZipFile:
            return _g("Berkas XLSX rusak atau terpotong; simpan ulang dari Excel lalu unggah.")
        finally:
            upload.seek(0)
        return None
    if is_zip:
        return _g("Berkas ini XLSX, bukan CSV. Pilih format XLSX.")
    if b"\x00" in head:
        return _g("Berkas ini bukan CSV (teks). Pilih format yang sesuai dengan berkas.")
    return None


def start_import_job(
    *,
    model,
    user,
    upload,
    file_format: str,
    file_name: str,
    dry_run: bool,
    resource_index: int = 0,
    preview_job: Job | None = None,
    batch_size: int = BATCH_SIZE,
) -> Job:
    """Queue an import of ``upload`` into ``model`` by ``user`` (a dry run: the preview)."""
    verb = _g("Pratinjau impor") if dry_run else _g("Impor")
    params = {
        "model": model._meta.label_lower,
        "format": file_format,
        "resource": resource_index,
        "user": user.pk,
        "dry_run": dry_run,
        "file_name": file_name,
        "batch_size": batch_size,
    }
    if preview_job is not None:
        params["preview_job"] = preview_job.pk
    return job_start(
        kind=import_kind(model),
        label=f"{verb} {model._meta.verbose_name_plural}: {file_name}",
        user=user,
        params=params,
        input_file=upload,
    )


# --- the worker's side --------------------------------------------------------------------------
def import_admin_for(job: Job):
    """The ModelAdmin whose import ``job`` is (it knows the resource and the user's rules)."""
    label = str(job.params.get("model", ""))
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        model = None
    model_admin = admin.site._registry.get(model) if model is not None else None
    if not isinstance(model_admin, ScopedImportExportMixin) or job.kind != import_kind(model):
        raise JobError(_g("Jenis impor tidak dikenal: %(kind)s.") % {"kind": job.kind})
    return model_admin


def run_import(job: Job, progress) -> dict:
    """The handler of ``import:*`` jobs: the admin's resource in bulk mode, all or nothing.

    Returns the summary (new/changed/unchanged; a dry run adds its preview rows). A file with
    any bad row raises :class:`JobError` after storing every (row, column, message) as the job's
    report; the import's transaction was rolled back, so nothing is written.
    """
    params = job.params
    model_admin = import_admin_for(job)
    user = get_user_model().objects.filter(pk=params.get("user"), is_active=True).first()
    if user is None:
        raise JobError(_g("Akun yang memulai impor ini tidak aktif lagi."))
    request = SimpleNamespace(user=user)  # what the admin's permission and scope rules read
    if not model_admin.has_import_permission(request):
        raise JobError(_g("Akun Anda tidak lagi berhak mengimpor data ini."))
    formats = {f().get_title(): f for f in model_admin.get_import_formats()}
    file_format = formats.get(params.get("format"))
    if file_format is None or not job.input_file:
        raise JobError(_g("Berkas atau formatnya tidak ada; unggah ulang."))
    with job.input_file.open("rb") as fh:
        data = fh.read()
    try:
        dataset = file_format().create_dataset(data)
    except Exception as exc:
        raise JobError(
            _g("Berkas tidak dapat dibaca sebagai %(format)s (%(error)s). Periksa formatnya.")
            % {"format": params["format"].upper(), "error": type(exc).__name__}
        ) from exc
    del data
    if not len(dataset):
        raise JobError(
            _g("Berkas tidak berisi baris data. Pastikan baris pertama berisi judul kolom.")
        )
    dry_run = bool(params.get("dry_run"))
    resource_class = model_admin.get_import_resource_classes(request)[int(params["resource"])]
    resource = resource_class(
        **model_admin.get_import_resource_kwargs(request),
        bulk=True,
        batch_size=int(params.get("batch_size") or BATCH_SIZE),
        progress=progress,
        preview_rows=PREVIEW_ROWS if dry_run else 0,
    )
    result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False)
    totals = result.totals
    summary = {
        "rows": len(dataset),
        "new": totals[RowResult.IMPORT_TYPE_NEW],
        "update": totals[RowResult.IMPORT_TYPE_UPDATE],
        "skip": totals[RowResult.IMPORT_TYPE_SKIP],
        "dry_run": dry_run,
    }
    if result.has_errors() or result.has_validation_errors():
        rows = result.error_report()
        job_save_report(
            job,
            name=f"kesalahan-impor-{model_admin.model._meta.model_name}-{job.pk}.csv",
            content=error_report_csv(rows).encode("utf-8"),
        )
        error = JobError(
            _g("Impor dibatalkan: ada baris yang salah, tidak ada data yang disimpan.")
        )
        error.result = {**summary, "errors": len(rows)}
        raise error
    if dry_run:
        summary["preview"] = {
            "headers": resource.get_diff_headers(),
            "rows": [
                [kind, ["" if c is None else str(c) for c in cells]]
                for kind, cells in resource.preview
            ],
        }
    return summary


def read_error_report(job: Job, limit: int = ERROR_ROWS_SHOWN) -> list[list[str]]:
    """The first ``limit`` (row, column, message) rows of a failed import's report."""
    if not job.report_file:
        return []
    rows = []
    try:
        with job.report_file.storage.open(job.report_file.name, "rb") as fh:
            reader = csv.reader(io.TextIOWrapper(fh, encoding="utf-8-sig", newline=""))
            next(reader, None)  # the header
            for line in reader:  # read as far as shown, not the whole file
                if len(rows) >= limit:
                    break
                rows.append((line + ["", "", ""])[:3])
    except OSError:
        return []
    return rows


# --- the admin ---------------------------------------------------------------------------------
class ScopedImportExportMixin(ImportExportMixin):
    """Scoping, formula escaping, personal-data rules and background imports in the admin."""

    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    import_template_name = "admin/import_export/sipi_import.html"
    import_error_display = ("message",)

    # --- resources get the user ------------------------------------------------------------------
    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_classes(self, request):
        classes = super().get_export_resource_classes(request)
        if request.user.has_perm("ikm.view_nik"):
            return classes
        return [restricted_resource(cls) for cls in classes]

    def get_export_data(self, file_format, request, queryset, **kwargs):
        kwargs["export_format"] = file_format.get_extension()
        return super().get_export_data(file_format, request, queryset, **kwargs)

    def get_export_filename(self, request, queryset, file_format):
        from django.utils import timezone

        day = timezone.localdate().isoformat()
        return f"{self.model._meta.model_name}-{day}.{file_format.get_extension()}"

    # --- import: upload -> job -------------------------------------------------------------------
    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        urls = [
            path(
                "import/confirm/<int:job_id>/",
                self.admin_site.admin_view(self.import_confirm_view),
                name="{}_{}_import_confirm".format(*info),
            ),
        ]
        # import-export's "process_import" imports inside the request: not offered.
        process = "{}_{}_process_import".format(*info)
        return urls + [u for u in super().get_urls() if getattr(u, "name", None) != process]

    def import_action(self, request, **kwargs):
        """The upload page; a valid upload starts the preview job and goes to its page."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if request.method == "POST" and form.is_valid():
            file_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
            upload = form.cleaned_data["import_file"]
            problem = upload_problem(upload, file_format.get_title())
            if problem:
                form.add_error("import_file", problem)
            else:
                job = start_import_job(
                    model=self.model,
                    user=request.user,
                    upload=upload,
                    file_format=file_format.get_title(),
                    file_name=os.path.basename(upload.name),
                    dry_run=True,
                    resource_index=self.get_resource_index(form),
                )
                return HttpResponseRedirect(job_url(job))
        resources = [
            cls(**self.get_import_resource_kwargs(request))
            for cls in self.get_import_resource_classes(request)
        ]
        context = self.get_import_context_data()
        context.update(self.admin_site.each_context(request))
        context.update(
            {
                "title": _("Impor"),
                "form": form,
                "opts": self.model._meta,
                "media": self.media + form.media,
                "fields_list": [
                    (r.get_display_name(), [f.column_name for f in r.get_user_visible_fields()])
                    for r in resources
                ],
                "import_error_display": self.import_error_display,
                "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
            }
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def import_confirm_view(self, request, job_id: int):
        """ "Konfirmasi impor" on a finished preview: the real import, once per preview."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_import_permission(request):
            raise PermissionDenied
        kind = import_kind(self.model)
        with transaction.atomic():
            preview = (
                Job.objects.select_for_update()
                .filter(pk=job_id, kind=kind, created_by=request.user)
                .first()
            )
            if preview is None:
                raise Http404(_("Data tidak ditemukan."))
            started = Job.objects.filter(kind=kind, params__preview_job=preview.pk).first()
            if started is not None:  # a second click: the import already runs
                return HttpResponseRedirect(job_url(started))
            if not preview.params.get("dry_run") or preview.status != Job.Status.DONE:
                messages.error(request, _g("Hanya pratinjau yang berhasil dapat dikonfirmasi."))
                return HttpResponseRedirect(job_url(preview))
            try:
                source = preview.input_file.open("rb")
            except (OSError, ValueError):
                messages.error(request, _g("Berkas pratinjau sudah dihapus; unggah ulang."))
                return HttpResponseRedirect(job_url(preview))
            with source:
                params = preview.params
                job = start_import_job(
                    model=self.model,
                    user=request.user,
                    upload=File(source, name=os.path.basename(preview.input_file.name)),
                    file_format=params["format"],
                    file_name=params.get("file_name") or "",
                    dry_run=False,
                    resource_index=int(params.get("resource", 0)),
                    preview_job=preview,
                )
        return HttpResponseRedirect(job_url(job))
