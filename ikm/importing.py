"""Import helpers for IKM units: regions by code or by name, and slugs allocated in memory.

Everything here is loaded once per import (one query for all regions, one for taken slugs) so
that a 100,000-row file needs no query per row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _g

from .models import Region

_PREFIXES = {
    "kabupaten": ("kabupaten ", "kab. ", "kab ", "kabupaten. "),
    "kota": ("kota ", "kot. "),
    "kecamatan": ("kecamatan ", "kec. ", "kec "),
    "desa": ("desa ", "ds. ", "ds "),
    "kelurahan": ("kelurahan ", "kel. ", "kel "),
}


def normalize_name(raw: str) -> str:
    value = re.sub(r"\s+", " ", (raw or "").strip().lower())
    return value.replace("’", "'")


def strip_prefix(name: str, levels: tuple[str, ...]) -> tuple[str, str | None]:
    """(name without a level word, the level the prefix names or None)."""
    for level in levels:
        for prefix in _PREFIXES[level]:
            if name.startswith(prefix) and len(name) > len(prefix):
                return name[len(prefix) :].strip(), level
    return name, None


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str
    parent: str | None


class RegionProblem(Exception):
    """A region that cannot be resolved: ``column`` names the spreadsheet column."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class RegionIndex:
    """All regions in memory: by code, and by normalised name per level."""

    def __init__(self, queryset=None):
        qs = Region.objects.all() if queryset is None else queryset
        self.by_code: dict[str, Place] = {}
        self.by_name: dict[str, dict[str, list[Place]]] = defaultdict(lambda: defaultdict(list))
        for code, name, level, parent in qs.values_list("code", "name", "level", "parent_id"):
            place = Place(code, name, level, parent)
            self.by_code[code] = place
            key = normalize_name(name)
            group = self._group(level)
            self.by_name[group][key].append(place)
            if level in ("kabupaten", "kota"):
                bare, _lvl = strip_prefix(key, ("kabupaten", "kota"))
                if bare != key:
                    self.by_name[group][bare].append(place)

    @staticmethod
    def _group(level: str) -> str:
        return {"kota": "kabupaten", "kelurahan": "desa"}.get(level, level)

    def name(self, code: str | None) -> str:
        place = self.by_code.get(code or "")
        return place.name if place else ""

    def describe(self, code: str) -> str:
        """``61.04.07.2007 (Desa Harapan Baru, Kec. Kendawangan, Kabupaten Ketapang)``."""
        place = self.by_code[code]
        kec = self.by_code.get(code[:8])
        kab = self.by_code.get(code[:5])
        level = _g("Kelurahan") if place.level == "kelurahan" else _g("Desa")
        parts = [f"{level} {place.name}"]
        if kec:
            parts.append(_g("Kec. %(name)s") % {"name": kec.name})
        if kab:
            parts.append(kab.name)
        return f"{code} ({', '.join(parts)})"

    # --- resolution ------------------------------------------------------------------------------
    def _match_kabupaten(self, raw: str, column: str) -> list[Place]:
        name, level = strip_prefix(normalize_name(raw), ("kabupaten", "kota"))
        if re.fullmatch(r"\d{2}\.\d{2}", name):
            place = self.by_code.get(name)
            if place and place.level in ("kabupaten", "kota"):
                return [place]
        found = [
            p for p in self.by_name["kabupaten"].get(name, []) if level is None or p.level == level
        ]
        found = list({p.code: p for p in found}.values())
        if not found:
            raise RegionProblem(
                column, _g("Kabupaten/kota '%(name)s' tidak ditemukan.") % {"name": raw}
            )
        return found

    def resolve_desa(
        self,
        *,
        code: str = "",
        kabupaten: str = "",
        kecamatan: str = "",
        desa: str = "",
        columns: dict[str, str],
    ) -> str:
        """The desa/kelurahan code a row names; raises RegionProblem (Indonesian message)."""
        code = (code or "").strip()
        if code:
            place = self.by_code.get(code)
            if place is None:
                raise RegionProblem(
                    columns["code"], _g("Kode wilayah '%(code)s' tidak dikenal.") % {"code": code}
                )
            if place.level not in ("desa", "kelurahan"):
                raise RegionProblem(
                    columns["code"],
                    _g(
                        "Kode wilayah '%(code)s' adalah %(level)s %(name)s: unit harus berada "
                        "di desa/kelurahan (kode 4 tingkat, mis. 61.03.01.2007)."
                    )
                    % {"code": code, "level": place.level, "name": place.name},
                )
            if desa:
                name, _lvl = strip_prefix(normalize_name(desa), ("desa", "kelurahan"))
                if name != normalize_name(place.name):
                    raise RegionProblem(
                        columns["desa"],
                        _g("Kode wilayah %(code)s adalah %(place)s, bukan '%(name)s'.")
                        % {"code": code, "place": place.name, "name": desa},
                    )
            return code
        if not desa:
            raise RegionProblem(
                columns["desa"],
                _g("Isi kolom Kode wilayah atau nama Desa/Kelurahan (dengan Kecamatan)."),
            )
        name, level = strip_prefix(normalize_name(desa), ("desa", "kelurahan"))
        candidates = [
            p for p in self.by_name["desa"].get(name, []) if level is None or p.level == level
        ]
        if kabupaten:
            kab_codes = {p.code for p in self._match_kabupaten(kabupaten, columns["kabupaten"])}
            candidates = [p for p in candidates if p.code[:5] in kab_codes]
        if kecamatan:
            kec_name, _lvl = strip_prefix(normalize_name(kecamatan), ("kecamatan",))
            kec_codes = {p.code for p in self.by_name["kecamatan"].get(kec_name, [])}
            if not kec_codes:
                raise RegionProblem(
                    columns["kecamatan"],
                    _g("Kecamatan '%(name)s' tidak ditemukan.") % {"name": kecamatan},
                )
            candidates = [p for p in candidates if p.code[:8] in kec_codes]
        if not candidates:
            where = ", ".join(v for v in (kecamatan, kabupaten) if v)
            raise RegionProblem(
                columns["desa"],
                (
                    _g("Desa/kelurahan '%(name)s' tidak ditemukan di %(where)s.")
                    % {"name": desa, "where": where}
                    if where
                    else _g("Desa/kelurahan '%(name)s' tidak ditemukan.") % {"name": desa}
                ),
            )
        if len(candidates) > 1:
            raise RegionProblem(
                columns["desa"],
                _g(
                    "Nama desa/kelurahan '%(name)s' cocok dengan %(n)s wilayah: %(places)s. "
                    "Isi kolom Kode wilayah atau Kecamatan."
                )
                % {
                    "name": desa,
                    "n": len(candidates),
                    "places": "; ".join(self.describe(p.code) for p in candidates),
                },
            )
        return candidates[0].code


class SlugAllocator:
    """The rule of ``ikm.services.unique_slug`` (``nama``, ``nama-2`` …) against a set of taken
    slugs loaded once, so that a large import does not query per row."""

    def __init__(self, model, max_length: int = 200):
        self.model = model
        self.max_length = max_length
        self._taken: set[str] | None = None

    @property
    def taken(self) -> set[str]:
        if self._taken is None:
            self._taken = set(self.model.objects.values_list("slug", flat=True))
        return self._taken

    def allocate(self, text: str) -> str:
        base = slugify(text)[: self.max_length].strip("-") or "item"
        taken = self.taken
        slug = base
        n = 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        taken.add(slug)
        return slug
