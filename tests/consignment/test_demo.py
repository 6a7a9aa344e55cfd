"""The demo's consignment ledger (demo/consignment.py): notes with sales, a return, one settled
month and one still open, a draft; a second run writes nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest

from consignment.models import ConsignmentNote, LedgerEntry, Settlement
from demo.consignment import seed_consignment
from tests.factories import KEL_PONTIANAK, ProductFactory, UnitFactory

pytestmark = pytest.mark.django_db


@dataclass
class Result:
    created: Counter = field(default_factory=Counter)


def test_demo_consignment(province_official, owner, unit_sanggau, lempok, madu):
    from ikm.models import Region

    ProductFactory(unit=unit_sanggau, name="Gula aren", price=30_000)
    city = UnitFactory(name="Lidah Buaya Pontianak", desa=Region.objects.get(code=KEL_PONTIANAK))
    for name in ("Minuman lidah buaya", "Manisan lidah buaya"):
        ProductFactory(unit=city, name=name)
    other = UnitFactory(name="Madu Sanggau")
    ProductFactory(unit=other, name="Madu hutan")
    result = Result()
    seed_consignment(result, province=province_official, owner=owner)
    assert result.created["nota titip"] == 4
    statuses = Counter(ConsignmentNote.objects.values_list("status", flat=True))
    assert statuses == {"received": 3, "draft": 1}
    kinds = Counter(LedgerEntry.objects.values_list("kind", flat=True))
    assert kinds["return"] == 1 and kinds["sale"] >= 5
    settled = Settlement.objects.get(unit=unit_sanggau)
    assert settled.status == "settled" and settled.paid == settled.owed > 0
    assert settled.payments.count() == 1
    open_one = Settlement.objects.get(unit=city)
    assert open_one.status == "open" and 0 < open_one.paid < open_one.owed
    due = Settlement.objects.get(unit=other)
    assert due.status == "open" and due.paid == 0 and due.owed > 0
    for item in LedgerEntry.objects.values_list("item", flat=True).distinct():
        entries = LedgerEntry.objects.filter(item_id=item)
        assert sum(e.stock_delta for e in entries) == entries.last().item.stock
    before = LedgerEntry.objects.count()
    seed_consignment(Result(), province=province_official, owner=owner)
    assert LedgerEntry.objects.count() == before and ConsignmentNote.objects.count() == 4
