"""Import/export integration for the admin.

Every back-office ModelAdmin with spreadsheets inherits ``ScopedImportExportMixin`` (next to
SimpleHistoryAdmin) and sets ``resource_classes``. The mixin adds, on top of django-import-export
(whose model-permission checks stay):

* the request user handed to the resource (scope of every row, audit user, personal data);
* our CSV (UTF-8 with/without BOM or cp1252, ``,``/``;``) and XLSX formats, formula escaping;
* personal-data columns offered in the export form only to holders of ``ikm.view_nik``;
* a failed import (preview or confirm) lists every bad row and column and offers the list as a
  CSV download (kept in the session under a random token); nothing is written.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from core.spreadsheet import EXPORT_FORMATS, IMPORT_FORMATS, error_report_csv

SESSION_KEY = "sipi_import_errors"
MAX_REPORT_ROWS = 20_000
MAX_REPORTS = 3


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


class ScopedImportExportMixin(ImportExportMixin):
    """Scoping, formula escaping and personal-data rules for spreadsheets in the admin."""

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

    # --- import: error reports -------------------------------------------------------------------
    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "import/errors/<str:token>/",
                self.admin_site.admin_view(self.import_error_report_view),
                name="{}_{}_import_errors".format(*info),
            ),
            *super().get_urls(),
        ]

    def _store_error_report(self, request, result) -> str | None:
        rows = result.error_report()
        if not rows:
            return None
        token = secrets.token_urlsafe(16)
        reports = request.session.get(SESSION_KEY, {})
        while len(reports) >= MAX_REPORTS:
            reports.pop(next(iter(reports)))
        reports[token] = {
            "model": self.model._meta.label_lower,
            "rows": [list(r) for r in rows[:MAX_REPORT_ROWS]],
        }
        request.session[SESSION_KEY] = reports
        return reverse(
            f"{self.admin_site.name}:{self.model._meta.app_label}_{self.model._meta.model_name}_import_errors",
            kwargs={"token": token},
        )

    def import_error_report_view(self, request, token):
        if not self.has_import_permission(request):
            raise PermissionDenied
        report = request.session.get(SESSION_KEY, {}).get(token)
        if not report or report.get("model") != self.model._meta.label_lower:
            raise Http404
        response = HttpResponse(
            error_report_csv(report["rows"]), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="kesalahan-impor-{self.model._meta.model_name}.csv"'
        )
        return response

    def _add_error_context(self, request, response):
        if not isinstance(response, TemplateResponse) or response.context_data is None:
            return response
        result = response.context_data.get("result")
        if result is not None and (result.has_errors() or result.has_validation_errors()):
            response.context_data["error_rows"] = result.error_report()
            response.context_data["error_report_url"] = self._store_error_report(request, result)
        return response

    def import_action(self, request, **kwargs):
        return self._add_error_context(request, super().import_action(request, **kwargs))

    def process_result(self, result, request):
        """The confirm step: a failed import (rolled back) shows its errors, never 'success'."""
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _g("Impor dibatalkan: ada baris yang salah, tidak ada data yang disimpan."),
            )
            context = self.admin_site.each_context(request)
            context.update(
                {
                    "title": _("Impor"),
                    "opts": self.model._meta,
                    "result": result,
                    "form": None,
                    "import_error_display": self.import_error_display,
                }
            )
            request.current_app = self.admin_site.name
            response = TemplateResponse(request, [self.import_template_name], context)
            return self._add_error_context(request, response)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        from import_export.results import RowResult

        totals = result.totals
        messages.success(
            request,
            _g("Impor selesai: %(new)s baru, %(update)s diubah, %(skip)s tidak berubah (%(name)s).")
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "update": totals[RowResult.IMPORT_TYPE_UPDATE],
                "skip": totals[RowResult.IMPORT_TYPE_SKIP],
                "name": self.model._meta.verbose_name_plural,
            },
        )
