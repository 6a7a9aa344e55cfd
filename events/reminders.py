"""Event reminders: the owner of a unit holding a seat is mailed once, within the day before the
event starts (beat runs :func:`event_reminders_send` every hour, ``events.tasks``).

Each registration is reminded once: ``reminded_at`` and the queued mail (``jobs.mail.mail_queue``)
are written in one transaction on a locked row (``skip_locked``: two runs at once share the work,
never mail twice). Not reminded: waitlisted or cancelled registrations, events cancelled or still
drafts, owners without email or with an inactive account.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from jobs.mail import mail_queue

from .models import Registration
from .notifications import reminder_message
from .selectors import reminders_due

AHEAD = datetime.timedelta(days=1)


def _remind(registration_id: int, now: datetime.datetime) -> bool:
    with transaction.atomic():
        reg = (
            reminders_due(now, ahead=AHEAD)
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk=registration_id)
            .first()
        )
        if reg is None:  # reminded meanwhile, or another run holds it
            return False
        mail = mail_queue(message=reminder_message(reg))
        Registration.objects.filter(pk=reg.pk).update(reminded_at=now, reminder_mail=mail)
        return True


def event_reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Queue the reminders due at ``now`` (default: now); idempotent."""
    now = now or timezone.now()
    sent = 0
    for reg_id in list(reminders_due(now, ahead=AHEAD).values_list("pk", flat=True)):
        sent += _remind(reg_id, now)
    return {"sent": sent}
