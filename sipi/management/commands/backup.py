"""``manage.py backup``: the database, the uploaded files and their manifest, into BACKUP_DIR."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sipi.backup import BackupError, backup_create, describe


class Command(BaseCommand):
    help = (
        "Cadangkan basis data (pg_dump, dan basis fisik untuk pemulihan ke titik waktu bila "
        "server mengarsipkan WAL), MEDIA_ROOT dan PRIVATE_MEDIA_ROOT beserta manifes SHA-256 "
        "ke BACKUP_DIR; simpan BACKUP_KEEP cadangan terakhir."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="folder cadangan (bawaan: BACKUP_DIR)")
        parser.add_argument("--keep", type=int, help="jumlah cadangan yang disimpan")
        parser.add_argument(
            "--no-physical",
            action="store_true",
            help="tanpa basis fisik (pg_basebackup), walau server mengarsipkan WAL",
        )

    def handle(self, *args, **options):
        try:
            path = backup_create(
                root=options["dir"],
                keep=options["keep"],
                physical=False if options["no_physical"] else None,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(describe(path))
