"""The public home page and the officials' statistics export count units the same way."""

from __future__ import annotations

import pytest

from backoffice import stats
from ikm.models import Region
from public.selectors import units_per_kabupaten
from tests.factories import DESA_KETAPANG, UnitFactory

pytestmark = pytest.mark.django_db


def test_home_units_per_kabupaten_equal_the_statistics_export():
    UnitFactory.create_batch(3)  # Sanggau, verified
    UnitFactory(verified=False)  # not public: counted by neither
    UnitFactory.create_batch(2, desa=Region.objects.get(code=DESA_KETAPANG))
    home = {row["code"]: row["units"] for row in units_per_kabupaten()}
    export = {row.code: row.units for row in stats.kabupaten_statistics().rows}
    assert home == export
    assert (home["61.03"], home["61.04"], sum(home.values())) == (3, 2, 5)
    assert len(home) == 14
