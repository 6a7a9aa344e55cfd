"""The bulk datasets: CSV and JSONL (gzip) of products, units, regions and statistics.

Built nightly by the scheduler (``api.build_datasets``, CELERY_BEAT_SCHEDULE) into the default
storage under ``OPENDATA_PREFIX`` (``opendata/``): each dataset is read once, row by row, with a
server-side cursor (``iterator(chunk_size=…)`` on the ``direct`` connection, never the pooler:
PgBouncer in transaction mode has server-side cursors off) and written to both files as it goes,
so memory stays constant at any size. New files get a new name; ``manifest.json`` is written
last and names the current ones, then the previous run's files are deleted: a reader never sees
a half-written dataset.

Each dataset has a data dictionary following the Satu Data Indonesia metadata (Perpres 39/2019,
metadata statistik per Peraturan BPS No. 5/2020): title, description, publisher, period, update
frequency, licence, contact, variable definitions and reference codes (:func:`dictionary`).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification
from ikm.models import IKMUnit, Region
from products.models import Product

from . import statistics
from .public_fields import shown_contact

CHUNK_SIZE = 2_000
FORMATS = ("csv", "jsonl")
MANIFEST = "manifest.json"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.id"
PUBLISHER = "Dinas Perindustrian dan Perdagangan Provinsi Kalimantan Barat"
REF_WILAYAH = _(
    "Kode wilayah Kemendagri (Permendagri No. 72 Tahun 2019 dan pemutakhirannya): "
    "61 = Kalimantan Barat, 61.71 = Kota Pontianak, 61.71.01 = kecamatan, 61.71.01.1001 = desa."
)
REF_KBLI = _("Klasifikasi Baku Lapangan Usaha Indonesia (KBLI) 2020, Peraturan BPS No. 2/2020.")


@dataclass
class Column:
    name: str
    type: str  # string, integer, boolean, date-time, array
    definition: object
    reference: object = ""


@dataclass
class Dataset:
    name: str
    title: object
    description: object
    columns: list[Column]
    rows: Callable[[str], Iterable[dict]]  # database alias -> rows (dicts by column name)
    keywords: list[str] = field(default_factory=list)


def _products(using: str) -> Iterator[dict]:
    active = ArraySubquery(
        Certification.objects.active()
        .filter(products=OuterRef("pk"))
        .order_by("type")
        .values("type")
        .distinct()
    )
    rows = (
        Product.objects.using(using)
        .public()
        .annotate(certs=active)
        .order_by("id")
        .values_list(
            "id",
            "slug",
            "name",
            "category",
            "description",
            "price",
            "price_unit",
            "is_selected",
            "unit__slug",
            "unit__kabupaten_code",
            "unit__kecamatan_code",
            "unit__desa_id",
            "certs",
            "created_at",
            "updated_at",
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield dict(zip(PRODUCT_NAMES, row, strict=True))


PRODUCT_COLUMNS = [
    Column("id", "integer", _("Nomor pengenal produk (tetap).")),
    Column("slug", "string", _("Pengenal produk di URL situs publik (/produk/<slug>/).")),
    Column("nama", "string", _("Nama produk.")),
    Column("kategori", "string", _("Kode kelompok komoditas IKM."), _("Kode kategori SIPI")),
    Column("deskripsi", "string", _("Deskripsi produk dari pemilik.")),
    Column("harga", "integer", _("Harga dalam rupiah; kosong bila tidak dicantumkan.")),
    Column("satuan_harga", "string", _("Satuan harga (pcs, kg, …).")),
    Column("terseleksi", "boolean", _("Produk terseleksi etalase Griya IKM.")),
    Column("unit_slug", "string", _("Pengenal unit IKM pembuat (dataset unit).")),
    Column("kode_kabupaten", "string", _("Kode kabupaten/kota unit."), REF_WILAYAH),
    Column("kode_kecamatan", "string", _("Kode kecamatan unit."), REF_WILAYAH),
    Column("kode_desa", "string", _("Kode desa/kelurahan unit."), REF_WILAYAH),
    Column("sertifikat_aktif", "array", _("Jenis sertifikat yang berlaku pada tanggal dump.")),
    Column("dibuat", "date-time", _("Waktu produk dicatat.")),
    Column("diperbarui", "date-time", _("Waktu terakhir produk diubah.")),
]
PRODUCT_NAMES = [c.name for c in PRODUCT_COLUMNS]


UNIT_VALUES = (
    "id",
    "slug",
    "name",
    "description",
    "commodity_group",
    "kbli",
    "scale",
    "address",
    "kabupaten_code",
    "kecamatan_code",
    "desa_id",
    "year_established",
    "sentra__name",
    "website",
    "phone",
    "phone_public",
    "whatsapp",
    "whatsapp_public",
    "email",
    "email_public",
    "updated_at",
)


def _units(using: str) -> Iterator[dict]:
    rows = IKMUnit.objects.using(using).public().order_by("id").values(*UNIT_VALUES)
    for v in rows.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "id": v["id"],
            "slug": v["slug"],
            "nama": v["name"],
            "deskripsi": v["description"],
            "kelompok_komoditas": v["commodity_group"],
            "kbli": v["kbli"],
            "skala": v["scale"],
            "alamat_usaha": v["address"],
            "kode_kabupaten": v["kabupaten_code"],
            "kode_kecamatan": v["kecamatan_code"],
            "kode_desa": v["desa_id"],
            "tahun_berdiri": v["year_established"],
            "sentra": v["sentra__name"] or "",
            "situs_web": v["website"],
            "telepon": shown_contact(v, "phone"),
            "whatsapp": shown_contact(v, "whatsapp"),
            "email": shown_contact(v, "email"),
            "diperbarui": v["updated_at"],
        }


UNIT_COLUMNS = [
    Column("id", "integer", _("Nomor pengenal unit (tetap).")),
    Column("slug", "string", _("Pengenal unit di URL situs publik (/ikm/<slug>/).")),
    Column("nama", "string", _("Nama usaha.")),
    Column("deskripsi", "string", _("Deskripsi usaha.")),
    Column("kelompok_komoditas", "string", _("Kode kelompok komoditas IKM.")),
    Column("kbli", "string", _("Kode KBLI 5 digit."), REF_KBLI),
    Column("skala", "string", _("Skala usaha: kecil, menengah, besar (di atas batas IKM).")),
    Column("alamat_usaha", "string", _("Alamat tempat usaha (bukan alamat rumah pemilik).")),
    Column("kode_kabupaten", "string", _("Kode kabupaten/kota."), REF_WILAYAH),
    Column("kode_kecamatan", "string", _("Kode kecamatan."), REF_WILAYAH),
    Column("kode_desa", "string", _("Kode desa/kelurahan."), REF_WILAYAH),
    Column("tahun_berdiri", "integer", _("Tahun usaha berdiri.")),
    Column("sentra", "string", _("Nama sentra IKM, bila unit termasuk sentra.")),
    Column("situs_web", "string", _("Situs web usaha.")),
    Column("telepon", "string", _("Telepon usaha (E.164), hanya bila pemilik menampilkannya.")),
    Column("whatsapp", "string", _("WhatsApp usaha (E.164), hanya bila pemilik menampilkannya.")),
    Column("email", "string", _("Email usaha, hanya bila pemilik menampilkannya.")),
    Column("diperbarui", "date-time", _("Waktu terakhir data unit diubah.")),
]


def _regions(using: str) -> Iterator[dict]:
    rows = (
        Region.objects.using(using)
        .order_by("code")
        .values_list("code", "name", "level", "parent_id")
    )
    for code, name, level, parent in rows.iterator(chunk_size=CHUNK_SIZE):
        yield {"kode": code, "nama": name, "tingkat": level, "kode_induk": parent or ""}


REGION_COLUMNS = [
    Column("kode", "string", _("Kode wilayah."), REF_WILAYAH),
    Column("nama", "string", _("Nama wilayah.")),
    Column("tingkat", "string", _("provinsi, kabupaten, kota, kecamatan, desa, kelurahan.")),
    Column("kode_induk", "string", _("Kode wilayah induk (kosong untuk provinsi)."), REF_WILAYAH),
]


def _statistics(using: str) -> Iterator[dict]:
    yield from statistics.long_rows(statistics.compute(using=using))


STATISTICS_COLUMNS = [
    Column(
        "dimensi",
        "string",
        _(
            "unit_per_kabupaten, unit_per_kbli, unit_per_skala, unit_per_tahun_berdiri, "
            "produk_bersertifikat_per_jenis."
        ),
    ),
    Column(
        "kode",
        "string",
        _("Kode kelompok (wilayah, KBLI, skala, tahun, jenis)."),
        _("Kode wilayah Kemendagri; KBLI 2020"),
    ),
    Column("nama", "string", _("Nama kelompok, bila ada.")),
    Column("jumlah", "integer", _("Jumlah unit IKM terverifikasi atau produk tayang.")),
]


DATASETS = {
    d.name: d
    for d in (
        Dataset(
            "produk",
            _("Produk IKM Kalimantan Barat"),
            _("Produk tayang dari unit IKM terverifikasi di katalog SIPI IKM Kalbar."),
            PRODUCT_COLUMNS,
            _products,
            ["produk", "IKM", "katalog"],
        ),
        Dataset(
            "unit",
            _("Unit IKM Kalimantan Barat (kolom publik)"),
            _(
                "Unit industri kecil dan menengah terverifikasi: nama, lokasi, KBLI, skala, tahun "
                "berdiri dan kontak usaha yang ditampilkan pemilik. Tanpa data pribadi."
            ),
            UNIT_COLUMNS,
            _units,
            ["IKM", "industri", "unit usaha"],
        ),
        Dataset(
            "wilayah",
            _("Kode wilayah"),
            _("Wilayah administrasi menurut kode Kemendagri yang dipakai SIPI."),
            REGION_COLUMNS,
            _regions,
            ["wilayah", "kode Kemendagri"],
        ),
        Dataset(
            "statistik",
            _("Statistik IKM Kalimantan Barat"),
            _(
                "Jumlah unit IKM terverifikasi per kabupaten/kota, KBLI, skala dan tahun berdiri; "
                "jumlah produk tayang bersertifikat berlaku per jenis sertifikat."
            ),
            STATISTICS_COLUMNS,
            _statistics,
            ["statistik", "IKM"],
        ),
    )
}


# --- writing ------------------------------------------------------------------------------------
def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class _Sink:
    """A gzip file on disk being written, with its SHA-256 (of the compressed bytes)."""

    def __init__(self):
        self.raw = tempfile.TemporaryFile()
        self.gz = gzip.GzipFile(fileobj=self.raw, mode="wb", mtime=0)
        self.text = io.TextIOWrapper(self.gz, encoding="utf-8", newline="")

    def close(self) -> tuple[File, str, int]:
        self.text.flush()
        self.text.detach()
        self.gz.close()
        size = self.raw.tell()
        self.raw.seek(0)
        digest = hashlib.sha256()
        for chunk in iter(lambda: self.raw.read(1 << 20), b""):
            digest.update(chunk)
        self.raw.seek(0)
        return File(self.raw), digest.hexdigest(), size


def _path(name: str) -> str:
    return f"{settings.OPENDATA_PREFIX}/{name}"


def write_dataset(dataset: Dataset, stamp: str, using: str) -> dict:
    """Both files of one dataset, streamed; returns its manifest entry."""
    csv_sink, json_sink = _Sink(), _Sink()
    names = [c.name for c in dataset.columns]
    writer = csv.writer(csv_sink.text)
    writer.writerow(names)
    count = 0
    for row in dataset.rows(using):
        writer.writerow([_cell(row[n]) for n in names])
        json_sink.text.write(
            json.dumps({n: row[n] for n in names}, cls=DjangoJSONEncoder, ensure_ascii=False)
        )
        json_sink.text.write("\n")
        count += 1
    files = {}
    for fmt, sink in (("csv", csv_sink), ("jsonl", json_sink)):
        content, digest, size = sink.close()
        path = default_storage.save(_path(f"{dataset.name}-{stamp}.{fmt}.gz"), content)
        content.close()
        files[fmt] = {"path": path, "bytes": size, "sha256": digest}
    return {"rows": count, "files": files}


def read_manifest() -> dict | None:
    path = _path(MANIFEST)
    try:
        with default_storage.open(path, "rb") as handle:
            return json.loads(handle.read().decode("utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return None


def build_all(using: str = "direct") -> dict:
    """Every dataset, then the manifest naming them, then the previous files removed."""
    now = timezone.now()
    stamp = now.strftime("%Y%m%dT%H%M%S%f")
    previous = read_manifest() or {}
    entries = {name: write_dataset(d, stamp, using) for name, d in DATASETS.items()}
    manifest = {"built_at": now.isoformat(), "datasets": entries}
    path = _path(MANIFEST)
    body = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, io.BytesIO(body))
    for entry in previous.get("datasets", {}).values():
        for info in entry.get("files", {}).values():
            if info["path"] not in {
                f["path"] for e in entries.values() for f in e["files"].values()
            }:
                default_storage.delete(info["path"])
    return manifest


# --- metadata -----------------------------------------------------------------------------------
def dictionary(dataset: Dataset, manifest: dict | None, base_url: str) -> dict:
    """The data dictionary of ``dataset`` (Satu Data Indonesia metadata, Indonesian keys)."""
    entry = (manifest or {}).get("datasets", {}).get(dataset.name, {})
    built = (manifest or {}).get("built_at")
    return {
        "judul": str(dataset.title),
        "deskripsi": str(dataset.description),
        "produsen_data": PUBLISHER,
        "walidata": PUBLISHER,
        "periode": {"jenis": str(_("Posisi data (snapshot)")), "tanggal": built},
        "frekuensi_pemutakhiran": str(_("Harian (dibangun ulang setiap malam)")),
        "lisensi": {"nama": "CC BY 4.0", "url": LICENSE_URL},
        "kontak": {"nama": PUBLISHER, "email": settings.OPENDATA_CONTACT_EMAIL or None},
        "cakupan_wilayah": str(_("Provinsi Kalimantan Barat (kode 61)")),
        "jumlah_baris": entry.get("rows"),
        "variabel": [
            {
                "nama": c.name,
                "tipe": c.type,
                "definisi": str(c.definition),
                "kode_referensi": str(c.reference) if c.reference else None,
            }
            for c in dataset.columns
        ],
        "kode_referensi": [str(REF_WILAYAH), str(REF_KBLI)],
        "distribusi": [
            {
                "format": fmt.upper(),
                "unduh": f"{base_url}/data/{dataset.name}.{fmt}.gz",
                "ukuran_bita": info["bytes"],
                "sha256": info["sha256"],
            }
            for fmt, info in entry.get("files", {}).items()
        ],
    }


def _contact_point() -> dict:
    point = {"@type": "vcard:Contact", "fn": PUBLISHER}
    if settings.OPENDATA_CONTACT_EMAIL:
        point["hasEmail"] = f"mailto:{settings.OPENDATA_CONTACT_EMAIL}"
    return point


def dcat_catalog(manifest: dict | None, base_url: str) -> dict:
    """A DCAT catalog (JSON-LD, DCAT-US/CKAN-style keys that CKAN harvesters read)."""
    built = (manifest or {}).get("built_at")
    datasets = []
    for dataset in DATASETS.values():
        entry = (manifest or {}).get("datasets", {}).get(dataset.name)
        if not entry:
            continue
        datasets.append(
            {
                "@type": "dcat:Dataset",
                "identifier": f"{base_url}/data/{dataset.name}",
                "title": str(dataset.title),
                "description": str(dataset.description),
                "keyword": dataset.keywords,
                "issued": built,
                "modified": built,
                "publisher": {"@type": "org:Organization", "name": PUBLISHER},
                "contactPoint": _contact_point(),
                "accessLevel": "public",
                "license": LICENSE_URL,
                "spatial": "Kalimantan Barat (61)",
                "accrualPeriodicity": "R/P1D",
                "language": ["id"],
                "describedBy": f"{base_url}/data/{dataset.name}/kamus.json",
                "describedByType": "application/json",
                "distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "title": f"{dataset.title} ({fmt.upper()}, gzip)",
                        "downloadURL": f"{base_url}/data/{dataset.name}.{fmt}.gz",
                        "mediaType": "text/csv" if fmt == "csv" else "application/x-ndjson",
                        "compressFormat": "application/gzip",
                        "byteSize": info["bytes"],
                        "checksum": {"algorithm": "sha256", "checksumValue": info["sha256"]},
                    }
                    for fmt, info in entry["files"].items()
                ],
            }
        )
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "title": str(_("Data terbuka SIPI IKM Kalbar")),
        "publisher": {"@type": "org:Organization", "name": PUBLISHER},
        "license": LICENSE_URL,
        "modified": built,
        "dataset": datasets,
    }
