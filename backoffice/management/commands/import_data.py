"""``manage.py import_data units|products|certifications FILE [--mapping NAME] [--dry-run]
[--user U] [--errors-out F]``

The same resources as the admin (validation, scope of ``--user``, history rows with
``history_user`` = that user), all or nothing in one transaction, idempotent (an unchanged row is
skipped and writes no history). Units are written in bulk batches.

Columns are mapped as in the admin: the header row is found below title and blank rows, a saved
template (``backoffice.ImportMapping``) with the same headers is used when there is one, else each
header is matched to a column by its name and known synonyms (and similar spellings);
``--mapping NAME`` uses the named template. Ignored columns are printed. ``--errors-out`` writes
the error report (the file's own columns repeated for each bad row): XLSX when the name ends in
``.xlsx``, else CSV with ``;``.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from import_export.results import RowResult

from backoffice.importexport import find_template
from backoffice.models import ImportMapping
from core.spreadsheet import SpreadsheetFileError, error_report_csv
from core.spreadsheet.files import (
    dataset_from_rows,
    error_report_table,
    error_report_xlsx,
    sheet_rows,
)
from core.spreadsheet.mapping import apply_mapping, header_signature, mapping_from_template

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
        parser.add_argument(
            "--mapping", help="Nama templat pemetaan kolom yang disimpan di back-office."
        )
        parser.add_argument(
            "--errors-out", help="Tulis daftar kesalahan ke berkas ini (.xlsx, selain itu CSV ;)."
        )
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, kind, file, dry_run, user, mapping, errors_out, batch_size, **options):
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
        resource = import_string(KINDS[kind])(user=account, bulk=True, batch_size=batch_size)
        label = resource._meta.model._meta.label_lower
        started = time.monotonic()
        try:
            dataset = dataset_from_rows(
                sheet_rows(path.read_bytes(), path.name), resource.matcher()
            )
        except SpreadsheetFileError as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:  # a file that is not CSV/XLSX at all
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from exc
        read_seconds = time.monotonic() - started
        headers = list(dataset.headers or [])
        targets = resource.mapping_targets()
        if mapping:
            template = ImportMapping.objects.filter(model_label=label, name=mapping).first()
            if template is None:
                names = ImportMapping.objects.filter(model_label=label).values_list(
                    "name", flat=True
                )
                raise CommandError(
                    f"Templat pemetaan '{mapping}' tidak ada untuk {kind}. "
                    f"Templat yang ada: {', '.join(names) or '(belum ada)'}."
                )
            if template.signature != header_signature(headers):
                self.stderr.write(
                    f"Peringatan: judul kolom berkas berbeda dari templat '{template.name}'; "
                    "kolom yang tidak ada di templat diabaikan."
                )
        else:
            template = find_template(label, headers)
        if template is not None:
            column_mapping = mapping_from_template(
                headers, template.mapping, template.name, targets
            )
            self.stdout.write(f"Memakai templat '{template.name}'.")
        else:
            column_mapping = resource.propose_mapping(headers)
        if headers:
            apply_mapping(dataset, column_mapping)
        self.stdout.write(f"Judul kolom dibaca dari baris {dataset.header_row}.")
        if column_mapping.ignored:
            self.stdout.write(f"Kolom diabaikan: {', '.join(column_mapping.ignored)}")
        result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False)
        seconds = time.monotonic() - started
        totals = result.totals
        failed = result.has_errors() or result.has_validation_errors()
        for number, column, message in resource.notes[:50]:
            self.stdout.write(f"catatan baris {number}, kolom {column}: {message}")
        if failed:
            rows = result.error_report()
            if errors_out:
                report_headers, table = error_report_table(
                    rows, dataset, resource.report_key_columns
                )
                if errors_out.lower().endswith(".xlsx"):
                    Path(errors_out).write_bytes(error_report_xlsx(report_headers, table))
                else:
                    Path(errors_out).write_text(
                        error_report_csv(table, headers=report_headers, delimiter=";"),
                        encoding="utf-8",
                    )
            for number, column, message in rows[:50]:
                where = f"baris {number}" if number else "berkas"
                col = f", kolom {column}" if column else ""
                own = column_mapping.source_header(column) if column else ""
                if own and own != column:
                    col += f" ({own})"
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
            f"{totals[RowResult.IMPORT_TYPE_SKIP]} tetap "
            f"({seconds:.1f} dtk, baca berkas {read_seconds:.1f} dtk)."
        )
