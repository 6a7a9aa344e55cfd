"""Admin views replaced so that region scope holds on them too (``backoffice.site`` wires them).

"View on site" (``/admin/r/<content type>/<id>/``) is Django's content-type shortcut: it
redirects to any object's public URL. Here the object must be in the user's view of its
ModelAdmin (``get_queryset``: the official's region), else 404 — the same 404, word for word,
as an id that does not exist, so the redirect does not tell which ids exist elsewhere.
"""

from __future__ import annotations

from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _


def _not_found() -> Http404:
    return Http404(_("Data tidak ditemukan."))


def view_on_site(site, request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        raise _not_found() from None
    model = content_type.model_class()
    model_admin = site._registry.get(model) if model is not None else None
    if model_admin is None or not hasattr(model, "get_absolute_url"):
        raise _not_found()
    if not model_admin.has_view_or_change_permission(request):
        raise _not_found()
    try:
        visible = model_admin.get_queryset(request).filter(pk=object_id).exists()
    except (ValueError, TypeError, ValidationError):
        visible = False
    if not visible:
        raise _not_found()
    return contenttype_views.shortcut(request, content_type_id, object_id)
