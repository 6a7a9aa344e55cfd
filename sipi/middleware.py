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
