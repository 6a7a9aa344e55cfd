"""Optimistic concurrency on the owner's forms: a stale unit, product or request form is refused
with who changed what (an official reads "Petugas Dinas"), and nothing is lost."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.versioning import VERSION_FIELD, row_version
from ikm.models import IKMUnit
from products.models import Product

pytestmark = pytest.mark.django_db

ADDRESS = "Jl. Kartini No. 7, Sanggau"


def form_post_data(form) -> dict:
    """POST data of a rendered (bound or unbound) form, as a browser would send it."""
    from django import forms

    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[form.add_prefix(name)] = "on"
            continue
        if value is None:
            value = ""
        if isinstance(value, list | tuple):
            value = [str(getattr(v, "pk", v)) for v in value]
        elif hasattr(value, "pk"):
            value = str(value.pk)
        data[form.add_prefix(name)] = value
    return data


def _errors(response) -> str:
    return " | ".join(str(e) for e in response.context["form"].non_field_errors())


def test_two_browsers_of_one_owner_stale_unit_form(owner, unit_a):
    url = reverse("portal:unit_edit", args=[unit_a.pk])
    laptop, phone = Client(), Client()
    laptop.force_login(owner)
    phone.force_login(owner)
    data_laptop = form_post_data(laptop.get(url).context["form"])
    data_phone = form_post_data(phone.get(url).context["form"])
    assert data_laptop[VERSION_FIELD] == row_version(unit_a)

    data_laptop["website"] = "https://lempok-bu-siti.id"
    response = laptop.post(url, data_laptop)
    assert response.status_code == 302, response.context["form"].errors
    assert IKMUnit.objects.get(pk=unit_a.pk).website == "https://lempok-bu-siti.id"

    data_phone["address"] = ADDRESS
    response = phone.post(url, data_phone)
    assert response.status_code == 200
    text = _errors(response)
    assert "sudah diubah orang lain" in text
    assert "Anda sendiri" in text and "Situs web" in text
    unit = IKMUnit.objects.get(pk=unit_a.pk)
    assert unit.address == unit_a.address  # nothing of the stale save
    assert unit.website == "https://lempok-bu-siti.id"
    form = response.context["form"]
    assert form["address"].value() == ADDRESS  # input kept
    assert form["website"].value() == "https://lempok-bu-siti.id"  # the other change taken in

    response = phone.post(url, form_post_data(form))
    assert response.status_code == 302, response.context["form"].errors
    unit = IKMUnit.objects.get(pk=unit_a.pk)
    assert (unit.address, unit.website) == (ADDRESS, "https://lempok-bu-siti.id")


def test_official_edit_then_stale_owner_form(owner, unit_a, official_sanggau):
    """The owner's page is older than an official's save in the admin: refused, and the owner
    reads "Petugas Dinas", not the official's account name."""
    from ikm.roles import ensure_role_groups
    from ikm.services import official_assign
    from tests.backoffice.helpers import change_form_data

    ensure_role_groups()
    official_assign(user=official_sanggau, kabupaten_id="61.03")
    url = reverse("portal:unit_edit", args=[unit_a.pk])
    owner_browser, admin_browser = Client(), Client()
    owner_browser.force_login(owner)
    admin_browser.force_login(official_sanggau)
    data_owner = form_post_data(owner_browser.get(url).context["form"])

    admin_url = reverse("admin:ikm_ikmunit_change", args=[unit_a.pk])
    page = admin_browser.get(admin_url)
    assert page.status_code == 200
    data_admin = change_form_data(page)
    data_admin["owner_phone"] = "081234567890"
    assert admin_browser.post(admin_url, data_admin).status_code == 302
    stored = IKMUnit.objects.get(pk=unit_a.pk).owner_phone

    data_owner["address"] = ADDRESS
    response = owner_browser.post(url, data_owner)
    assert response.status_code == 200
    text = _errors(response)
    assert "Petugas Dinas" in text and "pejabat_sanggau" not in text
    unit = IKMUnit.objects.get(pk=unit_a.pk)
    assert unit.address == unit_a.address and unit.owner_phone == stored


def test_stale_product_form(owner, product_a):
    url = reverse("portal:product_edit", args=[product_a.pk])
    first, second = Client(), Client()
    first.force_login(owner)
    second.force_login(owner)
    data_first = form_post_data(first.get(url).context["form"])
    data_second = form_post_data(second.get(url).context["form"])
    data_first["price"] = "30000"
    assert first.post(url, data_first).status_code == 302
    data_second["description"] = "Lempok durian asli tanpa pengawet."
    response = second.post(url, data_second)
    assert response.status_code == 200
    assert "Harga" in _errors(response)
    product = Product.objects.get(pk=product_a.pk)
    assert product.price == 30000 and product.description == product_a.description
    response = second.post(url, form_post_data(response.context["form"]))
    assert response.status_code == 302
    product = Product.objects.get(pk=product_a.pk)
    assert product.price == 30000
    assert product.description == "Lempok durian asli tanpa pengawet."


def test_stale_request_form(owner, unit_a, file_roots):
    from certifications.models import Request
    from tests.support.requests import make_request

    req = make_request(unit_a, owner, status=Request.Status.DRAFT)
    url = reverse("portal:request_edit", args=[req.pk])
    first, second = Client(), Client()
    first.force_login(owner)
    second.force_login(owner)
    data_first = form_post_data(first.get(url).context["form"])
    data_second = form_post_data(second.get(url).context["form"])
    data_first["notes"] = "Mohon diproses sebelum pameran."
    response = first.post(url, data_first)
    assert response.status_code == 302, response.context["form"].errors
    data_second["notes"] = "Catatan dari ponsel."
    response = second.post(url, data_second)
    assert response.status_code == 200
    assert "sudah diubah orang lain" in _errors(response)
    assert Request.objects.get(pk=req.pk).notes == "Mohon diproses sebelum pameran."
    assert "Mohon diproses" in " ".join(response.context["form"].errors["notes"])


def test_new_unit_form_has_no_version_check(client, owner):
    """Creating is not affected (no row yet): the version field is empty and ignored."""
    client.force_login(owner)
    form = client.get(reverse("portal:unit_register")).context["form"]
    assert form[VERSION_FIELD].value() in (None, "")
