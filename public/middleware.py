"""HTTP caching of the public pages for anonymous visitors.

A public page (URL namespace ``public``) answered ``200`` to a ``GET``/``HEAD`` of a visitor
who is not logged in, and that sets no cookie, gets

* ``Cache-Control: public, max-age=PUBLIC_PAGE_MAX_AGE`` (60 s by default), so that the browser
  and a front cache (nginx, Varnish) may serve it again for that long;
* ``Vary: Cookie, Accept-Language`` — the language is chosen by a cookie, and a visitor with a
  session must never receive a page cached for someone else;
* an ``ETag`` (a hash of the body), answered with ``304 Not Modified`` when the browser already
  holds that version (``If-None-Match``).

Anything else is left alone, except public pages seen by a logged-in user: they carry the
account in the header and get ``Cache-Control: private, no-store`` (nothing kept anywhere).
Personal pages (portal, admin) get their own ``no-store`` elsewhere.

Placed after ``AuthenticationMiddleware`` (it reads ``request.user``) and below
``GZipMiddleware`` (the ETag is that of the uncompressed body; GZip makes it weak, and a weak
``If-None-Match`` still matches a ``GET``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

PUBLIC_NAMESPACE = "public"


def is_public_page(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and PUBLIC_NAMESPACE in match.namespaces


class AnonymousPublicCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or not is_public_page(request):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
            return response
        if (
            response.status_code != 200
            or response.cookies
            # A page holding a CSRF token (a POST form) is this visitor's own.
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or response.streaming
            or response.has_header("Cache-Control")
        ):
            return response
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)


# --- server-side page cache -----------------------------------------------------------------
PAGE_CACHE_SECONDS = 300


# A query string longer than this is never a key of the page cache.
MAX_CACHED_QUERY = 200


def _cacheable_request(request: HttpRequest) -> bool:
    """An anonymous GET with no session and no pending message: the page is the same for every
    such visitor (in their language)."""
    from django.conf import settings as conf

    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and not (user is not None and user.is_authenticated)
        and conf.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def canonical_query(request: HttpRequest, allowed: frozenset[str]) -> str | None:
    """The query string as part of a cache key ("" without one): the parameters sorted, each
    once. ``None`` (not cached) for an unknown parameter, a repeated one or a long query."""
    from urllib.parse import urlencode

    query = request.META.get("QUERY_STRING", "")
    if not query:
        return ""
    if len(query) > MAX_CACHED_QUERY:
        return None
    items = []
    for key, values in request.GET.lists():
        if key not in allowed or len(values) != 1:
            return None
        items.append((key, values[0]))
    return urlencode(sorted(items))


def anonymous_page_cache(view=None, *, params: Callable[[], frozenset[str]] | None = None):
    """Keep the HTML of a public page for anonymous visitors in the shared cache (Redis), under
    the catalog's cache version: every write to the catalog's data (public/signals.py) makes the
    next request render it again, once (core/cache.py). Without ``params`` only the page without
    a query string is kept. With ``params`` (a function giving the view's parameter names; the
    catalog, the directory) a query of those parameters is kept too, under its sorted form, for
    PAGE_CACHE_SECONDS at most — a search asked again is served without a query
    (``settings.PUBLIC_QUERY_PAGE_CACHE`` turns that part off)."""
    if view is None:
        return lambda v: anonymous_page_cache(v, params=params)
    from functools import wraps

    from django.http import HttpResponse
    from django.utils.translation import get_language

    from core.cache import lookup

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        from public.catalog import CATALOG_VERSION_KEY

        allowed = (
            params() if params is not None and settings.PUBLIC_QUERY_PAGE_CACHE else frozenset()
        )
        query = canonical_query(request, allowed)
        if query is None or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = f"public:page:{get_language()}:{request.path}"
        if query:
            key += "?" + query
        cached, slot = lookup(key, version_key=CATALOG_VERSION_KEY)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            slot.store((response.content, response["Content-Type"]), PAGE_CACHE_SECONDS)
        return response

    return wrapped
