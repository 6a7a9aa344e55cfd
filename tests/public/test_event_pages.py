"""The public agenda, event page, iCalendar feeds, and the verification of an attendance
certificate on /verifikasi/."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from events import services
from events.models import Event, EventKind, Registration
from tests.factories import UnitFactory, UserFactory
from tests.support.events import KAB_KETAPANG, make_event, make_registration

pytestmark = pytest.mark.django_db
E = Event.Status


def test_agenda_lists_upcoming_public_events_with_seats(client):
    open_event = make_event(title="Pelatihan Kemasan", quota=3)
    make_registration(open_event, UnitFactory())
    make_event(title="Pameran Tertutup", status=E.CLOSED, kind=EventKind.PAMERAN)
    make_event(title="Konsep Rahasia", status=E.DRAFT)
    make_event(title="Acara Lama", starts_in=-datetime.timedelta(days=3))
    response = client.get(reverse("public:event_list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Pelatihan Kemasan" in text and "2 kursi tersisa" in text
    assert "Pameran Tertutup" in text and "Pendaftaran ditutup" in text
    assert "Konsep Rahasia" not in text and "Acara Lama" not in text
    assert reverse("public:events_ics") in text


def test_agenda_filters_by_kind_and_kab_kota(client):
    make_event(title="Pelatihan Sanggau")
    make_event(title="Temu Bisnis Ketapang", kabupaten=KAB_KETAPANG, kind=EventKind.TEMU_BISNIS)
    text = client.get(reverse("public:event_list"), {"kabkota": KAB_KETAPANG}).content.decode()
    assert "Temu Bisnis Ketapang" in text and "Pelatihan Sanggau" not in text
    text = client.get(reverse("public:event_list"), {"jenis": "pelatihan"}).content.decode()
    assert "Pelatihan Sanggau" in text and "Temu Bisnis Ketapang" not in text


def test_agenda_unknown_filter_is_a_message_not_an_error(client):
    response = client.get(reverse("public:event_list"), {"jenis": "konser", "kabkota": "99.99"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Jenis acara “konser” tidak dikenal." in text
    assert "Kabupaten/kota “99.99” tidak dikenal." in text


def test_event_page_shows_dates_place_quota_requirements_and_region(client):
    event = make_event(quota=1, online_url="https://meet.example.id/x")
    make_registration(event, UnitFactory())
    text = client.get(event.get_absolute_url()).content.decode()
    assert (
        event.title in text and "Aula Disperindag" in text and "https://meet.example.id/x" in text
    )
    assert "Membawa NIB" in text and "Sanggau" in text
    assert "penuh" in text and "Masuk daftar tunggu" in text
    assert reverse("portal:event_register", args=[event.pk]) in text


def test_draft_event_page_is_404_and_cancelled_says_so(client):
    assert client.get(make_event(status=E.DRAFT).get_absolute_url()).status_code == 404
    cancelled = make_event(status=E.CANCELLED, cancel_reason="Gedung dipakai")
    text = client.get(cancelled.get_absolute_url()).content.decode()
    assert "Acara ini dibatalkan." in text and "Gedung dipakai" in text
    assert reverse("portal:event_register", args=[cancelled.pk]) not in text


def test_ics_feeds(client):
    event = make_event(title="Bimtek Halal")
    make_event(title="Konsep", status=E.DRAFT)
    response = client.get(reverse("public:events_ics"))
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "SUMMARY:Bimtek Halal\r\n" in body
    assert "Konsep" not in body
    one = client.get(reverse("public:event_ics", args=[event.pk])).content.decode()
    assert one.count("BEGIN:VEVENT") == 1 and f"UID:event-{event.pk}@" in one
    draft = Event.objects.get(title="Konsep")
    assert client.get(reverse("public:event_ics", args=[draft.pk])).status_code == 404


def test_home_links_the_agenda(client):
    make_event(title="Pameran Griya IKM", kind=EventKind.PAMERAN)
    text = client.get(reverse("public:home")).content.decode()
    assert reverse("public:event_list") in text and "Pameran Griya IKM" in text


def test_verification_page_confirms_an_attendance_certificate(client, official_sanggau):
    owner = UserFactory(username="pemilik_v")
    unit = UnitFactory(name="Tenun Ikat Sintang", owner=owner)
    event = make_event(title="Pelatihan Pewarna Alami")
    reg = make_registration(event, unit)
    reg, _created = services.registration_check_in(
        registration_id=reg.pk, official=official_sanggau, now=event.starts_at
    )
    url = reverse("public:certificate_verify")
    text = client.get(url, {"nomor": reg.certificate_number.lower()}).content.decode()
    assert "Sertifikat kehadiran ditemukan" in text
    assert "Tenun Ikat Sintang" in text and "Pelatihan Pewarna Alami" in text
    assert event.starts_at.strftime("%Y") in text
    # The right format, a number nobody holds: not found, not an agency certificate's search.
    text = client.get(url, {"nomor": "HDR-2026-999999-ABCD"}).content.decode()
    assert "tidak ditemukan" in text and "Sertifikat kehadiran ditemukan" not in text
    # A registration not (or no longer) attended is not confirmed.
    Registration.objects.filter(pk=reg.pk).update(status=Registration.Status.NO_SHOW)
    text = client.get(url, {"nomor": reg.certificate_number}).content.decode()
    assert "Sertifikat kehadiran ditemukan" not in text
