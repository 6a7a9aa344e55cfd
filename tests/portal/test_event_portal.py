"""Owners in the portal: register a unit (a seat, then the waitlist), cancel (a freed seat
promotes), see the check-in QR code, download the attendance certificate (theirs only)."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from events import services
from events.models import Event, Registration
from events.tokens import checkin_token
from tests.factories import UnitFactory
from tests.support.events import make_event, make_registration

pytestmark = pytest.mark.django_db
R = Registration.Status


@pytest.fixture
def unit(owner):
    return UnitFactory(name="Lempok Durian Mak Iyah", owner=owner)


@pytest.fixture
def other_unit(other_owner):
    return UnitFactory(name="Madu Kelulut Sanggau", owner=other_owner)


def test_owner_registers_a_unit_then_the_next_one_waits(
    client, owner, other_owner, unit, other_unit
):
    event = make_event(quota=1)
    client.force_login(owner)
    url = reverse("portal:event_register", args=[event.pk])
    page = client.get(url).content.decode()
    assert "Lempok Durian Mak Iyah" in page and "Madu Kelulut" not in page
    response = client.post(url, {"unit": unit.pk})
    assert response.status_code == 302
    reg = Registration.objects.get(event=event, unit=unit)
    assert reg.status == R.REGISTERED and reg.registered_by == owner
    # Registering the same unit again: a message beside the form, nothing new.
    response = client.post(url, {"unit": unit.pk})
    assert "sudah terdaftar pada acara ini" in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1
    client.force_login(other_owner)
    client.post(url, {"unit": other_unit.pk})
    assert Registration.objects.get(event=event, unit=other_unit).status == R.WAITLISTED


def test_someone_elses_unit_is_refused(client, owner, unit, other_unit):
    event = make_event()
    client.force_login(owner)
    response = client.post(
        reverse("portal:event_register", args=[event.pk]), {"unit": other_unit.pk}
    )
    assert response.status_code == 200
    assert "Pilih salah satu unit usaha Anda." in response.content.decode()
    assert not Registration.objects.exists()


def test_closed_or_draft_events_do_not_register(client, owner, unit):
    client.force_login(owner)
    closed = make_event(status=Event.Status.CLOSED)
    page = client.get(reverse("portal:event_register", args=[closed.pk])).content.decode()
    assert "Pendaftaran acara ini tidak dibuka." in page
    client.post(reverse("portal:event_register", args=[closed.pk]), {"unit": unit.pk})
    draft = make_event(status=Event.Status.DRAFT)
    assert client.get(reverse("portal:event_register", args=[draft.pk])).status_code == 404
    assert not Registration.objects.exists()


def test_cancel_frees_the_seat_for_the_waitlist(client, owner, unit, other_unit):
    event = make_event(quota=1)
    mine = make_registration(event, unit)
    waiting = make_registration(event, other_unit, status=R.WAITLISTED)
    client.force_login(owner)
    response = client.post(reverse("portal:event_registration_cancel", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db(), waiting.refresh_from_db()
    assert (mine.status, waiting.status) == (R.CANCELLED, R.REGISTERED)


def test_cancelling_someone_elses_registration_is_404(client, owner, other_unit):
    reg = make_registration(make_event(), other_unit)
    client.force_login(owner)
    assert (
        client.post(reverse("portal:event_registration_cancel", args=[reg.pk])).status_code == 404
    )
    reg.refresh_from_db()
    assert reg.status == R.REGISTERED


def test_my_registrations_show_the_check_in_qr_code(client, owner, unit):
    reg = make_registration(make_event(title="Bimtek Halal"), unit)
    client.force_login(owner)
    page = client.get(reverse("portal:event_registrations")).content.decode()
    assert "Bimtek Halal" in page and "<svg" in page and reg.reference in page
    # The QR encodes the check-in page URL with the signed token of this registration.
    from portal.event_views import qr_svg

    url = "http://testserver" + reverse(
        "admin:events_registration_checkin", args=[checkin_token(reg.pk)]
    )
    assert qr_svg(url) in page


def test_attendance_certificate_pdf_for_the_owner_only(
    client, owner, other_owner, unit, official_sanggau
):
    event = make_event(title="Pelatihan Pengemasan")
    reg = make_registration(event, unit)
    client.force_login(owner)
    url = reverse("portal:event_attendance_certificate", args=[reg.pk])
    assert client.get(url).status_code == 404  # not attended yet
    reg, _c = services.registration_check_in(
        registration_id=reg.pk, official=official_sanggau, now=event.starts_at
    )
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert reg.certificate_number in response["Content-Disposition"]
    page = client.get(reverse("portal:event_registrations")).content.decode()
    assert reg.certificate_number in page and url in page
    client.force_login(other_owner)
    assert client.get(url).status_code == 404


def test_certificate_pdf_text_names_unit_event_and_number(unit, official_sanggau, tmp_path):
    """Read back with pdftotext (poppler-utils, installed by `make packages`)."""
    from portal.attendance_pdf import attendance_certificate_pdf

    event = make_event(title="Pelatihan Pengemasan Produk Pangan")
    reg = make_registration(event, unit)
    reg, _c = services.registration_check_in(
        registration_id=reg.pk, official=official_sanggau, now=event.starts_at
    )
    path = tmp_path / "sertifikat.pdf"
    path.write_bytes(attendance_certificate_pdf(reg))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "SERTIFIKAT KEHADIRAN" in text and "Lempok Durian Mak Iyah" in text
    assert "Pelatihan Pengemasan Produk Pangan" in text
    assert reg.certificate_number in text and "/verifikasi/?nomor=" + reg.certificate_number in text
