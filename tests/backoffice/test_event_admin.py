"""Events in the back-office: scoped lists, verbs as buttons, the attendee list's check-in
action, and the phone check-in page the QR code opens (idempotent, audited)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from events.tokens import checkin_token
from tests.factories import UnitFactory
from tests.support.events import KAB_KETAPANG, make_event, make_registration

pytestmark = pytest.mark.django_db
E = Event.Status
R = Registration.Status


def test_kab_official_sees_only_their_regions_events(client, official_sanggau, province_official):
    make_event(title="Pelatihan Sanggau")
    make_event(title="Pameran Ketapang", kabupaten=KAB_KETAPANG)
    make_event(title="Pameran Provinsi", kabupaten=None)
    url = reverse("admin:events_event_changelist")
    client.force_login(official_sanggau)
    text = client.get(url).content.decode()
    assert "Pelatihan Sanggau" in text
    assert "Pameran Ketapang" not in text and "Pameran Provinsi" not in text
    client.force_login(province_official)
    text = client.get(url).content.decode()
    assert all(t in text for t in ("Pelatihan Sanggau", "Pameran Ketapang", "Pameran Provinsi"))


def test_kab_official_adds_an_event_in_their_region_only(client, official_sanggau):
    client.force_login(official_sanggau)
    now = timezone.localtime() + timezone.timedelta(days=5)
    data = {
        "kind": "pelatihan",
        "title": "Pelatihan Label Halal",
        "description": "Label.",
        "requirements": "",
        "starts_at_0": now.strftime("%Y-%m-%d"),
        "starts_at_1": "09:00:00",
        "ends_at_0": now.strftime("%Y-%m-%d"),
        "ends_at_1": "12:00:00",
        "place": "Aula Sanggau",
        "online_url": "",
        "quota": "10",
        "kabupaten": KAB_KETAPANG,
    }
    url = reverse("admin:events_event_add")
    response = client.post(url, data)
    assert response.status_code == 200 and not Event.objects.exists()
    assert "di luar wilayah kerja Anda" in response.content.decode()
    response = client.post(url, {**data, "kabupaten": "61.03"})
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.status == E.DRAFT and event.created_by == official_sanggau
    assert event.history.get().history_user == official_sanggau


def test_event_without_place_or_link_is_refused_with_a_message(client, official_sanggau):
    client.force_login(official_sanggau)
    day = (timezone.localtime() + timezone.timedelta(days=5)).strftime("%Y-%m-%d")
    response = client.post(
        reverse("admin:events_event_add"),
        {
            "kind": "bimtek",
            "title": "Bimtek",
            "description": "x",
            "starts_at_0": day,
            "starts_at_1": "12:00:00",
            "ends_at_0": day,
            "ends_at_1": "09:00:00",
            "place": "",
            "online_url": "",
            "quota": "10",
            "kabupaten": "61.03",
        },
    )
    text = response.content.decode()
    assert "Isi tempat, tautan daring, atau keduanya." in text
    assert "Waktu selesai harus sesudah waktu mulai." in text
    assert not Event.objects.exists()


def test_publish_button_and_cancel_with_reason(client, official_sanggau):
    event = make_event(status=E.DRAFT)
    client.force_login(official_sanggau)
    page = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert reverse("admin:events_event_verb", args=[event.pk, "terbitkan"]) in page
    client.post(reverse("admin:events_event_verb", args=[event.pk, "terbitkan"]))
    event.refresh_from_db()
    assert event.status == E.PUBLISHED
    cancel = reverse("admin:events_event_verb", args=[event.pk, "batalkan"])
    response = client.post(cancel, {"note": ""})
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.status == E.PUBLISHED
    client.post(cancel, {"note": "Gedung tidak tersedia"})
    event.refresh_from_db()
    assert (event.status, event.cancel_reason) == (E.CANCELLED, "Gedung tidak tersedia")
    # A refused move is a message, not an error page.
    response = client.post(
        reverse("admin:events_event_verb", args=[event.pk, "tutup"]), follow=True
    )
    assert "tidak dapat diubah" in response.content.decode()


def test_lowering_the_quota_below_the_seats_given_is_refused(client, official_sanggau):
    event = make_event(quota=3)
    for _ in range(2):
        make_registration(event, UnitFactory())
    client.force_login(official_sanggau)
    url = reverse("admin:events_event_change", args=[event.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "starts_at_0": timezone.localtime(event.starts_at).strftime("%Y-%m-%d"),
            "starts_at_1": timezone.localtime(event.starts_at).strftime("%H:%M:%S"),
            "ends_at_0": timezone.localtime(event.ends_at).strftime("%Y-%m-%d"),
            "ends_at_1": timezone.localtime(event.ends_at).strftime("%H:%M:%S"),
            "quota": "1",
            "kabupaten": "61.03",
        }
    )
    response = client.post(url, data)
    assert "kuota tidak boleh kurang dari itu" in response.content.decode()
    event.refresh_from_db()
    assert event.quota == 3


def test_check_in_from_the_attendee_list(client, official_sanggau):
    event = make_event(starts_in=timezone.timedelta(hours=1))
    regs = [make_registration(event, UnitFactory()) for _ in range(2)]
    waiting = make_registration(event, UnitFactory(), status=R.WAITLISTED)
    client.force_login(official_sanggau)
    url = reverse("admin:events_registration_changelist") + f"?acara={event.pk}"
    response = client.post(
        url,
        {
            "action": "action_check_in",
            "_selected_action": [r.pk for r in regs] + [waiting.pk],
        },
        follow=True,
    )
    text = response.content.decode()
    assert "2 peserta dicatat hadir." in text and "tidak dapat diubah" in text
    for reg in regs:
        reg.refresh_from_db()
        assert reg.status == R.ATTENDED and reg.checked_in_by == official_sanggau
    waiting.refresh_from_db()
    assert waiting.status == R.WAITLISTED


def test_phone_check_in_page_is_idempotent_and_audited(client, official_sanggau):
    event = make_event(starts_in=timezone.timedelta(hours=1))
    reg = make_registration(event, UnitFactory(name="Keramik Sakkok"))
    url = reverse("admin:events_registration_checkin", args=[checkin_token(reg.pk)])
    client.force_login(official_sanggau)
    page = client.get(url).content.decode()
    assert "Keramik Sakkok" in page and "Catat hadir" in page
    reg.refresh_from_db()
    assert reg.status == R.REGISTERED  # a GET changes nothing
    response = client.post(url, follow=True)
    assert "Keramik Sakkok dicatat hadir." in response.content.decode()
    reg.refresh_from_db()
    number = reg.certificate_number
    assert reg.status == R.ATTENDED and number
    response = client.post(url, follow=True)
    assert "sudah tercatat hadir sebelumnya" in response.content.decode()
    reg.refresh_from_db()
    assert reg.certificate_number == number
    assert list(reg.history.filter(status=R.ATTENDED).values_list("history_user", flat=True)) == [
        official_sanggau.pk
    ]


def test_check_in_page_refuses_a_forged_token_and_another_region(client, official_ketapang):
    event = make_event(starts_in=timezone.timedelta(hours=1))
    reg = make_registration(event, UnitFactory())
    client.force_login(official_ketapang)
    good = reverse("admin:events_registration_checkin", args=[checkin_token(reg.pk)])
    assert client.get(good).status_code == 404
    assert client.post(good).status_code == 404
    forged = reverse("admin:events_registration_checkin", args=[f"{reg.pk}:abc"])
    assert client.get(forged).status_code == 404
    reg.refresh_from_db()
    assert reg.status == R.REGISTERED


def test_dashboard_tile_and_statistics_count_events(client, official_sanggau):
    event = make_event(quota=1)
    make_registration(event, UnitFactory())
    make_registration(event, UnitFactory(), status=R.WAITLISTED)
    make_event(kabupaten=KAB_KETAPANG)
    client.force_login(official_sanggau)
    page = client.get(reverse("admin:index"))
    tile = next(t for t in page.context["dashboard"].tiles if t.key == "events")
    assert tile.count == 1 and "1 unit terdaftar, 1 di daftar tunggu" in str(tile.note)
    stats = client.get(reverse("admin:statistics")).context["event_rows"]
    row = next(r for r in stats if r.kind == "pelatihan")
    assert (row.events, row.registered, row.waitlisted) == (1, 1, 1)


def test_event_and_attendee_lists_do_a_fixed_number_of_queries(
    client, official_sanggau, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(official_sanggau)
    urls = [
        reverse("admin:events_event_changelist"),
        reverse("admin:events_registration_changelist"),
    ]
    for _ in range(2):
        make_registration(make_event(), UnitFactory())
    few = {url: count(url) for url in urls}
    for _ in range(6):
        event = make_event()
        make_registration(event, UnitFactory()), make_registration(event, UnitFactory())
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            client.get(url)
