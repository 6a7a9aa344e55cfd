"""Public pages: home, catalog, product."""

from __future__ import annotations

import json
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.facets import PAGE_PARAM, chosen_params
from events.selectors import upcoming_events
from products.images import rendition_url
from public import catalog as catalog_selectors
from public import search_help
from public.filters import ProductFilter, Sort
from public.middleware import anonymous_page_cache
from public.selectors import (
    home_figures,
    kabupaten_map,
    newest_products,
    selected_products,
)


def json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> block, safe against </script>."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return mark_safe(text)  # noqa: S308 - every markup character is escaped above


@anonymous_page_cache
def home(request: HttpRequest) -> HttpResponse:
    figures = home_figures()
    return render(
        request,
        "public/home.html",
        {
            "figures": figures,
            "map": kabupaten_map(figures.units_per_kabupaten),
            "selected_products": selected_products(),
            "newest_products": newest_products(),
            "upcoming_events": list(upcoming_events()[:3]),
            "search_form": ProductFilter().form,
        },
    )


def catalog_params() -> frozenset[str]:
    """The catalog's parameters (a query of these only may come from the page cache)."""
    return frozenset(ProductFilter.base_filters) | {PAGE_PARAM}


@anonymous_page_cache(params=catalog_params)
def catalog(request: HttpRequest) -> HttpResponse:
    result = catalog_selectors.catalog(request.GET)
    raw_query = (request.GET.get("q") or "")[:200]
    help_ = {"suggestion": search_help.suggestion(raw_query, result.parsed, request.GET)}
    if not result.errors and not result.page.object_list:  # an empty result: where to go next
        help_["popular_categories"] = search_help.popular_categories(
            catalog_selectors.unfiltered_facets().get("kategori", {})
        )
        help_["popular_searches"] = search_help.popular_searches()
    return render(
        request,
        "public/catalog.html",
        {
            "catalog": result,
            "search_help": help_,
            "crumbs": [(_("Katalog produk"), None)],
            "search_value": (request.GET.get("q") or "")[:200],
            "facet_params": chosen_params(request.GET, catalog_selectors.FACET_PARAMS),
            "sort_choices": Sort.CHOICES,
        },
    )


def whatsapp_url(product, request: HttpRequest) -> str | None:
    """``https://wa.me/<number>?text=…`` when the unit made its WhatsApp number public."""
    unit = product.unit
    number = "".join(ch for ch in (unit.whatsapp or "") if ch.isdigit())
    if not unit.whatsapp_public or not number:
        return None
    if number.startswith("0"):
        number = "62" + number[1:]
    message = _("Halo %(unit)s, saya tertarik dengan produk %(product)s (%(url)s).") % {
        "unit": unit.name,
        "product": product.name,
        "url": request.build_absolute_uri(product.get_absolute_url()),
    }
    return f"https://wa.me/{number}?text={quote(message)}"


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    product = catalog_selectors.product_for_page(slug)
    unit = product.unit
    desa = unit.desa
    kecamatan = desa.parent
    kabupaten = kecamatan.parent if kecamatan else None
    photos = list(product.photos.all())
    url = request.build_absolute_uri(product.get_absolute_url())
    description = Truncator(strip_tags(product.description)).chars(200)
    image = request.build_absolute_uri(rendition_url(photos[0], 1024)) if photos else ""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "description": description,
        "url": url,
        "category": product.get_category_display(),
        "brand": {"@type": "Brand", "name": unit.name},
        "manufacturer": {
            "@type": "Organization",
            "name": unit.name,
            "url": request.build_absolute_uri(unit.get_absolute_url()),
            "address": {
                "@type": "PostalAddress",
                "addressLocality": kabupaten.name if kabupaten else "",
                "addressRegion": "Kalimantan Barat",
                "addressCountry": "ID",
            },
        },
    }
    if image:
        data["image"] = [image]
    if product.price is not None:
        data["offers"] = {
            "@type": "Offer",
            "price": str(product.price),
            "priceCurrency": "IDR",
            "availability": "https://schema.org/InStock",
            "url": url,
        }
    return render(
        request,
        "public/product_detail.html",
        {
            "product": product,
            "unit": unit,
            "desa": desa,
            "kecamatan": kecamatan,
            "kabupaten": kabupaten,
            "photos": photos,
            "certifications": list(product.certifications.all()),
            "marketplace_links": list(product.marketplace_links.all()),
            "whatsapp_url": whatsapp_url(product, request),
            "related": catalog_selectors.related_products(product),
            "json_ld": json_ld(data),
            "og_description": description,
            "og_image": image,
            "canonical_url": url,
            "crumbs": [
                (_("Katalog produk"), reverse("public:catalog")),
                (
                    product.get_category_display(),
                    reverse("public:catalog") + f"?kategori={product.category}",
                ),
                (product.name, None),
            ],
        },
    )
