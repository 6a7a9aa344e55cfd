"""Spreadsheet import/export of IKM units (Indonesian headers, natural keys).

Rows are matched on NIB; a row without NIB matches a unit without NIB of the same name in the
same desa, else a new unit is created (slug by the rule of ``ikm.services.unique_slug``). The
region is given by ``Kode wilayah`` or by names (Kab/Kota, Kecamatan, Desa/Kelurahan). NIK is
sealed (``ikm.services.unit_set_nik``) and exported, whole, only to holders of ``ikm.view_nik``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from import_export.instance_loaders import BaseInstanceLoader

from accounts.events import Kind as SecurityKind
from accounts.events import record_event
from core.spreadsheet import (
    Col,
    SpreadsheetResource,
    parse_amount,
    parse_decimal,
    parse_int,
    render_number,
    text,
    text_parser,
    unescape_formula,
)
from core.spreadsheet import choice_parser as _choice
from core.spreadsheet import render_choice as _render_choice

from . import nik as nik_module
from . import rules
from .identifiers import (
    normalize_nib,
    normalize_nik,
    normalize_phone,
    strip_separators,
    validate_year_established,
)
from .importing import RegionIndex, RegionProblem, SlugAllocator
from .models import (
    UNIT_SHOWN_CONTACT_FIELDS,
    CommodityGroup,
    IKMUnit,
    PersonalDataExport,
    Region,
    Scale,
    unit_fields,
)
from .selectors import filter_by_unit_scope, scope_kabupaten_code, units_in_scope

CHUNK = 5000


def parse_nib(cell: Any) -> str | None:
    raw = text(unescape_formula(cell))
    try:
        return normalize_nib(raw)
    except ValidationError:
        raise ValueError(
            _g("NIB harus 13 digit angka (isian: %(value)s).") % {"value": strip_separators(raw)}
        ) from None


def nib_or_none(cell: Any) -> str | None:
    """The cell's NIB, or None when blank or malformed (for look-ups; rows report the error)."""
    try:
        return parse_nib(cell)
    except ValueError:
        return None


def _digits(pattern: str, message: str):
    def parse(cell: Any) -> str:
        value = strip_separators(text(cell))
        if value and not re.fullmatch(pattern, value):
            raise ValueError(message)
        return value

    return parse


def _phone(cell: Any) -> str:
    """The rule of the forms (``normalize_phone``): stored as E.164, ``+6281234567890``."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = cell  # a number cell that lost its leading 0: 81234567890
    else:
        value = text(unescape_formula(cell))
    try:
        return normalize_phone(value)
    except ValidationError as e:
        raise ValueError(" ".join(e.messages)) from None


def _year_established(cell: Any) -> int | None:
    year = parse_int(cell, minimum=None, maximum=None)
    try:
        validate_year_established(year)
    except ValidationError as e:
        raise ValueError(" ".join(e.messages)) from None
    return year


def _email(cell: Any) -> str:
    value = text(cell)
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValueError(
                _g("Alamat email tidak valid: %(value)s.") % {"value": value}
            ) from None
    return value


def _url(cell: Any) -> str:
    value = text(cell)
    if value:
        if not re.match(r"(?i)^https?://", value):
            value = "https://" + value
        try:
            URLValidator()(value)
        except ValidationError:
            raise ValueError(
                _g("Alamat situs web tidak valid: %(value)s.") % {"value": value}
            ) from None
    return value


def _coordinate(limit: int):
    def parse(cell: Any):
        number = parse_decimal(cell, thousands_dot=False)
        if number is None:
            return None
        if not -limit <= number <= limit:
            raise ValueError(_g("Harus di antara -%(limit)s dan %(limit)s.") % {"limit": limit})
        return number.quantize(Decimal("0.000001"))

    return parse


def _capacity(cell: Any):
    number = parse_decimal(cell)
    if number is None:
        return None
    if number < 0:
        raise ValueError(_g("Tidak boleh negatif (%(value)s).") % {"value": text(cell)})
    if number >= 10**12:
        raise ValueError(_g("Angka terlalu besar."))
    return number.quantize(Decimal("0.01"))


def _rupiah(cell: Any):
    """Amounts as offices write them: "Rp. 100.000.000.-", "Rp1,5 jt", "1,2 M" (miliar)."""
    return parse_amount(cell, maximum=9_000_000_000_000_000)


class ScopedResource(SpreadsheetResource):
    """A spreadsheet resource that knows officials' regions and logs personal-data exports."""

    personal_data_permission = "ikm.view_nik"

    def user_scope_code(self, user) -> str | None:
        return scope_kabupaten_code(user)

    def kabupaten_names(self) -> dict[str, str]:
        return dict(
            Region.objects.filter(level__in=["kabupaten", "kota"]).values_list("code", "name")
        )

    def log_personal_export(self, *, row_count: int, file_format: str) -> None:
        PersonalDataExport.objects.create(
            user=self.user,
            model=self._meta.model._meta.label,
            file_format=file_format,
            row_count=row_count,
        )
        record_event(
            SecurityKind.NIK_EXPORT,
            user=self.user,
            model=self._meta.model._meta.label,
            format=file_format,
            rows=row_count,
        )


class NikCol(Col):
    """NIK: compared by its keyed digest, shown masked in previews, sealed on import."""

    manual = True

    def export(self, instance, **kwargs):
        return nik_module.mask(instance.nik_last4)


class UnitInstanceLoader(BaseInstanceLoader):
    """Existing units for the whole file in a few queries: by NIB, else by name + desa."""

    def __init__(self, resource: IKMUnitResource, dataset=None):
        super().__init__(resource, dataset)
        self.by_nib: dict[str, IKMUnit] = {}
        self.by_name_desa: dict[tuple[str, str], IKMUnit] = {}
        headers = dataset.headers or []
        nibs: set[str] = set()
        names: set[str] = set()
        nib_i = headers.index("NIB") if "NIB" in headers else None
        name_i = headers.index("Nama usaha") if "Nama usaha" in headers else None
        for row in dataset._data:
            nib = nib_or_none(row[nib_i]) if nib_i is not None else None
            if nib:
                nibs.add(nib)
            elif name_i is not None and text(row[name_i]):
                names.add(text(row[name_i]))
        qs = IKMUnit.objects.all()
        nib_list = sorted(nibs)
        for i in range(0, len(nib_list), CHUNK):
            for unit in qs.filter(nib__in=nib_list[i : i + CHUNK]):
                self.by_nib[unit.nib] = unit
        name_list = sorted(names)
        for i in range(0, len(name_list), CHUNK):
            for unit in qs.filter(nib__isnull=True, name__in=name_list[i : i + CHUNK]).order_by(
                "pk"
            ):
                self.by_name_desa.setdefault((unit.name.lower(), unit.desa_id), unit)

    def get_instance(self, row):
        try:
            nib = parse_nib(row.get("NIB"))
        except ValueError:
            return None
        if nib:
            return self.by_nib.get(nib)
        name = text(row.get("Nama usaha")).lower()
        if not name or not self.by_name_desa:
            return None
        try:
            desa = self.resource.resolve_region(row)
        except RegionProblem:
            return None
        return self.by_name_desa.get((name, desa))


REGION_COLUMNS = {
    "code": "Kode wilayah",
    "kabupaten": "Kab/Kota",
    "kecamatan": "Kecamatan",
    "desa": "Desa/Kelurahan",
}


class IKMUnitResource(ScopedResource):
    # Headers offices give the columns below (the column's own header is always known; case,
    # spaces and punctuation are ignored, similar spellings are matched too). Choices made:
    # "NO. HP/WA" and "HP" are the unit's WhatsApp (a mobile number offices call on WhatsApp;
    # the owner's private phone only when the header says "pemilik"); "TELEPON" is the unit's
    # phone; "KOMODITI" is the commodity group (its cells must name one of the groups);
    # "JENIS PRODUK" is the description of the business; "NO" (running number) is ignored.
    column_synonyms = {
        "NIB": ("Nomor Induk Berusaha", "No NIB", "Nomor NIB"),
        "Nama usaha": (
            "Nama IKM",
            "Nama perusahaan",
            "Nama unit usaha",
            "Nama UMKM",
            "Nama IKM/UMKM",
            "Nama industri",
            "Perusahaan",
        ),
        "Nama pemilik": ("Pemilik", "Nama pemilik usaha", "Nama pengusaha", "Penanggung jawab"),
        "NIK": ("No KTP", "Nomor KTP", "NIK pemilik", "No NIK", "KTP"),
        "Alamat rumah pemilik": ("Alamat pemilik", "Alamat rumah"),
        "Telepon pribadi pemilik": ("HP pemilik", "Telepon pemilik", "No HP pemilik"),
        "NPWP": ("No NPWP", "Nomor NPWP"),
        "KBLI": ("Kode KBLI", "No KBLI"),
        "Kelompok komoditas": ("Komoditi", "Komoditas", "Kelompok komoditi", "Jenis komoditi"),
        "Deskripsi usaha": ("Jenis produk", "Produk", "Produk utama", "Jenis usaha", "Keterangan"),
        "Alamat usaha": ("Alamat", "Alamat IKM", "Alamat perusahaan", "Alamat lokasi usaha"),
        "Kab/Kota": ("Kabupaten/Kota", "Kabupaten", "Kota", "Kab"),
        "Kecamatan": ("Kec",),
        "Desa/Kelurahan": ("Desa", "Kelurahan", "Desa/Kel", "Kel/Desa", "Kelurahan/Desa"),
        "Kode wilayah": ("Kode desa", "Kode Kemendagri", "Kode wilayah desa"),
        "Lintang": ("Latitude", "Lat"),
        "Bujur": ("Longitude", "Long", "Lng"),
        "Telepon usaha": ("Telepon", "Telp", "No telp", "No telepon", "Nomor telepon"),
        "WhatsApp": ("No. HP/WA", "HP/WA", "No HP", "HP", "No WA", "WA", "Nomor HP"),
        "Email": ("E-mail", "Surel", "Alamat email"),
        "Situs web": ("Website", "Web", "Alamat website"),
        "Tahun berdiri": ("Tahun mulai usaha", "Th berdiri", "Tahun berdiri usaha"),
        "Tenaga kerja": (
            "Tenaga kerja (orang)",
            "Jumlah tenaga kerja",
            "TK",
            "Jumlah TK",
            "Jumlah pekerja",
            "Karyawan",
        ),
        "Nilai investasi (Rp)": ("Nilai investasi", "Investasi"),
        "Kapasitas produksi/tahun": (
            "Kapasitas produksi",
            "Kapasitas",
            "Kapasitas produksi per tahun",
        ),
        "Satuan kapasitas": ("Satuan", "Satuan kapasitas produksi", "Satuan produksi"),
        "Nilai produksi/tahun (Rp)": ("Nilai produksi", "Nilai produksi per tahun"),
    }
    report_key_columns = ("NIB", "Nama usaha")

    nib = Col("nib", "NIB", parse=parse_nib)
    name = Col("name", "Nama usaha", parse=text_parser(200), required=True)
    owner_name = Col("owner_name", "Nama pemilik", parse=text_parser(150), required=True)
    nik = NikCol("nik_digest", "NIK", personal=True)
    owner_address = Col(
        "owner_address", "Alamat rumah pemilik", parse=text_parser(255), personal=True
    )
    owner_phone = Col("owner_phone", "Telepon pribadi pemilik", parse=_phone, personal=True)
    npwp = Col(
        "npwp", "NPWP", parse=_digits(rules.NPWP_REGEX, _("NPWP harus 15 atau 16 digit angka."))
    )
    kbli = Col("kbli", "KBLI", parse=_digits(rules.KBLI_REGEX, _("KBLI harus 5 digit angka.")))
    commodity_group = Col(
        "commodity_group",
        "Kelompok komoditas",
        parse=_choice(CommodityGroup.choices),
        render=_render_choice(CommodityGroup.choices),
        required=True,
    )
    description = Col("description", "Deskripsi usaha", parse=text_parser())
    address = Col("address", "Alamat usaha", parse=text_parser(255))
    kabupaten = Col(None, "Kab/Kota")
    kecamatan = Col(None, "Kecamatan")
    desa = Col(None, "Desa/Kelurahan")
    region_code = Col(None, "Kode wilayah")
    latitude = Col("latitude", "Lintang", parse=_coordinate(90), render=render_number, native=True)
    longitude = Col("longitude", "Bujur", parse=_coordinate(180), render=render_number, native=True)
    phone = Col("phone", "Telepon usaha", parse=_phone)
    whatsapp = Col("whatsapp", "WhatsApp", parse=_phone)
    email = Col("email", "Email", parse=_email)
    website = Col("website", "Situs web", parse=_url)
    year_established = Col(
        "year_established",
        "Tahun berdiri",
        parse=_year_established,
        native=True,
    )
    workers = Col(
        "workers",
        "Tenaga kerja",
        parse=lambda c: parse_int(c, minimum=0, maximum=2_000_000_000),
        native=True,
    )
    investment = Col("investment", "Nilai investasi (Rp)", parse=_rupiah, native=True)
    capacity = Col(
        "capacity",
        "Kapasitas produksi/tahun",
        parse=_capacity,
        render=render_number,
        native=True,
    )
    capacity_unit = Col("capacity_unit", "Satuan kapasitas", parse=text_parser(30))
    production_value = Col(
        "production_value", "Nilai produksi/tahun (Rp)", parse=_rupiah, native=True
    )
    scale = Col("scale", "Skala", render=_render_choice(Scale.choices), readonly=True)
    verified = Col(
        "verified", "Terverifikasi", render=lambda v: _g("ya") if v else _g("tidak"), readonly=True
    )

    # What an owner may edit, less what the public site shows (not a column), plus the sealed NIK.
    write_fields = unit_fields(
        without=UNIT_SHOWN_CONTACT_FIELDS,
        expand={"owner_name": ("owner_name", "nik_ciphertext", "nik_digest", "nik_last4")},
    )
    compared_by_id = ("desa",)

    class Meta(SpreadsheetResource.Meta):
        model = IKMUnit
        import_id_fields = ("nib",)
        instance_loader_class = UnitInstanceLoader
        # The columns, in this order: the owner-editable fields less what the public site shows,
        # with NIK after the owner's name, the region by names and by code, scale and verification.
        fields = (
            *unit_fields(
                without=UNIT_SHOWN_CONTACT_FIELDS,
                expand={
                    "owner_name": ("owner_name", "nik"),
                    "desa": ("kabupaten", "kecamatan", "desa", "region_code"),
                },
            ),
            "scale",
            "verified",
        )

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self._regions: RegionIndex | None = None
        self._slugs = SlugAllocator(IKMUnit)
        self._nik_owner: dict[str, int] = {}
        self._file_nib_rows: dict[str, list[int]] = {}
        self._file_nik_rows: dict[str, list[int]] = {}

    @classmethod
    def get_display_name(cls):
        return _g("Unit IKM")

    @property
    def regions(self) -> RegionIndex:
        if self._regions is None:
            self._regions = RegionIndex()
        return self._regions

    def constraint_columns(self):
        return {
            "unique_nik": ("NIK", _g("NIK ini sudah terdaftar pada unit lain.")),
            "nib": ("NIB", _g("NIB ini sudah terdaftar pada unit lain.")),
            "slug": ("Nama usaha", _g("Slug unit bentrok; ulangi impor.")),
            "desa": ("Kode wilayah", _g("Lokasi unit harus desa atau kelurahan.")),
            "kbli": ("KBLI", _g("KBLI harus 5 digit angka.")),
            "investment": ("Nilai investasi (Rp)", _g("Tidak boleh negatif.")),
            "production_value": ("Nilai produksi/tahun (Rp)", _g("Tidak boleh negatif.")),
            "capacity": ("Kapasitas produksi/tahun", _g("Tidak boleh negatif.")),
            "year_established": ("Tahun berdiri", _g("Tahun antara 1900 dan 2100.")),
            "latitude": ("Lintang", _g("Lintang di antara -90 dan 90.")),
            "longitude": ("Bujur", _g("Bujur di antara -180 dan 180.")),
        }

    # --- import ----------------------------------------------------------------------------------
    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        headers = dataset.headers or []
        if "Kode wilayah" not in headers and "Desa/Kelurahan" not in headers:
            raise ValidationError(_g("Kolom 'Kode wilayah' atau 'Desa/Kelurahan' wajib ada."))
        _ = self.regions  # one query for all regions
        # Duplicates inside the file, and NIKs already held by other units (one query per chunk).
        nib_i = headers.index("NIB") if "NIB" in headers else None
        nik_i = headers.index("NIK") if "NIK" in headers else None
        digests: set[str] = set()
        for number, row in enumerate(dataset._data, 1):
            if nib_i is not None:
                nib = nib_or_none(row[nib_i])
                if nib:
                    self._file_nib_rows.setdefault(nib, []).append(number)
            if nik_i is not None:
                try:
                    nik = normalize_nik(text(row[nik_i]))
                except ValidationError:
                    pass  # reported by import_row_extra
                else:
                    digest = nik_module.digest(nik)
                    digests.add(digest)
                    self._file_nik_rows.setdefault(digest, []).append(number)
        digest_list = sorted(digests)
        for i in range(0, len(digest_list), CHUNK):
            self._nik_owner.update(
                IKMUnit.objects.filter(nik_digest__in=digest_list[i : i + CHUNK]).values_list(
                    "nik_digest", "pk"
                )
            )

    def resolve_region(self, row, notes: list[tuple[str, str]] | None = None) -> str:
        return self.regions.resolve_desa(
            code=text(unescape_formula(row.get("Kode wilayah"))),
            kabupaten=text(row.get("Kab/Kota")),
            kecamatan=text(row.get("Kecamatan")),
            desa=text(row.get("Desa/Kelurahan")),
            columns=REGION_COLUMNS,
            notes=notes,
        )

    def import_row_extra(self, instance, row, errors, **kwargs):
        number = kwargs.get("row_number", 0)
        new = instance.pk is None
        # Scope of the unit as it is now (an official may not take over another region's unit).
        if not new:
            message = self.scope_error(instance.desa_id[:5])
            if message:
                errors.setdefault("NIB", []).append(
                    _g("NIB ini terdaftar pada unit di luar wilayah kerja Anda.")
                    if instance.nib
                    else message
                )
                return
        # Region.
        if any(row.get(c) not in (None, "") for c in REGION_COLUMNS.values()) or new:
            notes: list[tuple[str, str]] = []
            try:
                code = self.resolve_region(row, notes)
            except RegionProblem as problem:
                errors.setdefault(problem.column, []).append(problem.message)
            else:
                for column, message in notes:  # "dibaca sebagai Sungaibangkong (61.71.05.1001)"
                    self.add_note(number, column, message)
                instance.desa_id = code
                message = self.scope_error(code[:5])
                if message:
                    column = "Kab/Kota" if "Kab/Kota" in row else "Kode wilayah"
                    if column not in row:
                        column = "Desa/Kelurahan"
                    errors.setdefault(column, []).append(message)
        # Duplicates within the file.
        if instance.nib and len(self._file_nib_rows.get(instance.nib, [])) > 1:
            rows = self._file_nib_rows[instance.nib]
            if rows.index(number) > 0:
                errors.setdefault("NIB", []).append(
                    _g("NIB %(nib)s muncul lebih dari sekali dalam berkas (baris %(rows)s).")
                    % {"nib": instance.nib, "rows": ", ".join(str(self.sheet_row(r)) for r in rows)}
                )
        # NIK: validated, sealed (never stored in clear text), unique.
        if "NIK" in row:
            raw = text(unescape_formula(row.get("NIK")))
            if not raw:
                if instance.nik_digest:
                    instance.nik_ciphertext = instance.nik_digest = instance.nik_last4 = ""
            else:
                try:
                    value = normalize_nik(raw)  # 16 digits that mean a NIK (region, date)
                except ValidationError as e:
                    errors.setdefault("NIK", []).extend(e.messages)
                else:
                    digest = nik_module.digest(value)
                    holder = self._nik_owner.get(digest)
                    if holder is not None and holder != instance.pk:
                        errors.setdefault("NIK", []).append(
                            _g("NIK ini sudah terdaftar pada unit lain.")
                        )
                    elif self._file_nik_rows.get(digest, [number])[0] != number:
                        errors.setdefault("NIK", []).append(
                            _g(
                                "NIK yang sama muncul lebih dari sekali dalam berkas "
                                "(baris %(rows)s)."
                            )
                            % {
                                "rows": ", ".join(
                                    str(self.sheet_row(r)) for r in self._file_nik_rows[digest]
                                )
                            }
                        )
                    elif digest != instance.nik_digest:
                        from .services import unit_set_nik

                        unit_set_nik(instance, value)
        if new and not errors and not instance.slug:
            instance.slug = self._slugs.allocate(instance.name)

    # --- export ----------------------------------------------------------------------------------
    def scope_queryset(self, queryset):

        if self.user is None:
            return queryset
        return units_in_scope(self.user, queryset)

    def dehydrate_nik(self, unit):
        return nik_module.unseal(unit.nik_ciphertext)

    def dehydrate_region_code(self, unit):
        return unit.desa_id

    def dehydrate_desa(self, unit):
        return self.regions.name(unit.desa_id)

    def dehydrate_kecamatan(self, unit):
        return self.regions.name(unit.desa_id[:8])

    def dehydrate_kabupaten(self, unit):
        return self.regions.name(unit.desa_id[:5])


class UnitRowResource(ScopedResource):
    """Rows of a unit's child (product, certificate) that name their unit in "NIB unit"."""

    compared_by_id = ("unit",)

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.units_by_nib: dict[str, IKMUnit] = {}

    def unit_for_row(self, row, errors: dict[str, list[str]]) -> IKMUnit | None:
        """The row's unit (from ``units_by_nib``), or None with the reason added to ``errors``."""
        try:
            nib = parse_nib(row.get("NIB unit"))
        except ValueError as e:
            errors.setdefault("NIB unit", []).append(str(e))
            return None
        if not nib:
            errors.setdefault("NIB unit", []).append(_g("Wajib diisi."))
            return None
        unit = self.units_by_nib.get(nib)
        if unit is None:
            errors.setdefault("NIB unit", []).append(
                _g("Tidak ada unit IKM dengan NIB %(nib)s.") % {"nib": nib}
            )
            return None
        message = self.scope_error(unit.kabupaten_code)
        if message:
            errors.setdefault("NIB unit", []).append(message)
            return None
        return unit

    # --- export ----------------------------------------------------------------------------------
    def scope_queryset(self, queryset):

        if self.user is None:
            return queryset
        return filter_by_unit_scope(self.user, queryset, "unit")

    def dehydrate_unit_nib(self, obj):
        return obj.unit.nib or ""
