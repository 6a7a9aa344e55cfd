"""Demo curation rounds and matching requests (demo/programmes.py): every status, idempotent."""

from __future__ import annotations

import collections

import pytest

from curation.models import Round, Submission
from demo.programmes import seed_curation, seed_matching
from ikm.services import official_assign
from matching.models import BuyerRequest
from products.models import Product
from tests.factories import KEL_PONTIANAK, ProductFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


class Result:
    def __init__(self):
        self.created = collections.Counter()


def test_seed_programmes_every_status_and_idempotent(owner):
    from ikm.models import Region

    province = UserFactory(username="admin.kalbar.t")
    official_assign(user=province, kabupaten_id=None)
    sanggau = UserFactory(username="admin.sanggau.t")
    official_assign(user=sanggau, kabupaten_id="61.03")
    own = UnitFactory(owner=owner, name="Lempok Durian Demo")
    ProductFactory(unit=own, name="Lempok durian demo")
    for i in range(18):
        ProductFactory(unit=UnitFactory(name=f"Unit {i}"), name=f"Madu kelulut {i}")
    ProductFactory(unit=UnitFactory(desa=Region.objects.get(code=KEL_PONTIANAK)), name="Keramik")
    result = Result()
    seed_curation(result, province=province, sanggau=sanggau, owner=owner)
    seed_matching(result, province=province, owner=owner)
    statuses = dict(Round.objects.values_list("slug", "status"))
    assert sorted(statuses.values()) == ["open", "published", "scoring"]
    published = Round.objects.get(status="published")
    chosen = published.submissions.filter(status=Submission.Status.CHOSEN)
    assert 1 <= chosen.count() <= 3
    assert not published.submissions.filter(status__in=("submitted", "scored")).exists()
    assert set(Product.objects.filter(is_selected=True)) == {s.product for s in chosen}
    assert set(BuyerRequest.objects.values_list("status", flat=True)) == {
        "new", "routed", "answered", "closed_deal", "closed_no_deal", "rejected",
    }  # fmt: skip
    counts = (Round.objects.count(), Submission.objects.count(), BuyerRequest.objects.count())
    seed_curation(Result(), province=province, sanggau=sanggau, owner=owner)
    seed_matching(Result(), province=province, owner=owner)
    assert (
        Round.objects.count(),
        Submission.objects.count(),
        BuyerRequest.objects.count(),
    ) == counts
