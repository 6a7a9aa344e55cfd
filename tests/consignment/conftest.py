"""Consignment fixtures: a unit with products in Sanggau (owner) and one in Ketapang (other owner),
and helpers that bring a note to a status through the services."""

from __future__ import annotations

import pytest

from consignment import services
from consignment.models import ConsignmentNote
from tests.factories import DESA_KETAPANG, ProductFactory, UnitFactory


@pytest.fixture
def unit_sanggau(owner):
    return UnitFactory(name="Lempok Durian Bu Siti", owner=owner)


@pytest.fixture
def unit_ketapang(other_owner):
    from ikm.models import Region

    return UnitFactory(
        name="Amplang Pak Usman",
        owner=other_owner,
        desa=Region.objects.get(code=DESA_KETAPANG),
    )


@pytest.fixture
def lempok(unit_sanggau):
    return ProductFactory(unit=unit_sanggau, name="Lempok durian 250 g", price=45_000)


@pytest.fixture
def madu(unit_sanggau):
    return ProductFactory(unit=unit_sanggau, name="Madu kelulut 150 ml", price=80_000)


@pytest.fixture
def amplang(unit_ketapang):
    return ProductFactory(unit=unit_ketapang, name="Amplang ikan tenggiri", price=20_000)


def make_note(official, unit, products_qty, *, receive=True, at=None):
    """A note with items (product, quantity) priced 80 % / 100 % of the product price."""
    note = services.note_create(unit_id=unit.pk, official=official)
    for product, qty in products_qty:
        services.note_add_item(
            note_id=note.pk,
            official=official,
            product_id=product.pk,
            quantity=qty,
            consignment_price=product.price * 8 // 10,
            selling_price=product.price,
        )
    if receive:
        services.note_receive(note_id=note.pk, official=official, at=at)
    return ConsignmentNote.objects.get(pk=note.pk)


@pytest.fixture
def received_note(province_official, unit_sanggau, lempok, madu):
    return make_note(province_official, unit_sanggau, [(lempok, 10), (madu, 4)])


# --- officials with their role groups (as ikm.services.official_assign gives a real one) -------
def _assign(user, kabupaten_id):
    from ikm.roles import ensure_role_groups
    from ikm.services import official_assign

    ensure_role_groups()
    official_assign(user=user, kabupaten_id=kabupaten_id)
    user.refresh_from_db()
    return user


@pytest.fixture
def province_official(province_official):
    return _assign(province_official, None)


@pytest.fixture
def official_sanggau(official_sanggau):
    return _assign(official_sanggau, "61.03")


@pytest.fixture
def official_ketapang(official_ketapang):
    return _assign(official_ketapang, "61.04")


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
