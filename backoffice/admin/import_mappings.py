"""Saved column mappings of imports ("templat pemetaan impor", ``backoffice.ImportMapping``).

Templates are made on the import's mapping screen; here officials see them and may rename or
delete their own (a superuser any). Every official with a back-office scope sees the list: a
template is shared by the office (the next file with the same headers uses it, whoever uploads).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from backoffice.models import ImportMapping
from ikm.selectors import scope_kabupaten_code


def _has_scope(user) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    try:
        scope_kabupaten_code(user)
    except PermissionError:
        return False
    return True


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    list_display = ("name", "model_label", "column_count", "created_by", "updated_at")
    list_filter = ("model_label",)
    search_fields = ("name",)
    list_select_related = ("created_by",)
    fields = ("name", "model_label", "columns", "created_by", "created_at", "updated_at")
    readonly_fields = ("model_label", "columns", "created_by", "created_at", "updated_at")

    def has_module_permission(self, request):
        return _has_scope(request.user)

    def has_view_permission(self, request, obj=None):
        return _has_scope(request.user)

    def has_add_permission(self, request):
        return False  # made on the import's mapping screen

    def _own(self, request, obj) -> bool:
        if not _has_scope(request.user):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return obj.created_by_id == request.user.pk

    def has_change_permission(self, request, obj=None):
        return self._own(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._own(request, obj)

    @admin.display(description=_("jumlah kolom"))
    def column_count(self, obj: ImportMapping) -> str:
        used = sum(1 for f in (obj.mapping or {}).values() if f)
        return f"{used} / {len(obj.headers or [])}"

    @admin.display(description=_("pemetaan kolom"))
    def columns(self, obj: ImportMapping):
        from core.spreadsheet.mapping import normalise_header

        mapping = obj.mapping or {}
        rows = [
            (h, mapping.get(normalise_header(h)) or _("— abaikan —")) for h in obj.headers or []
        ]
        return format_html_join("", "<div>{} &rarr; {}</div>", rows)
