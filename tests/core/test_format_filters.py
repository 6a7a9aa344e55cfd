"""Issue 14: one format for each thing, site-wide (core/formatting.py, {% load sipi_format %}):
numbers and percentages with a decimal comma, dates, certificate validity, region names, and
facts joined without a dangling separator. The templates use the filters, not ad-hoc formats."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

from core.formatting import (
    date_text,
    datetime_text,
    join_parts,
    number,
    percent,
    region_text,
    validity,
)


class FakeRegion:
    def __init__(self, name, level, display):
        self.name, self.level, self._display = name, level, display

    def get_level_display(self):
        return self._display


KECAMATAN = FakeRegion("Kapuas", "kecamatan", "Kecamatan")
DESA = FakeRegion("Sungai Ayak", "desa", "Desa")
KABUPATEN = FakeRegion("Kabupaten Sanggau", "kabupaten", "Kabupaten")


@pytest.mark.parametrize(
    "value,decimals,text",
    [
        (1234, None, "1.234"),
        (1234.5, None, "1.234,5"),
        (Decimal("82.25"), None, "82,25"),
        (0.333333, 1, "0,3"),
        (1_500_000, 0, "1.500.000"),
        (None, None, ""),
    ],
)
def test_number_has_a_decimal_comma(value, decimals, text):
    with translation.override("id"):
        assert number(value, decimals) == text


def test_percent_has_no_space_before_the_sign():
    with translation.override("id"):
        assert percent(12.5) == "12,5%"
        assert percent(40) == "40%"
        assert percent(None) == ""
    with translation.override("en"):
        assert percent(12.5) == "12.5%"


def test_dates_and_times_in_indonesian():
    moment = datetime.datetime(2027, 3, 5, 14, 30, tzinfo=timezone.get_default_timezone())
    with translation.override("id"):
        assert date_text(datetime.date(2027, 3, 5)) == "5 Maret 2027"
        assert datetime_text(moment) == "5 Maret 2027, 14.30"  # PUEBI: a dot in times
        assert date_text(None) == ""


def test_validity_never_a_dash():
    with translation.override("id"):
        assert validity(None) == "tanpa batas waktu"
        assert validity(datetime.date(2028, 1, 31)) == "31 Januari 2028"
    with translation.override("en"):
        assert validity(None) != "tanpa batas waktu"


def test_region_rule():
    assert region_text(KECAMATAN) == "Kecamatan Kapuas"
    assert region_text(DESA) == "Desa Sungai Ayak"
    assert region_text(KABUPATEN) == "Kabupaten Sanggau"  # the name carries its level
    assert region_text(KECAMATAN, short=True) == "Kapuas"
    assert region_text(None) == "" and region_text("Kota Pontianak") == "Kota Pontianak"


def test_join_parts_leaves_no_dangling_separator():
    assert join_parts("Makanan", "") == "Makanan"
    assert join_parts("Makanan", None, "Industri kecil") == "Makanan · Industri kecil"
    assert join_parts("", " ") == ""


def test_template_filters():
    template = Template(
        "{% load sipi_format %}{{ v|angka:1 }}|{{ p|persen }}|{{ d|tanggal }}|"
        "{{ none|masa_berlaku }}|{{ r|wilayah }}|{{ r|wilayah:'singkat' }}|"
        "{% titik 'Makanan' empty %}|{% titik '<b>' 'x' %}"
    )
    with translation.override("id"):
        text = template.render(
            Context(
                {
                    "v": 3.25,
                    "p": Decimal("7.5"),
                    "d": datetime.date(2027, 3, 5),
                    "none": None,
                    "r": KECAMATAN,
                    "empty": "",
                }
            )
        )
    assert text == (
        "3,2|7,5%|5 Maret 2027|tanpa batas waktu|Kecamatan Kapuas|Kapuas|Makanan|&lt;b&gt; · x"
    )


# --- the templates use the filters ----------------------------------------------------------------
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# (pattern, why): ad-hoc formats that the filters replace.
AD_HOC = [
    (r"Rp ?\{\{", "a price written by hand: use |rupiah"),
    (r"valid_until\|date", "a validity date: use |masa_berlaku"),
    (r'date:"j M Y', "an abbreviated month: use |tanggal or |tanggal_waktu"),
    (r'date:"[^"]*H:i', "a time with a colon: use |tanggal_waktu (PUEBI writes 14.30)"),
    (r"get_scale_display \}\}\{% endif", "a separator that may dangle: use {% titik %}"),
]
CHECKED = ("public", "portal", "includes", "emails")


@pytest.mark.parametrize("pattern,why", AD_HOC)
def test_public_portal_and_mail_templates_use_the_filters(pattern, why):
    found = [
        f"{path.relative_to(TEMPLATES)}:{n}"
        for folder in CHECKED
        for path in sorted((TEMPLATES / folder).rglob("*.*"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(pattern, line)
    ]
    assert found == [], why


def test_choice_gives_the_label_in_the_active_language_like_get_display():
    from products.models import Product

    product = Product(price_unit="kg", category="makanan")
    template = Template(
        '{% load sipi_format %}{{ p|choice:"price_unit" }}/{{ p|choice:"category" }}'
    )
    for language in ("id", "en"):
        with translation.override(language):
            expected = f"{product.get_price_unit_display()}/{product.get_category_display()}"
            assert template.render(Context({"p": product})) == expected
    with translation.override("en"):
        assert template.render(Context({"p": product})).endswith("/Food")  # translated
    product.price_unit = "tidak-ada"  # a value outside the choices is shown as it is
    assert template.render(Context({"p": product})).startswith("tidak-ada/")
