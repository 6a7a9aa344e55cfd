"""Sign-up, email confirmation, log-in (unconfirmed accounts told why), lockout, password reset."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Lempok-Durian-2026"


def link_from(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def sign_up(client, email="siti@example.id", django_capture_on_commit_callbacks=None):
    return client.post(
        reverse("portal:account_signup"),
        {
            "full_name": "Siti Aminah",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent": "on",
        },
    )


def test_sign_up_confirm_and_log_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, email="Siti@Example.id")
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:account_signup_sent"
    )
    user = User.objects.get()
    assert user.username == user.email == "siti@example.id"
    assert not user.is_active and user.first_name == "Siti Aminah"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["siti@example.id"]

    # Not confirmed yet: a clear message, not "wrong password".
    response = client.post(
        reverse("portal:login"), {"username": "siti@example.id", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "belum dikonfirmasi" in response.content.decode()

    link = link_from(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")
    user.refresh_from_db()
    assert user.is_active

    response = client.post(
        reverse("portal:login"), {"username": "siti@example.id", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:dashboard")
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_bad_confirmation_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    link = link_from(mail.outbox[0])
    response = client.get(link[:-3] + "xyz/")
    assert response.status_code == 400
    assert not User.objects.get().is_active


def test_sign_up_refuses_weak_password(client, owner):
    # A taken email is answered like a new one (issue 13): tests/security/test_enumeration.py.
    response = client.post(
        reverse("portal:account_signup"),
        {
            "full_name": "X",
            "email": "baru@example.id",
            "password1": "12345678",
            "password2": "12345678",
            "consent": "on",
        },
    )
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert User.objects.count() == 1


def test_sixth_wrong_attempt_is_locked_but_another_account_still_works(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    victim = User.objects.create_user("korban@example.id", "korban@example.id", PASSWORD)
    User.objects.create_user("lain@example.id", "lain@example.id", PASSWORD)
    url = reverse("portal:login")
    statuses = []
    for _ in range(5):
        response = client.post(url, {"username": victim.username, "password": "salah-salah"})
        statuses.append(response.status_code)
    assert statuses[:4] == [200, 200, 200, 200]
    sixth = client.post(url, {"username": victim.username, "password": PASSWORD})
    assert sixth.status_code == 429
    html = sixth.content.decode()
    assert "Terlalu banyak percobaan masuk" in html and "dikunci sementara" in html
    assert "_auth_user_id" not in client.session
    # The same address, another account: not locked.
    response = client.post(url, {"username": "lain@example.id", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="lain@example.id").pk)


def test_password_reset_mail(client, owner, django_capture_on_commit_callbacks):
    response = client.post(reverse("portal:password_reset"), {"email": owner.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [owner.email]
    link = link_from(mail.outbox[0])
    response = client.get(link, follow=True)
    assert "Buat kata sandi baru" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Tenun-Sidan-2027", "new_password2": "Tenun-Sidan-2027"}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("Tenun-Sidan-2027")


def test_password_change_page(client, owner):
    client.force_login(owner)
    response = client.get(reverse("portal:password_change"))
    assert response.status_code == 200
    assert "Ubah kata sandi" in response.content.decode()


def test_resend_confirmation_only_for_unconfirmed_accounts(client, owner):
    inactive = User.objects.create_user("lupa@example.id", "lupa@example.id", PASSWORD)
    inactive.is_active = False
    inactive.save()
    url = reverse("portal:account_resend_confirmation")
    for email in ("LUPA@example.id", owner.email, "tidak.ada@example.id"):
        response = client.post(url, {"email": email})
        assert response.status_code == 302  # the same answer whoever asks
    assert [m.to for m in mail.outbox] == [["lupa@example.id"]]
    client.get(link_from(mail.outbox[0]))
    inactive.refresh_from_db()
    assert inactive.is_active


def test_login_with_email_or_plain_username(client):
    User.objects.create_user("pemilik.demo", "Pemilik.Demo@example.id", PASSWORD)
    for typed in ("pemilik.demo", "pemilik.demo@example.id", "PEMILIK.DEMO@example.id"):
        client.logout()
        response = client.post(reverse("portal:login"), {"username": typed, "password": PASSWORD})
        assert response.status_code == 302, typed
        assert client.session["_auth_user_id"]
