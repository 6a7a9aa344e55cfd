"""Issue 12: back-office work tool.

The in-review status reads "Sedang diperiksa" (it read "Diverifikasi", which sounds approved).
Only the label changes: the stored value stays ``in_review``, so no row is rewritten.
"""

from django.db import migrations, models

STATUS_CHOICES = [
    ("draft", "Konsep"),
    ("submitted", "Diajukan"),
    ("in_review", "Sedang diperiksa"),
    ("returned", "Dikembalikan untuk perbaikan"),
    ("resubmitted", "Diajukan ulang"),
    ("forwarded", "Diteruskan/disetujui"),
    ("issued", "Terbit"),
    ("rejected", "Ditolak"),
    ("withdrawn", "Dibatalkan"),
]


class Migration(migrations.Migration):
    dependencies = [("certifications", "0002_certificate_reminder")]

    operations = [
        migrations.AlterField(
            model_name="historicalrequest",
            name="status",
            field=models.CharField(
                choices=STATUS_CHOICES,
                default="draft",
                editable=False,
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="request",
            name="status",
            field=models.CharField(
                choices=STATUS_CHOICES,
                default="draft",
                editable=False,
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="from_status",
            field=models.CharField(
                blank=True, choices=STATUS_CHOICES, max_length=12, verbose_name="dari"
            ),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="to_status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=12, verbose_name="ke"),
        ),
    ]
