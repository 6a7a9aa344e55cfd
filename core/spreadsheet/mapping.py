"""Column mapping of imports: the headers an office writes -> the columns a resource reads.

Model-free. A resource describes its columns as :class:`Target` (its own header plus the
synonyms offices use); this module

* normalises headers (case, spaces, punctuation and accents ignored: "NO. HP/WA" = "no hp wa"),
* scores a file header against a target (1.0 for a known name, the header without its
  parenthesised part included — "TENAGA KERJA (ORANG)" = "Tenaga kerja" —, else the
  ``difflib`` similarity when it reaches :data:`SIMILARITY`, else 0),
* finds the header row below title and blank rows (the row that matches most known columns),
* proposes a one-to-one mapping (best scores first) and applies a mapping to a dataset: mapped
  columns renamed to the resource's headers, every other column ignored and listed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import tablib

from .cells import text

#: the similarity (difflib ratio of normalised headers) from which a header is taken as a field
SIMILARITY = 0.84
#: rows at the top of a sheet searched for the header row
HEADER_SCAN_ROWS = 30
#: headers that are ignored without being a problem: the running number of the rows
IGNORED_HEADERS = ("no", "nomor", "no urut", "nomor urut", "urut", "no.")

_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")


def normalise_header(value: Any) -> str:
    """ "NO. HP/WA" -> "nohpwa": lower case, accents, spaces and punctuation dropped."""
    s = unicodedata.normalize("NFKD", text(value)).encode("ascii", "ignore").decode()
    return _NON_ALNUM_RE.sub("", s.lower())


def header_variants(value: Any) -> tuple[str, ...]:
    """The normalised header, and without its parenthesised part ("(Rp)", "(orang)")."""
    full = normalise_header(value)
    bare = normalise_header(_PAREN_RE.sub(" ", text(value)))
    return tuple(dict.fromkeys(v for v in (full, bare) if v))


def header_signature(headers: list[Any]) -> str:
    """The same for two files with the same headers (whatever their case and spacing)."""
    joined = "|".join(normalise_header(h) for h in headers)
    return hashlib.sha256(joined.encode()).hexdigest()


@dataclass(frozen=True)
class Target:
    """A column a resource reads: its own header, the synonyms offices use, whether required."""

    column: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.column, *self.synonyms)


class Matcher:
    """Scores headers against targets (normalised names computed once)."""

    def __init__(self, targets: list[Target], ignored: tuple[str, ...] = IGNORED_HEADERS):
        self.targets = list(targets)
        self.names = [{v for name in t.names for v in header_variants(name)} for t in self.targets]
        self.exact = {}
        for i, names in enumerate(self.names):
            for name in names:
                self.exact.setdefault(name, i)
        self.ignored = {normalise_header(h) for h in ignored}
        self._cache: dict[str, list[tuple[float, int]]] = {}

    def is_ignored(self, header: Any) -> bool:
        return (
            isinstance(header, str)
            and normalise_header(header) in self.ignored
            and normalise_header(header) not in self.exact
        )

    def scores(self, header: Any) -> list[tuple[float, int]]:
        """(score, target index) of every target the header may be, best first."""
        if not isinstance(header, str):
            return []  # a number or a date is a value, not a header
        cached = self._cache.get(header)
        if cached is None:
            cached = self._cache[header] = self._scores(header)
        return cached

    def _scores(self, header: str) -> list[tuple[float, int]]:
        variants = header_variants(header)
        if not variants or len(header) > 80:
            return []
        found: dict[int, float] = {}
        for v in variants:
            if v in self.exact:
                found[self.exact[v]] = 1.0
        if not found and normalise_header(header) in self.ignored:
            return []  # "NO": the running number ("Nomor" of a certificate is a column)
        for i, names in enumerate(self.names):
            if i in found:
                continue
            best = 0.0
            for v in variants:
                matcher = SequenceMatcher(None, "", v)
                for n in names:
                    matcher.set_seq1(n)
                    if matcher.real_quick_ratio() < SIMILARITY:
                        continue
                    if matcher.quick_ratio() < SIMILARITY:
                        continue
                    best = max(best, matcher.ratio())
            if best >= SIMILARITY:
                found[i] = round(best, 3)
        return sorted(((s, i) for i, s in found.items()), key=lambda x: (-x[0], x[1]))

    def best(self, header: Any) -> float:
        scores = self.scores(header)
        return scores[0][0] if scores else 0.0


# --- the header row -----------------------------------------------------------------------------
def find_header_row(rows: list[tuple[int, list]], matcher: Matcher | None = None) -> int:
    """The index in ``rows`` (non-blank rows with their sheet numbers) of the header row.

    The row among the first :data:`HEADER_SCAN_ROWS` that names most known columns (a title row
    "DAFTAR IKM KOTA PONTIANAK TAHUN 2025" names none); when none names any (or no targets are
    given), the first of the rows with the most filled cells.
    """
    scan = rows[:HEADER_SCAN_ROWS]
    if not scan:
        return 0
    if matcher is not None:
        best_i, best_key = 0, (0, 0.0)
        for i, (_number, cells) in enumerate(scan):
            scores = [matcher.best(c) for c in cells if text(c)]
            known = [s for s in scores if s] + [
                0.5 for c in cells if text(c) and matcher.is_ignored(c)
            ]
            key = (len(known), sum(known))
            if key > best_key:
                best_i, best_key = i, key
        if best_key[0]:
            return best_i
    widths = [sum(1 for c in cells if text(c)) for _n, cells in scan]
    return widths.index(max(widths))


# --- the mapping --------------------------------------------------------------------------------
IGNORE = ""


@dataclass
class ColumnMapping:
    """The field of each column of a file ("" = ignored), with the file's own headers."""

    headers: list[str]
    fields: list[str]
    scores: list[float] = field(default_factory=list)
    #: the saved template this mapping came from ("" when proposed)
    template: str = ""

    def __post_init__(self):
        if not self.scores:
            self.scores = [1.0 if f else 0.0 for f in self.fields]

    @property
    def signature(self) -> str:
        return header_signature(self.headers)

    def header_label(self, index: int) -> str:
        """The file's header of column ``index``, or its letter when the header is blank."""
        return self.headers[index] or _column_letter(index)

    @property
    def ignored(self) -> list[str]:
        """The file's columns no field reads (columns without a header not counted)."""
        return [h for h, f in zip(self.headers, self.fields, strict=False) if h and not f]

    def source_header(self, column: str) -> str:
        """The file's own header of the resource's ``column`` ("" when not in the file)."""
        for i, f in enumerate(self.fields):
            if f == column:
                return self.header_label(i)
        return ""

    def missing(self, targets: list[Target]) -> list[str]:
        mapped = set(self.fields)
        return [t.column for t in targets if t.required and t.column not in mapped]

    def as_json(self) -> dict:
        return {
            "headers": self.headers,
            "fields": self.fields,
            "scores": self.scores,
            "template": self.template,
        }

    @classmethod
    def from_json(cls, data: dict) -> ColumnMapping:
        return cls(
            headers=[str(h) for h in data.get("headers", [])],
            fields=[str(f or "") for f in data.get("fields", [])],
            scores=[float(s) for s in data.get("scores", [])],
            template=str(data.get("template") or ""),
        )

    def by_name(self) -> dict[str, str]:
        """{normalised header: field}: what a saved template stores."""
        return {normalise_header(h): f for h, f in zip(self.headers, self.fields, strict=False)}


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def propose_mapping(headers: list[Any], matcher: Matcher) -> ColumnMapping:
    """Each header to the field it names best; a field taken by one header only (best first)."""
    candidates = []
    for i, header in enumerate(headers):
        for score, target in matcher.scores(header):
            candidates.append((-score, i, target))
    candidates.sort()
    fields = [IGNORE] * len(headers)
    scores = [0.0] * len(headers)
    taken: set[int] = set()
    for neg_score, i, target in candidates:
        if fields[i] or target in taken:
            continue
        fields[i] = matcher.targets[target].column
        scores[i] = -neg_score
        taken.add(target)
    return ColumnMapping([text(h) for h in headers], fields, scores)


def mapping_from_template(headers: list[Any], by_name: dict[str, str], name: str, targets):
    """A saved template's mapping for ``headers`` (fields the resource no longer has ignored)."""
    known = {t.column for t in targets}
    fields = []
    for h in headers:
        f = by_name.get(normalise_header(h), IGNORE)
        fields.append(f if f in known else IGNORE)
    return ColumnMapping([text(h) for h in headers], fields, template=name)


def apply_mapping(dataset: tablib.Dataset, mapping: ColumnMapping) -> None:
    """Rename the mapped columns of ``dataset`` to their fields and drop the others, in place.

    The file's own headers and rows stay on the dataset (``source_headers``, ``source_rows``)
    for the error report; ``column_mapping`` says the dataset is mapped.
    """
    keep = [(i, f) for i, f in enumerate(mapping.fields) if f]
    source_rows = dataset._data
    row_cls = tablib.core.Row
    indexes = [i for i, _f in keep]
    width = len(mapping.headers)
    mapped = []
    append = mapped.append
    new_row = row_cls.__new__
    for row in source_rows:  # 100,000 rows: no per-row validation, no copies but the new row
        cells = row._row
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        out = new_row(row_cls)
        out._row = [cells[i] for i in indexes]
        out.tags = []
        append(out)
    dataset.source_headers = list(mapping.headers)
    dataset.source_rows = source_rows
    dataset._data = mapped
    dataset._Dataset__headers = [f for _i, f in keep]  # no per-row width check on 100k rows
    dataset.column_mapping = mapping
