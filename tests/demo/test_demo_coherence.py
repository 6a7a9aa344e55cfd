"""Issue 14: every demo unit's products, names and pictures fit its trade (no durian lempok
under a pandan-mat maker)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from demo.vocabulary import FAMILIES, HEROES, TRADE_WORDS
from ikm.models import IKMUnit
from products.models import Product, ProductPhoto
from tests.support.requests import file_roots  # noqa: F401 - fixture (media in tmp)

pytestmark = pytest.mark.django_db

FOOD = {"makanan", "minuman", "herbal"}
# A unit's commodity group -> the product categories that fit it.
FITS = {
    "makanan": FOOD,
    "minuman": FOOD,
    "herbal": FOOD,
    "kosmetik": {"kosmetik"},
    "fashion": {"fashion", "kerajinan"},
    "kerajinan": {"kerajinan"},
    "perhiasan": {"perhiasan", "kerajinan"},
    "furnitur": {"furnitur"},
    "produk_logam": {"produk_logam"},
}


def fits_trade(name: str, family_key: str) -> bool:
    return any(word in name.lower() for word in TRADE_WORDS[family_key])


def test_every_product_type_fits_its_family():
    assert set(TRADE_WORDS) == set(FAMILIES)
    wrong = [
        (key, p.name, p.category)
        for key, family in FAMILIES.items()
        for p in family.products
        if not fits_trade(p.name, key) or p.category not in FITS[family.group]
    ]
    assert wrong == []


def test_the_reported_mismatch_is_gone():
    pandan = FAMILIES["tikar_pandan"]
    assert not any("durian" in p.name.lower() for p in pandan.products)
    # Durian products come from durian makers only.
    durian_families = {
        key for key, f in FAMILIES.items() for p in f.products if "durian" in p.name.lower()
    }
    assert durian_families == {"lempok"}


def test_every_planned_unit_sells_and_pictures_only_its_trade():
    from demo.plan import build_plan
    from demo.seed import region_pools

    desa, names, _kab = region_pools()
    plan = build_plan(desa, names)
    heroes = {h[2] for h in HEROES}
    for unit in plan.units:
        family = unit.family
        assert unit.name in heroes or unit.name.startswith(family.unit_prefixes), unit.name
        type_names = {p.name for p in family.products}
        for product in unit.products:
            assert product.picture_name in type_names, (unit.name, product.name)
            assert fits_trade(product.name, family.key), (unit.name, product.name)
            assert product.category in FITS[family.group], (unit.name, product.name)
            assert (product.colors, product.motif) == (family.colors, family.motif)


def test_seeded_products_fit_their_units(file_roots):  # noqa: F811
    call_command("seed_demo", force=True, scale=0.2, verbosity=0)
    products = Product.objects.select_related("unit")
    assert products.count() > 50
    by_prefix = sorted(
        ((prefix, key) for key, f in FAMILIES.items() for prefix in f.unit_prefixes),
        key=lambda item: -len(item[0]),
    )
    heroes = {h[2]: h[1] for h in HEROES}
    wrong = []
    for product in products:
        unit = product.unit
        if product.category not in FITS[unit.commodity_group]:
            wrong.append((unit.name, product.name, "category"))
        key = heroes.get(unit.name) or next(
            (k for prefix, k in by_prefix if unit.name.startswith(prefix)), None
        )
        candidates = [key] if key else []
        # A prefix shared by two families of the same group ("Madu", "KUB Tenun"): either fits.
        candidates += [
            k
            for prefix, k in by_prefix
            if unit.name.startswith(prefix) and FAMILIES[k].group == unit.commodity_group
        ]
        if not any(fits_trade(product.name, k) for k in candidates):
            wrong.append((unit.name, product.name, "trade"))
    assert wrong == []
    assert not Product.objects.filter(
        unit__name__icontains="pandan", name__icontains="durian"
    ).exists()
    # Each photo shows its own product (alt text and picture drawn from the product's name).
    assert not ProductPhoto.objects.exclude(alt_text__startswith="Foto ").exists()
    assert IKMUnit.objects.filter(products__isnull=False).distinct().count() > 10
