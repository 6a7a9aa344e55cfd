"""MFA for staff: forced enrolment, TOTP and backup codes, failures as events, recovery."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from tests.factories import OfficialFactory, UserFactory
from tests.support.otp import confirmed_device, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.mfa_unverified]

UNITS = reverse("admin:ikm_ikmunit_changelist")
PASSWORD = "rahasia-Kalbar-2026"


@pytest.fixture
def official_sanggau(official_sanggau):
    """The shared fixture plus the role group a real official gets (ikm.services)."""
    from ikm.services import official_assign

    official_assign(user=official_sanggau, kabupaten_id="61.03")
    return official_sanggau


def _kinds(**filters) -> list[str]:
    return list(SecurityEvent.objects.filter(**filters).values_list("kind", flat=True))


def test_staff_without_a_device_is_sent_to_enrolment_and_reaches_nothing(client, official_sanggau):
    client.force_login(official_sanggau)  # password only
    for url in (
        UNITS,
        reverse("admin:index"),
        reverse("admin:ikm_ikmunit_export"),
        reverse("admin:jobs_job_changelist"),
        reverse("admin:statistics"),
        reverse("admin:account_security"),
    ):
        response = client.get(url, follow=True)
        assert response.redirect_chain, url
        final = response.redirect_chain[-1][0]
        assert final.startswith(reverse("admin:mfa_enrol")), (url, final)
        assert response.status_code == 200
        assert "cl" not in response.context  # no changelist was rendered
    # The enrolment page offers no admin menu.
    assert b"ikm/ikmunit" not in response.content


def test_password_on_the_admin_login_leads_to_the_code_page(client, official_sanggau):
    confirmed_device(official_sanggau)
    response = client.post(
        reverse("admin:login") + f"?next={UNITS}",
        {"username": official_sanggau.username, "password": PASSWORD, "next": UNITS},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:mfa_verify"))
    assert client.session[SESSION_KEY] == str(official_sanggau.pk)
    assert client.get(UNITS).status_code == 302  # not yet


def test_enrolment_with_a_real_totp_code_then_access(client, official_sanggau):
    client.force_login(official_sanggau)
    page = client.get(reverse("admin:mfa_enrol") + f"?next={UNITS}")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=official_sanggau)
    assert not device.confirmed
    assert b"<svg" in page.content and page.context["secret_groups"].replace(" ", "")

    response = client.post(reverse("admin:mfa_enrol"), {"code": totp_code(device), "next": UNITS})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert set(
        StaticToken.objects.filter(device__user=official_sanggau).values_list("token", flat=True)
    ) == set(codes)
    assert _kinds(user=official_sanggau, kind="mfa_enrolled") == ["mfa_enrolled"]
    assert client.get(UNITS).status_code == 200


def test_a_wrong_enrolment_code_leaves_the_device_unconfirmed(client, official_sanggau):
    client.force_login(official_sanggau)
    client.get(reverse("admin:mfa_enrol"))
    device = TOTPDevice.objects.get(user=official_sanggau)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("admin:mfa_enrol"), {"code": wrong})
    assert response.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=official_sanggau).exists()
    assert _kinds(user=official_sanggau, kind="mfa_failed") == ["mfa_failed"]
    assert client.get(UNITS).status_code == 302


def test_a_wrong_code_is_an_mfa_failure_event_and_no_access(client, official_sanggau, caplog):
    device = confirmed_device(official_sanggau)
    client.force_login(official_sanggau)
    wrong = f"{(int(totp_code(device)) + 7) % 1_000_000:06d}"
    with caplog.at_level("INFO", logger="sipi.security"):
        response = client.post(reverse("admin:mfa_verify"), {"code": wrong, "next": UNITS})
    assert response.status_code == 400
    assert "Kode salah" in response.content.decode()
    event = SecurityEvent.objects.get(kind="mfa_failed")
    assert event.user == official_sanggau and event.username == "pejabat_sanggau"
    assert "event=mfa_failed user=pejabat_sanggau" in caplog.text
    assert client.get(UNITS).status_code == 302


def test_the_right_code_verifies_the_session(client, official_sanggau):
    device = confirmed_device(official_sanggau)
    client.force_login(official_sanggau)
    response = client.post(reverse("admin:mfa_verify"), {"code": totp_code(device), "next": UNITS})
    assert response.status_code == 302 and response["Location"] == UNITS
    assert client.get(UNITS).status_code == 200
    assert _kinds(kind="mfa_verified") == ["mfa_verified"]


def test_an_open_redirect_in_next_goes_to_the_admin_index(client, official_sanggau):
    device = confirmed_device(official_sanggau)
    client.force_login(official_sanggau)
    response = client.post(
        reverse("admin:mfa_verify"), {"code": totp_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("admin:index")


def test_a_backup_code_works_once(official_sanggau):
    first, second = Client(), Client()
    first.force_login(official_sanggau)
    enrol_page = first.get(reverse("admin:mfa_enrol"))
    assert enrol_page.status_code == 200
    device = TOTPDevice.objects.get(user=official_sanggau)
    codes = first.post(reverse("admin:mfa_enrol"), {"code": totp_code(device)}).context["codes"]
    first.logout()

    first.force_login(official_sanggau)
    used = first.post(reverse("admin:mfa_verify"), {"code": codes[0].upper(), "next": UNITS})
    assert used.status_code == 302
    assert first.get(UNITS).status_code == 200
    assert StaticToken.objects.filter(device__user=official_sanggau).count() == 9

    second.force_login(official_sanggau)
    again = second.post(reverse("admin:mfa_verify"), {"code": codes[0], "next": UNITS})
    assert again.status_code == 400
    assert second.get(UNITS).status_code == 302
    assert _kinds(kind="mfa_backup_used") == ["mfa_backup_used"]
    assert _kinds(kind="mfa_failed") == ["mfa_failed"]


@pytest.fixture
def province_superuser(db):
    user = UserFactory(username="super_prov", is_staff=True, is_superuser=True)
    OfficialFactory(user=user)
    return user


def test_recovery_by_a_province_superuser_writes_an_audit_row(
    client, province_superuser, official_sanggau
):
    confirmed_device(official_sanggau)
    victim = Client()
    victim.force_login(official_sanggau)
    victim_key = victim.session.session_key
    client.force_login(province_superuser)
    from tests.support.otp import verify_session

    verify_session(client, province_superuser)
    page = client.get(reverse("admin:mfa_recovery"))
    assert page.status_code == 200 and b"pejabat_sanggau" in page.content

    response = client.post(reverse("admin:mfa_recovery"), {"user": official_sanggau.pk})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=official_sanggau).exists()
    assert not StaticDevice.objects.filter(user=official_sanggau).exists()
    event = SecurityEvent.objects.get(kind="mfa_reset")
    assert event.user == official_sanggau and event.actor == province_superuser
    assert event.detail["devices_removed"] >= 1
    # The official's sessions are ended; at the next log-in they enrol again.
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=victim_key).exists()
    assert victim.get(UNITS).status_code == 302


def test_recovery_is_refused_to_a_kabupaten_official(client, official_sanggau, official_ketapang):
    target = confirmed_device(official_ketapang)
    from tests.support.otp import verify_session

    client.force_login(official_sanggau)
    verify_session(client, official_sanggau)
    assert client.get(reverse("admin:mfa_recovery")).status_code == 403
    response = client.post(reverse("admin:mfa_recovery"), {"user": official_ketapang.pk})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=target.pk, confirmed=True).exists()
    assert not SecurityEvent.objects.filter(kind="mfa_reset").exists()
    assert SecurityEvent.objects.filter(
        kind="permission_denied", user=official_sanggau, path=reverse("admin:mfa_recovery")
    ).exists()


def test_a_superuser_who_is_a_kabupaten_official_cannot_recover(client, official_ketapang):
    from accounts.mfa import can_reset_mfa
    from ikm.models import Region

    user = UserFactory(username="super_kab", is_staff=True, is_superuser=True)
    OfficialFactory(user=user, kabupaten=Region.objects.get(code="61.03"))
    assert not can_reset_mfa(user)


def test_owners_need_no_second_factor(client, owner):
    client.force_login(owner)
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_request_documents_need_the_second_factor_too(client, official_sanggau, request_a):
    """The portal's document link serves officials in scope: only after the second factor."""
    url = reverse("portal:document_download", args=[request_a.documents.first().pk])
    client.force_login(official_sanggau)  # password only
    assert client.get(url).status_code == 404
    from tests.support.otp import verify_session

    verify_session(client, official_sanggau)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
