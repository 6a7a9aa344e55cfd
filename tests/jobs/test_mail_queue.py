"""The mail queue (jobs.mail): every mail is a row first, a real worker sends it over real SMTP
(aiosmtpd on loopback) and tries again while the mail server is down; nothing answers 500.

Django's test set-up makes EMAIL_BACKEND locmem for the rest of the suite; these tests opt in to
the project's queued backend with the ``queued_mail`` fixture.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ikm.models import Official
from jobs.mail import mail_deliver, mail_maintain, retry_delay
from jobs.models import OutboundMail
from tests.factories import UserFactory
from tests.support.smtp import free_port
from tests.support.worker import wait_for

User = get_user_model()
M = OutboundMail.Status
PASSWORD = "Lempok-Durian-2026"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def queued_mail(settings):
    settings.EMAIL_BACKEND = "jobs.mail.QueuedEmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def smtp_env(port: int, **extra: str) -> dict[str, str]:
    """A worker that sends through SMTP on 127.0.0.1:port, with fast retries."""
    return {
        "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_TIMEOUT": "5",
        **extra,
    }


def rows():
    return list(OutboundMail.objects.order_by("pk"))


# --- with a real worker and a real SMTP server -------------------------------------------------
def test_sign_up_resend_and_reset_while_the_mail_server_is_down(
    queued_mail,
    start_worker,
    smtp_server,
    client,
):
    port = free_port()  # nothing listens there yet: connection refused
    start_worker(smtp_env(port, MAIL_RETRY_BASE_SECONDS="1", MAIL_MAX_ATTEMPTS="8"))
    email = "siti@example.id"
    form = {
        "full_name": "Siti Aminah",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
    }

    response = client.post(reverse("portal:account_signup"), form)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:account_signup_sent")
    assert User.objects.filter(email=email).count() == 1
    # A second try gets the same answer (issue 13: the address's owner learns by mail; this
    # account is unconfirmed, so that mail is its link again), no second account.
    response = client.post(reverse("portal:account_signup"), form)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:account_signup_sent")
    assert User.objects.filter(email=email).count() == 1

    response = client.post(reverse("portal:account_resend_confirmation"), {"email": email})
    assert response.status_code == 302

    owner = UserFactory(username="pemilik.lupa", email="pemilik.lupa@example.id")
    response = client.post(reverse("portal:password_reset"), {"email": owner.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:password_reset_done")

    assert [m.to for m in rows()] == [[email], [email], [email], [owner.email]]
    # The worker tried each one, recorded why it failed, and keeps it queued for a retry.
    wait_for(lambda: all(m.attempts >= 1 for m in rows()), timeout=30)
    for row in rows():
        assert row.status == M.QUEUED and row.sent_at is None
        assert "ConnectionRefusedError" in row.last_error, row.last_error
        assert row.next_attempt_at > row.last_attempt_at

    # The mail server comes up: the retries deliver every mail, each once.
    server = smtp_server(port)
    wait_for(lambda: all(m.status == M.SENT for m in rows()), timeout=60)
    sent = rows()
    assert all(m.attempts >= 2 and m.sent_at and m.next_attempt_at is None for m in sent)
    assert sorted(rcpt[0] for rcpt, _msg in server.messages) == sorted(
        [email, email, email, owner.email]
    )
    by_id = {msg["Message-ID"]: msg for _rcpt, msg in server.messages}
    assert set(by_id) == {m.headers["Message-ID"] for m in sent}  # one delivery per row
    reset = by_id[sent[3].headers["Message-ID"]]
    assert "/akun/sandi/reset/" in reset.get_content()

    # The delivered confirmation link activates the account.
    body = by_id[sent[0].headers["Message-ID"]].get_content()
    link = re.search(r"https?://\S+/akun/konfirmasi/\S+", body).group(0)
    assert client.get(link).status_code == 302
    assert User.objects.get(email=email).is_active


def test_a_mail_out_of_tries_is_failed_and_province_officials_send_it_again(
    queued_mail,
    start_worker,
    smtp_server,
    client,
    regions,
):
    port = free_port()
    start_worker(smtp_env(port, MAIL_RETRY_BASE_SECONDS="0.2", MAIL_MAX_ATTEMPTS="3"))
    send_mail("Uji antrean", "Isi yang rahasia", None, ["penerima@example.id"])
    failed = wait_for(lambda: OutboundMail.objects.filter(status=M.FAILED).first(), timeout=30)
    assert failed.attempts == 3 and "ConnectionRefusedError" in failed.last_error
    assert failed.sent_at is None and failed.next_attempt_at is None

    province = UserFactory(username="pejabat_prov", is_staff=True)
    Official.objects.create(user=province)
    sanggau = UserFactory(username="pejabat_sanggau", is_staff=True)
    Official.objects.create(user=sanggau, kabupaten_id="61.03")
    changelist = reverse("admin:jobs_outboundmail_changelist")

    # A kab/kota official sees no mail at all.
    client.force_login(sanggau)
    assert client.get(changelist).status_code == 403
    assert changelist not in client.get(reverse("admin:index")).content.decode()

    client.force_login(province)
    assert changelist in client.get(reverse("admin:index")).content.decode()
    page = client.get(changelist, {"status__exact": "failed"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "penerima@example.id" in html and "Uji antrean" in html and "Gagal" in html
    found = client.get(changelist, {"q": "PENERIMA@example"})  # search by recipient
    assert found.status_code == 200 and "Uji antrean" in found.content.decode()
    assert "Uji antrean" not in client.get(changelist, {"q": "orang.lain"}).content.decode()
    detail = client.get(reverse("admin:jobs_outboundmail_change", args=[failed.pk]))
    assert detail.status_code == 200
    assert "ConnectionRefusedError" in detail.content.decode()
    assert "Isi yang rahasia" not in html + detail.content.decode()  # bodies hold links

    # "Kirim ulang" with the server up: a fresh set of tries, delivered once.
    server = smtp_server(port)
    response = client.post(changelist, {"action": "requeue", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    sent = wait_for(lambda: OutboundMail.objects.filter(pk=failed.pk, status=M.SENT).first())
    assert sent.attempts == 1 and sent.sent_at
    assert [rcpt for rcpt, _msg in server.messages] == [["penerima@example.id"]]

    # A row whose task never reached the broker: the beat's chore queues it again.
    lost = OutboundMail.objects.create(
        from_email="noreply@example.id",
        to=["hilang@example.id"],
        subject="Tugas hilang",
        body="x",
        next_attempt_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert mail_maintain() == {"requeued": 1, "deleted": 0}
    wait_for(lambda: OutboundMail.objects.filter(pk=lost.pk, status=M.SENT).exists())
    assert len(server.messages) == 2


# --- the delivery, in-process (the same code the worker runs) ---------------------------------
@pytest.mark.django_db
def test_the_backend_stores_in_the_senders_transaction(queued_mail):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Batal", "x", None, ["a@example.id"])
        raise RuntimeError("the request failed")
    assert not OutboundMail.objects.exists()  # rolled back with the request: nothing to send

    assert send_mail("Tanpa penerima", "x", None, []) == 0
    assert send_mail("Ada", "x", None, ["a@example.id"]) == 1
    row = OutboundMail.objects.get()
    assert row.status == M.QUEUED and row.attempts == 0 and row.next_attempt_at
    assert row.from_email == queued_mail.DEFAULT_FROM_EMAIL
    assert mail.outbox == []  # stored, not sent


@pytest.mark.django_db
def test_delivery_keeps_the_whole_message_and_sends_once(queued_mail):
    queued_mail.EMAIL_DELIVERY_BACKEND = LOCMEM
    message = EmailMultiAlternatives(
        "Perihal",
        "Teks",
        "Dinas <dinas@example.id>",
        ["a@example.id"],
        cc=["b@example.id"],
        bcc=["c@example.id"],
        reply_to=["balas@example.id"],
        headers={"X-Sipi": "1"},
    )
    message.attach_alternative("<p>Teks</p>", "text/html")
    message.attach("daftar.csv", "a,b\n", "text/csv")
    message.send()
    row = OutboundMail.objects.get()

    assert mail_deliver(row.pk) is None
    assert mail_deliver(row.pk) is None  # a duplicate delivery: already sent
    assert len(mail.outbox) == 1
    out = mail.outbox[0]
    assert (out.subject, out.body, out.from_email) == (
        "Perihal",
        "Teks",
        "Dinas <dinas@example.id>",
    )
    assert (out.to, out.cc, out.bcc, out.reply_to) == (
        ["a@example.id"],
        ["b@example.id"],
        ["c@example.id"],
        ["balas@example.id"],
    )
    assert out.alternatives[0][:2] == ("<p>Teks</p>", "text/html")
    assert out.attachments[0][:3] == ("daftar.csv", "a,b\n", "text/csv")
    assert out.extra_headers["X-Sipi"] == "1"
    assert out.message()["Message-ID"] == row.headers["Message-ID"]
    row.refresh_from_db()
    assert row.status == M.SENT and row.attempts == 1 and row.sent_at


@pytest.mark.django_db
def test_failures_back_off_then_fail_and_early_duplicates_wait(queued_mail):
    queued_mail.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    queued_mail.EMAIL_HOST, queued_mail.EMAIL_PORT = "127.0.0.1", free_port()
    queued_mail.EMAIL_USE_TLS = False
    queued_mail.MAIL_RETRY_BASE_SECONDS, queued_mail.MAIL_MAX_ATTEMPTS = 60, 3
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    send_mail("Perihal", "x", None, ["a@example.id"])
    row = OutboundMail.objects.get()

    assert mail_deliver(row.pk) == 60
    row.refresh_from_db()
    assert row.status == M.QUEUED and row.attempts == 1 and "ConnectionRefused" in row.last_error
    assert mail_deliver(row.pk) is None  # early (a duplicate task): the next try is not due
    row.refresh_from_db()
    assert row.attempts == 1

    for attempts, delay in ((2, 120), (3, None)):
        OutboundMail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
        assert mail_deliver(row.pk) == delay
        row.refresh_from_db()
        assert row.attempts == attempts
    assert row.status == M.FAILED and row.next_attempt_at is None


@pytest.mark.django_db
def test_maintenance_deletes_old_sent_mail_only(queued_mail):
    now = timezone.now()
    old = now - datetime.timedelta(days=queued_mail.MAIL_KEEP_DAYS + 1)
    common = {"from_email": "x@example.id", "to": ["a@example.id"], "subject": "s"}
    OutboundMail.objects.create(**common, status=M.SENT, sent_at=old)
    kept = [
        OutboundMail.objects.create(**common, status=M.SENT, sent_at=now),
        OutboundMail.objects.create(**common, status=M.FAILED),
        OutboundMail.objects.create(**common, next_attempt_at=now),  # queued, not late
    ]
    assert mail_maintain(now=now) == {"requeued": 0, "deleted": 1}
    assert sorted(OutboundMail.objects.values_list("pk", flat=True)) == [m.pk for m in kept]
