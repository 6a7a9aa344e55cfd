"""Load Kemendagri region codes from a ``code,name,level,parent_code`` CSV (plain or gzip).

Idempotent: rows are compared with what the database holds, and only new or changed regions are
written (parents before children), all in one transaction. Regions absent from the file are kept
(units may point at them) and reported.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import Region
from .rules import REGION_CODE_REGEX

DATA_DIR = Path(__file__).resolve().parent / "data" / "regions"
DEFAULT_FILE = DATA_DIR / "kalbar.csv"
# Boundaries of the 14 kab/kota (the public map).
KABUPATEN_GEOJSON = DATA_DIR / "kalbar-kabupaten.geojson"
BATCH_SIZE = 5000


class RegionFileError(Exception):
    """The file is not a region file; ``errors`` lists each bad row."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors[:50]))
        self.errors = errors


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_file: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


def level_for_code(code: str) -> str:
    parts = code.split(".")
    if len(parts) == 1:
        return Region.Level.PROVINSI
    if len(parts) == 2:
        return Region.Level.KOTA if int(parts[1]) >= 71 else Region.Level.KABUPATEN
    if len(parts) == 3:
        return Region.Level.KECAMATAN
    return Region.Level.KELURAHAN if parts[3].startswith("1") else Region.Level.DESA


def _open(path: Path) -> io.TextIOBase:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return io.StringIO(raw.decode("utf-8-sig"))


def read_rows(path: Path) -> tuple[list[tuple[str, str, str, str | None]], dict[str, int]]:
    """Parse and check the file; raise RegionFileError naming every bad row.

    Returns the rows and the line number of each code (for later errors).
    """
    errors: list[str] = []
    rows: list[tuple[str, str, str, str | None]] = []
    reader = csv.DictReader(_open(path))
    expected = {"code", "name", "level", "parent_code"}
    if not reader.fieldnames or not expected.issubset(reader.fieldnames):
        raise RegionFileError(
            [f"Kolom wajib: code,name,level,parent_code; ditemukan: {reader.fieldnames}"]
        )
    seen: dict[str, int] = {}
    for lineno, row in enumerate(reader, start=2):
        code = (row["code"] or "").strip()
        name = " ".join((row["name"] or "").split())
        level = (row["level"] or "").strip()
        parent = (row["parent_code"] or "").strip() or None
        if not re.fullmatch(REGION_CODE_REGEX, code):
            errors.append(f"baris {lineno}: kode '{code}' tidak berformat kode Kemendagri")
            continue
        if level != level_for_code(code):
            errors.append(f"baris {lineno}: tingkat '{level}' tidak sesuai kode {code}")
        if not name:
            errors.append(f"baris {lineno}: nama kosong untuk kode {code}")
        expected_parent = code.rpartition(".")[0] or None
        if parent != expected_parent:
            errors.append(f"baris {lineno}: induk '{parent}' tidak sesuai kode {code}")
        if code in seen:
            errors.append(f"baris {lineno}: kode {code} ganda")
        seen[code] = lineno
        rows.append((code, name, level, parent))
    if errors:
        raise RegionFileError(errors)
    return rows, seen


@transaction.atomic
def load_regions(path: Path = DEFAULT_FILE) -> LoadResult:
    rows, lines = read_rows(path)
    existing = {
        code: (name, level, parent)
        for code, name, level, parent in Region.objects.values_list(
            "code", "name", "level", "parent_id"
        )
    }
    file_codes = {r[0] for r in rows}
    missing_parents = [r for r in rows if r[3] and r[3] not in file_codes and r[3] not in existing]
    if missing_parents:
        raise RegionFileError(
            [
                f"baris {lines[r[0]]}: induk {r[3]} dari kode {r[0]} tidak ada di berkas "
                "maupun basis data"
                for r in missing_parents
            ]
        )
    result = LoadResult()
    to_create: list[Region] = []
    to_update: list[Region] = []
    for code, name, level, parent in rows:
        result.by_level[level] = result.by_level.get(level, 0) + 1
        current = existing.get(code)
        if current is None:
            to_create.append(Region(code=code, name=name, level=level, parent_id=parent))
        elif current != (name, level, parent):
            to_update.append(Region(code=code, name=name, level=level, parent_id=parent))
        else:
            result.unchanged += 1
    # Parents first: sort by depth so every FK points at an existing row.
    to_create.sort(key=lambda r: (r.code.count("."), r.code))
    Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Region.objects.bulk_update(to_update, ["name", "level", "parent"], batch_size=BATCH_SIZE)
    result.created, result.updated = len(to_create), len(to_update)
    result.not_in_file = len(set(existing) - file_codes)
    return result
