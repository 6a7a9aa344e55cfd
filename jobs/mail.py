"""The mail queue: every mail of the project is a row first, then a Celery task delivers it.

``EMAIL_BACKEND = "jobs.mail.QueuedEmailBackend"`` (the default of ``sipi.settings``): Django's
``send_mail``, ``EmailMessage.send()`` and the password reset form only store an
:class:`~jobs.models.OutboundMail` row, in the sender's transaction (a rolled-back request sends
nothing), and queue ``jobs.deliver_mail`` after commit. The worker sends the row through the real
transport, ``EMAIL_DELIVERY_BACKEND`` (SMTP in production, the console under ``make run``), and
tries again with exponential back-off (``MAIL_RETRY_BASE_SECONDS`` × 2ⁿ) until
``MAIL_MAX_ATTEMPTS`` tries are used up; the row is then ``failed`` and the back-office can queue it
again (:func:`mail_requeue`). A mail server that is down therefore never turns a page into a 500.

Delivery is idempotent: a row is locked while it is sent and a row already sent (or failed) is not
sent again, so a task delivered twice sends once. A worker killed in the middle of an SMTP
conversation may send a mail twice (at least once, never lost); the Message-ID stays the same.
"""

from __future__ import annotations

import base64
import datetime
import logging
from email.mime.base import MIMEBase
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.utils import timezone

from .models import OutboundMail
from .services import queue_task

logger = logging.getLogger(__name__)
M = OutboundMail.Status
DELIVER_TASK = "jobs.deliver_mail"
# A delivery that arrives this long before the row's next try is due is a duplicate: skipped.
EARLY_SLACK = datetime.timedelta(seconds=1)


def _enqueue(mail_id: int) -> None:
    queue_task(DELIVER_TASK, mail_id)


# --- storing ----------------------------------------------------------------------------------
def _attachment(item) -> dict:
    if isinstance(item, MIMEBase):
        raise ValueError("the mail queue stores (filename, content, mimetype) attachments only")
    filename, content, mimetype = item
    if isinstance(content, str):
        content = content.encode()
    return {
        "filename": filename,
        "content_b64": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype,
    }


@transaction.atomic
def mail_queue(*, message: EmailMessage) -> OutboundMail:
    """Store one message and queue its delivery after commit."""
    headers = dict(message.extra_headers)
    # The same Message-ID on every try: a receiving server can tell a repeat.
    if not any(key.lower() == "message-id" for key in headers):
        headers["Message-ID"] = make_msgid(domain=DNS_NAME)
    mail = OutboundMail.objects.create(
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers=headers,
        subject=str(message.subject),
        body=str(message.body),
        alternatives=[
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        attachments=[_attachment(item) for item in message.attachments],
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


class QueuedEmailBackend(BaseEmailBackend):
    """The project's EMAIL_BACKEND: stores the messages (see the module's docstring)."""

    def send_messages(self, email_messages) -> int:
        count = 0
        try:
            with transaction.atomic():
                for message in email_messages:
                    if message.recipients():
                        mail_queue(message=message)
                        count += 1
        except Exception:
            if not self.fail_silently:
                raise
            logger.exception("mail could not be queued")
            return 0
        return count


# --- delivering -------------------------------------------------------------------------------
def to_message(mail: OutboundMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email,
        to=mail.to,
        cc=mail.cc,
        bcc=mail.bcc,
        reply_to=mail.reply_to,
        headers=mail.headers,
        alternatives=[tuple(item) for item in mail.alternatives],
    )
    for item in mail.attachments:
        message.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
    return message


def retry_delay(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failed tries: base, 2×base, 4×base, …"""
    return settings.MAIL_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)


def mail_deliver(mail_id: int) -> float | None:
    """Try to send one queued row once. Returns the seconds until the next try when it failed and
    tries are left, else None (sent, failed for good, or nothing to do).

    The row is locked for the send (``skip_locked``: a duplicate delivery of a row being sent now
    leaves it to the first one)."""
    with transaction.atomic():
        mail = (
            OutboundMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status=M.QUEUED)
            .first()
        )
        if mail is None:
            return None
        now = timezone.now()
        if mail.next_attempt_at and mail.next_attempt_at > now + EARLY_SLACK:
            return None  # a duplicate: the task scheduled for that time (or the beat) sends it
        mail.attempts += 1
        mail.last_attempt_at = now
        try:
            connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
            connection.send_messages([to_message(mail)])
        except Exception as exc:
            mail.last_error = f"{type(exc).__name__}: {exc}"[:4000]
            if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
                mail.status, mail.next_attempt_at, delay = M.FAILED, None, None
                logger.warning("mail %s failed for good: %s", mail.pk, mail.last_error)
            else:
                delay = retry_delay(mail.attempts)
                mail.next_attempt_at = now + datetime.timedelta(seconds=delay)
        else:
            mail.status, mail.sent_at, mail.next_attempt_at, delay = M.SENT, now, None, None
        mail.save(
            update_fields=[
                "status",
                "attempts",
                "last_attempt_at",
                "next_attempt_at",
                "last_error",
                "sent_at",
            ]
        )
        return delay


@transaction.atomic
def mail_requeue(*, mail_ids) -> int:
    """Queue failed mails again with a fresh set of tries ("kirim ulang" in the back-office)."""
    ids = list(
        OutboundMail.objects.select_for_update()
        .filter(pk__in=list(mail_ids), status=M.FAILED)
        .values_list("pk", flat=True)
    )
    OutboundMail.objects.filter(pk__in=ids).update(
        status=M.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )
    for mail_id in ids:
        transaction.on_commit(lambda mail_id=mail_id: _enqueue(mail_id))
    return len(ids)


def mail_maintain(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The beat's chore: queue again the rows whose task was lost (the broker was down at commit,
    or a worker vanished with a scheduled retry), and delete mail sent more than MAIL_KEEP_DAYS
    ago (their bodies hold confirmation and password links)."""
    now = now or timezone.now()
    stuck_before = now - datetime.timedelta(seconds=settings.MAIL_STUCK_SECONDS)
    stuck = list(
        OutboundMail.objects.filter(status=M.QUEUED, next_attempt_at__lt=stuck_before)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    if stuck:
        # Due now: the delivery of an old task, if it still turns up, is then a harmless repeat.
        OutboundMail.objects.filter(pk__in=stuck, status=M.QUEUED).update(next_attempt_at=now)
    for mail_id in stuck:
        _enqueue(mail_id)
    deleted, _ = OutboundMail.objects.filter(
        status=M.SENT, sent_at__lt=now - datetime.timedelta(days=settings.MAIL_KEEP_DAYS)
    ).delete()
    return {"requeued": len(stuck), "deleted": deleted}
