"""Registrations: quota, waitlist and promotion, scope, idempotent check-in, the certificate
number, cancelling and finishing an event, reminders, and the iCalendar feed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from events import formats, ics, selectors, services, workflow
from events.models import Event, Registration
from events.reminders import event_reminders_send
from jobs.models import OutboundMail
from tests.support.events import KAB_KETAPANG, make_event, make_registration

pytestmark = pytest.mark.django_db

E = Event.Status
R = Registration.Status
HOUR = datetime.timedelta(hours=1)


def _register(event, unit):
    return services.registration_create(event_id=event.pk, unit_id=unit.pk, owner=unit.owner)


# --- quota and waitlist -----------------------------------------------------------------------
def test_quota_then_waitlist_then_promotion_in_order(
    unit_a, unit_b, unit_c, django_capture_on_commit_callbacks, mailoutbox
):
    from tests.factories import UnitFactory, UserFactory

    unit_d = UnitFactory(owner=UserFactory(username="pemilik_d", email="d@example.id"))
    event = make_event(quota=2)
    with django_capture_on_commit_callbacks(execute=True):
        a = _register(event, unit_a)
        b = _register(event, unit_b)
        c = _register(event, unit_c)
        d = _register(event, unit_d)
    assert [a.status, b.status, c.status, d.status] == [R.REGISTERED, R.REGISTERED] + [
        R.WAITLISTED
    ] * 2
    assert selectors.seats_left(event) == 0
    assert sum(m.subject.startswith("Masuk daftar tunggu") for m in mailoutbox) == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration_id=a.pk, owner=unit_a.owner)
    for reg in (a, c, d):
        reg.refresh_from_db()
    assert (a.status, c.status, d.status) == (R.CANCELLED, R.REGISTERED, R.WAITLISTED)
    promoted = c.history.latest()
    assert promoted.history_change_reason.startswith("kursi kosong")
    [mail] = [m for m in mailoutbox if m.subject.startswith("Anda mendapat kursi")]
    assert mail.to == ["c@example.id"]

    # A waitlisted unit cancelling frees no seat: nobody moves.
    services.registration_cancel(registration_id=d.pk, owner=unit_d.owner)
    assert event.registrations.filter(status=R.REGISTERED).count() == 2


def test_raising_the_quota_promotes_into_the_new_seats(unit_a, unit_b, unit_c, official_sanggau):
    event = make_event(quota=1)
    _register(event, unit_a)
    b, c = _register(event, unit_b), _register(event, unit_c)
    Event.objects.filter(pk=event.pk).update(quota=2)
    promoted = services.event_fill_seats(event_id=event.pk, actor=official_sanggau)
    assert [r.pk for r in promoted] == [b.pk]
    b.refresh_from_db(), c.refresh_from_db()
    assert (b.status, c.status) == (R.REGISTERED, R.WAITLISTED)


def test_quota_may_not_drop_below_the_seats_given(unit_a, unit_b):
    event = make_event(quota=5)
    _register(event, unit_a), _register(event, unit_b)
    with pytest.raises(ValidationError):
        services.ensure_quota_holds(event, 1)
    services.ensure_quota_holds(event, 2)  # exactly the seats given: fine


def test_registration_refusals_change_nothing(unit_a, unit_b, owner):
    open_event = make_event()
    _register(open_event, unit_a)
    with pytest.raises(ValidationError, match="sudah terdaftar"):
        _register(open_event, unit_a)
    with pytest.raises(PermissionDenied):  # someone else's unit
        services.registration_create(event_id=open_event.pk, unit_id=unit_b.pk, owner=owner)
    for status in (E.DRAFT, E.CLOSED, E.CANCELLED, E.FINISHED):
        with pytest.raises(ValidationError, match="tidak dibuka"):
            _register(make_event(status=status), unit_a)
    with pytest.raises(ValidationError, match="sudah dimulai"):
        _register(make_event(starts_in=-HOUR), unit_a)
    assert Registration.objects.count() == 1


def test_a_cancelled_registration_may_be_followed_by_a_new_one(unit_a):
    event = make_event()
    first = _register(event, unit_a)
    services.registration_cancel(registration_id=first.pk, owner=unit_a.owner)
    again = _register(event, unit_a)
    assert again.pk != first.pk and again.status == R.REGISTERED


def test_owner_cannot_cancel_after_the_start(unit_a):
    event = make_event()
    reg = _register(event, unit_a)
    with pytest.raises(ValidationError):
        services.registration_cancel(
            registration_id=reg.pk, owner=unit_a.owner, now=event.starts_at + HOUR
        )
    reg.refresh_from_db()
    assert reg.status == R.REGISTERED


# --- scope ------------------------------------------------------------------------------------
def test_officials_act_only_within_their_region(
    official_sanggau, official_ketapang, province_official
):
    sanggau = make_event(status=E.DRAFT)
    province_wide = make_event(status=E.DRAFT, kabupaten=None)
    with pytest.raises(PermissionDenied):
        services.event_publish(event_id=sanggau.pk, official=official_ketapang)
    with pytest.raises(PermissionDenied):
        services.event_publish(event_id=province_wide.pk, official=official_sanggau)
    sanggau.refresh_from_db(), province_wide.refresh_from_db()
    assert sanggau.status == province_wide.status == E.DRAFT
    services.event_publish(event_id=sanggau.pk, official=official_sanggau)
    services.event_publish(event_id=province_wide.pk, official=province_official)
    assert set(selectors.events_in_scope(official_ketapang)) == set()
    assert set(selectors.events_in_scope(official_sanggau)) == {sanggau}
    assert set(selectors.events_in_scope(province_official)) == {sanggau, province_wide}


def test_check_in_out_of_scope_is_refused(unit_a, official_ketapang):
    event = make_event()
    reg = _register(event, unit_a)
    with pytest.raises(PermissionDenied):
        services.registration_check_in(
            registration_id=reg.pk, official=official_ketapang, now=event.starts_at
        )
    reg.refresh_from_db()
    assert reg.status == R.REGISTERED and reg.certificate_number is None


# --- check-in ---------------------------------------------------------------------------------
def test_check_in_is_idempotent_and_gives_one_number(unit_a, official_sanggau):
    event = make_event()
    reg = _register(event, unit_a)
    first, created = services.registration_check_in(
        registration_id=reg.pk, official=official_sanggau, now=event.starts_at
    )
    again, created_again = services.registration_check_in(
        registration_id=reg.pk, official=official_sanggau, now=event.starts_at + HOUR
    )
    assert (created, created_again) == (True, False)
    reg.refresh_from_db()
    assert reg.status == R.ATTENDED
    assert reg.certificate_number == first.certificate_number == again.certificate_number
    assert reg.checked_in_at == event.starts_at
    year = timezone.localtime(event.starts_at).year
    assert re.fullmatch(rf"HDR-{year}-{reg.pk:06d}-[2-9A-HJKMNP-Z]{{4}}", reg.certificate_number)
    assert reg.history.filter(status=R.ATTENDED).count() == 1


def test_check_in_opens_three_hours_before_the_start(unit_a, official_sanggau):
    event = make_event(starts_in=datetime.timedelta(days=3))
    reg = _register(event, unit_a)
    with pytest.raises(ValidationError, match="jam sebelum acara"):
        services.registration_check_in(registration_id=reg.pk, official=official_sanggau)
    with pytest.raises(ValidationError):
        services.registration_check_in(
            registration_id=reg.pk,
            official=official_sanggau,
            now=event.starts_at - 3 * HOUR - datetime.timedelta(seconds=1),
        )
    reg.refresh_from_db()
    assert reg.status == R.REGISTERED
    services.registration_check_in(
        registration_id=reg.pk, official=official_sanggau, now=event.starts_at - 3 * HOUR
    )
    reg.refresh_from_db()
    assert reg.status == R.ATTENDED


def test_check_in_of_a_cancelled_event_is_refused(unit_a, official_sanggau):
    event = make_event()
    reg = make_registration(event, unit_a)
    Event.objects.filter(pk=event.pk).update(status=E.CANCELLED)
    with pytest.raises(ValidationError):
        services.registration_check_in(
            registration_id=reg.pk, official=official_sanggau, now=event.starts_at
        )


def test_a_no_show_checked_in_later_from_the_paper_list(unit_a, official_sanggau):
    event = make_event()
    reg = make_registration(event, unit_a, status=R.NO_SHOW)
    services.registration_check_in(
        registration_id=reg.pk, official=official_sanggau, now=event.ends_at + HOUR
    )
    reg.refresh_from_db()
    assert reg.status == R.ATTENDED and formats.looks_like_attendance_number(reg.certificate_number)


def test_verify_attendance_finds_only_an_exact_attended_number(unit_a, official_sanggau):
    event = make_event()
    reg = _register(event, unit_a)
    reg, _c = services.registration_check_in(
        registration_id=reg.pk, official=official_sanggau, now=event.starts_at
    )
    assert selectors.verify_attendance(f"  {reg.certificate_number.lower()} ") == reg
    wrong = reg.certificate_number[:-1] + ("2" if reg.certificate_number[-1] != "2" else "3")
    assert selectors.verify_attendance(wrong) is None
    assert selectors.verify_attendance("ID61110000123456") is None


# --- cancelling and finishing an event ---------------------------------------------------------
def test_cancelling_an_event_cancels_every_live_seat(
    unit_a, unit_b, unit_c, official_sanggau, django_capture_on_commit_callbacks, mailoutbox
):
    event = make_event(quota=1)
    a, b = _register(event, unit_a), _register(event, unit_b)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event_id=event.pk, official=official_sanggau, reason="Gedung banjir")
    a.refresh_from_db(), b.refresh_from_db()
    assert a.status == b.status == R.CANCELLED
    assert a.history.latest().history_change_reason == "acara dibatalkan"
    mails = [m for m in mailoutbox if m.subject.startswith("Acara dibatalkan")]
    assert len(mails) == 2 and "Gedung banjir" in mails[0].body


def test_finishing_marks_no_shows_and_closes_the_waitlist(unit_a, unit_b, unit_c, official_sanggau):
    event = make_event(quota=2)
    a, b, c = _register(event, unit_a), _register(event, unit_b), _register(event, unit_c)
    services.registration_check_in(
        registration_id=a.pk, official=official_sanggau, now=event.starts_at
    )
    services.event_finish(event_id=event.pk, official=official_sanggau, now=event.ends_at)
    for reg in (a, b, c):
        reg.refresh_from_db()
    assert (a.status, b.status, c.status) == (R.ATTENDED, R.NO_SHOW, R.CANCELLED)


# --- reminders ----------------------------------------------------------------------------------
def test_reminders_go_once_within_the_day_before(unit_a, unit_b, unit_c):
    soon = make_event(quota=2, starts_in=datetime.timedelta(hours=20))
    later = make_event(starts_in=datetime.timedelta(days=3))
    a, b = _register(soon, unit_a), _register(soon, unit_b)
    waiting = _register(soon, unit_c)  # waitlisted: not reminded
    _register(later, unit_c)
    assert waiting.status == R.WAITLISTED
    OutboundMail.objects.all().delete()
    assert event_reminders_send() == {"sent": 2}
    assert event_reminders_send() == {"sent": 0}
    mails = OutboundMail.objects.filter(subject__startswith="Pengingat")
    assert sorted(m.to[0] for m in mails) == sorted([a.unit.owner.email, b.unit.owner.email])
    a.refresh_from_db()
    assert a.reminded_at is not None and a.reminder_mail_id in {m.pk for m in mails}
    # Later, the other event comes within a day: reminded then, once.
    moment = later.starts_at - datetime.timedelta(hours=23)
    assert event_reminders_send(now=moment) == {"sent": 1}
    assert event_reminders_send(now=moment + HOUR) == {"sent": 0}


def test_no_reminder_for_a_cancelled_event_or_an_owner_without_email(unit_a, unit_b):
    event = make_event(starts_in=datetime.timedelta(hours=5))
    _register(event, unit_a)
    unit_b.owner.email = ""
    unit_b.owner.save()
    _register(event, unit_b)
    Event.objects.filter(pk=event.pk).update(status=E.CANCELLED)
    assert event_reminders_send() == {"sent": 0}
    Event.objects.filter(pk=event.pk).update(status=E.PUBLISHED)
    assert event_reminders_send() == {"sent": 1}  # unit_a only


def test_the_beat_schedule_runs_the_reminders():
    from django.conf import settings

    from events.tasks import event_reminders

    entry = settings.CELERY_BEAT_SCHEDULE["event-reminders"]
    assert entry["task"] == event_reminders.name == "events.reminders"


# --- iCalendar ----------------------------------------------------------------------------------
def _unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", "")  # every line ends with CRLF
    return text.replace("\r\n ", "").split("\r\n")


def test_ics_is_rfc5545_folded_escaped_and_utc():
    long_title = "Temu bisnis; IKM, pembeli & eksportir — " + "kerajinan tenun ikat " * 5
    event = make_event(
        title=long_title,
        online_url="https://meet.example.id/abc",
        starts_in=datetime.timedelta(days=2),
    )
    cancelled = make_event(status=E.CANCELLED, title="Pameran batal")
    text = ics.calendar(
        selectors.with_sequence(Event.objects.order_by("pk")),
        name="Agenda",
        now=datetime.datetime(2026, 12, 1, 3, 0, tzinfo=datetime.UTC),
    )
    physical = text.split("\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in physical)
    lines = _unfold(text)
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ics.PRODID}"]
    assert lines.count("BEGIN:VEVENT") == 2 and "DTSTAMP:20261201T030000Z" in lines
    summary = next(line for line in lines if line.startswith("SUMMARY:Temu"))
    assert summary == "SUMMARY:" + long_title.replace(";", "\\;").replace(",", "\\,")
    start = event.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in lines
    assert f"UID:event-{event.pk}@127.0.0.1" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:Cara"))
    assert "\\n\\nDaring: https://meet.example.id/abc" in description
    assert "STATUS:CANCELLED" in lines and "SEQUENCE:0" in lines
    assert f"UID:event-{cancelled.pk}@127.0.0.1" in lines


def test_ics_sequence_grows_with_each_saved_change(official_sanggau):
    event = make_event(status=E.DRAFT)
    services.event_publish(event_id=event.pk, official=official_sanggau)
    services.event_close(event_id=event.pk, official=official_sanggau)
    annotated = selectors.with_sequence(Event.objects.filter(pk=event.pk)).get()
    assert annotated.sequence == 2


def test_fold_never_splits_a_character():
    line = "SUMMARY:" + "é" * 80
    folded = ics.fold(line)
    for part in folded.split("\r\n"):
        assert len(part.encode()) <= 75
        part.encode().decode()  # whole characters only
    assert folded.replace("\r\n ", "") == line


def test_owner_can_cancel_only_live_statuses():
    assert {s for s in R.values if workflow.owner_can_cancel(s)} == {R.REGISTERED, R.WAITLISTED}


def test_event_in_another_region_not_in_kab_scope(official_sanggau):
    make_event(kabupaten=KAB_KETAPANG)
    assert selectors.event_figures(official_sanggau)["upcoming"] == 0


def test_check_in_token_is_stable_and_unforgeable():
    from django.core import signing

    from events.tokens import checkin_token, registration_id_from_token

    token = checkin_token(123)
    assert checkin_token(123) == token and registration_id_from_token(token) == 123
    assert registration_id_from_token(token.replace("MTIz", "MTI0")) is None  # id 124
    assert registration_id_from_token(signing.Signer(salt="other").sign_object(123)) is None
    assert registration_id_from_token("not-a-token") is None
