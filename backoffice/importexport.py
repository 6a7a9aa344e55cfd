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
   its content is the chosen format, stores it as the ``input_file`` of an *inspect* job (kind
   ``import:<app>.<model>``, ``params["step"] = "inspect"``) and redirects to the job's page
   (``backoffice/admin/jobs.py``), whose progress bar follows the worker.
   The worker reads only the top of the file: the header row (found below title and blank rows),
   three sample values per column, and the proposed mapping (a saved :class:`ImportMapping`
   with the same headers, else synonyms and similarity: ``core.spreadsheet.mapping``).
2. The job page shows the mapping screen: file column -> field (or "abaikan"), samples, and
   "save as template". Its form (:meth:`ScopedImportExportMixin.import_mapping_view`) starts the
   *preview* job (a dry run) on a copy of the file with the mapping in its params.
3. The worker (:func:`run_import`, registered in ``backoffice/tasks.py``) runs the same resource
   in bulk mode, in one transaction that a dry run always rolls back: the page then shows how
   many rows would be new, changed or unchanged and the first rows as they would be saved, or
   every bad row (row, column, message; the list is the job's ``report_file``) — nothing written.
4. "Konfirmasi impor" on a finished preview starts the real import (a job on a copy of the same
   file, with the same mapping), all or nothing, with the same checks run again (the data may
   have changed).

A failed import's report (:func:`save_error_report`) repeats, for each problem, the official's own
columns of the row (their headers and cells), its NIB and name, the column and the message: a
CSV with ``;`` (Excel in Indonesian locale) as the job's ``report_file`` and the same as XLSX.
A successful preview's notes ("dibaca sebagai …") are listed on the page (the first
:data:`NOTES_SHOWN`) and all of them are its ``report_file``.
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
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.results import RowResult

from backoffice.models import ImportMapping
from core.formatting import number as format_number
from core.spreadsheet import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    SpreadsheetFileError,
    error_report_csv,
    sniff_delimiter,
)
from core.spreadsheet.files import (
    dataset_from_rows,
    error_report_table,
    error_report_xlsx,
    sheet_rows,
)
from core.spreadsheet.mapping import (
    HEADER_SCAN_ROWS,
    ColumnMapping,
    header_signature,
    mapping_from_template,
)
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
#: notes ("dibaca sebagai …") shown on a preview's page (the notes file has them all)
NOTES_SHOWN = 1000
#: sample values shown per column on the mapping screen
SAMPLES = 3
KIND_PREFIX = "import:"
STEP_INSPECT = "inspect"


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
            "size": format_number(upload.size / 1024 / 1024, 1),  # decimal comma (core.formatting)
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
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 is read
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
    step: str = "",
    mapping: ColumnMapping | None = None,
    inspect_job: Job | None = None,
) -> Job:
    """Queue an import of ``upload`` into ``model`` by ``user`` (a dry run: the preview;
    ``step="inspect"``: only the header and the proposed mapping). Without ``mapping`` the
    worker maps the columns itself (synonyms, similarity), as ``manage.py import_data`` does."""
    if step == STEP_INSPECT:
        verb = _g("Periksa kolom")
    else:
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
    if step:
        params["step"] = step
    if mapping is not None:
        params["mapping"] = mapping.as_json()
    if inspect_job is not None:
        params["inspect_job"] = inspect_job.pk
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
    resource_class = model_admin.get_import_resource_classes(request)[int(params["resource"])]
    dry_run = bool(params.get("dry_run"))
    resource = resource_class(
        **model_admin.get_import_resource_kwargs(request),
        bulk=True,
        batch_size=int(params.get("batch_size") or BATCH_SIZE),
        progress=progress,
        preview_rows=PREVIEW_ROWS if dry_run else 0,
    )
    filename = f"berkas.{params['format']}"
    with job.input_file.open("rb") as fh:
        data = fh.read()
    if params.get("step") == STEP_INSPECT:
        return inspect_file(job, resource, data, filename)
    mapping = ColumnMapping.from_json(params["mapping"]) if params.get("mapping") else None
    try:
        dataset = resource.read_dataset(data, filename, mapping)
    except SpreadsheetFileError as exc:  # e.g. an encoding that is not text: says which
        raise JobError(str(exc)) from exc
    except ValidationError as exc:
        raise JobError("; ".join(exc.messages)) from exc
    except Exception as exc:
        raise JobError(
            _g("Berkas tidak dapat dibaca sebagai %(format)s (%(error)s). Periksa formatnya.")
            % {"format": params["format"].upper(), "error": type(exc).__name__}
        ) from exc
    del data
    if not len(dataset):
        raise JobError(
            _g("Berkas tidak berisi baris data di bawah baris judul kolom (baris %(row)s).")
            % {"row": getattr(dataset, "header_row", 1) or 1}
        )
    result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False)
    totals = result.totals
    summary = {
        "rows": len(dataset),
        "new": totals[RowResult.IMPORT_TYPE_NEW],
        "update": totals[RowResult.IMPORT_TYPE_UPDATE],
        "skip": totals[RowResult.IMPORT_TYPE_SKIP],
        "dry_run": dry_run,
        "header_row": getattr(dataset, "header_row", 1),
        "ignored": resource.ignored_columns,
        "template": mapping.template if mapping is not None else "",
    }
    if result.has_errors() or result.has_validation_errors():
        rows = result.error_report()
        report_xlsx = save_error_report(job, model_admin, resource, dataset, rows)
        error = JobError(
            _g("Impor dibatalkan: ada baris yang salah, tidak ada data yang disimpan.")
        )
        error.result = {**summary, "errors": len(rows), "report_xlsx": report_xlsx}
        raise error
    notes = sorted(resource.notes, key=lambda n: (n[0], n[1]))
    summary["notes_count"] = len(notes)
    summary["notes"] = [[n, c, m] for n, c, m in notes[:NOTES_SHOWN]]
    if notes:
        job_save_report(
            job,
            name=f"catatan-impor-{model_admin.model._meta.model_name}-{job.pk}.csv",
            content=error_report_csv(
                notes, headers=[_g("Baris"), _g("Kolom"), _g("Catatan")], delimiter=";"
            ).encode("utf-8"),
        )
    if dry_run:
        summary["preview"] = {
            "headers": resource.get_diff_headers(),
            "rows": [
                [kind, ["" if c is None else str(c) for c in cells]]
                for kind, cells in resource.preview
            ],
        }
    return summary


def save_error_report(job: Job, model_admin, resource, dataset, errors) -> str:
    """The report of a failed import: CSV with ``;`` (the job's ``report_file``) and XLSX (its
    storage name is returned; the job's result keeps it)."""
    headers, table = error_report_table(errors, dataset, resource.report_key_columns)
    base = f"kesalahan-impor-{model_admin.model._meta.model_name}-{job.pk}"
    job_save_report(
        job,
        name=f"{base}.csv",
        content=error_report_csv(table, headers=headers, delimiter=";").encode("utf-8"),
    )
    field = job.report_file
    return field.storage.save(
        field.field.generate_filename(job, f"{base}.xlsx"),
        ContentFile(error_report_xlsx(headers, table)),
    )


def find_template(model_label: str, headers: list[str]):
    """The saved template for files of ``model_label`` with these headers (latest first)."""
    return (
        ImportMapping.objects.filter(model_label=model_label, signature=header_signature(headers))
        .order_by("-updated_at", "-pk")
        .first()
    )


def inspect_file(job: Job, resource, data: bytes, filename: str) -> dict:
    """The mapping screen's data: header row, headers, samples and the proposed mapping.

    Only the top of the file is read (the header is searched in the first rows, samples come from
    the rows below it): quick whatever the size of the file."""
    try:
        rows = sheet_rows(data, filename, limit=HEADER_SCAN_ROWS + 20)
    except SpreadsheetFileError as exc:
        raise JobError(str(exc)) from exc
    except Exception as exc:
        raise JobError(
            _g("Berkas tidak dapat dibaca sebagai %(format)s (%(error)s). Periksa formatnya.")
            % {"format": job.params["format"].upper(), "error": type(exc).__name__}
        ) from exc
    dataset = dataset_from_rows(rows, resource.matcher())
    headers = list(dataset.headers or [])
    if not headers:
        raise JobError(_g("Berkas kosong: tidak ada judul kolom."))
    template = find_template(job.params["model"], headers)
    targets = resource.mapping_targets()
    if template is not None:
        mapping = mapping_from_template(headers, template.mapping, template.name, targets)
    else:
        mapping = resource.propose_mapping(headers)
    samples = []
    for i in range(len(headers)):
        values = []
        for row in dataset._data:
            cell = row[i] if i < len(row) else None
            value = "" if cell is None else str(cell).strip()
            if value:
                values.append(value[:60])
            if len(values) >= SAMPLES:
                break
        samples.append(values)
    return {
        "step": STEP_INSPECT,
        "header_row": dataset.header_row,
        "mapping": mapping.as_json(),
        "samples": samples,
        "targets": [[t.column, t.required] for t in targets],
        "missing": mapping.missing(targets),
    }


def read_error_report(job: Job, limit: int = ERROR_ROWS_SHOWN) -> list[tuple[str, str, str]]:
    """The first ``limit`` (row, column, message) rows of a failed import's report; the column
    says the file's own header too when it differs ("Nama usaha (NAMA IKM)")."""
    if not job.report_file:
        return []
    rows = []
    try:
        with job.report_file.storage.open(job.report_file.name, "rb") as fh:
            text_fh = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
            first = text_fh.readline()
            delimiter = sniff_delimiter(first)
            wide = len(next(csv.reader([first], delimiter=delimiter), [])) > 3
            reader = csv.reader(text_fh, delimiter=delimiter)
            for line in reader:  # read as far as shown, not the whole file
                if len(rows) >= limit:
                    break
                if wide:  # row; column; the file's column; message; …
                    number, column, own, message = (line + ["", "", "", ""])[:4]
                    if own and own != column:
                        column = f"{column} ({own})" if column else own
                else:
                    number, column, message = (line + ["", "", ""])[:3]
                rows.append((number, column, message))
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
            path(
                "import/mapping/<int:job_id>/",
                self.admin_site.admin_view(self.import_mapping_view),
                name="{}_{}_import_mapping".format(*info),
            ),
        ]
        # import-export's "process_import" imports inside the request: not offered.
        process = "{}_{}_process_import".format(*info)
        return urls + [u for u in super().get_urls() if getattr(u, "name", None) != process]

    def import_action(self, request, **kwargs):
        """The upload page; a valid upload starts the inspect job (header row, proposed mapping)
        and goes to its page, the mapping screen."""
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
                    dry_run=False,
                    resource_index=self.get_resource_index(form),
                    step=STEP_INSPECT,
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
            mapping = preview.params.get("mapping")
            job = self._next_import_job(
                request,
                preview,
                dry_run=False,
                mapping=ColumnMapping.from_json(mapping) if mapping else None,
                preview_job=preview,
            )
            if job is None:
                messages.error(request, _g("Berkas pratinjau sudah dihapus; unggah ulang."))
                return HttpResponseRedirect(job_url(preview))
        return HttpResponseRedirect(job_url(job))

    def _next_import_job(self, request, earlier: Job, *, dry_run: bool, **links) -> Job | None:
        """The next job of an import, on a copy of ``earlier``'s file (None: the file is gone)."""
        try:
            source = earlier.input_file.open("rb")
        except (OSError, ValueError):
            return None
        with source:
            params = earlier.params
            return start_import_job(
                model=self.model,
                user=request.user,
                upload=File(source, name=os.path.basename(earlier.input_file.name)),
                file_format=params["format"],
                file_name=params.get("file_name") or "",
                dry_run=dry_run,
                resource_index=int(params.get("resource", 0)),
                **links,
            )

    def import_mapping_view(self, request, job_id: int):
        """The mapping screen's form: the official's mapping (and maybe a template saved) ->
        the preview job on a copy of the file. A wrong mapping shows the screen again."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_import_permission(request):
            raise PermissionDenied
        inspect = (
            Job.objects.filter(
                pk=job_id,
                kind=import_kind(self.model),
                created_by=request.user,
                params__step=STEP_INSPECT,
                status=Job.Status.DONE,
            )
            .defer(None)
            .first()
        )
        if inspect is None:
            raise Http404(_("Data tidak ditemukan."))
        proposed = ColumnMapping.from_json(inspect.result.get("mapping") or {})
        targets = [(str(c), bool(r)) for c, r in inspect.result.get("targets", [])]
        known = {c for c, _r in targets}
        fields, errors = [], []
        for i, header in enumerate(proposed.headers):
            value = request.POST.get(f"kolom_{i}", "")
            if value and value not in known:
                errors.append(
                    _g("Kolom '%(col)s': pilihan '%(value)s' tidak dikenal.")
                    % {"col": header or i + 1, "value": value[:50]}
                )
                value = ""
            fields.append(value)
        chosen = [f for f in fields if f]
        for twice in sorted({f for f in chosen if chosen.count(f) > 1}):
            errors.append(
                _g("'%(field)s' dipilih untuk lebih dari satu kolom berkas: %(cols)s.")
                % {
                    "field": twice,
                    "cols": ", ".join(
                        proposed.header_label(i) for i, f in enumerate(fields) if f == twice
                    ),
                }
            )
        missing = [c for c, required in targets if required and c not in chosen]
        if missing:
            errors.append(
                _g("Kolom wajib belum dipetakan: %(cols)s.") % {"cols": ", ".join(missing)}
            )
        template_name = " ".join(request.POST.get("templat", "").split())[:100]
        if errors:
            job_admin = self.admin_site._registry[Job]
            return job_admin.change_view(
                request,
                str(inspect.pk),
                extra_context={
                    "mapping_errors": errors,
                    "mapping_choices": fields,
                    "template_name": template_name,
                },
            )
        mapping = ColumnMapping(list(proposed.headers), fields)
        if template_name:
            template, _created = ImportMapping.objects.update_or_create(
                model_label=self.model._meta.label_lower,
                name=template_name,
                defaults={
                    "signature": mapping.signature,
                    "headers": mapping.headers,
                    "mapping": mapping.by_name(),
                },
                create_defaults={
                    "signature": mapping.signature,
                    "headers": mapping.headers,
                    "mapping": mapping.by_name(),
                    "created_by": request.user,
                },
            )
            mapping.template = template.name
        elif proposed.template and fields == proposed.fields:
            mapping.template = proposed.template
        job = self._next_import_job(
            request, inspect, dry_run=True, mapping=mapping, inspect_job=inspect
        )
        if job is None:
            messages.error(request, _g("Berkas sudah dihapus; unggah ulang."))
            return HttpResponseRedirect(job_url(inspect))
        return HttpResponseRedirect(job_url(job))
