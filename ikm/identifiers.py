"""NIB, NIK, phone numbers and the year founded as people type them: one rule each (model-free).

Every way in (the portal's and the admin's unit forms, the spreadsheet import, the services and
``ikm.nik``, which seals a NIK) cleans a NIB or NIK with these, so "9120 0012.3456-7" is the same
NIB everywhere. Blank input is each caller's to handle: a blank NIB is "none" (``None``), a blank
NIK means "no change" in a form and "clear" in ``ikm.services.unit_set_nik``.

A NIK is checked for what it means, not only its length (:func:`normalize_nik`): its first six
digits are a kecamatan of Indonesia (the national region list in ``ikm/data/regions``, since an
owner may come from any province), digits 7-12 a date of birth (40 added to the day for women),
and its serial is not 0000. Phone numbers (:func:`normalize_phone`) are parsed by
``phonenumbers`` (Indonesia by default) and stored in one format, E.164 (``+6281234567890``).
The year founded is not in the future (:func:`validate_year_established`).

Whether another unit already holds a NIB or NIK: ``ikm.selectors.identifier_taken``.
"""

from __future__ import annotations

import datetime
import functools
import gzip
import re
import time
from pathlib import Path

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules

#: all kecamatan of Indonesia (with kab/kota and province), Kemendagri 2025 edition
NATIONAL_REGIONS_FILE = Path(__file__).resolve().parent / "data" / "regions" / "indonesia.csv.gz"
YEAR_MIN = 1900

_SEPARATORS_RE = re.compile(r"[\s.\-]")
_NIB_RE = re.compile(rules.NIB_REGEX)
_NIK_RE = re.compile(rules.NIK_REGEX)


def strip_separators(raw: str | None) -> str:
    """The number without the spaces, dots and dashes people type inside it."""
    return _SEPARATORS_RE.sub("", raw or "")


def normalize_nib(raw: str | None) -> str | None:
    """13 digits, or None when blank; anything else raises ValidationError (code ``nib_format``)."""
    value = strip_separators(raw)
    if not value:
        return None
    if not _NIB_RE.fullmatch(value):
        raise ValidationError(_("NIB harus 13 digit angka."), code="nib_format")
    return value


def normalize_nik(raw: str | None) -> str:
    """16 digits that mean a NIK; anything else, blank too, raises ValidationError.

    Codes: ``invalid_nik`` (not 16 digits), ``nik_zeros``, ``nik_region`` (the first six digits
    are no kecamatan of Indonesia), ``nik_date`` (digits 7-12 are no date of birth; women have
    40 added to the day), ``nik_serial`` (the last four digits are 0000).
    """
    value = strip_separators(raw)
    if not _NIK_RE.fullmatch(value):
        raise ValidationError(_("NIK harus 16 digit angka."), code="invalid_nik")
    if not value.strip("0"):
        raise ValidationError(_("NIK tidak boleh berisi nol semua."), code="nik_zeros")
    region = f"{value[0:2]}.{value[2:4]}.{value[4:6]}"
    if region not in kecamatan_codes():
        raise ValidationError(
            _("NIK tidak valid: 6 digit pertama (%(code)s) bukan kode kecamatan di Indonesia."),
            code="nik_region",
            params={"code": region},
        )
    if not _nik_birth_date_valid(value[6:12], _today()):
        raise ValidationError(
            _(
                "NIK tidak valid: digit ke-7 sampai ke-12 (%(part)s) bukan tanggal lahir "
                "(tanggal, bulan, tahun; tanggal ditambah 40 untuk perempuan)."
            ),
            code="nik_date",
            params={"part": value[6:12]},
        )
    if value[12:] == "0000":
        raise ValidationError(
            _("NIK tidak valid: 4 digit terakhir tidak boleh 0000."), code="nik_serial"
        )
    return value


def _today() -> datetime.date:
    """Today (local), looked up at most once a minute: an import asks for it per row."""
    now = time.monotonic()
    if now >= _TODAY[0]:
        _TODAY[:] = [now + 60, timezone.localdate()]
    return _TODAY[1]


_TODAY: list = [0.0, None]


@functools.lru_cache(maxsize=100_000)
def _nik_birth_date_valid(part: str, today: datetime.date) -> bool:
    day, month, year = int(part[0:2]), int(part[2:4]), int(part[4:6])
    if day > 40:
        day -= 40
    for century in (1900, 2000):  # 29 February must exist in one of the two years
        try:
            born = datetime.date(century + year, month, day)
        except ValueError:
            continue
        if born <= today:
            return True
    return False


@functools.cache
def kecamatan_codes() -> frozenset[str]:
    """Every kecamatan code of Indonesia (``61.03.01``), read once from the national file."""
    raw = NATIONAL_REGIONS_FILE.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    codes = set()
    for line in raw.decode("utf-8-sig").splitlines():
        code, _sep, rest = line.partition(",")
        if len(code) == 8 and ",kecamatan," in f",{rest},":
            codes.add(code)
    return frozenset(codes)


# --- phone numbers -----------------------------------------------------------------------------
_PHONE_ALLOWED_RE = re.compile(r"[0-9+\s\-().]+")
_PHONE_FORMAT_HELP = _("mis. 0812-3456-7890, (0561) 734567 atau +62 812 3456 7890")


def normalize_phone(raw) -> str:
    """A phone number in the one stored format, E.164 (``+6281234567890``); "" when blank.

    Written the Indonesian way (0812…, (0561) 734567), with the country code (62812…,
    +62 812…), or from a spreadsheet number cell that lost its leading 0 (81234567890).
    Anything that is not one valid phone number raises ValidationError (code ``invalid_phone``).
    """
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    value = str(raw).strip()
    if not value:
        return ""

    def refuse():
        return ValidationError(
            _("'%(value)s' bukan nomor telepon (%(help)s)."),
            code="invalid_phone",
            params={"value": value, "help": _PHONE_FORMAT_HELP},
        )

    if not _PHONE_ALLOWED_RE.fullmatch(value) or value.count("+") > 1:
        raise refuse()
    digits = re.sub(r"\D", "", value)
    if not digits:
        raise refuse()
    fast = _indonesian_fast_path(value, digits)
    if fast:
        return fast
    candidates = [value]
    if not value.startswith("+"):
        if digits.startswith("62"):
            candidates.insert(0, "+" + digits)
        elif digits.startswith("00"):
            candidates.append("+" + digits[2:])
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, "ID")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise refuse()


_ID_NATIONAL_RE = re.compile(r"(?:62|0)?([1-9][0-9]{6,11})")
#: validity of Indonesian numbers by (first six digits, length): phonenumbers decides once per
#: prefix and length, so that a 100,000-row import parses a handful of numbers, not every one
_ID_VALID: dict[tuple[str, int], bool] = {}


def _indonesian_fast_path(value: str, digits: str) -> str | None:
    """``+62…`` for an Indonesian number written 0812…, 62812…, +62 812… or 812…; None when
    it is not one (the caller then asks phonenumbers about the number itself)."""
    if value.startswith("+") and not digits.startswith("62"):
        return None
    if value.startswith("+"):
        digits = digits[2:]
    match = _ID_NATIONAL_RE.fullmatch(digits)
    if match is None:
        return None
    national = match.group(1)
    key = (national[:6], len(national))
    valid = _ID_VALID.get(key)
    if valid is None:
        number = phonenumbers.PhoneNumber(country_code=62, national_number=int(national))
        valid = _ID_VALID[key] = phonenumbers.is_valid_number(number)
    return "+62" + national if valid else None


def phone_display(stored: str) -> str:
    """A stored number as people read it: ``+62 812-3456-7890`` (as stored when not parseable)."""
    try:
        number = phonenumbers.parse(stored, "ID")
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# --- year founded -------------------------------------------------------------------------------
def validate_year_established(value) -> None:
    """From 1900 up to this year: a unit is not founded in the future."""
    if value is None:
        return
    this_year = _today().year
    if value > this_year:
        raise ValidationError(
            _("Tahun berdiri %(value)s ada di masa depan (paling lambat %(year)s)."),
            code="year_future",
            params={"value": value, "year": this_year},
        )
    if value < YEAR_MIN:
        raise ValidationError(
            _("Tahun berdiri paling awal %(min)s (isian %(value)s)."),
            code="year_min",
            params={"value": value, "min": YEAR_MIN},
        )
