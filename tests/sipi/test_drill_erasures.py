"""The restore drill re-applies erasures (UU PDP): a backup taken before an owner was erased,
restored into a fresh cluster, no longer holds their personal data once the drill has run
``manage.py reapply_erasures`` on it with the erasure journal kept outside the database."""

from __future__ import annotations

import contextlib
import subprocess

import pytest
from django.db import connections

from certifications.privacy import owner_erase
from ikm import nik as nik_module
from ikm.models import Erasure, IKMUnit
from sipi import drill, localpg
from sipi.backup import libpq_env
from tests.factories import UnitFactory, UserFactory

DB = ["default", "direct"]
NIK = "6103014512850001"


def _personal() -> dict:
    sealed = nik_module.seal(NIK)
    return {
        "owner_name": "Siti Aminah",
        "nik_ciphertext": sealed.ciphertext,
        "nik_digest": sealed.digest,
        "nik_last4": sealed.last4,
        "owner_address": "Jl. Kenanga 7, Sanggau",
        "owner_phone": "+6281234567890",
    }


@pytest.mark.django_db(transaction=True, databases=DB)
def test_restore_drill_reapplies_erasures_on_the_restored_copy(regions, settings, tmp_path):
    settings.ERASURE_JOURNAL = tmp_path / "erasures.jsonl"
    owner = UserFactory(username="siti@example.id", email="siti@example.id")
    unit = UnitFactory(owner=owner, name="Lempok Durian Bu Siti")
    for name, value in _personal().items():
        setattr(unit, name, value)
    unit.save()  # a history row holding the personal data
    other = UnitFactory(name="Amplang Pak Rudi", owner_name="Rudi Hartono")

    owner_erase(user_id=owner.pk)  # committed: the journal line is written
    assert settings.ERASURE_JOURNAL.read_text().count("\n") == 1
    # The backup predates the erasure: personal data there, no log row.
    Erasure.objects.all().delete()
    IKMUnit.objects.filter(pk=unit.pk).update(**_personal())
    IKMUnit.history.model.objects.filter(id=unit.pk).update(**_personal())
    type(owner).objects.filter(pk=owner.pk).update(
        username="siti@example.id", email="siti@example.id", is_active=True
    )

    bindir = localpg.find_bindir()
    dump = tmp_path / "backup.dump"
    subprocess.run(
        [str(bindir / "pg_dump"), "--format=custom", f"--file={dump}"],
        env=libpq_env(connections["direct"].settings_dict),
        check=True,
    )
    with drill.ScratchCluster(bindir) as cluster:
        cluster.start()
        with contextlib.closing(cluster.connect()) as conn, conn.cursor() as cur:
            cur.execute("CREATE DATABASE restored TEMPLATE template0")
        subprocess.run(
            [str(bindir / "pg_restore"), "--no-owner", "--no-acl", "-d", "restored", str(dump)],
            env=libpq_env(cluster.params("restored")),
            check=True,
        )
        result = drill.reapply_erasures(cluster, "restored", cluster.root / "erasures.log")
        assert result["ok"], result["output"]
        with contextlib.closing(cluster.connect("restored")) as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT owner_name, nik_ciphertext, owner_address, owner_phone FROM ikm_ikmunit"
                " WHERE id = %s",
                [unit.pk],
            )
            assert cur.fetchone() == ("Dihapus", "", "", "")
            cur.execute(
                "SELECT DISTINCT owner_name, nik_digest FROM ikm_historicalikmunit WHERE id = %s",
                [unit.pk],
            )
            assert cur.fetchall() == [("Dihapus", "")]
            cur.execute("SELECT email, is_active FROM auth_user WHERE id = %s", [owner.pk])
            assert cur.fetchone() == ("", False)
            cur.execute("SELECT user_id_erased FROM ikm_erasure")
            assert cur.fetchall() == [(owner.pk,)]  # the log row is back too
            cur.execute("SELECT owner_name FROM ikm_ikmunit WHERE id = %s", [other.pk])
            assert cur.fetchone() == ("Rudi Hartono",)
    # the drill touched only the copy
    unit.refresh_from_db()
    assert unit.owner_name == "Siti Aminah"
