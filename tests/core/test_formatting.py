"""One Rupiah and one file-size format site-wide (core/formatting.py, |rupiah, |ukuran_berkas)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.formatting import file_size, rupiah


@pytest.mark.parametrize(
    "value,text",
    [
        (0, "Rp0"),
        (500, "Rp500"),
        (45000, "Rp45.000"),
        (1_500_000, "Rp1.500.000"),
        (15_000_000_000, "Rp15.000.000.000"),
        (Decimal("1250.5"), "Rp1.250,50"),
        (-20000, "-Rp20.000"),
        ("75000", "Rp75.000"),
        (None, ""),
        ("", ""),
    ],
)
def test_rupiah_indonesian(value, text):
    with translation.override("id"):
        assert rupiah(value) == text


@pytest.mark.parametrize(
    "size,text",
    [
        (0, "0 bita"),
        (1023, "1023 bita"),
        (1024, "1,0 KB"),
        (1536, "1,5 KB"),
        (845_312, "825,5 KB"),
        (1_048_576, "1,0 MB"),
        (2_621_440, "2,5 MB"),
        (3 * 1024**3, "3,0 GB"),
        (None, ""),
    ],
)
def test_file_size_with_decimal_comma(size, text):
    with translation.override("id"):
        assert file_size(size) == text


def test_english_page_uses_english_separators():
    with translation.override("en"):
        assert rupiah(1_500_000) == "Rp1,500,000"
        assert file_size(1536) == "1.5 KB"


def test_template_filters():
    template = Template("{% load sipi_format %}{{ price|rupiah }} · {{ size|ukuran_berkas }}")
    with translation.override("id"):
        assert template.render(Context({"price": 45000, "size": 2_621_440})) == "Rp45.000 · 2,5 MB"


def test_no_other_rupiah_format_in_templates():
    """Prices are written only through |rupiah (no hand-made "Rp{{ x|intcomma }}")."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if re.search(r"Rp\s*\{\{", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
