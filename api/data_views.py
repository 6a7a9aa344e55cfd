"""/data/: the "Data terbuka" page, the DCAT catalog, each dataset's dictionary and files."""

from __future__ import annotations

import datetime

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .opendata import DATASETS, FORMATS, dcat_catalog, dictionary, read_manifest

MAX_AGE = 300


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _parse_time(value: str | None):
    return datetime.datetime.fromisoformat(value) if value else None


def _cached(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _json(data: dict) -> HttpResponse:
    return _cached(JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1}))


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    manifest = read_manifest()
    rows = []
    for name, dataset in DATASETS.items():
        entry = (manifest or {}).get("datasets", {}).get(name)
        rows.append({"name": name, "dataset": dataset, "entry": entry})
    return render(
        request,
        "api/data_index.html",
        {
            "rows": rows,
            "built_at": _parse_time((manifest or {}).get("built_at")),
            "crumbs": [(_("Data terbuka"), None)],
        },
    )


@require_safe
def catalog(request: HttpRequest) -> HttpResponse:
    return _json(dcat_catalog(read_manifest(), _base_url(request)))


@require_safe
def data_dictionary(request: HttpRequest, name: str) -> HttpResponse:
    if name not in DATASETS:
        raise Http404(_("Dataset tidak ditemukan."))
    return _json(dictionary(DATASETS[name], read_manifest(), _base_url(request)))


@require_safe
def download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """A stable address for the current file: redirects to it in the storage."""
    entry = ((read_manifest() or {}).get("datasets") or {}).get(name)
    if name not in DATASETS or fmt not in FORMATS or not entry:
        raise Http404(_("Berkas dataset belum tersedia."))
    response = HttpResponseRedirect(default_storage.url(entry["files"][fmt]["path"]))
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
