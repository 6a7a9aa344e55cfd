"""Back-office admin for region aliases: a name an office writes, saved once for a region.

The spreadsheet import reads a saved alias like the region's official name (``ikm.importing``).
A kab/kota official sees and saves aliases of regions in their own kab/kota only.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backoffice.mixins import ScopedAdminMixin, scope_region_field
from core.forms import ConstraintModelForm
from ikm.models import Region, RegionAlias
from ikm.selectors import scope_kabupaten_code


class RegionAliasForm(ConstraintModelForm):
    class Meta:
        model = RegionAlias
        fields = ("alias", "region")
        help_texts = {
            "alias": _(
                "Nama seperti yang ditulis di lembar kerja Dinas, mis. 'Kalinilam' untuk "
                "Kali Nilam. Huruf besar/kecil, spasi dan tanda baca diabaikan."
            ),
            "region": _("Desa/kelurahan, kecamatan atau kab/kota yang dimaksud."),
        }

    def clean_region(self):
        region = self.cleaned_data.get("region")
        if region is not None and region.level == Region.Level.PROVINSI:
            raise ValidationError(_("Nama lain hanya untuk kab/kota, kecamatan, desa/kelurahan."))
        return region


@admin.register(RegionAlias)
class RegionAliasAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = RegionAliasForm
    list_display = ("alias", "region_label", "region_code", "scope", "created_by", "created_at")
    search_fields = ("alias", "region__name", "=region__code")
    autocomplete_fields = ("region",)
    list_select_related = ("region", "scope", "created_by")
    readonly_fields = ("created_by", "created_at")
    ordering = ("region_id", "alias")

    def scope_queryset(self, request, queryset):
        try:
            code = scope_kabupaten_code(request.user)
        except PermissionError:
            return queryset.none()
        return queryset if code is None else queryset.filter(region__code__startswith=code + ".")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "region":
            scope_region_field(request, field)
        return field

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("wilayah"), ordering="region__name")
    def region_label(self, obj):
        return obj.region.label

    @admin.display(description=_("kode"), ordering="region__code")
    def region_code(self, obj):
        return obj.region_id
