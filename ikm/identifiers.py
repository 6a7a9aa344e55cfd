"""NIB and NIK as people type them: one normaliser each (model-free).

Every way in (the portal's and the admin's unit forms, the spreadsheet import, the services and
``ikm.nik``, which seals a NIK) cleans a NIB or NIK with these, so "9120 0012.3456-7" is the same
NIB everywhere. Blank input is each caller's to handle: a blank NIB is "none" (``None``), a blank
NIK means "no change" in a form and "clear" in ``ikm.services.unit_set_nik``.

Whether another unit already holds a NIB or NIK: ``ikm.selectors.identifier_taken``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import rules

_SEPARATORS_RE = re.compile(r"[\s.\-]")
_NIB_RE = re.compile(rules.NIB_REGEX)
_NIK_RE = re.compile(rules.NIK_REGEX)


def strip_separators(raw: str | None) -> str:
    """The number without the spaces, dots and dashes people type inside it."""
    return _SEPARATORS_RE.sub("", raw or "")


def normalize_nib(raw: str | None) -> str | None:
    """13 digits, or None when blank; anything else raises ValidationError (code ``nib_format``)."""
    value = strip_separators(raw)
    if not value:
        return None
    if not _NIB_RE.fullmatch(value):
        raise ValidationError(_("NIB harus 13 digit angka."), code="nib_format")
    return value


def normalize_nik(raw: str | None) -> str:
    """16 digits; anything else, blank too, raises ValidationError (code ``invalid_nik``)."""
    value = strip_separators(raw)
    if not _NIK_RE.fullmatch(value):
        raise ValidationError(_("NIK harus 16 digit angka."), code="invalid_nik")
    return value
