"""``manage.py reapply_erasures``: after restoring a backup, erase again everyone who was erased.

Reads the erasure log in the database and the journal outside it (settings.ERASURE_JOURNAL), which
holds the erasures made after the backup was taken. Idempotent: run it after every restore (the
restore drill does). See docs/privacy.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from certifications.privacy import erasures_reapply
from ikm.privacy import journal_path


class Command(BaseCommand):
    help = (
        "Terapkan ulang penghapusan data pribadi (UU PDP) sesudah pemulihan cadangan: dari log "
        "penghapusan di basis data dan jurnal di luarnya."
    )

    def handle(self, *args, **options):
        done = erasures_reapply()
        changed = 0
        for entry in done:
            if entry.get("missing"):
                self.stdout.write(f"  akun #{entry['user_id']}: tidak ada di basis data ini")
                continue
            counts = {k: v for k, v in entry.items() if k != "user_id" and v}
            if counts:
                changed += 1
                detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                self.stdout.write(f"  akun #{entry['user_id']}: dihapus ulang ({detail})")
        self.stdout.write(
            self.style.SUCCESS(
                f"Penghapusan diterapkan ulang: {len(done)} orang di log/jurnal "
                f"({journal_path()}), {changed} dengan data yang muncul kembali."
            )
        )
