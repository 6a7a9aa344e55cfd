"""Issue 11 (national-scale catalog), second step: the IKM directory's count table
(``UnitFacetCount``, kept by triggers on the units and rebuilt with the catalog's index), the
catalog's counts per kab/kota (``CatalogKabCount``, kept by triggers on ``public_catalogcount``)
and more statistics on the catalog's vectors (common search words are told from them).

The SQL lives in public/catalog_sql.py (``UNIT_FACETS``); the table is filled here from the
existing units, so a database made before (e.g. the 1M bench database) just migrates.
"""

import django.contrib.postgres.fields
from django.db import migrations, models

from public import catalog_sql


class Migration(migrations.Migration):
    dependencies = [("public", "0001_catalog_index")]

    operations = [
        migrations.CreateModel(
            name="UnitFacetCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kab", models.CharField(max_length=5)),
                ("kec", models.CharField(max_length=8)),
                ("commodity_group", models.CharField(max_length=20)),
                ("sentra", models.BooleanField(default=False)),
                ("n", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "jumlah unit per kelompok",
                "default_permissions": (),
                "indexes": [models.Index(fields=["kab"], name="unitfacetcount_kab")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kec", "commodity_group", "sentra"), name="unitfacetcount_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CatalogKabCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("category", models.CharField(max_length=20)),
                ("kab", models.CharField(max_length=5)),
                (
                    "certs",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=24), default=list, size=None
                    ),
                ),
                ("marketplace", models.BooleanField(default=False)),
                ("n", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "jumlah katalog per kab/kota",
                "default_permissions": (),
                "indexes": [models.Index(fields=["kab"], name="catalogkabcount_kab")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("category", "kab", "certs", "marketplace"),
                        name="catalogkabcount_key",
                    )
                ],
            },
        ),
        migrations.RunSQL(catalog_sql.UNIT_FACETS, catalog_sql.UNIT_FACETS_REVERSE),
    ]
