"""``manage.py seed_demo``: realistic demo data (idempotent; development only)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    OWNER_USERNAME,
    PROVINCE_USERNAME,
    SANGGAU_USERNAME,
    SeedError,
    demo_counts,
    seed_demo,
)


class Command(BaseCommand):
    help = (
        "Isi data demo: unit IKM, produk berfoto, sertifikat, sentra dan akun demo di 14 "
        "kabupaten/kota Kalimantan Barat. Idempoten: jalankan berulang kali tanpa mengubah apa pun."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Jalankan walaupun DEBUG mati (jangan di server produksi).",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Perkecil/perbesar data (bawaan 1.0: ≥300 unit, ≥1.000 produk).",
        )
        parser.add_argument(
            "--no-photos", action="store_true", help="Lewati pembuatan foto produk."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Jumlah proses pembuat foto (bawaan: jumlah CPU).",
        )

    def handle(self, *args, force, scale, no_photos, workers, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo menolak berjalan karena DEBUG mati (mode produksi): data demo tidak "
                "boleh masuk ke basis data sungguhan. Jalankan dengan DJANGO_DEBUG=1, atau "
                "tambahkan --force bila Anda yakin."
            )
        if scale <= 0 or scale > 10:
            raise CommandError("--scale harus lebih dari 0 dan paling besar 10.")
        verbose = options.get("verbosity", 1) >= 1

        def progress(done: int, total: int) -> None:
            if verbose:
                self.stdout.write(f"  foto produk: {done}/{total}")

        try:
            result = seed_demo(
                scale=scale, photos=not no_photos, workers=workers, progress=progress
            )
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        created = (
            ", ".join(f"{k} {v}" for k, v in sorted(result.created.items()) if v) or "tidak ada"
        )
        self.stdout.write(f"Data demo: dibuat {created} ({result.seconds:.1f} dtk).")
        for key, value in demo_counts().items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write(
            f"Akun demo (kata sandi {DEMO_PASSWORD}): {PROVINCE_USERNAME} (pejabat provinsi), "
            f"{SANGGAU_USERNAME} (pejabat Kabupaten Sanggau), {OWNER_USERNAME} (pemilik IKM)."
        )
        self.stdout.write(
            "Pejabat demo memakai verifikasi dua langkah: kode 6 angka dari "
            "`manage.py demo_mfa_code`, atau tambahkan kunci "
            f"{DEMO_TOTP_SECRET} ke aplikasi autentikator (berbasis waktu)."
        )
