"""Reads of the consignment ledger: scoped lists, stock from the ledger, month figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from ikm.selectors import filter_by_unit_scope, scope_kabupaten_code

from .models import ConsignmentItem, ConsignmentNote, LedgerEntry, Settlement

K = LedgerEntry.Kind


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[first instant, first instant of the next month) of ``month`` in the local time zone."""
    start = month.replace(day=1)
    nxt = (start + datetime.timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)),
        timezone.make_aware(datetime.datetime.combine(nxt, datetime.time.min)),
    )


# --- stock ----------------------------------------------------------------------------------------
def stock_from_ledger(item: ConsignmentItem) -> int:
    """received − sold − returned, summed from the ledger (equals ``item.stock``)."""
    return item.entries.aggregate(s=Sum("stock_delta"))["s"] or 0


@dataclass
class ItemFigures:
    received: int
    sold: int
    returned: int
    stock: int


def item_figures(item: ConsignmentItem) -> ItemFigures:
    agg = item.entries.aggregate(
        received=Sum("quantity", filter=Q(kind=K.RECEIVED)),
        sold=Sum("quantity", filter=Q(kind__in=(K.SALE, K.CORRECTION))),
        returned=Sum("quantity", filter=Q(kind=K.RETURN)),
        stock=Sum("stock_delta"),
    )
    return ItemFigures(**{k: v or 0 for k, v in agg.items()})


def items_with_figures(queryset: QuerySet[ConsignmentItem]) -> QuerySet[ConsignmentItem]:
    """Items annotated with ``received``, ``sold``, ``returned`` (from the ledger)."""
    return queryset.annotate(
        received=Sum("entries__quantity", filter=Q(entries__kind=K.RECEIVED), default=0),
        sold=Sum(
            "entries__quantity", filter=Q(entries__kind__in=(K.SALE, K.CORRECTION)), default=0
        ),
        returned=Sum("entries__quantity", filter=Q(entries__kind=K.RETURN), default=0),
    )


# --- officials ------------------------------------------------------------------------------------
def notes_in_scope(user) -> QuerySet[ConsignmentNote]:
    return filter_by_unit_scope(user, ConsignmentNote.objects.all(), "unit")


def settlements_in_scope(user) -> QuerySet[Settlement]:
    return filter_by_unit_scope(user, Settlement.objects.all(), "unit")


def entries_in_scope(user) -> QuerySet[LedgerEntry]:
    return filter_by_unit_scope(user, LedgerEntry.objects.all(), "item__note__unit")


def sellable_items(user, query: str = "") -> QuerySet[ConsignmentItem]:
    """Items in stock on received notes in the user's scope, matching a name or a code."""
    qs = filter_by_unit_scope(
        user,
        ConsignmentItem.objects.filter(note__status=ConsignmentNote.Status.RECEIVED, stock__gt=0),
        "note__unit",
    ).select_related("note__unit", "product")
    query = (query or "").strip()[:100]
    if query:
        number, _sep, line = query.upper().partition("/")
        condition = Q(product__name__icontains=query) | Q(note__unit__name__icontains=query)
        if number.startswith("NT-"):
            condition |= Q(note__number__iexact=number) & (
                Q(line=int(line)) if line.isdigit() else Q()
            )
        qs = qs.filter(condition)
    return qs.order_by("product__name", "note__number", "line")


@dataclass
class MonthFigures:
    items_sold: int
    sales_total: int
    owed: int


def month_figures(user, month: datetime.date | None = None) -> MonthFigures:
    """Sold pieces, sales value and what units are owed in ``month`` (default: this month)."""
    start, end = month_bounds(month or timezone.localdate())
    agg = (
        entries_in_scope(user)
        .filter(kind__in=(K.SALE, K.CORRECTION), occurred_at__gte=start, occurred_at__lt=end)
        .aggregate(n=Sum("quantity"), sales=Sum("sales_delta"), owed=Sum("owed_delta"))
    )
    return MonthFigures(
        items_sold=agg["n"] or 0, sales_total=agg["sales"] or 0, owed=agg["owed"] or 0
    )


def settlements_due(user) -> QuerySet[Settlement]:
    return settlements_in_scope(user).filter(status=Settlement.Status.OPEN)


def statistics_by_kabupaten(user, *, year: int) -> list[dict]:
    """Aggregates only: per kab/kota, units consigning, pieces sold, sales and owed in ``year``."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
    rows = (
        entries_in_scope(user)
        .filter(kind__in=(K.SALE, K.CORRECTION), occurred_at__gte=start, occurred_at__lt=end)
        .values("item__note__unit__kabupaten_code")
        .annotate(
            units=Count("item__note__unit", distinct=True),
            sold=Sum("quantity"),
            sales=Sum("sales_delta"),
            owed=Sum("owed_delta"),
        )
        .order_by("item__note__unit__kabupaten_code")
    )
    return [
        {
            "kabupaten_code": r["item__note__unit__kabupaten_code"],
            "units": r["units"],
            "sold": r["sold"] or 0,
            "sales": r["sales"] or 0,
            "owed": r["owed"] or 0,
        }
        for r in rows
    ]


# --- owners ---------------------------------------------------------------------------------------
def owner_notes(owner: AbstractBaseUser) -> QuerySet[ConsignmentNote]:
    """The owner's notes (drafts are the showroom's working copy: not shown)."""
    return (
        ConsignmentNote.objects.filter(unit__owner=owner)
        .exclude(status=ConsignmentNote.Status.DRAFT)
        .select_related("unit")
        .order_by("-received_on", "-pk")
    )


def owner_settlements(owner: AbstractBaseUser) -> QuerySet[Settlement]:
    return Settlement.objects.filter(unit__owner=owner).select_related("unit").order_by("-month")


def is_province_wide(user) -> bool:
    try:
        return scope_kabupaten_code(user) is None
    except PermissionError:
        return False
