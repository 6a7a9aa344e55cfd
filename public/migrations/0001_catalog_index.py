"""The public catalog's index (issue 11): narrow rows and counts kept by triggers.

See public/models.py for what the tables hold and public/catalog_sql.py for the SQL (functions,
triggers, indexes) applied here and undone on reverse.
"""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models

from public import catalog_sql


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("ikm", "0006_scale"),
        ("products", "0005_scale"),
        ("certifications", "0002_certificate_reminder"),
    ]

    operations = [
        migrations.CreateModel(
            name='CatalogRow',
            fields=[
                ('product', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='catalog_row', serialize=False, to='products.product')),
                ('unit_id', models.BigIntegerField()),
                ('category', models.CharField(max_length=20)),
                ('kab', models.CharField(max_length=5)),
                ('kec', models.CharField(max_length=8)),
                ('desa', models.CharField(max_length=13)),
                ('certs', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=24), default=list, size=None)),
                ('certs_until', models.DateField(null=True)),
                ('marketplace', models.BooleanField(default=False)),
                ('is_selected', models.BooleanField(default=False)),
                ('price', models.BigIntegerField(null=True)),
                ('created_at', models.DateTimeField()),
                ('updated_at', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'baris katalog',
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='UnitCount',
            fields=[
                ('desa', models.CharField(max_length=13, primary_key=True, serialize=False)),
                ('kab', models.CharField(max_length=5)),
                ('kec', models.CharField(max_length=8)),
                ('n', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'jumlah unit',
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='CatalogCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('category', models.CharField(max_length=20)),
                ('kab', models.CharField(max_length=5)),
                ('kec', models.CharField(max_length=8)),
                ('desa', models.CharField(max_length=13)),
                ('certs', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=24), default=list, size=None)),
                ('marketplace', models.BooleanField(default=False)),
                ('n', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'jumlah katalog',
                'default_permissions': (),
                'constraints': [models.UniqueConstraint(fields=('category', 'desa', 'certs', 'marketplace'), name='catalogcount_key')],
            },
        ),
        migrations.CreateModel(
            name="CatalogWord",
            fields=[
                ("word", models.CharField(max_length=40, primary_key=True, serialize=False)),
            ],
            options={
                "verbose_name": "kata katalog",
                "default_permissions": (),
            },
        ),
        migrations.RunSQL(catalog_sql.FORWARD, catalog_sql.REVERSE),
    ]
