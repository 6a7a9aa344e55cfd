"""Certificate-expiry reminders (certifications.reminders; the beat task
certifications.expiry_reminders): 90, 30 and 7 days ahead, each mailed once through the queue."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from certifications.models import CertificateReminder
from certifications.tasks import expiry_reminders
from jobs.models import OutboundMail
from tests.factories import CertificationFactory, UnitFactory, UserFactory
from tests.support.smtp import free_port
from tests.support.worker import wait_for

TODAY = datetime.date(2026, 3, 2)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def certificates():
    siti = UserFactory(username="siti", email="siti@example.id", first_name="Siti Aminah")
    budi = UserFactory(username="budi", email="budi@example.id")
    no_email = UserFactory(username="tanpa_email", email="")
    unconfirmed = UserFactory(username="belum", email="belum@example.id", is_active=False)
    lempok = UnitFactory(name="Lempok Durian Sanggau", owner=siti)
    amplang = UnitFactory(name="Amplang Ketapang", owner=budi)

    def cert(number, valid_until, unit=lempok, **extra):
        return CertificationFactory(number=number, valid_until=valid_until, unit=unit, **extra)

    return {
        "d90": cert("ID90", days(90)),
        "d30": cert("ID30", days(30), unit=amplang),
        "d7": cert("ID07", days(7)),
        "d45": cert("ID45", days(45)),  # a window missed: caught up with the 90-day one
        "today": cert("ID00", TODAY, unit=amplang),  # the last valid day: the 7-day one
        # none of these:
        "d91": cert("ID91", days(91)),
        "expired": cert("IDEXP", days(-1)),
        "revoked": cert("IDREV", days(7), revoked_at=days(-3), revoked_reason="dicabut"),
        "no_end": cert("IDNOEND", None),
        "no_owner": cert("IDNOOWN", days(30), unit=UnitFactory(owner=None)),
        "no_email": cert("IDNOMAIL", days(30), unit=UnitFactory(owner=no_email)),
        "unconfirmed": cert("IDUNCONF", days(30), unit=UnitFactory(owner=unconfirmed)),
    }


def reminders() -> set[tuple[str, int]]:
    return set(CertificateReminder.objects.values_list("certification__number", "days"))


@pytest.mark.django_db
def test_each_window_is_mailed_once_through_the_queue(certificates):
    assert settings.CELERY_BEAT_SCHEDULE["certificate-expiry-reminders"]["task"] == (
        expiry_reminders.name
    )
    assert expiry_reminders(TODAY.isoformat()) == {"sent": 5}
    assert expiry_reminders(TODAY.isoformat()) == {"sent": 0}  # the same day again: nothing

    assert reminders() == {("ID90", 90), ("ID30", 30), ("ID07", 7), ("ID45", 90), ("ID00", 7)}
    mails = {m.subject: m for m in OutboundMail.objects.all()}
    assert len(mails) == 5 and OutboundMail.objects.count() == 5
    assert all(m.status == OutboundMail.Status.QUEUED and m.attempts == 0 for m in mails.values())
    for reminder in CertificateReminder.objects.select_related("mail", "certification"):
        assert reminder.mail.to == [reminder.email]
        assert reminder.valid_until == reminder.certification.valid_until

    first = mails["Sertifikat Halal ID90 berakhir dalam 90 hari"]
    assert first.to == ["siti@example.id"]
    assert "Yth. Siti Aminah," in first.body
    assert "Sertifikat Halal nomor ID90 milik Lempok Durian Sanggau" in first.body
    assert "berlaku sampai 31 Mei 2026 (90 hari lagi)" in first.body
    assert "BPJPH" in first.body and "/portal/" in first.body
    assert mails["Sertifikat Halal ID30 berakhir dalam 30 hari"].to == ["budi@example.id"]
    assert "berakhir dalam 45 hari" in " ".join(mails)
    last_day = mails["Sertifikat Halal ID00 berakhir hari ini"]
    assert "hari ini hari terakhir" in last_day.body


@pytest.mark.django_db
def test_later_windows_and_a_renewed_certificate_are_mailed_again(certificates):
    expiry_reminders(TODAY.isoformat())
    # Sixty days later ID90 has 30 days left, ID91 has 31 (in the 90-day window now), and ID30
    # was renewed (a new end date) and has 7 left.
    certificates["d30"].valid_until = days(67)
    certificates["d30"].save()
    assert expiry_reminders(days(60).isoformat()) == {"sent": 3}
    assert expiry_reminders(days(60).isoformat()) == {"sent": 0}
    assert reminders() == {
        ("ID90", 90),
        ("ID90", 30),
        ("ID30", 30),
        ("ID30", 7),
        ("ID07", 7),
        ("ID45", 90),
        ("ID00", 7),
        ("ID91", 90),
    }
    assert set(
        CertificateReminder.objects.filter(certification__number="ID30").values_list(
            "valid_until", "days"
        )
    ) == {(days(30), 30), (days(67), 7)}
    assert OutboundMail.objects.count() == 8


def test_the_beat_task_runs_in_the_worker_and_the_owner_receives_the_mail(
    regions, start_worker, smtp_server
):
    """The task by its beat name, in a real worker; the mail reaches a real SMTP server."""
    from sipi.celery import app

    owner = UserFactory(username="siti", email="siti@example.id", first_name="Siti Aminah")
    CertificationFactory(number="ID07", valid_until=days(7), unit=UnitFactory(owner=owner))
    port = free_port()
    server = smtp_server(port)
    start_worker(
        {
            "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }
    )
    task = settings.CELERY_BEAT_SCHEDULE["certificate-expiry-reminders"]["task"]
    app.send_task(task, kwargs={"today": TODAY.isoformat()})
    wait_for(lambda: OutboundMail.objects.filter(status=OutboundMail.Status.SENT).exists())
    assert reminders() == {("ID07", 7)}
    [(rcpt, message)] = server.messages
    assert rcpt == ["siti@example.id"]
    assert message["Subject"] == "Sertifikat Halal ID07 berakhir dalam 7 hari"
    assert "berlaku sampai 9 Maret 2026 (7 hari lagi)" in message.get_content()
