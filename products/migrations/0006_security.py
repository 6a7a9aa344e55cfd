"""Issue 13: input limits (H13b): product names without invisible characters, descriptions at most
5,000 characters (no SQL: the column types do not change)."""

import django.core.validators
from django.db import migrations, models

import core.text


class Migration(migrations.Migration):
    dependencies = [("products", "0005_scale")]

    operations = [
        migrations.AlterField(
            model_name="historicalproduct",
            name="name",
            field=core.text.NameField(max_length=200, verbose_name="nama produk"),
        ),
        migrations.AlterField(
            model_name="historicalproduct",
            name="description",
            field=models.TextField(
                blank=True,
                max_length=5000,
                validators=[django.core.validators.MaxLengthValidator(5000)],
                verbose_name="deskripsi",
            ),
        ),
        migrations.AlterField(
            model_name="product",
            name="name",
            field=core.text.NameField(max_length=200, verbose_name="nama produk"),
        ),
        migrations.AlterField(
            model_name="product",
            name="description",
            field=models.TextField(
                blank=True,
                max_length=5000,
                validators=[django.core.validators.MaxLengthValidator(5000)],
                verbose_name="deskripsi",
            ),
        ),
    ]
