"""Reads for the officials' data-quality lists. Every selector is scoped."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification
from ikm.models import IKMUnit, UnitClaim
from ikm.selectors import filter_by_unit_scope, units_in_scope
from products.models import Product

EXPIRY_WINDOWS = (30, 60, 90)


@dataclass
class DuplicateGroup:
    reason: str
    key: str
    units: list[IKMUnit] = field(default_factory=list)


def _unit_list_qs(user) -> QuerySet[IKMUnit]:
    return units_in_scope(user).select_related("desa__parent__parent").order_by("name", "pk")


def duplicate_unit_groups(user) -> list[DuplicateGroup]:
    """Probable duplicates: same name (case-insensitive, trimmed) in the same desa; same NIK.

    Same NIB cannot happen (unique in the database); it is still checked so the list stays
    honest if that constraint were ever dropped. Three grouping queries plus one unit query.
    """
    scoped = units_in_scope(user)
    norm = Lower(Trim("name"))
    by_name = (
        scoped.annotate(norm_name=norm)
        .values("desa_id", "norm_name")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("desa_id", "norm_name")
    )
    by_nik = (
        scoped.exclude(nik_digest="")
        .values("nik_digest")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("nik_digest")
    )
    by_nib = (
        scoped.exclude(nib__isnull=True)
        .values("nib")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("nib")
    )
    name_keys = {(row["desa_id"], row["norm_name"]) for row in by_name}
    nik_keys = {row["nik_digest"] for row in by_nik}
    nib_keys = {row["nib"] for row in by_nib}
    if not (name_keys or nik_keys or nib_keys):
        return []

    condition = Q(nik_digest__in=nik_keys) | Q(nib__in=nib_keys)
    for desa_id, norm_name in name_keys:
        condition |= Q(desa_id=desa_id, norm_name=norm_name)
    units = list(_unit_list_qs(user).annotate(norm_name=norm).filter(condition))

    groups: dict[tuple[str, str], DuplicateGroup] = {}
    for unit in units:
        if (unit.desa_id, unit.norm_name) in name_keys:
            key = ("name", f"{unit.desa_id}|{unit.norm_name}")
            label = _("Nama sama di desa/kelurahan yang sama")
            groups.setdefault(key, DuplicateGroup(str(label), unit.name.strip())).units.append(unit)
        if unit.nik_digest in nik_keys:
            key = ("nik", unit.nik_digest)
            label = _("NIK pemilik sama")
            groups.setdefault(key, DuplicateGroup(str(label), unit.nik_masked)).units.append(unit)
        if unit.nib in nib_keys:
            key = ("nib", unit.nib)
            groups.setdefault(key, DuplicateGroup(str(_("NIB sama")), unit.nib)).units.append(unit)
    return list(groups.values())


def units_missing_fields(user) -> QuerySet[IKMUnit]:
    """Units lacking NIB, size (workers/investment), any contact, or any product.

    Annotated with booleans ``missing_nib``, ``missing_size``, ``missing_contact``,
    ``missing_products`` for the list's columns.
    """
    has_products = Exists(Product.objects.filter(unit=OuterRef("pk")))
    no_contact = Q(phone="", whatsapp="", email="")
    qs = _unit_list_qs(user).annotate(has_products=has_products)
    qs = qs.filter(
        Q(nib__isnull=True)
        | Q(workers__isnull=True)
        | Q(investment__isnull=True)
        | no_contact
        | Q(has_products=False)
    )
    return qs


def annotate_missing(unit: IKMUnit) -> list[str]:
    """Labels of what a unit from :func:`units_missing_fields` lacks."""
    missing = []
    if not unit.nib:
        missing.append(str(_("NIB")))
    if unit.workers is None or unit.investment is None:
        missing.append(str(_("tenaga kerja/investasi")))
    if not (unit.phone or unit.whatsapp or unit.email):
        missing.append(str(_("kontak")))
    if not getattr(unit, "has_products", True):
        missing.append(str(_("produk")))
    return missing


def certifications_expiring(user, *, days: int = 30, today: datetime.date | None = None):
    """Active certificates whose valid-until falls within the next ``days`` days (inclusive)."""
    today = today or timezone.localdate()
    qs = Certification.objects.active(today).filter(
        valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=days)
    )
    return (
        filter_by_unit_scope(user, qs, "unit")
        .select_related("unit__desa__parent__parent")
        .order_by("valid_until", "number")
    )


def units_awaiting_verification(user) -> QuerySet[IKMUnit]:
    return _unit_list_qs(user).filter(verified=False).order_by("created_at", "pk")


def claims_awaiting_verification(user) -> QuerySet[UnitClaim]:
    qs = UnitClaim.objects.filter(status=UnitClaim.Status.PENDING)
    return (
        filter_by_unit_scope(user, qs, "unit")
        .select_related("unit__desa__parent__parent", "user")
        .order_by("created_at", "pk")
    )


def quality_counts(user, *, today: datetime.date | None = None) -> dict[str, int]:
    """Counts for the data-quality index page."""
    return {
        "duplicates": len(duplicate_unit_groups(user)),
        "missing": units_missing_fields(user).count(),
        "expiring": certifications_expiring(user, days=90, today=today).count(),
        "units_waiting": units_awaiting_verification(user).count(),
        "claims_waiting": claims_awaiting_verification(user).count(),
    }
