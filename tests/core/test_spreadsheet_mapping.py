"""Model-free column mapping and sheet reading (core/spreadsheet/mapping.py, files.py): header
normalisation, synonyms and similarity, the header row below title rows, sheet row numbers that
count title and blank rows, ignored columns listed, the error report repeating the file's cells."""

from __future__ import annotations

import csv
import io

import openpyxl

from core.spreadsheet.files import (
    csv_rows,
    dataset_from_rows,
    error_report_csv,
    error_report_table,
    error_report_xlsx,
    read_file,
    xlsx_rows,
)
from core.spreadsheet.mapping import (
    ColumnMapping,
    Matcher,
    Target,
    apply_mapping,
    header_signature,
    mapping_from_template,
    normalise_header,
    propose_mapping,
)

TARGETS = [
    Target("NIB", ("Nomor Induk Berusaha",)),
    Target("Nama usaha", ("Nama IKM", "Nama perusahaan"), required=True),
    Target("Nama pemilik", ("Pemilik",), required=True),
    Target("Tenaga kerja", ("Jumlah tenaga kerja",)),
    Target("Tahun berdiri", ()),
    Target("WhatsApp", ("No. HP/WA", "HP")),
    Target("Nomor", ()),
]


def test_headers_are_normalised_ignoring_case_spaces_punctuation_and_accents():
    assert normalise_header("NO. HP/WA") == normalise_header("no hp wa") == "nohpwa"
    assert normalise_header("  Nama   Usaha ") == "namausaha"
    assert normalise_header("Kelurahan/Désa") == "kelurahandesa"
    assert header_signature(["NAMA IKM", "No. HP/WA"]) == header_signature(["nama ikm", "NO HP WA"])
    assert header_signature(["NAMA IKM"]) != header_signature(["NAMA PEMILIK"])


def test_synonyms_parentheses_similarity_and_the_running_number():
    matcher = Matcher(TARGETS)
    mapping = propose_mapping(
        ["NO", "NAMA IKM", "PEMILIK", "TENAGA KERJA (ORANG)", "Tahun berdri", "NO. HP/WA",
         "Catatan petugas", "Nomor"],
        matcher,
    )  # fmt: skip
    assert mapping.fields == [
        "",  # the running number: ignored
        "Nama usaha",
        "Nama pemilik",
        "Tenaga kerja",  # "(ORANG)" dropped
        "Tahun berdiri",  # a typo, by similarity
        "WhatsApp",
        "",
        "Nomor",  # a column named "Nomor" is a column, not the running number
    ]
    assert mapping.scores[1] == 1.0 and 0.84 <= mapping.scores[4] < 1
    assert mapping.ignored == ["NO", "Catatan petugas"]
    assert mapping.missing(TARGETS) == []
    assert mapping.source_header("Nama usaha") == "NAMA IKM"


def test_one_column_per_field_the_best_match_wins():
    mapping = propose_mapping(["Nama Pemilk", "Nama pemilik", "NAMA USAHA"], Matcher(TARGETS))
    # "Nama Pemilk" would be "Nama pemilik" by similarity, but the exact header takes it.
    assert mapping.fields == ["", "Nama pemilik", "Nama usaha"]
    assert mapping.ignored == ["Nama Pemilk"]


def test_missing_required_columns_and_templates():
    mapping = propose_mapping(["NIB", "NAMA IKM"], Matcher(TARGETS))
    assert mapping.missing(TARGETS) == ["Nama pemilik"]
    saved = ColumnMapping(["nib", "Kolom A", "NAMA IKM"], ["NIB", "Nama pemilik", "Nama usaha"])
    again = mapping_from_template(["NIB", "KOLOM A", "Nama IKM"], saved.by_name(), "Dinas", TARGETS)
    assert again.fields == ["NIB", "Nama pemilik", "Nama usaha"] and again.template == "Dinas"
    assert ColumnMapping.from_json(again.as_json()) == again


def _title_sheet():
    return [
        ["DAFTAR IKM KOTA PONTIANAK TAHUN 2025", None, None, None],
        [None, None, None, None],
        ["Per 31 Desember 2025", None, None, None],
        ["NO", "NAMA IKM", "PEMILIK", "TAHUN BERDIRI"],
        [1, "Kopi Asiang", "Ali", 2010],
        [None, None, None, None],
        [None, None, None, None],
        [2, "Amplang Pak Long", "Long", 2012],
        [3, "Lidah Buaya Kalbar", "Siti", 2015],
    ]


def test_xlsx_header_below_title_and_blank_rows_with_true_row_numbers():
    book = openpyxl.Workbook()
    for row in _title_sheet():
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    dataset = read_file(data.getvalue(), "dinas.xlsx", Matcher(TARGETS))
    assert dataset.header_row == 4
    assert dataset.headers == ["NO", "NAMA IKM", "PEMILIK", "TAHUN BERDIRI"]
    assert dataset.row_numbers == [5, 8, 9]  # blank rows 6-7 skipped, their numbers kept
    assert [r[1] for r in dataset] == ["Kopi Asiang", "Amplang Pak Long", "Lidah Buaya Kalbar"]
    # read_only: a limit stops early whatever the sheet's size
    assert [n for n, _cells in xlsx_rows(data.getvalue(), limit=3)] == [1, 3, 4]


def test_the_header_row_is_the_one_naming_known_columns_not_the_widest_first():
    rows = [
        (1, ["DAFTAR IKM", "TAHUN", "2025", "KOTA PONTIANAK", "KALBAR"]),  # wide title row
        (2, ["NO", "NAMA IKM", "PEMILIK", "", ""]),
        (3, ["1", "Kopi", "Ali", "", ""]),
    ]
    dataset = dataset_from_rows(rows, Matcher(TARGETS))
    assert dataset.header_row == 2 and dataset.row_numbers == [3]
    # Without known columns, the first of the widest rows.
    assert dataset_from_rows(rows).header_row == 1


def test_csv_with_semicolons_title_rows_and_blank_lines():
    text = (
        "DAFTAR IKM KOTA PONTIANAK\n"
        "\n"
        "NO;NAMA IKM;PEMILIK\n"
        "1;Kopi Asiang;Ali\n"
        ";;\n"
        '2;"Amplang\nPak Long";Long\n'  # a cell over two lines: one row of the sheet
        "3;Lidah Buaya;Siti\n"
    )
    rows = csv_rows(text.encode("utf-8"))
    dataset = dataset_from_rows(rows, Matcher(TARGETS))
    assert dataset.header_row == 3
    assert dataset.row_numbers == [4, 6, 7]
    assert dataset[1][1] == "Amplang\nPak Long"


def test_apply_mapping_keeps_the_files_own_columns_for_the_report():
    rows = [(4, ["NO", "NAMA IKM", "PEMILIK", "CATATAN"]), (5, ["1", "Kopi", "", "x"])]
    dataset = dataset_from_rows(rows, Matcher(TARGETS))
    mapping = propose_mapping(dataset.headers, Matcher(TARGETS))
    apply_mapping(dataset, mapping)
    assert dataset.headers == ["Nama usaha", "Nama pemilik"]
    assert list(dataset[0]) == ["Kopi", ""]
    assert dataset.source_headers == ["NO", "NAMA IKM", "PEMILIK", "CATATAN"]
    headers, table = error_report_table(
        [(5, "Nama pemilik", "Wajib diisi."), ("", "", "Berkas salah.")],
        dataset,
        ("NIB", "Nama usaha"),
    )
    assert headers == ["Baris", "Kolom", "Kolom di berkas", "Kesalahan", "Nama usaha",
                       "NO", "NAMA IKM", "PEMILIK", "CATATAN"]  # fmt: skip
    assert table == [
        [5, "Nama pemilik", "PEMILIK", "Wajib diisi.", "Kopi", "1", "Kopi", "", "x"],
        ["", "", "", "Berkas salah."],
    ]
    # CSV with ";" for Excel in Indonesian locale, formulas escaped; XLSX the same cells.
    table[0][-1] = "=HYPERLINK(1)"
    content = error_report_csv(table, headers=headers, delimiter=";")
    assert content.startswith("\ufeffBaris;Kolom;Kolom di berkas;Kesalahan;")
    lines = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert lines[1][-1] == "'=HYPERLINK(1)"
    sheet = openpyxl.load_workbook(io.BytesIO(error_report_xlsx(headers, table))).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == headers
    assert list(values[1])[:4] == [5, "Nama pemilik", "PEMILIK", "Wajib diisi."]
    assert values[1][-1] == "'=HYPERLINK(1)"
