"""The base resource of the back office: columns, scope, all-or-nothing, audit, speed."""

from __future__ import annotations

import copy
import datetime
import functools
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _g
from import_export import fields as ie_fields
from import_export import resources, widgets

from .bulk import insert_with_history, update_with_history
from .cells import _SPACES_RE, escape_formula, text, unescape_formula
from .files import SpreadsheetResult, _messages, dataset_from_rows, sheet_rows
from .mapping import (
    IGNORED_HEADERS,
    ColumnMapping,
    Matcher,
    Target,
    apply_mapping,
    propose_mapping,
)
from .mapping import normalise_header as normalise


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
        synonyms: tuple[str, ...] = (),
    ):
        super().__init__(
            attribute=attribute,
            column_name=column_name,
            widget=CellWidget(parse, render, native),
            readonly=readonly,
        )
        self.required = required
        self.personal = personal
        #: other headers offices give this column ("NAMA IKM" for "Nama usaha"), matched
        #: ignoring case, spaces and punctuation, and by similarity (core.spreadsheet.mapping)
        self.synonyms = tuple(synonyms)

    def clean(self, row, **kwargs):
        try:
            value = row[self.column_name]
        except KeyError:
            raise KeyError(
                _g("Kolom wajib tidak ada: %(cols)s.") % {"cols": self.column_name}
            ) from None
        value = self.widget.clean(value, row=row)
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
    used by the management command and the back-office's import jobs), ``batch_size``,
    ``progress`` (``progress(done, total)``, called as rows are settled: a background job's
    progress bar) and ``preview_rows`` (keep the first rows as they would be saved, for a dry
    run's preview: :attr:`preview`).
    """

    #: columns holding personal data (UU 27/2022): exported only with ``personal_data_permission``
    include_personal_data = True
    #: the permission that shows personal data ("" here: nobody; the apps' resources name theirs)
    personal_data_permission = ""
    #: the model fields a row may change (bulk updates write these)
    write_fields: tuple[str, ...] = ()
    #: foreign keys among ``write_fields`` compared by id when deciding whether a row changed
    compared_by_id: tuple[str, ...] = ()
    #: headers ignored without being listed as a problem's cause (the rows' running number)
    ignored_headers: tuple[str, ...] = IGNORED_HEADERS
    #: columns repeated in the error report to name the row (e.g. NIB and name)
    report_key_columns: tuple[str, ...] = ()
    #: {column header: synonyms}, beside the Col definitions (same as ``Col(synonyms=…)``)
    column_synonyms: dict[str, tuple[str, ...]] = {}

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False
        use_transactions = True

    def __init__(
        self,
        user=None,
        bulk: bool = False,
        batch_size: int = 2000,
        progress=None,
        preview_rows: int = 0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.user = user
        self.progress = progress
        self.preview_rows = preview_rows
        #: (import type, cells) of the first ``preview_rows`` rows, cells as the export shows them
        self.preview: list[tuple[str, list]] = []
        #: non-error notes for the official, (sheet row, column, message), e.g. a region name
        #: "dibaca sebagai Sungaibangkong (61.71.05.1001)": listed on the preview page
        self.notes: list[tuple[int, str, str]] = []
        #: the file's columns no field reads, by their own headers ("Kolom diabaikan: …")
        self.ignored_columns: list[str] = []
        #: the mapping the import used (file column -> field)
        self.column_mapping: ColumnMapping | None = None
        self._sheet_rows: list[int] | None = None
        self._header_row = 1
        self._preview_instance = None
        self._rows_seen = 0
        self._rows_total = 0
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
    def get_result_class(self):
        return functools.partial(SpreadsheetResult, sheet_row=self.sheet_row)

    def sheet_row(self, number: int) -> int:
        """The sheet's own row number of the ``number``-th data row (import-export's
        ``row_number``, from 1): title rows, blank rows and the header counted."""
        rows = self._sheet_rows
        if rows and 0 < number <= len(rows):
            return rows[number - 1]
        return number + self._header_row

    def add_note(self, number: int, column: str, message: str) -> None:
        """A note (not an error) on the ``number``-th data row, shown in the preview."""
        self.notes.append((self.sheet_row(number), column, force_str(message)))

    # --- column mapping --------------------------------------------------------------------------
    def mapping_targets(self) -> list[Target]:
        """The importable columns with their synonyms (a file column maps to at most one)."""
        return [
            Target(f.column_name, self.synonyms_of(f), getattr(f, "required", False))
            for f in self.fields.values()
            if not f.readonly
        ]

    def synonyms_of(self, field) -> tuple[str, ...]:
        return (*getattr(field, "synonyms", ()), *self.column_synonyms.get(field.column_name, ()))

    def matcher(self) -> Matcher:
        cached = self.__dict__.get("_matcher")
        if cached is None:
            readonly = tuple(f.column_name for f in self.fields.values() if f.readonly)
            cached = self._matcher = Matcher(
                self.mapping_targets(), (*self.ignored_headers, *readonly)
            )
        return cached

    def propose_mapping(self, headers) -> ColumnMapping:
        return propose_mapping(list(headers), self.matcher())

    def read_dataset(self, data: bytes, filename: str, mapping: ColumnMapping | None = None):
        """The file's data rows below its header row (found below title and blank rows), the
        columns mapped by ``mapping`` or else by the proposal (synonyms, similarity)."""
        dataset = dataset_from_rows(sheet_rows(data, filename), self.matcher())
        if mapping is None:
            mapping = self.propose_mapping(dataset.headers or [])
        elif [normalise(h) for h in mapping.headers] != [
            normalise(h) for h in dataset.headers or []
        ]:
            raise ValidationError(
                _g(
                    "Judul kolom berkas (baris %(row)s) tidak sama dengan pemetaan kolom yang "
                    "dipilih; unggah ulang berkasnya."
                )
                % {"row": dataset.header_row}
            )
        if dataset.headers:
            apply_mapping(dataset, mapping)
        return dataset

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
            and bool(self.personal_data_permission)
            and self.user.has_perm(self.personal_data_permission)
        )

    # --- scope -----------------------------------------------------------------------------------
    def user_scope_code(self, user) -> str | None:
        """The kab/kota code ``user`` is limited to (None: all); PermissionError for no scope.

        The base resource knows no regions: subclasses of the apps that do override this."""
        return None

    def kabupaten_names(self) -> dict[str, str]:
        """Names of the kab/kota codes, for scope messages (subclasses override)."""
        return {}

    def log_personal_export(self, *, row_count: int, file_format: str) -> None:
        """Record an export that held personal data (subclasses override)."""

    def scope_code(self) -> str | None:
        """The kab/kota code this user may write in (None: all). Raises PermissionError."""
        if not self._scope_loaded:
            self._scope_loaded = True
            if self.user is None:
                self._scope_code = None  # a system import (management command without --user)
            else:
                try:
                    self._scope_code = self.user_scope_code(self.user)
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
        names = self.__dict__.get("_kabupaten_names")
        if names is None:  # one query per import, not one per refused row
            names = self._kabupaten_names = self.kabupaten_names()
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
        self._rows_seen, self._rows_total = 0, len(dataset)
        self.preview = []
        self.notes = []
        self._sheet_rows = getattr(dataset, "row_numbers", None) or None
        self._header_row = getattr(dataset, "header_row", 0) or 1
        self._report_progress()
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True if use_transactions is None else use_transactions,
            **kw,
        )

    def before_import(self, dataset, **kwargs):
        mapping = getattr(dataset, "column_mapping", None)
        if mapping is None:  # headers as read: mapped here (synonyms, similarity)
            mapping = self.propose_mapping(dataset.headers or [])
            if dataset.headers:
                apply_mapping(dataset, mapping)
        self.column_mapping = mapping
        # Columns no field reads are ignored, and listed ("Kolom diabaikan: …"), never refused.
        self.ignored_columns = mapping.ignored
        missing = mapping.missing(self.mapping_targets())
        if missing:
            raise ValidationError(self.missing_columns_message(missing))

    def missing_columns_message(self, missing: list[str]) -> str:
        synonyms = {f.column_name: self.synonyms_of(f) for f in self.fields.values()}
        described = [
            _g("%(col)s (atau: %(names)s)") % {"col": c, "names": ", ".join(synonyms[c][:4])}
            if synonyms.get(c)
            else c
            for c in missing
        ]
        return _g(
            "Kolom wajib tidak ditemukan: %(cols)s. Judul kolom dibaca dari baris %(row)s."
        ) % {"cols": "; ".join(described), "row": self._header_row}

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
                if isinstance(field, Col) and "__" not in field.attribute:
                    setattr(instance, field.attribute, field.clean(row))  # the hot path
                else:
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
        if kwargs.get("row_number", 0) <= self.preview_rows:
            self._preview_instance = instance

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        self._rows_seen += 1
        if self._preview_instance is not None:
            instance, self._preview_instance = self._preview_instance, None
            if not row_result.is_invalid() and not row_result.is_error():
                cells = [self.preview_value(f, instance) for f in self.get_import_fields()]
                self.preview.append((row_result.import_type, cells))
        self._report_progress()
        return row_result

    # --- progress --------------------------------------------------------------------------------
    def _report_progress(self) -> None:
        """Rows settled so far: read, checked and (in bulk mode) written in their batch."""
        if self.progress is None:
            return
        pending = len(self.create_instances) + len(self.update_instances)
        self.progress(self._rows_seen - pending, self._rows_total)

    def get_instance(self, instance_loader, row):
        # The resource's instance loader finds the row by its natural key, even when a key
        # column (e.g. NIB) is absent from the file.
        return instance_loader.get_instance(row)

    def snapshot(self, instance) -> tuple:
        attrs = self.__dict__.get("_compare_attrs")
        if attrs is None:
            attrs = self._compare_attrs = self.compare_attrs()
        return (*(getattr(instance, f) for f in attrs), *self.related_state(instance))

    def compare_attrs(self) -> tuple[str, ...]:
        return tuple(f"{f}_id" if f in self.compared_by_id else f for f in self.write_fields)

    def related_state(self, instance) -> tuple:
        """What a row also changes beyond ``write_fields`` (m2m, child rows), for ``skip_row``."""
        return ()

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
            self._forget(self.create_instances)
            self.create_instances.clear()
            self._report_progress()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.update_instances:
            return
        try:
            with transaction.atomic():
                update_with_history(
                    self.update_instances, [*self.write_fields, "updated_at"], user=self.user
                )
                self.after_bulk_saved(self.update_instances, False)
        except IntegrityError as exc:
            self._attribute_bulk_error(exc, self.update_instances, False, result)
        finally:
            self._forget(self.update_instances)
            self.update_instances.clear()
            self._report_progress()

    def _forget(self, instances) -> None:
        for instance in instances:
            self._row_numbers.pop(id(instance), None)

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
            self.log_personal_export(
                row_count=len(dataset),
                file_format=str(kwargs.get("export_format") or "")[:10] or "?",
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
