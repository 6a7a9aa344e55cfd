"""Small template helpers for the owner portal."""

from django import template

from certifications.models import DocumentType

register = template.Library()


@register.filter
def doc_label(value: str) -> str:
    try:
        return str(DocumentType(value).label)
    except ValueError:
        return value
