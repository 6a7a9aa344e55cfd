"""Back-office admin for certificates, scoped to the official's region through the unit.

Requests, documents and status changes are registered in ``backoffice/admin/requests.py``.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from backoffice.importexport import ScopedImportExportMixin
from backoffice.mixins import UnitScopedAdminMixin, region_filters, region_names, scope_unit_field
from certifications.formats import validate_number
from certifications.models import Certification, CertificationStatus, CertificationType
from certifications.resources import CertificationResource
from core.formatting import validity
from core.forms import ConstraintModelForm
from ikm.selectors import filter_by_unit_scope
from products.models import Product


class CertificationAdminForm(ConstraintModelForm):
    """Number format per type, OVOP stars, dates, products of the same unit: field errors."""

    constraint_errors = {
        "certification_unique_type_number": ("number", None),
        "certification_valid_after_issue": ("valid_until", None),
        "certification_ovop_stars": ("ovop_stars", None),
        "certification_number_not_blank": ("number", _("Nomor sertifikat wajib diisi.")),
    }

    class Meta:
        model = Certification
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        cert_type, number = cleaned.get("type"), cleaned.get("number")
        if cert_type and number is not None and "number" in self.fields:
            try:
                cleaned["number"] = validate_number(cert_type, number)
            except ValidationError as exc:
                self.add_error("number", exc)
        if cert_type == CertificationType.OVOP:
            if not cleaned.get("ovop_stars"):
                self.add_error("ovop_stars", _("Sertifikat OVOP wajib punya bintang 1–5."))
            elif not 1 <= cleaned["ovop_stars"] <= 5:
                self.add_error("ovop_stars", _("Bintang OVOP harus 1 sampai 5."))
            if not cleaned.get("ovop_year"):
                self.add_error("ovop_year", _("Tahun penilaian OVOP wajib diisi."))
        elif cert_type and cleaned.get("ovop_stars"):
            self.add_error("ovop_stars", _("Hanya sertifikat OVOP yang memiliki bintang."))
        issued, until = cleaned.get("issued_on"), cleaned.get("valid_until")
        if issued and until and until < issued:
            self.add_error(
                "valid_until", _("Tanggal berlaku sampai tidak boleh sebelum tanggal terbit.")
            )
        unit, products = cleaned.get("unit"), cleaned.get("products")
        if unit is not None and products:
            foreign = [p.name for p in products if p.unit_id != unit.pk]
            if foreign:
                self.add_error(
                    "products",
                    _("Produk berikut bukan milik unit ini: %(names)s.")
                    % {"names": ", ".join(foreign)},
                )
        return cleaned


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return CertificationStatus.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value in CertificationStatus.values:
            return queryset.filter(current_status=value)
        return queryset


CertKabFilter, CertKecFilter = region_filters("unit__kabupaten_code", "unit__kecamatan_code")


@admin.register(Certification)
class CertificationAdmin(UnitScopedAdminMixin, ScopedImportExportMixin, SimpleHistoryAdmin):
    form = CertificationAdminForm
    resource_classes = [CertificationResource]
    list_display = (
        "number",
        "type",
        "unit",
        "kabupaten_name",
        "issued_on",
        "valid_until_text",
        "status_label",
        "ovop_stars",
    )
    list_filter = (CertKabFilter, CertKecFilter, "type", StatusFilter, "ovop_stars")
    search_fields = ("number", "unit__name", "=unit__nib", "issuer")
    list_select_related = ("unit__desa__parent__parent",)
    autocomplete_fields = ("unit", "products")
    date_hierarchy = "issued_on"
    fieldsets = (
        (None, {"fields": ("unit", "type", "number", "issuer", "products")}),
        (_("Masa berlaku"), {"fields": ("issued_on", "valid_until", "status_label")}),
        (_("OVOP"), {"fields": ("ovop_stars", "ovop_year")}),
        (_("Pencabutan"), {"fields": ("revoked_at", "revoked_reason")}),
    )
    readonly_fields = ("status_label",)

    def get_queryset(self, request):
        return super().get_queryset(request).with_status()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "unit":
            scope_unit_field(request, field)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "products" and field is not None:
            field.queryset = filter_by_unit_scope(request.user, Product.objects.all(), "unit")
        return field

    @admin.display(description=_("kabupaten/kota"))
    def kabupaten_name(self, obj):
        return region_names(obj.unit.desa)[2]

    @admin.display(description=_("berlaku sampai"), ordering="valid_until")
    def valid_until_text(self, obj):
        return validity(obj.valid_until)  # "tanpa batas waktu", as on the public pages

    @admin.display(description=_("status"), ordering="current_status")
    def status_label(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return obj.get_status_display()
