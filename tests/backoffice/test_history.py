"""Audit trail in the admin: who changed what, revert, inline edits, history scoping."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certifications.models import Certification
from ikm.models import IKMUnit
from products.models import Product

from .helpers import change_form_data

pytestmark = pytest.mark.django_db


def test_admin_edit_writes_a_history_row_with_the_user(client, world, official_sanggau):
    client.force_login(official_sanggau)
    url = reverse("admin:ikm_ikmunit_change", args=[world.unit_sanggau.pk])
    data = change_form_data(client.get(url))
    data["name"] = "Lempok Durian Kapuas"
    response = client.post(url, data)
    assert response.status_code == 302
    latest = IKMUnit.history.filter(id=world.unit_sanggau.pk).latest()
    assert (latest.name, latest.history_type, latest.history_user) == (
        "Lempok Durian Kapuas",
        "~",
        official_sanggau,
    )
    page = client.get(reverse("admin:ikm_ikmunit_history", args=[world.unit_sanggau.pk]))
    assert "Lempok Durian Kapuas" in page.content.decode()
    assert "pejabat_sanggau" in page.content.decode()


def test_revert_restores_the_old_value(client, world, province_official):
    client.force_login(province_official)
    unit = world.unit_sanggau
    old_version = unit.history.latest()
    url = reverse("admin:ikm_ikmunit_change", args=[unit.pk])
    data = change_form_data(client.get(url))
    data.update({"name": "Nama Salah", "workers": "40"})
    assert client.post(url, data).status_code == 302
    assert IKMUnit.objects.get(pk=unit.pk).name == "Nama Salah"

    revert_url = reverse("admin:ikm_ikmunit_simple_history", args=[unit.pk, old_version.pk])
    form_page = client.get(revert_url)
    assert form_page.status_code == 200
    response = client.post(revert_url, change_form_data(form_page))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.workers) == ("Lempok Durian Sanggau", 5)
    latest = unit.history.latest()
    assert (latest.name, latest.history_user) == ("Lempok Durian Sanggau", province_official)
    assert unit.history.count() == 3  # created, wrong edit, revert


def test_inline_edits_write_product_and_certificate_history(client, world, official_sanggau):
    client.force_login(official_sanggau)
    url = reverse("admin:ikm_ikmunit_change", args=[world.unit_sanggau.pk])
    data = change_form_data(client.get(url))
    data["products-0-price"] = "30000"
    data["certifications-0-issuer"] = "BPJPH Kalbar"
    response = client.post(url, data)
    assert response.status_code == 302
    product = Product.history.filter(id=world.product_sanggau.pk).latest()
    assert (product.price, product.history_user) == (30000, official_sanggau)
    cert = Certification.history.filter(id=world.cert_sanggau.pk).latest()
    assert (cert.issuer, cert.history_user) == ("BPJPH Kalbar", official_sanggau)


def test_product_page_inline_link_edit_and_product_history(client, world, province_official):
    client.force_login(province_official)
    url = reverse("admin:products_product_change", args=[world.product_sanggau.pk])
    data = change_form_data(client.get(url))
    data["description"] = "Lempok durian asli Sanggau, tanpa pengawet."
    data["marketplace_links-0-url"] = "https://shopee.co.id/lempok-sanggau"
    assert client.post(url, data).status_code == 302
    latest = Product.history.filter(id=world.product_sanggau.pk).latest()
    assert latest.history_user == province_official
    assert latest.description.startswith("Lempok durian asli")
    world.link_sanggau.refresh_from_db()
    assert world.link_sanggau.url == "https://shopee.co.id/lempok-sanggau"


def test_history_page_hides_nik_ciphertext_and_digest(client, world, province_official):
    from ikm.services import unit_set_nik

    unit = world.unit_sanggau
    unit_set_nik(unit, "6103014501900002")
    unit.save()
    client.force_login(province_official)
    html = client.get(reverse("admin:ikm_ikmunit_history", args=[unit.pk])).content.decode()
    assert unit.nik_ciphertext not in html
    assert unit.nik_digest not in html
    assert "6103014501900002" not in html


def test_history_of_a_deleted_unit(client, world, province_official, official_sanggau):
    unit = world.unit_sanggau
    pk = unit.pk
    world.cert_sanggau.delete()
    unit.delete()
    url = reverse("admin:ikm_ikmunit_history", args=[pk])
    client.force_login(official_sanggau)
    assert client.get(url).status_code == 404  # deleted objects: province-wide users only
    client.force_login(province_official)
    assert client.get(url).status_code == 200


def test_revert_form_of_another_region_is_404_and_writes_nothing(client, world, official_ketapang):
    client.force_login(official_ketapang)
    unit = world.unit_sanggau
    url = reverse("admin:ikm_ikmunit_simple_history", args=[unit.pk, unit.history.latest().pk])
    response = client.post(url, {"name": "Diambil alih"})
    assert response.status_code == 404
    assert IKMUnit.objects.get(pk=unit.pk).name == "Lempok Durian Sanggau"
    assert unit.history.count() == 1
