"""Region loader: counts of the Kalbar 2025 edition, idempotence, and bad files writing nothing."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ikm.models import Region
from ikm.regions import DEFAULT_FILE, RegionFileError, load_regions

pytestmark = pytest.mark.django_db

EXPECTED = {
    "provinsi": 1,
    "kabupaten": 12,
    "kota": 2,
    "kecamatan": 174,
    "desa": 2046,
    "kelurahan": 99,
}


def level_counts() -> dict[str, int]:
    counts = dict.fromkeys(EXPECTED, 0)
    for level in Region.objects.values_list("level", flat=True):
        counts[level] += 1
    return counts


def test_kalbar_counts_after_loading():
    # The session fixture loaded ikm/data/regions/kalbar.csv (2025 edition).
    assert level_counts() == EXPECTED
    assert Region.objects.count() == 2334
    assert Region.objects.get(code="61.03").name == "Kabupaten Sanggau"
    assert Region.objects.get(code="61.72.05.1001").parent_id == "61.72.05"
    # Every desa/kelurahan hangs under a kecamatan of one of the 14 kab/kota.
    assert (
        Region.objects.filter(level__in=["desa", "kelurahan"], parent__level="kecamatan").count()
        == 2046 + 99
    )


def test_second_load_changes_nothing():
    result = load_regions(DEFAULT_FILE)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2334)
    assert result.by_level == EXPECTED
    assert level_counts() == EXPECTED


def test_command_reports_and_is_idempotent(capsys):
    call_command("load_regions")
    out = capsys.readouterr().out
    assert "0 baru, 0 diperbarui, 2334 tetap" in out


def test_changed_name_is_updated(tmp_path):
    text = DEFAULT_FILE.read_text(encoding="utf-8").replace(
        "61.03,Kabupaten Sanggau,", "61.03,Kabupaten Sanggau Baru,"
    )
    path = tmp_path / "kalbar-ubah.csv"
    path.write_text(text, encoding="utf-8")
    result = load_regions(path)
    assert (result.created, result.updated) == (0, 1)
    assert Region.objects.get(code="61.03").name == "Kabupaten Sanggau Baru"


def test_gzip_file_and_new_regions(tmp_path):
    rows = (
        "code,name,level,parent_code\n"
        "62,Kalimantan Tengah,provinsi,\n"
        "62.71,Kota Palangka Raya,kota,62\n"
    )
    path = tmp_path / "kalteng.csv.gz"
    path.write_bytes(gzip.compress(rows.encode()))
    result = load_regions(path)
    assert (result.created, result.updated) == (2, 0)
    assert Region.objects.get(code="62.71").level == "kota"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "wilayah.csv"
    path.write_text("code,name,level,parent_code\n" + body, encoding="utf-8")
    return path


def test_bad_file_names_each_row_and_writes_nothing(tmp_path):
    path = write(
        tmp_path,
        "63,Kalimantan Selatan,provinsi,\n"  # row 2: fine
        "63.01,Kabupaten Tanah Laut,kota,63\n"  # row 3: kabupaten code, level kota
        "63.1,Kabupaten Salah,kabupaten,63\n"  # row 4: not a Kemendagri code
        "63.01.01,,kecamatan,63.01\n"  # row 5: no name
        "63.01.01.2001,Desa Uji,desa,63.01.02\n"  # row 6: parent not its prefix
        "63,Kalimantan Selatan,provinsi,\n",  # row 7: duplicate
    )
    before = Region.objects.count()
    with pytest.raises(RegionFileError) as err:
        load_regions(path)
    errors = err.value.errors
    assert any(e.startswith("baris 3:") and "tingkat 'kota'" in e for e in errors)
    assert any(e.startswith("baris 4:") and "63.1" in e for e in errors)
    assert any(e.startswith("baris 5:") and "nama kosong" in e for e in errors)
    assert any(e.startswith("baris 6:") and "induk" in e for e in errors)
    assert any(e.startswith("baris 7:") and "ganda" in e for e in errors)
    assert not any(e.startswith("baris 2:") for e in errors)
    assert Region.objects.count() == before
    assert not Region.objects.filter(code__startswith="63").exists()


def test_missing_parent_refused_and_nothing_written(tmp_path):
    path = write(
        tmp_path,
        "64,Kalimantan Timur,provinsi,\n"
        "64.72,Kota Samarinda,kota,64\n"
        "64.71.01,Balikpapan Selatan,kecamatan,64.71\n",  # 64.71 is nowhere
    )
    with pytest.raises(RegionFileError) as err:
        load_regions(path)
    assert any(
        e.startswith("baris 4:") and "64.71.01" in e and "induk 64.71" in e
        for e in err.value.errors
    )
    assert not Region.objects.filter(code__startswith="64").exists()


def test_wrong_columns_refused(tmp_path):
    path = tmp_path / "salah.csv"
    path.write_text("kode,nama\n61,Kalimantan Barat\n", encoding="utf-8")
    with pytest.raises(RegionFileError) as err:
        load_regions(path)
    assert "Kolom wajib" in str(err.value)


def test_command_turns_a_bad_file_into_a_clear_error(tmp_path):
    path = write(tmp_path, "65.01,Kabupaten Malinau,kota,65\n")
    with pytest.raises(CommandError) as err:
        call_command("load_regions", str(path))
    assert "Berkas wilayah tidak valid" in str(err.value) and "baris 2" in str(err.value)
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("load_regions", str(tmp_path / "tidak-ada.csv"))
    assert not Region.objects.filter(code__startswith="65").exists()
