"""Public pages: the IKM directory, a unit, and the region pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.facets import PAGE_PARAM, chosen_params, page_number
from ikm.models import Region
from ikm.rules import PROVINCE_CODE
from public import selectors
from public.filters import PUBLIC_CERT_TYPES
from public.middleware import anonymous_page_cache

UNITS_PER_PAGE = 24
DIRECTORY_PARAMS = ("kategori", "kabupaten", "kecamatan", "sertifikat", "sentra")


def directory_params() -> frozenset[str]:
    """The directory's parameters (a query of these only may come from the page cache)."""
    from public.unit_filters import UnitFilter

    return frozenset(UnitFilter.base_filters) | {PAGE_PARAM}


@anonymous_page_cache(params=directory_params)
def unit_list(request: HttpRequest) -> HttpResponse:
    directory = selectors.directory(request.GET)
    return render(
        request,
        "public/unit_list.html",
        {
            "directory": directory,
            "kabupaten_names": directory.regions.kabupaten,
            "crumbs": [(_("Direktori IKM"), None)],
            "search_value": (request.GET.get("q") or "")[:200],
            "facet_params": chosen_params(request.GET, DIRECTORY_PARAMS),
            "cert_choices": PUBLIC_CERT_TYPES,
        },
    )


def _region_crumbs(regions: list[Region]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [(_("Wilayah"), reverse("public:region_index"))]
    for region in regions:
        if region.level != Region.Level.PROVINSI:
            crumbs.append((region.label, region.get_absolute_url()))
    return crumbs


def unit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    unit = selectors.unit_for_page(slug)
    desa = unit.desa
    kecamatan = desa.parent
    kabupaten = kecamatan.parent if kecamatan else None
    crumbs = [(_("Direktori IKM"), reverse("public:unit_list"))]
    if kabupaten:
        crumbs.append(
            (kabupaten.name, reverse("public:unit_list") + f"?kabupaten={kabupaten.code}")
        )
    crumbs.append((unit.name, None))
    return render(
        request,
        "public/unit_detail.html",
        {
            "unit": unit,
            "desa": desa,
            "kecamatan": kecamatan,
            "kabupaten": kabupaten,
            "products": unit.public_products,
            "certifications": unit.certifications_with_status,
            "crumbs": crumbs,
        },
    )


@anonymous_page_cache
def region_index(request: HttpRequest) -> HttpResponse:
    per_kabupaten = selectors.units_per_kabupaten()
    return render(
        request,
        "public/region_index.html",
        {
            "rows": per_kabupaten,
            "map": selectors.kabupaten_map(per_kabupaten),
            "crumbs": [(_("Wilayah"), None)],
        },
    )


@anonymous_page_cache
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region, code=code, code__startswith=PROVINCE_CODE)
    units = selectors.units_in_region(region).order_by("name", "id")
    totals = selectors.region_totals(region)
    paginator = Paginator(units, UNITS_PER_PAGE)
    paginator.__dict__["count"] = totals["units"]  # from the count table: no COUNT(*) of units
    page = paginator.get_page(page_number(request.GET.get(PAGE_PARAM)))
    ancestors = selectors.region_ancestors(region)
    kabupaten = next((r for r in [*ancestors, region] if r.is_kabupaten_kota), None)
    crumbs = _region_crumbs(ancestors)
    crumbs.append((region.label, None))
    catalog_url = reverse("public:catalog")
    if kabupaten:
        catalog_url += f"?kabupaten={kabupaten.code}"
        if region.level == Region.Level.KECAMATAN:
            catalog_url += f"&kecamatan={region.code}"
    children_title = {
        Region.Level.PROVINSI: _("Kabupaten/kota"),
        Region.Level.KABUPATEN: _("Kecamatan"),
        Region.Level.KOTA: _("Kecamatan"),
        Region.Level.KECAMATAN: _("Desa/kelurahan"),
    }.get(region.level, "")
    return render(
        request,
        "public/region_detail.html",
        {
            "region": region,
            "children": selectors.region_children_with_counts(region),
            "children_title": children_title,
            "totals": totals,
            "page": page,
            "crumbs": crumbs,
            "catalog_url": catalog_url,
            "kabupaten_names": {kabupaten.code: kabupaten.name} if kabupaten else {},
        },
    )
