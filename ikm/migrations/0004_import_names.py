"""Issue 10: one stored phone format (E.164), the year founded not in the future, region aliases.

Phone numbers already stored are rewritten to E.164 (``+6281234567890``) with the rule of the
forms and the import (``ikm.identifiers.normalize_phone``); a stored value that is not a phone
number is left as it is (the unit's next save through a form asks for a valid one).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import ikm.fields
import ikm.identifiers

PHONE_FIELDS = ("phone", "whatsapp", "owner_phone")


def phones_to_e164(apps, schema_editor):
    from django.core.exceptions import ValidationError

    from ikm.identifiers import normalize_phone

    IKMUnit = apps.get_model("ikm", "IKMUnit")
    query = models.Q()
    for name in PHONE_FIELDS:
        query |= ~models.Q(**{name: ""})
    changed = []
    for unit in IKMUnit.objects.filter(query).only("pk", *PHONE_FIELDS).iterator(chunk_size=2000):
        dirty = False
        for name in PHONE_FIELDS:
            value = getattr(unit, name)
            if not value:
                continue
            try:
                normal = normalize_phone(value)
            except ValidationError:
                continue
            if normal != value:
                setattr(unit, name, normal)
                dirty = True
        if dirty:
            changed.append(unit)
        if len(changed) >= 2000:
            IKMUnit.objects.bulk_update(changed, PHONE_FIELDS)
            changed = []
    if changed:
        IKMUnit.objects.bulk_update(changed, PHONE_FIELDS)


#: the permissions this migration grants to both officials' groups (frozen; tests/backoffice/
#: test_roles.py checks 0003's table plus these against ``ikm.roles``)
ALIAS_GRANTS = tuple(("ikm", f"{a}_regionalias") for a in ("view", "add", "change", "delete"))


def grant_alias_permissions(apps, schema_editor):
    """Both officials' groups may save region aliases (a kab/kota official within their region)."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("ikm")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = list(
        Permission.objects.filter(
            content_type__app_label="ikm",
            codename__in=[codename for _app, codename in ALIAS_GRANTS],
        )
    )
    for group in Group.objects.filter(name__in=["Pejabat Provinsi", "Pejabat Kabupaten/Kota"]):
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("ikm", "0003_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalikmunit",
            name="owner_phone",
            field=ikm.fields.PhoneField(
                blank=True, max_length=20, verbose_name="telepon pribadi pemilik"
            ),
        ),
        migrations.AlterField(
            model_name="historicalikmunit",
            name="phone",
            field=ikm.fields.PhoneField(blank=True, max_length=20, verbose_name="telepon usaha"),
        ),
        migrations.AlterField(
            model_name="historicalikmunit",
            name="whatsapp",
            field=ikm.fields.PhoneField(
                blank=True,
                help_text="Nomor HP, mis. 0812-3456-7890; disimpan sebagai +6281234567890.",
                max_length=20,
                verbose_name="WhatsApp usaha",
            ),
        ),
        migrations.AlterField(
            model_name="historicalikmunit",
            name="year_established",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[ikm.identifiers.validate_year_established],
                verbose_name="tahun berdiri",
            ),
        ),
        migrations.AlterField(
            model_name="ikmunit",
            name="owner_phone",
            field=ikm.fields.PhoneField(
                blank=True, max_length=20, verbose_name="telepon pribadi pemilik"
            ),
        ),
        migrations.AlterField(
            model_name="ikmunit",
            name="phone",
            field=ikm.fields.PhoneField(blank=True, max_length=20, verbose_name="telepon usaha"),
        ),
        migrations.AlterField(
            model_name="ikmunit",
            name="whatsapp",
            field=ikm.fields.PhoneField(
                blank=True,
                help_text="Nomor HP, mis. 0812-3456-7890; disimpan sebagai +6281234567890.",
                max_length=20,
                verbose_name="WhatsApp usaha",
            ),
        ),
        migrations.AlterField(
            model_name="ikmunit",
            name="year_established",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[ikm.identifiers.validate_year_established],
                verbose_name="tahun berdiri",
            ),
        ),
        migrations.CreateModel(
            name="RegionAlias",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("alias", models.CharField(max_length=100, verbose_name="nama lain")),
                (
                    "alias_key",
                    models.CharField(editable=False, max_length=100, verbose_name="kunci nama"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="dibuat")),
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
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="aliases",
                        to="ikm.region",
                        verbose_name="wilayah",
                    ),
                ),
                (
                    "scope",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        help_text="Induk wilayah: nama lain berlaku di antara wilayah di bawah induk ini.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="ikm.region",
                        verbose_name="berlaku di",
                    ),
                ),
            ],
            options={
                "verbose_name": "nama lain wilayah",
                "verbose_name_plural": "nama lain wilayah",
                "ordering": ["region_id", "alias"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("alias_key", "scope"),
                        name="regionalias_unique_in_scope",
                        nulls_distinct=False,
                        violation_error_message="Nama lain ini sudah dipakai untuk wilayah lain di induk yang sama.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("alias_key", ""), _negated=True),
                        name="regionalias_key_not_blank",
                    ),
                ],
            },
        ),
        migrations.RunPython(phones_to_e164, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(grant_alias_permissions, migrations.RunPython.noop),
    ]
