"""Background jobs in the admin (``jobs.Job``): the list, and each job's page with a live progress
bar, its outcome, an import's preview and "Konfirmasi impor", and the error report.

Who sees what: every official sees the jobs they started; superusers and province officials see
every job. The check is by role (a back-office scope), not by model permission, so the role
groups are unchanged. A job's error report (it may quote the file's cells) is sent only to the
person who started the job, or a superuser. Jobs outside a user's sight are 404.

The progress bar is rendered on the server from the Job row (a reload shows where the job is)
and refreshed by htmx (``static/vendor/htmx``): the status block asks for itself again every
second (``<id>/status/``) until the job is finished, when the block it gets back no longer asks.
"""

from __future__ import annotations

import os

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from backoffice.importexport import KIND_PREFIX, STEP_INSPECT, read_error_report
from backoffice.mixins import ReadOnlyAdminMixin
from ikm.selectors import scope_kabupaten_code
from jobs.models import Job

S = Job.Status
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_TYPE_LABELS = {
    "new": _("Baru"),
    "update": _("Diubah"),
    "skip": _("Tidak berubah"),
}


def sees_every_job(user) -> bool:
    try:
        return scope_kabupaten_code(user) is None  # superuser or province-wide official
    except PermissionError:
        return False


def may_read_report(user, job: Job) -> bool:
    return user.is_superuser or (job.created_by_id is not None and job.created_by_id == user.pk)


@admin.register(Job)
class JobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "label", "status_badge", "progress", "created_by", "created_at")
    list_display_links = ("id", "label")
    list_filter = ("status",)
    search_fields = ("label",)
    list_select_related = ("created_by",)
    list_per_page = 50
    change_template = "admin/jobs/job.html"

    # --- who sees what -----------------------------------------------------------------------
    def _allowed(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        try:
            scope_kabupaten_code(user)
        except PermissionError:
            return False
        return True

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).defer("result", "params")
        if not self._allowed(request):
            return queryset.none()
        if sees_every_job(request.user):
            return queryset
        return queryset.filter(created_by=request.user)

    def get_job(self, request, object_id) -> Job:
        """The job, or 404 when it does not exist or is not the user's to see."""
        try:
            pk = int(object_id)
        except (TypeError, ValueError):
            raise Http404(_("Data tidak ditemukan.")) from None
        job = self.get_queryset(request).defer(None).filter(pk=pk).first()
        if job is None:
            raise Http404(_("Data tidak ditemukan."))
        return job

    # --- list columns ----------------------------------------------------------------------
    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj: Job):
        return format_html(
            '<span class="job-status job-status-{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description=_("kemajuan"))
    def progress(self, obj: Job):
        if obj.total:
            return f"{obj.done} / {obj.total} ({obj.percent}%)"
        return "—"

    # --- pages -------------------------------------------------------------------------------
    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/status/",
                self.admin_site.admin_view(self.status_view),
                name="{}_{}_status".format(*info),
            ),
            path(
                "<path:object_id>/report/",
                self.admin_site.admin_view(self.report_view),
                name="{}_{}_report".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_job(request, object_id)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            **self.job_context(request, job, extra_context),
            "title": job.label,
            "subtitle": None,
            "opts": self.model._meta,
            "original": job,
            "changelist_url": reverse("admin:jobs_job_changelist"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.change_template, context)

    def status_view(self, request, object_id):
        """The status block alone: what the job page's htmx asks for every second."""
        job = self.get_job(request, object_id)
        return TemplateResponse(
            request, "admin/jobs/_job_status.html", self.job_context(request, job)
        )

    def report_view(self, request, object_id):
        """The job's report (CSV with ``;``), or its XLSX copy with ``?format=xlsx``."""
        job = self.get_job(request, object_id)
        if not may_read_report(request.user, job):
            raise PermissionDenied
        if not job.report_file:
            raise Http404(_("Data tidak ditemukan."))
        storage = job.report_file.storage
        name, content_type = job.report_file.name, "text/csv; charset=utf-8"
        if request.GET.get("format") == "xlsx":
            name = str((job.result or {}).get("report_xlsx") or "")
            content_type = XLSX_TYPE
            if not name:
                raise Http404(_("Data tidak ditemukan."))
        try:
            handle = storage.open(name, "rb")
        except OSError:
            raise Http404(_("Berkas laporan sudah dihapus.")) from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=os.path.basename(name),
            content_type=content_type,
        )

    # --- what the page and the status block show -------------------------------------------
    def job_context(self, request, job: Job, extra: dict | None = None) -> dict:
        readable = may_read_report(request.user, job)
        error_rows = read_error_report(job) if readable and job.status == S.FAILED else []
        context = {
            "job": job,
            "status_url": reverse("admin:jobs_job_status", args=[job.pk]),
            "report_url": (
                reverse("admin:jobs_job_report", args=[job.pk])
                if readable and job.report_file
                else ""
            ),
            "error_rows": error_rows,
            "error_count": (job.result or {}).get("errors") or len(error_rows),
        }
        if job.kind.startswith(KIND_PREFIX):
            context.update(self.import_context(request, job))
            if job.params.get("step") == STEP_INSPECT:
                context.update(self.mapping_context(request, job, extra or {}))
        return context

    def mapping_context(self, request, job: Job, extra: dict) -> dict:
        """The mapping screen of an inspect job: per file column its samples and a choice."""
        result = job.result or {}
        mapping = result.get("mapping") or {}
        headers = mapping.get("headers") or []
        fields = extra.get("mapping_choices") or mapping.get("fields") or []
        scores = mapping.get("scores") or []
        samples = result.get("samples") or []
        targets = result.get("targets") or []
        label = job.kind[len(KIND_PREFIX) :]
        app_label, _dot, model_name = label.partition(".")
        try:
            action = reverse(f"admin:{app_label}_{model_name}_import_mapping", args=[job.pk])
        except NoReverseMatch:
            return {}
        columns = []
        for i, header in enumerate(headers):
            field = fields[i] if i < len(fields) else ""
            score = scores[i] if i < len(scores) else 0
            columns.append(
                {
                    "index": i,
                    "header": header,
                    "letter": _column_letter(i),
                    "samples": samples[i] if i < len(samples) else [],
                    "field": field,
                    "similar": bool(field) and 0 < score < 1,
                }
            )
        previews = list(
            Job.objects.filter(kind=job.kind, params__inspect_job=job.pk)
            .only("pk", "status", "created_at")
            .order_by("-pk")[:5]
        )
        return {
            "is_mapping": True,
            "mapping_action": action if job.created_by_id == request.user.pk else "",
            "mapping_columns": columns,
            "mapping_targets": [{"column": c, "required": r} for c, r in targets],
            "mapping_header_row": result.get("header_row"),
            "mapping_template": mapping.get("template") or "",
            "mapping_ignored": [c["header"] for c in columns if c["header"] and not c["field"]],
            "mapping_errors": extra.get("mapping_errors") or [],
            "template_name": extra.get("template_name") or mapping.get("template") or "",
            "mapping_previews": previews,
        }

    def import_context(self, request, job: Job) -> dict:
        """Links back to the model's list and import page; a preview's rows and confirm form."""
        label = job.kind[len(KIND_PREFIX) :]
        app_label, _dot, model_name = label.partition(".")
        try:
            changelist_url = reverse(f"admin:{app_label}_{model_name}_changelist")
            import_url = reverse(f"admin:{app_label}_{model_name}_import")
            confirm_url = reverse(f"admin:{app_label}_{model_name}_import_confirm", args=[job.pk])
        except NoReverseMatch:
            return {}
        result = job.result or {}
        preview = result.get("preview") or {}
        dry_run = bool(job.params.get("dry_run"))
        confirmed = None
        if dry_run:
            confirmed = (
                Job.objects.filter(kind=job.kind, params__preview_job=job.pk)
                .only("pk", "status")
                .first()
            )
        inspect_id = job.params.get("inspect_job")
        return {
            "is_import": True,
            "dry_run": dry_run,
            "import_ignored": result.get("ignored") or [],
            "import_template": result.get("template") or "",
            "import_header_row": result.get("header_row"),
            "import_notes": result.get("notes") or [],
            "import_notes_count": result.get("notes_count") or 0,
            "report_xlsx_url": (
                reverse("admin:jobs_job_report", args=[job.pk]) + "?format=xlsx"
                if result.get("report_xlsx") and may_read_report(request.user, job)
                else ""
            ),
            "mapping_url": (
                reverse("admin:jobs_job_change", args=[inspect_id]) if inspect_id else ""
            ),
            "model_changelist_url": changelist_url,
            "model_import_url": import_url,
            "summary": result if "new" in result else None,
            "preview_headers": preview.get("headers", []),
            "preview_rows": [
                (kind, IMPORT_TYPE_LABELS.get(kind, kind), cells)
                for kind, cells in preview.get("rows", [])
            ],
            "confirmed_job": confirmed,
            "confirm_url": (
                confirm_url
                if dry_run
                and job.status == S.DONE
                and confirmed is None
                and job.created_by_id == request.user.pk
                else ""
            ),
            "preview_job_url": (
                reverse("admin:jobs_job_change", args=[job.params["preview_job"]])
                if job.params.get("preview_job")
                else ""
            ),
        }


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
