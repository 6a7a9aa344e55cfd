"""Facets and active-filter chips of a filtered list with shareable GET URLs (model-free).

A facet lists the values of one GET parameter, each with how many results choosing it would
give and the link that chooses it (or, when chosen, drops it). A chip names one active filter
and links to the same list without it. Every link keeps the other parameters and drops the page
number: a changed filter starts again at page 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.http import QueryDict

PAGE_PARAM = "halaman"
SEARCH_PARAM = "q"
SEARCH_CHIP_LENGTH = 60

Chip = tuple[str, str]  # (label, URL of the list without that filter)
Dependents = Mapping[str, Iterable[str]]  # key -> the keys a new value of it drops


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    url: str
    selected: bool = False
    # The count is a lower bound ("1.234+"): more results were not counted.
    at_least: bool = False


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)
    clear_url: str = ""

    @property
    def selected(self) -> FacetValue | None:
        return next((v for v in self.values if v.selected), None)


# The largest page number read from a URL: far beyond any real list, small enough for an SQL
# OFFSET (bigint) once multiplied by a page size. A larger number means "the last page".
MAX_PAGE_NUMBER = 10**9


def page_number(raw) -> int:
    """The page number a visitor asked for (``?halaman=…``), never an error.

    Blank, text and fractions give 1 (like ``Paginator.get_page``); zero, a negative number or a
    number beyond :data:`MAX_PAGE_NUMBER` (``99999999999999999999``) give
    :data:`MAX_PAGE_NUMBER`, which a paginator then brings back to its last page.
    """
    text = str(raw or "").strip()
    if text.startswith("-") and text[1:].isascii() and text[1:].isdigit():
        return MAX_PAGE_NUMBER
    if not text.isascii() or not text.isdigit():
        return 1
    if not int(text[:12]):
        return MAX_PAGE_NUMBER
    if len(text) > len(str(MAX_PAGE_NUMBER)):
        return MAX_PAGE_NUMBER
    return max(1, min(int(text), MAX_PAGE_NUMBER))


def changed_url(params: QueryDict, dependent: Dependents | None = None, /, **changes) -> str:
    """``?…`` for ``params`` with ``changes`` applied (``None`` removes a key), without the page
    number. Changing a key also removes the keys ``dependent`` lists for it (a kecamatan
    belongs to one kab/kota)."""
    data = params.copy()
    data.pop(PAGE_PARAM, None)
    for key, value in changes.items():
        data.pop(key, None)
        for other in (dependent or {}).get(key, ()):
            data.pop(other, None)
        if value is not None:
            data[key] = value
    encoded = data.urlencode()
    return f"?{encoded}" if encoded else "?"


def build_facet(
    params: QueryDict,
    name: str,
    label,
    choices: Iterable[tuple[str, object]],
    counts: Mapping[str, int],
    *,
    dependent: Dependents | None = None,
) -> Facet:
    """The facet of GET parameter ``name``: the ``choices`` (value, label) that have results
    (``counts``: value -> number of results), and the chosen one even without results."""
    current = params.get(name)
    facet = Facet(name, label, clear_url=changed_url(params, dependent, **{name: None}))
    for value, text in choices:
        count = counts.get(value, 0)
        selected = value == current
        if count or selected:
            url = changed_url(params, dependent, **{name: None if selected else value})
            facet.values.append(FacetValue(value, str(text), count, url, selected))
    return facet


def active_filters(
    params: QueryDict,
    facets: Iterable[Facet],
    *,
    more: Iterable[tuple[str, str]] = (),
    dependent: Dependents | None = None,
) -> list[Chip]:
    """The chips of the active filters: the search words, each facet's chosen value, then each
    parameter of ``more`` (key, label prefix) that has a value."""
    chips = []
    query = params.get(SEARCH_PARAM)
    if query:
        chips.append(
            (
                f"“{query[:SEARCH_CHIP_LENGTH]}”",
                changed_url(params, dependent, **{SEARCH_PARAM: None}),
            )
        )
    for facet in facets:
        selected = facet.selected
        if selected:
            chips.append((f"{facet.label}: {selected.label}", facet.clear_url))
    for key, prefix in more:
        if params.get(key):
            chips.append((f"{prefix}{params[key]}", changed_url(params, dependent, **{key: None})))
    return chips


def chosen_params(params: QueryDict, names: Iterable[str]) -> list[tuple[str, str]]:
    """(name, value) of each of ``names`` that ``params`` gives a non-blank value (for the hidden
    fields that carry the chosen facets through another form)."""
    return [(name, params[name]) for name in names if params.get(name, "").strip()]
