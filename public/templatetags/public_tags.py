"""Template helpers for the public site."""

from __future__ import annotations

from django import template

from core.facets import PAGE_PARAM
from products.images import rendition_srcset, rendition_url

register = template.Library()


@register.simple_tag
def photo_url(photo, width: int = 640) -> str:
    return rendition_url(photo, int(width))


@register.simple_tag
def photo_srcset(photo) -> str:
    return rendition_srcset(photo)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current URL with only the page number changed (``halaman``, PAGE_PARAM)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    if hasattr(params, "setlist"):
        params[PAGE_PARAM] = str(number)
        return "?" + params.urlencode()
    return f"?{PAGE_PARAM}={number}"
