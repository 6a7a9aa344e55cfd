"""The demo officials log in with the documented demo password and the demo TOTP code."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.management.commands.demo_mfa_code import demo_code
from demo.seed import DEMO_PASSWORD, PROVINCE_USERNAME, SeedResult, seed_accounts

pytestmark = [pytest.mark.django_db, pytest.mark.mfa_unverified]


def test_demo_official_logs_in_with_password_and_the_demo_code(client, capsys):
    province, _owner = seed_accounts(SeedResult())
    response = client.post(
        reverse("admin:login"), {"username": PROVINCE_USERNAME, "password": DEMO_PASSWORD}
    )
    assert response["Location"].startswith(reverse("admin:mfa_verify"))
    call_command("demo_mfa_code")
    printed = capsys.readouterr().out.split()[0]
    assert len(printed) == 6 and printed.isdigit()
    response = client.post(reverse("admin:mfa_verify"), {"code": demo_code()[0]})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert TOTPDevice.objects.filter(user=province, confirmed=True).count() == 1


def test_seeding_again_keeps_an_official_s_own_device():
    result = SeedResult()
    province, _owner = seed_accounts(result)
    assert result.created["perangkat MFA"] == 2
    device = TOTPDevice.objects.get(user=province)
    device.key = "00" * 20  # as if the official enrolled their own phone
    device.save()
    again = SeedResult()
    seed_accounts(again)
    assert again.created["perangkat MFA"] == 0
    device.refresh_from_db()
    assert device.key == "00" * 20
