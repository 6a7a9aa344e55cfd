"""Cursor pagination: a page is "the rows after this key", so rows inserted (or deleted) while a
client walks the list never make it skip or repeat a row, and deep pages cost what the first
does (an index range scan, no OFFSET)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import CursorPagination


class KeyCursorPagination(CursorPagination):
    ordering = "id"  # unique and never changes: a stable position
    page_size = 50
    page_size_query_param = "ukuran"
    max_page_size = 200
    cursor_query_description = _("Kursor halaman (dari tautan next/previous).")
    page_size_query_description = _("Jumlah baris per halaman (maks. 200).")
    invalid_cursor_message = _("Kursor halaman tidak sah: pakai tautan next/previous.")


class RegionCursorPagination(KeyCursorPagination):
    ordering = "code"
