"""``manage.py import_data``: same rules as the admin, audited, idempotent, all or nothing, and a
kill in the middle leaves the database as it was."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ikm.models import IKMUnit
from ikm.resources import IKMUnitResource
from ikm.services import unit_set_nik
from tests.factories import DESA_SANGGAU, UnitFactory
from tests.ikm.test_resources import GOOD_ROWS
from tests.support.spreadsheets import UNIT_HEADERS, errors_of, make_csv

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def units_file(tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(make_csv(UNIT_HEADERS, GOOD_ROWS, delimiter=";", bom=True))
    return path


def test_command_imports_with_history_user_and_is_idempotent(units_file, province_official, capsys):
    call_command("import_data", "units", str(units_file), "--user", province_official.username)
    assert "3 baru" in capsys.readouterr().out
    assert IKMUnit.objects.count() == 3
    history = IKMUnit.history.all()
    assert history.count() == 3
    assert {h.history_user_id for h in history} == {province_official.pk}
    assert {h.history_type for h in history} == {"+"}
    siti = IKMUnit.objects.get(nib="9120001234567")
    assert siti.investment == 1_500_000 and siti.nik_last4 == "0001"
    assert siti.created_at is not None and siti.slug == "lempok-durian-bu-siti"
    before = list(IKMUnit.objects.order_by("pk").values())
    call_command("import_data", "units", str(units_file), "--user", province_official.username)
    out = capsys.readouterr().out
    assert "0 baru, 0 diubah, 3 tetap" in out
    assert list(IKMUnit.objects.order_by("pk").values()) == before
    assert IKMUnit.history.count() == 3


def test_command_update_in_bulk_writes_change_history(tmp_path, province_official):
    unit = UnitFactory(nib="9120001234567", name="Nama Lama", desa_id=DESA_SANGGAU, workers=1)
    path = tmp_path / "u.csv"
    path.write_bytes(make_csv(UNIT_HEADERS, GOOD_ROWS[:1]))
    call_command("import_data", "units", str(path), "--user", province_official.username)
    unit.refresh_from_db()
    assert unit.name == "Lempok Durian Bu Siti" and unit.workers == 12
    change = unit.history.get(history_type="~")
    assert change.history_user_id == province_official.pk and change.workers == 12


def test_command_errors_out_and_writes_nothing(tmp_path, official_sanggau):
    path = tmp_path / "bad.csv"
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], ["1", "X", "Y", "", "Zat", "", "", "", "", "", "", "", ""]]
    path.write_bytes(make_csv(UNIT_HEADERS, rows))
    report = tmp_path / "errors.csv"
    with pytest.raises(CommandError, match="tidak ada data yang disimpan"):
        call_command(
            "import_data",
            "units",
            str(path),
            "--user",
            official_sanggau.username,
            "--errors-out",
            str(report),
        )
    lines = list(csv.reader(report.open(encoding="utf-8-sig"), delimiter=";"))
    assert lines[0] == ["Baris", "Kolom", "Kolom di berkas", "Kesalahan", "NIB", "Nama usaha",
                        *UNIT_HEADERS]  # fmt: skip
    cells = {(line[0], line[1]) for line in lines[1:]}
    assert ("3", "Kab/Kota") in cells  # Ketapang row, outside Sanggau
    assert {("4", "NIB"), ("4", "Kelompok komoditas"), ("4", "Desa/Kelurahan")} <= cells
    assert not IKMUnit.objects.exists() and not IKMUnit.history.exists()


def test_command_dry_run_writes_nothing(db, units_file, capsys):
    call_command("import_data", "units", str(units_file), "--dry-run")
    assert "Uji coba" in capsys.readouterr().out
    assert not IKMUnit.objects.exists()


def test_command_unknown_user_or_file(db):
    with pytest.raises(CommandError):
        call_command("import_data", "units", "/nonexistent.csv")


@pytest.mark.parametrize("bulk", [True, False])
def test_database_error_is_attributed_to_its_row(province_official, bulk):
    """If the database refuses a row the checks missed (here a NIK taken meanwhile), the batch
    is probed row by row: the report names that row, and nothing is written."""
    from core.spreadsheet import read_file

    class Racy(IKMUnitResource):
        def before_import(self, dataset, **kwargs):
            super().before_import(dataset, **kwargs)
            taken = UnitFactory(nib="9120009999999")
            unit_set_nik(taken, "6103014501800001")
            taken.save()

    data = make_csv(UNIT_HEADERS, [GOOD_ROWS[1], GOOD_ROWS[2], GOOD_ROWS[0]])
    result = Racy(user=province_official, bulk=bulk, batch_size=2).import_data(
        read_file(data, "u.csv")
    )
    errors = errors_of(result)
    assert "sudah terdaftar" in errors[(4, "NIK")]
    assert set(errors) == {(4, "NIK")}
    assert IKMUnit.objects.count() == 0  # the racing unit was rolled back with the import


# --- a kill in the middle -----------------------------------------------------------------------
def _big_file(path: Path, rows: int) -> None:
    desa = [DESA_SANGGAU, "61.04.01.2011", "61.71.01.1001", "61.72.01.1001"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["NIB", "Nama usaha", "Nama pemilik", "Kelompok komoditas", "Kode wilayah"])
        for i in range(rows):
            writer.writerow([f"93{i:011d}", f"Usaha Kill {i}", "Pemilik", "makanan", desa[i % 4]])


@pytest.mark.django_db(transaction=True)
def test_import_killed_halfway_leaves_database_unchanged(regions, tmp_path):
    UnitFactory(nib="9120000000077", name="Sudah Ada")
    history_before = list(IKMUnit.history.values_list("history_id", flat=True))
    path = tmp_path / "big.csv"
    _big_file(path, 30_000)
    db_name = connection.settings_dict["NAME"]
    env = {**os.environ, "SIPI_DB_NAME": db_name}
    proc = subprocess.Popen(
        [
            sys.executable,
            str(BASE_DIR / "manage.py"),
            "import_data",
            "units",
            str(path),
            "--batch-size",
            "500",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 180
        writing = False
        while time.monotonic() < deadline and proc.poll() is None:
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
                    [db_name],
                )
                writing = cur.fetchone()[0] > 0
            if writing:
                break
            time.sleep(0.05)
        assert writing, "the import never started writing"
        time.sleep(0.3)  # a few batches in
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # The server notices the dropped connection and rolls its transaction back.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
                [db_name],
            )
            if cur.fetchone()[0] == 0:
                break
        time.sleep(0.1)
    assert list(IKMUnit.objects.values_list("name", flat=True)) == ["Sudah Ada"]
    assert list(IKMUnit.history.values_list("history_id", flat=True)) == history_before


def test_bulk_import_queries_do_not_grow_with_rows(province_official):
    """No query per row: 5 rows and 200 rows take the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.spreadsheet import read_file

    def rows(n, offset):
        return [
            [
                f"94{offset + i:011d}",
                f"Usaha Q{offset + i}",
                "Ani",
                f"610301450780{offset + i + 1:04d}",  # NIKs with meaning (kecamatan, date)
                "makanan",
                "",
                "",
                "",
                DESA_SANGGAU,
                "",
                "3",
                "1.000.000",
                "",
            ]
            for i in range(n)
        ]

    counts = []
    for n, offset in ((5, 0), (200, 1000)):
        data = read_file(make_csv(UNIT_HEADERS, rows(n, offset)), "q.csv")
        # Each import as in its own request: a fresh user object (no cached permissions).
        user = type(province_official).objects.get(pk=province_official.pk)
        resource = IKMUnitResource(user=user, bulk=True, batch_size=5000)
        with CaptureQueriesContext(connection) as ctx:
            result = resource.import_data(data)
        assert result.totals["new"] == n, result.error_report()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert IKMUnit.objects.count() == 205
