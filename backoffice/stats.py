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
