"""One way to write each kind of value everywhere (pages, admin, mail): Indonesian first (KBBI,
PUEBI). Templates use the filters of ``{% load sipi_format %}`` (core/templatetags/sipi_format.py).

* Money: ``rupiah(1500000)`` -> ``Rp1.500.000`` (no space after ``Rp``, a dot between thousands).
* Numbers: ``number(1234.5, 1)`` -> ``1.234,5`` (decimal comma); ``percent(12.5)`` -> ``12,5%``
  (no space before ``%``).
* File sizes: ``file_size(1234567)`` -> ``1,2 MB`` (1 KB = 1,024 bytes; one decimal).
* Dates: ``date_text(d)`` -> ``5 Maret 2027`` (day, month name, year: the one date format of
  pages and mails); ``datetime_text(dt)`` -> ``5 Maret 2027, 14.30``. A certificate's validity:
  ``validity(None)`` -> ``tanpa batas waktu`` (never a dash: "no end" is information).
* Regions: ``region_text(region)`` -> ``Kecamatan Kapuas``, ``Desa Sungai Ayak``,
  ``Kabupaten Sanggau`` (kab/kota names carry their level). The rule: in running text, lists and
  headings a region is written with its level; ``region_text(region, short=True)`` -> ``Kapuas``
  only where a field label or column header already names the level ("Kecamatan: Kapuas").
* Joined facts: ``join_parts("Makanan", "")`` -> ``Makanan`` (``" · "`` between the parts that
  are not empty: never a separator with nothing after it).

The separators follow the active language (Django's number format), so an English page reads
``Rp1,500,000``, ``1.2 MB`` and ``12.5%``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

# Region levels whose official name already carries the level ("Kabupaten Sanggau").
NAMED_LEVELS = {"provinsi", "kabupaten", "kota"}
SEPARATOR = " · "

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


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def number(value, decimals: int | None = None) -> str:
    """``1.234``, ``1.234,5`` (``decimals`` fixed, or as many as the value has, at most 2)."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    if decimals is None:
        decimals = 0 if amount == amount.to_integral_value() else 2
        if decimals and amount * 10 == (amount * 10).to_integral_value():
            decimals = 1
    return formats.number_format(amount, decimals, force_grouping=True)


def percent(value, decimals: int | None = None) -> str:
    """``12%``, ``12,5%``; empty for no value."""
    text = number(value, decimals)
    return f"{text}%" if text and _decimal(value) is not None else text


def date_text(value) -> str:
    """``5 Maret 2027`` (the active language's month names); empty for no date."""
    if not isinstance(value, datetime.date):
        return "" if value is None else str(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return formats.date_format(value, "j F Y")


def datetime_text(value) -> str:
    """``5 Maret 2027, 14.30`` (local time; the time as the language writes it: PUEBI uses a
    dot between hours and minutes); empty for no value."""
    if not isinstance(value, datetime.datetime):
        return date_text(value)
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{date_text(value)}, {formats.time_format(value, 'TIME_FORMAT')}"


def validity(valid_until) -> str:
    """A certificate's end of validity: the date, or ``tanpa batas waktu`` when it has none."""
    if valid_until is None or valid_until == "":
        return _("tanpa batas waktu")
    return date_text(valid_until)


def region_text(region, short: bool = False) -> str:
    """A region (anything with ``name`` and ``level``, e.g. ``ikm.Region``) as the rule above
    says; a plain string is returned as it is."""
    if region is None or region == "":
        return ""
    name = getattr(region, "name", None)
    if name is None:
        return str(region)
    level = getattr(region, "level", "")
    if short or level in NAMED_LEVELS or not level:
        return name
    display = getattr(region, "get_level_display", None)
    return f"{display() if display else level.capitalize()} {name}"


def join_parts(*parts) -> str:
    """The parts that are not empty, joined by a middle dot."""
    return SEPARATOR.join(str(p).strip() for p in parts if p is not None and str(p).strip())
