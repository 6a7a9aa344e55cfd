"""Importing units as Dinas files hold them: amounts, phones, NIK by meaning, the year founded,
region names (variants, similar names, aliases), formula cells, CSV encodings, and a kab/kota
official's rows outside their region. Files are made inside the tests; every test checks the
database and the messages."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import timezone

from ikm.models import IKMUnit, Region, RegionAlias
from ikm.resources import IKMUnitResource
from tests.support.spreadsheets import errors_of, make_csv

pytestmark = pytest.mark.django_db

HEADERS = [
    "Nama usaha",
    "Nama pemilik",
    "Kelompok komoditas",
    "Kab/Kota",
    "Kecamatan",
    "Desa/Kelurahan",
]
KETAPANG = ["Kabupaten Ketapang", "Delta Pawan"]
PONTIANAK = ["Kota Pontianak", "Pontianak Kota"]


def row(name, desa="Kali Nilam", where=KETAPANG, **extra):
    return [name, "Pemilik " + name, "makanan", *where, desa, *extra.values()]


def run(data, user, filename="data.csv", dry_run=False):
    resource = IKMUnitResource(user=user)
    dataset = resource.read_dataset(data, filename)
    result = resource.import_data(dataset, dry_run=dry_run)
    return resource, result


def ok(result):
    assert not result.has_errors() and not result.has_validation_errors(), result.error_report()


# --- amounts ------------------------------------------------------------------------------------
def test_amounts_as_offices_write_them(province_official):
    amounts = [
        ("Rp. 100.000.000.-", 100_000_000),
        ("Rp 240.000.000,-", 240_000_000),
        ("Rp1,5 jt", 1_500_000),
        ("1,2 M", 1_200_000_000),
        ("Rp 500 rb", 500_000),
        ("2 milyar", 2_000_000_000),
    ]
    rows = [row(f"Usaha {i}", investasi=a, produksi=a) for i, (a, _v) in enumerate(amounts)]
    data = make_csv([*HEADERS, "Nilai investasi (Rp)", "Nilai produksi/tahun (Rp)"], rows)
    _resource, result = run(data, province_official)
    ok(result)
    for i, (_a, value) in enumerate(amounts):
        unit = IKMUnit.objects.get(name=f"Usaha {i}")
        assert unit.investment == value and unit.production_value == value


def test_ambiguous_amount_refused_quoting_the_cell_nothing_written(province_official):
    rows = [row("Baik", investasi="Rp 5 jt"), row("Buruk", investasi="100.000,5,-")]
    _resource, result = run(make_csv([*HEADERS, "Nilai investasi (Rp)"], rows), province_official)
    assert "'100.000,5,-'" in errors_of(result)[(3, "Nilai investasi (Rp)")]
    assert IKMUnit.objects.count() == 0


# --- phones ------------------------------------------------------------------------------------
def test_phones_stored_in_one_format(province_official):
    cells = ["0812-3456-7890", "+62 812 3456 7891", "6281234567892", "(0561) 734567"]
    rows = [row(f"Usaha {i}", wa=c) for i, c in enumerate(cells)]
    _resource, result = run(make_csv([*HEADERS, "WhatsApp"], rows), province_official)
    ok(result)
    stored = list(IKMUnit.objects.order_by("name").values_list("whatsapp", flat=True))
    assert stored == ["+6281234567890", "+6281234567891", "+6281234567892", "+62561734567"]


def test_phone_number_cell_from_xlsx_that_lost_its_zero(province_official):
    book = openpyxl.Workbook()
    book.active.append([*HEADERS, "Telepon usaha"])
    book.active.append([*row("Kopi"), 81234567890])
    buffer = io.BytesIO()
    book.save(buffer)
    _resource, result = run(buffer.getvalue(), province_official, filename="data.xlsx")
    ok(result)
    assert IKMUnit.objects.get().phone == "+6281234567890"


@pytest.mark.parametrize("cell", ["telepon saya", "+++", "12", "0812 / 0813"])
def test_not_a_phone_number_is_refused(province_official, cell):
    _resource, result = run(
        make_csv([*HEADERS, "WhatsApp"], [row("Kopi", wa=cell)]), province_official
    )
    message = errors_of(result)[(2, "WhatsApp")]
    assert f"'{cell}' bukan nomor telepon" in message
    assert IKMUnit.objects.count() == 0


# --- NIK by meaning -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("nik", "words"),
    [
        ("6199014507800123", "61.99.01"),  # no such kecamatan
        ("6104012345678901", "234567"),  # month 45
        ("6104013102800001", "310280"),  # 31 February
        ("6104014507800000", "0000"),
        ("0000000000000000", "nol"),
        ("610401450780012", "16 digit"),
    ],
)
def test_nik_checked_by_meaning(province_official, nik, words):
    _resource, result = run(make_csv([*HEADERS, "NIK"], [row("Kopi", nik=nik)]), province_official)
    assert words in errors_of(result)[(2, "NIK")]
    assert IKMUnit.objects.count() == 0


def test_nik_of_a_woman_from_another_province_accepted(province_official):
    # Jakarta Pusat, Gambir (31.71.01); born 29 February 2000, a woman (day + 40).
    _resource, result = run(
        make_csv([*HEADERS, "NIK"], [row("Kopi", nik="3171016902000001")]), province_official
    )
    ok(result)
    assert IKMUnit.objects.get().nik_last4 == "0001"


# --- year founded ------------------------------------------------------------------------------
def test_future_year_refused_this_year_accepted(province_official):
    this_year = timezone.localdate().year
    rows = [row("Lama", tahun=str(this_year)), row("Baru", tahun=str(this_year + 5))]
    _resource, result = run(make_csv([*HEADERS, "Tahun berdiri"], rows), province_official)
    assert "masa depan" in errors_of(result)[(3, "Tahun berdiri")]
    assert IKMUnit.objects.count() == 0
    _resource, result = run(make_csv([*HEADERS, "Tahun berdiri"], rows[:1]), province_official)
    ok(result)
    assert IKMUnit.objects.get().year_established == this_year


# --- region names ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("where", "desa", "code"),
    [
        (PONTIANAK, "Sungai Bangkong", "61.71.05.1001"),
        (PONTIANAK, "Kel. SUNGAI-BANGKONG", "61.71.05.1001"),
        (PONTIANAK, "Sei Bangkong", "61.71.05.1001"),
        (PONTIANAK, "Sui Jawi", "61.71.05.1005"),
        (["Pontianak", "Kec. Pontianak Kota"], "Sg. Jawi", "61.71.05.1005"),
        (KETAPANG, "Kalinilam", "61.04.16.2007"),
        (["Kab. Ketapang", "Kecamatan Delta Pawan"], "Desa Kali Nilam", "61.04.16.2007"),
        (["KABUPATEN KETAPANG", "DELTA PAWAN"], "kali-nilam", "61.04.16.2007"),
    ],
)
def test_region_variants(province_official, where, desa, code):
    resource, result = run(
        make_csv(HEADERS, [row("Kopi", desa=desa, where=where)]), province_official
    )
    ok(result)
    assert IKMUnit.objects.get().desa_id == code


def test_variant_and_similar_names_are_noted_in_the_preview(province_official):
    rows = [
        row("A", desa="Sungai Bangkong", where=PONTIANAK),
        row("B", desa="Kalinilam"),
        row("C", desa="Kali Nilem"),  # a typo: the one similar name in Delta Pawan
        row("D", desa="Kali Nilam"),  # the official name: no note
        row("E", desa="KALI NILAM"),  # only the case differs: no note
    ]
    resource, result = run(make_csv(HEADERS, rows), province_official, dry_run=True)
    ok(result)
    assert resource.notes == [
        (2, "Desa/Kelurahan", "'Sungai Bangkong' dibaca sebagai Sungaibangkong (61.71.05.1001)."),
        (3, "Desa/Kelurahan", "'Kalinilam' dibaca sebagai Kali Nilam (61.04.16.2007)."),
        (4, "Desa/Kelurahan", "'Kali Nilem' dibaca sebagai Kali Nilam (61.04.16.2007)."),
    ]
    assert IKMUnit.objects.count() == 0  # a preview


def test_several_similar_names_are_an_error_naming_each(province_official):
    _resource, result = run(
        make_csv(HEADERS, [row("Kopi", desa="Suka Bangun Dalem")]), province_official
    )
    message = errors_of(result)[(2, "Desa/Kelurahan")]
    assert "61.04.16.2006" in message and "61.04.16.2009" in message
    assert "Suka Bangun" in message and "Suka Bangun Dalam" in message
    assert IKMUnit.objects.count() == 0


def test_no_similar_name_gives_the_three_nearest(province_official):
    _resource, result = run(make_csv(HEADERS, [row("Kopi", desa="Pasar Lama")]), province_official)
    message = errors_of(result)[(2, "Desa/Kelurahan")]
    assert "tidak ditemukan" in message and "Nama terdekat" in message
    assert message.count("(61.04.16.") == 3


def test_similar_name_is_searched_only_within_the_kecamatan(province_official):
    # "Sungai Putri" exists in Kec. Matan Hilir Utara, not in Delta Pawan.
    _resource, result = run(
        make_csv(HEADERS, [row("Kopi", desa="Sungai Putri")]), province_official
    )
    message = errors_of(result)[(2, "Desa/Kelurahan")]
    assert "tidak ditemukan" in message and "61.04.01" not in message


def test_kecamatan_and_kabupaten_names_are_read_the_same_way(province_official):
    rows = [row("Kopi", desa="Kali Nilam", where=["Kab Ketapan", "Delta Pawan"])]  # typo in kab
    resource, result = run(make_csv(HEADERS, rows), province_official, dry_run=True)
    ok(result)
    assert resource.notes == [
        (2, "Kab/Kota", "'Kab Ketapan' dibaca sebagai Kabupaten Ketapang (61.04).")
    ]


def test_alias_saved_once_is_used(province_official):
    rows = [row("Kopi", desa="Kampung Kali")]
    _resource, result = run(make_csv(HEADERS, rows), province_official)
    assert "tidak ditemukan" in errors_of(result)[(2, "Desa/Kelurahan")]
    alias = RegionAlias.objects.create(
        alias="Kampung  Kali",
        region=Region.objects.get(code="61.04.16.2007"),
        created_by=province_official,
    )
    assert alias.alias_key == "kampungkali" and alias.scope_id == "61.04.16"
    resource, result = run(make_csv(HEADERS, rows), province_official)
    ok(result)
    assert IKMUnit.objects.get().desa_id == "61.04.16.2007"
    assert resource.notes == [
        (2, "Desa/Kelurahan", "'Kampung Kali' dibaca sebagai Kali Nilam (61.04.16.2007).")
    ]


def test_alias_is_unique_within_its_parent():
    from django.core.exceptions import ValidationError

    kali_nilam = Region.objects.get(code="61.04.16.2007")
    RegionAlias.objects.create(alias="Kampung Kali", region=kali_nilam)
    other = RegionAlias(alias="KAMPUNG-KALI", region=Region.objects.get(code="61.04.16.2008"))
    with pytest.raises(ValidationError) as err:
        other.full_clean()
    assert "Kali Nilam" in str(err.value)
    same_as_official = RegionAlias(alias="Kali-Nilam", region=kali_nilam)
    with pytest.raises(ValidationError):
        same_as_official.full_clean()


# --- scope --------------------------------------------------------------------------------------
def test_kabupaten_official_rows_outside_region_all_refused_nothing_written(official_sanggau):
    rows = [
        row("Di Sanggau", desa="Penyeladi", where=["Kabupaten Sanggau", "Kapuas"]),
        row("Di Ketapang", desa="Kali Nilam"),
        row("Di Pontianak", desa="Sungai Bangkong", where=PONTIANAK),
    ]
    _resource, result = run(make_csv(HEADERS, rows), official_sanggau)
    errors = errors_of(result)
    assert "di luar wilayah kerja Anda" in errors[(3, "Kab/Kota")]
    assert "di luar wilayah kerja Anda" in errors[(4, "Kab/Kota")]
    assert not any(r == 2 for r, _c in errors)
    assert IKMUnit.objects.count() == 0 and IKMUnit.history.count() == 0


# --- files -------------------------------------------------------------------------------------
def test_cp1252_semicolon_and_utf16_files_import(province_official):
    rows = [row("Kopi Pak Ahmad – Café", desa="Kali Nilam")]
    cp1252 = make_csv(HEADERS, rows, delimiter=";", encoding="cp1252")
    _resource, result = run(cp1252, province_official)
    ok(result)
    assert IKMUnit.objects.get().name == "Kopi Pak Ahmad – Café"
    utf16 = make_csv(HEADERS, [row("Kedai Ümmü")], delimiter="\t", encoding="utf-16")
    _resource, result = run(utf16, province_official)
    ok(result)
    assert IKMUnit.objects.filter(name="Kedai Ümmü").exists()


def test_formula_cells_in_an_import(province_official):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*HEADERS, "Tenaga kerja", "Nilai investasi (Rp)"])
    sheet.append([*row("Kopi"), 4, "=E2*1000000"])  # no cached value: openpyxl stores none
    buffer = io.BytesIO()
    book.save(buffer)
    _resource, result = run(buffer.getvalue(), province_official, filename="data.xlsx")
    message = errors_of(result)[(2, "Nilai investasi (Rp)")]
    assert "'=E2*1000000'" in message  # the formula as text, never evaluated, not "Wajib diisi"
    assert IKMUnit.objects.count() == 0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("kali nilem", "kali nilam"),
        ("suka bangun dalem", "suka bangun dalam"),
        ("sungai bangkong", "sungaibangkong"),
        ("pasar lama", "paya kumang"),
        ("kab ketapan", "ketapang"),
    ],
)
def test_in_memory_similarity_is_pg_trgm_similarity(a, b):
    from django.db import connection

    from ikm.regionnames import similarity, trigrams

    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity(%s, %s)", [a, b])
        expected = cursor.fetchone()[0]
    assert similarity(trigrams(a), trigrams(b)) == pytest.approx(expected, abs=1e-6)
