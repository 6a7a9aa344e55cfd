"""Template filters for money and sizes: ``{{ price|rupiah }}``, ``{{ doc.size|ukuran_berkas }}``.

Registered as the template library ``sipi_format`` in settings (``TEMPLATES`` ``libraries``);
the formatting itself is ``core.formatting``.
"""

from django import template

from core import formatting

register = template.Library()


@register.filter
def rupiah(value):
    return formatting.rupiah(value)


@register.filter
def ukuran_berkas(value):
    return formatting.file_size(value)
