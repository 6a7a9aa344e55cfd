"""One way to write money and file sizes everywhere (pages, admin, mail): Indonesian first.

``rupiah(1500000)`` -> ``Rp1.500.000`` (PUEBI: no space after ``Rp``, a dot between thousands);
``file_size(1234567)`` -> ``1,2 MB`` (1 KB = 1,024 bytes; one decimal, a decimal comma).
The separators follow the active language (Django's number format), so an English page reads
``Rp1,500,000`` and ``1.2 MB``. Templates use the filters ``rupiah`` and ``ukuran_berkas`` from
``{% load sipi_format %}`` (``core/templatetags/sipi_format.py``).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

KB = 1024
MB = 1024 * KB
GB = 1024 * MB


def rupiah(value: int | float | Decimal | str | None) -> str:
    """``Rp1.500.000``; an empty string for no value (the caller shows its own dash)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    except ValueError:  # pragma: no cover - Decimal raises InvalidOperation (ArithmeticError)
        return str(value)
    decimals = 0 if amount == amount.to_integral_value() else 2
    text = formats.number_format(abs(amount), decimals, force_grouping=True)
    return f"-Rp{text}" if amount < 0 else f"Rp{text}"


def file_size(size: int | None) -> str:
    """``850 bita``, ``12,3 KB``, ``1,2 MB``, ``2,0 GB``; empty for no value."""
    if size is None or size == "":
        return ""
    try:
        size = int(size)
    except (TypeError, ValueError):
        return str(size)
    if size < KB:
        return _("%(n)s bita") % {"n": size}
    for unit, factor in (("GB", GB), ("MB", MB), ("KB", KB)):
        if size >= factor:
            return f"{formats.number_format(size / factor, 1)} {unit}"
    return str(size)  # pragma: no cover - unreachable
