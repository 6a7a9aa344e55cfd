"""Indonesian first: the site speaks English only when the visitor chose it."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class IndonesianFirstMiddleware:
    """Drop the browser's Accept-Language so LocaleMiddleware uses the visitor's choice.

    The language switch (``/i18n/setlang/``) stores that choice in the language cookie; without it
    every visitor gets ``LANGUAGE_CODE`` (Indonesian), whatever the browser's own language is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# --- Security headers (issue 13; docs/security.md) ------------------------------------------------
# Pages under these URL namespaces show personal data (the owner's units with home address and
# NIK hint, requests and documents, account pages) or are the back-office: never stored by a
# browser or a proxy.
NO_STORE_NAMESPACES = frozenset({"portal", "admin"})


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; ``Cache-Control: no-store`` on personal pages.

    Personal pages: every URL in the ``portal`` and ``admin`` namespaces (the portal includes the
    account pages and document downloads), whatever their status, and any other page answered to
    a signed-in official. Public pages keep their own HTTP caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        nonce = getattr(request, "csp_nonce", None)
        if nonce is not None and "html" in response.get("Content-Type", ""):
            str(nonce)  # every HTML page's policy carries a nonce, used by a template or not
        policy = getattr(settings, "PERMISSIONS_POLICY", None)
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        if self._personal(request):
            # "no-store, no-cache, must-revalidate, max-age=0, private" and an Expires now.
            response.headers.pop("Cache-Control", None)
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _personal(request: HttpRequest) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is not None and NO_STORE_NAMESPACES.intersection(match.namespaces):
            return True
        from django.conf import settings

        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False  # nobody signed in: the session (and Vary: Cookie) stays untouched
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated and user.is_staff)


# --- Input hygiene (issue 13): control characters and huge integers in the query string -----------
# GET parameters holding a whole number that the portal and the back-office read with int():
# clamped into range so a 20-digit value cannot overflow a datetime or a database integer.
_INT_CLAMPS = (
    (lambda key: key in {"p", "page", "halaman"}, 1, 1_000_000),
    (lambda key: key.endswith("__year"), 1, 9998),  # the admin date hierarchy adds one year
    (lambda key: key.endswith("__month"), 1, 12),
    (lambda key: key.endswith("__day"), 1, 31),
)


def _clamp(key: str, value: str) -> str:
    if not value.isascii() or not value.isdigit():
        return value
    for applies, low, high in _INT_CLAMPS:
        if applies(key):
            # Past 18 digits the number is above any bound (and int() refuses 4,300+ digits).
            number = int(value) if len(value) <= 18 else high
            return str(min(max(number, low), high))
    return value


class RejectControlCharactersMiddleware:
    """A NUL or another control character in the path, a GET or a POST value: a 400 page.

    PostgreSQL cannot store or even compare a NUL, so without this a NUL in a filter, a search,
    the admin autocomplete or the portal's region look-up ended in a 500. Tab, line feed and
    carriage return are allowed (text areas). The page says in the visitor's language what was
    wrong. Also clamps page numbers and date parts in the query string (``_INT_CLAMPS``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from core.text import has_control_characters

        if has_control_characters(request.path) or self._dirty(request.GET):
            return self.reject(request)
        if request.method == "POST" and self._dirty(request.POST):
            return self.reject(request)
        if any(_clamp(k, v) != v for k, values in request.GET.lists() for v in values):
            clamped = request.GET.copy()
            for key, values in request.GET.lists():
                clamped.setlist(key, [_clamp(key, v) for v in values])
            clamped._mutable = False
            request.GET = clamped
        return self.get_response(request)

    @staticmethod
    def _dirty(data) -> bool:
        from core.text import has_control_characters

        return any(
            has_control_characters(key) or any(has_control_characters(v) for v in values)
            for key, values in data.lists()
        )

    @staticmethod
    def reject(request: HttpRequest) -> HttpResponse:
        from django.template import loader
        from django.utils.translation import gettext as _

        message = _(
            "Permintaan ini berisi karakter kendali (misalnya NUL) yang tidak diizinkan. "
            "Kembali, hapus karakter itu dari isian atau alamat, lalu coba lagi."
        )
        if request.path.startswith("/api/"):  # the public API answers JSON (issue 15)
            from django.http import JsonResponse

            return JsonResponse({"detail": message}, status=400)
        try:
            body = loader.render_to_string("400.html", {"message": message}, request)
        except Exception:  # noqa: BLE001 - the error page itself must not fail
            body = f"<!doctype html><meta charset='utf-8'><h1>400</h1><p>{message}</p>"
        return HttpResponse(body, status=400)
