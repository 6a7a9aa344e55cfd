import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ikm.regions import DEFAULT_FILE, RegionFileError, load_regions


class Command(BaseCommand):
    help = (
        "Muat kode wilayah Kemendagri dari CSV (code,name,level,parent_code; boleh .gz). Idempoten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=str(DEFAULT_FILE),
            help="Berkas CSV (bawaan: salinan Kalbar edisi 2025 di ikm/data/regions).",
        )

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.exists():
            raise CommandError(f"Berkas tidak ditemukan: {file}")
        started = time.perf_counter()
        try:
            result = load_regions(file)
        except RegionFileError as exc:
            raise CommandError(
                f"Berkas wilayah tidak valid ({len(exc.errors)} kesalahan):\n{exc}"
            ) from exc
        elapsed = time.perf_counter() - started
        levels = ", ".join(f"{k} {v}" for k, v in sorted(result.by_level.items()))
        self.stdout.write(
            f"Wilayah: {result.created} baru, {result.updated} diperbarui, "
            f"{result.unchanged} tetap, {result.not_in_file} tidak ada di berkas "
            f"({elapsed:.1f} dtk). Di berkas: {levels}."
        )
