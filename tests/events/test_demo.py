"""The demo events (demo/events.py through seed_demo): a finished training with certificates and
a no-show, a bimtek with a waitlist, public events in the agenda; a second run adds nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from events.models import Event, Registration
from events.selectors import verify_attendance
from tests.support.requests import file_roots  # noqa: F401 - fixture (media and private in tmp)

pytestmark = pytest.mark.django_db
R = Registration.Status


def test_seed_demo_makes_events_in_every_state(file_roots):  # noqa: F811
    from demo.seed import OWNER_USERNAME, seed_demo

    seed_demo(scale=0.1, photos=False)
    past = Event.objects.get(title__startswith="Pelatihan Pengemasan")
    assert past.status == Event.Status.FINISHED
    statuses = list(past.registrations.values_list("status", flat=True))
    assert len(statuses) >= 3  # (eight at full scale; a small demo has fewer Sanggau units)
    assert statuses.count(R.ATTENDED) == len(statuses) - 1 and statuses.count(R.NO_SHOW) == 1
    for reg in past.registrations.filter(status=R.ATTENDED):
        assert verify_attendance(reg.certificate_number) == reg
    bimtek = Event.objects.get(title__startswith="Bimtek Sertifikasi Halal")
    assert bimtek.status == Event.Status.PUBLISHED and bimtek.quota <= 5
    assert bimtek.registrations.filter(status=R.REGISTERED).count() == bimtek.quota
    assert bimtek.registrations.filter(status=R.WAITLISTED).count() == 2
    assert Event.objects.filter(status=Event.Status.DRAFT).count() == 1
    assert Event.objects.filter(kabupaten__isnull=True).count() == 1
    owner = get_user_model().objects.get(username=OWNER_USERNAME)
    mine = Registration.objects.filter(unit__owner=owner)
    if owner.ikm_units.filter(kabupaten_code="61.03").exists():
        assert set(mine.values_list("status", flat=True)) == {R.ATTENDED, R.REGISTERED}
    events, regs = Event.objects.count(), Registration.objects.count()
    seed_demo(scale=0.1, photos=False)
    assert (Event.objects.count(), Registration.objects.count()) == (events, regs)
