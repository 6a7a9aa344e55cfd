"""Business matching: every allowed and refused move with the database state after it, scope
of officials, owners' answers, outcome, mail through the queue, suggestions from the search."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from matching import services, workflow
from matching.models import BuyerRequest, RequestChange, Routing
from tests.factories import DESA_KETAPANG, ProductFactory, UnitFactory

S = BuyerRequest.Status
A = Routing.Answer
pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_owner(owner):
    return UnitFactory(owner=owner, name="Lempok Durian Bu Siti")


@pytest.fixture
def lempok(unit_owner):
    return ProductFactory(unit=unit_owner, name="Lempok durian Sanggau")


def new_request(kab="61.03", **kw):
    data = {
        "product_wanted": "lempok durian",
        "quantity": "200 bungkus per bulan",
        "kabupaten_id": kab,
        "buyer_name": "Toko Oleh-oleh Khatulistiwa",
        "buyer_phone": "0812 3456 7890",
        "buyer_email": "pembeli@example.id",
        "message": "Kemasan 250 g.",
    }
    data.update(kw)
    return services.request_create(**data)


def test_create_normalises_and_mails_the_buyer(db):
    req = new_request()
    assert req.status == S.NEW and req.buyer_phone == "+6281234567890"
    assert list(req.status_changes.values_list("from_status", "to_status", "actor")) == [
        ("", S.NEW, None)
    ]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pembeli@example.id"]
    assert req.reference in mail.outbox[0].subject


def test_create_refuses_bad_input_with_indonesian_messages(db):
    with pytest.raises(ValidationError) as exc:
        new_request(buyer_phone="", buyer_email="", product_wanted=" ", kab="61.03.01")
    errors = exc.value.message_dict
    assert errors["buyer_phone"] == ["Isi nomor telepon/WhatsApp atau email agar dapat dihubungi."]
    assert errors["product_wanted"] == ["Tulis produk yang Anda cari."]
    assert errors["kabupaten"] == ["Pilih kabupaten/kota dari daftar."]
    with pytest.raises(ValidationError) as exc:
        new_request(buyer_phone="12")
    assert "bukan nomor telepon" in exc.value.message_dict["buyer_phone"][0]
    assert not BuyerRequest.objects.exists()


def _in_status(status, unit, official):
    req = new_request()
    if status in (S.ROUTED, S.ANSWERED, S.CLOSED_DEAL):
        services.request_route(request_id=req.pk, official=official, unit_ids=[unit.pk])
    if status in (S.ANSWERED, S.CLOSED_DEAL):
        routing = req.routings.get()
        services.routing_answer(
            routing_id=routing.pk, owner=unit.owner, interested=True, offer="Rp 30.000/bungkus"
        )
    BuyerRequest.objects.filter(pk=req.pk).update(status=status)
    return BuyerRequest.objects.get(pk=req.pk)


def _attempt(req, to, unit, official, other_unit):
    if to == S.ROUTED:
        return services.request_route(
            request_id=req.pk, official=official, unit_ids=[other_unit.pk]
        )
    if to == S.ANSWERED:
        routing, _ = Routing.objects.get_or_create(
            request=req, unit=unit, defaults={"routed_by": official}
        )
        Routing.objects.filter(pk=routing.pk).update(answer=A.PENDING)
        return services.routing_answer(routing_id=routing.pk, owner=unit.owner, interested=False)
    if to == S.REJECTED:
        return services.request_reject_spam(request_id=req.pk, official=official)
    return services.request_close(
        request_id=req.pk, official=official, deal=to == S.CLOSED_DEAL, value=15_000_000, note="ok"
    )


TARGETS = [S.ROUTED, S.ANSWERED, S.CLOSED_DEAL, S.CLOSED_NO_DEAL, S.REJECTED]


@pytest.mark.parametrize("frm", list(S.values))
@pytest.mark.parametrize("to", TARGETS)
def test_every_move(frm, to, unit_owner, lempok, official_sanggau, other_owner):
    other_unit = UnitFactory(owner=other_owner, name="Madu Kelulut")
    req = _in_status(frm, unit_owner, official_sanggau)
    before = RequestChange.objects.filter(request=req).count()
    role = workflow.OWNER if to == S.ANSWERED else workflow.OFFICIAL
    allowed = workflow.is_allowed(frm, to, role)
    # more units may be routed to a routed/answered request without a move
    adds_units = to == S.ROUTED and frm in (S.ROUTED, S.ANSWERED)
    answers_again = to == S.ANSWERED and frm == S.ANSWERED
    if allowed or adds_units or answers_again:
        _attempt(req, to, unit_owner, official_sanggau, other_unit)
        req.refresh_from_db()
        expected = frm if (adds_units or answers_again) else to
        assert req.status == expected
        last = RequestChange.objects.filter(request=req).latest("id")
        assert (last.from_status, last.to_status) == (frm, expected)
        assert RequestChange.objects.filter(request=req).count() == before + 1
        if to == S.CLOSED_DEAL:
            assert req.deal_value == 15_000_000 and req.closed_at is not None
        if to == S.CLOSED_NO_DEAL:
            assert req.deal_value is None and req.closed_at is not None
    else:
        with pytest.raises(ValidationError):
            _attempt(req, to, unit_owner, official_sanggau, other_unit)
        req.refresh_from_db()
        assert req.status == frm
        assert RequestChange.objects.filter(request=req).count() == before


def test_deal_needs_a_value(unit_owner, official_sanggau):
    req = _in_status(S.ANSWERED, unit_owner, official_sanggau)
    with pytest.raises(ValidationError) as exc:
        services.request_close(request_id=req.pk, official=official_sanggau, deal=True, value=None)
    assert exc.value.message_dict["value"] == ["Isi nilai transaksi dalam Rupiah (lebih dari 0)."]
    assert BuyerRequest.objects.get(pk=req.pk).status == S.ANSWERED


def test_route_mails_the_owner_and_answer_needs_an_offer(unit_owner, official_sanggau, owner):
    req = new_request()
    mail.outbox.clear()
    services.request_route(request_id=req.pk, official=official_sanggau, unit_ids=[unit_owner.pk])
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "/portal/temu-bisnis/" in mail.outbox[0].body
    routing = Routing.objects.get(request=req)
    with pytest.raises(ValidationError) as exc:
        services.routing_answer(routing_id=routing.pk, owner=owner, interested=True, offer=" ")
    assert "offer" in exc.value.message_dict
    services.routing_answer(routing_id=routing.pk, owner=owner, interested=True, offer="Rp 30.000")
    routing.refresh_from_db()
    assert (routing.answer, routing.offer) == (A.INTERESTED, "Rp 30.000")
    assert BuyerRequest.objects.get(pk=req.pk).status == S.ANSWERED
    with pytest.raises(ValidationError):  # answered once
        services.routing_answer(routing_id=routing.pk, owner=owner, interested=False)


def test_scope(unit_owner, official_sanggau, official_ketapang, province_official, other_owner):
    sanggau = new_request()
    anywhere = new_request(kab=None)
    assert set(services.requests_in_scope(official_sanggau)) == {sanggau}
    assert set(services.requests_in_scope(official_ketapang)) == set()
    assert set(services.requests_in_scope(province_official)) == {sanggau, anywhere}
    with pytest.raises(PermissionDenied):
        services.request_route(
            request_id=sanggau.pk, official=official_ketapang, unit_ids=[unit_owner.pk]
        )
    with pytest.raises(PermissionDenied):
        services.request_reject_spam(request_id=sanggau.pk, official=official_ketapang)
    # a Sanggau official cannot route to a Ketapang unit
    from ikm.models import Region

    ketapang_unit = UnitFactory(desa=Region.objects.get(code=DESA_KETAPANG))
    with pytest.raises(ValidationError):
        services.request_route(
            request_id=sanggau.pk, official=official_sanggau, unit_ids=[ketapang_unit.pk]
        )
    # an owner of another unit cannot answer
    services.request_route(
        request_id=sanggau.pk, official=official_sanggau, unit_ids=[unit_owner.pk]
    )
    routing = Routing.objects.get(request=sanggau)
    with pytest.raises(PermissionDenied):
        services.routing_answer(routing_id=routing.pk, owner=other_owner, interested=False)
    assert Routing.objects.get(pk=routing.pk).answer == A.PENDING
    assert BuyerRequest.objects.get(pk=sanggau.pk).status == S.ROUTED


def test_suggestions_come_from_the_product_search(lempok, official_sanggau, province_official):
    from ikm.models import Region

    ketapang = UnitFactory(name="Amplang Ketapang", desa=Region.objects.get(code=DESA_KETAPANG))
    ProductFactory(unit=ketapang, name="Lempok durian Ketapang")
    ProductFactory(unit=ketapang, name="Amplang ikan")
    req = new_request(product_wanted="lempok durian asli")  # "asli" is in no product: any word
    names = [s["unit"].name for s in services.suggest_units(req, province_official)]
    assert names == ["Lempok Durian Bu Siti", "Amplang Ketapang"]  # same kab/kota first
    names = [s["unit"].name for s in services.suggest_units(req, official_sanggau)]
    assert names == ["Lempok Durian Bu Siti"]  # only the official's region
