"""Every allowed and every refused move of both life cycles, through the services, asserting the
database: an allowed move changes the status and writes a history row naming the actor; a refused
one raises TransitionNotAllowed and leaves the row (and its history) as it was."""

from __future__ import annotations

import datetime

import pytest

from events import services, workflow
from events.models import Event, Registration
from tests.support.events import make_event, make_registration

pytestmark = pytest.mark.django_db

E = Event.Status
R = Registration.Status
HOUR = datetime.timedelta(hours=1)


# --- events: the officials' verbs ---------------------------------------------------------------
def _event_call(to: str):
    def call(event, official):
        if to == E.PUBLISHED:
            return services.event_publish(event_id=event.pk, official=official)
        if to == E.CLOSED:
            return services.event_close(event_id=event.pk, official=official)
        if to == E.CANCELLED:
            return services.event_cancel(event_id=event.pk, official=official, reason="Banjir")
        return services.event_finish(
            event_id=event.pk, official=official, now=event.starts_at + HOUR
        )

    return call


EVENT_CASES = [
    pytest.param(frm, to, id=f"{frm}->{to}")
    for frm in E.values
    for to in (E.PUBLISHED, E.CLOSED, E.CANCELLED, E.FINISHED)
    if frm != to
]


def test_event_table_has_only_official_moves():
    assert all(roles == {workflow.OFFICIAL} for roles in workflow.EVENT_TRANSITIONS.values())
    # Every move of the table is walked below.
    walked = {(c.values[0], c.values[1]) for c in EVENT_CASES}
    assert set(workflow.EVENT_TRANSITIONS) <= walked


@pytest.mark.parametrize(("frm", "to"), EVENT_CASES)
def test_event_transition(frm, to, official_sanggau):
    event = make_event(status=frm)
    before = event.history.count()
    allowed = workflow.event_allowed(frm, to, workflow.OFFICIAL)
    if allowed:
        _event_call(to)(event, official_sanggau)
        event.refresh_from_db()
        assert event.status == to
        latest = event.history.latest()
        assert latest.history_user == official_sanggau and latest.status == to
        assert event.history.count() == before + 1
        if to == E.CANCELLED:
            assert event.cancel_reason == "Banjir"
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            _event_call(to)(event, official_sanggau)
        event.refresh_from_db()
        assert event.status == frm
        assert event.history.count() == before


def test_publishing_a_draft_in_the_past_is_refused(official_sanggau):
    event = make_event(status=E.DRAFT, starts_in=-HOUR)
    with pytest.raises(services.ValidationError):
        services.event_publish(event_id=event.pk, official=official_sanggau)
    event.refresh_from_db()
    assert event.status == E.DRAFT


def test_finishing_before_the_start_is_refused(official_sanggau):
    event = make_event(status=E.PUBLISHED)
    with pytest.raises(services.ValidationError):
        services.event_finish(event_id=event.pk, official=official_sanggau)
    event.refresh_from_db()
    assert event.status == E.PUBLISHED


def test_cancelling_needs_a_reason(official_sanggau):
    event = make_event(status=E.PUBLISHED)
    with pytest.raises(services.ValidationError) as exc:
        services.event_cancel(event_id=event.pk, official=official_sanggau, reason="  ")
    assert "note" in exc.value.error_dict
    event.refresh_from_db()
    assert event.status == E.PUBLISHED and event.cancel_reason == ""


# --- registrations: owner and official verbs ----------------------------------------------------
def _registration_call(to: str, role: str):
    def call(reg, owner, official):
        event = reg.event
        if (to, role) == (R.CANCELLED, workflow.OWNER):
            return services.registration_cancel(registration_id=reg.pk, owner=owner)
        if (to, role) == (R.CANCELLED, workflow.OFFICIAL):
            return services.registration_cancel_by_official(
                registration_id=reg.pk, official=official, note="Dokumen tidak sesuai"
            )
        if (to, role) == (R.ATTENDED, workflow.OFFICIAL):
            return services.registration_check_in(
                registration_id=reg.pk, official=official, now=event.starts_at
            )
        return services.registration_mark_no_show(
            registration_id=reg.pk, official=official, now=event.starts_at + HOUR
        )

    return call


VERBS = [
    (R.CANCELLED, workflow.OWNER),
    (R.CANCELLED, workflow.OFFICIAL),
    (R.ATTENDED, workflow.OFFICIAL),
    (R.NO_SHOW, workflow.OFFICIAL),
]
REGISTRATION_CASES = [
    pytest.param(frm, to, role, id=f"{frm}->{to}-{role}")
    for frm in R.values
    for to, role in VERBS
    if not (frm == to == R.ATTENDED)  # a second check-in: idempotent, tested below
    and frm != to
]


def test_every_move_a_person_makes_is_walked():
    walked = {(c.values[0], c.values[1], c.values[2]) for c in REGISTRATION_CASES}
    people = {
        (frm, to, role)
        for (frm, to), roles in workflow.REGISTRATION_TRANSITIONS.items()
        for role in roles
        if role != workflow.SYSTEM
    }
    assert people <= walked


@pytest.mark.parametrize(("frm", "to", "role"), REGISTRATION_CASES)
def test_registration_transition(frm, to, role, unit_a, owner, official_sanggau):
    # The event: open (a cancellation before it starts); check-in and no-show pass their own
    # ``now`` (the start, or an hour after).
    event = make_event(status=E.PUBLISHED)
    reg = make_registration(event, unit_a, status=frm)
    before = reg.history.count()
    if workflow.registration_allowed(frm, to, role):
        _registration_call(to, role)(reg, owner, official_sanggau)
        reg.refresh_from_db()
        assert reg.status == to
        latest = reg.history.latest()
        assert latest.status == to
        assert latest.history_user == (owner if role == workflow.OWNER else official_sanggau)
        if to == R.ATTENDED:
            assert reg.checked_in_by == official_sanggau and reg.certificate_number
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            _registration_call(to, role)(reg, owner, official_sanggau)
        reg.refresh_from_db()
        assert reg.status == frm
        assert reg.history.count() == before


@pytest.mark.parametrize("frm", R.values)
def test_only_the_system_promotes_from_the_waitlist(frm):
    for role in (workflow.OWNER, workflow.OFFICIAL):
        assert not workflow.registration_allowed(frm, R.REGISTERED, role)
    assert workflow.registration_allowed(frm, R.REGISTERED, workflow.SYSTEM) == (
        frm == R.WAITLISTED
    )


def test_event_verbs_follow_the_table():
    assert [s for s, _l in workflow.event_verbs(E.DRAFT)] == ["terbitkan", "batalkan"]
    assert [s for s, _l in workflow.event_verbs(E.PUBLISHED)] == ["tutup", "selesai", "batalkan"]
    assert [s for s, _l in workflow.event_verbs(E.CLOSED)] == ["buka", "selesai", "batalkan"]
    assert workflow.event_verbs(E.CANCELLED) == [] and workflow.event_verbs(E.FINISHED) == []
