"""Back-office fixtures: officials with their role groups, a superuser, and data in two kab/kota.

The shared fixtures (tests/conftest.py) create ``Official`` rows; here they also get the role
group that ``ikm.services.official_assign`` gives a real official.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import (
    DESA_KETAPANG,
    DESA_SANGGAU,
    CertificationFactory,
    MarketplaceLinkFactory,
    ProductFactory,
    UnitFactory,
    UserFactory,
)
from tests.support.requests import (  # noqa: F401 - fixtures of the request queue tests
    file_roots,
    product_a,
    product_b,
    unit_a,
    unit_b,
)

KAB_SANGGAU = "61.03"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Accounts are made by the dozen here; PBKDF2 would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


KAB_KETAPANG = "61.04"


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
    return _assign(official_sanggau, KAB_SANGGAU)


@pytest.fixture
def official_ketapang(official_ketapang):
    return _assign(official_ketapang, KAB_KETAPANG)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin_super", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_without_scope(db):
    """Staff with every model permission through a role group, but no Official row."""
    from django.contrib.auth.models import Group

    from ikm.roles import PROVINCE_GROUP, ensure_role_groups

    ensure_role_groups()
    user = UserFactory(username="staf_tanpa_wilayah", is_staff=True)
    user.groups.add(Group.objects.get(name=PROVINCE_GROUP))
    return user


@pytest.fixture
def nik_viewer(province_official):
    """The province official, additionally granted ``ikm.view_nik`` (deliberately)."""
    from django.contrib.auth.models import Permission

    province_official.user_permissions.add(
        Permission.objects.get(content_type__app_label="ikm", codename="view_nik")
    )
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=province_official.pk)


class World:
    """One unit with a product, link, certificate and sentra in Sanggau and in Ketapang."""

    def __init__(self):
        from ikm.models import Region, Sentra

        today = timezone.localdate()
        self.unit_sanggau = UnitFactory(name="Lempok Durian Sanggau", nib="6103000000001")
        self.unit_ketapang = UnitFactory(
            name="Amplang Ketapang",
            nib="6104000000001",
            desa=Region.objects.get(code=DESA_KETAPANG),
        )
        self.product_sanggau = ProductFactory(unit=self.unit_sanggau, name="Lempok durian")
        self.product_ketapang = ProductFactory(unit=self.unit_ketapang, name="Amplang ikan")
        self.link_sanggau = MarketplaceLinkFactory(product=self.product_sanggau)
        self.cert_sanggau = CertificationFactory(
            unit=self.unit_sanggau, valid_until=today + datetime.timedelta(days=20)
        )
        self.cert_ketapang = CertificationFactory(
            unit=self.unit_ketapang, valid_until=today + datetime.timedelta(days=20)
        )
        self.sentra_sanggau = Sentra.objects.create(
            name="Sentra Lempok Kapuas",
            desa=Region.objects.get(code=DESA_SANGGAU),
            commodity_group="makanan",
        )
        self.sentra_ketapang = Sentra.objects.create(
            name="Sentra Amplang",
            desa=Region.objects.get(code=DESA_KETAPANG),
            commodity_group="makanan",
        )
        # A historical row to revert to (creation rows exist for units already).
        self.unit_sanggau_history_id = self.unit_sanggau.history.latest().history_id
        self.unit_ketapang_history_id = self.unit_ketapang.history.latest().history_id


@pytest.fixture
def world(db):
    return World()
