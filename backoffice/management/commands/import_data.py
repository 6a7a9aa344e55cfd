"""``manage.py import_data units|products|certifications FILE [--dry-run] [--user U]
[--errors-out F]``

The same resources as the admin (validation, scope of ``--user``, history rows with
``history_user`` = that user), all or nothing in one transaction, idempotent (an unchanged row is
skipped and writes no history). Units are written in bulk batches.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from import_export.results import RowResult

from core.spreadsheet import error_report_csv, read_file

KINDS = {
    "units": "ikm.resources.IKMUnitResource",
    "products": "products.resources.ProductResource",
    "certifications": "certifications.resources.CertificationResource",
}


class Command(BaseCommand):
    help = "Impor unit IKM, produk atau sertifikat dari CSV/XLSX (semua atau tidak sama sekali)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Periksa saja, tanpa menyimpan.")
        parser.add_argument(
            "--user", help="Akun pelaku impor (wilayah kerja dan riwayat perubahan)."
        )
        parser.add_argument("--errors-out", help="Tulis daftar kesalahan ke berkas CSV ini.")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, kind, file, dry_run, user, errors_out, batch_size, **options):
        from django.utils.module_loading import import_string

        path = Path(file)
        if not path.exists():
            raise CommandError(f"Berkas tidak ditemukan: {file}")
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"Akun tidak ditemukan: {user}") from exc
        started = time.monotonic()
        try:
            dataset = read_file(path)
        except Exception as exc:  # a file that is not CSV/XLSX at all
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from exc
        read_seconds = time.monotonic() - started
        resource = import_string(KINDS[kind])(user=account, bulk=True, batch_size=batch_size)
        result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False)
        seconds = time.monotonic() - started
        totals = result.totals
        failed = result.has_errors() or result.has_validation_errors()
        if failed:
            rows = result.error_report()
            if errors_out:
                Path(errors_out).write_text(error_report_csv(rows), encoding="utf-8")
            for number, column, message in rows[:50]:
                where = f"baris {number}" if number else "berkas"
                col = f", kolom {column}" if column else ""
                self.stderr.write(f"{where}{col}: {message}")
            if len(rows) > 50:
                self.stderr.write(f"… dan {len(rows) - 50} kesalahan lain")
            raise CommandError(
                f"Impor dibatalkan: {len(rows)} kesalahan, tidak ada data yang disimpan."
            )
        verb = "Uji coba (tidak disimpan)" if dry_run else "Impor selesai"
        self.stdout.write(
            f"{verb}: {len(dataset)} baris; {totals[RowResult.IMPORT_TYPE_NEW]} baru, "
            f"{totals[RowResult.IMPORT_TYPE_UPDATE]} diubah, "
            f"{totals[RowResult.IMPORT_TYPE_SKIP]} tidak berubah "
            f"({seconds:.1f} dtk, baca berkas {read_seconds:.1f} dtk)."
        )
