"""Search synonyms in the admin (issue 14): province officials edit, kab/kota officials read;
an edit changes what the public catalog finds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ikm.models import CommodityGroup
from products.models import SearchSynonym
from tests.backoffice.helpers import change_form_data
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:products_searchsynonym_add")
LIST = reverse("admin:products_searchsynonym_changelist")


def catalog_slugs(client, q) -> list[str]:
    response = client.get(reverse("public:catalog"), {"q": q})
    assert response.status_code == 200
    return [p.slug for p in response.context["catalog"].page.object_list]


@pytest.fixture
def tenun(world):
    return ProductFactory(
        unit=world.unit_sanggau,
        name="Kain Tenun Ikat Ladang",
        slug="kain-tenun-ikat-ladang",
        category=CommodityGroup.FASHION,
        description="Tenun ikat pewarna alam.",
    )


def test_province_official_adds_a_synonym_and_the_catalog_finds_through_it(
    client, province_official, tenun
):
    from django.test import Client

    visitor = Client()
    assert catalog_slugs(visitor, "wastra nusantara") == []
    client.force_login(province_official)
    response = client.post(
        ADD,
        {"term": "Wastra  Nusantara", "related": "Tenun, songket , tenun", "is_active": "on"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = SearchSynonym.objects.get(term="wastra nusantara")
    assert row.related == ["tenun", "songket"] and row.is_active and not row.is_popular
    assert row.history.count() == 1 and row.history.first().history_user == province_official
    assert catalog_slugs(visitor, "wastra nusantara") == [tenun.slug]

    # Switched off in the admin: the catalog stops using it.
    change = reverse("admin:products_searchsynonym_change", args=[row.pk])
    data = change_form_data(client.get(change))
    data.pop("is_active", None)
    assert client.post(change, data).status_code == 302
    row.refresh_from_db()
    assert row.is_active is False
    assert catalog_slugs(visitor, "wastra nusantara") == []


def test_bad_input_gets_indonesian_messages_and_saves_nothing(client, province_official):
    client.force_login(province_official)
    before = SearchSynonym.objects.count()
    response = client.post(ADD, {"term": " -- ", "related": "--, !!", "is_active": "on"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["term"] == ["Isi kata yang dicari (huruf atau angka)."]
    assert errors["related"] == ["Isi sedikitnya satu kata terkait."]
    response = client.post(ADD, {"term": "Tenun", "related": "tenun", "is_active": "on"})
    assert response.context["adminform"].form.errors["related"] == [
        "Kata terkait harus berbeda dari kata yang dicari."
    ]
    SearchSynonym.objects.create(term="kain songket", related=["songket"])
    response = client.post(ADD, {"term": "Kain  Songket", "related": "tenun", "is_active": "on"})
    assert "term" in response.context["adminform"].form.errors  # same term once folded
    assert SearchSynonym.objects.count() == before + 1


def test_kabupaten_official_reads_but_cannot_edit(client, official_sanggau):
    row = SearchSynonym.objects.create(term="kain sanggau", related=["tenun"])
    client.force_login(official_sanggau)
    listing = client.get(LIST)
    assert listing.status_code == 200 and "kain sanggau" in listing.content.decode()
    assert ADD not in listing.content.decode()  # no "add" button
    assert client.post(ADD, {"term": "baru", "related": "tenun"}).status_code == 403
    change = reverse("admin:products_searchsynonym_change", args=[row.pk])
    client.post(change, {"term": "diubah", "related": "kain", "is_active": "on"})
    row.refresh_from_db()
    assert row.term == "kain sanggau" and row.related == ["tenun"]
    assert not SearchSynonym.objects.filter(term__in=["baru", "diubah"]).exists()
