"""Issue 11: the region pages list a region's verified units by name, one page at a time.

Partial indexes (verified units only) in name order, per level of region: the page's 24 units
are read from the index instead of sorting every unit of the region (the province, a kab/kota,
a kecamatan or a desa). Database-only indexes, like ikmunit_public_cover_idx.
"""

from django.db import migrations

INDEXES = {
    "ikmunit_public_name_idx": "(name, id)",
    "ikmunit_public_kab_name_idx": "(kabupaten_code, name, id)",
    "ikmunit_public_kec_name_idx": "(kecamatan_code, name, id)",
    "ikmunit_public_desa_name_idx": "(desa_id, name, id)",
}


class Migration(migrations.Migration):
    dependencies = [("ikm", "0005_security")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON ikm_ikmunit {columns} WHERE verified;",
            f"DROP INDEX IF EXISTS {name};",
        )
        for name, columns in INDEXES.items()
    ]
