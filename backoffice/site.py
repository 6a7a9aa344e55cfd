"""The back-office admin site: Django's admin plus the officials' data-quality lists and the
statistics export, all scoped to the official's region.

Installed through ``backoffice.apps.BackofficeAdminConfig`` (replacing ``django.contrib.admin`` in
INSTALLED_APPS), so ``django.contrib.admin.site`` is a :class:`SipiAdminSite`.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import mfa
from backoffice import dashboard, mfa_views, quality, stats
from certifications.models import parse_request_reference
from ikm.models import Region
from ikm.selectors import has_backoffice_scope, scope_kabupaten_code

PER_PAGE = 100


class RegionAwareAutocompleteJsonView(AutocompleteJsonView):
    """Desa names repeat across Kalbar: the choice text names its kecamatan and kab/kota."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if (
            isinstance(obj, Region)
            and obj.parent_id
            and obj.level
            in (
                Region.Level.DESA,
                Region.Level.KELURAHAN,
                Region.Level.KECAMATAN,
            )
        ):
            parents = []
            parent = obj.parent
            while parent is not None and parent.level != Region.Level.PROVINSI:
                parents.append(parent.label)
                if parent.is_kabupaten_kota:
                    break  # (the province is not needed, and not select_related)
                parent = parent.parent
            result["text"] = f"{obj.label} — {', '.join(parents)}"
        return result


class SipiAdminSite(admin.AdminSite):
    site_header = gettext_lazy("SIPI IKM Kalbar — Back-office")
    site_title = gettext_lazy("SIPI IKM Kalbar")
    index_title = gettext_lazy("Administrasi data IKM")
    index_template = "admin/sipi_index.html"

    def get_urls(self):
        extra = [
            # Before Django's own "view on site": scoped, 404 outside the official's region.
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site_view),
                name="view_on_site",
            ),
            path(
                "kualitas-data/",
                self.admin_view(self.quality_index_view),
                name="quality_index",
            ),
            path(
                "kualitas-data/duplikat/",
                self.admin_view(self.quality_duplicates_view),
                name="quality_duplicates",
            ),
            path(
                "kualitas-data/data-belum-lengkap/",
                self.admin_view(self.quality_missing_view),
                name="quality_missing",
            ),
            path(
                "kualitas-data/sertifikat-segera-berakhir/",
                self.admin_view(self.quality_expiring_view),
                name="quality_expiring",
            ),
            path(
                "kualitas-data/menunggu-verifikasi/",
                self.admin_view(self.quality_waiting_view),
                name="quality_waiting",
            ),
            path("statistik/", self.admin_view(self.statistics_view), name="statistics"),
            # The officials' request queue (backoffice/dashboard.py), longest waiting first.
            path("antrean/", self.admin_view(self.request_queue_view), name="request_queue"),
            # Second factor (backoffice/mfa_views.py): reachable after the password only.
            path("mfa/", self._bind(mfa_views.verify), name="mfa_verify"),
            path("mfa/daftar/", self._bind(mfa_views.enrol), name="mfa_enrol"),
            path(
                "akun/keamanan/",
                self.admin_view(self._bind(mfa_views.account_security)),
                name="account_security",
            ),
            path(
                "akun/kode-cadangan/",
                self.admin_view(self._bind(mfa_views.backup_codes_regenerate)),
                name="mfa_backup_codes",
            ),
            path(
                "akun/pemulihan-mfa/",
                self.admin_view(self._bind(mfa_views.mfa_recovery)),
                name="mfa_recovery",
            ),
            path(
                "akun/keluar-semua/",
                self.admin_view(self._bind(mfa_views.logout_everywhere)),
                name="logout_everywhere",
            ),
        ]
        return extra + super().get_urls()

    def _bind(self, view):
        def bound(request, *args, **kwargs):
            return view(request, self, *args, **kwargs)

        bound.__name__ = view.__name__
        return bound

    # --- the second factor ----------------------------------------------------------------------
    def has_permission(self, request):
        """Staff and, for every admin view (exports and import jobs included), a session that
        passed the second factor (django-otp's OTPAdminSite does the same)."""
        return super().has_permission(request) and mfa.is_verified(request)

    def login(self, request, extra_context=None):
        """After the password: a staff account goes on to its code (or to enrolment)."""
        user = request.user
        if (
            request.method == "GET"
            and user.is_authenticated
            and user.is_active
            and user.is_staff
            and not mfa.is_verified(request)
        ):
            target = request.GET.get("next") or reverse("admin:index")
            return redirect(f"{reverse('admin:mfa_verify')}?{urlencode({'next': target})}")
        response = super().login(request, extra_context)
        user = request.user
        if (
            request.method == "POST"
            and response.status_code == 302
            and user.is_authenticated
            and user.is_staff
            and not mfa.is_verified(request)
        ):
            return redirect(f"{reverse('admin:mfa_verify')}?{urlencode({'next': response.url})}")
        return response

    def each_context(self, request):
        context = super().each_context(request)
        context["has_backoffice_scope"] = has_backoffice_scope(request.user)
        # The header: "admin.sanggau · Kabupaten Sanggau" (templates/admin/base_site.html).
        context["account_scope"] = self._account_scope(request)
        return context

    def view_on_site_view(self, request, content_type_id, object_id):
        from backoffice.scope_views import view_on_site

        return view_on_site(self, request, content_type_id, object_id)

    def autocomplete_view(self, request):
        return RegionAwareAutocompleteJsonView.as_view(admin_site=self)(request)

    # --- helpers ------------------------------------------------------------------------------
    def _require_scope(self, request) -> None:
        if not has_backoffice_scope(request.user):
            raise PermissionDenied

    def _context(self, request, title: str, **extra) -> dict:
        context = {
            **self.each_context(request),
            "title": title,
            "scope_name": self._scope_name(request),
        }
        context.update(extra)
        return context

    def _scope_name(self, request) -> str:
        code = scope_kabupaten_code(request.user)
        if code is None:
            return _("Seluruh Kalimantan Barat")
        official = request.user.official
        return official.kabupaten.name

    def _account_scope(self, request) -> str:
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return ""
        try:
            return self._scope_name(request)
        except PermissionError:
            return _("tanpa wilayah kerja")

    def _page(self, request, items):
        paginator = Paginator(items, PER_PAGE)
        return paginator.get_page(request.GET.get("p"))

    # --- data-quality lists -------------------------------------------------------------------
    def quality_index_view(self, request):
        self._require_scope(request)
        counts = quality.quality_counts(request.user)
        return TemplateResponse(
            request,
            "admin/quality/index.html",
            self._context(request, _("Kualitas data"), counts=counts),
        )

    def quality_duplicates_view(self, request):
        self._require_scope(request)
        groups = quality.duplicate_unit_groups(request.user)
        return TemplateResponse(
            request,
            "admin/quality/duplicates.html",
            self._context(request, _("Kemungkinan unit ganda"), groups=groups),
        )

    def quality_missing_view(self, request):
        self._require_scope(request)
        page = self._page(request, quality.units_missing_fields(request.user))
        rows = [(unit, quality.annotate_missing(unit)) for unit in page.object_list]
        return TemplateResponse(
            request,
            "admin/quality/missing.html",
            self._context(request, _("Unit dengan data belum lengkap"), page=page, rows=rows),
        )

    def quality_expiring_view(self, request):
        self._require_scope(request)
        try:
            days = int(request.GET.get("hari", "30"))
        except ValueError:
            days = 30
        if days not in quality.EXPIRY_WINDOWS:
            days = 30
        page = self._page(request, quality.certifications_expiring(request.user, days=days))
        return TemplateResponse(
            request,
            "admin/quality/expiring.html",
            self._context(
                request,
                _("Sertifikat yang berakhir dalam %(days)s hari") % {"days": days},
                page=page,
                days=days,
                windows=quality.EXPIRY_WINDOWS,
                today=timezone.localdate(),
            ),
        )

    def quality_waiting_view(self, request):
        self._require_scope(request)
        units = self._page(request, quality.units_awaiting_verification(request.user))
        claims = list(quality.claims_awaiting_verification(request.user)[:PER_PAGE])
        return TemplateResponse(
            request,
            "admin/quality/waiting.html",
            self._context(
                request,
                _("Menunggu verifikasi"),
                page=units,
                claims=claims,
                claim_admin="ikm_unitclaim" if self._registered("unitclaim") else "",
            ),
        )

    def _registered(self, model_name: str) -> bool:
        return any(m._meta.model_name == model_name for m in self._registry)

    # --- statistics ---------------------------------------------------------------------------
    def statistics_view(self, request):
        self._require_scope(request)
        verified_only = request.GET.get("semua") != "1"
        figures = stats.kabupaten_statistics(request.user, verified_only=verified_only)
        file_format = request.GET.get("format", "")
        if file_format in ("csv", "xlsx"):
            dataset = stats.statistics_dataset(figures)
            stamp = timezone.localdate().isoformat()
            if file_format == "csv":
                content = "\ufeff" + dataset.export("csv")
                response = HttpResponse(content, content_type="text/csv; charset=utf-8")
            else:
                response = HttpResponse(
                    dataset.export("xlsx"),
                    content_type=(
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    ),
                )
            response["Content-Disposition"] = (
                f'attachment; filename="statistik-ikm-{stamp}.{file_format}"'
            )
            return response
        return TemplateResponse(
            request,
            "admin/stats/index.html",
            self._context(
                request,
                _("Statistik per kabupaten/kota"),
                headers=stats.statistics_headers(),
                figures=figures,
                table=[stats.statistics_row_values(r) for r in [*figures.rows, figures.total]],
                verified_only=verified_only,
                event_rows=stats.event_statistics(request.user),
                programme=stats.programme_statistics(request.user),
                consignment_rows=stats.consignment_statistics(request.user),
            ),
        )

    # --- the work dashboard and the request queue (backoffice/dashboard.py) ---------------------
    def index(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if has_backoffice_scope(request.user):
            extra_context["dashboard"] = dashboard.dashboard(
                request.user,
                scope_name=self._scope_name(request),
                sees_all_jobs=scope_kabupaten_code(request.user) is None,
            )
            extra_context["title"] = _("Pekerjaan hari ini")
        return super().index(request, extra_context)

    def request_queue_view(self, request):
        self._require_scope(request)
        group = request.GET.get("antrean", "perlu")
        groups = [(slug, str(label)) for slug, label, _s in dashboard.workflow.QUEUE_GROUPS]
        groups.append(("semua", _("Semua (tanpa konsep)")))
        if group not in {slug for slug, _label in groups}:
            group = "perlu"
        qs = dashboard.queue(request.user, group=group)
        kab_choices = []
        if scope_kabupaten_code(request.user) is None:
            kab_choices = list(
                Region.objects.filter(
                    level__in=(Region.Level.KABUPATEN, Region.Level.KOTA), code__startswith="61."
                )
                .order_by("code")
                .values_list("code", "name")
            )
        kab = request.GET.get("kab", "")
        if kab and kab in dict(kab_choices):
            qs = qs.filter(unit__kabupaten_code=kab)
        else:
            kab = ""
        query = request.GET.get("q", "").strip()[:100]
        if query:
            number = parse_request_reference(query)  # "PRM-2026-000123", "PRM-000123", "123"
            if number is not None:
                qs = qs.filter(pk=number)
            else:
                qs = qs.filter(unit__name__icontains=query)
        page = self._page(request, qs)
        now = timezone.now()
        sla = dashboard.sla_days()
        rows = []
        for req in page.object_list:
            days = None
            if not dashboard.workflow.is_decided(req.status):
                days = dashboard.waiting_days(req.submitted_at, now)
            rows.append((req, days, dashboard.sla_level(days, sla=sla) if days is not None else ""))
        keep = {k: v for k, v in (("antrean", group), ("kab", kab), ("q", query)) if v}
        return TemplateResponse(
            request,
            "admin/request_queue.html",
            self._context(
                request,
                _("Antrean permohonan"),
                page=page,
                rows=rows,
                group=group,
                groups=groups,
                kab=kab,
                kab_choices=kab_choices,
                query=query,
                sla=sla,
                keep_query=urlencode(keep),
                # The queue needs the whole width at 1366 px: no model list beside it.
                is_nav_sidebar_enabled=False,
            ),
        )
