"""Reads for the officials' work dashboard (the admin home) and the request queue.

Everything is scoped like the lists it links to: a province official counts all of Kalimantan
Barat, a kabupaten/kota official only their own region (``ikm.selectors``). Drafts are the owner's
own business ("Konsep belum terlihat oleh petugas"): they are in no count, chart or queue here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Min, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backoffice import quality
from certifications import workflow
from certifications.models import Request
from ikm.models import Region
from ikm.selectors import filter_by_unit_scope, scope_kabupaten_code, units_in_scope
from jobs.models import Job

S = Request.Status
# The queue groups of ``workflow.QUEUE_GROUPS`` by slug.
QUEUE = {slug: statuses for slug, _label, statuses in workflow.QUEUE_GROUPS}
NEEDS_OFFICIAL = QUEUE["perlu"]
CHART_MONTHS = 12
RECENT_JOBS = 5
# Status colours of the request chart (also the legend's order); drafts are not shown.
CHART_STATUSES = (
    (S.SUBMITTED, "#2f6db5"),
    (S.RESUBMITTED, "#6a9fd8"),
    (S.IN_REVIEW, "#e0a526"),
    (S.RETURNED, "#c8671f"),
    (S.FORWARDED, "#7b5ea7"),
    (S.ISSUED, "#2e8b57"),
    (S.REJECTED, "#b33a3a"),
    (S.WITHDRAWN, "#8a8f98"),
)


def sla_days() -> int:
    return max(1, int(getattr(settings, "REQUEST_SLA_DAYS", 14)))


def sla_level(days: int | None, *, sla: int | None = None) -> str:
    """``ok`` (green) below 70 % of the service level, ``warn`` (amber) up to it, ``late``
    (red) past it."""
    sla = sla or sla_days()
    if days is None:
        return "ok"
    if days > sla:
        return "late"
    if days >= 0.7 * sla:
        return "warn"
    return "ok"


def requests_in_scope(user) -> QuerySet[Request]:
    """Every request an official of this scope sees (drafts excluded)."""
    return filter_by_unit_scope(user, Request.objects.exclude(status=S.DRAFT), "unit")


def waiting_days(submitted_at: datetime.datetime | None, now: datetime.datetime) -> int | None:
    if submitted_at is None:
        return None
    return max(0, (now - submitted_at).days)


def queue(user, *, group: str = "perlu") -> QuerySet[Request]:
    """The request queue, longest waiting first (the oldest (re)submission on top).

    ``group`` is a slug of ``workflow.QUEUE_GROUPS`` (``perlu``: needs an official, ``pemilik``:
    waiting for the owner) or ``semua`` (every request but drafts, decided ones last).
    """
    qs = requests_in_scope(user)
    if group in QUEUE:
        qs = qs.filter(status__in=QUEUE[group])
    decided = Case(
        When(status__in=workflow.DECIDED_STATUSES, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        qs.select_related("unit__desa__parent__parent")
        .annotate(is_decided=decided)
        .order_by("is_decided", F("submitted_at").asc(nulls_last=True), "pk")
    )


@dataclass
class RequestFigures:
    count: int
    oldest_days: int | None
    overdue: int
    sla: int
    level: str


def request_figures(user, *, now: datetime.datetime | None = None) -> RequestFigures:
    """Requests needing an official: how many, the oldest wait, how many are past the SLA."""
    now = now or timezone.now()
    sla = sla_days()
    qs = requests_in_scope(user).filter(status__in=NEEDS_OFFICIAL)
    agg = qs.aggregate(n=Count("pk"), oldest=Min("submitted_at"))
    overdue = qs.filter(submitted_at__lt=now - datetime.timedelta(days=sla)).count()
    oldest = waiting_days(agg["oldest"], now)
    return RequestFigures(
        count=agg["n"],
        oldest_days=oldest,
        overdue=overdue,
        sla=sla,
        level=sla_level(oldest, sla=sla) if agg["n"] else "ok",
    )


@dataclass
class Tile:
    """One item of the dashboard: a number that links to the list behind it."""

    key: str
    label: str
    count: int
    url: str
    note: str = ""
    level: str = ""  # "", "ok", "warn", "late"


@dataclass
class Dashboard:
    scope_name: str
    requests: RequestFigures
    tiles: list[Tile] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    request_chart: dict = field(default_factory=dict)
    unit_chart: dict = field(default_factory=dict)


def _month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    first = today.replace(day=1)
    starts = []
    year, month = first.year, first.month
    for _i in range(months):
        starts.append(datetime.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def request_chart(user, *, today: datetime.date | None = None) -> dict:
    """Requests per month (by the month they were made) and their status now, last 12 months."""
    today = today or timezone.localdate()
    months = _month_starts(today, CHART_MONTHS)
    start = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    rows = (
        requests_in_scope(user)
        .filter(created_at__gte=start)
        .annotate(month=TruncMonth("created_at"))
        .values_list("month", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[datetime.date, str], int] = {}
    for month, status, n in rows:
        key = (timezone.localtime(month).date().replace(day=1) if month else None, status)
        counts[key] = counts.get(key, 0) + n
    datasets = []
    for status, colour in CHART_STATUSES:
        data = [counts.get((m, status), 0) for m in months]
        if any(data):
            datasets.append({"label": str(S(status).label), "data": data, "color": colour})
    labels = [date_format(m, "M Y") for m in months]
    return {
        "labels": labels,
        "datasets": datasets,
        "total": sum(counts.values()),
        # the same figures as a table (for those who read rather than look, and without JS)
        "rows": [(label, [ds["data"][i] for ds in datasets]) for i, label in enumerate(labels)],
    }


def unit_chart(user) -> dict:
    """Units per kab/kota (province official) or per kecamatan (kabupaten/kota official)."""
    units = units_in_scope(user)
    if scope_kabupaten_code(user) is None:
        key, title = "kabupaten_code", _("Unit IKM per kabupaten/kota")
    else:
        key, title = "kecamatan_code", _("Unit IKM per kecamatan")
    rows = list(units.values_list(key).annotate(n=Count("pk")).order_by(key))
    names = dict(
        Region.objects.filter(code__in=[code for code, _n in rows if code]).values_list(
            "code", "name"
        )
    )
    nowhere = _("Tanpa wilayah")
    pairs = sorted(
        ((names.get(code, nowhere) if code else nowhere, n) for code, n in rows),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return {
        "title": str(title),
        "labels": [str(name) for name, _n in pairs],
        "data": [n for _name, n in pairs],
        "total": sum(n for _name, n in pairs),
        "rows": [(str(name), n) for name, n in pairs],
    }


def recent_jobs(user, *, sees_all: bool) -> list[Job]:
    qs = Job.objects.defer("result", "params").select_related("created_by")
    if not sees_all:
        qs = qs.filter(created_by=user)
    return list(qs.order_by("-created_at", "-pk")[:RECENT_JOBS])


def consignment_tiles(user, *, today: datetime.date) -> list[Tile]:
    """The showroom (issue 16): pieces sold this month with their value; settlements not paid."""
    from consignment import selectors as consignment_selectors
    from core.formatting import rupiah

    month = consignment_selectors.month_figures(user, today)
    due = consignment_selectors.settlements_due(user)
    due_count = due.count()
    return [
        Tile(
            "consignment_sales",
            _("Terjual di showroom bulan ini"),
            month.items_sold,
            reverse("admin:consignment_ledgerentry_changelist") + "?kind__exact=sale",
            _("Nilai %(sales)s; hak unit %(owed)s.")
            % {"sales": rupiah(month.sales_total) or "Rp0", "owed": rupiah(month.owed) or "Rp0"},
        ),
        Tile(
            "consignment_due",
            _("Setoran konsinyasi belum lunas"),
            due_count,
            reverse("admin:consignment_settlement_changelist") + "?status__exact=open",
            _("Setoran bulanan yang belum dibayar penuh kepada unit."),
            "warn" if due_count else "",
        ),
    ]


def event_tiles(user) -> list[Tile]:
    """Events (issue 16): upcoming events of the scope and their seats and waitlist."""
    from events.selectors import event_figures

    figures = event_figures(user)
    return [
        Tile(
            "events",
            _("Acara mendatang"),
            figures["upcoming"],
            reverse("admin:events_event_changelist"),
            _("%(registered)s unit terdaftar, %(waitlisted)s di daftar tunggu; %(drafts)s konsep.")
            % figures,
        ),
    ]


def programme_tiles(user) -> list[Tile]:
    """Curation and business matching (issue 16): rounds to score, new buyers' requests."""
    from curation.models import Round
    from curation.services import rounds_in_scope
    from matching.models import BuyerRequest
    from matching.services import requests_in_scope as matching_in_scope

    scoring = rounds_in_scope(user).filter(status=Round.Status.SCORING).count()
    open_rounds = rounds_in_scope(user).filter(status=Round.Status.OPEN).count()
    new = matching_in_scope(user).filter(status=BuyerRequest.Status.NEW).count()
    answered = matching_in_scope(user).filter(status=BuyerRequest.Status.ANSWERED).count()
    return [
        Tile(
            "curation_scoring",
            _("Kurasi menunggu penilaian"),
            scoring,
            reverse("admin:curation_round_changelist") + "?status__exact=scoring",
            _("%(open)s putaran masih membuka pendaftaran.") % {"open": open_rounds},
        ),
        Tile(
            "matching_new",
            _("Permintaan temu bisnis baru"),
            new,
            reverse("admin:matching_buyerrequest_changelist") + "?status__exact=new",
            _("%(answered)s sudah dijawab IKM, menunggu hasil dicatat.") % {"answered": answered},
            "warn" if new else "",
        ),
    ]


def dashboard(
    user, *, scope_name: str, sees_all_jobs: bool, today: datetime.date | None = None
) -> Dashboard:
    """Every figure of the admin home for ``user``'s scope, each with the list it links to."""
    today = today or timezone.localdate()
    figures = request_figures(user)
    expiring_30 = quality.certifications_expiring(user, days=30, today=today).count()
    expiring_90 = quality.certifications_expiring(user, days=90, today=today).count()
    duplicates = len(quality.duplicate_unit_groups(user))
    missing = quality.units_missing_fields(user).count()
    claims = quality.claims_awaiting_verification(user).count()
    units_waiting = quality.units_awaiting_verification(user).count()
    expiring_url = reverse("admin:quality_expiring")
    if figures.oldest_days is None:
        request_note = _("Tidak ada permohonan yang menunggu.")
    else:
        request_note = _(
            "Terlama menunggu %(days)s hari (target %(sla)s hari); %(late)s lewat target."
        ) % {"days": figures.oldest_days, "sla": figures.sla, "late": figures.overdue}
    tiles = [
        Tile(
            "requests",
            _("Permohonan perlu tindakan"),
            figures.count,
            reverse("admin:request_queue"),
            request_note,
            figures.level,
        ),
        Tile(
            "claims",
            _("Klaim unit untuk diputuskan"),
            claims,
            reverse("admin:ikm_unitclaim_changelist") + "?status__exact=pending",
            _("Pemilik yang meminta unitnya dihubungkan ke akun mereka."),
        ),
        Tile(
            "units_waiting",
            _("Unit menunggu verifikasi"),
            units_waiting,
            reverse("admin:ikm_ikmunit_changelist") + "?verified__exact=0",
            _("Unit baru atau diubah pemilik, belum diperiksa petugas."),
        ),
        Tile(
            "expiring_30",
            _("Sertifikat berakhir ≤ 30 hari"),
            expiring_30,
            f"{expiring_url}?hari=30",
            _("Ingatkan pemilik untuk memperpanjang."),
            "warn" if expiring_30 else "",
        ),
        Tile(
            "expiring_90",
            _("Sertifikat berakhir ≤ 90 hari"),
            expiring_90,
            f"{expiring_url}?hari=90",
            _("Termasuk yang berakhir dalam 30 hari."),
        ),
        Tile(
            "duplicates",
            _("Kemungkinan unit ganda"),
            duplicates,
            reverse("admin:quality_duplicates"),
            _("Nama sama di desa yang sama, atau NIK pemilik sama."),
        ),
        Tile(
            "missing",
            _("Unit dengan data belum lengkap"),
            missing,
            reverse("admin:quality_missing"),
            _("Tanpa NIB, tenaga kerja/investasi, kontak atau produk."),
        ),
    ]
    tiles += consignment_tiles(user, today=today)
    tiles += event_tiles(user)
    tiles += programme_tiles(user)
    return Dashboard(
        scope_name=scope_name,
        requests=figures,
        tiles=tiles,
        jobs=recent_jobs(user, sees_all=sees_all_jobs),
        request_chart=request_chart(user, today=today),
        unit_chart=unit_chart(user),
    )
