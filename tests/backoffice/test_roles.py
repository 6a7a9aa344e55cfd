"""Role groups (data migration 0003) and ``official_assign``."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Group

from ikm.roles import KABUPATEN_GROUP, PROVINCE_GROUP, ensure_role_groups, role_permission_codenames
from ikm.services import official_assign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _perms(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_migration_table_and_backoffice_table_agree():
    migration = importlib.import_module("ikm.migrations.0003_role_groups")
    aliases = importlib.import_module("ikm.migrations.0004_import_names")
    synonyms = importlib.import_module("products.migrations.0007_issue14")
    events_grants = importlib.import_module("events.migrations.0002_role_permissions")
    consignment_grants = importlib.import_module("consignment.migrations.0002_role_permissions")
    curation_grants = importlib.import_module("curation.migrations.0002_role_permissions")
    matching_grants = importlib.import_module("matching.migrations.0002_role_permissions")
    for name, table in migration.ROLES.items():
        from_migration = (
            {
                (app, f"{action}_{model}")
                for (app, model), actions in table.items()
                for action in actions
            }
            | set(migration.EXTRA)
            | set(aliases.ALIAS_GRANTS)
            | set(synonyms.SYNONYM_GRANTS[name])
            | {("events", codename) for codename in events_grants._codenames()}
            | {("consignment", codename) for codename in consignment_grants._codenames()}
            | {("curation", codename) for codename in curation_grants._codenames()}
            | {("matching", codename) for codename in matching_grants._codenames()}
        )
        assert from_migration == set(role_permission_codenames(name)), name


def test_role_groups_carry_their_permissions_and_never_view_nik():
    ensure_role_groups()  # the migration made them; tests flushing the DB may have removed them
    province, kab = _perms(PROVINCE_GROUP), _perms(KABUPATEN_GROUP)
    assert province == set(role_permission_codenames(PROVINCE_GROUP))
    assert ("ikm", "view_nik") not in province | kab
    assert ("ikm", "delete_ikmunit") in province and ("ikm", "delete_ikmunit") not in kab
    assert ("ikm", "verify_ikmunit") in province & kab
    assert ("certifications", "review_request") in province & kab
    assert ("ikm", "change_region") not in province | kab


def test_official_assign_sets_staff_scope_and_one_group():
    user = UserFactory(username="pejabat_baru")
    official = official_assign(user=user, kabupaten_id="61.04", position="Analis")
    user.refresh_from_db()
    assert user.is_staff and official.kabupaten_id == "61.04"
    assert list(user.groups.values_list("name", flat=True)) == [KABUPATEN_GROUP]
    official_assign(user=user, kabupaten_id=None)
    user = type(user).objects.get(pk=user.pk)
    assert list(user.groups.values_list("name", flat=True)) == [PROVINCE_GROUP]
    assert user.official.kabupaten_id is None
    assert user.has_perm("ikm.delete_ikmunit") and not user.has_perm("ikm.view_nik")


def test_official_assign_refuses_a_kecamatan():
    from django.core.exceptions import ValidationError

    user = UserFactory(username="pejabat_salah")
    with pytest.raises(ValidationError):
        official_assign(user=user, kabupaten_id="61.03.01")
    assert not hasattr(user, "official") or user.official is None
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.exists()
