"""The back-office admin: pages, scoping of lists/filters/autocomplete, NIK masking, form errors,
actions calling services. Every test asserts database state or the rows on the page."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from certifications.models import Certification
from ikm.models import IKMUnit, Region
from products.models import Product
from tests.factories import (
    DESA_KETAPANG,
    DESA_SANGGAU,
    CertificationFactory,
    ProductFactory,
    UnitFactory,
)

from .helpers import change_form_data

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "ikm_region",
    "ikm_sentra",
    "ikm_ikmunit",
    "products_product",
    "certifications_certification",
]
SUPERUSER_CHANGELISTS = ["ikm_official", "ikm_personaldataexport", "auth_user", "auth_group"]
ADD_PAGES = ["ikm_sentra", "ikm_ikmunit", "products_product", "certifications_certification"]


def result_pks(response) -> set:
    return {obj.pk for obj in response.context["cl"].result_list}


# --- every page renders ------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["province_official", "superuser"])
def test_every_changelist_add_and_change_page_renders(client, world, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    names = CHANGELISTS + (SUPERUSER_CHANGELISTS if who == "superuser" else [])
    for name in names:
        response = client.get(reverse(f"admin:{name}_changelist"))
        assert response.status_code == 200, name
        if name in CHANGELISTS:
            assert response.context["cl"].result_count >= 1, name
    for name in ADD_PAGES:
        assert client.get(reverse(f"admin:{name}_add")).status_code == 200, name
    for name, obj in [
        ("ikm_ikmunit", world.unit_sanggau),
        ("products_product", world.product_sanggau),
        ("certifications_certification", world.cert_sanggau),
        ("ikm_sentra", world.sentra_sanggau),
        ("ikm_region", Region.objects.get(code=DESA_SANGGAU)),
    ]:
        response = client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
        assert response.status_code == 200, name


def test_unit_change_page_has_products_and_certifications_inline(client, world, province_official):
    client.force_login(province_official)
    response = client.get(reverse("admin:ikm_ikmunit_change", args=[world.unit_sanggau.pk]))
    prefixes = {f.formset.prefix for f in response.context["inline_admin_formsets"]}
    assert prefixes == {"products", "certifications"}
    assert world.product_sanggau.name in response.content.decode()
    assert world.cert_sanggau.number in response.content.decode()


def test_product_change_page_has_photos_and_links_inline(client, world, province_official):
    client.force_login(province_official)
    response = client.get(reverse("admin:products_product_change", args=[world.product_sanggau.pk]))
    prefixes = {f.formset.prefix for f in response.context["inline_admin_formsets"]}
    assert prefixes == {"photos", "marketplace_links"}
    assert world.link_sanggau.url in response.content.decode()


def test_index_links_the_quality_lists_and_statistics(client, province_official):
    client.force_login(province_official)
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:quality_index") in html
    assert reverse("admin:statistics") in html


def test_staff_without_official_row_sees_no_module(client, world, staff_without_scope):
    client.force_login(staff_without_scope)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []
    assert reverse("admin:quality_index") not in response.content.decode()


# --- scoping of changelists --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "expect"),
    [
        ("official_sanggau", "sanggau"),
        ("official_ketapang", "ketapang"),
        ("province_official", "both"),
        ("superuser", "both"),
    ],
)
def test_changelists_hold_only_in_scope_rows(client, world, who, expect, request):
    client.force_login(request.getfixturevalue(who))
    expected = {
        "ikm_ikmunit": {"sanggau": {world.unit_sanggau.pk}, "ketapang": {world.unit_ketapang.pk}},
        "products_product": {
            "sanggau": {world.product_sanggau.pk},
            "ketapang": {world.product_ketapang.pk},
        },
        "certifications_certification": {
            "sanggau": {world.cert_sanggau.pk},
            "ketapang": {world.cert_ketapang.pk},
        },
        "ikm_sentra": {
            "sanggau": {world.sentra_sanggau.pk},
            "ketapang": {world.sentra_ketapang.pk},
        },
    }
    for name, by_region in expected.items():
        want = (
            by_region["sanggau"] | by_region["ketapang"] if expect == "both" else by_region[expect]
        )
        response = client.get(reverse(f"admin:{name}_changelist"))
        assert result_pks(response) == want, name


def test_region_changelist_is_scoped(client, official_sanggau):
    client.force_login(official_sanggau)
    response = client.get(reverse("admin:ikm_region_changelist") + "?q=sungai")
    codes = {r.code for r in response.context["cl"].result_list}
    assert codes and all(code.startswith("61.03.") for code in codes)


# --- list filters ------------------------------------------------------------------------------
def test_unit_list_filters(client, world, province_official):
    big = UnitFactory(
        name="Keramik Sakkok",
        desa=Region.objects.get(code="61.72.01.1001"),
        commodity_group="kerajinan",
        workers=25,
        investment=2_000_000_000,
        verified=False,
    )
    client.force_login(province_official)
    url = reverse("admin:ikm_ikmunit_changelist")
    cases = {
        "?kabkota=61.03": {world.unit_sanggau.pk},
        "?kabkota=61.04": {world.unit_ketapang.pk},
        "?kabkota=61.03&kecamatan=61.03.01": {world.unit_sanggau.pk},
        "?kabkota=61.03&kecamatan=61.03.02": set(),
        "?commodity_group__exact=kerajinan": {big.pk},
        "?skala=menengah": {big.pk},
        "?skala=kecil": {world.unit_sanggau.pk, world.unit_ketapang.pk},
        "?verified__exact=0": {big.pk},
        "?q=6104000000001": {world.unit_ketapang.pk},
    }
    for query, want in cases.items():
        assert result_pks(client.get(url + query)) == want, query


def test_product_and_certificate_filters(client, world, province_official):
    Product.objects.filter(pk=world.product_ketapang.pk).update(is_published=False)
    Product.objects.filter(pk=world.product_sanggau.pk).update(is_selected=True)
    ovop = CertificationFactory(
        unit=world.unit_ketapang, type="ovop", number="KEP-12/IKMA/2024", ovop_stars=4,
        ovop_year=2024,
    )  # fmt: skip
    client.force_login(province_official)
    products = reverse("admin:products_product_changelist")
    assert result_pks(client.get(products + "?kabkota=61.04")) == {world.product_ketapang.pk}
    assert result_pks(client.get(products + "?is_published__exact=0")) == {
        world.product_ketapang.pk
    }
    assert result_pks(client.get(products + "?is_selected__exact=1")) == {world.product_sanggau.pk}
    certs = reverse("admin:certifications_certification_changelist")
    assert result_pks(client.get(certs + "?type__exact=ovop")) == {ovop.pk}
    assert result_pks(client.get(certs + "?kabkota=61.03")) == {world.cert_sanggau.pk}
    assert result_pks(client.get(certs + "?status=active")) == {
        world.cert_sanggau.pk,
        world.cert_ketapang.pk,
        ovop.pk,
    }
    assert result_pks(client.get(certs + "?status=expired")) == set()


def _filter_choices(response, title):
    for spec in response.context["cl"].filter_specs:
        if str(spec.title) == title:
            return [str(c["display"]) for c in spec.choices(response.context["cl"])][1:]
    return None


def test_region_filters_list_names_in_the_officials_scope(client, world, official_sanggau):
    client.force_login(official_sanggau)
    response = client.get(reverse("admin:ikm_ikmunit_changelist"))
    assert _filter_choices(response, "kabupaten/kota") == ["Kabupaten Sanggau"]
    kecamatan = _filter_choices(response, "kecamatan")
    assert "Kapuas" in kecamatan
    assert len(kecamatan) == Region.objects.filter(parent_id="61.03").count()


def test_province_official_sees_all_kabupaten_and_kecamatan_after_choosing_one(
    client, province_official
):
    client.force_login(province_official)
    url = reverse("admin:ikm_ikmunit_changelist")
    response = client.get(url)
    assert len(_filter_choices(response, "kabupaten/kota")) == 14
    assert _filter_choices(response, "kecamatan") is None  # none offered before a kab/kota
    response = client.get(url + "?kabkota=61.04")
    assert "Matan Hilir Utara" in _filter_choices(response, "kecamatan")


# --- autocomplete ------------------------------------------------------------------------------
def _autocomplete(client, app_label, model_name, field_name, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return json.loads(response.content)


def test_unit_autocomplete_offers_only_the_officials_units(client, world, official_ketapang):
    client.force_login(official_ketapang)
    data = _autocomplete(client, "certifications", "certification", "unit")
    assert {r["id"] for r in data["results"]} == {str(world.unit_ketapang.pk)}
    data = _autocomplete(client, "products", "product", "unit", "Lempok")
    assert data["results"] == []


def test_desa_autocomplete_offers_only_desa_of_the_region(client, official_sanggau):
    client.force_login(official_sanggau)
    data = _autocomplete(client, "ikm", "ikmunit", "desa", "Kapuas")
    ids = [r["id"] for r in data["results"]]
    assert ids, data
    regions = Region.objects.in_bulk(ids)
    assert all(r.level in ("desa", "kelurahan") for r in regions.values())
    assert all(code.startswith("61.03.") for code in ids)
    # The text names the kecamatan and kab/kota: desa names repeat across Kalbar.
    assert all("Sanggau" in r["text"] for r in data["results"])


def test_official_kabupaten_autocomplete_offers_only_kab_kota(client, superuser):
    client.force_login(superuser)
    data = _autocomplete(client, "ikm", "official", "kabupaten", "Sanggau")
    assert [r["id"] for r in data["results"]] == ["61.03"]


# --- NIK ---------------------------------------------------------------------------------------
NIK = "6103014501900002"


@pytest.fixture
def unit_with_nik(world):
    from ikm.services import unit_set_nik

    unit = world.unit_sanggau
    unit_set_nik(unit, NIK)
    unit.save()
    return unit


def test_nik_is_masked_without_permission(client, unit_with_nik, province_official):
    client.force_login(province_official)
    for url in [
        reverse("admin:ikm_ikmunit_changelist"),
        reverse("admin:ikm_ikmunit_change", args=[unit_with_nik.pk]),
        reverse("admin:ikm_ikmunit_history", args=[unit_with_nik.pk]),
        reverse(
            "admin:ikm_ikmunit_simple_history",
            args=[unit_with_nik.pk, unit_with_nik.history.latest().history_id],
        ),
        reverse("admin:quality_duplicates"),
    ]:
        html = client.get(url).content.decode()
        assert NIK not in html, url
    change = client.get(reverse("admin:ikm_ikmunit_change", args=[unit_with_nik.pk]))
    html = change.content.decode()
    assert "************0002" in html
    assert unit_with_nik.nik_ciphertext not in html
    changelist = client.get(reverse("admin:ikm_ikmunit_changelist")).content.decode()
    assert "0002" not in re.sub(r"\d{5,}", "", changelist)  # not even masked in the list


def test_nik_shown_whole_to_holders_of_view_nik(client, unit_with_nik, nik_viewer):
    client.force_login(nik_viewer)
    html = client.get(reverse("admin:ikm_ikmunit_change", args=[unit_with_nik.pk])).content
    assert NIK in html.decode()
    # ...and they may find the unit by its NIK; others may not.
    url = reverse("admin:ikm_ikmunit_changelist") + f"?q={NIK}"
    assert result_pks(client.get(url)) == {unit_with_nik.pk}


def test_search_by_nik_finds_nothing_without_permission(client, unit_with_nik, province_official):
    client.force_login(province_official)
    url = reverse("admin:ikm_ikmunit_changelist") + f"?q={NIK}"
    assert result_pks(client.get(url)) == set()


def test_set_and_replace_nik_through_the_form(client, world, province_official):
    from ikm import nik

    client.force_login(province_official)
    url = reverse("admin:ikm_ikmunit_change", args=[world.unit_ketapang.pk])
    data = change_form_data(client.get(url))
    data["nik"] = "6104 0145 0780 8901"  # a NIK by meaning: kecamatan 61.04.01, 5 July 1980 (f)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    unit = IKMUnit.objects.get(pk=world.unit_ketapang.pk)
    assert unit.nik_last4 == "8901"
    assert unit.nik_digest == nik.digest("6104014507808901")
    assert nik.unseal(unit.nik_ciphertext) == "6104014507808901"
    assert "6104014507808901" not in unit.nik_ciphertext


# --- form errors: database constraints become Indonesian field errors -----------------------
def _post_unit(client, unit, **changes):
    url = reverse("admin:ikm_ikmunit_change", args=[unit.pk])
    data = change_form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"nib": "12345"}, "nib", "NIB harus 13 digit angka."),
        (
            {"nib": "6104000000001"},
            "nib",
            "NIB ini sudah terdaftar pada unit lain.",
        ),  # duplicate NIB (the Ketapang unit's)
        ({"desa": "61.03.01"}, "desa", "Lokasi unit harus desa atau kelurahan"),
        ({"desa": DESA_KETAPANG}, "desa", "di luar wilayah kerja Anda"),
        ({"kbli": "12"}, "kbli", "KBLI harus 5 digit angka."),
        ({"investment": "-5"}, "investment", "tidak boleh negatif"),
        ({"year_established": "1800"}, "year_established", "paling awal 1900"),
        ({"nik": "123"}, "nik", "NIK harus 16 digit angka."),
    ],
)
def test_unit_form_errors_are_indonesian_field_errors(
    client, world, official_sanggau, changes, field, message
):
    client.force_login(official_sanggau)
    before = IKMUnit.objects.values().get(pk=world.unit_sanggau.pk)
    history_rows = world.unit_sanggau.history.count()
    response = _post_unit(client, world.unit_sanggau, **changes)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert IKMUnit.objects.values().get(pk=world.unit_sanggau.pk) == before
    assert world.unit_sanggau.history.count() == history_rows


def test_duplicate_nik_is_a_field_error(client, world, province_official):
    from ikm.services import unit_set_nik

    unit_set_nik(world.unit_ketapang, NIK)
    world.unit_ketapang.save()
    client.force_login(province_official)
    response = _post_unit(client, world.unit_sanggau, nik=NIK)
    assert response.status_code == 200
    assert (
        "NIK ini sudah terdaftar pada unit lain."
        in response.context["adminform"].form.errors["nik"]
    )


def test_certificate_form_errors(client, world, province_official):
    client.force_login(province_official)
    url = reverse("admin:certifications_certification_change", args=[world.cert_ketapang.pk])
    data = change_form_data(client.get(url))
    data.update({"number": world.cert_sanggau.number})  # same type and number
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "sudah terdaftar" in " ".join(errors["number"])
    data.update({"number": "ID61110009999999", "valid_until": "2020-01-01", "ovop_stars": "3"})
    errors = client.post(url, data).context["adminform"].form.errors
    assert "tidak boleh sebelum tanggal terbit" in " ".join(errors["valid_until"])
    assert "Hanya sertifikat OVOP" in " ".join(errors["ovop_stars"])
    other_product = ProductFactory(unit=world.unit_sanggau)
    data.update({"valid_until": "", "ovop_stars": "", "products": [str(other_product.pk)]})
    errors = client.post(url, data).context["adminform"].form.errors
    assert "bukan milik unit ini" in " ".join(errors["products"])
    assert Certification.objects.get(pk=world.cert_ketapang.pk).number == world.cert_ketapang.number


def test_product_negative_price_is_a_field_error(client, world, province_official):
    client.force_login(province_official)
    url = reverse("admin:products_product_change", args=[world.product_sanggau.pk])
    data = change_form_data(client.get(url))
    data["price"] = "-1"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Harga tidak boleh negatif." in response.context["adminform"].form.errors["price"]
    assert Product.objects.get(pk=world.product_sanggau.pk).price == 25_000


def test_marketplace_link_must_point_to_its_platform(client, world, province_official):
    client.force_login(province_official)
    url = reverse("admin:products_product_change", args=[world.product_sanggau.pk])
    data = change_form_data(client.get(url))
    data.update(
        {
            "marketplace_links-TOTAL_FORMS": 2,
            "marketplace_links-1-platform": "tokopedia",
            "marketplace_links-1-url": "https://evil.example.com/toko",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    formset = [f for f in response.context["inline_admin_formsets"]
               if f.formset.prefix == "marketplace_links"][0].formset  # fmt: skip
    assert "harus mengarah ke tokopedia.com" in str(formset.errors)
    assert world.product_sanggau.marketplace_links.count() == 1


def test_add_unit_in_own_region_with_generated_slug(client, official_sanggau):
    client.force_login(official_sanggau)
    url = reverse("admin:ikm_ikmunit_add")
    response = client.get(url)
    data = change_form_data(response)
    data.update(
        {
            "name": "Madu Kelulut Sanggau",
            "slug": "",
            "owner_name": "Yohanes",
            "commodity_group": "makanan",
            "desa": DESA_SANGGAU,
            "nib": "6103 0000 0000 9",
            "workers": "4",
            "investment": "20000000",
            "products-TOTAL_FORMS": 1,
            "products-0-name": "Madu kelulut 250 ml",
            "products-0-category": "makanan",
            "products-0-price": "85000",
            "products-0-price_unit": "botol",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    unit = IKMUnit.objects.get(name="Madu Kelulut Sanggau")
    assert (unit.slug, unit.nib, unit.kabupaten_code) == (
        "madu-kelulut-sanggau",
        "6103000000009",
        "61.03",
    )
    assert unit.products.get().slug == "madu-kelulut-250-ml"
    assert unit.history.get().history_user == official_sanggau


# --- actions -----------------------------------------------------------------------------------
def test_verify_units_action(client, world, official_sanggau):
    IKMUnit.objects.filter(pk=world.unit_sanggau.pk).update(verified=False)
    client.force_login(official_sanggau)
    response = client.post(
        reverse("admin:ikm_ikmunit_changelist"),
        {"action": "verify_units", "_selected_action": [world.unit_sanggau.pk]},
    )
    assert response.status_code == 302
    unit = IKMUnit.objects.get(pk=world.unit_sanggau.pk)
    assert unit.verified and unit.verified_by == official_sanggau and unit.verified_at
    latest = unit.history.latest()
    assert (latest.verified, latest.history_user) == (True, official_sanggau)


def test_verify_action_cannot_reach_another_region(client, world, official_sanggau):
    IKMUnit.objects.filter(pk=world.unit_ketapang.pk).update(verified=False)
    client.force_login(official_sanggau)
    client.post(
        reverse("admin:ikm_ikmunit_changelist"),
        {"action": "verify_units", "_selected_action": [world.unit_ketapang.pk]},
    )
    assert not IKMUnit.objects.get(pk=world.unit_ketapang.pk).verified


def test_verify_action_needs_the_verify_permission(client, world, staff_without_scope, superuser):
    from django.contrib.auth.models import Permission

    from ikm.services import official_assign

    official_assign(user=staff_without_scope, kabupaten_id="61.03")
    staff_without_scope.groups.clear()
    staff_without_scope.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="ikm", codename="view_ikmunit")
    )
    client.force_login(staff_without_scope)
    response = client.get(reverse("admin:ikm_ikmunit_changelist"))
    assert "verify_units" not in str(response.context["action_form"])


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [
        ("publish", "is_published", True),
        ("unpublish", "is_published", False),
        ("mark_selected", "is_selected", True),
        ("unmark_selected", "is_selected", False),
    ],
)
def test_product_actions(client, world, official_sanggau, action, field, value):
    Product.objects.filter(pk=world.product_sanggau.pk).update(**{field: not value})
    client.force_login(official_sanggau)
    client.post(
        reverse("admin:products_product_changelist"),
        {"action": action, "_selected_action": [world.product_sanggau.pk]},
    )
    product = Product.objects.get(pk=world.product_sanggau.pk)
    assert getattr(product, field) is value
    latest = product.history.latest()
    assert (getattr(latest, field), latest.history_user) == (value, official_sanggau)


# --- officials --------------------------------------------------------------------------------
def test_superuser_makes_an_official_through_the_admin(client, superuser):
    from django.contrib.auth import get_user_model

    from ikm.roles import KABUPATEN_GROUP

    account = get_user_model().objects.create_user("pejabat_sintang", password="x-Rahasia-99")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:ikm_official_add"),
        {"user": account.pk, "kabupaten": "61.05", "position": "Kepala Bidang"},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.is_staff
    assert account.official.kabupaten_id == "61.05"
    assert list(account.groups.values_list("name", flat=True)) == [KABUPATEN_GROUP]
    assert not account.has_perm("ikm.view_nik")
    response = client.post(
        reverse("admin:ikm_official_change", args=[account.official.pk]),
        {"user": account.pk, "kabupaten": "61.05.01", "position": ""},
    )
    assert "Pilih kabupaten/kota" in str(response.context["adminform"].form.errors["kabupaten"])


def test_certificate_add_with_products_of_the_unit(client, world, official_sanggau):
    client.force_login(official_sanggau)
    url = reverse("admin:certifications_certification_add")
    data = change_form_data(client.get(url))
    data.update(
        {
            "unit": world.unit_sanggau.pk,
            "type": "bpom_md",
            "number": "MD 2240 1234 5678",
            "issuer": "BPOM",
            "issued_on": "2025-01-10",
            "valid_until": "2030-01-10",
            "products": [world.product_sanggau.pk],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    cert = Certification.objects.get(type="bpom_md")
    assert cert.number == "MD224012345678"
    assert list(cert.products.all()) == [world.product_sanggau]
    assert {h.history_user for h in cert.history.all()} == {official_sanggau}


def test_certificate_for_a_unit_out_of_scope_is_refused(client, world, official_sanggau):
    client.force_login(official_sanggau)
    url = reverse("admin:certifications_certification_add")
    data = change_form_data(client.get(url))
    data.update(
        {
            "unit": world.unit_ketapang.pk,
            "type": "halal",
            "number": "ID61110000999999",
            "issuer": "BPJPH",
            "issued_on": "2025-01-10",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "di luar wilayah kerja Anda" in str(response.context["adminform"].form.errors["unit"])
    assert not Certification.objects.filter(number="ID61110000999999").exists()


# --- photos through the product page -----------------------------------------------------------
def _jpeg(size=(1600, 1200)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_photo_upload_in_the_product_inline_is_normalised(
    client, world, province_official, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(province_official)
    url = reverse("admin:products_product_change", args=[world.product_sanggau.pk])
    data = change_form_data(client.get(url))
    data.update(
        {
            "photos-TOTAL_FORMS": 1,
            "photos-0-image": SimpleUploadedFile("lempok.jpg", _jpeg(), "image/jpeg"),
            "photos-0-alt_text": "Lempok durian dalam kemasan",
            "photos-0-position": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ]
    photo = world.product_sanggau.photos.get()
    assert photo.alt_text == "Lempok durian dalam kemasan"
    assert photo.renditions  # resized copies were made at upload
    assert max(photo.width, photo.height) <= 1600


def test_a_file_that_is_not_an_image_is_refused_in_indonesian(
    client, world, province_official, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(province_official)
    url = reverse("admin:products_product_change", args=[world.product_sanggau.pk])
    data = change_form_data(client.get(url))
    data.update(
        {
            "photos-TOTAL_FORMS": 1,
            "photos-0-image": SimpleUploadedFile("foto.jpg", b"bukan gambar", "image/jpeg"),
            "photos-0-position": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    errors = [f.formset.errors for f in response.context["inline_admin_formsets"]]
    assert "gambar" in str(errors).lower()
    assert not world.product_sanggau.photos.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_a_database_refusal_the_form_missed_is_a_message_not_a_500(
    client, world, province_official, monkeypatch
):
    """Simulates a concurrent save: the form's checks pass, the database refuses the NIB."""
    from backoffice.admin.units import IKMUnitAdminForm

    monkeypatch.setattr(IKMUnitAdminForm, "clean_nib", lambda self: self.cleaned_data["nib"])
    monkeypatch.setattr(IKMUnitAdminForm, "validate_unique", lambda self: None)
    client.force_login(province_official)
    url = reverse("admin:ikm_ikmunit_change", args=[world.unit_sanggau.pk])
    data = change_form_data(client.get(url))
    data.update({"nib": world.unit_ketapang.nib, "name": "Tidak Tersimpan"})
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    text = " ".join(str(m) for m in response.context["messages"])
    assert "Data tidak disimpan: bertentangan dengan aturan basis data (ikm_ikmunit_nib" in text
    unit = IKMUnit.objects.get(pk=world.unit_sanggau.pk)
    assert (unit.name, unit.nib) == ("Lempok Durian Sanggau", "6103000000001")
    assert unit.history.count() == 1
