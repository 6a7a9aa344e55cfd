"""Hostile input (issue 13): a 4xx or a form error, never a 500, and nothing stored.

NUL and other control characters in the path, GET filters, admin search/autocomplete and POST
forms; 20-digit years and page numbers; bidi overrides and zero-width characters in names;
descriptions over 5,000 characters (a 5 MB one too)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ikm.models import IKMUnit
from products.models import Product
from tests.factories import DESA_SANGGAU

pytestmark = pytest.mark.django_db

REFUSED = "karakter kendali"
PRODUCT = {"name": "Lempok", "category": "makanan", "price": "35000", "price_unit": "pcs"}


def assert_refused(response):
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


# --- control characters --------------------------------------------------------------------
def test_nul_in_portal_region_lookup(client, owner):
    client.force_login(owner)
    assert_refused(client.get("/portal/wilayah/61%00/"))
    assert_refused(client.get("/portal/wilayah/%0061.03/"))
    assert client.get("/portal/wilayah/61.03/").status_code == 200  # the real one still works


@pytest.mark.parametrize(
    "query",
    [
        "commodity_group=%00",
        "q=%00",
        "q=batik%00",
        "verified__exact=%00",
        "desa__id__exact=61%00",
        "created_at__gte=2024%00-01-01",
        "%00=1",
        "q=%07bel",
        "q=%1b[31m",
        "q=%c2%85",  # U+0085, a C1 control
    ],
)
def test_control_characters_in_admin_list_filters_and_search(client, superuser, query):
    client.force_login(superuser)
    assert_refused(client.get(f"/admin/ikm/ikmunit/?{query}"))


def test_nul_in_admin_autocomplete(client, superuser):
    client.force_login(superuser)
    url = "/admin/autocomplete/?app_label=ikm&model_name=ikmunit&field_name=desa&term="
    assert_refused(client.get(url + "%00"))
    assert client.get(url + "Penyeladi").status_code == 200


def test_nul_in_a_public_filter(client):
    assert_refused(client.get("/produk/?q=%00"))


def test_tab_and_newlines_stay_allowed_in_forms(client, owner, unit_a):
    client.force_login(owner)
    response = client.post(
        reverse("portal:product_create", args=[unit_a.pk]),
        {**PRODUCT, "description": "Baris 1\r\n\tBaris 2"},
    )
    assert response.status_code == 302
    assert Product.objects.get(name="Lempok").description == "Baris 1\r\n\tBaris 2"


def test_nul_in_a_portal_form_stores_nothing(client, owner, unit_a):
    client.force_login(owner)
    response = client.post(
        reverse("portal:product_create", args=[unit_a.pk]),
        {"name": "Lempok\x00Durian", "category": "makanan", "description": ""},
    )
    assert_refused(response)
    assert not Product.objects.exists()


def test_nul_in_an_admin_form_stores_nothing(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:ikm_ikmunit_add"),
        {"name": "Batik\x00", "owner_name": "X", "commodity_group": "makanan"},
    )
    assert_refused(response)
    assert not IKMUnit.objects.exists()


def test_nul_in_the_login_form(client):
    response = client.post(reverse("portal:login"), {"username": "a\x00@x.id", "password": "x"})
    assert_refused(response)


def test_the_refusal_speaks_the_visitors_language_and_has_the_security_headers(client):
    response = client.get("/produk/?q=%00")
    assert response["Content-Language"] == "id"
    assert "Content-Security-Policy" in response and "Permissions-Policy" in response


# --- huge integers --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "created_at__year=99999999999999999999",
        "created_at__year=9999",
        "created_at__year=2024&created_at__month=99999999999999999999",
        "created_at__year=2024&created_at__month=2&created_at__day=99999999999999999999",
        "created_at__gte=99999999999999999999-01-01",
        "created_at__lt=2024-99999999999999999999-01",
        "p=99999999999999999999",
        "p=" + "9" * 5000,  # past Python's 4,300-digit int() limit
        "p=-1",
        "workers__gte=99999999999999999999",
        "id__exact=99999999999999999999",
    ],
)
def test_huge_numbers_in_admin_filters_never_500(client, superuser, unit_a, query):
    client.force_login(superuser)
    response = client.get(f"/admin/ikm/ikmunit/?{query}")
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:  # the admin's own "invalid filter" answer
        assert "e=1" in response["Location"]


def test_a_20_digit_year_is_clamped_in_the_date_hierarchy(client, superuser, unit_a):
    client.force_login(superuser)
    response = client.get("/admin/ikm/ikmunit/?created_at__year=99999999999999999999")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []  # year 9998: nothing, no crash


@pytest.mark.parametrize(
    "url",
    [
        "/portal/unit/99999999999999999999/ubah/",
        "/portal/produk/99999999999999999999/ubah/",
        "/portal/permohonan/99999999999999999999/",
        "/dokumen/99999999999999999999/unduh/",
    ],
)
def test_huge_ids_in_portal_urls_are_404(client, owner, url):
    client.force_login(owner)
    assert client.get(url).status_code == 404


def test_huge_id_in_an_admin_url_is_not_a_500(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/ikm/ikmunit/99999999999999999999/change/")
    assert response.status_code in (302, 404)


# --- names: bidi overrides and zero-width characters stripped --------------------------------
HOSTILE = "\u202eBatik\u200b Ka\u200dpuas\ufeff\u2066\u2069"


def unit_post(**overrides):
    data = {
        "name": "Lempok Durian",
        "owner_name": "Siti",
        "nik": "",
        "nib": "",
        "kabupaten": "61.03",
        "kecamatan": "61.03.01",
        "desa": DESA_SANGGAU,
        "commodity_group": "makanan",
        "workers": "3",
        "investment": "1000000",
    }
    data.update(overrides)
    return data


def test_portal_unit_names_are_stored_without_invisible_characters(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("portal:unit_register"), unit_post(name=HOSTILE, owner_name="Si\u202eti\u200c")
    )
    assert response.status_code == 302, response.context["form"].errors
    unit = IKMUnit.objects.get(owner=owner)
    assert (unit.name, unit.owner_name) == ("Batik Kapuas", "Siti")


def test_a_name_of_only_invisible_characters_is_empty(client, owner):
    client.force_login(owner)
    response = client.post(reverse("portal:unit_register"), unit_post(name="\u200b\u202e\ufeff"))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not IKMUnit.objects.exists()


def test_portal_product_names_are_stored_without_invisible_characters(client, owner, unit_a):
    client.force_login(owner)
    client.post(
        reverse("portal:product_create", args=[unit_a.pk]),
        {**PRODUCT, "name": HOSTILE},
    )
    assert Product.objects.get(unit=unit_a).name == "Batik Kapuas"


def test_names_are_cleaned_on_every_save_too(owner):
    """The spreadsheet import and services save without a form: the field cleans itself."""
    from tests.factories import ProductFactory, UnitFactory

    unit = UnitFactory(name=HOSTILE, owner_name="A\u202eB")
    product = ProductFactory(unit=unit, name="Kain\u2067 Tenun\u200b")
    unit.refresh_from_db()
    product.refresh_from_db()
    assert (unit.name, unit.owner_name, product.name) == ("Batik Kapuas", "AB", "Kain Tenun")


def test_admin_unit_names_are_stored_without_invisible_characters(client, superuser, unit_a):
    client.force_login(superuser)
    page = client.get(reverse("admin:ikm_ikmunit_change", args=[unit_a.pk]))
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = getattr(value, "pk", value)
    for formset in page.context["inline_admin_formsets"]:
        mgmt = formset.formset.management_form
        for name in mgmt.fields:
            data[f"{formset.formset.prefix}-{name}"] = mgmt[name].value()
        for i, f in enumerate(formset.formset.forms):
            for name in f.fields:
                value = f[name].value()
                if value is not None and value is not False:
                    data[f"{formset.formset.prefix}-{i}-{name}"] = getattr(value, "pk", value)
    data = {k: v for k, v in data.items() if not isinstance(v, (list, tuple))}
    data["name"] = HOSTILE
    response = client.post(reverse("admin:ikm_ikmunit_change", args=[unit_a.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    unit_a.refresh_from_db()
    assert unit_a.name == "Batik Kapuas"


def test_sign_up_full_name_is_stored_without_invisible_characters(client):
    from django.contrib.auth import get_user_model

    client.post(
        reverse("portal:account_signup"),
        {
            "full_name": "Dayang\u202e Sumbi\u200b",
            "email": "dayang@example.id",
            "password1": "Lempok-Durian-2026",
            "password2": "Lempok-Durian-2026",
            "consent": "on",
        },
    )
    assert get_user_model().objects.get(email="dayang@example.id").first_name == "Dayang Sumbi"


# --- lengths ----------------------------------------------------------------------------------
def test_a_5_mb_description_is_refused_and_nothing_stored(client, owner, unit_a):
    client.force_login(owner)
    url = reverse("portal:product_create", args=[unit_a.pk])
    response = client.post(
        url, {"name": "Lempok", "category": "makanan", "description": "x" * (5 * 1024 * 1024)}
    )
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert "5000" in " ".join(response.context["form"].errors["description"]).replace(".", "")
    assert not Product.objects.exists()
    assert 'maxlength="5000"' in client.get(url).content.decode()


def test_5000_characters_are_the_limit(client, owner, unit_a):
    client.force_login(owner)
    url = reverse("portal:product_create", args=[unit_a.pk])
    data = PRODUCT
    response = client.post(url, {**data, "description": "x" * 5001})
    assert response.status_code == 200 and not Product.objects.exists()
    response = client.post(url, {**data, "description": "x" * 5000})
    assert response.status_code == 302
    assert len(Product.objects.get().description) == 5000


def test_the_model_refuses_a_long_description_without_a_form(unit_a):
    from django.core.exceptions import ValidationError

    from products.services import product_create

    with pytest.raises(ValidationError):
        product_create(
            owner=unit_a.owner,
            unit=unit_a,
            name="Lempok",
            category="makanan",
            description="x" * 5001,
        )
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("ikm.IKMUnit", "description"),
        ("ikm.Sentra", "description"),
        ("ikm.UnitClaim", "note"),
        ("products.Product", "description"),
        ("certifications.Request", "notes"),
        ("certifications.StatusChange", "note"),
    ],
)
def test_every_free_text_field_has_the_5000_limit(model, field):
    from django.apps import apps
    from django.core.validators import MaxLengthValidator

    f = apps.get_model(model)._meta.get_field(field)
    assert f.max_length == 5000
    assert any(isinstance(v, MaxLengthValidator) and v.limit_value == 5000 for v in f.validators)


def test_every_editable_text_field_has_a_maximum_length():
    """No CharField/TextField that a form can edit is unbounded."""
    from django.apps import apps
    from django.db import models

    unbounded = []
    for app in ("ikm", "products", "certifications"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for f in model._meta.get_fields():
                if isinstance(f, (models.CharField, models.TextField)) and f.editable:
                    if not f.max_length:
                        unbounded.append(f"{model.__name__}.{f.name}")
    assert unbounded == []


# --- the same rule without a request: forms and Model.full_clean -------------------------------
def test_forms_refuse_control_characters_without_the_middleware(unit_a):
    from portal.forms import ProductForm

    form = ProductForm(data={**PRODUCT, "name": "Lempok\x07", "description": "a\x1b[31m"})
    assert not form.is_valid()
    assert "karakter kendali" in " ".join(form.errors["name"])
    assert "karakter kendali" in " ".join(form.errors["description"])
    nul = ProductForm(data={**PRODUCT, "name": "Lempok\x00"})
    assert not nul.is_valid() and len(nul.errors["name"]) == 1  # said once, not twice


def test_full_clean_refuses_control_characters(unit_a):
    """The spreadsheet import and services validate with full_clean: no control character is
    stored by any way in."""
    from django.core.exceptions import ValidationError

    from products.services import product_create

    for bad in ("Lempok\x00", "Lem\x0bpok", "Lem\x85pok"):
        with pytest.raises(ValidationError) as exc:
            product_create(owner=unit_a.owner, unit=unit_a, name=bad, category="makanan")
        assert "name" in exc.value.message_dict
    assert not Product.objects.exists()
