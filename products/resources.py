"""Spreadsheet import/export of products (Indonesian headers, natural keys).

A row names its unit by ``NIB unit`` and is matched to that unit's product of the same name
(case-insensitive), else a new product is created (slug by the rule of ``unique_slug``). One
column per marketplace holds that marketplace's link(s) (several separated by spaces or new
lines); a present column replaces that marketplace's links, an absent one leaves them alone.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _g
from import_export.instance_loaders import BaseInstanceLoader

from core.spreadsheet import (
    Col,
    SpreadsheetResource,
    choice_parser,
    parse_amount,
    parse_bool,
    render_choice,
    text,
    text_parser,
    unescape_formula,
)
from ikm.importing import SlugAllocator
from ikm.models import CommodityGroup, IKMUnit
from ikm.resources import CHUNK, UnitRowResource, nib_or_none

from .models import MARKETPLACE_HOSTS, Marketplace, MarketplaceLink, PriceUnit, Product

MARKETPLACE_COLUMNS = {
    Marketplace.SHOPEE: "Shopee",
    Marketplace.TOKOPEDIA: "Tokopedia",
    Marketplace.LAZADA: "Lazada",
    Marketplace.BLIBLI: "Blibli",
    Marketplace.BUKALAPAK: "Bukalapak",
}


_price_unit = choice_parser(PriceUnit.choices)


def _bool_render(value: Any) -> str:
    return _g("ya") if value else _g("tidak")


def parse_links(platform: str, cell: Any) -> list[str]:
    urls = [u for u in re.split(r"[\s,;]+", text(unescape_formula(cell))) if u]
    hosts = MARKETPLACE_HOSTS.get(platform, ())
    result = []
    for url in urls:
        if not re.match(r"(?i)^https?://", url):
            url = "https://" + url
        try:
            URLValidator()(url)
        except ValidationError:
            raise ValueError(_g("Tautan tidak valid: %(url)s.") % {"url": url}) from None
        host = (urlsplit(url).hostname or "").lower()
        if hosts and not any(host == h or host.endswith("." + h) for h in hosts):
            raise ValueError(
                _g("Tautan %(url)s bukan alamat %(platform)s (%(hosts)s).")
                % {"url": url, "platform": platform.label, "hosts": ", ".join(hosts)}
            )
        if len(url) > 500:
            raise ValueError(_g("Tautan terlalu panjang (maksimal 500 karakter)."))
        result.append(url)
    return sorted(set(result))


class LinksCol(Col):
    """A marketplace's links: compared and saved by the resource, not set as an attribute."""

    manual = True

    def __init__(self, platform: str, column_name: str):
        super().__init__(None, column_name)
        self.platform = platform


class ProductInstanceLoader(BaseInstanceLoader):
    """The units named in the file and their products, in a few queries."""

    def __init__(self, resource: ProductResource, dataset=None):
        super().__init__(resource, dataset)
        headers = dataset.headers or []
        nibs: set[str] = set()
        if "NIB unit" in headers:
            i = headers.index("NIB unit")
            nibs = {nib for row in dataset._data if (nib := nib_or_none(row[i]))}
        units: dict[str, IKMUnit] = {}
        nib_list = sorted(nibs)
        for k in range(0, len(nib_list), CHUNK):
            for unit in IKMUnit.objects.filter(nib__in=nib_list[k : k + CHUNK]):
                units[unit.nib] = unit
        resource.units_by_nib = units
        self.products: dict[tuple[int, str], Product] = {}
        by_id = {u.pk: u for u in units.values()}
        unit_ids = list(by_id)
        for k in range(0, len(unit_ids), CHUNK):
            qs = Product.objects.filter(unit_id__in=unit_ids[k : k + CHUNK]).prefetch_related(
                "marketplace_links"
            )
            for product in qs.order_by("pk"):
                product.unit = by_id[product.unit_id]
                self.products.setdefault((product.unit_id, product.name.lower()), product)

    def get_instance(self, row):
        unit = self.resource.units_by_nib.get(nib_or_none(row.get("NIB unit")) or "")
        name = text(row.get("Nama produk")).lower()
        if unit is None or not name:
            return None
        return self.products.get((unit.pk, name))


class ProductResource(UnitRowResource):
    # Headers offices give these columns (see core.spreadsheet.mapping; the own header is known).
    column_synonyms = {
        "NIB unit": ("NIB", "NIB IKM", "NIB usaha"),
        "Nama produk": ("Produk", "Nama barang", "Jenis produk"),
        "Kategori": ("Kategori produk", "Kelompok komoditas", "Komoditi"),
        "Harga (Rp)": ("Harga", "Harga jual", "Harga satuan"),
        "Satuan": ("Satuan harga", "Kemasan"),
        "Deskripsi": ("Deskripsi produk", "Keterangan", "Uraian"),
    }
    report_key_columns = ("NIB unit", "Nama produk")

    unit_nib = Col(None, "NIB unit", required=True)
    unit_name = Col("unit__name", "Nama usaha", readonly=True)
    name = Col("name", "Nama produk", parse=text_parser(200), required=True)
    category = Col(
        "category",
        "Kategori",
        parse=choice_parser(CommodityGroup.choices),
        render=render_choice(CommodityGroup.choices),
        required=True,
    )
    price = Col(
        "price",
        "Harga (Rp)",
        parse=lambda c: parse_amount(c, maximum=9_000_000_000_000_000),  # "Rp 35 rb" too
        native=True,
    )
    price_unit = Col(
        "price_unit",
        "Satuan",
        parse=lambda c: _price_unit(c) or PriceUnit.PCS,
        render=render_choice(PriceUnit.choices),
    )
    description = Col("description", "Deskripsi", parse=text_parser())
    is_published = Col(
        "is_published", "Tayang", parse=lambda c: bool(parse_bool(c)), render=_bool_render
    )
    is_selected = Col(
        "is_selected", "Terseleksi", parse=lambda c: bool(parse_bool(c)), render=_bool_render
    )
    shopee = LinksCol(Marketplace.SHOPEE, "Shopee")
    tokopedia = LinksCol(Marketplace.TOKOPEDIA, "Tokopedia")
    lazada = LinksCol(Marketplace.LAZADA, "Lazada")
    blibli = LinksCol(Marketplace.BLIBLI, "Blibli")
    bukalapak = LinksCol(Marketplace.BUKALAPAK, "Bukalapak")

    write_fields = (
        "unit",
        "name",
        "category",
        "price",
        "price_unit",
        "description",
        "is_published",
        "is_selected",
    )

    class Meta(SpreadsheetResource.Meta):
        model = Product
        import_id_fields = ()
        instance_loader_class = ProductInstanceLoader
        fields = (
            "unit_nib",
            "unit_name",
            "name",
            "category",
            "price",
            "price_unit",
            "description",
            "is_published",
            "is_selected",
            "shopee",
            "tokopedia",
            "lazada",
            "blibli",
            "bukalapak",
        )

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self._slugs = SlugAllocator(Product)
        self._seen: dict[tuple[int, str], int] = {}

    @classmethod
    def get_display_name(cls):
        return _g("Produk")

    def get_queryset(self):
        return Product.objects.select_related("unit").prefetch_related("marketplace_links")

    def related_state(self, instance):
        return (self._links_state(instance),)

    @staticmethod
    def _links_state(instance) -> frozenset:
        state = getattr(instance, "_sipi_links", None)
        if state is not None:
            return state
        if instance.pk is None:
            return frozenset()
        return frozenset((link.platform, link.url) for link in instance.marketplace_links.all())

    def constraint_columns(self):
        return {
            "price": ("Harga (Rp)", _g("Harga tidak boleh negatif.")),
            "slug": ("Nama produk", _g("Slug produk bentrok; ulangi impor.")),
        }

    def import_row_extra(self, instance, row, errors, **kwargs):
        number = kwargs.get("row_number", 0)
        new = instance.pk is None
        if not new:
            message = self.scope_error(instance.unit.kabupaten_code)
            if message:
                errors.setdefault("NIB unit", []).append(message)
                return
        # Marketplace links of the columns present.
        state = set(self._links_state(instance))
        for field in self.fields.values():
            if not isinstance(field, LinksCol) or field.column_name not in row:
                continue
            try:
                urls = parse_links(field.platform, row.get(field.column_name))
            except ValueError as e:
                errors.setdefault(field.column_name, []).append(str(e))
                continue
            state = {s for s in state if s[0] != field.platform}
            state |= {(field.platform, url) for url in urls}
        instance._sipi_links = frozenset(state)
        unit = self.unit_for_row(row, errors)
        if unit is None:
            return
        instance.unit = unit
        key = (unit.pk, (instance.name or "").lower())
        first = self._seen.setdefault(key, number)
        if first != number:
            errors.setdefault("Nama produk", []).append(
                _g("Produk ini sudah ada di baris %(row)s untuk unit yang sama.")
                % {"row": first + 1}
            )
        if new and not errors:
            instance.slug = self._slugs.allocate(instance.name)

    def after_instance_saved(self, instance, is_create):
        wanted = getattr(instance, "_sipi_links", None)
        if wanted is None:
            return
        existing = {(link.platform, link.url): link.pk for link in instance.marketplace_links.all()}
        stale = [pk for key, pk in existing.items() if key not in wanted]
        if stale:
            MarketplaceLink.objects.filter(pk__in=stale).delete()
        missing = [
            MarketplaceLink(product=instance, platform=p, url=u)
            for p, u in sorted(wanted)
            if (p, u) not in existing
        ]
        MarketplaceLink.objects.bulk_create(missing)
        if hasattr(instance, "_prefetched_objects_cache"):
            instance._prefetched_objects_cache.pop("marketplace_links", None)

    def after_bulk_saved(self, instances, is_create):
        """The marketplace links of a saved batch, set-based: one delete and one insert.

        The loader prefetched the links of existing products, so nothing is read per row."""
        stale: list[int] = []
        missing: list[MarketplaceLink] = []
        for instance in instances:
            wanted = getattr(instance, "_sipi_links", None)
            if wanted is None:
                continue
            existing = (
                {}
                if is_create
                else {
                    (link.platform, link.url): link.pk for link in instance.marketplace_links.all()
                }
            )
            stale.extend(pk for key, pk in existing.items() if key not in wanted)
            missing.extend(
                MarketplaceLink(product=instance, platform=p, url=u)
                for p, u in sorted(wanted)
                if (p, u) not in existing
            )
            if hasattr(instance, "_prefetched_objects_cache"):
                instance._prefetched_objects_cache.pop("marketplace_links", None)
        if stale:
            MarketplaceLink.objects.filter(pk__in=stale).delete()
        if missing:
            MarketplaceLink.objects.bulk_create(missing, batch_size=5000)

    # --- export ----------------------------------------------------------------------------------
    def _links(self, product, platform):
        return "\n".join(
            sorted(
                link.url for link in product.marketplace_links.all() if link.platform == platform
            )
        )

    def dehydrate_shopee(self, product):
        return self._links(product, Marketplace.SHOPEE)

    def dehydrate_tokopedia(self, product):
        return self._links(product, Marketplace.TOKOPEDIA)

    def dehydrate_lazada(self, product):
        return self._links(product, Marketplace.LAZADA)

    def dehydrate_blibli(self, product):
        return self._links(product, Marketplace.BLIBLI)

    def dehydrate_bukalapak(self, product):
        return self._links(product, Marketplace.BUKALAPAK)

    def filter_export(self, queryset, **kwargs):
        queryset = super().filter_export(queryset, **kwargs)
        return queryset.select_related("unit").prefetch_related("marketplace_links")
