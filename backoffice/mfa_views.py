"""The officials' second factor on the admin site: enrolment (forced at the first log-in),
the code page after the password, the account's security page (backup codes, log out
everywhere). The rules live in ``accounts.mfa`` and ``accounts.sessions``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model, logout
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from accounts.sessions import sessions_end_all


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "size": 12,
            }
        ),
        help_text=gettext_lazy(
            "6 angka dari aplikasi autentikator, atau salah satu kode cadangan Anda."
        ),
    )

    def clean_code(self) -> str:
        value = self.cleaned_data["code"]
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            raise forms.ValidationError(_("Kode hanya berisi angka atau huruf."), code="invalid")
        return value


class EnrolForm(CodeForm):
    code = forms.CharField(
        label=gettext_lazy("Kode dari aplikasi"),
        max_length=12,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=gettext_lazy("6 angka yang sekarang tampil di aplikasi autentikator."),
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _with_next(url: str, request: HttpRequest) -> str:
    from urllib.parse import urlencode

    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: _next_url(request)})}"


def _groups(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _staff_only(request: HttpRequest) -> HttpResponse | None:
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect(_with_next(reverse("admin:login"), request))
    return None


def _context(admin_site, request: HttpRequest, title: str, **extra) -> dict:
    """The admin's context without its menus: nothing else is reachable before the code."""
    return {
        **admin_site.each_context(request),
        "available_apps": [],
        "is_nav_sidebar_enabled": False,
        "has_permission": False,
        "title": title,
        "next": _next_url(request),
        **extra,
    }


@never_cache
@csrf_protect
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, admin_site) -> HttpResponse:
    if (denied := _staff_only(request)) is not None:
        return denied
    if mfa.is_verified(request):
        return redirect(_next_url(request))
    if not mfa.has_confirmed_device(request.user):
        return redirect(_with_next(reverse("admin:mfa_enrol"), request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.mfa_verify(request=request, token=form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _("Kode salah atau sudah dipakai. Tunggu kode berikutnya di aplikasi lalu coba lagi."),
        )
    return TemplateResponse(
        request,
        "admin/mfa/verify.html",
        _context(admin_site, request, _("Verifikasi dua langkah"), form=form),
        status=400 if form.errors else 200,
    )


@never_cache
@csrf_protect
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, admin_site) -> HttpResponse:
    if (denied := _staff_only(request)) is not None:
        return denied
    if mfa.has_confirmed_device(request.user):
        if mfa.is_verified(request):
            return redirect("admin:account_security")
        return redirect(_with_next(reverse("admin:mfa_verify"), request))
    device = mfa.mfa_enrolment_device(user=request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.mfa_confirm_enrolment(
            request=request, device=device, token=form.cleaned_data["code"]
        )
        if codes:
            return TemplateResponse(
                request,
                "admin/mfa/backup_codes.html",
                {
                    **_context(admin_site, request, _("Simpan kode cadangan Anda")),
                    "codes": codes,
                    "enrolled": True,
                },
            )
        form.add_error(
            "code", _("Kode tidak cocok. Periksa jam ponsel Anda lalu masukkan kode terbaru.")
        )
    return TemplateResponse(
        request,
        "admin/mfa/enrol.html",
        _context(
            admin_site,
            request,
            _("Aktifkan verifikasi dua langkah"),
            form=form,
            qr_svg=mfa.qr_svg(device),
            secret_groups=_groups(mfa.secret_base32(device)),
        ),
        status=400 if form.errors else 200,
    )


def account_security(request: HttpRequest, admin_site) -> HttpResponse:
    """Wrapped by admin_view (verified officials only)."""
    context = {
        **admin_site.each_context(request),
        "title": _("Keamanan akun"),
        "codes_left": mfa.backup_codes_left(request.user),
        "can_reset_mfa": mfa.can_reset_mfa(request.user),
    }
    return TemplateResponse(request, "admin/mfa/security.html", context)


@never_cache
@require_POST
def backup_codes_regenerate(request: HttpRequest, admin_site) -> HttpResponse:
    codes = mfa.mfa_backup_codes_regenerate(request=request)
    context = {
        **admin_site.each_context(request),
        "title": _("Kode cadangan baru"),
        "codes": codes,
        "enrolled": False,
    }
    return TemplateResponse(request, "admin/mfa/backup_codes.html", context)


@require_POST
def logout_everywhere(request: HttpRequest, admin_site) -> HttpResponse:
    user = request.user
    sessions_end_all(user=user, request=request)
    logout(request)
    messages.success(request, _("Anda sudah keluar dari semua perangkat."))
    return redirect("admin:login")


def mfa_recovery(request: HttpRequest, admin_site) -> HttpResponse:
    """Staff accounts and their MFA; a province superuser resets one (audited, see
    ``accounts.mfa.mfa_reset``). Wrapped by admin_view."""
    if not mfa.can_reset_mfa(request.user):
        raise PermissionDenied
    User = get_user_model()
    if request.method == "POST":
        try:
            user_id = int(request.POST.get("user", ""))
        except ValueError:
            user_id = 0
        target = get_object_or_404(User, pk=user_id, is_staff=True)
        if target.pk == request.user.pk:
            messages.error(request, _("MFA akun sendiri tidak dapat dipulihkan di sini."))
        else:
            mfa.mfa_reset(request=request, user=target)
            messages.success(
                request,
                _(
                    "MFA %(name)s dipulihkan: perangkat dan kode cadangan dihapus, semua sesinya "
                    "diakhiri. Saat masuk lagi ia mendaftarkan aplikasi autentikator baru."
                )
                % {"name": target.get_username()},
            )
        return redirect("admin:mfa_recovery")
    accounts_list = (
        User.objects.filter(is_staff=True, is_active=True)
        .annotate(has_mfa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("username")
    )
    context = {
        **admin_site.each_context(request),
        "title": _("Pemulihan MFA pejabat"),
        "accounts": accounts_list,
    }
    return TemplateResponse(request, "admin/mfa/recovery.html", context)
