"""Events in tests: an event in any status, a registration in any status (rows written directly,
as a fixture; the life cycle itself is driven through ``events.services`` by the tests)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from events import formats
from events.models import Event, EventKind, Registration
from ikm.models import Region

KAB_SANGGAU = "61.03"
KAB_KETAPANG = "61.04"


def make_event(
    *,
    status: str = Event.Status.PUBLISHED,
    kabupaten: str | None = KAB_SANGGAU,
    quota: int = 10,
    starts_in: datetime.timedelta = datetime.timedelta(days=7),
    hours: int = 3,
    title: str = "Pelatihan Pengemasan Produk Pangan",
    kind: str = EventKind.PELATIHAN,
    **fields,
) -> Event:
    starts = timezone.now().replace(microsecond=0) + starts_in
    fields.setdefault("place", "Aula Disperindag, Jl. Sutan Syahrir No. 2")
    return Event.objects.create(
        kind=kind,
        title=title,
        description="Cara mengemas produk pangan agar tahan lama dan menarik.",
        requirements="Membawa NIB\nMembawa satu contoh produk",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        quota=quota,
        kabupaten=Region.objects.get(code=kabupaten) if kabupaten else None,
        status=status,
        **fields,
    )


def make_registration(
    event: Event, unit, *, status: str = Registration.Status.REGISTERED, registered_by=None
):
    if registered_by is None and unit.owner is None:
        from tests.factories import UserFactory

        registered_by = UserFactory(username="pendaftar_acara")
    reg = Registration.objects.create(
        event=event,
        unit=unit,
        registered_by=registered_by or unit.owner,
        status=Registration.Status.REGISTERED,
    )
    if status != Registration.Status.REGISTERED:
        extra = {}
        if status == Registration.Status.ATTENDED:
            extra = {
                "checked_in_at": event.starts_at,
                "certificate_number": formats.new_number(
                    year=timezone.localtime(event.starts_at).year, sequence=reg.pk
                ),
            }
        Registration.objects.filter(pk=reg.pk).update(status=status, **extra)
        reg.refresh_from_db()
    return reg
