"""Model and form fields that clean their value with the rules of ``ikm.identifiers``.

``PhoneField`` stores a phone number in the one format (E.164, ``+6281234567890``): every form
built on the model (the owner portal, the admin) and ``Model.full_clean`` normalise with
:func:`ikm.identifiers.normalize_phone`, the same function the spreadsheet import uses.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from .identifiers import normalize_phone


class PhoneFormField(forms.CharField):
    """A phone number typed any usual way, cleaned to E.164 ("" when blank)."""

    def __init__(self, **kwargs):
        kwargs["max_length"] = 40  # as typed, with spaces and brackets; stored at most 16
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_phone(super().to_python(value))


class PhoneField(models.CharField):
    """A phone number, stored in E.164 (``+6281234567890``)."""

    description = _("Nomor telepon (E.164)")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        """Forms and ``full_clean``: the number in E.164, or ValidationError."""
        return normalize_phone(super().to_python(value))

    def get_prep_value(self, value):
        # CharField would run to_python on every save and look-up: a stored legacy value must
        # still save and be found, so values go to the database as they are.
        value = models.Field.get_prep_value(self, value)
        return value if value is None else str(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})
