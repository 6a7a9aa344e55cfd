"""Issue 13: security and personal-data rights (placeholder: operations filled by the issue)."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import core.text


class Migration(migrations.Migration):
    dependencies = [
        ("ikm", "0004_import_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # --- PDP rights of owners (issue 13, H13c): Consent, DataSubjectRequest, Erasure
        migrations.CreateModel(
            name="Consent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "notice_version",
                    models.CharField(max_length=20, verbose_name="versi kebijakan privasi"),
                ),
                (
                    "given_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="diberikan pada"
                    ),
                ),
                (
                    "withdrawn_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="ditarik pada"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="consents",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="akun",
                    ),
                ),
            ],
            options={
                "verbose_name": "persetujuan",
                "verbose_name_plural": "persetujuan",
                "ordering": ["-given_at"],
            },
        ),
        migrations.CreateModel(
            name="DataSubjectRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("akses", "Akses dan salinan data"),
                            ("koreksi", "Perbaikan data"),
                            ("penghapusan", "Penghapusan data"),
                        ],
                        max_length=12,
                        verbose_name="jenis",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("diterima", "Diterima, menunggu tindakan"),
                            ("selesai", "Selesai"),
                            ("ditolak", "Ditolak"),
                        ],
                        default="diterima",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "field",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("account_name", "Nama pada akun"),
                            ("account_email", "Email akun"),
                            ("owner_name", "Nama pemilik unit"),
                            ("nik", "NIK"),
                            ("owner_address", "Alamat rumah"),
                            ("owner_phone", "Telepon pribadi"),
                            ("other", "Lainnya"),
                        ],
                        max_length=20,
                        verbose_name="data yang diperbaiki",
                    ),
                ),
                (
                    "requested_value",
                    models.CharField(blank=True, max_length=255, verbose_name="seharusnya"),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="keterangan pemohon"
                    ),
                ),
                (
                    "requested_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="diajukan pada"
                    ),
                ),
                ("deadline", models.DateTimeField(verbose_name="batas waktu")),
                (
                    "handled_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="ditangani pada"),
                ),
                (
                    "resolution_note",
                    models.TextField(
                        blank=True, max_length=2000, verbose_name="catatan penyelesaian"
                    ),
                ),
                (
                    "handled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="ditangani oleh",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="data_subject_requests",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="pemilik data",
                    ),
                ),
            ],
            options={
                "verbose_name": "permintaan hak pemilik data",
                "verbose_name_plural": "permintaan hak pemilik data",
                "ordering": ["status", "deadline"],
            },
        ),
        migrations.CreateModel(
            name="Erasure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "user_id_erased",
                    models.PositiveBigIntegerField(unique=True, verbose_name="id akun"),
                ),
                ("email_digest", models.CharField(max_length=64, verbose_name="HMAC email")),
                ("unit_ids", models.JSONField(blank=True, default=list, verbose_name="unit")),
                (
                    "erased_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="dihapus pada"
                    ),
                ),
                (
                    "reapplied_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="diterapkan ulang pada"
                    ),
                ),
                (
                    "erased_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="dihapus oleh",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="ikm.datasubjectrequest",
                        verbose_name="permintaan",
                    ),
                ),
            ],
            options={
                "verbose_name": "log penghapusan data",
                "verbose_name_plural": "log penghapusan data",
                "ordering": ["-erased_at"],
            },
        ),
        migrations.AddIndex(
            model_name="datasubjectrequest",
            index=models.Index(fields=["status", "deadline"], name="dsr_status_deadline_idx"),
        ),
        migrations.AddConstraint(
            model_name="datasubjectrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("handled_at__isnull", True), ("status", "diterima")),
                    models.Q(
                        models.Q(("status", "diterima"), _negated=True),
                        ("handled_at__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="dsr_handled_when_closed",
            ),
        ),
        migrations.AddConstraint(
            model_name="datasubjectrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("deadline__gt", models.F("requested_at"))),
                name="dsr_deadline_after_request",
            ),
        ),
        # --- Input limits (issue 13, H13b): names without invisible characters (NameField),
        # free text at most 5,000 characters. No SQL: the column types do not change.
        migrations.AlterField(
            model_name="historicalikmunit",
            name="name",
            field=core.text.NameField(max_length=200, verbose_name="nama usaha"),
        ),
        migrations.AlterField(
            model_name="historicalikmunit",
            name="owner_name",
            field=core.text.NameField(max_length=150, verbose_name="nama pemilik/penanggung jawab"),
        ),
        migrations.AlterField(
            model_name="historicalikmunit",
            name="description",
            field=models.TextField(
                blank=True,
                max_length=5000,
                validators=[django.core.validators.MaxLengthValidator(5000)],
                verbose_name="deskripsi usaha",
            ),
        ),
        migrations.AlterField(
            model_name="ikmunit",
            name="name",
            field=core.text.NameField(max_length=200, verbose_name="nama usaha"),
        ),
        migrations.AlterField(
            model_name="ikmunit",
            name="owner_name",
            field=core.text.NameField(max_length=150, verbose_name="nama pemilik/penanggung jawab"),
        ),
        migrations.AlterField(
            model_name="ikmunit",
            name="description",
            field=models.TextField(
                blank=True,
                max_length=5000,
                validators=[django.core.validators.MaxLengthValidator(5000)],
                verbose_name="deskripsi usaha",
            ),
        ),
        migrations.AlterField(
            model_name="sentra",
            name="name",
            field=core.text.NameField(max_length=150, verbose_name="nama sentra"),
        ),
        migrations.AlterField(
            model_name="sentra",
            name="description",
            field=models.TextField(
                blank=True,
                max_length=5000,
                validators=[django.core.validators.MaxLengthValidator(5000)],
                verbose_name="keterangan",
            ),
        ),
        migrations.AlterField(
            model_name="unitclaim",
            name="note",
            field=models.TextField(
                blank=True,
                max_length=5000,
                validators=[django.core.validators.MaxLengthValidator(5000)],
                verbose_name="catatan",
            ),
        ),
        # A NIK an owner gave that another unit holds: pending for an official (H13b).
        migrations.AddField(
            model_name="historicalikmunit",
            name="nik_pending_ciphertext",
            field=models.TextField(
                blank=True, editable=False, verbose_name="NIK menunggu pemeriksaan (terenkripsi)"
            ),
        ),
        migrations.AddField(
            model_name="historicalikmunit",
            name="nik_pending_digest",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                verbose_name="HMAC NIK menunggu pemeriksaan",
            ),
        ),
        migrations.AddField(
            model_name="historicalikmunit",
            name="nik_pending_last4",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=4,
                verbose_name="4 digit akhir NIK menunggu pemeriksaan",
            ),
        ),
        migrations.AddField(
            model_name="ikmunit",
            name="nik_pending_ciphertext",
            field=models.TextField(
                blank=True, editable=False, verbose_name="NIK menunggu pemeriksaan (terenkripsi)"
            ),
        ),
        migrations.AddField(
            model_name="ikmunit",
            name="nik_pending_digest",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                verbose_name="HMAC NIK menunggu pemeriksaan",
            ),
        ),
        migrations.AddField(
            model_name="ikmunit",
            name="nik_pending_last4",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=4,
                verbose_name="4 digit akhir NIK menunggu pemeriksaan",
            ),
        ),
    ]
