"""The officials' permissions on business matching (buyers' requests and their routings) for both role groups
(issue 16). Scope (province or one kab/kota) still comes from each official's ``Official`` row.
Kept in step with ``ikm.roles.ROLE_PERMISSIONS`` (a frozen copy here, as migrations must be).
"""

from django.db import migrations

PERMISSIONS = {
    "buyerrequest": ("view", "change"),
    "routing": ("view",),
}
GROUPS = ("Pejabat Provinsi", "Pejabat Kabupaten/Kota")


def _codenames():
    return [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("matching")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = list(
        Permission.objects.filter(content_type__app_label="matching", codename__in=_codenames())
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = list(Permission.objects.filter(content_type__app_label="matching"))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_initial"),
        ("ikm", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
