import pytest
from django.db import IntegrityError, transaction

from ikm.models import IKMUnit, Region, Scale
from tests.factories import UnitFactory


@pytest.mark.django_db
def test_unit_at_kecamatan_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(desa=Region.objects.get(code="61.03.01"))
    assert not IKMUnit.objects.exists()


@pytest.mark.django_db
def test_scale_and_region_codes_are_derived_by_postgres():
    unit = UnitFactory(workers=19, investment=999_999_999)
    unit.refresh_from_db()
    assert (unit.scale, unit.kabupaten_code, unit.kecamatan_code) == (
        Scale.KECIL,
        "61.03",
        "61.03.01",
    )
