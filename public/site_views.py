"""Site-wide views: robots.txt and the error pages (which must never fail themselves)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.urls import reverse

logger = logging.getLogger(__name__)

PLAIN_404 = (
    "<!doctype html><html lang='id'><meta charset='utf-8'><title>Halaman tidak ditemukan</title>"
    "<h1>Halaman tidak ditemukan (404)</h1><p><a href='/'>SIPI IKM Kalbar</a></p></html>"
)
PLAIN_500 = (
    "<!doctype html><html lang='id'><meta charset='utf-8'><title>Terjadi kesalahan</title>"
    "<h1>Terjadi kesalahan pada server (500)</h1><p>Silakan coba lagi beberapa saat lagi.</p>"
    "<p><a href='/'>SIPI IKM Kalbar</a></p></html>"
)


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /akun/",
        "Disallow: /i18n/",
        "Disallow: /produk/?*",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('public:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    try:
        body = loader.render_to_string("404.html", {"request_path": request.path}, request)
    except Exception:  # noqa: BLE001 - the error page itself must not fail
        logger.exception("404 page failed to render")
        body = PLAIN_404
    return HttpResponseNotFound(body)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request context: whatever broke may be in a context processor."""
    try:
        body = loader.get_template("500.html").render({})
    except Exception:  # noqa: BLE001
        logger.exception("500 page failed to render")
        body = PLAIN_500
    return HttpResponseServerError(body)
