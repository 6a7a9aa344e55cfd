"""Spreadsheet cells: Indonesian numbers, dates, yes/no, choices; formula escaping."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _g

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_RE = re.compile(r"^'[=+\-@\t\r]")


# --- cells --------------------------------------------------------------------------------------
def escape_formula(value: Any) -> Any:
    """Prefix ``'`` to a text cell that a spreadsheet would read as a formula. Numbers stay."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(value: Any) -> Any:
    """Undo :func:`escape_formula` on an imported text cell."""
    if isinstance(value, str) and _ESCAPED_RE.match(value):
        return value[1:]
    return value


def text(value: Any) -> str:
    """A cell as stripped text (numbers from XLSX without a trailing ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


_CURRENCY_RE = re.compile(r"(?i)^(rp\.?|idr)")
_NUMBER_RE = re.compile(r"[0-9.,]*[0-9][0-9.,]*")
_SPACES_RE = re.compile(r"[ \t]+")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3}){2,}$")


def parse_decimal(value: Any, *, thousands_dot: bool = True) -> Decimal | None:
    """Indonesian numbers: ``1.500.000`` -> 1500000, ``Rp 1.500.000,00`` -> 1500000, ``1,5`` -> 1.5.

    With ``thousands_dot=False`` (coordinates) a lone dot is always the decimal point.
    Raises ValueError (Indonesian message) when the cell is not a number.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(_g("Isian harus berupa angka."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    raw = str(value).strip()
    if not raw:
        return None
    s = _CURRENCY_RE.sub("", raw).strip()
    s = s.replace("\u00a0", "").replace(" ", "").replace("'", "")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.startswith("-"):
        negative, s = not negative, s[1:]
    elif s.startswith("+"):
        s = s[1:]
    if not s or not _NUMBER_RE.fullmatch(s):
        raise ValueError(_g("'%(value)s' bukan angka.") % {"value": raw})
    if "." in s and "," in s:
        # The separator that comes last is the decimal one.
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s:
        if s.count(",") > 1:
            if not _THOUSANDS_COMMA.match(s):
                raise ValueError(_g("'%(value)s' bukan angka.") % {"value": raw})
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif "." in s:
        if s.count(".") > 1:
            if not _THOUSANDS_DOT.match(s):
                raise ValueError(_g("'%(value)s' bukan angka.") % {"value": raw})
            s = s.replace(".", "")
        elif thousands_dot and _THOUSANDS_DOT.match(s):
            s = s.replace(".", "")
    try:
        number = Decimal(s)
    except InvalidOperation as exc:
        raise ValueError(_g("'%(value)s' bukan angka.") % {"value": raw}) from exc
    return -number if negative else number


def parse_int(value: Any, *, minimum: int | None = 0, maximum: int | None = None) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(_g("'%(value)s' harus bilangan bulat.") % {"value": text(value)})
    result = int(number)
    if minimum is not None and result < minimum:
        if minimum == 0:
            raise ValueError(_g("Tidak boleh negatif (%(value)s).") % {"value": text(value)})
        raise ValueError(
            _g("Minimal %(min)s (isian %(value)s).") % {"min": minimum, "value": text(value)}
        )
    if maximum is not None and result > maximum:
        raise ValueError(
            _g("Maksimal %(max)s (isian %(value)s).") % {"max": maximum, "value": text(value)}
        )
    return result


# Multipliers are read only when written out: "Rp1,5 jt", "1,2 M", "2 miliar", "500 rb".
_AMOUNT_UNITS = {
    "rb": 10**3,
    "ribu": 10**3,
    "jt": 10**6,
    "juta": 10**6,
    "m": 10**9,
    "miliar": 10**9,
    "milyar": 10**9,
    "t": 10**12,
    "triliun": 10**12,
}
_AMOUNT_RE = re.compile(
    r"(?i)^(?:rp\.?|idr)?\s*(?P<number>[0-9][0-9., ]*?)\s*"
    r"(?P<unit>rb|ribu|jt|juta|m|miliar|milyar|t|triliun)?\.?\s*(?P<dash>[.,]?-)?$"
)


def parse_amount(value: Any, *, maximum: int | None = None) -> int | None:
    """A rupiah amount as offices write it, in whole rupiah.

    ``Rp. 100.000.000.-``, ``Rp 240.000.000,-``, ``Rp 1.500.000,00``, ``Rp1,5 jt``, ``1,2 M``
    (miliar), ``500 rb``, ``2 milyar``. A number is multiplied only when a unit is written
    (rb/ribu, jt/juta, M/miliar/milyar, T/triliun). Anything else, or an amount with a fraction
    of a rupiah ("100.000,5"), raises ValueError quoting the cell.
    """
    if value is None or isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = parse_decimal(value)
        raw = text(value)
    else:
        raw = text(value)
        if not raw:
            return None
        cleaned = raw.replace("\u00a0", " ").strip()
        if re.match(r"^(?:\(|-\s*(?:rp\.?\s*)?\d)", cleaned, re.IGNORECASE):
            raise ValueError(_g("Tidak boleh negatif (%(value)s).") % {"value": raw})
        match = _AMOUNT_RE.match(cleaned)
        if not match:
            raise ValueError(_g("'%(value)s' bukan jumlah rupiah.") % {"value": raw})
        digits = match["number"].replace(" ", "")
        try:
            number = parse_decimal(digits)
        except ValueError:
            raise ValueError(
                _g("'%(value)s' bukan jumlah rupiah yang jelas.") % {"value": raw}
            ) from None
        unit = (match["unit"] or "").lower()
        if unit:
            number *= _AMOUNT_UNITS[unit]
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(
            _g("'%(value)s' bukan jumlah rupiah yang jelas (ada pecahan rupiah).") % {"value": raw}
        )
    result = int(number)
    if result < 0:
        raise ValueError(_g("Tidak boleh negatif (%(value)s).") % {"value": raw})
    if maximum is not None and result > maximum:
        raise ValueError(_g("Maksimal %(max)s (isian %(value)s).") % {"max": maximum, "value": raw})
    return result


EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_FORMATS = (
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d/%m/%y",
    "%d-%m-%y",
    "%d.%m.%y",
)
#: Indonesian and English month names and their usual abbreviations.
MONTHS = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb", "february"), 2),
    **dict.fromkeys(("maret", "mar", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "agus", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}
_NAMED_DATE_RE = re.compile(
    r"(?i)^(?:[a-z]+,\s*)?(\d{1,2})[\s\-/.]+([a-z]+)\.?[\s\-/.]+(\d{2}|\d{4})$"
)


def _two_digit_year(year: int) -> int:
    # As spreadsheets read them: 00-29 is 20xx, 30-99 is 19xx.
    return year + (2000 if year < 30 else 1900)


def parse_date(value: Any) -> datetime.date | None:
    """dd/mm/yyyy, dd-mm-yy, yyyy-mm-dd, "12 Januari 2021" / "12 Jan 2021" (Indonesian or English
    month names), native spreadsheet dates and Excel serial numbers."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        serial = float(value)
        if 1 <= serial < 2958466:
            return EXCEL_EPOCH + datetime.timedelta(days=int(serial))
        raise ValueError(_g("'%(value)s' bukan tanggal.") % {"value": value})
    raw = str(value).strip()
    if not raw:
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", raw):  # a serial as text (1927-2173); "2021" is a year
        return parse_date(float(raw))
    named = _NAMED_DATE_RE.match(re.sub(r"\s+", " ", raw))
    if named:
        day, month_name, year = named.groups()
        month = MONTHS.get(month_name.lower())
        year_n = int(year) if len(year) == 4 else _two_digit_year(int(year))
        try:
            if month is None:
                raise ValueError(month_name)
            return datetime.date(year_n, month, int(day))
        except ValueError:
            raise ValueError(_g("'%(value)s' bukan tanggal.") % {"value": raw}) from None
    first = raw.split(" ")[0].split("T")[0]
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(first, fmt).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
        if fmt.endswith("%y"):
            parsed = parsed.replace(year=_two_digit_year(parsed.year % 100))
        return parsed
    raise ValueError(
        _g(
            "'%(value)s' bukan tanggal (gunakan dd/mm/yyyy, dd-mm-yy, yyyy-mm-dd "
            "atau 12 Januari 2021)."
        )
        % {"value": raw}
    )


TRUE_WORDS = {"ya", "y", "yes", "true", "benar", "1", "tayang", "x", "v", "✓"}
FALSE_WORDS = {"tidak", "t", "n", "no", "false", "salah", "0", "tidak tayang", "-"}


def parse_bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if not word:
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(_g("'%(value)s' harus 'ya' atau 'tidak'.") % {"value": text(value)})


def choice_parser(choices: Iterable[tuple[str, Any]]) -> Callable[[Any], str]:
    """Accept a choice by value or label (Indonesian or English), case-insensitively."""
    choices = list(choices)
    mapping: dict[str, str] = {}
    for lang in ("en", "id"):
        with translation.override(lang):
            for value, label in choices:
                mapping[str(label).strip().lower()] = value
    for value, _label in choices:
        mapping[str(value).lower()] = value
        mapping[str(value).lower().replace("_", " ")] = value

    def parse(cell: Any) -> str:
        word = re.sub(r"\s+", " ", text(cell)).lower()
        if not word:
            return ""
        try:
            return mapping[word]
        except KeyError:
            allowed = ", ".join(str(label) for _v, label in choices)
            raise ValueError(
                _g("'%(value)s' tidak dikenal; pilihan: %(allowed)s.")
                % {"value": text(cell), "allowed": allowed}
            ) from None

    return parse


def render_choice(choices: Iterable[tuple[str, Any]]) -> Callable[[Any], str]:
    labels = dict(choices)

    def render(value: Any) -> str:
        return force_str(labels.get(value, value or ""))

    return render
