"""Back-office admin for regions, sentra, IKM units, officials and the personal-data export log.

Everything is scoped to the official's region (``backoffice.mixins``); NIK is shown masked except to
holders of ``ikm.view_nik``. Unit claims are registered in ``backoffice/admin/claims.py``.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.events import Kind as SecurityKind
from accounts.events import record_event
from backoffice.admin.certifications import CertificationAdminForm
from backoffice.admin.products import ProductAdminForm
from backoffice.importexport import ScopedImportExportMixin
from backoffice.mixins import (
    DESA_LEVELS,
    KABUPATEN_LEVELS,
    ReadOnlyAdminMixin,
    RegionAutocompleteMixin,
    ScopedAdminMixin,
    SuperuserOnlyMixin,
    VersionedAdminMixin,
    VersionedInlineMixin,
    region_filters,
    region_names,
    scope_region_field,
)
from certifications.models import Certification
from core.forms import ConstraintModelForm
from ikm import nik as nik_module
from ikm import rules, services
from ikm.identifiers import normalize_nib, normalize_nik
from ikm.models import (
    UNIT_CONTACT_FIELDS,
    UNIT_LOCATION_FIELDS,
    UNIT_OWNER_FIELDS,
    UNIT_SCALE_FIELDS,
    UNIT_SHOWN_CONTACT_FIELDS,
    IKMUnit,
    Official,
    PersonalDataExport,
    Region,
    Scale,
    Sentra,
    unit_fields,
)
from ikm.resources import IKMUnitResource
from ikm.selectors import identifier_taken, regions_in_scope, scope_kabupaten_code, units_in_scope
from products.models import Product


# --- regions ---------------------------------------------------------------------------------
@admin.register(Region)
class RegionAdmin(ReadOnlyAdminMixin, RegionAutocompleteMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Reference data from the Kemendagri file (``manage.py load_regions``): read-only here."""

    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "=code")
    list_select_related = ("parent",)
    ordering = ("code",)
    show_full_result_count = False

    def scope_queryset(self, request, queryset):
        return regions_in_scope(request.user, queryset).select_related("parent__parent")


# --- sentra ----------------------------------------------------------------------------------
SentraKabFilter, SentraKecFilter = region_filters(
    "desa__code__startswith", "desa__code__startswith"
)


class SentraAdminForm(ConstraintModelForm):
    constraint_errors = {
        "sentra_desa_is_level4": ("desa", _("Lokasi sentra harus desa atau kelurahan.")),
        "sentra_unique_name_desa": ("name", _("Sentra dengan nama ini sudah ada di desa itu.")),
    }

    class Meta:
        model = Sentra
        fields = "__all__"

    def clean_desa(self):
        desa = self.cleaned_data.get("desa")
        if desa is not None and desa.level not in DESA_LEVELS:
            raise ValidationError(_("Lokasi sentra harus desa atau kelurahan."), code="level")
        return desa


@admin.register(Sentra)
class SentraAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = SentraAdminForm
    list_display = ("name", "desa_label", "kabupaten_name", "commodity_group")
    list_filter = (SentraKabFilter, SentraKecFilter, "commodity_group")
    search_fields = ("name", "desa__name")
    autocomplete_fields = ("desa",)
    list_select_related = ("desa__parent__parent",)

    def scope_queryset(self, request, queryset):
        try:
            code = scope_kabupaten_code(request.user)
        except PermissionError:
            return queryset.none()
        return queryset if code is None else queryset.filter(desa__code__startswith=code + ".")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "desa":
            scope_region_field(request, field)
        return field

    @admin.display(description=_("desa/kelurahan"), ordering="desa__name")
    def desa_label(self, obj):
        return region_names(obj.desa)[0]

    @admin.display(description=_("kabupaten/kota"))
    def kabupaten_name(self, obj):
        return region_names(obj.desa)[2]


# --- IKM units -------------------------------------------------------------------------------
class ScaleFilter(admin.SimpleListFilter):
    title = _("skala")
    parameter_name = "skala"

    def lookups(self, request, model_admin):
        return [*Scale.choices, ("none", _("Belum diketahui"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(scale__isnull=True)
        if value in Scale.values:
            return queryset.filter(scale=value)
        return queryset


UnitKabFilter, UnitKecFilter = region_filters("kabupaten_code", "kecamatan_code")

NON_NEGATIVE = _("Nilai ini tidak boleh negatif.")


class IKMUnitAdminForm(ConstraintModelForm):
    """Unit form: NIK goes in through a form field only (sealed by ``services.unit_set_nik``)."""

    nik = forms.CharField(
        label=_("NIK pemilik (baru)"),
        required=False,
        max_length=32,
        help_text=_("Isi untuk menetapkan atau mengganti NIK (16 digit). Kosongkan: tidak diubah."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    clear_nik = forms.BooleanField(label=_("Hapus NIK tersimpan"), required=False)

    constraint_errors = {
        "ikmunit_desa_is_desa_or_kelurahan": ("desa", None),
        "ikmunit_nib_13_digits": ("nib", None),
        "ikmunit_kbli_5_digits": ("kbli", None),
        "ikmunit_investment_not_negative": ("investment", NON_NEGATIVE),
        "ikmunit_production_value_not_negative": ("production_value", NON_NEGATIVE),
        "ikmunit_capacity_not_negative": ("capacity", NON_NEGATIVE),
        "ikmunit_year_established_range": (
            "year_established",
            _("Tahun berdiri harus antara 1900 dan 2100."),
        ),
        "ikmunit_latitude_range": ("latitude", _("Lintang harus antara -90 dan 90.")),
        "ikmunit_longitude_range": ("longitude", _("Bujur harus antara -180 dan 180.")),
    }

    class Meta:
        model = IKMUnit
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Kosongkan: dibuat otomatis dari nama usaha.")
        if "nib" in self.fields:
            # Spaces, dots and dashes are accepted and removed: "9120 0012 3456 7".
            self.fields["nib"].max_length = 25
            self.fields["nib"].validators = []
            self.fields["nib"].widget.attrs["maxlength"] = "25"

    def clean_nib(self):
        value = normalize_nib(self.cleaned_data.get("nib"))  # "NIB harus 13 digit angka."
        if value and identifier_taken(nib=value, unit_pk=self.instance.pk):
            raise ValidationError(_("NIB ini sudah terdaftar pada unit lain."), code="nib_taken")
        return value

    def clean_kbli(self):
        value = (self.cleaned_data.get("kbli") or "").strip()
        if value and not re.fullmatch(rules.KBLI_REGEX, value):
            raise ValidationError(_("KBLI harus 5 digit angka."), code="kbli_format")
        return value

    def clean_desa(self):
        desa = self.cleaned_data.get("desa")
        if desa is not None and desa.level not in DESA_LEVELS:
            raise ValidationError(
                _("Lokasi unit harus desa atau kelurahan, bukan %(level)s."),
                code="desa_level",
                params={"level": desa.get_level_display().lower()},
            )
        return desa

    def clean_nik(self):
        raw = self.cleaned_data.get("nik") or ""
        if not raw.strip():
            return ""
        value = normalize_nik(raw)  # ValidationError: "NIK harus 16 digit angka."
        if identifier_taken(nik=value, unit_pk=self.instance.pk):
            raise ValidationError(_("NIK ini sudah terdaftar pada unit lain."), code="nik_taken")
        return value

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = services.unique_slug(
                IKMUnit, cleaned["name"], exclude_pk=self.instance.pk
            )
        if cleaned.get("nik") and cleaned.get("clear_nik"):
            self.add_error("clear_nik", _("Pilih salah satu: isi NIK baru atau hapus NIK."))
        return cleaned


class ProductInline(VersionedInlineMixin, admin.TabularInline):
    """The unit's products (photos and links on the product's own page)."""

    model = Product
    fields = ("name", "slug", "category", "price", "price_unit", "is_published", "is_selected")
    extra = 0
    show_change_link = True

    form = ProductAdminForm  # the products admin's own form (constraint messages)


class CertificationInline(VersionedInlineMixin, admin.TabularInline):
    model = Certification
    fields = (
        "type",
        "number",
        "issuer",
        "issued_on",
        "valid_until",
        "ovop_stars",
        "ovop_year",
    )
    extra = 0
    show_change_link = True

    form = CertificationAdminForm


@admin.register(IKMUnit)
class IKMUnitAdmin(ScopedAdminMixin, ScopedImportExportMixin, SimpleHistoryAdmin):
    form = IKMUnitAdminForm
    resource_classes = [IKMUnitResource]
    list_display = (
        "name",
        "nib",
        "desa_label",
        "kecamatan_name",
        "kabupaten_name",
        "commodity_group",
        "scale_label",
        "verified",
    )
    list_filter = (UnitKabFilter, UnitKecFilter, "commodity_group", ScaleFilter, "verified")
    search_fields = ("name", "=nib", "owner_name", "desa__name")
    list_select_related = ("desa__parent__parent",)
    autocomplete_fields = ("desa", "sentra")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ProductInline, CertificationInline)
    actions = ("verify_units",)
    history_hidden_fields = (
        "nik_ciphertext",
        "nik_digest",
        "nik_pending_ciphertext",
        "nik_pending_digest",
    )
    readonly_fields = (
        "nik_stored",
        "scale_label",
        "verified",
        "verified_at",
        "verified_by",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            _("Usaha"),
            {
                "fields": (
                    "name",
                    "slug",
                    "commodity_group",
                    "description",
                    "nib",
                    "npwp",
                    "kbli",
                    "sentra",
                )
            },
        ),
        (_("Lokasi"), {"fields": UNIT_LOCATION_FIELDS}),
        (_("Kontak usaha"), {"fields": (*UNIT_CONTACT_FIELDS, *UNIT_SHOWN_CONTACT_FIELDS)}),
        (
            _("Skala dan produksi"),
            {
                "fields": unit_fields(
                    UNIT_SCALE_FIELDS, expand={"investment": ("investment", "scale_label")}
                )
            },
        ),
        (
            _("Pemilik (data pribadi — UU 27/2022)"),
            {
                "fields": (
                    *unit_fields(
                        UNIT_OWNER_FIELDS,
                        expand={"owner_name": ("owner_name", "nik_stored", "nik", "clear_nik")},
                    ),
                    "owner",
                )
            },
        ),
        (
            _("Verifikasi"),
            {"fields": ("verified", "verified_at", "verified_by", "created_at", "updated_at")},
        ),
    )

    def scope_queryset(self, request, queryset):
        return units_in_scope(request.user, queryset)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("owner")  # owner accounts change through claims
        return fields

    def get_autocomplete_fields(self, request):
        fields = list(super().get_autocomplete_fields(request))
        if request.user.is_superuser:
            fields.append("owner")
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "desa":
            scope_region_field(request, field)
        elif db_field.name == "sentra" and field is not None:
            field.queryset = SentraAdmin.scope_queryset(None, request, Sentra.objects.all())
        return field

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            nik = normalize_nik(search_term)
        except ValidationError:
            nik = None
        if nik and request.user.has_perm("ikm.view_nik"):
            base = self.get_queryset(request)
            queryset = queryset | base.filter(nik_digest=nik_module.digest(nik))
        return queryset, may_have_duplicates

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("clear_nik"):
            services.unit_set_nik(obj, None)
        elif form.cleaned_data.get("nik"):
            services.unit_set_nik(obj, form.cleaned_data["nik"])
        super().save_model(request, obj, form, change)

    # NIK: masked (last 4) unless the user holds ikm.view_nik.
    @admin.display(description=_("NIK tersimpan"))
    def nik_stored(self, obj):
        if obj is None:
            return _("(belum ada)")
        full = getattr(obj, "_show_full_nik", False)
        shown = (
            (nik_module.unseal(obj.nik_ciphertext) or obj.nik_masked) if full else obj.nik_masked
        ) or _("(belum ada)")
        if obj.nik_pending_last4:
            # An owner gave a NIK another unit holds (issue 13): the official decides.
            pending = (
                nik_module.unseal(obj.nik_pending_ciphertext) if full else ""
            ) or nik_module.mask(obj.nik_pending_last4)
            holders = ", ".join(
                str(u)
                for u in IKMUnit.objects.filter(nik_digest=obj.nik_pending_digest).exclude(
                    pk=obj.pk
                )[:3]
            )
            return _(
                "%(stored)s — pemilik mengisi NIK %(pending)s yang sudah dipakai unit lain "
                "(%(holders)s): periksa, lalu isi NIK yang benar di kolom NIK."
            ) % {"stored": shown, "pending": pending, "holders": holders or "-"}
        return shown

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            return None
        # Per request, on this instance only (the ModelAdmin is shared between threads).
        obj._show_full_nik = request.user.has_perm("ikm.view_nik")
        if obj._show_full_nik and obj.nik_last4 and request.method == "GET":
            record_event(SecurityKind.NIK_VIEW, request=request, unit=obj.pk)
        return obj

    @admin.display(description=_("desa/kelurahan"), ordering="desa__name")
    def desa_label(self, obj):
        return region_names(obj.desa)[0]

    @admin.display(description=_("kecamatan"))
    def kecamatan_name(self, obj):
        return region_names(obj.desa)[1]

    @admin.display(description=_("kabupaten/kota"))
    def kabupaten_name(self, obj):
        return region_names(obj.desa)[2]

    @admin.display(description=_("skala"), ordering="scale")
    def scale_label(self, obj):
        if obj is None or obj.scale is None:
            return _("Belum diketahui (isi tenaga kerja dan investasi)")
        label = Scale(obj.scale).label
        if obj.scale == Scale.BESAR:
            return _("%(label)s — perlu diperiksa pejabat") % {"label": label}
        return label

    def has_verify_permission(self, request):
        return self._allowed(request) and request.user.has_perm("ikm.verify_ikmunit")

    @admin.action(description=_("Verifikasi unit terpilih"), permissions=["verify"])
    def verify_units(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        try:
            count = services.units_verify(unit_ids=ids, official=request.user)
        except PermissionDenied:
            self.message_user(request, _("Ada unit di luar wilayah kerja Anda."), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d unit diverifikasi.", "%(count)d unit diverifikasi.", count)
            % {"count": count},
            messages.SUCCESS,
        )


# --- officials, personal-data exports, accounts (superuser only) --------------------------------
class OfficialAdminForm(ConstraintModelForm):
    constraint_errors = {
        "official_kabupaten_is_level2": (
            "kabupaten",
            _("Pilih kabupaten/kota (kosongkan untuk pejabat provinsi)."),
        )
    }

    class Meta:
        model = Official
        fields = "__all__"

    def clean_kabupaten(self):
        kab = self.cleaned_data.get("kabupaten")
        if kab is not None and kab.level not in KABUPATEN_LEVELS:
            raise ValidationError(
                _("Pilih kabupaten/kota (kosongkan untuk pejabat provinsi)."), code="level"
            )
        return kab


@admin.register(Official)
class OfficialAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Officials and their region. Saving puts the account in the matching role group."""

    superuser_only = True
    form = OfficialAdminForm
    list_display = ("user", "kabupaten_label", "position", "can_view_nik")
    list_filter = (("kabupaten", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("user__username", "user__first_name", "user__last_name", "position")
    autocomplete_fields = ("user", "kabupaten")
    list_select_related = ("user", "kabupaten")

    def scope_queryset(self, request, queryset):
        return queryset

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("user__user_permissions", "user__groups__permissions")
        )

    @admin.display(description=_("wilayah kerja"))
    def kabupaten_label(self, obj):
        return obj.kabupaten.name if obj.kabupaten else _("Seluruh Kalimantan Barat")

    @admin.display(description=_("boleh melihat NIK"), boolean=True)
    def can_view_nik(self, obj):
        perms = {(p.content_type_id, p.codename) for p in obj.user.user_permissions.all()}
        for group in obj.user.groups.all():
            perms |= {(p.content_type_id, p.codename) for p in group.permissions.all()}
        return obj.user.is_superuser or any(code == "view_nik" for _ct, code in perms)

    def save_model(self, request, obj, form, change):
        services.official_assign(
            user=obj.user, kabupaten_id=obj.kabupaten_id, position=obj.position
        )


@admin.register(PersonalDataExport)
class PersonalDataExportAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The log of exports that included NIK: read-only, for superusers (data protection)."""

    superuser_only = True
    list_display = ("created_at", "user", "model", "file_format", "row_count")
    list_filter = ("model", "file_format")
    search_fields = ("user__username", "model")
    list_select_related = ("user",)
    date_hierarchy = "created_at"

    def scope_queryset(self, request, queryset):
        return queryset


for _model in (User, Group):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(User)
class SipiUserAdmin(SuperuserOnlyMixin, VersionedAdminMixin, UserAdmin):
    version_exclude = ("last_login",)  # a sign-in is not an edit of the account
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_superuser")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")


@admin.register(Group)
class SipiGroupAdmin(SuperuserOnlyMixin, VersionedAdminMixin, GroupAdmin):
    pass
