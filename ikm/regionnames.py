"""Region names as offices write them: one key per spelling, and trigram similarity (model-free).

``name_key`` folds the usual variants of one name together: case, accents, spacing and
punctuation ("Sungai Bangkong" = "Sungaibangkong" = "SUNGAI-BANGKONG"), the level words in front
("Desa", "Ds.", "Kel.", "Kec.", "Kab.", "Kabupaten", "Kota") and the short forms of *sungai*
("Sei", "Sui", "Sg.", "S."). ``similarity`` is PostgreSQL pg_trgm's ``similarity()`` computed in
Python (same trigrams: words padded with two spaces in front and one behind), so that a
100,000-row import compares names in memory, within one kecamatan or kab/kota, without a query.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_PREFIXES = {
    "kabupaten": ("kabupaten", "kab"),
    "kota": ("kota", "kot"),
    "kecamatan": ("kecamatan", "kec"),
    "desa": ("desa", "ds"),
    "kelurahan": ("kelurahan", "kel", "kelur"),
}
LEVEL_GROUPS = {
    "kabupaten": ("kabupaten", "kota"),
    "kecamatan": ("kecamatan",),
    "desa": ("desa", "kelurahan"),
}
_SUNGAI_RE = re.compile(r"\b(?:sei|sui|sg|s)\b\.?\s*", re.IGNORECASE)
_WORD_RE = re.compile(r"[a-z0-9]+")


def fold(raw: str) -> str:
    """Lower case, accents and typographic quotes removed, runs of spaces collapsed."""
    value = unicodedata.normalize("NFKD", raw or "")
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = value.replace("’", "'").replace("`", "'").lower()
    return " ".join(value.split())


_PREFIX_RES = {
    group: [
        (level, re.compile(rf"{word}\b\.?\s*")) for level in levels for word in _PREFIXES[level]
    ]
    for group, levels in LEVEL_GROUPS.items()
}


@functools.lru_cache(maxsize=65536)
def split_level(raw: str, group: str) -> tuple[str, str | None]:
    """(the name without a level word in front, the level that word names or None)."""
    value = fold(raw)
    for level, prefix in _PREFIX_RES[group]:
        match = prefix.match(value)
        if match and len(value) > match.end():
            return value[match.end() :].strip(), level
    return value, None


@functools.lru_cache(maxsize=65536)
def words(raw: str, group: str) -> str:
    """The name as words, level word removed and *sungai* written out: for similarity."""
    name, _level = split_level(raw, group)
    name = _SUNGAI_RE.sub("sungai ", name)
    return " ".join(_WORD_RE.findall(name))


@functools.lru_cache(maxsize=65536)
def name_key(raw: str, group: str) -> str:
    """The key of a name: its words run together ("sungaibangkong")."""
    return words(raw, group).replace(" ", "")


def plain(raw: str, group: str) -> str:
    """The name as written, only case, spacing and the level word removed (no note needed)."""
    return split_level(raw, group)[0]


def trigrams(text_value: str) -> frozenset[str]:
    """pg_trgm's trigrams of a text: each word padded with two spaces in front, one behind."""
    grams: set[str] = set()
    for word in _WORD_RE.findall(text_value.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of both."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)
