"""``manage.py restore_drill``: restore the latest backup into a fresh cluster and check it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sipi.backup import BackupError
from sipi.drill import restore_drill, write_report


class Command(BaseCommand):
    help = (
        "Latihan pemulihan: pulihkan cadangan terakhir (atau --from) ke klaster PostgreSQL baru "
        "dan folder berkas baru, cocokkan jumlah baris dan checksum berkas dengan manifes, dan "
        "jalankan situs di atas salinan itu. Mencetak waktu tiap langkah dan titik pemulihan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--backup", action="store_true", help="ambil cadangan baru lebih dulu")
        parser.add_argument("--dir", type=Path, help="folder cadangan (bawaan: BACKUP_DIR)")
        parser.add_argument("--from", dest="source", type=Path, help="folder cadangan tertentu")
        parser.add_argument(
            "--no-physical", action="store_true", help="cadangan baru tanpa basis fisik"
        )
        parser.add_argument(
            "--no-pitr",
            action="store_true",
            help="tanpa latihan pemulihan ke titik waktu (basis fisik + arsip WAL)",
        )
        parser.add_argument(
            "--sample", type=int, default=200, help="berkas yang diperiksa checksum-nya (0: semua)"
        )
        parser.add_argument("--report", type=Path, help="tulis laporan JSON ke berkas ini")

    def handle(self, *args, **options):
        try:
            report = restore_drill(
                root=options["dir"],
                backup=options["source"],
                take_backup=options["backup"],
                physical=False if options["no_physical"] else None,
                pitr=not options["no_pitr"],
                sample=options["sample"],
                out=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["report"]:
            write_report(report, options["report"])
        if not report["ok"]:
            raise CommandError("Latihan pemulihan GAGAL: " + "; ".join(report["problems"]))
