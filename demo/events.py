"""Demo events of the Griya IKM (issue 16), driven through ``events.services`` as officials and
owners would: a finished training in Sanggau with attendees (certificates) and a no-show, an
upcoming bimtek whose quota is full (a waitlist), a province-wide exhibition, an online business
meeting and a draft. The demo owner's unit attended the past one and holds a seat in the next.

Idempotent like the rest of ``seed_demo``: an event whose title exists is left alone.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from events import services
from events.models import Event, EventKind
from ikm.models import IKMUnit, Region

DAY = datetime.timedelta(days=1)


def _at(days: int, hour: int) -> datetime.datetime:
    """``days`` from today at ``hour``:00 in Pontianak."""
    local = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return local + days * DAY


def _event(result, *, title: str, kabupaten: str | None, created_by, **fields) -> Event | None:
    if Event.objects.filter(title=title).exists():
        return None
    event = Event(
        title=title,
        kabupaten=Region.objects.get(code=kabupaten) if kabupaten else None,
        created_by=created_by,
        **fields,
    )
    event._history_user = created_by
    event.save()
    result.created["acara"] += 1
    return event


def _units(kabupaten: str, count: int, *, exclude=()) -> list[IKMUnit]:
    return list(
        IKMUnit.objects.filter(kabupaten_code=kabupaten, verified=True)
        .exclude(pk__in=[u.pk for u in exclude])
        .order_by("pk")[:count]
    )


def seed_events(result, *, province, sanggau, owner) -> None:
    owner_units = list(IKMUnit.objects.filter(owner=owner).order_by("pk")[:1])
    owner_sanggau = [u for u in owner_units if u.kabupaten_code == "61.03"]

    # A finished training in Sanggau: seven attended, one did not come.
    start = _at(-21, 9)
    past = _event(
        result,
        title="Pelatihan Pengemasan dan Label Produk Pangan",
        kind=EventKind.PELATIHAN,
        kabupaten="61.03",
        created_by=sanggau,
        description=(
            "Pelatihan sehari tentang kemasan yang aman dan menarik untuk lempok, dodol dan "
            "madu, serta label yang memenuhi syarat SPP-IRT dan halal."
        ),
        requirements="Membawa NIB\nMembawa satu contoh produk dengan kemasannya sekarang",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=7),
        place="Aula Kantor Bupati Sanggau, Jl. Jend. Sudirman No. 1, Sanggau",
        quota=25,
    )
    if past is not None:
        services.event_publish(event_id=past.pk, official=sanggau, now=start - 14 * DAY)
        units = owner_sanggau + _units("61.03", 8 - len(owner_sanggau), exclude=owner_sanggau)
        regs = []
        for unit in units:
            if unit.owner_id == owner.pk:
                reg = services.registration_create(
                    event_id=past.pk, unit_id=unit.pk, owner=owner, now=start - 7 * DAY
                )
            else:
                reg = services.registration_create_by_official(
                    event_id=past.pk, unit_id=unit.pk, official=sanggau, now=start - 7 * DAY
                )
            regs.append(reg)
        for number, reg in enumerate(regs[:-1]):
            services.registration_check_in(
                registration_id=reg.pk,
                official=sanggau,
                now=start + datetime.timedelta(minutes=5 * number),
            )
        services.event_finish(event_id=past.pk, official=sanggau, now=start + 8 * DAY / 24)
        result.created["pendaftaran acara"] += len(regs)

    # An upcoming bimtek in Sanggau, quota 5, seven registered: two wait (a smaller demo keeps
    # the two on the waitlist with a smaller quota).
    taken = owner_sanggau[:1]
    others = _units("61.03", 7 - len(taken), exclude=taken)
    start = _at(10, 8)
    bimtek = _event(
        result,
        title="Bimtek Sertifikasi Halal Jalur Pernyataan Mandiri (Self-Declare)",
        kind=EventKind.BIMTEK,
        kabupaten="61.03",
        created_by=sanggau,
        description=(
            "Pendampingan menyiapkan berkas halal self-declare di SIHALAL bersama pendamping "
            "proses produk halal (P3H): daftar bahan, alur produksi, dan ikrar halal."
        ),
        requirements=(
            "Usaha mikro atau kecil dengan NIB\nProduk pangan tanpa bahan kritis\n"
            "Membawa KTP dan ponsel dengan akun SIHALAL"
        ),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=8),
        place="Rumah Kreatif Sanggau, Jl. A. Yani, Sanggau",
        quota=max(1, min(5, len(taken) + len(others) - 2)),
    )
    if bimtek is not None:
        services.event_publish(event_id=bimtek.pk, official=sanggau)
        for unit in taken:
            services.registration_create(event_id=bimtek.pk, unit_id=unit.pk, owner=owner)
        for unit in others:
            services.registration_create_by_official(
                event_id=bimtek.pk, unit_id=unit.pk, official=sanggau
            )
        result.created["pendaftaran acara"] += len(taken) + len(others)

    # A province-wide exhibition at the Griya IKM in Pontianak.
    start = _at(25, 9)
    fair = _event(
        result,
        title="Pameran Produk Unggulan IKM Kalimantan Barat",
        kind=EventKind.PAMERAN,
        kabupaten=None,
        created_by=province,
        description=(
            "Tiga hari pameran di Griya IKM: stan gratis untuk IKM binaan, kurasi produk di "
            "tempat, dan temu langsung dengan pembeli."
        ),
        requirements="Produk sudah tayang di katalog SIPI IKM Kalbar\nMembawa stok secukupnya",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=2, hours=8),
        place="Griya IKM, Jl. Sutan Syahrir, Pontianak",
        quota=40,
    )
    if fair is not None:
        services.event_publish(event_id=fair.pk, official=province)
        for unit in _units("61.71", 6) + _units("61.72", 3):
            services.registration_create_by_official(
                event_id=fair.pk, unit_id=unit.pk, official=province
            )
        result.created["pendaftaran acara"] += 9

    # An online business meeting of Kota Singkawang.
    start = _at(5, 13)
    meeting = _event(
        result,
        title="Temu Bisnis Daring: IKM Keramik dan Pembeli Ritel Modern",
        kind=EventKind.TEMU_BISNIS,
        kabupaten="61.72",
        created_by=province,
        description="Pertemuan daring antara perajin keramik Singkawang dan pembeli ritel modern.",
        requirements="Katalog produk dalam PDF\nDaftar harga grosir",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        online_url="https://meet.example.id/temu-bisnis-keramik",
        quota=20,
    )
    if meeting is not None:
        services.event_publish(event_id=meeting.pk, official=province)

    # A draft, not public yet.
    start = _at(40, 9)
    _event(
        result,
        title="Pelatihan Pemasaran Digital untuk IKM Sanggau",
        kind=EventKind.PELATIHAN,
        kabupaten="61.03",
        created_by=sanggau,
        description="Foto produk dengan ponsel, toko di marketplace, dan iklan berbayar.",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        place="Aula Disperindag Kabupaten Sanggau",
        quota=30,
    )
