"""Login lockout keyed on account + the real client address behind trusted proxies."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import SecurityEvent
from accounts.network import client_ip

PASSWORD = "Lempok-Durian-2026"
PROXY = "10.0.0.5"


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no proxy: the header is ignored
        (1, PROXY, "198.51.100.1", "198.51.100.1"),
        (1, PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # forged entry on the left
        (2, PROXY, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        (2, PROXY, "198.51.100.1", "198.51.100.1"),  # fewer entries: the leftmost
        (1, PROXY, None, PROXY),  # did not pass the proxy (health checks)
        (1, PROXY, "not-an-ip", PROXY),
        (1, PROXY, "[2001:db8::7]:443", "2001:db8::7"),
        (1, PROXY, "198.51.100.1:51234", "198.51.100.1"),
    ],
)
def test_client_ip_reads_x_forwarded_for_from_the_right(
    settings, count, remote, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(remote, forwarded)) == expected


@pytest.mark.django_db
def test_an_attacker_behind_the_shared_proxy_cannot_lock_the_official_out(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.TRUSTED_PROXY_COUNT = 1
    get_user_model().objects.create_user("pejabat.kapuas", "p@example.go.id", PASSWORD)
    url = reverse("portal:login")
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    official = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.20"}

    for _ in range(6):
        last = client.post(url, {"username": "pejabat.kapuas", "password": "salah"}, **attacker)
    assert last.status_code == 429
    # The attacker forging the official's address on the left gets nowhere either.
    forged = {**attacker, "HTTP_X_FORWARDED_FOR": "198.51.100.20, 203.0.113.66"}
    assert (
        client.post(url, {"username": "pejabat.kapuas", "password": PASSWORD}, **forged).status_code
        == 429
    )

    response = client.post(url, {"username": "pejabat.kapuas", "password": PASSWORD}, **official)
    assert response.status_code == 302  # logged in from the same proxy address

    lockout = SecurityEvent.objects.filter(kind="lockout").first()
    assert lockout is not None and lockout.ip_address == "203.0.113.66"
    assert lockout.username == "pejabat.kapuas"
    failures = SecurityEvent.objects.filter(kind="login_failed", username="pejabat.kapuas")
    assert set(failures.values_list("ip_address", flat=True)) == {"203.0.113.66"}
    assert SecurityEvent.objects.get(kind="login").ip_address == "198.51.100.20"


@pytest.mark.django_db
def test_another_account_from_the_attackers_address_is_not_locked(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    users = get_user_model().objects
    users.create_user("korban", "k@example.id", PASSWORD)
    users.create_user("lain", "l@example.id", PASSWORD)
    url = reverse("portal:login")
    same = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for _ in range(4):
        client.post(url, {"username": "korban", "password": "salah"}, **same)
    assert client.post(url, {"username": "lain", "password": PASSWORD}, **same).status_code == 302
