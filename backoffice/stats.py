"""Statistics per kab/kota: one selector for the back-office export and the
public home page, so both show the same figures.

``kabupaten_statistics()`` counts, per kab/kota: units by scale and by commodity group, and
certificates by type. By default it counts what the public may see (verified units and the
active certificates of verified units); officials may ask for every unit. Three queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import tablib
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.models import Certification, CertificationType
from core.spreadsheet import escape_formula
from ikm.models import CommodityGroup, IKMUnit, Region, Scale
from ikm.selectors import filter_by_unit_scope, regions_in_scope, units_in_scope

UNKNOWN_SCALE = "tidak_diketahui"


@dataclass
class KabupatenStats:
    code: str
    name: str
    units: int = 0
    by_scale: dict[str, int] = field(default_factory=dict)
    by_group: dict[str, int] = field(default_factory=dict)
    certificates: int = 0
    by_cert_type: dict[str, int] = field(default_factory=dict)


@dataclass
class Statistics:
    rows: list[KabupatenStats]
    total: KabupatenStats
    verified_only: bool


def _scale_keys() -> list[str]:
    return [s.value for s in Scale] + [UNKNOWN_SCALE]


def kabupaten_statistics(
    user=None, *, verified_only: bool = True, today: datetime.date | None = None
) -> Statistics:
    """Figures per kab/kota. ``user`` limits to an official's scope (None: all of Kalbar)."""
    today = today or timezone.localdate()
    regions = Region.objects.filter(level__in=(Region.Level.KABUPATEN, Region.Level.KOTA))
    units = IKMUnit.objects.all()
    certs = Certification.objects.active(today)
    if user is not None:
        regions = regions_in_scope(user, regions)
        units = units_in_scope(user, units)
        certs = filter_by_unit_scope(user, certs, "unit")
    if verified_only:
        units = units.filter(verified=True)
        certs = certs.filter(unit__verified=True)

    unit_aggregates = {"units": Count("pk")}
    for scale in Scale:
        unit_aggregates[f"scale_{scale.value}"] = Count("pk", filter=Q(scale=scale.value))
    unit_aggregates[f"scale_{UNKNOWN_SCALE}"] = Count("pk", filter=Q(scale__isnull=True))
    for group in CommodityGroup:
        unit_aggregates[f"group_{group.value}"] = Count("pk", filter=Q(commodity_group=group))
    unit_rows = {
        row["kabupaten_code"]: row
        for row in units.values("kabupaten_code").annotate(**unit_aggregates).order_by()
    }

    cert_aggregates = {"certificates": Count("pk")}
    for cert_type in CertificationType:
        cert_aggregates[f"type_{cert_type.value}"] = Count("pk", filter=Q(type=cert_type))
    cert_rows = {
        row["unit__kabupaten_code"]: row
        for row in certs.values("unit__kabupaten_code").annotate(**cert_aggregates).order_by()
    }

    rows: list[KabupatenStats] = []
    total = KabupatenStats(code="", name=_("Jumlah"))
    for region in regions.order_by("code"):
        u = unit_rows.get(region.code, {})
        c = cert_rows.get(region.code, {})
        row = KabupatenStats(
            code=region.code,
            name=region.name,
            units=u.get("units", 0),
            by_scale={s: u.get(f"scale_{s}", 0) for s in _scale_keys()},
            by_group={g.value: u.get(f"group_{g.value}", 0) for g in CommodityGroup},
            certificates=c.get("certificates", 0),
            by_cert_type={t.value: c.get(f"type_{t.value}", 0) for t in CertificationType},
        )
        rows.append(row)
    total.units = sum(r.units for r in rows)
    total.certificates = sum(r.certificates for r in rows)
    total.by_scale = {s: sum(r.by_scale[s] for r in rows) for s in _scale_keys()}
    total.by_group = {g.value: sum(r.by_group[g.value] for r in rows) for g in CommodityGroup}
    total.by_cert_type = {
        t.value: sum(r.by_cert_type[t.value] for r in rows) for t in CertificationType
    }
    return Statistics(rows=rows, total=total, verified_only=verified_only)


def statistics_headers() -> list[str]:
    scale_labels = {s.value: str(s.label) for s in Scale}
    scale_labels[UNKNOWN_SCALE] = _("Belum diketahui")
    return (
        [_("Kode wilayah"), _("Kabupaten/kota"), _("Jumlah unit")]
        + [f"{_('Skala')}: {scale_labels[s]}" for s in _scale_keys()]
        + [f"{_('Komoditas')}: {g.label}" for g in CommodityGroup]
        + [_("Jumlah sertifikat")]
        + [f"{_('Sertifikat')}: {t.label}" for t in CertificationType]
    )


def statistics_row_values(row: KabupatenStats) -> list:
    return (
        [row.code, row.name, row.units]
        + [row.by_scale[s] for s in _scale_keys()]
        + list(row.by_group.values())
        + [row.certificates]
        + list(row.by_cert_type.values())
    )


def statistics_dataset(stats: Statistics) -> tablib.Dataset:
    """The statistics as a tablib Dataset (one row per kab/kota, then the total)."""
    dataset = tablib.Dataset(headers=[escape_formula(h) for h in statistics_headers()])
    for row in [*stats.rows, stats.total]:
        dataset.append([escape_formula(v) for v in statistics_row_values(row)])
    dataset.title = _("Statistik IKM")[:31]
    return dataset


@dataclass
class EventKindStats:
    kind: str
    label: str
    events: int = 0
    finished: int = 0
    registered: int = 0
    attended: int = 0
    no_show: int = 0
    waitlisted: int = 0


def event_statistics(user=None) -> list[EventKindStats]:
    """Events per kind in the official's scope (issue 16): aggregates only, no names. Drafts and
    cancelled events are not counted; registrations cancelled neither. Two queries."""
    from events.models import Event, EventKind, Registration
    from events.selectors import events_in_scope, registrations_in_scope

    events = Event.objects.exclude(status__in=(Event.Status.DRAFT, Event.Status.CANCELLED))
    regs = Registration.objects.filter(event__in=events)
    if user is not None:
        events = events_in_scope(user, events)
        regs = registrations_in_scope(user, regs)
    R = Registration.Status
    event_rows = {
        row["kind"]: row
        for row in events.values("kind")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(status=Event.Status.FINISHED)))
        .order_by()
    }
    reg_rows = {
        row["event__kind"]: row
        for row in regs.values("event__kind")
        .annotate(
            seats=Count("pk", filter=Q(status__in=(R.REGISTERED, R.ATTENDED, R.NO_SHOW))),
            attended=Count("pk", filter=Q(status=R.ATTENDED)),
            no_show=Count("pk", filter=Q(status=R.NO_SHOW)),
            waitlisted=Count("pk", filter=Q(status=R.WAITLISTED)),
        )
        .order_by()
    }
    rows = []
    for kind in EventKind:
        e, r = event_rows.get(kind.value, {}), reg_rows.get(kind.value, {})
        rows.append(
            EventKindStats(
                kind=kind.value,
                label=str(kind.label),
                events=e.get("n", 0),
                finished=e.get("done", 0),
                registered=r.get("seats", 0),
                attended=r.get("attended", 0),
                no_show=r.get("no_show", 0),
                waitlisted=r.get("waitlisted", 0),
            )
        )
    return rows


@dataclass
class ProgrammeStats:
    """Curation and business matching in the official's scope (issue 16): aggregates only."""

    rounds_published: int = 0
    submissions: int = 0
    chosen: int = 0
    requests: int = 0
    routed_units: int = 0
    deals: int = 0
    no_deals: int = 0
    deal_value: int = 0


def programme_statistics(user) -> ProgrammeStats:
    """Four queries: rounds, submissions, matching requests, routings."""
    from django.db.models import Sum

    from curation.models import Round, Submission
    from curation.services import rounds_in_scope
    from matching.models import BuyerRequest, Routing
    from matching.services import requests_in_scope

    rounds = rounds_in_scope(user)
    subs = Submission.objects.filter(round__in=rounds).aggregate(
        n=Count("pk", filter=~Q(status=Submission.Status.WITHDRAWN)),
        chosen=Count(
            "pk",
            filter=Q(status=Submission.Status.CHOSEN, round__status=Round.Status.PUBLISHED),
        ),
    )
    reqs = (
        requests_in_scope(user)
        .exclude(status=BuyerRequest.Status.REJECTED)
        .aggregate(
            n=Count("pk"),
            deals=Count("pk", filter=Q(status=BuyerRequest.Status.CLOSED_DEAL)),
            no_deals=Count("pk", filter=Q(status=BuyerRequest.Status.CLOSED_NO_DEAL)),
            value=Sum("deal_value", filter=Q(status=BuyerRequest.Status.CLOSED_DEAL)),
        )
    )
    return ProgrammeStats(
        rounds_published=rounds.filter(status=Round.Status.PUBLISHED).count(),
        submissions=subs["n"],
        chosen=subs["chosen"],
        requests=reqs["n"],
        routed_units=Routing.objects.filter(request__in=requests_in_scope(user)).count(),
        deals=reqs["deals"],
        no_deals=reqs["no_deals"],
        deal_value=reqs["value"] or 0,
    )


@dataclass
class ConsignmentKabupatenStats:
    """The showroom's consignment ledger per kab/kota for a year (issue 16): aggregates only."""

    kabupaten: str
    units: int
    sold: int
    sales: int
    owed: int


def consignment_statistics(user, *, year: int | None = None) -> list[ConsignmentKabupatenStats]:
    """Units with sales, pieces sold, sales value and what units earned, per kab/kota (in scope)."""
    from consignment.selectors import statistics_by_kabupaten

    year = year or timezone.localdate().year
    rows = statistics_by_kabupaten(user, year=year)
    names = dict(
        Region.objects.filter(code__in=[r["kabupaten_code"] for r in rows]).values_list(
            "code", "name"
        )
    )
    return [
        ConsignmentKabupatenStats(
            kabupaten=names.get(r["kabupaten_code"], _("Tanpa wilayah")),
            units=r["units"],
            sold=r["sold"],
            sales=r["sales"],
            owed=r["owed"],
        )
        for r in rows
    ]
