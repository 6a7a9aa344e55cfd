"""Issue 13: security. Input limits (H13b): applicants' and officials' notes at most 5,000
characters (no SQL: the column types do not change)."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("certifications", "0003_backoffice")]

    operations = [
        migrations.AlterField(
            model_name="historicalrequest",
            name="notes",
            field=models.TextField(
                blank=True,
                max_length=5000,
                validators=[django.core.validators.MaxLengthValidator(5000)],
                verbose_name="keterangan pemohon",
            ),
        ),
        migrations.AlterField(
            model_name="request",
            name="notes",
            field=models.TextField(
                blank=True,
                max_length=5000,
                validators=[django.core.validators.MaxLengthValidator(5000)],
                verbose_name="keterangan pemohon",
            ),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="note",
            field=models.TextField(
                blank=True,
                max_length=5000,
                validators=[django.core.validators.MaxLengthValidator(5000)],
                verbose_name="catatan",
            ),
        ),
    ]
