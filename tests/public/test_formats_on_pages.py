"""Issue 14: the public pages write each thing one way (core/formatting.py filters): validity,
region names, the unit's facts line, prices."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from ikm.models import IKMUnit

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_halal_certificate_without_end_reads_the_same_on_every_page(client, catalog_data):
    halal = catalog_data.certs["halal_lempok"]
    assert halal.valid_until is None
    unit_html = page(client, catalog_data.units["lempok"].get_absolute_url())
    unit_page = text(unit_html)
    product_page = text(page(client, catalog_data.products["lempok"].get_absolute_url()))
    verify_page = text(page(client, f"/verifikasi/?nomor={halal.number}"))
    for shown in (unit_page, product_page, verify_page):
        assert "tanpa batas waktu" in shown
    assert "<td>—</td>" not in unit_html  # the table said "—" for "no end" (both certificates
    # of this unit cover a product, so no other cell of theirs is a dash)


def test_unit_facts_line_has_no_dangling_separator(client, catalog_data):
    unit = catalog_data.units["lempok"]
    IKMUnit.objects.filter(pk=unit.pk).update(workers=None, investment=None)
    html = page(client, unit.get_absolute_url())
    eyebrow = re.search(r'<p class="eyebrow">([^<]*)</p>', html).group(1)
    assert eyebrow == "Makanan"
    IKMUnit.objects.filter(pk=unit.pk).update(workers=5, investment=50_000_000)
    html = page(client, unit.get_absolute_url())
    assert re.search(r'<p class="eyebrow">([^<]*)</p>', html).group(1) == (
        "Makanan · Industri kecil"
    )


def test_region_names_follow_one_rule(client, catalog_data):
    unit = catalog_data.units["lempok"]
    kecamatan = unit.desa.parent
    product_page = text(page(client, catalog_data.products["lempok"].get_absolute_url()))
    # Running text: with the level.
    assert f"Kecamatan {kecamatan.name}" in product_page
    unit_page = page(client, unit.get_absolute_url())
    # After the label "Kecamatan": the name alone (no "Kecamatan Kecamatan …").
    assert re.search(
        rf"<dt>Kecamatan</dt><dd><a [^>]*>{re.escape(kecamatan.name)}</a></dd>", unit_page
    )
    assert f"Kecamatan {kecamatan.name}</a>" not in unit_page


def test_prices_read_rp_without_space(client, catalog_data):
    product = catalog_data.products["lempok"]
    product.price = 34_000
    product.save()
    with translation.override("id"):
        shown = text(page(client, "/produk/?q=lempok")) + text(
            page(client, product.get_absolute_url())
        )
    assert "Rp34.000" in shown and "Rp 34.000" not in shown
