"""Issue 10: saved column mappings of spreadsheet imports (``backoffice.ImportMapping``)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ikm", "0004_import_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportMapping",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="nama templat")),
                (
                    "model_label",
                    models.CharField(help_text="ikm.ikmunit", max_length=100, verbose_name="data"),
                ),
                (
                    "signature",
                    models.CharField(
                        editable=False, max_length=64, verbose_name="tanda judul kolom"
                    ),
                ),
                ("headers", models.JSONField(default=list, verbose_name="judul kolom berkas")),
                ("mapping", models.JSONField(default=dict, verbose_name="pemetaan kolom")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="dibuat")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="diubah")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="dibuat oleh",
                    ),
                ),
            ],
            options={
                "verbose_name": "templat pemetaan impor",
                "verbose_name_plural": "templat pemetaan impor",
                "ordering": ("model_label", "name"),
                "indexes": [
                    models.Index(fields=["model_label", "signature"], name="importmapping_sig_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("model_label", "name"),
                        name="importmapping_unique_name",
                        violation_error_message=(
                            "Nama templat ini sudah dipakai untuk data yang sama."
                        ),
                    )
                ],
            },
        ),
    ]
