"""The public agenda of the Griya IKM's events: list (filter by kind and kab/kota), detail,
and iCalendar feeds (all upcoming events, one event)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events import ics
from events.models import Event, EventKind
from events.selectors import public_events, seats_left, upcoming_events, with_sequence
from ikm.models import Region

KABUPATEN_LEVELS = (Region.Level.KABUPATEN, Region.Level.KOTA)


def _kabupaten_choices() -> list[tuple[str, str]]:
    return list(
        Region.objects.filter(level__in=KABUPATEN_LEVELS, parent_id="61")
        .order_by("code")
        .values_list("code", "name")
    )


def event_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("jenis", "")
    kab = request.GET.get("kabkota", "")
    kinds = dict(EventKind.choices)
    kab_choices = _kabupaten_choices()
    errors = []
    if kind and kind not in kinds:
        errors.append(_("Jenis acara “%(value)s” tidak dikenal.") % {"value": kind[:50]})
    if kab and kab not in dict(kab_choices):
        errors.append(_("Kabupaten/kota “%(value)s” tidak dikenal.") % {"value": kab[:50]})
    events = [] if errors else list(upcoming_events(kind=kind, kabupaten=kab))
    for event in events:
        event.seats_left = max(0, event.quota - event.seats_taken)
    return render(
        request,
        "public/event_list.html",
        {
            "events": events,
            "errors": errors,
            "kind": kind,
            "kab": kab,
            "kind_choices": EventKind.choices,
            "kab_choices": kab_choices,
            "crumbs": [(_("Agenda acara"), None)],
        },
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(public_events(), pk=pk)
    now = timezone.now()
    return render(
        request,
        "public/event_detail.html",
        {
            "event": event,
            "seats_left": seats_left(event),
            "open": event.status == Event.Status.PUBLISHED and event.starts_at > now,
            "past": event.ends_at < now,
            "requirements": [
                line.strip() for line in event.requirements.splitlines() if line.strip()
            ],
            "crumbs": [(_("Agenda acara"), reverse("public:event_list")), (event.title, None)],
        },
    )


def _ics_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def events_ics(request: HttpRequest) -> HttpResponse:
    """Every upcoming event (and those cancelled, so subscribers see them go)."""
    events = with_sequence(
        public_events().filter(ends_at__gte=timezone.now()).exclude(status=Event.Status.FINISHED)
    ).order_by("starts_at", "pk")
    return _ics_response(
        ics.calendar(events, name=_("Agenda acara SIPI IKM Kalbar")), "agenda-sipi-ikm.ics"
    )


def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = with_sequence(public_events()).filter(pk=pk).first()
    if event is None:
        raise Http404
    return _ics_response(ics.calendar([event], name=event.title), f"acara-{event.pk}.ics")
