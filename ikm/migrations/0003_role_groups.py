"""Role groups for officials (issue 5): "Pejabat Provinsi" and "Pejabat Kabupaten/Kota".

Which region an official sees comes from their ``Official`` row; these groups only carry model
permissions. ``ikm.view_nik`` is in neither group: it is granted deliberately, person by person.
Kept in step with ``ikm.roles.ROLE_PERMISSIONS`` (frozen copy here, as migrations must be).
"""

from django.db import migrations

CURATE = ("view", "add", "change")
CURATE_ALL = ("view", "add", "change", "delete")
COMMON = {
    ("ikm", "region"): ("view",),
    ("ikm", "unitclaim"): ("view", "change"),
    ("products", "product"): CURATE_ALL,
    ("products", "productphoto"): CURATE_ALL,
    ("products", "marketplacelink"): CURATE_ALL,
    ("certifications", "request"): ("view", "change"),
    ("certifications", "requestdocument"): ("view",),
    ("certifications", "statuschange"): ("view",),
}
ROLES = {
    "Pejabat Provinsi": {
        **COMMON,
        ("ikm", "sentra"): CURATE_ALL,
        ("ikm", "ikmunit"): CURATE_ALL,
        ("certifications", "certification"): CURATE_ALL,
    },
    "Pejabat Kabupaten/Kota": {
        **COMMON,
        ("ikm", "sentra"): CURATE,
        ("ikm", "ikmunit"): CURATE,
        ("certifications", "certification"): CURATE,
    },
}
EXTRA = (("ikm", "verify_ikmunit"), ("certifications", "review_request"))


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations (post_migrate): create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, table in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = [
            (app, f"{action}_{model}")
            for (app, model), actions in table.items()
            for action in actions
        ] + list(EXTRA)
        perms = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
        group.permissions.set(perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ikm", "0002_extensions"),
        ("products", "0002_search"),
        ("certifications", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
