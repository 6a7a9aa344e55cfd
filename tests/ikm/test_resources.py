"""Importing IKM units: values, history, idempotence, all-or-nothing, regions, scope, NIK."""

from __future__ import annotations

from decimal import Decimal

from core.spreadsheet import read_file
from ikm import nik as nik_module
from ikm.models import IKMUnit
from ikm.resources import IKMUnitResource
from tests.factories import DESA_KETAPANG, DESA_SANGGAU, UnitFactory
from tests.support.spreadsheets import UNIT_HEADERS, errors_of, make_csv, run_import

GOOD_ROWS = [
    [
        "9120001234567",
        "Lempok Durian Bu Siti",
        "Siti Aminah",
        "6103014501800001",
        "Makanan",
        "Kabupaten Sanggau",
        "Kapuas",
        "Penyeladi",
        "",
        "Jl. Sudirman 1",
        "12",
        "Rp 1.500.000,00",
        "6281234567890",
    ],
    [
        "9120001234568",
        "Amplang Ketapang Jaya",
        "Budi Santoso",
        "",
        "makanan",
        "",
        "",
        "",
        DESA_KETAPANG,
        "Jl. Merdeka 5",
        "25",
        "2.500.000.000",
        "",
    ],
    [
        "",
        "Tenun Ikat Sintang",
        "Maria Ulin",
        "",
        "FASHION",
        "",
        "",
        "",
        "61.05.01.2007",
        "",
        "3",
        "15000000",
        "",
    ],
]


def test_valid_csv_with_bom_semicolons_and_indonesian_numbers(province_official):
    data = make_csv(UNIT_HEADERS, GOOD_ROWS, delimiter=";", bom=True)
    result = run_import(IKMUnitResource, data, user=province_official)
    assert not result.has_errors() and not result.has_validation_errors(), result.error_report()
    assert IKMUnit.objects.count() == 3
    siti = IKMUnit.objects.get(nib="9120001234567")
    assert siti.desa_id == DESA_SANGGAU
    assert siti.kabupaten_code == "61.03"
    assert siti.investment == 1_500_000
    assert siti.workers == 12
    assert siti.commodity_group == "makanan"
    assert siti.slug == "lempok-durian-bu-siti"
    assert siti.scale == "kecil"
    assert siti.whatsapp == "+6281234567890"  # one stored format, E.164
    # NIK sealed, never stored in clear text.
    assert siti.nik_last4 == "0001"
    assert siti.nik_digest == nik_module.digest("6103014501800001")
    assert "6103014501800001" not in siti.nik_ciphertext
    assert nik_module.unseal(siti.nik_ciphertext) == "6103014501800001"
    amplang = IKMUnit.objects.get(nib="9120001234568")
    assert amplang.investment == 2_500_000_000 and amplang.scale == "menengah"
    tenun = IKMUnit.objects.get(name="Tenun Ikat Sintang")
    assert tenun.nib is None and tenun.commodity_group == "fashion"
    # Audited: one "created" history row per unit, by the importing official.
    history = IKMUnit.history.filter(history_type="+")
    assert history.count() == 3
    assert set(history.values_list("history_user", flat=True)) == {province_official.pk}


def test_reimport_same_file_changes_nothing(province_official):
    data = make_csv(UNIT_HEADERS, GOOD_ROWS, delimiter=";", bom=True)
    run_import(IKMUnitResource, data, user=province_official)
    before = list(IKMUnit.objects.order_by("pk").values())
    history_before = IKMUnit.history.count()
    result = run_import(IKMUnitResource, data, user=province_official)
    assert result.totals["new"] == 0 and result.totals["update"] == 0
    assert result.totals["skip"] == 3
    assert list(IKMUnit.objects.order_by("pk").values()) == before
    assert IKMUnit.history.count() == history_before


def test_changed_row_updates_with_history(province_official):
    unit = UnitFactory(nib="9120001234567", name="Lempok Lama", desa_id=DESA_SANGGAU)
    rows = [GOOD_ROWS[0]]
    result = run_import(IKMUnitResource, make_csv(UNIT_HEADERS, rows), user=province_official)
    assert result.totals["update"] == 1, result.error_report()
    unit.refresh_from_db()
    assert unit.name == "Lempok Durian Bu Siti"
    assert unit.slug.startswith("usaha-contoh")  # an existing unit keeps its address
    last = unit.history.first()
    assert last.history_type == "~" and last.history_user_id == province_official.pk


def test_row_without_nib_matches_by_name_and_desa(province_official):
    unit = UnitFactory(nib=None, name="Tenun Ikat Sintang", desa_id="61.05.01.2007")
    row = list(GOOD_ROWS[2])
    row[10] = "4"
    result = run_import(IKMUnitResource, make_csv(UNIT_HEADERS, [row]), user=province_official)
    assert result.totals["update"] == 1 and result.totals["new"] == 0
    unit.refresh_from_db()
    assert unit.workers == 4
    assert IKMUnit.objects.count() == 1


def test_bad_rows_write_nothing_and_name_rows_and_columns(province_official):
    rows = [
        GOOD_ROWS[0],
        # row 3: bad NIB and unknown desa
        [
            "12345",
            "Usaha Salah",
            "Ani",
            "",
            "Makanan",
            "",
            "",
            "Desa Entah Berantah",
            "",
            "",
            "",
            "",
            "",
        ],
        GOOD_ROWS[1],
        # row 5: desa name that fits two places in Ketapang; negative investment
        [
            "",
            "Usaha Ganda",
            "Ani",
            "",
            "Makanan",
            "Ketapang",
            "",
            "Harapan Baru",
            "",
            "",
            "",
            "-5",
            "",
        ],
    ]
    result = run_import(IKMUnitResource, make_csv(UNIT_HEADERS, rows), user=province_official)
    assert result.has_validation_errors()
    assert IKMUnit.objects.count() == 0
    assert IKMUnit.history.count() == 0
    errors = errors_of(result)
    assert "13 digit" in errors[(3, "NIB")]
    assert "tidak ditemukan" in errors[(3, "Desa/Kelurahan")]
    ambiguous = errors[(5, "Desa/Kelurahan")]
    assert "61.04.07.2007" in ambiguous and "61.04.12.2018" in ambiguous
    assert "negatif" in errors[(5, "Nilai investasi (Rp)")]
    assert {row for row, _col in errors} == {3, 5}


def test_ambiguous_desa_resolved_by_kecamatan(province_official):
    row = [
        "",
        "Usaha Jelas",
        "Ani",
        "",
        "Makanan",
        "Ketapang",
        "Sungai Laur",
        "Harapan Baru",
        "",
        "",
        "",
        "",
        "",
    ]
    result = run_import(IKMUnitResource, make_csv(UNIT_HEADERS, [row]), user=province_official)
    assert not result.has_validation_errors(), result.error_report()
    assert IKMUnit.objects.get().desa_id == "61.04.07.2007"


def test_database_errors_become_row_errors(province_official):
    """A NIK already held by another unit: refused on its row, nothing written, no 500."""
    other = UnitFactory(nib="9120009999999")
    from ikm.services import unit_set_nik

    unit_set_nik(other, "6103014501800001")
    other.save()
    result = run_import(IKMUnitResource, make_csv(UNIT_HEADERS, GOOD_ROWS), user=province_official)
    assert "sudah terdaftar" in errors_of(result)[(2, "NIK")]
    assert IKMUnit.objects.count() == 1


def test_duplicate_nib_in_file(province_official):
    result = run_import(
        IKMUnitResource,
        make_csv(UNIT_HEADERS, [GOOD_ROWS[0], GOOD_ROWS[0]]),
        user=province_official,
    )
    assert "lebih dari sekali" in errors_of(result)[(3, "NIB")]
    assert IKMUnit.objects.count() == 0


def test_bad_nik_refused(province_official):
    row = list(GOOD_ROWS[0])
    row[3] = "61030145"
    result = run_import(IKMUnitResource, make_csv(UNIT_HEADERS, [row]), user=province_official)
    assert "16 digit" in errors_of(result)[(2, "NIK")]
    assert not IKMUnit.objects.exists()


def test_cp1252_accents(province_official):
    row = list(GOOD_ROWS[0])
    row[1] = "Pâté Lempok Crème"
    row[2] = "José Müller"
    data = make_csv(UNIT_HEADERS, [row], encoding="cp1252")
    result = run_import(IKMUnitResource, data, user=province_official)
    assert not result.has_validation_errors(), result.error_report()
    unit = IKMUnit.objects.get()
    assert unit.name == "Pâté Lempok Crème" and unit.owner_name == "José Müller"
    assert unit.slug == "pate-lempok-creme"


def test_out_of_scope_row_refused_for_kabupaten_official(official_sanggau):
    rows = [GOOD_ROWS[0], GOOD_ROWS[1]]  # Sanggau (own) and Ketapang (another kabupaten)
    result = run_import(IKMUnitResource, make_csv(UNIT_HEADERS, rows), user=official_sanggau)
    errors = errors_of(result)
    assert "di luar wilayah kerja" in errors[(3, "Kab/Kota")]
    assert {row for row, _c in errors} == {3}
    assert not IKMUnit.objects.exists()


def test_kabupaten_official_cannot_update_other_region_unit_by_nib(official_sanggau):
    UnitFactory(nib="9120001234568", desa_id=DESA_KETAPANG, name="Amplang Lama")
    row = list(GOOD_ROWS[1])
    row[8] = DESA_SANGGAU  # try to move it into Sanggau
    result = run_import(IKMUnitResource, make_csv(UNIT_HEADERS, [row]), user=official_sanggau)
    assert "di luar wilayah kerja" in errors_of(result)[(2, "NIB")]
    assert IKMUnit.objects.get().desa_id == DESA_KETAPANG


def test_unknown_column_and_missing_required_column(province_official):
    """An unknown column is no longer a refusal: it is ignored and listed. A missing required
    column still refuses the file, naming the column and the headers known for it."""
    resource = IKMUnitResource(user=province_official)
    dataset = read_file(make_csv(["Nama usaha", "Kolom Aneh"], [["x", "y"]]), "u.csv")
    result = resource.import_data(dataset)
    assert resource.ignored_columns == ["Kolom Aneh"]
    messages = " ".join(m for _r, _c, m in result.error_report())
    assert "Kolom Aneh" not in messages
    assert "Kolom wajib tidak ditemukan: Nama pemilik (atau: Pemilik" in messages
    assert "Kelompok komoditas (atau: Komoditi" in messages
    assert not IKMUnit.objects.exists()


def test_choice_by_label_and_decimal_comma(province_official):
    headers = [*UNIT_HEADERS, "Kapasitas produksi/tahun", "Lintang", "Bujur"]
    row = [*GOOD_ROWS[0], "1,5", "0,12345", "109.33"]
    row[4] = "Produk Logam"
    result = run_import(IKMUnitResource, make_csv(headers, [row]), user=province_official)
    assert not result.has_validation_errors(), result.error_report()
    unit = IKMUnit.objects.get()
    assert unit.commodity_group == "produk_logam"
    assert unit.capacity == Decimal("1.50")
    assert unit.latitude == Decimal("0.123450") and unit.longitude == Decimal("109.330000")


def test_dry_run_writes_nothing(province_official):
    result = run_import(
        IKMUnitResource, make_csv(UNIT_HEADERS, GOOD_ROWS), user=province_official, dry_run=True
    )
    assert result.totals["new"] == 3
    assert not IKMUnit.objects.exists()


def test_headers_match_whatever_their_case(province_official):
    headers = [h.upper() if i % 2 else f" {h.lower()} " for i, h in enumerate(UNIT_HEADERS)]
    result = run_import(IKMUnitResource, make_csv(headers, GOOD_ROWS[:1]), user=province_official)
    assert not result.has_validation_errors(), result.error_report()
    assert IKMUnit.objects.get().name == "Lempok Durian Bu Siti"
