"""Owner A cannot see or change owner B's unit, products, requests or documents: 404 for GET and
POST. Documents go out as attachments, only to their owner or an official in scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certifications.models import Request
from products.models import MarketplaceLink, Product
from tests.support.requests import make_request, minimal_pdf, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_objects(file_roots, unit_b, product_b, other_owner):
    link = MarketplaceLink.objects.create(
        product=product_b, platform="shopee", url="https://shopee.co.id/amplang"
    )
    req = make_request(unit_b, other_owner, products=[product_b])
    return {
        "unit": unit_b,
        "product": product_b,
        "link": link,
        "request": req,
        "document": req.documents.first(),
    }


def b_urls(b):
    return [
        ("get", reverse("portal:unit_edit", args=[b["unit"].pk])),
        ("post", reverse("portal:unit_edit", args=[b["unit"].pk])),
        ("get", reverse("portal:product_create", args=[b["unit"].pk])),
        ("post", reverse("portal:product_create", args=[b["unit"].pk])),
        ("get", reverse("portal:product_edit", args=[b["product"].pk])),
        ("post", reverse("portal:product_edit", args=[b["product"].pk])),
        ("get", reverse("portal:photo_add", args=[b["product"].pk])),
        ("post", reverse("portal:photo_add", args=[b["product"].pk])),
        ("post", reverse("portal:link_add", args=[b["product"].pk])),
        ("post", reverse("portal:link_delete", args=[b["link"].pk])),
        ("get", reverse("portal:request_detail", args=[b["request"].pk])),
        ("get", reverse("portal:request_edit", args=[b["request"].pk])),
        ("post", reverse("portal:request_edit", args=[b["request"].pk])),
        ("post", reverse("portal:request_submit", args=[b["request"].pk])),
        ("post", reverse("portal:request_withdraw", args=[b["request"].pk])),
        ("get", reverse("portal:document_download", args=[b["document"].pk])),
        ("post", reverse("portal:document_delete", args=[b["document"].pk])),
    ]


def test_owner_a_gets_404_for_everything_of_owner_b(client, owner, unit_a, b_objects):
    client.force_login(owner)
    b = b_objects
    before = (
        Request.objects.get().status,
        b["request"].documents.count(),
        Product.objects.get(pk=b["product"].pk).name,
        MarketplaceLink.objects.count(),
    )
    payload = {
        "name": "Dibajak",
        "category": "makanan",
        "price_unit": "pcs",
        "platform": "shopee",
        "url": "https://shopee.co.id/x",
        "note": "x",
        "notes": "x",
        "doc_ktp": upload("k.pdf", minimal_pdf()),
    }
    for method, url in b_urls(b):
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, payload)
        assert response.status_code == 404, (method, url, response.status_code)
    b["unit"].refresh_from_db()
    assert b["unit"].name == "Amplang Pak Rudi"
    after = (
        Request.objects.get().status,
        b["request"].documents.count(),
        Product.objects.get(pk=b["product"].pk).name,
        MarketplaceLink.objects.count(),
    )
    assert after == before


def test_owner_a_cannot_file_a_request_for_owner_b_unit(client, owner, unit_a, b_objects):
    client.force_login(owner)
    response = client.post(
        reverse("portal:request_create", args=["merek"]),
        {"unit": b_objects["unit"].pk, "client_token": "6f1c1d1e-1111-4a4a-9999-000000000001"},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert Request.objects.count() == 1


def test_dashboard_lists_only_own_things(client, owner, unit_a, product_a, b_objects):
    client.force_login(owner)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert unit_a.name in html and product_a.name in html
    assert "Amplang" not in html


def test_anonymous_is_sent_to_login(client, b_objects):
    for url in (
        reverse("portal:dashboard"),
        reverse("portal:document_download", args=[b_objects["document"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_owner_downloads_own_document_as_attachment(client, other_owner, b_objects):
    client.force_login(other_owner)
    doc = b_objects["document"]
    response = client.get(reverse("portal:document_download", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert doc.original_name in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_officials_download_only_in_scope(
    client, b_objects, official_ketapang, official_sanggau, province_official
):
    url = reverse("portal:document_download", args=[b_objects["document"].pk])  # unit in Ketapang
    for official, expected in (
        (official_ketapang, 200),
        (province_official, 200),
        (official_sanggau, 404),
    ):
        client.force_login(official)
        assert client.get(url).status_code == expected, official


def test_documents_are_not_under_media_url(b_objects, file_roots, settings):
    doc = b_objects["document"]
    path = file_roots["private"] / doc.file.name
    assert path.exists()
    assert not str(path).startswith(str(settings.MEDIA_ROOT))


def test_dashboard_and_detail_query_counts_do_not_grow(
    client, owner, file_roots, django_assert_max_num_queries
):
    from tests.factories import ProductFactory, UnitFactory

    for i in range(4):
        unit = UnitFactory(owner=owner, nib=f"610300000010{i}")
        for _j in range(3):
            ProductFactory(unit=unit)
        make_request(unit, owner)
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:dashboard"))
    assert response.content.decode().count("Usaha Contoh") >= 4
    req = Request.objects.filter(unit__owner=owner).first()
    with django_assert_max_num_queries(14):
        assert client.get(req.get_absolute_url()).status_code == 200
