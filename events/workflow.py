"""The meaning of an event's and a registration's status, in one place: who may move it where.

``events.services`` is the only writer: each verb asks :func:`event_transition` or
:func:`registration_transition` for the move (which checks the table once and raises
:class:`TransitionNotAllowed`), validates its own input, then applies it.

Roles: ``owner`` (the unit's owner, in the portal), ``official`` (an official whose scope holds
the event, in the back-office), ``system`` (a consequence of another move: a freed seat promotes
the first of the waitlist; finishing an event marks who did not come; cancelling it cancels every
seat).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, check
from core.workflow import TransitionNotAllowed as TransitionNotAllowed  # callers catch it here

from .models import Event, Registration

E = Event.Status
R = Registration.Status
OWNER = "owner"
OFFICIAL = "official"
SYSTEM = "system"

# (from, to) -> who may make that move.
EVENT_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (E.DRAFT, E.PUBLISHED): frozenset({OFFICIAL}),
    (E.PUBLISHED, E.CLOSED): frozenset({OFFICIAL}),
    (E.CLOSED, E.PUBLISHED): frozenset({OFFICIAL}),
    (E.DRAFT, E.CANCELLED): frozenset({OFFICIAL}),
    (E.PUBLISHED, E.CANCELLED): frozenset({OFFICIAL}),
    (E.CLOSED, E.CANCELLED): frozenset({OFFICIAL}),
    (E.PUBLISHED, E.FINISHED): frozenset({OFFICIAL}),
    (E.CLOSED, E.FINISHED): frozenset({OFFICIAL}),
}

# A registration's first status is REGISTERED (a seat was free) or WAITLISTED (it was not).
REGISTRATION_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (R.REGISTERED, R.CANCELLED): frozenset({OWNER, OFFICIAL, SYSTEM}),
    (R.WAITLISTED, R.CANCELLED): frozenset({OWNER, OFFICIAL, SYSTEM}),
    (R.WAITLISTED, R.REGISTERED): frozenset({SYSTEM}),
    (R.REGISTERED, R.ATTENDED): frozenset({OFFICIAL}),
    (R.NO_SHOW, R.ATTENDED): frozenset({OFFICIAL}),  # checked in from the paper list afterwards
    (R.REGISTERED, R.NO_SHOW): frozenset({OFFICIAL, SYSTEM}),
}

# Owners may register while the event is open; its seats are counted in these statuses.
OPEN_FOR_REGISTRATION = (E.PUBLISHED,)
SEAT_STATUSES = (R.REGISTERED, R.ATTENDED, R.NO_SHOW)
LIVE_STATUSES = (R.REGISTERED, R.WAITLISTED)
# Check-in happens while the event runs (or, from a paper list, after it finished).
CHECK_IN_EVENT_STATUSES = (E.PUBLISHED, E.CLOSED, E.FINISHED)
# Shown on the public agenda and detail page.
PUBLIC_STATUSES = (E.PUBLISHED, E.CLOSED, E.CANCELLED, E.FINISHED)

# The officials' verbs on an event: slug -> (button label, target status).
EVENT_VERBS: dict[str, tuple[object, str]] = {
    "terbitkan": (_("Terbitkan dan buka pendaftaran"), E.PUBLISHED),
    "tutup": (_("Tutup pendaftaran"), E.CLOSED),
    "buka": (_("Buka lagi pendaftaran"), E.PUBLISHED),
    "selesai": (_("Tandai selesai"), E.FINISHED),
    "batalkan": (_("Batalkan acara"), E.CANCELLED),
}


def event_transition(status: str, to: str, role: str) -> Transition:
    return check(EVENT_TRANSITIONS, E, status, to, role)


def registration_transition(status: str, to: str, role: str) -> Transition:
    return check(REGISTRATION_TRANSITIONS, R, status, to, role)


def event_allowed(status: str, to: str, role: str) -> bool:
    return role in EVENT_TRANSITIONS.get((status, to), ())


def registration_allowed(status: str, to: str, role: str) -> bool:
    return role in REGISTRATION_TRANSITIONS.get((status, to), ())


def event_verbs(status: str) -> list[tuple[str, object]]:
    """(slug, label) of the verbs an official may use on an event in ``status``.

    "buka" and "terbitkan" both lead to PUBLISHED: each is offered from its own status only."""
    verbs = []
    for slug, (label, target) in EVENT_VERBS.items():
        if not event_allowed(status, target, OFFICIAL):
            continue
        if (slug == "terbitkan" and status != E.DRAFT) or (slug == "buka" and status != E.CLOSED):
            continue
        verbs.append((slug, label))
    return verbs


def owner_can_cancel(status: str) -> bool:
    return registration_allowed(status, R.CANCELLED, OWNER)
