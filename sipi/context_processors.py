"""Template context for every page."""

from __future__ import annotations

from django.http import HttpRequest


def csp(request: HttpRequest) -> dict:
    """``{{ csp_nonce }}``: this response's CSP nonce (the name Django 6.0's own processor uses).

    django-csp puts the nonce on ``request.csp_nonce`` (lazy: it enters the header only when a
    template uses it). ``<script nonce="{{ csp_nonce }}">`` is the only way to an inline script.
    """
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
