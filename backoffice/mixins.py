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

# --- optimistic concurrency ----------------------------------------------------------------------
ROW_VERSION_NAME = "_versi_baris"  # one hidden "<pk>:<version>" per changelist row
MAX_SKIP_MESSAGES = 10  # rows named one by one when an action skips them; then a count


class AdminLogLinesMixin:
    """Conflict lines from the admin's own log for models without history (sentra, accounts)."""

    def version_extra_lines(self, current_obj, seen: str) -> list[str]:
        from django.contrib.admin.models import LogEntry
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone
        from django.utils.formats import date_format
        from django.utils.translation import gettext as gettext_now

        from core.versioning import has_updated_at, seen_time

        when = seen_time(seen)
        if has_updated_at(type(current_obj)) or when is None:
            return []
        entries = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(current_obj),
                object_id=str(current_obj.pk),
                action_time__gte=when,
            )
            .select_related("user")
            .order_by("action_time")
        )
        return [
            gettext_now("%(when)s — %(who)s: %(message)s")
            % {
                "when": date_format(timezone.localtime(e.action_time), "DATETIME_FORMAT"),
                "who": self.version_who(e.user),
                "message": e.get_change_message() or gettext_now("diubah"),
            }
            for e in entries
        ]


class VersionedAdminMixin:
    """Optimistic concurrency for a ModelAdmin (``core.versioning``).

    - The change form carries the version it was opened on (``core.forms.VersionedFormMixin``);
      Django's change view validates and saves in one transaction, so the row lock taken by the
      check holds until the save is committed. A stale save re-shows the form with who changed
      which field since, and saves nothing.
    - Each changelist row carries its version next to its checkbox; an action (verify, publish,
      approve …) locks the chosen rows and skips, with a message naming it, every row changed
      since the list was loaded (or not on the loaded page). A POST with no row versions at all
      (a script) is not checked. ``delete_selected`` has its own confirmation page.
    """

    version_exclude: tuple[str, ...] = ()  # left out of a hash version (e.g. last_login)
    version_unchecked_actions: tuple[str, ...] = ("delete_selected",)

    def __init__(self, *args, **kwargs):
        from core.forms import versioned_form

        super().__init__(*args, **kwargs)
        self.form = versioned_form(self.form)

    # -- change form --
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        from core.forms import VersionedFormMixin

        if not issubclass(form, VersionedFormMixin):  # e.g. UserAdmin's add_form
            return form
        attrs = {
            "version_from_db": getattr(request, "_version_from_db", False),
            "version_viewer": request.user,
            "version_exclude": self.version_exclude,
            "version_hidden_fields": tuple(getattr(self, "history_hidden_fields", ())),
        }
        return type(form.__name__, (AdminLogLinesMixin, form), attrs)

    def get_fields(self, request, obj=None):
        from core.versioning import VERSION_FIELD

        return [f for f in super().get_fields(request, obj) if f != VERSION_FIELD]

    def get_fieldsets(self, request, obj=None):
        from django.contrib.admin.utils import flatten_fieldsets

        from core.versioning import VERSION_FIELD

        fieldsets = list(super().get_fieldsets(request, obj))
        if (
            obj is not None
            and self.has_change_permission(request, obj)
            and VERSION_FIELD not in flatten_fieldsets(fieldsets)
        ):
            fieldsets.append((None, {"fields": [VERSION_FIELD], "classes": ["hidden"]}))
        return fieldsets

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's revert form: its instance is the old version, so the version it
        carries is the saved row's, and the check runs in a transaction like the change view."""
        from django.db import router, transaction

        request._version_from_db = True
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    # -- changelist rows and actions --
    def action_checkbox(self, obj):
        from django.utils.html import format_html

        from core.versioning import row_version

        return format_html(
            '{}<input type="hidden" name="{}" value="{}:{}">',
            super().action_checkbox(obj),
            ROW_VERSION_NAME,
            obj.pk,
            row_version(obj, self.version_exclude),
        )

    def get_action(self, action):
        found = super().get_action(action)
        if found is None or found[1] in self.version_unchecked_actions:
            return found
        func, name, description = found
        return self._versioned_action(func), name, description

    @staticmethod
    def _versioned_action(func):
        import functools

        from django.db import transaction

        @functools.wraps(func)
        def action(modeladmin, request, queryset):
            with transaction.atomic(using=queryset.db):
                queryset = modeladmin.rows_unchanged_since_list(request, queryset)
                if queryset is None:
                    return None
                return func(modeladmin, request, queryset)

        return action

    def rows_unchanged_since_list(self, request, queryset):
        """The chosen rows still as the list showed them (locked); a message for each other."""
        from django.contrib import messages

        from core.versioning import row_version, same_version

        posted = request.POST.getlist(ROW_VERSION_NAME)
        if not posted:
            return queryset
        seen = {}
        for item in posted:
            pk, _sep, token = item.partition(":")
            seen[pk] = token
        pks = list(queryset.order_by().values_list("pk", flat=True))
        locked = self.model._default_manager.select_for_update().filter(pk__in=pks)
        kept, unseen, changed = [], [], 0
        for obj in locked.order_by("pk"):
            token = seen.get(str(obj.pk))
            if token is None:
                unseen.append(str(obj))
            elif not same_version(row_version(obj, self.version_exclude), token):
                changed += 1
                if changed <= MAX_SKIP_MESSAGES:
                    reason = _(
                        "sudah diubah sejak daftar dimuat (%(who)s); muat ulang daftar dan "
                        "periksa lagi"
                    ) % {"who": self._last_changed_by(obj)}
                    self.message_user(
                        request,
                        _("“%(name)s” dilewati: %(reason)s.") % {"name": obj, "reason": reason},
                        messages.WARNING,
                    )
            else:
                kept.append(obj.pk)
        if changed > MAX_SKIP_MESSAGES:
            self.message_user(
                request,
                _("%(count)d baris lain juga dilewati karena sudah diubah sejak daftar dimuat.")
                % {"count": changed - MAX_SKIP_MESSAGES},
                messages.WARNING,
            )
        if unseen:
            names = ", ".join(f"“{name}”" for name in unseen[:MAX_SKIP_MESSAGES])
            more = len(unseen) - MAX_SKIP_MESSAGES
            self.message_user(
                request,
                _(
                    "%(count)d baris dilewati karena tidak tampil di daftar yang Anda muat "
                    "(hanya baris yang Anda lihat yang diproses): %(names)s%(more)s."
                )
                % {
                    "count": len(unseen),
                    "names": names,
                    "more": _(" dan %(n)d lainnya") % {"n": more} if more > 0 else "",
                },
                messages.WARNING,
            )
        if not kept:
            return None
        return queryset.filter(pk__in=kept)

    @staticmethod
    def _last_changed_by(obj) -> str:
        from core.versioning import default_who

        history = getattr(obj, "history", None)
        latest = history.order_by("-history_id").first() if history is not None else None
        if latest is None:
            return _("oleh orang lain")
        return _("terakhir oleh %(who)s") % {"who": default_who(latest.history_user)}


class VersionedInlineMixin:
    """The same check for each row of an editable inline (products and certificates on the unit
    page, photos and links on the product page): a row changed since the page was opened stops
    the whole save, with the conflict shown on that row."""

    def __init__(self, *args, **kwargs):
        from core.forms import versioned_form

        super().__init__(*args, **kwargs)
        self.form = versioned_form(self.form)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        form = formset.form
        from core.forms import VersionedFormMixin

        if issubclass(form, VersionedFormMixin):
            formset.form = type(form.__name__, (form,), {"version_viewer": request.user})
        return formset

    def get_fields(self, request, obj=None):
        from core.versioning import VERSION_FIELD

        fields = [f for f in super().get_fields(request, obj) if f != VERSION_FIELD]
        if self.has_change_permission(request, obj):
            fields.append(VERSION_FIELD)
        return fields


# --- scoping ---------------------------------------------------------------------------------
def user_scope(request) -> str | None:
    """The kab/kota code the request's user is limited to (None: all of Kalbar)."""
    return scope_kabupaten_code(request.user)


class ScopedAdminMixin(VersionedAdminMixin):
    """Limits a ModelAdmin to the official's region and turns out-of-scope objects into 404.

    Subclasses implement :meth:`scope_queryset`. Permissions additionally require a back-office
    scope, so a staff account with no ``Official`` row sees no module at all.
    """

    superuser_only = False

    def scope_queryset(self, request, queryset: QuerySet) -> QuerySet:  # pragma: no cover
        raise NotImplementedError

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def changelist_view(self, request, extra_context=None):
        # The list is titled by what it holds ("Unit IKM"), not Django's "Pilih … untuk diubah".
        from django.utils.text import capfirst

        extra_context = {
            "title": capfirst(self.model._meta.verbose_name_plural),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

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


class SuperuserOnlyMixin:
    """Only active superusers see or touch these rows (accounts, groups, security logs). With
    ``ReadOnlyAdminMixin`` before it, superusers only look."""

    def _su(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._su(request)

    def has_view_permission(self, request, obj=None):
        return self._su(request)

    def has_add_permission(self, request):
        return self._su(request)

    def has_change_permission(self, request, obj=None):
        return self._su(request)

    def has_delete_permission(self, request, obj=None):
        return self._su(request)


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
