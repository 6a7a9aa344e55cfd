"""Writes for events and registrations: the life cycles of ``events.workflow``, quota, waitlist.

Each verb is one function: it locks what it changes (the event row first, then a registration,
so two registrations for the last seat are counted one after the other), checks who may act (the
unit's owner, or an official whose scope holds the event), asks the workflow table for the move,
and saves with django-simple-history recording who and why (``_save``). Mail goes out after
commit. A refused move changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ikm.models import IKMUnit
from ikm.selectors import units_in_scope

from . import formats, notifications, workflow
from .models import Event, Registration
from .selectors import events_in_scope, seats_left
from .workflow import Transition

E = Event.Status
R = Registration.Status
# The doors open: attendees are checked in from this long before the start (and any time after).
CHECK_IN_OPENS_BEFORE = datetime.timedelta(hours=3)


# --- who may act --------------------------------------------------------------------------------
def can_manage(user: AbstractBaseUser, event: Event) -> bool:
    return events_in_scope(user).filter(pk=event.pk).exists()


def ensure_can_manage(user: AbstractBaseUser, event: Event) -> None:
    """An official whose scope (province, or the event's kab/kota) holds the event."""
    if not can_manage(user, event):
        raise PermissionDenied(_("Acara ini di luar wilayah kewenangan Anda."))


def _ensure_owner(user: AbstractBaseUser, unit: IKMUnit) -> None:
    if not (user and user.is_authenticated and unit.owner_id == user.pk):
        raise PermissionDenied(_("Hanya pemilik unit yang dapat melakukan ini."))


# --- saving with the audit trail ----------------------------------------------------------------
def _save(obj, fields: list[str], *, actor, reason: str = "") -> None:
    """Save ``fields`` (and updated_at); the history row names ``actor`` and ``reason``."""
    obj._history_user = actor
    obj._change_reason = reason[:100] if reason else None
    obj.save(update_fields=[*fields, "updated_at"])


def _move(obj, step: Transition, *, actor, reason: str = "", fields=()) -> None:
    obj.status = step.to
    _save(obj, ["status", *fields], actor=actor, reason=reason or f"{step.frm} → {step.to}")


def _lock_event(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


def _lock_registration(registration_id: int) -> tuple[Event, Registration]:
    """Lock the registration's event, then the registration (always in this order)."""
    event_id = Registration.objects.values_list("event_id", flat=True).get(pk=registration_id)
    event = _lock_event(event_id)
    reg = (
        Registration.objects.select_for_update()
        .select_related("unit")
        .get(pk=registration_id, event_id=event_id)
    )
    return event, reg


def _notify(reg: Registration, what: str) -> None:
    reg_id = reg.pk
    transaction.on_commit(
        lambda: notifications.notify_registration(registration_id=reg_id, what=what)
    )


def _note_required(note: str, message) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": message}, code="required")
    return note


# --- the waitlist -----------------------------------------------------------------------------
def _promote_waitlist(event: Event, *, actor) -> list[Registration]:
    """Give every free seat to the earliest waitlisted unit (caller holds the event lock)."""
    promoted = []
    free = seats_left(event)
    if free <= 0 or event.status not in (E.PUBLISHED, E.CLOSED):
        return promoted
    waiting = (
        Registration.objects.select_for_update()
        .filter(event=event, status=R.WAITLISTED)
        .order_by("created_at", "pk")[:free]
    )
    for reg in waiting:
        step = workflow.registration_transition(reg.status, R.REGISTERED, workflow.SYSTEM)
        _move(reg, step, actor=actor, reason="kursi kosong: naik dari daftar tunggu")
        _notify(reg, "promoted")
        promoted.append(reg)
    return promoted


@transaction.atomic
def event_fill_seats(*, event_id: int, actor: AbstractBaseUser) -> list[Registration]:
    """After the quota was raised: promote from the waitlist into the new seats."""
    event = _lock_event(event_id)
    return _promote_waitlist(event, actor=actor)


def ensure_quota_holds(event: Event, quota: int) -> None:
    """A quota may not drop below the seats already given (the admin form asks this)."""
    if event.pk is None:
        return
    taken = event.registrations.filter(status__in=workflow.SEAT_STATUSES).count()
    if quota < taken:
        raise ValidationError(
            {
                "quota": _(
                    "Sudah %(taken)d unit mendapat kursi: kuota tidak boleh kurang dari itu. "
                    "Batalkan pendaftaran lebih dulu bila perlu."
                )
                % {"taken": taken}
            }
        )


# --- verbs on an event (official) -------------------------------------------------------------
@transaction.atomic
def event_publish(
    *, event_id: int, official: AbstractBaseUser, now: datetime.datetime | None = None
) -> Event:
    now = now or timezone.now()
    event = _lock_event(event_id)
    ensure_can_manage(official, event)
    step = workflow.event_transition(event.status, E.PUBLISHED, workflow.OFFICIAL)
    if event.status == E.DRAFT and event.starts_at <= now:
        raise ValidationError(
            _("Waktu mulai acara sudah lewat: ubah jadwalnya sebelum diterbitkan."),
            code="past_event",
        )
    _move(event, step, actor=official)
    if step.frm == E.CLOSED:
        _promote_waitlist(event, actor=official)
    return event


@transaction.atomic
def event_close(*, event_id: int, official: AbstractBaseUser) -> Event:
    event = _lock_event(event_id)
    ensure_can_manage(official, event)
    step = workflow.event_transition(event.status, E.CLOSED, workflow.OFFICIAL)
    _move(event, step, actor=official)
    return event


@transaction.atomic
def event_cancel(*, event_id: int, official: AbstractBaseUser, reason: str) -> Event:
    """Cancel the event; every live registration is cancelled and its owner mailed."""
    event = _lock_event(event_id)
    ensure_can_manage(official, event)
    step = workflow.event_transition(event.status, E.CANCELLED, workflow.OFFICIAL)
    reason = _note_required(reason, _("Tulis alasan pembatalan untuk peserta."))
    event.cancel_reason = reason
    _move(event, step, actor=official, reason=reason, fields=["cancel_reason"])
    for reg in Registration.objects.select_for_update().filter(
        event=event, status__in=workflow.LIVE_STATUSES
    ):
        reg_step = workflow.registration_transition(reg.status, R.CANCELLED, workflow.SYSTEM)
        _move(reg, reg_step, actor=official, reason="acara dibatalkan")
        _notify(reg, "event_cancelled")
    return event


@transaction.atomic
def event_finish(
    *, event_id: int, official: AbstractBaseUser, now: datetime.datetime | None = None
) -> Event:
    """The event is over: who held a seat and was not checked in did not come; the waitlist
    is closed."""
    now = now or timezone.now()
    event = _lock_event(event_id)
    ensure_can_manage(official, event)
    step = workflow.event_transition(event.status, E.FINISHED, workflow.OFFICIAL)
    if event.starts_at > now:
        raise ValidationError(
            _("Acara belum dimulai: belum dapat ditandai selesai."), code="not_started"
        )
    _move(event, step, actor=official)
    for reg in Registration.objects.select_for_update().filter(
        event=event, status__in=workflow.LIVE_STATUSES
    ):
        to = R.NO_SHOW if reg.status == R.REGISTERED else R.CANCELLED
        reg_step = workflow.registration_transition(reg.status, to, workflow.SYSTEM)
        _move(reg, reg_step, actor=official, reason="acara selesai")
    return event


# --- verbs on a registration --------------------------------------------------------------------
def _create(event: Event, unit: IKMUnit, actor, now: datetime.datetime) -> Registration:
    """A seat while the quota lasts, else the waitlist (caller holds the event lock)."""
    if event.status not in workflow.OPEN_FOR_REGISTRATION:
        raise ValidationError(_("Pendaftaran acara ini tidak dibuka."), code="not_open")
    if event.starts_at <= now:
        raise ValidationError(
            _("Acara sudah dimulai: pendaftaran ditutup."), code="already_started"
        )
    if Registration.objects.filter(event=event, unit=unit).exclude(status=R.CANCELLED).exists():
        raise ValidationError(
            _("%(unit)s sudah terdaftar pada acara ini."),
            code="already_registered",
            params={"unit": unit.name},
        )
    status = R.REGISTERED if seats_left(event) > 0 else R.WAITLISTED
    reg = Registration(event=event, unit=unit, registered_by=actor, status=status)
    reg._history_user = actor
    reg._change_reason = "pendaftaran"
    reg.save()
    _notify(reg, status)
    return reg


@transaction.atomic
def registration_create(
    *,
    event_id: int,
    unit_id: int,
    owner: AbstractBaseUser,
    now: datetime.datetime | None = None,
) -> Registration:
    """The owner registers their unit: a seat while the quota lasts, else the waitlist (first
    come, first promoted)."""
    event = _lock_event(event_id)
    unit = IKMUnit.objects.get(pk=unit_id)
    _ensure_owner(owner, unit)
    return _create(event, unit, owner, now or timezone.now())


@transaction.atomic
def registration_create_by_official(
    *,
    event_id: int,
    unit_id: int,
    official: AbstractBaseUser,
    now: datetime.datetime | None = None,
) -> Registration:
    """An official registers a unit of their region (by phone, or from a paper form); the same
    quota and waitlist."""
    event = _lock_event(event_id)
    ensure_can_manage(official, event)
    unit = units_in_scope(official).filter(pk=unit_id).first()
    if unit is None:
        raise PermissionDenied(_("Unit IKM ini tidak ada atau di luar wilayah kerja Anda."))
    return _create(event, unit, official, now or timezone.now())


@transaction.atomic
def registration_cancel(
    *, registration_id: int, owner: AbstractBaseUser, now: datetime.datetime | None = None
) -> Registration:
    """The owner gives up a seat or a place on the waitlist; a freed seat goes to the waitlist."""
    now = now or timezone.now()
    event, reg = _lock_registration(registration_id)
    _ensure_owner(owner, reg.unit)
    step = workflow.registration_transition(reg.status, R.CANCELLED, workflow.OWNER)
    if event.starts_at <= now:
        raise ValidationError(
            _("Acara sudah dimulai: pendaftaran tidak dapat dibatalkan lagi."), code="started"
        )
    _move(reg, step, actor=owner)
    if step.frm == R.REGISTERED:
        _promote_waitlist(event, actor=owner)
    return reg


@transaction.atomic
def registration_cancel_by_official(
    *, registration_id: int, official: AbstractBaseUser, note: str
) -> Registration:
    event, reg = _lock_registration(registration_id)
    ensure_can_manage(official, event)
    step = workflow.registration_transition(reg.status, R.CANCELLED, workflow.OFFICIAL)
    note = _note_required(note, _("Tulis alasan pembatalan untuk pemilik."))
    _move(reg, step, actor=official, reason=note)
    _notify(reg, "cancelled_by_official")
    if step.frm == R.REGISTERED:
        _promote_waitlist(event, actor=official)
    return reg


@transaction.atomic
def registration_check_in(
    *,
    registration_id: int,
    official: AbstractBaseUser,
    now: datetime.datetime | None = None,
) -> tuple[Registration, bool]:
    """Record attendance and give the certificate number. Idempotent: a second scan of the
    same QR code changes nothing and returns ``(registration, False)``."""
    now = now or timezone.now()
    event, reg = _lock_registration(registration_id)
    ensure_can_manage(official, event)
    if reg.status == R.ATTENDED:
        return reg, False
    step = workflow.registration_transition(reg.status, R.ATTENDED, workflow.OFFICIAL)
    if event.status not in workflow.CHECK_IN_EVENT_STATUSES:
        raise ValidationError(
            _("Acara berstatus “%(status)s”: kehadiran tidak dapat dicatat."),
            code="event_status",
            params={"status": event.get_status_display()},
        )
    starts = timezone.localtime(event.starts_at)
    if now < event.starts_at - CHECK_IN_OPENS_BEFORE:
        raise ValidationError(
            _("Kehadiran dicatat mulai %(when)s WIB (%(hours)d jam sebelum acara)."),
            code="too_early",
            params={
                "when": date_format(starts - CHECK_IN_OPENS_BEFORE, "j F Y H.i"),
                "hours": CHECK_IN_OPENS_BEFORE.seconds // 3600,
            },
        )
    reg.checked_in_at = now
    reg.checked_in_by = official
    reg.certificate_number = formats.new_number(year=starts.year, sequence=reg.pk)
    _move(
        reg,
        step,
        actor=official,
        reason="hadir",
        fields=["checked_in_at", "checked_in_by", "certificate_number"],
    )
    return reg, True


@transaction.atomic
def registration_mark_no_show(
    *, registration_id: int, official: AbstractBaseUser, now: datetime.datetime | None = None
) -> Registration:
    now = now or timezone.now()
    event, reg = _lock_registration(registration_id)
    ensure_can_manage(official, event)
    step = workflow.registration_transition(reg.status, R.NO_SHOW, workflow.OFFICIAL)
    if event.starts_at > now:
        raise ValidationError(_("Acara belum dimulai."), code="not_started")
    _move(reg, step, actor=official)
    return reg
