"""Owner accounts: sign-up with email and password, email confirmation, log-in.

The username is the email address (lower-cased). A new account is inactive until the link in the
confirmation mail is opened; an inactive account cannot log in and is told why. Log-in goes
through Django's LoginView, which passes ``request`` to ``authenticate`` so django-axes can
throttle per account and address (AxesStandaloneBackend comes first in AUTHENTICATION_BACKENDS).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes, force_str
from django.utils.html import format_html
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.network import client_ip
from accounts.sessions import session_start, sessions_end_all
from core.ratelimit import within_limit
from core.text import clean_name
from ikm.privacy import NOTICE_VERSION, consent_record

User = get_user_model()


# --- forms ------------------------------------------------------------------------------------
class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(
        label=_("Email"), help_text=_("Tautan konfirmasi dikirim ke alamat ini.")
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Saya sudah membaca kebijakan privasi dan setuju data pribadi saya diproses untuk "
            "keperluan yang disebut di sana."
        ),
        error_messages={
            "required": _("Centang persetujuan kebijakan privasi untuk dapat mendaftar.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("public:privacy"),
            _("Baca kebijakan privasi (versi %(version)s)") % {"version": NOTICE_VERSION},
        )

    def clean_email(self) -> str:
        # Whether the address already has an account is never said here (issue 13): the view
        # answers the same and tells the address's owner by mail (``signup``).
        return self.cleaned_data["email"].strip().lower()

    def clean_full_name(self) -> str:
        return clean_name(self.cleaned_data["full_name"])

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        if p1 and cleaned.get("email"):
            probe = User(
                username=cleaned["email"],
                email=cleaned["email"],
                first_name=cleaned.get("full_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class OwnerSetPasswordForm(SetPasswordForm):
    """Django's form with the site's words: "kata sandi", "Anda" (issue 14)."""

    error_messages = {"password_mismatch": _("Kedua kata sandi tidak sama.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = _("Tulis kata sandi yang sama sekali lagi.")


class OwnerPasswordChangeForm(OwnerSetPasswordForm, PasswordChangeForm):
    error_messages = {
        **OwnerSetPasswordForm.error_messages,
        "password_incorrect": _("Kata sandi lama Anda salah. Tulis sekali lagi."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi lama")


class EmailAuthenticationForm(AuthenticationForm):
    """Log-in with email; tells an unconfirmed account why it cannot log in yet."""

    username = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "inputmode": "email"}
        ),
    )

    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    remember = forms.BooleanField(
        label=_("Ingat saya"),
        required=False,
        help_text=_(
            "Tetap masuk selama 30 hari di perangkat ini. Jangan dicentang di komputer bersama."
        ),
    )

    error_messages = {
        "invalid_login": _("Email atau kata sandi salah. Periksa lagi lalu coba kembali."),
        "inactive": _(
            "Akun ini belum dikonfirmasi. Buka tautan konfirmasi di email Anda terlebih dahulu."
        ),
    }

    def clean_username(self) -> str:
        """An email finds its account; a plain username (officials, demo) is used as it is."""
        value = self.cleaned_data["username"].strip()
        if "@" in value:
            user = User.objects.filter(email__iexact=value).order_by("pk").first()
            return user.get_username() if user else value.lower()
        return value

    def get_invalid_login_error(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        user = User.objects.filter(username__iexact=username).first() if username else None
        if user is not None and not user.is_active and password and user.check_password(password):
            return forms.ValidationError(self.error_messages["inactive"], code="inactive")
        return super().get_invalid_login_error()


# --- services ---------------------------------------------------------------------------------
@transaction.atomic
def account_register(
    *, email: str, password: str, full_name: str = "", notice_version: str = NOTICE_VERSION
):
    """Create an inactive owner account, with the consent to the privacy notice it was given
    under (a Consent row, UU PDP Pasal 22); the confirmation mail activates it."""
    email = email.strip().lower()
    user = User(username=email, email=email, first_name=full_name.strip()[:150], is_active=False)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    consent_record(user=user, version=notice_version)
    return user


def confirmation_link(request: HttpRequest, user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return request.build_absolute_uri(
        reverse("portal:account_confirm", kwargs={"uidb64": uid, "token": token})
    )


def send_confirmation(request: HttpRequest, user) -> None:
    context = {"user": user, "link": confirmation_link(request, user)}
    subject = render_to_string("emails/account_confirm_subject.txt", context).strip()
    body = render_to_string("emails/account_confirm.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def account_confirm(*, uidb64: str, token: str):
    """Activate the account if the token is good; return the user or None."""
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.select_for_update().get(pk=pk)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    if user.is_active:
        return user
    if not default_token_generator.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


# --- views ------------------------------------------------------------------------------------
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        existing = account_by_email(email)
        if existing is None:
            try:
                user = account_register(
                    email=email,
                    password=form.cleaned_data["password1"],
                    full_name=form.cleaned_data["full_name"],
                )
            except (IntegrityError, ValidationError):  # registered a moment ago by another request
                existing = account_by_email(email)
                if existing is None:
                    raise
            else:
                transaction.on_commit(lambda: send_confirmation(request, user))
        if existing is not None:
            # The same answer as for a new address (issue 13); the address's owner learns by mail.
            make_password(form.cleaned_data["password1"])  # the same time as a new account takes
            if within_limit("signup_known_address", account=email, ip=client_ip(request)):
                transaction.on_commit(lambda: send_already_registered(request, existing))
        request.session["signup_email"] = email
        return redirect("portal:account_signup_sent")
    return render(request, "registration/signup.html", {"form": form})


def account_by_email(email: str):
    """The account whose username or email is this address (case-insensitive), or None."""
    return (
        User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
        .order_by("pk")
        .first()
    )


def send_already_registered(request: HttpRequest, user) -> None:
    """Someone signed up with an address that has an account: tell its owner, not the visitor.

    An account never confirmed gets its confirmation link again instead."""
    if not user.is_active and user.has_usable_password():
        send_confirmation(request, user)
        return
    context = {
        "user": user,
        "login_link": request.build_absolute_uri(reverse("portal:login")),
        "reset_link": request.build_absolute_uri(reverse("portal:password_reset")),
    }
    subject = render_to_string("emails/account_exists_subject.txt", context).strip()
    body = render_to_string("emails/account_exists.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email or user.username])


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, rate-limited per address and per client address (issue 13).

    Past the limit the answer is the same page and no mail goes out: 15 requests send 3 mails.
    Whether the address has an account is never said (Django already answers the same)."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if within_limit("password_reset", account=email, ip=client_ip(self.request)):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "registration/signup_sent.html", {"email": request.session.get("signup_email")}
    )


def confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = account_confirm(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "registration/confirm_invalid.html", status=400)
    messages.success(request, _("Email Anda sudah dikonfirmasi. Silakan masuk."))
    return redirect("portal:login")


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("Email yang Anda daftarkan"))


@require_http_methods(["GET", "POST"])
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    """Send the confirmation link again; the same answer whether or not the email is known."""
    form = ResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        user = User.objects.filter(username__iexact=email, is_active=False).first()
        allowed = within_limit("resend_confirmation", account=email, ip=client_ip(request))
        if allowed and user is not None and user.has_usable_password():
            send_confirmation(request, user)
        request.session["signup_email"] = email
        return redirect("portal:account_signup_sent")
    return render(request, "registration/resend_confirmation.html", {"form": form})


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return str(reverse_lazy("portal:dashboard"))

    def form_valid(self, form):
        response = super().form_valid(form)
        # "Ingat saya": a 30-day cookie for owners; officials always get a browser session.
        session_start(
            self.request, form.get_user(), remember=bool(form.cleaned_data.get("remember"))
        )
        return response


@require_http_methods(["POST"])
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the account (other browsers and phones too), then this one."""
    if request.user.is_authenticated:
        sessions_end_all(user=request.user, request=request)
        logout(request)
        messages.success(request, _("Anda sudah keluar dari semua perangkat."))
    return redirect("portal:login")


def lockout(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """django-axes lockout page (AXES_LOCKOUT_CALLABLE): Indonesian, status 429."""
    minutes = int(float(getattr(settings, "AXES_COOLOFF_TIME", 0.25) or 0) * 60)
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)
