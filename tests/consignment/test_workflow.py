"""Every allowed and refused transition of the two life cycles, with the database state after."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consignment import services, workflow
from consignment.models import (
    ConsignmentNote,
    LedgerEntry,
    NoteStatusChange,
    Payment,
    Settlement,
    SettlementStatusChange,
)

from .conftest import make_note

pytestmark = pytest.mark.django_db
N = ConsignmentNote.Status
T = Settlement.Status


def test_the_tables():
    assert workflow.NOTE_TRANSITIONS == {
        (N.DRAFT, N.RECEIVED): "terima",
        (N.RECEIVED, N.CLOSED): "tutup",
    }
    assert workflow.SETTLEMENT_TRANSITIONS == {(T.OPEN, T.SETTLED): "lunasi"}


@pytest.mark.parametrize(("frm", "to"), list(itertools.product(N.values, N.values)))
def test_note_table_refuses_every_other_pair(frm, to):
    if (frm, to) in workflow.NOTE_TRANSITIONS:
        assert workflow.note_transition(frm, to).to == to
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            workflow.note_transition(frm, to)


@pytest.mark.parametrize(("frm", "to"), list(itertools.product(T.values, T.values)))
def test_settlement_table_refuses_every_other_pair(frm, to):
    if (frm, to) in workflow.SETTLEMENT_TRANSITIONS:
        assert workflow.settlement_transition(frm, to).to == to
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            workflow.settlement_transition(frm, to)


# --- notes through the services -----------------------------------------------------------------
def _note_in(status, official, unit, product):
    note = make_note(official, unit, [(product, 2)], receive=status != N.DRAFT)
    if status == N.CLOSED:
        item = note.items.get()
        services.sale_record(item_id=item.pk, official=official, quantity=2)
        services.note_close(note_id=note.pk, official=official)
    note.refresh_from_db()
    assert note.status == status
    return note


VERBS = {
    N.RECEIVED: lambda note, official: services.note_receive(note_id=note.pk, official=official),
    N.CLOSED: lambda note, official: services.note_close(note_id=note.pk, official=official),
}


@pytest.mark.parametrize(("frm", "to"), [(f, t) for f in N.values for t in (N.RECEIVED, N.CLOSED)])
def test_note_verbs(province_official, unit_sanggau, lempok, frm, to):
    note = _note_in(frm, province_official, unit_sanggau, lempok)
    changes = NoteStatusChange.objects.filter(note=note).count()
    entries = LedgerEntry.objects.filter(item__note=note).count()
    if (frm, to) == (N.DRAFT, N.RECEIVED):
        VERBS[to](note, province_official)
        note.refresh_from_db()
        assert note.status == N.RECEIVED and note.received_on is not None
        last = note.status_changes.last()
        assert (last.from_status, last.to_status, last.actor) == (frm, to, province_official)
        item = note.items.get()
        assert item.stock == 2
        assert list(item.entries.values_list("kind", "quantity", "balance_after")) == [
            ("received", 2, 2)
        ]
    elif (frm, to) == (N.RECEIVED, N.CLOSED):
        # refused while goods are on the shelf
        with pytest.raises(ValidationError, match="Masih ada 2 barang"):
            VERBS[to](note, province_official)
        note.refresh_from_db()
        assert note.status == N.RECEIVED and note.closed_at is None
        assert NoteStatusChange.objects.filter(note=note).count() == changes
        # allowed once everything is sold or returned
        item = note.items.get()
        services.sale_record(item_id=item.pk, official=province_official, quantity=1)
        services.return_record(item_id=item.pk, official=province_official, quantity=1)
        VERBS[to](note, province_official)
        note.refresh_from_db()
        assert note.status == N.CLOSED and note.closed_at is not None
        assert note.status_changes.last().to_status == N.CLOSED
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            VERBS[to](note, province_official)
        note.refresh_from_db()
        assert note.status == frm
        assert NoteStatusChange.objects.filter(note=note).count() == changes
        assert LedgerEntry.objects.filter(item__note=note).count() == entries


def test_empty_draft_cannot_be_received(province_official, unit_sanggau):
    note = services.note_create(unit_id=unit_sanggau.pk, official=province_official)
    with pytest.raises(ValidationError, match="belum berisi barang"):
        services.note_receive(note_id=note.pk, official=province_official)
    note.refresh_from_db()
    assert note.status == N.DRAFT and not note.status_changes.exists()


def test_note_number_format(province_official, unit_sanggau):
    note = services.note_create(unit_id=unit_sanggau.pk, official=province_official)
    year = timezone.localdate().year
    assert note.number == f"NT-{year}-{note.pk:06d}"
    assert ConsignmentNote.objects.get(pk=note.pk).number == note.number


def test_items_change_only_on_a_draft(province_official, received_note, lempok):
    other = received_note.items.first()
    with pytest.raises(ValidationError, match="selama nota masih konsep"):
        services.note_remove_item(item_id=other.pk, official=province_official)
    assert received_note.items.count() == 2


def test_sales_refused_on_draft_and_closed_notes(province_official, unit_sanggau, lempok):
    for status in (N.DRAFT, N.CLOSED):
        note = _note_in(status, province_official, unit_sanggau, lempok)
        item = note.items.get()
        before = item.entries.count()
        with pytest.raises(ValidationError, match="tidak dapat dijual"):
            services.sale_record(item_id=item.pk, official=province_official)
        assert item.entries.count() == before


# --- settlements --------------------------------------------------------------------------------
LAST_MONTH = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _settlement(official, unit, product):
    at = timezone.make_aware(datetime.datetime.combine(LAST_MONTH, datetime.time(10)))
    note = make_note(official, unit, [(product, 5)], at=at)
    services.sale_record(item_id=note.items.get().pk, official=official, quantity=3, at=at)
    return services.settlement_open(unit_id=unit.pk, month=LAST_MONTH, official=official)


def test_settle_refused_until_paid_then_allowed(province_official, unit_sanggau, lempok):
    settlement = _settlement(province_official, unit_sanggau, lempok)
    assert settlement.owed == 3 * 36_000 and settlement.status == T.OPEN
    with pytest.raises(ValidationError, match="Belum lunas"):
        services.settlement_settle(settlement_id=settlement.pk, official=province_official)
    settlement.refresh_from_db()
    assert settlement.status == T.OPEN and not settlement.status_changes.exists()

    services.payment_record(
        settlement_id=settlement.pk,
        official=province_official,
        amount=100_000,
        paid_on=timezone.localdate(),
        method=Payment.Method.TRANSFER,
        reference="TRF-1",
    )
    with pytest.raises(ValidationError) as exc:  # more than is left
        services.payment_record(
            settlement_id=settlement.pk,
            official=province_official,
            amount=8_001,
            paid_on=timezone.localdate(),
            method=Payment.Method.CASH,
        )
    assert "melebihi sisa" in str(exc.value.message_dict["amount"])
    services.payment_record(
        settlement_id=settlement.pk,
        official=province_official,
        amount=8_000,
        paid_on=timezone.localdate(),
        method=Payment.Method.CASH,
    )
    services.settlement_settle(settlement_id=settlement.pk, official=province_official)
    settlement.refresh_from_db()
    assert (settlement.status, settlement.paid, settlement.owed) == (T.SETTLED, 108_000, 108_000)
    assert settlement.settled_at is not None
    change = SettlementStatusChange.objects.get(settlement=settlement)
    assert (change.from_status, change.to_status, change.actor) == (
        T.OPEN,
        T.SETTLED,
        province_official,
    )
    # settled -> settled: refused; and no payment after
    with pytest.raises(workflow.TransitionNotAllowed):
        services.settlement_settle(settlement_id=settlement.pk, official=province_official)
    with pytest.raises(ValidationError, match="sudah lunas"):
        services.payment_record(
            settlement_id=settlement.pk,
            official=province_official,
            amount=1,
            paid_on=timezone.localdate(),
            method=Payment.Method.CASH,
        )
    assert settlement.payments.count() == 2
    assert SettlementStatusChange.objects.filter(settlement=settlement).count() == 1
    assert settlement.history.count() >= 3  # created, paid twice, settled: audited


def test_nothing_is_dated_into_a_month_with_a_settlement(province_official, unit_sanggau, lempok):
    settlement = _settlement(province_official, unit_sanggau, lempok)
    item = lempok.consignment_items.get()
    at = timezone.make_aware(datetime.datetime.combine(LAST_MONTH, datetime.time(12)))
    with pytest.raises(ValidationError, match="sudah dibuatkan setoran"):
        services.sale_record(item_id=item.pk, official=province_official, at=at)
    item.refresh_from_db()
    assert item.stock == 2
    settlement.refresh_from_db()
    assert settlement.owed == 108_000
