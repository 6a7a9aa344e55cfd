"""Fixtures of the certification tests: the owners' units, products and requests, and an official
who may see personal data."""

from __future__ import annotations

import pytest

from tests.support.requests import (  # noqa: F401 - fixtures
    file_roots,
    product_a,
    product_b,
    request_a,
    request_b,
    unit_a,
    unit_b,
)


@pytest.fixture
def nik_viewer(db):
    from django.contrib.auth.models import Permission

    from tests.factories import OfficialFactory, UserFactory

    user = UserFactory(username="pejabat_nik", is_staff=True)
    OfficialFactory(user=user)
    user.user_permissions.add(Permission.objects.get(codename="view_nik"))
    return type(user).objects.get(pk=user.pk)
