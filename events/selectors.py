"""Reads: events an official may manage (scope), the public agenda, seats, verification."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ikm.selectors import scope_kabupaten_code

from . import formats, workflow
from .models import Event, Registration

R = Registration.Status
E = Event.Status


def events_in_scope(user, queryset: QuerySet[Event] | None = None) -> QuerySet[Event]:
    """Province officials (and superusers) see every event; a kab/kota official only the events
    of their own kab/kota (not province-wide ones); anyone else none."""
    queryset = Event.objects.all() if queryset is None else queryset
    try:
        code = scope_kabupaten_code(user)
    except PermissionError:
        return queryset.none()
    return queryset if code is None else queryset.filter(kabupaten_id=code)


def registrations_in_scope(user, queryset: QuerySet[Registration] | None = None):
    queryset = Registration.objects.all() if queryset is None else queryset
    try:
        code = scope_kabupaten_code(user)
    except PermissionError:
        return queryset.none()
    return queryset if code is None else queryset.filter(event__kabupaten_id=code)


def with_seats(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate ``seats_taken`` and ``waitlisted`` (one query with the list)."""
    return queryset.annotate(
        seats_taken=Count(
            "registrations", filter=Q(registrations__status__in=workflow.SEAT_STATUSES)
        ),
        waitlisted=Count("registrations", filter=Q(registrations__status=R.WAITLISTED)),
    )


def seats_taken(event: Event) -> int:
    return event.registrations.filter(status__in=workflow.SEAT_STATUSES).count()


def seats_left(event: Event) -> int:
    return max(0, event.quota - seats_taken(event))


def public_events() -> QuerySet[Event]:
    return Event.objects.filter(status__in=workflow.PUBLIC_STATUSES).select_related("kabupaten")


def upcoming_events(
    *, kind: str = "", kabupaten: str = "", now: datetime.datetime | None = None
) -> QuerySet[Event]:
    """The public agenda: events not yet ended that are open or closed for registration."""
    now = now or timezone.now()
    qs = Event.objects.filter(status__in=(E.PUBLISHED, E.CLOSED), ends_at__gte=now).select_related(
        "kabupaten"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if kabupaten:
        qs = qs.filter(kabupaten_id=kabupaten)
    return with_seats(qs).order_by("starts_at", "pk")


def owner_registrations(user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(unit__owner=user)
        .select_related("event__kabupaten", "unit")
        .order_by("-event__starts_at", "-pk")
    )


def verify_attendance(number: str) -> Registration | None:
    """The attended registration holding this certificate number, or None."""
    number = formats.normalise(number)
    if not formats.looks_like_attendance_number(number):
        return None
    return (
        Registration.objects.filter(certificate_number=number, status=R.ATTENDED)
        .select_related("event__kabupaten", "unit__desa__parent__parent")
        .first()
    )


def reminders_due(now: datetime.datetime, *, ahead: datetime.timedelta) -> QuerySet[Registration]:
    """Registrations holding a seat at an event starting within ``ahead``, not yet reminded."""
    return (
        Registration.objects.filter(
            status=R.REGISTERED,
            reminded_at__isnull=True,
            event__status__in=(E.PUBLISHED, E.CLOSED),
            event__starts_at__gt=now,
            event__starts_at__lte=now + ahead,
            unit__owner__is_active=True,
        )
        .exclude(unit__owner__email="")
        .select_related("event", "unit__owner")
        .order_by("event__starts_at", "pk")
    )


def event_figures(user, *, now: datetime.datetime | None = None) -> dict[str, int]:
    """The dashboard's figures for an official's scope: upcoming events and their seats."""
    now = now or timezone.now()
    events = events_in_scope(user).filter(
        status__in=(E.DRAFT, E.PUBLISHED, E.CLOSED), ends_at__gte=now
    )
    regs = registrations_in_scope(user).filter(event__in=events)
    agg = regs.aggregate(
        registered=Count("pk", filter=Q(status=R.REGISTERED)),
        waitlisted=Count("pk", filter=Q(status=R.WAITLISTED)),
    )
    return {
        "upcoming": events.count(),
        "drafts": events.filter(status=E.DRAFT).count(),
        "registered": agg["registered"],
        "waitlisted": agg["waitlisted"],
    }


def with_sequence(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate ``sequence``: how many times the event was saved since it was created (the
    iCalendar SEQUENCE, from the audit trail)."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    history = (
        Event.history.model.objects.filter(id=OuterRef("pk"))
        .order_by()
        .values("id")
        .annotate(n=Count("history_id"))
        .values("n")
    )
    return queryset.annotate(
        sequence=Coalesce(Subquery(history, output_field=IntegerField()), 1) - 1
    )
