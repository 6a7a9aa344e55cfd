"""Demo data for the Griya IKM showroom's consignment ledger (issue 16), through the services.

Four notes: the demo owner's unit in Sanggau (received last month, sold, one return, a settled
month, and sales this month), a unit of Kota Pontianak (last month's settlement still open, half
paid), and another Sanggau unit (last month's settlement not paid yet, and a draft for the
officials to receive), so both demo officials' dashboards show sales and settlements due.
Idempotent: nothing is written when a demo note exists.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from consignment import services
from consignment.models import ConsignmentNote, Payment
from ikm.models import IKMUnit

DEMO_REMARK = "Data demo (seed_demo)"


def _prices(product) -> tuple[int, int]:
    selling = int(product.price or 25_000)
    consignment = max(0, (selling * 80 // 100) // 500 * 500)
    return consignment, selling


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _note(unit, official, products, quantities, *, received: datetime.date | None):
    note = services.note_create(unit_id=unit.pk, official=official, remarks=DEMO_REMARK)
    for product, qty in zip(products, quantities, strict=False):
        consignment, selling = _prices(product)
        services.note_add_item(
            note_id=note.pk,
            official=official,
            product_id=product.pk,
            quantity=qty,
            consignment_price=consignment,
            selling_price=selling,
        )
    if received is not None:
        services.note_receive(
            note_id=note.pk, official=official, received_on=received, at=_at(received, 9)
        )
    return note


def seed_consignment(result, *, province, owner) -> None:
    if ConsignmentNote.objects.filter(remarks=DEMO_REMARK).exists():
        return
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    owner_unit = IKMUnit.objects.filter(owner=owner).order_by("pk").first()
    others = IKMUnit.objects.filter(products__isnull=False).exclude(owner=owner).distinct()
    city_unit = others.filter(kabupaten_code="61.71").order_by("pk").first()
    sanggau_unit = others.filter(kabupaten_code="61.03").order_by("pk").first()
    made = 0
    if owner_unit is not None:
        products = list(owner_unit.products.order_by("pk")[:3])
        note = _note(owner_unit, province, products, (12, 10, 6), received=last_month)
        items = list(note.items.order_by("line"))
        for day, line, qty in ((3, 0, 2), (5, 1, 1), (9, 0, 3), (14, 2, 2), (20, 1, 2)):
            if line < len(items):
                services.sale_record(
                    item_id=items[line].pk,
                    official=province,
                    quantity=qty,
                    at=_at(last_month + datetime.timedelta(days=day), 11),
                )
        if len(items) > 2:
            services.return_record(
                item_id=items[2].pk,
                official=province,
                quantity=1,
                remark="Kemasan penyok",
                at=_at(last_month + datetime.timedelta(days=21), 15),
            )
        settlement = services.settlement_open(
            unit_id=owner_unit.pk, month=last_month, official=province
        )
        if settlement.owed:
            services.payment_record(
                settlement_id=settlement.pk,
                official=province,
                amount=settlement.owed,
                paid_on=today,
                method=Payment.Method.TRANSFER,
                reference="TRF-DEMO-0001",
            )
        services.settlement_settle(settlement_id=settlement.pk, official=province)
        for item in items[:2]:  # this month's sales
            services.sale_record(item_id=item.pk, official=province, quantity=1)
        made += 1
    if city_unit is not None:
        products = list(city_unit.products.order_by("pk")[:2])
        note = _note(city_unit, province, products, (8, 5), received=last_month)
        for n, item in enumerate(note.items.order_by("line")):
            services.sale_record(
                item_id=item.pk,
                official=province,
                quantity=2 + n,
                at=_at(last_month + datetime.timedelta(days=10 + n), 10),
            )
        settlement = services.settlement_open(
            unit_id=city_unit.pk, month=last_month, official=province
        )
        if settlement.owed > 1:
            services.payment_record(
                settlement_id=settlement.pk,
                official=province,
                amount=settlement.owed // 2,
                paid_on=today,
                method=Payment.Method.CASH,
                reference="Kuitansi tunai 17",
            )
        made += 1
    if sanggau_unit is not None:
        # last month sold, its settlement not paid yet; and a new draft waiting to be received
        products = list(sanggau_unit.products.order_by("pk")[:2])
        note = _note(sanggau_unit, province, products[:1], (6,), received=last_month)
        services.sale_record(
            item_id=note.items.get().pk,
            official=province,
            quantity=2,
            at=_at(last_month + datetime.timedelta(days=12), 14),
        )
        services.settlement_open(unit_id=sanggau_unit.pk, month=last_month, official=province)
        _note(sanggau_unit, province, products, (10, 4), received=None)
        made += 2
    result.created["nota titip"] += made
