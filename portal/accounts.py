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
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

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

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if (
            User.objects.filter(email__iexact=email).exists()
            or User.objects.filter(username__iexact=email).exists()
        ):
            raise forms.ValidationError(
                _("Email ini sudah terdaftar. Silakan masuk atau gunakan “Lupa kata sandi”.")
            )
        return email

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


class EmailAuthenticationForm(AuthenticationForm):
    """Log-in with email; tells an unconfirmed account why it cannot log in yet."""

    username = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "inputmode": "email"}
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
def account_register(*, email: str, password: str, full_name: str = ""):
    """Create an inactive owner account; the confirmation mail activates it."""
    email = email.strip().lower()
    user = User(username=email, email=email, first_name=full_name.strip()[:150], is_active=False)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
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
        user = account_register(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
        )
        transaction.on_commit(lambda: send_confirmation(request, user))
        request.session["signup_email"] = user.email
        return redirect("portal:account_signup_sent")
    return render(request, "registration/signup.html", {"form": form})


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
        if user is not None and user.has_usable_password():
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


def lockout(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """django-axes lockout page (AXES_LOCKOUT_CALLABLE): Indonesian, status 429."""
    minutes = int(float(getattr(settings, "AXES_COOLOFF_TIME", 0.25) or 0) * 60)
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)
