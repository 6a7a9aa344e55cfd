"""Issue 14: search synonyms edited by officials (``products.SearchSynonym``), seeded with
everyday Indonesian words, and the officials' permissions on them (province: edit; kab/kota:
view — kept in step with ``ikm.roles.ROLE_PERMISSIONS``)."""

import django.contrib.postgres.fields
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

#: term -> related words (folded: lower case, words joined by one space), popular?
#: Related words are checked against the ``indonesian`` stemmer: "kemeja" is left out (it stems
#: to "meja" and would find tables), so is "perhiasan" ("hias": decorated plates).
SEED = (
    (
        "pakaian",
        ("fesyen", "busana", "tenun", "songket", "kain", "selendang", "syal"),
        True,
    ),
    ("pakaian adat", ("tenun", "songket", "kain tenun", "selendang", "kopiah", "manik"), True),
    ("baju", ("busana", "fesyen", "tenun", "kain"), False),
    ("busana", ("fesyen", "tenun", "songket", "kain", "selendang"), False),
    ("fesyen", ("fashion", "tenun", "songket", "kain", "selendang"), False),
    ("kain", ("tenun", "songket", "selendang"), False),
    (
        "oleh oleh",
        ("makanan khas", "lempok", "amplang", "kerupuk", "dodol", "keripik", "kue"),
        True,
    ),
    ("makanan khas", ("lempok", "amplang", "kerupuk", "dodol", "pengkang", "tempoyak"), False),
    ("camilan", ("keripik", "kerupuk", "amplang", "dodol", "kue"), True),
    ("cemilan", ("keripik", "kerupuk", "amplang", "dodol", "kue"), False),
    ("snack", ("keripik", "kerupuk", "amplang"), False),
    ("kue kering", ("kue", "nastar", "bingke"), False),
    ("minuman", ("kopi", "teh", "sirup", "minuman"), False),
    ("jamu", ("herbal", "jahe", "kunyit", "teh", "wedang"), False),
    ("obat herbal", ("herbal", "jamu", "propolis", "bajakah", "kelor"), False),
    ("souvenir", ("kerajinan", "gantungan kunci", "manik", "anyaman", "keramik", "ukir"), False),
    ("suvenir", ("kerajinan", "gantungan kunci", "manik", "anyaman", "keramik", "ukir"), True),
    ("cenderamata", ("kerajinan", "gantungan kunci", "manik", "anyaman", "keramik", "ukir"), False),
    ("hiasan", ("keramik", "vas", "guci", "ukir", "patung", "piring hias"), False),
    ("dekorasi", ("keramik", "vas", "guci", "ukir", "patung", "piring hias"), False),
    ("perabot", ("furnitur", "kursi", "meja", "lemari", "rak"), False),
    ("mebel", ("furnitur", "kursi", "meja", "lemari", "rak"), False),
    ("aksesoris", ("manik", "kalung", "gelang", "anting"), False),
    ("perhiasan", ("manik", "kalung", "gelang", "anting"), False),
    ("tas", ("tas", "dompet", "anyaman"), False),
    ("tikar", ("tikar", "bidai", "anyaman"), False),
    ("gerabah", ("keramik", "tempayan", "guci", "pot"), False),
    ("kosmetik", ("sabun", "lulur", "bedak", "minyak tengkawang"), False),
    ("perawatan kulit", ("sabun", "lulur", "bedak", "lidah buaya"), False),
    ("senjata tradisional", ("mandau", "parang"), False),
    ("pisau", ("pisau", "parang", "mandau"), False),
    ("gula merah", ("gula aren", "gula semut"), False),
    ("ikan asin", ("ikan salai", "ikan asap", "abon ikan"), False),
    ("ikan", ("ikan", "amplang", "salai", "abon ikan"), False),
    ("kopi", ("kopi", "robusta", "liberika"), True),
    ("madu", ("madu", "kelulut", "propolis"), True),
    ("durian", ("durian", "lempok", "tempoyak"), False),
)

#: the permissions this migration grants (frozen; tests/backoffice/test_roles.py checks these
#: with 0003's table against ``ikm.roles``)
SYNONYM_GRANTS = {
    "Pejabat Provinsi": tuple(
        ("products", f"{a}_searchsynonym") for a in ("view", "add", "change", "delete")
    ),
    "Pejabat Kabupaten/Kota": (("products", "view_searchsynonym"),),
}


def seed_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("products", "SearchSynonym")
    for term, related, popular in SEED:
        SearchSynonym.objects.get_or_create(
            term=term, defaults={"related": list(related), "is_popular": popular}
        )


def grant_synonym_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("products")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=SYNONYM_GRANTS):
        codenames = [codename for _app, codename in SYNONYM_GRANTS[group.name]]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="products", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0006_security"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "term",
                    models.CharField(
                        help_text="Kata atau frasa yang diketik pengunjung, mis. “pakaian adat”.",
                        max_length=80,
                        unique=True,
                        verbose_name="kata yang dicari",
                    ),
                ),
                (
                    "related",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=80),
                        help_text=(
                            "Kata di katalog yang juga dicari, dipisahkan koma, "
                            "mis. “tenun, songket, kain”."
                        ),
                        size=20,
                        verbose_name="kata terkait",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="aktif")),
                (
                    "is_popular",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "Ditawarkan kepada pengunjung bila pencariannya tidak menemukan produk."
                        ),
                        verbose_name="pencarian populer",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="diperbarui")),
            ],
            options={
                "verbose_name": "sinonim pencarian",
                "verbose_name_plural": "sinonim pencarian",
                "ordering": ["term"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSearchSynonym",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "term",
                    models.CharField(
                        db_index=True,
                        help_text="Kata atau frasa yang diketik pengunjung, mis. “pakaian adat”.",
                        max_length=80,
                        verbose_name="kata yang dicari",
                    ),
                ),
                (
                    "related",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=80),
                        help_text=(
                            "Kata di katalog yang juga dicari, dipisahkan koma, "
                            "mis. “tenun, songket, kain”."
                        ),
                        size=20,
                        verbose_name="kata terkait",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="aktif")),
                (
                    "is_popular",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "Ditawarkan kepada pengunjung bila pencariannya tidak menemukan produk."
                        ),
                        verbose_name="pencarian populer",
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="diperbarui"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical sinonim pencarian",
                "verbose_name_plural": "historical sinonim pencarian",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(seed_synonyms, migrations.RunPython.noop),
        migrations.RunPython(grant_synonym_permissions, migrations.RunPython.noop),
    ]
