"""Spreadsheet import/export of certifications (Indonesian headers, natural keys).

A row is matched on (Jenis, Nomor), the number normalised and checked by
``certifications.formats``; the unit is named by ``NIB unit``; ``Produk`` lists the unit's
products it covers by name, separated by ``;``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _g
from import_export.instance_loaders import BaseInstanceLoader

from core.spreadsheet import (
    Col,
    SpreadsheetResource,
    choice_parser,
    parse_date,
    parse_int,
    render_choice,
    render_date,
    text,
    text_parser,
    unescape_formula,
)
from ikm.models import IKMUnit
from ikm.resources import CHUNK, UnitRowResource, nib_or_none
from products.models import Product

from .formats import normalize_number, validate_number
from .models import DEFAULT_ISSUERS, Certification, CertificationStatus, CertificationType

_cert_type = choice_parser(CertificationType.choices)


def _type_and_number(row) -> tuple[str, str] | None:
    try:
        cert_type = _cert_type(row.get("Jenis"))
    except ValueError:
        return None
    number = normalize_number(cert_type, text(unescape_formula(row.get("Nomor"))))
    if not cert_type or not number:
        return None
    return cert_type, number


class CertificationInstanceLoader(BaseInstanceLoader):
    def __init__(self, resource: CertificationResource, dataset=None):
        super().__init__(resource, dataset)
        headers = dataset.headers or []
        keys: set[tuple[str, str]] = set()
        nibs: set[str] = set()
        for data in dataset._data:
            row = dict(zip(headers, data, strict=False))
            key = _type_and_number(row)
            if key:
                keys.add(key)
            nib = nib_or_none(row.get("NIB unit"))
            if nib:
                nibs.add(nib)
        numbers = sorted({n for _t, n in keys})
        self.existing: dict[tuple[str, str], Certification] = {}
        for k in range(0, len(numbers), CHUNK):
            qs = (
                Certification.objects.filter(number__in=numbers[k : k + CHUNK])
                .select_related("unit")
                .prefetch_related("products")
            )
            for cert in qs:
                self.existing[(cert.type, cert.number)] = cert
        units: dict[str, IKMUnit] = {}
        nib_list = sorted(nibs)
        for k in range(0, len(nib_list), CHUNK):
            for unit in IKMUnit.objects.filter(nib__in=nib_list[k : k + CHUNK]):
                units[unit.nib] = unit
        resource.units_by_nib = units
        products: dict[tuple[int, str], list[Product]] = {}
        unit_ids = [u.pk for u in units.values()]
        for k in range(0, len(unit_ids), CHUNK):
            for product in Product.objects.filter(unit_id__in=unit_ids[k : k + CHUNK]):
                products.setdefault((product.unit_id, product.name.lower()), []).append(product)
        resource.products_by_name = products

    def get_instance(self, row):
        key = _type_and_number(row)
        return self.existing.get(key) if key else None


class CertificationResource(UnitRowResource):
    # Headers offices give these columns (see core.spreadsheet.mapping; the own header is known).
    column_synonyms = {
        "Jenis": ("Jenis sertifikat", "Jenis sertifikasi", "Sertifikat"),
        "Nomor": ("Nomor sertifikat", "No sertifikat", "No. sertifikat"),
        "Penerbit": ("Lembaga penerbit", "Instansi penerbit"),
        "Tanggal terbit": ("Tgl terbit", "Tanggal sertifikat"),
        "Berlaku sampai": ("Masa berlaku", "Berlaku s/d", "Tanggal kedaluwarsa"),
        "NIB unit": ("NIB", "NIB IKM", "NIB usaha"),
        "Produk": ("Nama produk",),
    }
    report_key_columns = ("NIB unit", "Nomor")

    type = Col(
        "type",
        "Jenis",
        parse=_cert_type,
        render=render_choice(CertificationType.choices),
        required=True,
    )
    number = Col("number", "Nomor", parse=text_parser(100), required=True)
    issuer = Col("issuer", "Penerbit", parse=text_parser(150))
    issued_on = Col(
        "issued_on",
        "Tanggal terbit",
        parse=parse_date,
        render=render_date,
        native=True,
        required=True,
    )
    valid_until = Col(
        "valid_until", "Berlaku sampai", parse=parse_date, render=render_date, native=True
    )
    ovop_stars = Col(
        "ovop_stars",
        "Bintang OVOP",
        parse=lambda c: parse_int(c, minimum=1, maximum=5),
        native=True,
    )
    ovop_year = Col(
        "ovop_year",
        "Tahun OVOP",
        parse=lambda c: parse_int(c, minimum=1990, maximum=2100),
        native=True,
    )
    unit_nib = Col(None, "NIB unit", required=True)
    unit_name = Col("unit__name", "Nama usaha", readonly=True)
    products = Col(None, "Produk")
    status = Col(None, "Status", readonly=True)

    write_fields = (
        "type",
        "number",
        "issuer",
        "issued_on",
        "valid_until",
        "ovop_stars",
        "ovop_year",
        "unit",
    )

    class Meta(SpreadsheetResource.Meta):
        model = Certification
        import_id_fields = ()
        instance_loader_class = CertificationInstanceLoader
        fields = (
            "type",
            "number",
            "issuer",
            "issued_on",
            "valid_until",
            "ovop_stars",
            "ovop_year",
            "unit_nib",
            "unit_name",
            "products",
            "status",
        )

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.products_by_name: dict[tuple[int, str], list[Product]] = {}
        self._seen: dict[tuple[str, str], int] = {}

    @classmethod
    def get_display_name(cls):
        return _g("Sertifikat")

    def get_queryset(self):
        return Certification.objects.select_related("unit").prefetch_related("products")

    def related_state(self, instance):
        return (self._product_state(instance),)

    @staticmethod
    def _product_state(instance) -> frozenset:
        state = getattr(instance, "_sipi_products", None)
        if state is not None:
            return frozenset(p.pk for p in state)
        if instance.pk is None:
            return frozenset()
        return frozenset(p.pk for p in instance.products.all())

    def constraint_columns(self):
        return {
            "unique_type_number": (
                "Nomor",
                _g("Nomor ini sudah terdaftar untuk jenis sertifikat yang sama."),
            ),
            "valid_after_issue": (
                "Berlaku sampai",
                _g("Tanggal berlaku sampai tidak boleh sebelum tanggal terbit."),
            ),
            "ovop_stars": ("Bintang OVOP", _g("Sertifikat OVOP wajib punya bintang 1–5.")),
            "number_not_blank": ("Nomor", _g("Wajib diisi.")),
        }

    def import_row_extra(self, instance, row, errors, **kwargs):
        number = kwargs.get("row_number", 0)
        new = instance.pk is None
        if not new:
            message = self.scope_error(instance.unit.kabupaten_code)
            if message:
                errors.setdefault("Nomor", []).append(
                    _g("Sertifikat ini terdaftar pada unit di luar wilayah kerja Anda.")
                )
                return
        cert_type = instance.type
        if "Nomor" not in errors and cert_type:
            try:
                instance.number = validate_number(cert_type, instance.number)
            except ValidationError as e:
                errors.setdefault("Nomor", []).extend(e.messages)
            else:
                key = (cert_type, instance.number)
                first = self._seen.setdefault(key, number)
                if first != number:
                    errors.setdefault("Nomor", []).append(
                        _g("Nomor ini sudah ada di baris %(row)s.") % {"row": first + 1}
                    )
        if not instance.issuer and cert_type:
            instance.issuer = DEFAULT_ISSUERS.get(cert_type, "")
        if (
            instance.issued_on
            and instance.valid_until
            and instance.valid_until < instance.issued_on
        ):
            errors.setdefault("Berlaku sampai", []).append(
                _g("Tanggal berlaku sampai tidak boleh sebelum tanggal terbit.")
            )
        if instance.issued_on and instance.issued_on > timezone.localdate():
            errors.setdefault("Tanggal terbit", []).append(
                _g("Tanggal terbit tidak boleh di masa depan.")
            )
        if cert_type == CertificationType.OVOP:
            if instance.ovop_stars is None:
                errors.setdefault("Bintang OVOP", []).append(
                    _g("Sertifikat OVOP wajib punya bintang 1–5.")
                )
            if instance.ovop_year is None:
                errors.setdefault("Tahun OVOP", []).append(
                    _g("Sertifikat OVOP wajib punya tahun penilaian.")
                )
        elif cert_type and (instance.ovop_stars is not None or instance.ovop_year is not None):
            column = "Bintang OVOP" if instance.ovop_stars is not None else "Tahun OVOP"
            errors.setdefault(column, []).append(
                _g("Bintang dan tahun OVOP hanya untuk sertifikat OVOP.")
            )
        unit = self.unit_for_row(row, errors)
        if unit is None:
            return
        instance.unit = unit
        if "Produk" in row:
            chosen: list[Product] = []
            for name in [n.strip() for n in re.split(r"[;\n]+", text(row.get("Produk")))]:
                if not name:
                    continue
                found = self.products_by_name.get((unit.pk, name.lower()))
                if not found:
                    errors.setdefault("Produk", []).append(
                        _g("Produk '%(name)s' tidak ada pada unit ini.") % {"name": name}
                    )
                    continue
                chosen.extend(found)
            instance._sipi_products = chosen

    def after_instance_saved(self, instance, is_create):
        chosen = getattr(instance, "_sipi_products", None)
        if chosen is not None:
            instance.products.set(chosen)

    def after_bulk_saved(self, instances, is_create):
        """The products (m2m) of a saved batch and their history, set-based.

        The through rows are compared with what the loader prefetched, stale ones deleted and
        missing ones inserted in one statement each; then each certificate's new history row
        (written with the batch) gets its products as simple-history records them
        (``HistoricalCertification_products``), so history stays as complete as a form's save.
        """
        through = Certification.products.through
        wanted: dict[int, set[int]] = {}
        current: dict[int, dict[int, int]] = {}  # certificate -> product -> through row id
        if not is_create:
            ids = [i.pk for i in instances]
            for k in range(0, len(ids), CHUNK):
                rows = through.objects.filter(certification_id__in=ids[k : k + CHUNK])
                for row_id, cert_id, product_id in rows.values_list(
                    "pk", "certification_id", "product_id"
                ):
                    current.setdefault(cert_id, {})[product_id] = row_id
        stale: list[int] = []
        missing = []
        for instance in instances:
            chosen = getattr(instance, "_sipi_products", None)
            have = current.get(instance.pk, {})
            if chosen is None:
                wanted[instance.pk] = set(have)
                continue
            wanted[instance.pk] = {p.pk for p in chosen}
            stale.extend(row_id for pid, row_id in have.items() if pid not in wanted[instance.pk])
            missing.extend(
                through(certification_id=instance.pk, product_id=pid)
                for pid in sorted(wanted[instance.pk] - set(have))
            )
            if hasattr(instance, "_prefetched_objects_cache"):
                instance._prefetched_objects_cache.pop("products", None)
        if stale:
            through.objects.filter(pk__in=stale).delete()
        for row in through.objects.bulk_create(missing, batch_size=5000):
            current.setdefault(row.certification_id, {})[row.product_id] = row.pk
        self._product_history(instances, wanted, current)

    @staticmethod
    def _product_history(instances, wanted, current) -> None:
        history = Certification.history.model
        m2m_history = history._meta.get_field("historicalcertification_products").related_model
        ids = [i.pk for i in instances if wanted.get(i.pk)]
        latest: dict[int, int] = {}
        for k in range(0, len(ids), CHUNK):
            latest.update(
                history.objects.filter(id__in=ids[k : k + CHUNK])
                .values("id")
                .annotate(last=Max("history_id"))
                .values_list("id", "last")
            )
        m2m_history.objects.bulk_create(
            [
                m2m_history(
                    id=current[cert_id][pid],
                    certification_id=cert_id,
                    product_id=pid,
                    history_id=history_id,
                )
                for cert_id, history_id in latest.items()
                for pid in sorted(wanted[cert_id])
            ],
            batch_size=5000,
        )

    # --- export ----------------------------------------------------------------------------------
    def filter_export(self, queryset, **kwargs):
        queryset = super().filter_export(queryset, **kwargs)
        return queryset.select_related("unit").prefetch_related("products")

    def dehydrate_products(self, cert):
        return "; ".join(sorted(p.name for p in cert.products.all()))

    def dehydrate_status(self, cert):
        return str(CertificationStatus(cert.status).label)

    def preview_value(self, field, instance):
        if field.column_name == "Produk":
            chosen = getattr(instance, "_sipi_products", None)
            if chosen is not None:
                return "; ".join(sorted(p.name for p in chosen))
        return super().preview_value(field, instance)
