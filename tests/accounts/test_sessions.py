"""Session policy: officials' idle and absolute limits, owners' "Ingat saya", log out
everywhere (database rows and cache entries of cached_db sessions)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from accounts import sessions as session_policy
from accounts.models import SecurityEvent, UserSession

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-Kalbar-2026"
STATS = reverse("admin:statistics")


def _cache_entry(key: str):
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX

    return caches[settings.SESSION_CACHE_ALIAS].get(KEY_PREFIX + key)


def _set_stamps(client, **stamps) -> None:
    session = client.session
    for name, value in stamps.items():
        session[name] = value
    session.save()


def test_an_official_is_logged_out_after_30_idle_minutes(client, official_sanggau):
    client.force_login(official_sanggau)
    assert client.get(STATS).status_code == 200
    _set_stamps(client, **{session_policy.SEEN_AT: time.time() - 31 * 60})

    response = client.get(STATS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert SESSION_KEY not in client.session
    event = SecurityEvent.objects.get(kind="session_expired")
    assert event.user == official_sanggau and event.detail == {"reason": "idle"}


def test_29_idle_minutes_keep_the_session_and_activity_moves_the_stamp(
    client, official_sanggau, monkeypatch
):
    client.force_login(official_sanggau)
    start = time.time()
    monkeypatch.setattr(session_policy, "_now", lambda: start + 29 * 60)
    assert client.get(STATS).status_code == 200
    assert client.session[session_policy.SEEN_AT] == start + 29 * 60
    monkeypatch.setattr(session_policy, "_now", lambda: start + 58 * 60)
    assert client.get(STATS).status_code == 200  # 29 minutes after the last request
    monkeypatch.setattr(session_policy, "_now", lambda: start + 89 * 60)
    assert client.get(STATS).status_code == 302  # 31 minutes idle


def test_an_official_is_logged_out_12_hours_after_log_in_even_when_active(
    client, official_sanggau, monkeypatch
):
    client.force_login(official_sanggau)
    start = time.time()
    for minutes in range(20, 12 * 60, 20):  # a request every 20 minutes, all day
        monkeypatch.setattr(session_policy, "_now", lambda m=minutes: start + m * 60)
        assert client.get(STATS).status_code == 200, minutes
    monkeypatch.setattr(session_policy, "_now", lambda: start + 12 * 3600 + 60)
    assert client.get(STATS).status_code == 302
    assert SecurityEvent.objects.get(kind="session_expired").detail == {"reason": "absolute"}


def test_owners_have_no_30_minute_idle_limit(client, owner, monkeypatch):
    client.force_login(owner)
    later = time.time() + 3 * 3600
    monkeypatch.setattr(session_policy, "_now", lambda: later)
    assert client.get(reverse("portal:dashboard")).status_code == 200


def _portal_login(client, username, **extra):
    return client.post(
        reverse("portal:login"), {"username": username, "password": PASSWORD, **extra}
    )


def test_owner_ingat_saya_gives_a_30_day_cookie(client, owner):
    response = _portal_login(client, owner.email, remember="on")
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 30 * 24 * 3600
    assert client.session.get_expiry_age() == 30 * 24 * 3600


def test_owner_without_ingat_saya_gets_a_browser_session(client, owner):
    response = _portal_login(client, owner.email)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert client.session.get_expire_at_browser_close()


def test_an_official_ticking_ingat_saya_still_gets_a_browser_session(client, official_sanggau):
    response = _portal_login(client, official_sanggau.username, remember="on")
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""


def test_log_out_everywhere_in_the_portal_ends_the_other_browsers_session(owner):
    phone, laptop = Client(), Client()
    _portal_login(phone, owner.email, remember="on")
    _portal_login(laptop, owner.email)
    keys = [phone.session.session_key, laptop.session.session_key]
    assert all(_cache_entry(k) is not None or Session.objects.filter(pk=k).exists() for k in keys)
    assert phone.get(reverse("portal:dashboard")).status_code == 200

    response = laptop.post(reverse("portal:logout_everywhere"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")

    assert phone.get(reverse("portal:dashboard")).status_code == 302
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert all(_cache_entry(k) is None for k in keys)
    assert not UserSession.objects.filter(user=owner).exists()
    assert SecurityEvent.objects.get(kind="logout_all").detail == {"sessions": 2}


def test_log_out_everywhere_in_the_admin(official_sanggau):
    first, second = Client(), Client()
    first.force_login(official_sanggau)
    second.force_login(official_sanggau)
    assert second.get(STATS).status_code == 200
    response = first.post(reverse("admin:logout_everywhere"))
    assert response.status_code == 302 and response["Location"] == reverse("admin:login")
    assert second.get(STATS).status_code == 302
    assert SESSION_KEY not in second.session
    assert SecurityEvent.objects.filter(kind="logout_all", user=official_sanggau).count() == 1


def test_a_cycled_session_key_is_recorded_and_ended_too(owner):
    client, other = Client(), Client()
    _portal_login(client, owner.email)
    _portal_login(other, owner.email)
    session = client.session
    old_key = session.session_key
    # What a password change does (update_session_auth_hash): a new key, the same data.
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore(old_key)
    store.load()
    store.cycle_key()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    assert client.get(reverse("portal:dashboard")).status_code == 200  # records the new key
    assert UserSession.objects.filter(session_key=store.session_key, user=owner).exists()

    other.post(reverse("portal:logout_everywhere"))
    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_logging_out_drops_the_record_and_the_nightly_chore_cleans_up(owner, settings):
    import datetime

    from django.utils import timezone

    from accounts.tasks import accounts_cleanup

    client, other = Client(), Client()
    _portal_login(client, owner.email)
    _portal_login(other, owner.email)
    assert UserSession.objects.filter(user=owner).count() == 2
    client.post(reverse("portal:logout"))
    assert UserSession.objects.filter(user=owner).count() == 1
    # A session that expired on the server: its row and its record go at night.
    Session.objects.filter(session_key=other.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    old = SecurityEvent.objects.create(kind="login", username="lama")
    SecurityEvent.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=settings.SECURITY_EVENT_KEEP_DAYS + 1)
    )
    result = accounts_cleanup()
    assert result == {"session_records": 1, "events": 1}
    assert not UserSession.objects.filter(user=owner).exists()
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(kind="login", user=owner).count() == 2


def test_the_login_page_offers_ingat_saya_unticked(client):
    page = client.get(reverse("portal:login")).content.decode()
    assert 'type="checkbox" name="remember"' in page and "Ingat saya" in page
    assert 'name="remember" id="id_remember" checked' not in page
