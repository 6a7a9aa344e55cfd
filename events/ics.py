"""iCalendar (RFC 5545) for events, written by hand: a few properties, done carefully.

- lines end with CRLF and are folded at 75 octets (UTF-8, never inside a character), the
  continuation starting with one space (3.1);
- TEXT values escape backslash, semicolon, comma and newline (3.3.11);
- times are UTC (``…Z``, 3.3.5), so no VTIMEZONE is needed; DTSTAMP is the time of the feed;
- each VEVENT has a stable UID (``event-<pk>@<host>``) and a SEQUENCE that grows with every
  saved change (from the audit trail), so a calendar updates rather than duplicates an event;
- a cancelled event stays in the feed with ``STATUS:CANCELLED`` so subscribers see it go.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Event

PRODID = "-//Disperindag Kalbar//SIPI IKM Kalbar//ID"


def escape_text(value: str) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line to 75 octets per physical line (RFC 5545 3.1)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # a continuation line starts with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _host() -> str:
    return urlsplit(getattr(settings, "SITE_URL", "") or "").hostname or "sipi-ikm.kalbarprov.go.id"


def _site(path: str) -> str:
    return (getattr(settings, "SITE_URL", "") or "").rstrip("/") + path


def _vevent(event: Event, stamp: str) -> list[str]:
    location = ", ".join(
        p for p in (event.place, event.kabupaten.name if event.kabupaten else "") if p
    )
    description = event.description
    if event.online_url:
        description += f"\n\n{_('Daring')}: {event.online_url}"
    if event.requirements:
        description += f"\n\n{_('Persyaratan')}:\n{event.requirements}"
    url = _site(event.get_absolute_url())
    description += f"\n\n{url}"
    sequence = max(0, getattr(event, "sequence", 0))
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{_host()}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SEQUENCE:{sequence}",
        f"SUMMARY:{escape_text(event.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"CATEGORIES:{escape_text(event.get_kind_display())}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if event.status == Event.Status.CANCELLED else 'CONFIRMED'}",
        f"LAST-MODIFIED:{utc(event.updated_at)}",
    ]
    if location or event.online_url:
        lines.append(f"LOCATION:{escape_text(location or event.online_url)}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[Event], *, name: str, now: datetime.datetime | None = None) -> str:
    """A VCALENDAR with one VEVENT per event, as the text of a ``text/calendar`` response."""
    stamp = utc(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Asia/Pontianak",
    ]
    for event in events:
        lines += _vevent(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
