"""Import helpers for IKM units: regions by code or by name, and slugs allocated in memory.

Everything here is loaded once per import (one query for all regions, one for taken slugs) so
that a 100,000-row file needs no query per row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _g

from .models import Region, RegionAlias
from .regionnames import LEVEL_GROUPS, name_key, plain, similarity, split_level, trigrams, words

#: a name at least this similar (pg_trgm similarity) to one region, and clearly more similar
#: to it than to the next, is read as that region (with a note); 0.3 is pg_trgm's own default
SIMILAR_ACCEPT = 0.5
#: other regions above SIMILAR_ACCEPT and within this distance of the best make the name
#: ambiguous ("several candidates"): "Suka Bangun Dlm" is as near Suka Bangun (0.75) as
#: Suka Bangun Dalam (0.62), so neither is taken
SIMILAR_MARGIN = 0.2
#: "not found" names this many nearest regions
NEAREST_SHOWN = 3


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


def _group(level: str) -> str:
    return {"kota": "kabupaten", "kelurahan": "desa"}.get(level, level)


_GROUP_LABEL = {"kabupaten": "Kabupaten/kota", "kecamatan": "Kecamatan", "desa": "Desa/kelurahan"}


class RegionIndex:
    """All regions and their aliases in memory: by code, and by name key per level.

    A name is read, within the kab/kota and kecamatan the row names, as (1) an official name or
    one of its variants (case, spacing, hyphens, level words, Sungai/Sei/Sui/Sg.: see
    ``ikm.regionnames``), (2) an alias saved by an official (``RegionAlias``), or (3) the one
    clearly most similar name (trigram similarity, as pg_trgm, computed here in memory). A name
    read by (1) with more than case, hyphens or the level word changed, by (2) or by (3) adds a
    note "'Sungai Bangkong' dibaca sebagai Sungaibangkong (61.71.05.1001)". Several equally
    similar names, or none, are an error naming the candidates, or the three nearest names,
    with their codes. Answers are cached per (level, scope, name): a 100,000-row file with a
    few thousand distinct names compares each name once.
    """

    def __init__(self, queryset=None, aliases=None):
        qs = Region.objects.all() if queryset is None else queryset
        self.by_code: dict[str, Place] = {}
        self.by_key: dict[str, dict[str, list[Place]]] = {
            g: defaultdict(list) for g in LEVEL_GROUPS
        }
        self.alias_by_key: dict[str, dict[str, list[Place]]] = {
            g: defaultdict(list) for g in LEVEL_GROUPS
        }
        self.children: dict[tuple[str, str], list[Place]] = defaultdict(list)
        self._trigrams: dict[str, frozenset[str]] = {}
        self._cache: dict[tuple, tuple[list[Place], str | None, list]] = {}
        for code, name, level, parent in qs.values_list("code", "name", "level", "parent_id"):
            place = Place(code, name, level, parent)
            self.by_code[code] = place
            group = _group(level)
            if group in self.by_key:
                self.by_key[group][name_key(name, group)].append(place)
                if group == "desa":
                    self.children[(group, code[:5])].append(place)
                    self.children[(group, code[:8])].append(place)
                elif group == "kecamatan":
                    self.children[(group, code[:5])].append(place)
        alias_qs = RegionAlias.objects.all() if aliases is None else aliases
        for alias_key, code in alias_qs.values_list("alias_key", "region_id"):
            place = self.by_code.get(code)
            if place is not None and _group(place.level) in self.alias_by_key:
                self.alias_by_key[_group(place.level)][alias_key].append(place)

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

    @staticmethod
    def short(place: Place) -> str:
        return f"{place.name} ({place.code})"

    # --- resolution ------------------------------------------------------------------------------
    def _in_scope(self, group: str, scope: str | None) -> list[Place]:
        if scope:
            return self.children.get((group, scope), [])
        return [p for places in self.by_key[group].values() for p in places]

    def _grams(self, place: Place) -> frozenset[str]:
        grams = self._trigrams.get(place.code)
        if grams is None:
            grams = self._trigrams[place.code] = trigrams(words(place.name, _group(place.level)))
        return grams

    def find(self, group: str, raw: str, scope: str | None) -> tuple[list[Place], str | None, list]:
        """(the places a name reads as; how, when not plainly: "variant", "alias" or "similar";
        the nearest (similarity, place) pairs when none is close enough)."""
        cache_key = (group, scope, raw)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return cached
        _name, level = split_level(raw, group)
        key = name_key(raw, group)

        def fits(place: Place) -> bool:
            return (level is None or place.level == level) and (
                not scope or place.code.startswith(scope + ".")
            )

        found = [p for p in self.by_key[group].get(key, []) if fits(p)]
        if not found and level is not None and group == "desa":
            # "Kel. Lubuk Dagang" for Desa Lubuk Dagang: offices mix the two words up.
            level = None
            found = [p for p in self.by_key[group].get(key, []) if fits(p)]
        how = None
        nearest: list = []
        if found:
            written = plain(raw, group).replace("-", " ")
            if len(found) == 1 and written != plain(found[0].name, group).replace("-", " "):
                how = "variant"
        else:
            found = [p for p in self.alias_by_key[group].get(key, []) if fits(p)]
            how = "alias" if found else None
        if not found and key:
            grams = trigrams(words(raw, group))
            scored = sorted(
                (
                    (similarity(grams, self._grams(p)), p)
                    for p in self._in_scope(group, scope)
                    if fits(p)
                ),
                key=lambda item: (-item[0], item[1].code),
            )
            if scored and scored[0][0] >= SIMILAR_ACCEPT:
                best = scored[0][0]
                found = [
                    p for sim, p in scored if sim >= SIMILAR_ACCEPT and sim > best - SIMILAR_MARGIN
                ]
                how = "similar"
            else:
                nearest = scored[:NEAREST_SHOWN]
        result = (found, how, nearest)
        self._cache[cache_key] = result
        return result

    def _resolve(
        self,
        group: str,
        raw: str,
        scope: str | None,
        column: str,
        where: str,
        notes: list[tuple[str, str]] | None,
    ) -> Place:
        found, how, nearest = self.find(group, raw, scope)
        label = _GROUP_LABEL[group]
        if not found:
            message = (
                _g("%(level)s '%(name)s' tidak ditemukan di %(where)s.")
                if where
                else _g("%(level)s '%(name)s' tidak ditemukan.")
            ) % {"level": label, "name": raw, "where": where}
            if nearest:
                message += " " + _g("Nama terdekat: %(names)s.") % {
                    "names": "; ".join(self.short(p) for _sim, p in nearest)
                }
            raise RegionProblem(column, message)
        if len(found) > 1:
            places = [self.describe(p.code) if group == "desa" else self.short(p) for p in found]
            raise RegionProblem(
                column,
                _g(
                    "Nama %(level)s '%(name)s' cocok dengan %(n)s wilayah: %(places)s. "
                    "Isi kolom Kode wilayah, Kecamatan atau Kab/Kota, atau simpan nama lain "
                    "wilayah di admin."
                )
                % {
                    "level": label.lower(),
                    "name": raw,
                    "n": len(found),
                    "places": "; ".join(places),
                },
            )
        place = found[0]
        if how and notes is not None:
            notes.append(
                (
                    column,
                    _g("'%(raw)s' dibaca sebagai %(name)s (%(code)s).")
                    % {"raw": raw, "name": place.name, "code": place.code},
                )
            )
        return place

    def resolve_desa(
        self,
        *,
        code: str = "",
        kabupaten: str = "",
        kecamatan: str = "",
        desa: str = "",
        columns: dict[str, str],
        notes: list[tuple[str, str]] | None = None,
    ) -> str:
        """The desa/kelurahan code a row names; raises RegionProblem (Indonesian message).

        ``notes`` (a list) receives (column, message) for each name read as another spelling.
        """
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
                key = name_key(desa, "desa")
                aliases = {p.code for p in self.alias_by_key["desa"].get(key, [])}
                if key != name_key(place.name, "desa") and code not in aliases:
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
        scope = None
        where: list[str] = []
        if kabupaten:
            kab = self._resolve("kabupaten", kabupaten, None, columns["kabupaten"], "", notes)
            scope = kab.code
            where.insert(0, kab.name)
        if kecamatan:
            kec = self._resolve(
                "kecamatan", kecamatan, scope, columns["kecamatan"], ", ".join(where), notes
            )
            scope = kec.code
            where.insert(0, _g("Kec. %(name)s") % {"name": kec.name})
        place = self._resolve("desa", desa, scope, columns["desa"], ", ".join(where), notes)
        return place.code


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
