"""Security events: a row and one key=value log line for logins, failures, NIK views and
exports, permission denials; the read-only "Peristiwa keamanan" list in the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.events import format_record, record_event
from accounts.models import SecurityEvent
from core.spreadsheet import CSV
from ikm.resources import IKMUnitResource
from ikm.services import official_assign, unit_set_nik
from tests.factories import DESA_SANGGAU, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-Kalbar-2026"


@pytest.fixture
def nik_viewer(db):
    user = UserFactory(username="pejabat_nik")
    official_assign(user=user, kabupaten_id=None)
    user.user_permissions.add(Permission.objects.get(codename="view_nik"))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def unit_with_nik(db):
    unit = UnitFactory(nib="9120000000001", name="Lempok Sanggau", desa_id=DESA_SANGGAU)
    unit_set_nik(unit, "6103014501800001")
    unit.save()
    return unit


def test_log_in_and_a_failed_log_in_are_events_with_the_client_address(client, owner, caplog):
    url = reverse("portal:login")
    with caplog.at_level("INFO", logger="sipi.security"):
        client.post(url, {"username": owner.email, "password": "salah"}, REMOTE_ADDR="203.0.113.4")
        client.post(url, {"username": owner.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.4")
    failed = SecurityEvent.objects.get(kind="login_failed")
    assert failed.user is None and failed.username == owner.username
    assert failed.ip_address == "203.0.113.4" and failed.path == url
    login = SecurityEvent.objects.get(kind="login")
    assert login.user == owner
    assert f"event=login_failed user={owner.username} ip=203.0.113.4 path={url}" in caplog.text


def test_a_whole_nik_on_screen_is_an_event(client, nik_viewer, unit_with_nik):
    client.force_login(nik_viewer)
    response = client.get(reverse("admin:ikm_ikmunit_change", args=[unit_with_nik.pk]))
    assert response.status_code == 200 and "6103014501800001" in response.content.decode()
    event = SecurityEvent.objects.get(kind="nik_view")
    assert event.user == nik_viewer and event.detail == {"unit": unit_with_nik.pk}


def test_a_masked_nik_is_no_event(client, official_sanggau, unit_with_nik):
    official_assign(user=official_sanggau, kabupaten_id="61.03")
    client.force_login(official_sanggau)
    response = client.get(reverse("admin:ikm_ikmunit_change", args=[unit_with_nik.pk]))
    assert response.status_code == 200 and "6103014501800001" not in response.content.decode()
    assert not SecurityEvent.objects.filter(kind="nik_view").exists()


def test_a_nik_export_is_an_event(nik_viewer, unit_with_nik):
    resource = IKMUnitResource(user=nik_viewer)
    dataset = resource.export(None, export_format="csv")
    assert "6103014501800001" in CSV().export_data(dataset)
    event = SecurityEvent.objects.get(kind="nik_export")
    assert event.user == nik_viewer
    assert event.detail == {"model": "ikm.IKMUnit", "format": "csv", "rows": 1}


def test_a_permission_denial_is_an_event(client, official_sanggau):
    official_assign(user=official_sanggau, kabupaten_id="61.03")
    client.force_login(official_sanggau)
    url = reverse("admin:accounts_securityevent_changelist")
    assert client.get(url).status_code == 403
    event = SecurityEvent.objects.get(kind="permission_denied")
    assert event.user == official_sanggau and event.path == url


def test_the_superuser_reads_the_events_and_nobody_edits_them(client):
    su = UserFactory(username="super", is_staff=True, is_superuser=True)
    record_event(SecurityEvent.Kind.LOGIN_FAILED, username="budi")
    client.force_login(su)
    listing = client.get(reverse("admin:accounts_securityevent_changelist"))
    assert listing.status_code == 200
    assert "Peristiwa keamanan" in listing.content.decode() and "budi" in listing.content.decode()
    event = SecurityEvent.objects.get(username="budi")
    assert client.get(reverse("admin:accounts_securityevent_add")).status_code == 403
    assert (
        client.post(reverse("admin:accounts_securityevent_delete", args=[event.pk])).status_code
        == 403
    )
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_a_log_record_is_one_line_whatever_the_username():
    line = format_record({"event": "login_failed", "user": 'x y"\nevent=login', "ip": "-"})
    assert "\n" not in line
    assert line == 'event=login_failed user="x y\\"\\nevent=login" ip=-'
