from __future__ import annotations

from django.http import QueryDict

from core.facets import (
    Facet,
    FacetValue,
    active_filters,
    build_facet,
    changed_url,
    chosen_params,
)

DEPENDENT = {"kabupaten": ("kecamatan",)}


def params(query: str) -> QueryDict:
    return QueryDict(query)


def test_changed_url_sets_removes_and_drops_the_page_number():
    data = params("q=tenun&kategori=fashion&halaman=3")
    assert changed_url(data, None, kategori="makanan") == "?q=tenun&kategori=makanan"
    assert changed_url(data, None, kategori=None) == "?q=tenun"
    assert changed_url(params("halaman=2"), None, q=None) == "?"
    assert data["halaman"] == "3"  # the request's parameters are left alone


def test_changed_url_drops_dependent_keys():
    data = params("kabupaten=61.03&kecamatan=61.03.01&kategori=makanan")
    assert changed_url(data, DEPENDENT, kabupaten="61.04") == "?kategori=makanan&kabupaten=61.04"
    assert changed_url(data, DEPENDENT, kabupaten=None) == "?kategori=makanan"
    assert changed_url(data, None, kabupaten=None) == "?kecamatan=61.03.01&kategori=makanan"


def test_changed_url_takes_any_parameter_name():
    assert changed_url(params(""), None, params="x", dependent="y") == "?params=x&dependent=y"


def test_build_facet_lists_values_with_results_and_the_chosen_one():
    data = params("q=madu&kategori=herbal")
    choices = [("makanan", "Makanan"), ("herbal", "Herbal"), ("fashion", "Fesyen")]
    facet = build_facet(data, "kategori", "Kategori", choices, {"makanan": 4})
    assert facet.clear_url == "?q=madu"
    assert facet.values == [
        FacetValue("makanan", "Makanan", 4, "?q=madu&kategori=makanan", False),
        FacetValue("herbal", "Herbal", 0, "?q=madu", True),  # chosen: its link drops it
    ]
    assert facet.selected == facet.values[1]


def test_build_facet_links_drop_dependent_keys():
    data = params("kabupaten=61.03&kecamatan=61.03.01")
    choices = [("61.03", "Sanggau"), ("61.04", "Ketapang")]
    facet = build_facet(
        data, "kabupaten", "Kab", choices, {"61.03": 2, "61.04": 1}, dependent=DEPENDENT
    )
    assert [v.url for v in facet.values] == ["?", "?kabupaten=61.04"]
    assert facet.clear_url == "?"


def test_active_filters_search_first_then_facets_then_more():
    data = params("harga_min=5000&q=lempok&kategori=makanan&halaman=2")
    facets = [
        build_facet(data, "kategori", "Kategori", [("makanan", "Makanan")], {"makanan": 3}),
        Facet("bintang", "Bintang OVOP"),  # nothing chosen: no chip
    ]
    chips = active_filters(data, facets, more=[("harga_min", "Harga ≥ Rp"), ("harga_maks", "≤")])
    assert chips == [
        ("“lempok”", "?harga_min=5000&kategori=makanan"),
        ("Kategori: Makanan", "?harga_min=5000&q=lempok"),
        ("Harga ≥ Rp5000", "?q=lempok&kategori=makanan"),
    ]


def test_active_filters_shortens_long_searches():
    data = params("q=" + "a" * 80)
    assert active_filters(data, []) == [(f"“{'a' * 60}”", "?")]


def test_chosen_params_keeps_non_blank_values_in_order():
    data = params("sentra=1&kategori=+&kabupaten=61.03")
    assert chosen_params(data, ("kategori", "kabupaten", "sentra")) == [
        ("kabupaten", "61.03"),
        ("sentra", "1"),
    ]
