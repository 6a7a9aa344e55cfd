"""A unit list as a Dinas keeps it (made in memory): title rows, a blank row, its own headers
(NAMA IKM, NO. HP/WA, TENAGA KERJA (ORANG), …), a running number, a column the import does not
know (KETERANGAN TAMBAHAN) and blank rows between data rows."""

from __future__ import annotations

import io

DINAS_TITLE = "DAFTAR IKM KABUPATEN SANGGAU TAHUN 2025"
DINAS_HEADERS = [
    "NO",
    "NAMA IKM",
    "NAMA PEMILIK",
    "ALAMAT",
    "DESA/KELURAHAN",
    "KECAMATAN",
    "KAB/KOTA",
    "NO. HP/WA",
    "KOMODITI",
    "JENIS PRODUK",
    "TENAGA KERJA (ORANG)",
    "NILAI INVESTASI (Rp)",
    "KAPASITAS PRODUKSI",
    "SATUAN",
    "NILAI PRODUKSI (Rp)",
    "TAHUN BERDIRI",
    "NIB",
    "KETERANGAN TAMBAHAN",
]
#: the sheet row of the header (title in row 1, sub-title in row 2, row 3 blank)
DINAS_HEADER_ROW = 4


def dinas_row(i: int, nib: str | None = None) -> list:
    return [
        i,
        f"Kerupuk Basah Sanggau {i}",
        f"Pemilik Nomor {i}",
        f"Jl. Kapuas No. {i}",
        "Penyeladi",
        "Kapuas",
        "Kabupaten Sanggau",
        f"0812-3456-{7000 + i}",
        "Makanan",
        "Kerupuk basah",
        i % 9 + 2,
        15_000_000 + i,
        1200,
        "kg",
        60_000_000,
        2015,
        nib if nib is not None else f"91200099{i:05d}",
        "binaan 2024" if i % 2 else "",
    ]


def dinas_rows(count: int) -> list[list]:
    return [dinas_row(i) for i in range(1, count + 1)]


def dinas_sheet(rows: list[list], *, blank_after: tuple[int, ...] = (2,)) -> list[list]:
    """The sheet's rows: title rows, the header in row 4, data rows with a blank row after the
    data rows numbered in ``blank_after`` (1-based)."""
    sheet: list[list] = [[DINAS_TITLE], ["Dinas Perindustrian dan Perdagangan"], []]
    sheet.append(DINAS_HEADERS)
    for n, row in enumerate(rows, 1):
        sheet.append(row)
        if n in blank_after:
            sheet.append([])
    return sheet


def sheet_row_of(n: int, blank_after: tuple[int, ...] = (2,)) -> int:
    """The sheet row number of the n-th data row (1-based)."""
    return DINAS_HEADER_ROW + n + sum(1 for b in blank_after if b < n)


def dinas_xlsx(rows: list[list], **kwargs) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "IKM 2025"
    for row in dinas_sheet(rows, **kwargs):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dinas_csv(rows: list[list], delimiter: str = ";", **kwargs) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in dinas_sheet(rows, **kwargs):
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


#: rows as an office writes them: region names in other spellings ("Sungai Bangkong" is
#: Sungaibangkong 61.71.05.1001, "Kalinilam" is Kali Nilam 61.04.16.2007), "Kab." prefixes,
#: amounts "Rp. 100.000.000.-", "Rp1,5 jt", "1,2 M", phones with spaces or +62
REAL_ROWS = [
    [1, "Kopi Asiang", "Ali Hamzah", "Jl. Gajah Mada 12", "Sungai Bangkong", "Pontianak Kota",
     "Kota Pontianak", "0812 5678 9001", "Minuman", "Kopi bubuk", "5", "Rp. 100.000.000.-",
     "1.200", "kg", "Rp 240.000.000,-", 2010, "9120001111101", ""],
    [2, "Amplang Kalinilam", "Siti Rahma", "Jl. Pelabuhan 3", "Kalinilam", "Delta Pawan",
     "Kab. Ketapang", "+62 813-4567-8902", "makanan", "Amplang ikan", 3, "Rp1,5 jt",
     "500", "bungkus", "1,2 M", "2018", "", "binaan 2024"],
    [3, "Lempok Durian Penyeladi", "Maria Ulin", "Dusun Sungai Ringin", "Penyeladi", "Kapuas",
     "Kabupaten Sanggau", "0813-5200-1234", "Makanan", "Lempok durian", "12",
     "Rp 240.000.000,-", "2.000", "kg", "Rp 600.000.000", "2015", "9120001111103", ""],
]  # fmt: skip
#: the sheet rows of REAL_ROWS in real_dinas_xlsx() (title, blank, blank, header, row, blank, …)
REAL_SHEET_ROWS = [5, 7, 8]


def real_dinas_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DAFTAR IKM BINAAN DISPERINDAG PROVINSI KALIMANTAN BARAT TAHUN 2025"])
    sheet.append([])
    sheet.append([])
    sheet.append(DINAS_HEADERS)
    sheet.append(REAL_ROWS[0])
    sheet.append([])
    sheet.append(REAL_ROWS[1])
    sheet.append(REAL_ROWS[2])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
