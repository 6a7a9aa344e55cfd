"""Spreadsheet test helpers: files built in memory, imports run like the admin does."""

from __future__ import annotations

import csv
import io

UNIT_HEADERS = [
    "NIB",
    "Nama usaha",
    "Nama pemilik",
    "NIK",
    "Kelompok komoditas",
    "Kab/Kota",
    "Kecamatan",
    "Desa/Kelurahan",
    "Kode wilayah",
    "Alamat usaha",
    "Tenaga kerja",
    "Nilai investasi (Rp)",
    "WhatsApp",
]


def make_csv(headers, rows, *, delimiter=",", encoding="utf-8", bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def run_import(resource_class, data: bytes, *, user=None, dry_run=False, filename="data.csv"):
    """The file read as the admin and the command read it (header row found below title rows,
    columns mapped by name, synonyms and similarity), then imported."""
    resource = resource_class(user=user)
    dataset = resource.read_dataset(data, filename)
    return resource.import_data(dataset, dry_run=dry_run)


def errors_of(result):
    """{(spreadsheet row, column): message} of a result."""
    return {(row, col): msg for row, col, msg in result.error_report()}
