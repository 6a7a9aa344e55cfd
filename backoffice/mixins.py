"""Back-office building blocks shared by every admin: roles, region scoping, filters, form errors.

- Roles are two groups ("Pejabat Provinsi", "Pejabat Kabupaten/Kota"), created by the data migration
  ``ikm/migrations/0003_role_groups.py`` and kept in step by :func:`ensure_role_groups`.
  ``ikm.view_nik`` is deliberately in neither group: it is granted person by person.
- Scope comes from ``ikm.selectors`` (an ``Official`` row: province-wide or one kab/kota).
  A staff account without an ``Official`` row (and not superuser) sees nothing.
- Objects outside the official's region are 404, never 403: their existence is not leaked.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ikm.models import Region
from ikm.selectors import (
    filter_by_unit_scope,
    has_backoffice_scope,
    regions_in_scope,
    scope_kabupaten_code,
    units_in_scope,
)


# --- scoping ---------------------------------------------------------------------------------
def user_scope(request) -> str | None:
    """The kab/kota code the request's user is limited to (None: all of Kalbar)."""
    return scope_kabupaten_code(request.user)


class ScopedAdminMixin:
    """Limits a ModelAdmin to the official's region and turns out-of-scope objects into 404.

    Subclasses implement :meth:`scope_queryset`. Permissions additionally require a back-office
    scope, so a staff account with no ``Official`` row sees no module at all.
    """

    superuser_only = False

    def scope_queryset(self, request, queryset: QuerySet) -> QuerySet:  # pragma: no cover
        raise NotImplementedError

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def _allowed(self, request) -> bool:
        if self.superuser_only:
            return request.user.is_active and request.user.is_superuser
        return has_backoffice_scope(request.user)

    def has_module_permission(self, request):
        return self._allowed(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._allowed(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request) and super().has_delete_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A constraint the form could not foresee (e.g. a concurrent save) is a message, not a
        500; Django's changeform_view runs in a transaction, so nothing is half-written."""
        from django.contrib import messages
        from django.db import IntegrityError
        from django.http import HttpResponseRedirect

        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as exc:
            constraint = getattr(getattr(exc, "__cause__", None), "diag", None)
            name = getattr(constraint, "constraint_name", None) or ""
            self.message_user(
                request,
                _(
                    "Data tidak disimpan: bertentangan dengan aturan basis data %(rule)s. "
                    "Periksa isian lalu coba lagi."
                )
                % {"rule": f"({name})" if name else ""},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    # django-import-export checks model permissions only; a back-office scope is needed too.
    def has_import_permission(self, request):
        return self._allowed(request) and super().has_import_permission(request)

    def has_export_permission(self, request):
        return self._allowed(request) and super().has_export_permission(request)

    def get_object(self, request, object_id, from_field=None):
        """404 for a missing or out-of-scope object (Django's default redirects to the index)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("Data tidak ditemukan."))
        return obj

    # simple-history views: its history_view falls back to historical rows when the object is
    # not in get_queryset(), which would show another region's history. Check scope first.
    def _check_history_scope(self, request, object_id) -> None:
        model = self.model
        if self.get_queryset(request).filter(pk=object_id).exists():
            return
        if model._default_manager.filter(pk=object_id).exists():
            raise Http404(_("Data tidak ditemukan."))
        # A deleted object: its history is for province-wide users only.
        if user_scope(request) is not None:
            raise Http404(_("Data tidak ditemukan."))

    def history_view(self, request, object_id, extra_context=None):
        from django.contrib.admin.utils import unquote

        if not self._allowed(request):
            raise Http404(_("Data tidak ditemukan."))  # like the change page: nothing leaks
        try:
            self._check_history_scope(request, unquote(object_id))
        except (ValueError, ValidationError) as exc:
            raise Http404(_("Data tidak ditemukan.")) from exc
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        from django.contrib.admin.utils import unquote

        if not self._allowed(request):
            raise Http404(_("Data tidak ditemukan."))  # like the change page: nothing leaks
        try:
            self._check_history_scope(request, unquote(object_id))
        except (ValueError, ValidationError) as exc:
            raise Http404(_("Data tidak ditemukan.")) from exc
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Personal-data and secrets are left out of the history diff shown in the admin.
    history_hidden_fields: tuple[str, ...] = ()

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        if not self.history_hidden_fields:
            return super().set_history_delta_changes(
                request, historical_records, foreign_keys_are_objs
            )
        previous = None
        for current in historical_records:
            if previous is None:
                previous = current
                continue
            delta = previous.diff_against(
                current,
                excluded_fields=list(self.history_hidden_fields),
                foreign_keys_are_objs=foreign_keys_are_objs,
            )
            helper = self.get_historical_record_context_helper(request, previous)
            previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


class ReadOnlyAdminMixin:
    """Put first among the bases: nobody adds, changes or deletes (logs, reference data)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UnitScopedAdminMixin(ScopedAdminMixin):
    """For models whose rows belong to a unit through ``unit_path`` (products, certificates)."""

    unit_path = "unit"

    def scope_queryset(self, request, queryset):
        return filter_by_unit_scope(request.user, queryset, self.unit_path)


def region_names(desa: Region | None) -> tuple[str, str, str]:
    """(desa, kecamatan, kab/kota) names of a desa with ``parent__parent`` selected."""
    if desa is None:
        return ("", "", "")
    kec = desa.parent
    kab = kec.parent if kec else None
    return (desa.label, kec.name if kec else "", kab.name if kab else "")


# --- region and unit choices in forms ----------------------------------------------------------
DESA_LEVELS = (Region.Level.DESA, Region.Level.KELURAHAN)
KABUPATEN_LEVELS = (Region.Level.KABUPATEN, Region.Level.KOTA)

OUT_OF_SCOPE_REGION = _("Wilayah ini di luar wilayah kerja Anda.")
OUT_OF_SCOPE_UNIT = _("Unit IKM ini tidak ada atau di luar wilayah kerja Anda.")


def scope_region_field(request, formfield) -> None:
    """Limit a Region choice field to the user's region, with an Indonesian error.

    All levels of the region stay choosable: the form's clean_<field> checks the level, so a
    kecamatan code gives "must be a desa" rather than "invalid choice".
    """
    if formfield is None:
        return
    formfield.queryset = regions_in_scope(request.user, Region.objects.all())
    formfield.error_messages["invalid_choice"] = OUT_OF_SCOPE_REGION


def scope_unit_field(request, formfield) -> None:
    if formfield is None:
        return
    formfield.queryset = units_in_scope(request.user)
    formfield.error_messages["invalid_choice"] = OUT_OF_SCOPE_UNIT


class RegionAutocompleteMixin:
    """For RegionAdmin: an autocomplete asked for by a desa/kabupaten field offers only that level.

    The autocomplete request names the source field (``app_label``, ``model_name``,
    ``field_name``); the levels each such field accepts are listed in ``autocomplete_levels``.
    """

    autocomplete_levels: dict[tuple[str, str, str], tuple[str, ...]] = {
        ("ikm", "ikmunit", "desa"): DESA_LEVELS,
        ("ikm", "sentra", "desa"): DESA_LEVELS,
        ("ikm", "official", "kabupaten"): KABUPATEN_LEVELS,
    }

    def get_search_results(self, request, queryset, search_term):
        key = (
            request.GET.get("app_label", ""),
            request.GET.get("model_name", ""),
            request.GET.get("field_name", ""),
        )
        if request.path.endswith("/autocomplete/") and key in self.autocomplete_levels:
            queryset = queryset.filter(level__in=self.autocomplete_levels[key])
        return super().get_search_results(request, queryset, search_term)


# --- list filters by region --------------------------------------------------------------------
KABKOTA_PARAM = "kabkota"
KECAMATAN_PARAM = "kecamatan"


class KabupatenFilter(admin.SimpleListFilter):
    """Kab/kota by name, over a code lookup (``kabupaten_code``, ``unit__kabupaten_code`` …)."""

    title = _("kabupaten/kota")
    parameter_name = KABKOTA_PARAM
    lookup: str = "kabupaten_code"

    def lookups(self, request, model_admin):
        regions = regions_in_scope(request.user, Region.objects.filter(level__in=KABUPATEN_LEVELS))
        return [(r.code, r.name) for r in regions.order_by("code")]

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            return queryset.filter(**{self.lookup: value})
        return queryset


class KecamatanFilter(admin.SimpleListFilter):
    """Kecamatan by name: offered once a kab/kota is chosen (or for a kab/kota official)."""

    title = _("kecamatan")
    parameter_name = KECAMATAN_PARAM
    lookup: str = "kecamatan_code"

    def lookups(self, request, model_admin):
        try:
            scope = scope_kabupaten_code(request.user)
        except PermissionError:
            return []
        kab = scope or request.GET.get(KABKOTA_PARAM, "")
        if not kab:
            return []
        regions = regions_in_scope(
            request.user, Region.objects.filter(level=Region.Level.KECAMATAN, parent_id=kab)
        )
        return [(r.code, r.name) for r in regions.order_by("name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            return queryset.filter(**{self.lookup: value})
        return queryset


def region_filters(kab_lookup: str, kec_lookup: str) -> tuple[type, type]:
    """The pair of kab/kota and kecamatan filters for a model, over the given lookups."""
    kab = type("KabupatenFilter", (KabupatenFilter,), {"lookup": kab_lookup})
    kec = type("KecamatanFilter", (KecamatanFilter,), {"lookup": kec_lookup})
    return kab, kec
