"""Spreadsheets in and out: parsing of Indonesian cells, file formats, formula escaping, and the
base resource every import/export of the back office uses (scope, all-or-nothing, audit, speed).

* Cells: Indonesian numbers ("1.500.000", "Rp 1.500.000,00", "1,5"), dates (dd/mm/yyyy,
  yyyy-mm-dd, Excel serial numbers and native spreadsheet dates), choices by value or label.
* Files: CSV in UTF-8 (with or without BOM) or cp1252, ``,`` or ``;`` (sniffed from the header
  line); XLSX. Every text cell beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return
  is exported with a leading ``'`` (formula injection); the stored value is unchanged, and an
  import strips that quote again so that an exported file re-imports without changes.
* Resources: ``SpreadsheetResource`` collects every problem as (row, column, message) with the
  spreadsheet's own row numbers (header = row 1) and writes nothing when any row is bad.
"""

from __future__ import annotations

import copy
import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _g
from import_export import fields as ie_fields
from import_export import resources, widgets
from import_export.formats import base_formats
from import_export.results import Result

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


# --- files --------------------------------------------------------------------------------------
def decode_bytes(data: bytes | str) -> str:
    """UTF-8 (with or without BOM) first, then Windows-1252 (Excel's 'CSV' on Windows)."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(header_line: str) -> str:
    """``;`` when the header line has more semicolons than commas (Excel in Indonesian locale)."""
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes | str) -> tablib.Dataset:
    content = decode_bytes(data)
    first_line = content.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=sniff_delimiter(first_line))
    dataset = tablib.Dataset()
    try:
        headers = next(reader)
    except StopIteration:
        return dataset
    headers = [h.strip() for h in headers]
    width = len(headers)
    dataset.headers = headers
    rows = dataset._data  # appending one by one validates each row: slow on 100k rows
    row_cls = tablib.core.Row
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        elif len(cells) > width:
            extra = cells[width:]
            if any(c.strip() for c in extra):
                cells = cells[:width] + [" ".join(extra)]  # kept so that the row is refused
            cells = cells[:width]
        rows.append(row_cls(cells))
    return dataset


def escape_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of the dataset with every formula-like text cell escaped."""
    escaped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        escaped.append([escape_formula(cell) for cell in row])
    return escaped


class CSV(base_formats.CSV):
    """CSV read as bytes (UTF-8 with/without BOM or cp1252, `,` or `;`), written as UTF-8 with BOM
    (so that Excel shows accents), formula-like cells escaped."""

    def get_title(self):
        return "csv"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + escape_dataset(dataset).export("csv")


class XLSX(base_formats.XLSX):
    """XLSX: blank lines ignored on import; formula-like text cells escaped on export."""

    def create_dataset(self, in_stream):
        from io import BytesIO

        import openpyxl

        book = openpyxl.load_workbook(BytesIO(in_stream), read_only=True, data_only=True)
        sheet = book.active
        dataset = tablib.Dataset()
        rows = sheet.iter_rows(values_only=True)
        try:
            header = next(rows)
        except StopIteration:
            return dataset
        headers = [text(h) for h in header]
        while headers and not headers[-1]:
            headers.pop()
        width = len(headers)
        dataset.headers = headers
        for values in rows:
            values = list(values[:width]) + [None] * max(0, width - len(values))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            dataset.append(values)
        book.close()
        return dataset

    def export_data(self, dataset, **kwargs):
        return super().export_data(escape_dataset(dataset), **kwargs)


IMPORT_FORMATS = [CSV, XLSX]
EXPORT_FORMATS = [CSV, XLSX]


def format_for_filename(filename: str):
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return XLSX()
    return CSV()


def read_file(path_or_bytes, filename: str | None = None) -> tablib.Dataset:
    if isinstance(path_or_bytes, bytes):
        data, name = path_or_bytes, filename or "data.csv"
    else:
        name = filename or str(path_or_bytes)
        with open(path_or_bytes, "rb") as fh:
            data = fh.read()
    return format_for_filename(name).create_dataset(data)


# --- error report -------------------------------------------------------------------------------
def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return [force_str(m) for m in error.messages]
    return [force_str(error)]


def error_rows(result: Result) -> list[tuple[int | str, str, str]]:
    """(spreadsheet row, column, message) for every problem of an import, in row order."""
    rows: list[tuple[int | str, str, str]] = []
    for error in result.base_errors:
        rows.append(("", "", friendly_error(error.error)))
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            label = "" if column == NON_FIELD_ERRORS else column
            for message in messages:
                rows.append((invalid.number, label, force_str(message)))
    for number, errors in result.row_errors():
        for error in errors:
            rows.append((number, "", friendly_error(error.error)))
    rows.sort(key=lambda r: (r[0] if isinstance(r[0], int) else 0, r[1]))
    return rows


def friendly_error(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(_messages(error))
    if isinstance(error, IntegrityError):
        return _g("Data bertentangan dengan aturan basis data: %(detail)s") % {
            "detail": str(error).splitlines()[0]
        }
    if isinstance(error, KeyError):
        return _g("Kolom wajib tidak ada: %(detail)s") % {"detail": str(error)}
    return str(error)


def error_report_csv(rows: Iterable[tuple[Any, str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_g("Baris"), _g("Kolom"), _g("Kesalahan")])
    for number, column, message in rows:
        writer.writerow([number, escape_formula(column), escape_formula(message)])
    return "\ufeff" + out.getvalue()


class SpreadsheetResult(Result):
    """Row numbers as the user sees them in the spreadsheet: the header is row 1."""

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(number + 1, row, validation_error)

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + 1, row, errors)

    def error_report(self) -> list[tuple[int | str, str, str]]:
        return error_rows(self)


# --- widgets and fields -------------------------------------------------------------------------
class CellWidget(widgets.Widget):
    """A widget from two functions: ``parse(cell) -> value`` and ``render(value) -> cell``."""

    def __init__(self, parse=None, render=None, native=False):
        super().__init__(coerce_to_string=True)
        self.parse = parse
        self.render_func = render
        self.native = native

    def clean(self, value, row=None, **kwargs):
        value = unescape_formula(value)
        if self.parse is None:
            return text(value)
        return self.parse(value)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") and self.native else ""
        if self.native and kwargs.get("force_native_type"):
            return value
        if self.render_func is not None:
            return self.render_func(value)
        return force_str(value)


def render_number(value: Any) -> str:
    if isinstance(value, Decimal):
        s = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
        return s.replace(".", ",")
    return str(value)


def render_date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


class Col(ie_fields.Field):
    """A column of the spreadsheet (Indonesian header) mapped to a model attribute."""

    def __init__(
        self,
        attribute: str | None,
        column_name: str,
        *,
        parse=None,
        render=None,
        native: bool = False,
        readonly: bool = False,
        required: bool = False,
        personal: bool = False,
    ):
        super().__init__(
            attribute=attribute,
            column_name=column_name,
            widget=CellWidget(parse, render, native),
            readonly=readonly,
        )
        self.required = required
        self.personal = personal

    def clean(self, row, **kwargs):
        value = super().clean(row, **kwargs)
        if self.required and value in (None, ""):
            raise ValueError(_g("Wajib diisi."))
        return value


def text_parser(max_length: int | None = None, *, pattern: str | None = None, message=None):
    def parse(cell: Any) -> str:
        value = _SPACES_RE.sub(" ", text(cell)).strip()
        if max_length and len(value) > max_length:
            raise ValueError(
                _g("Terlalu panjang (%(n)s karakter, maksimal %(max)s).")
                % {"n": len(value), "max": max_length}
            )
        if pattern and value and not re.fullmatch(pattern, value):
            raise ValueError(force_str(message))
        return value

    return parse


# --- the base resource --------------------------------------------------------------------------
class RowProblems(Exception):
    """Problems of one row, keyed by column header."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


class SpreadsheetResource(resources.ModelResource):
    """Base of the back-office resources.

    kwargs: ``user`` (scope, audit, personal data), ``bulk`` (bulk inserts/updates in batches,
    used by the management command), ``batch_size``.
    """

    #: columns holding personal data (UU 27/2022): exported only with ``ikm.view_nik``
    include_personal_data = True
    #: the model fields a row may change (bulk updates write these)
    write_fields: tuple[str, ...] = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False
        use_transactions = True

    def __init__(self, user=None, bulk: bool = False, batch_size: int = 2000, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._meta = copy.copy(type(self)._meta)
        if bulk:
            self._meta.use_bulk = True
            self._meta.batch_size = batch_size
            self._meta.skip_diff = True
            self._meta.skip_html_diff = True
        self._row_numbers: dict[int, tuple[int, dict]] = {}
        self._snapshots: dict[int, tuple] = {}
        self._scope_loaded = False
        self._scope_code: str | None = None
        self._scope_denied = False
        if not self.can_see_personal_data():
            for name in [n for n, f in self.fields.items() if getattr(f, "personal", False)]:
                # Personal columns stay importable (data entry) but are never exported.
                self.fields[name].export_hidden = True

    # --- result / row numbers --------------------------------------------------------------------
    @classmethod
    def get_result_class(cls):
        return SpreadsheetResult

    @classmethod
    def get_diff_class(cls):
        return SpreadsheetDiff

    def preview_value(self, field, instance):
        """A cell of the admin's preview: like the export, personal data masked."""
        if getattr(field, "personal", False) and not self.can_see_personal_data():
            return field.export(instance) if hasattr(field, "manual") else "***"
        try:
            return self.export_field(field, instance)
        except Exception:  # a half-built new instance (e.g. no region yet)
            return ""

    def can_see_personal_data(self) -> bool:
        return bool(
            self.include_personal_data
            and self.user is not None
            and getattr(self.user, "is_authenticated", False)
            and self.user.has_perm("ikm.view_nik")
        )

    # --- scope -----------------------------------------------------------------------------------
    def scope_code(self) -> str | None:
        """The kab/kota code this user may write in (None: all). Raises PermissionError."""
        if not self._scope_loaded:
            from ikm.selectors import scope_kabupaten_code

            self._scope_loaded = True
            if self.user is None:
                self._scope_code = None  # a system import (management command without --user)
            else:
                try:
                    self._scope_code = scope_kabupaten_code(self.user)
                except PermissionError:
                    self._scope_denied = True
        if self._scope_denied:
            raise PermissionError
        return self._scope_code

    def scope_error(self, kabupaten_code: str) -> str | None:
        """An Indonesian message when ``kabupaten_code`` lies outside the user's region."""
        try:
            code = self.scope_code()
        except PermissionError:
            return _g("Akun Anda tidak memiliki wilayah kerja: impor tidak diizinkan.")
        if code is None or kabupaten_code == code:
            return None
        from ikm.models import Region

        names = dict(
            Region.objects.filter(code__in=[code, kabupaten_code]).values_list("code", "name")
        )
        return _g(
            "Baris ini berada di %(row_region)s (%(row_code)s), di luar wilayah kerja Anda "
            "(%(own_region)s)."
        ) % {
            "row_region": names.get(kabupaten_code, kabupaten_code),
            "row_code": kabupaten_code,
            "own_region": names.get(code, code),
        }

    # --- import: rows ----------------------------------------------------------------------------
    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kw):
        # All or nothing: any invalid row rolls the whole import back.
        kw["rollback_on_validation_errors"] = True
        kw.pop("user", None)  # the admin passes request.user: ours came in the constructor
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True if use_transactions is None else use_transactions,
            **kw,
        )

    def before_import(self, dataset, **kwargs):
        headers = list(dataset.headers or [])
        known = {f.column_name for f in self.fields.values()}
        unknown = [h for h in headers if h and h not in known]
        if unknown:
            raise ValidationError(
                _g("Kolom tidak dikenal: %(cols)s. Kolom yang dikenal: %(known)s.")
                % {"cols": ", ".join(unknown), "known": ", ".join(self.import_headers())}
            )
        missing = [
            f.column_name
            for f in self.fields.values()
            if getattr(f, "required", False) and f.column_name not in headers
        ]
        if missing:
            raise ValidationError(
                _g("Kolom wajib tidak ada: %(cols)s.") % {"cols": ", ".join(missing)}
            )

    def import_headers(self) -> list[str]:
        return [f.column_name for f in self.fields.values() if not f.readonly]

    def _check_import_id_fields(self, headers):
        # before_import() reports missing columns in Indonesian.
        return None

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list[str]] = {}
        for field in self.get_import_fields():
            if field.readonly or not field.attribute or field.column_name not in row:
                continue
            if getattr(field, "manual", False):
                continue
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as e:
                errors.setdefault(field.column_name, []).append(force_str(e))
            except ValidationError as e:
                errors.setdefault(field.column_name, []).extend(_messages(e))
        try:
            self.import_row_extra(instance, row, errors, **kwargs)
        except RowProblems as e:
            for column, messages in e.errors.items():
                errors.setdefault(column, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def import_row_extra(self, instance, row, errors: dict[str, list[str]], **kwargs) -> None:
        """Row-level rules (region, scope, uniqueness): add to ``errors`` keyed by column."""

    def after_init_instance(self, instance, new, row, **kwargs):
        if not new:
            self._snapshots[id(instance)] = self.snapshot(instance)

    def snapshot(self, instance) -> tuple:
        return tuple(getattr(instance, f) for f in self.compare_attrs())

    def compare_attrs(self) -> tuple[str, ...]:
        return tuple(self.write_fields)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or not self._meta.skip_unchanged:
            return False
        before = self._snapshots.pop(id(instance), None)
        if before is None:  # a new instance
            return False
        return before == self.snapshot(instance)

    def get_import_fields(self):
        # Asked for on every row: computed once.
        cached = self.__dict__.get("_import_fields")
        if cached is None:
            cached = [f for f in super().get_import_fields() if not f.readonly]
            self._import_fields = cached
        return cached

    def get_diff_headers(self):
        return [force_str(f.column_name) for f in self.get_import_fields()]

    # --- saving: audited, database errors attributed to their row --------------------------------
    def before_save_instance(self, instance, row, **kwargs):
        if self.user is not None:
            instance._history_user = self.user
        self._row_numbers[id(instance)] = (kwargs.get("row_number", 0), row)

    def save_instance(self, instance, is_create, row, **kwargs):
        if not is_create and hasattr(instance, "updated_at"):
            instance.updated_at = timezone.now()
        super().save_instance(instance, is_create, row, **kwargs)

    def do_instance_save(self, instance, is_create):
        try:
            with transaction.atomic():
                instance.save(force_insert=is_create)
                self.after_instance_saved(instance, is_create)
        except IntegrityError as exc:
            raise ValidationError(self.integrity_errors(exc)) from exc

    def after_instance_saved(self, instance, is_create: bool) -> None:
        """Related rows of a saved instance (non-bulk mode)."""

    def integrity_errors(self, exc: IntegrityError) -> dict[str, list[str]]:
        """Map a database error to {column: [message]} (by the constraint's name)."""
        constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) or ""
        for needle, (column, message) in self.constraint_columns().items():
            if needle in constraint:
                return {column: [force_str(message)]}
        model = self._meta.model
        for c in model._meta.constraints:
            if c.name == constraint:
                return {NON_FIELD_ERRORS: [force_str(c.get_violation_error_message())]}
        return {
            NON_FIELD_ERRORS: [
                _g("Ditolak oleh basis data: %(detail)s") % {"detail": str(exc).splitlines()[0]}
            ]
        }

    def constraint_columns(self) -> dict[str, tuple[str, Any]]:
        return {}

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.create_instances:
            return
        try:
            with transaction.atomic():
                insert_with_history(self.create_instances, user=self.user)
                self.after_bulk_saved(self.create_instances, True)
        except IntegrityError as exc:
            for instance in self.create_instances:
                instance.pk = None
                instance._state.adding = True
            self._attribute_bulk_error(exc, self.create_instances, True, result)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        from simple_history.utils import bulk_update_with_history

        if not self.update_instances:
            return
        try:
            with transaction.atomic():
                bulk_update_with_history(
                    self.update_instances,
                    self._meta.model,
                    [*self.write_fields, "updated_at"],
                    batch_size=batch_size,
                    default_user=self.user,
                )
                self.after_bulk_saved(self.update_instances, False)
        except IntegrityError as exc:
            self._attribute_bulk_error(exc, self.update_instances, False, result)
        finally:
            self.update_instances.clear()

    def after_bulk_saved(self, instances, is_create: bool) -> None:
        """Related rows of a saved batch (bulk mode)."""

    def _attribute_bulk_error(self, exc, instances, is_create, result) -> None:
        """Find which rows of a failed batch the database refuses (each in a savepoint that is
        rolled back: the whole import fails anyway) and report them with their row numbers."""
        found = False
        for instance in instances:
            number, row = self._row_numbers.get(id(instance), (0, {}))
            try:
                with transaction.atomic():
                    instance.save(force_insert=is_create)
                    raise _Probe
            except _Probe:
                if is_create:
                    instance.pk = None
                continue
            except IntegrityError as row_exc:
                if is_create:
                    instance.pk = None
                found = True
                if result is not None:
                    result.append_invalid_row(
                        number, row, ValidationError(self.integrity_errors(row_exc))
                    )
        if not found and result is not None:
            result.append_base_error(self.get_error_result_class()(exc))

    # --- export ----------------------------------------------------------------------------------
    def export(self, queryset=None, **kwargs):
        if str(kwargs.get("export_format") or "").lower() in ("xlsx", "xls", "ods"):
            kwargs["force_native_type"] = True  # numbers and dates stay numbers and dates
        return super().export(queryset, **kwargs)

    def get_export_fields(self, selected_fields=None):
        return [
            f
            for f in super().get_export_fields(selected_fields)
            if not getattr(f, "export_hidden", False)
        ]

    def get_export_order(self):
        order = super().get_export_order()
        if not self.include_personal_data:
            order = [n for n in order if not getattr(self.fields.get(n), "personal", False)]
        return order

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def personal_columns_exported(self, selected_fields=None) -> bool:
        return any(getattr(f, "personal", False) for f in self.get_export_fields(selected_fields))

    def filter_export(self, queryset, **kwargs):
        return self.scope_queryset(queryset)

    def scope_queryset(self, queryset):
        return queryset

    def after_export(self, queryset, dataset, **kwargs):
        if self.personal_columns_exported(kwargs.get("export_fields")):
            from ikm.models import PersonalDataExport

            PersonalDataExport.objects.create(
                user=self.user,
                model=self._meta.model._meta.label,
                file_format=str(kwargs.get("export_format") or "")[:10] or "?",
                row_count=len(dataset),
            )


def _plain_columns(model) -> list:
    """Concrete, stored (not generated) columns of a model, primary key excepted when automatic."""
    return [
        f
        for f in model._meta.concrete_fields
        if not getattr(f, "generated", False)
        and not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]


_NATIVE = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.DecimalField,
    models.BooleanField,
    models.DateTimeField,
    models.DateField,
    models.ForeignKey,
)


def _db_values(fields, obj, connection) -> tuple:
    values = []
    for f in fields:
        value = getattr(obj, f.attname)
        if value is not None and not isinstance(f, _NATIVE):
            value = f.get_db_prep_save(value, connection)
        values.append(value)
    return tuple(values)


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text_value = str(value)
    if any(c in text_value for c in "\\\t\n\r"):
        text_value = (
            text_value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text_value


def _copy(cursor, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    buffer = io.StringIO()
    write = buffer.write
    for row in rows:
        write("\t".join(map(_copy_text, row)))
        write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def insert_with_history(objs: list, *, user=None) -> None:
    """Insert new model instances and their simple-history "created" rows, fast.

    The same rows as ``simple_history.utils.bulk_create_with_history`` (one historical row per
    object, ``history_type`` "+", ``history_user`` = ``user``), written with PostgreSQL COPY
    (primary keys drawn from the table's sequence first) instead of Django's per-value SQL
    compiler, which dominates the time of a 100,000-row import. Call inside a transaction.
    """
    from django.db import connection

    if not objs:
        return
    model = type(objs[0])
    now = timezone.now()
    qn = connection.ops.quote_name
    pk = model._meta.pk
    fields = _plain_columns(model)
    auto_pk = pk not in fields
    for f in fields:
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
            for obj in objs:
                setattr(obj, f.attname, now)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        if auto_pk:
            raw.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk.column, len(objs)],
            )
            for obj, (pk_value,) in zip(objs, raw.fetchall(), strict=True):
                obj.pk = pk_value
        columns = ([pk] if auto_pk else []) + fields
        _copy(
            raw,
            qn(model._meta.db_table),
            [qn(f.column) for f in columns],
            (_db_values(columns, obj, connection) for obj in objs),
        )
        for obj in objs:
            obj._state.adding = False
            obj._state.db = connection.alias
        history = getattr(model, "history", None)
        if history is None:
            return
        history_model = history.model
        tracked = {f.attname for f in history_model.tracked_fields}
        hfields = _plain_columns(history_model)
        extra = {
            "history_date": now,
            "history_change_reason": None,
            "history_type": "+",
            "history_user_id": getattr(user, "pk", None),
        }
        unknown = [
            f.attname for f in hfields if f.attname not in tracked and f.attname not in extra
        ]
        if unknown:  # a history model with custom fields: let simple-history write it
            history.bulk_history_create(objs, default_user=user, default_date=now)
            return
        getters = [(f, extra.get(f.attname), f.attname in extra) for f in hfields]

        def history_rows():
            for obj in objs:
                values = []
                for f, fixed, is_fixed in getters:
                    value = fixed if is_fixed else getattr(obj, f.attname)
                    if value is not None and not isinstance(f, _NATIVE):
                        value = f.get_db_prep_save(value, connection)
                    values.append(value)
                yield tuple(values)

        _copy(
            raw,
            qn(history_model._meta.db_table),
            [qn(f.column) for f in hfields],
            history_rows(),
        )


class SpreadsheetDiff(resources.Diff):
    """The preview diff, built from the export of each column (region names, masked NIK)."""

    def __init__(self, resource, instance, new):
        self.resource = resource
        super().__init__(resource, instance, new)

    def compare_with(self, resource, instance):
        self.right = self._values(resource, instance)

    @classmethod
    def _read_field_values(cls, resource, instance):
        return cls._values(resource, instance)

    @staticmethod
    def _values(resource, instance):
        if instance is None:
            return ["" for _f in resource.get_import_fields()]
        return [resource.preview_value(f, instance) for f in resource.get_import_fields()]


class _Probe(Exception):
    """Raised inside a savepoint to roll back a probe insert."""
