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


EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%y")


def parse_date(value: Any) -> datetime.date | None:
    """dd/mm/yyyy, yyyy-mm-dd, native spreadsheet dates and Excel serial numbers."""
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
    if re.fullmatch(r"\d{4,6}(\.0+)?", raw):
        return parse_date(float(raw))
    raw = raw.split(" ")[0].split("T")[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    raise ValueError(
        _g("'%(value)s' bukan tanggal (gunakan dd/mm/yyyy atau yyyy-mm-dd).") % {"value": raw}
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
